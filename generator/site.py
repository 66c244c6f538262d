"""The site model: every page with its URL, the explainers, and what cites what.

`make_site` turns loaded sources, data and charts into a frozen `Site`. It
resolves chart placements and figure references (unknown ids are errors at
the Markdown line) and refuses two pages that would share one URL.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional
from urllib.parse import urlparse

from pydantic import BaseModel

from .cache import Cache
from .changes import CHANGELOG, ChangelogEntry, load_changelog
from .artifacts import Producer
from .chartoutputs import ChartPlan, plan_chart, plan_collisions, plan_step
from .blocks import Block
from .blocks.chart import ChartBlock
from .charts import ChartSpec
from .config import Config, known_templates
from .data import Data
from .errors import BuildFailed, Problem, did_you_mean
from .figures import resolve, UnknownReference
from .parallel import parallel_map
from .models import SLUG
from .markdown import Converted, FrontMatter, MarkdownConverter, split_front_matter
from .sources import TextFile, read_text
from .validation import validate_record


@dataclass(frozen=True)
class PlacedChart:
    """A chart as placed on a page: the spec, the caption, the slot to fill."""

    spec: ChartSpec
    caption: str
    slot: str


@dataclass(frozen=True)
class KeyFigureView:
    label: str
    html: str


@dataclass(frozen=True)
class Explainer:
    """One Markdown document made HTML, with what it places and cites."""

    slug: str
    shown: str
    meta: FrontMatter
    html: str
    toc: tuple
    charts: tuple[PlacedChart, ...]  # placed by chart blocks
    key_figures: tuple[KeyFigureView, ...]
    cited_records: tuple[str, ...]
    warnings: tuple[Problem, ...]
    is_page: bool = False
    blocks: tuple[Block, ...] = ()  # every block, in the order their slots were made
    made_charts: tuple[ChartSpec, ...] = ()  # charts its blocks made for themselves (scrollytelling steps)

    def shown_chart_ids(self) -> list[str]:
        """Every chart its blocks show, in order, once each."""
        return list(dict.fromkeys(chart_id for block in self.blocks for chart_id, _, _ in block.chart_ids()))


@dataclass(frozen=True)
class Page:
    """One output page: where it goes, which template renders it, with what."""

    url: str
    template: str
    title: str
    description: str
    kind: str
    shown: str
    lastmod: Optional[dt.date] = None
    explainer: Optional[Explainer] = None
    record: Optional[BaseModel] = None
    collection: str = ""

    @property
    def output_path(self) -> str:
        return self.url if self.url.endswith(".html") else f"{self.url}index.html"


@dataclass(frozen=True)
class Site:
    """Everything templates and writers need, resolved and checked."""

    config: Config
    data: Data
    charts: dict[str, ChartSpec]
    explainers: tuple[Explainer, ...]
    pages: tuple[Page, ...]
    root: str
    chart_home: dict[str, str] = field(default_factory=dict)
    cited_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: tuple[Problem, ...] = ()
    changelog: tuple[ChangelogEntry, ...] = ()
    step_charts: dict[str, ChartSpec] = field(default_factory=dict)  # scrolly steps' views of charts, drawn like charts (stepstates.py)
    # Indexes for lookups record pages make per record, derived once at construction (the
    # usual frozen-dataclass idiom) so nothing writes into the Site while pages render in threads.
    _citing: dict[str, tuple["Explainer", ...]] = field(init=False, repr=False, compare=False)
    _urls: frozenset[str] = field(init=False, repr=False, compare=False)
    _explainer_at: dict[str, int] = field(init=False, repr=False, compare=False)
    _chart_plans: dict[str, ChartPlan] = field(init=False, repr=False, compare=False)
    _step_plans: dict[str, ChartPlan] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_chart_plans", chart_plans(self.charts, self.root))
        object.__setattr__(self, "_step_plans", step_plans(self.step_charts, self.root))
        object.__setattr__(self, "_citing", _citing_index(self.explainers))
        object.__setattr__(self, "_urls", frozenset(page.url for page in self.pages))
        object.__setattr__(self, "_explainer_at", {e.slug: i for i, e in enumerate(self.explainers)})

    @property
    def settings(self) -> Any:
        return self.config.settings

    def neighbours(self, slug: str) -> tuple[Optional["Explainer"], Optional["Explainer"]]:
        """(previous, next) explainer in reading order: one index lookup, not a scan."""
        index = self._explainer_at.get(slug)
        if index is None:
            return None, None
        before = self.explainers[index - 1] if index > 0 else None
        after = self.explainers[index + 1] if index + 1 < len(self.explainers) else None
        return before, after

    def citing(self, record_id: str) -> tuple["Explainer", ...]:
        """The explainers that cite a record, from an index (record pages ask this per record)."""
        return self._citing.get(record_id, ())

    def chart_plan(self, chart_id: str) -> ChartPlan:
        """Every file of a chart with its output path and URL (chartoutputs.py)."""
        return self._chart_plans[chart_id]

    def step_plan(self, derived_id: str) -> ChartPlan:
        """The page drawings of a step's view of a chart, with their output paths and URLs."""
        return self._step_plans[derived_id]

    def has_page(self, url: str) -> bool:
        """Whether the site has a page at `url` (templates link only to pages that exist)."""
        return url in self._urls

    def record_url(self, record_id: str) -> str:
        """Where a record is shown (its page, its place on a list page, an explainer citing it), or ""."""
        from .search import record_url

        return record_url(self, self.data.collection_of[record_id], record_id)

    def record_title(self, record_id: str) -> str:
        """A record's title, as its collection's title pattern makes it."""
        return self.data.title_of(record_id)

    def record_fields(self, record: BaseModel) -> list[tuple[str, Any]]:
        """(field, value) a generic record page shows: fields with a value, bookkeeping and
        the upper ends of ranges (shown with their field) left out."""
        fields = type(record).model_fields
        hidden = {"id", "sources", "field_sources", "facts", "updated", "summary", "reports"} | {f"{n}_high" for n in fields}
        return [(name, getattr(record, name)) for name in fields
                if name not in hidden and getattr(record, name) not in (None, "", [], ())]

    def record_rows(self, record: BaseModel) -> list:
        """The rows a generic record page shows, shaped by the collection's fields=, labels= and formats=."""
        from .recordrows import record_rows

        return record_rows(self.data, record)

    def format_field(self, record: BaseModel, name: str) -> str:
        """A number field in house style ("$5.9 billion", "1,204", "40%", a range when there is one)."""
        from .figures import format_field

        return format_field(record, name, self.data.spec_of(record.id).formats)

    def corrections(self, record: Optional[str] = None, explainer: Optional[str] = None) -> list:
        """The changelog's corrections of a record (by id) or an explainer (by slug), oldest first."""
        from .changes import corrections

        return corrections(self, self.changelog, record, explainer)

    def url(self, path: str) -> str:
        """A site-internal link for `path` (no leading slash)."""
        return self.root + path.lstrip("/")

    def absolute(self, path: str) -> str:
        """A full URL on the deployed site, for canonical links and snippets."""
        return self.settings.base_url.rstrip("/") + "/" + path.lstrip("/")


def site_root(base_url: str) -> str:
    path = urlparse(base_url).path or "/"
    return path if path.endswith("/") else path + "/"


def find_markdown_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.md")) if folder.is_dir() else []


def make_site(config: Config, data: Data, charts: dict[str, ChartSpec], explainer_files: list[Path], page_files: list[Path], cache: Optional[Cache] = None) -> Site:
    """Convert every explainer and page, lay out URLs, check every cross-reference."""
    root = site_root(config.settings.base_url)
    converter = MarkdownConverter(abbreviations_of(data), cache, config.settings.count_words, config.settings.markdown.raw_html)
    links = source_href(config, data, root)
    problems: list[Problem] = []
    explainers = _convert_all(config, data, charts, converter, explainer_files, links, problems, False)
    standalone = _convert_all(config, data, charts, converter, page_files, links, problems, True)
    pages = _layout(config, data, explainers, standalone)
    step_charts = _step_charts(explainers + standalone)
    problems += _url_collisions(pages) + _chart_file_collisions(charts, pages, step_charts) + _missing_record_templates(config, data)
    if problems:
        raise BuildFailed(problems)
    warnings = tuple(w for e in explainers + standalone for w in e.warnings)
    changelog = load_changelog(config.src_dir, config.shown(config.src_dir / CHANGELOG), data, [e.slug for e in explainers + standalone])
    return Site(config, data, charts, tuple(explainers), tuple(pages), root, _chart_homes(explainers),
                _cited_by(data, explainers + standalone), warnings, changelog, step_charts)


def _step_charts(explainers: list[Explainer]) -> dict[str, ChartSpec]:
    """Every chart the blocks made for themselves (a scrolly step's view of a chart, resolved
    with the explainer: `Block.resolve`), by id: each drawn once, however many steps show it."""
    found: dict[str, ChartSpec] = {}
    for explainer in explainers:
        for spec in explainer.made_charts:
            found.setdefault(spec.chart_id, spec)
    return dict(sorted(found.items()))


def abbreviations_of(data: Data) -> dict[str, str]:
    """Abbreviation -> expansion from every collection that declares `abbreviations=(abbr, term)`."""
    found: dict[str, str] = {}
    for name, spec in data.schema.collections.items():
        if spec.abbreviations:
            short, long = spec.abbreviations
            found |= {getattr(r, short): getattr(r, long) for r in data[name] if getattr(r, short, None)}
    return found


def source_href(config: Config, data: Data, root: str) -> str:
    """Where a figure's source link points: the sources collection's page when the site has it
    (a pattern with {id}), else "" (the link goes to the source itself)."""
    spec = data.schema.collections["sources"]
    declared = {page.url for page in config.settings.pages}
    if spec.url and (spec.has_pages or spec.shown_on in declared):
        return root + spec.url
    return ""


def _convert_all(config: Config, data: Data, charts: dict, converter: MarkdownConverter, files: list[Path], links: str, problems: list, is_page: bool) -> list[Explainer]:
    def convert(index: int) -> Explainer | list[Problem]:
        path = files[index]
        try:
            return convert_explainer(read_text(path, config.shown(path)), data, charts, converter, links, is_page)
        except BuildFailed as failed:
            return failed.problems

    out = []
    for result in parallel_map(convert, range(len(files)), config.jobs):
        if isinstance(result, list):
            problems += result
            continue
        problems += [w for w in result.warnings if w.severity == "error"]
        if config.drafts or not result.meta.draft:
            out.append(result)
    return sorted(out, key=lambda e: (e.meta.order, e.slug))


def convert_explainer(source: TextFile, data: Data, charts: dict, converter: MarkdownConverter, links: str, is_page: bool = False) -> Explainer:
    """One Markdown file -> Explainer; raises BuildFailed on front matter errors."""
    _check_slug(source)
    doc, body, offset = split_front_matter(source)
    meta, problems = validate_record(FrontMatter, doc.value if doc.value is not None else {}, doc, ())
    if problems:
        raise BuildFailed(problems)
    converted = converter.convert(body, data, source.shown, offset, links)
    placed = _place_charts(converted, charts, source.shown)
    made, block_problems = _resolve_blocks(converted, charts, source.shown)
    problems = _lead_chart_problems(meta, charts, doc) + placed[1] + block_problems
    key_figures = _key_figures(meta, data, doc, links, problems)
    slug = source.path.stem
    warnings = tuple(converted.warnings + problems)
    cited = tuple(sorted({f.record_id for f in converted.figures} | {k.ref.split(".")[0] for k in meta.key_figures}))
    return Explainer(slug, source.shown, meta, converted.html, tuple(converted.toc), placed[0], key_figures, cited, warnings, is_page,
                     tuple(converted.blocks), tuple(made))


def _check_slug(source: TextFile) -> None:
    """A file's name becomes its URL (and goes into feeds, the sitemap and snippets), so it is
    held to the record-id rule: lowercase letters, digits and hyphens."""
    slug = source.path.stem
    if not re.fullmatch(SLUG, slug):
        better = re.sub(r"[^a-z0-9]+", "-", slug.lower()).strip("-")
        hint = f": rename it '{better}.md'" if better and re.fullmatch(SLUG, better) else ""
        raise BuildFailed([Problem(source.shown, 0, 0, f"file name '{source.path.name}' cannot be a URL (names of explainers and pages "
                                                       f"are lowercase letters, digits and hyphens){hint}")])


def _place_charts(converted: Converted, charts: dict, shown: str) -> tuple[tuple[PlacedChart, ...], list[Problem]]:
    """Chart blocks with their specs; an unknown chart in any block is an error at its line."""
    placed, problems = [], []
    for block in converted.blocks:
        for chart_id, line, col in block.chart_ids():
            if chart_id not in charts:
                problems.append(Problem(shown, line, col, f"unknown chart '{chart_id}'{did_you_mean(chart_id, charts)}"))
        if isinstance(block, ChartBlock) and block.chart_id in charts:
            placed.append(PlacedChart(charts[block.chart_id], block.caption, block.slot))
    return tuple(placed), problems


def _resolve_blocks(converted: Converted, charts: dict, shown: str) -> tuple[list[ChartSpec], list[Problem]]:
    made, problems = [], []
    for block in converted.blocks:
        if all(chart_id in charts for chart_id, _, _ in block.chart_ids()):
            specs, found = block.resolve(charts, shown)
            made += specs
            problems += found
    return made, problems


def _lead_chart_problems(meta: FrontMatter, charts: dict, doc: Any) -> list[Problem]:
    if meta.lead_chart and meta.lead_chart not in charts:
        return [doc.problem(("lead_chart",), f"unknown chart '{meta.lead_chart}'{did_you_mean(meta.lead_chart, charts)}")]
    return []


def _key_figures(meta: FrontMatter, data: Data, doc: Any, links: str, problems: list) -> tuple[KeyFigureView, ...]:
    from .markdown import figure_html

    views = []
    for index, item in enumerate(meta.key_figures):
        record_id, _, field_name = item.ref.partition(".")
        try:
            found = resolve(data, record_id, field_name or None)
        except UnknownReference as err:
            problems.append(doc.problem(("key_figures", index, "ref"), str(err)))
            continue
        views.append(KeyFigureView(item.label, figure_html(data, found, links)))
    return tuple(views)


def _layout(config: Config, data: Data, explainers: list[Explainer], standalone: list[Explainer]) -> list[Page]:
    settings = config.settings
    pages = [Page("", "home.html", settings.title, settings.description, "home", "site_src/site.yaml", settings.data_as_of)]
    pages.append(Page("404.html", "404.html", "Page not found", "This page does not exist.", "404", "site_src/site.yaml"))
    for e in explainers:
        pages.append(Page(f"{settings.explainers_url}{e.slug}/", "explainer.html", e.meta.title, e.meta.summary, "explainer", e.shown, e.meta.updated or e.meta.date, e))
    for e in standalone:
        pages.append(Page(f"{e.slug}/", "page.html", e.meta.title, e.meta.summary, "page", e.shown, e.meta.updated or e.meta.date, e))
    for index, item in enumerate(settings.pages):
        line = config.lines.get(("pages", index, "url"), (0, 0))[0]
        pages.append(Page(item.url, item.template, item.title, item.description, "standalone", f"site_src/site.yaml:{line}", settings.data_as_of))
    for name, spec in data.schema.collections.items():
        if spec.has_pages:
            pages += _record_pages(name, spec, data)
    return pages


def _record_pages(name: str, spec: Any, data: Data) -> list[Page]:
    pages = []
    for record in data[name]:
        fields = record.model_dump()
        title = data.title_of(record.id)
        where = data.located[record.id]
        description = str(fields.get("summary") or title)[:300]
        lastmod = fields.get("updated") or fields.get("date")
        pages.append(Page(spec.url.format(id=record.id), spec.template, title, description, "record", f"{where.shown}:{where.line}", lastmod, record=record, collection=name))
    return pages


def _missing_record_templates(config: Config, data: Data) -> list[Problem]:
    """A record-page template must exist: one problem at the @collection line, not one per record."""
    known = known_templates(config.template_dirs)
    return [Problem(spec.shown, spec.line, 0, f"collection '{spec.name}': template '{spec.template}' not found in templates/ or the default theme{did_you_mean(spec.template, known)}")
            for spec in data.schema.collections.values() if spec.has_pages and spec.template not in known]


def _url_collisions(pages: list[Page]) -> list[Problem]:
    seen: dict[str, Page] = {}
    problems = []
    for page in pages:
        first = seen.setdefault(page.output_path, page)
        if first is not page:
            shown, _, line = page.shown.partition(":")
            problems.append(Problem(shown, int(line or 0), 0, f"two pages have the URL '/{page.url}': this one and the one from {first.shown}"))
    return problems


def chart_plans(charts: dict[str, ChartSpec], root: str) -> dict[str, ChartPlan]:
    """Each chart's plan of files, by id: made before anything is drawn."""
    return {chart_id: plan_chart(chart_id, f"{spec.shown}:{spec.line}", root) for chart_id, spec in charts.items()}


def step_plans(step_charts: dict[str, ChartSpec], root: str) -> dict[str, ChartPlan]:
    """Each step view's plan of page drawings, by id."""
    return {derived_id: plan_step(derived_id, f"{spec.shown}:{spec.line}", root) for derived_id, spec in step_charts.items()}


def _chart_file_collisions(charts: dict[str, ChartSpec], pages: list[Page], step_charts: Optional[dict[str, ChartSpec]] = None) -> list[Problem]:
    """A page whose file a chart's would overwrite (an embed's URL), found before any drawing."""
    plans = list(chart_plans(charts, "/").values()) + list(step_plans(step_charts or {}, "/").values())
    return plan_collisions(plans, ((page.output_path, Producer(f"the {page.kind} page", page.shown)) for page in pages))


def _citing_index(explainers: tuple[Explainer, ...]) -> dict[str, tuple[Explainer, ...]]:
    index: dict[str, list[Explainer]] = {}
    for explainer in explainers:
        for record_id in explainer.cited_records:
            index.setdefault(record_id, []).append(explainer)
    return {k: tuple(v) for k, v in index.items()}


def _chart_homes(explainers: list[Explainer]) -> dict[str, str]:
    """chart id -> slug of the first explainer whose chart block places it (the embed's and
    search's link back, to its figure's #chart-<id>; a chart other blocks alone show has no
    such figure, so it is found at its embed page)."""
    homes: dict[str, str] = {}
    for e in explainers:
        for placed in e.charts:
            homes.setdefault(placed.spec.chart_id, e.slug)
    return homes


def _cited_by(data: Data, explainers: list[Explainer]) -> dict[str, tuple[str, ...]]:
    """source id -> ids of records citing it (for the sources page)."""
    cited: dict[str, list[str]] = {}
    for name, record in data.records():
        if name == "sources":
            continue
        for source_id in record.sources:  # type: ignore[attr-defined]
            cited.setdefault(source_id, []).append(record.id)
        for report in getattr(record, "reports", ()):
            cited.setdefault(report.source, []).append(record.id)
    return {k: tuple(dict.fromkeys(v)) for k, v in sorted(cited.items())}
