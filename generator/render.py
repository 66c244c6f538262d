"""Rendering the site model into bytes per output path. Nothing is written here.

Jinja2 runs with autoescape and StrictUndefined: everything a reader sees is
escaped unless a template says otherwise, and a typo is an error at the
template's file:line.
"""

from __future__ import annotations

import hashlib
import json
import re
import traceback
from pathlib import Path
from typing import Any, Optional

import jinja2
from markupsafe import Markup

from .artifacts import Artifacts, Producer
from .blocks import Block, partial_of
from .assets import Assets
from .cache import Cache
from .chartfiles import ChartProvenance, ChartSizes, chart_sizes, files_key, format_date_iso, provenance, render_charts_files
from .chartoutputs import ChartPlan, plan_collisions
from .discovery import Discovery, feed_explainers
from .config import THEME_DIR, known_templates
from .errors import BuildFailed, Problem, did_you_mean
from .figures import format_date, format_money, format_number
from .fingerprint import folder_digest
from .headers import HEADERS_FILE, headers_file
from .models import VALUE_KIND_LABELS
from .notewords import notes_table
from .parallel import parallel_map
from .progress import NO_PROGRESS, Progress
from .site import Explainer, Page, Site
from .themes import chart_themes
from .snippets import embed_height, snippets_for
from .structured import manifest, page_json_ld
from .workers import Workers, borrowed


class SiteUndefined(jinja2.StrictUndefined):
    """StrictUndefined whose message names the type plainly and suggests the closest name."""

    __slots__ = ()

    @property
    def _undefined_message(self) -> str:
        owner, name = self._undefined_obj, self._undefined_name
        if self._undefined_hint or owner is jinja2.utils.missing or not isinstance(name, str):
            return super()._undefined_message
        names = owner.keys() if isinstance(owner, dict) else [n for n in dir(owner) if not n.startswith("_")]
        return f"{type(owner).__name__} has no attribute '{name}'{did_you_mean(name, map(str, names))}"


def environment_for(template_dirs: tuple[Path, ...], cache: Cache) -> jinja2.Environment:
    """The Jinja environment of these template folders, kept in `cache`'s memory, so a
    long-lived preview compiles each template once.

    It is keyed by where every template name resolves: Jinja's auto-reload notices an edit
    to a loaded file but not a new override in `templates/` that now shadows the theme's.
    """
    resolved = tuple((d.as_posix(), tuple(known_templates((d,)))) for d in template_dirs)
    key = hashlib.sha256(json.dumps(resolved).encode()).hexdigest()
    env = cache.remembered("jinja-environment", key)
    if env is None:
        env = make_environment(template_dirs, cache.folder / "jinja" if cache.folder else None)
        cache.forget("jinja-environment", set())
        cache.remember("jinja-environment", key, env)
    return env


def make_environment(template_dirs: tuple[Path, ...], bytecode_dir: Optional[Path] = None) -> jinja2.Environment:
    """An environment for these template folders.

    A name is looked up in the project's `templates/` first, then in the default theme,
    so a project overrides single files; `theme/<name>` always reaches the theme's own
    file, for an override that extends the file it replaces.

    `auto_reload` re-reads a template whose file changed, so the live preview
    still sees every edit. With `bytecode_dir`, compiled templates are kept on disk
    (keyed by their source): compiling the site's templates is about 0.2 s of a
    fresh `explainer build` process.
    """
    if bytecode_dir is not None:
        bytecode_dir.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(
        bytecode_cache=jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir is not None else None,
        loader=jinja2.ChoiceLoader([
            jinja2.FileSystemLoader([str(d) for d in template_dirs]),
            jinja2.PrefixLoader({"theme": jinja2.FileSystemLoader(str(template_dirs[-1]))}),
        ]),
        autoescape=True,
        undefined=SiteUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=True,
    )
    env.filters.update(money=format_money, date=format_date, number=format_number, tojson_safe=json_for_script)
    env.globals["value_kind_label"] = VALUE_KIND_LABELS.get
    env.tests["contains"] = lambda sequence, item: item in sequence
    return env


def json_for_script(value: Any) -> Markup:
    """JSON safe inside <script>: no '</script>', no HTML-significant characters."""
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    for char, escape in (("<", "\\u003c"), (">", "\\u003e"), ("&", "\\u0026"), ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):
        text = text.replace(char, escape)
    return Markup(text)


def render_site(site: Site, assets: Assets, cache: Cache, versions: str, progress: Progress = NO_PROGRESS,
                workers: Optional[Workers] = None) -> dict[str, bytes]:
    """Every output file of the site as {posix path: bytes}, each declared by one producer.

    Pure over its arguments: everything read from the project (sources, data, assets,
    static files, the changelog) is in `site` and `assets`; `cache` only saves work, and
    `workers` (a pool made here when None) draws what the cache does not hold.
    """
    with borrowed(workers) as pool:
        return _render_site(site, assets, cache, versions, progress, pool)


def _render_site(site: Site, assets: Assets, cache: Cache, versions: str, progress: Progress, workers: Workers) -> dict[str, bytes]:
    env = environment_for(site.config.template_dirs, cache)
    found = Discovery(site, cache)  # search, cards, feeds, changes, downloads; a render variable, never a global
    artifacts = Artifacts()  # declared generated files first, then pages, then static files: a clash is located at the later, hand-placed one
    artifacts.declare_all(assets.files, Producer("the theme's assets"))
    chart_info = {cid: provenance(spec, site.data, site.settings.data_as_of) for cid, spec in {**site.charts, **site.step_charts}.items()}
    _refuse_static_over_chart_files(site, assets)
    progress.stage("drawing charts", len(site.charts) + len(site.step_charts))
    chart_svgs, sizes, plans = _declare_chart_files(artifacts, site, chart_info, cache, versions, progress, workers)
    context = RenderContext(site, env, assets, found, chart_info, sizes, plans)
    problems: list[Problem] = []
    for chart_id, spec in site.charts.items():
        try:
            artifacts.declare_all(context.render_embed(chart_id), Producer(f"the embed of chart '{chart_id}'", _where(spec)))
        except BuildFailed as failed:
            problems += failed.problems
    pages = _render_pages(site, context, cache, _shared_inputs_key(site, assets, versions, found.index_url), problems, progress)
    if problems:
        raise BuildFailed(problems)
    artifacts.declare("embed/charts.json", manifest(site, chart_info, artifacts), Producer("the chart manifest"))
    progress.stage("making feeds, search, downloads and social cards")
    found.declare_outputs(artifacts, chart_svgs, _feed_bodies(site, context), workers, progress)
    for page in site.pages:
        artifacts.declare(page.output_path, pages[page.output_path], Producer(f"the {page.kind} page", page.shown))
    for path, (content, shown) in assets.static.items():
        artifacts.declare(path, content, Producer("the static file", shown))
    # Last: its framing rules list every top-level section the site has.
    artifacts.declare(HEADERS_FILE, headers_file(artifacts.paths()), Producer("the response headers file"))
    return artifacts.files()


def _feed_bodies(site: Site, context: "RenderContext") -> dict[str, str]:
    """The HTML of each explainer the feed carries, its blocks as a feed shows them."""
    pages = {page.explainer.slug: page for page in site.pages if page.explainer and not page.explainer.is_page}
    return {e.slug: context.blocks_in(e, pages[e.slug], "feed") for e in feed_explainers(site) if e.slug in pages}


def _refuse_static_over_chart_files(site: Site, assets: Assets) -> None:
    """A static file at a chart file's path is an error before any chart is drawn."""
    static = ((path, Producer("the static file", shown)) for path, (_, shown) in assets.static.items())
    plans = [site.chart_plan(chart_id) for chart_id in site.charts] + [site.step_plan(derived_id) for derived_id in site.step_charts]
    problems = plan_collisions(plans, static)
    if problems:
        raise BuildFailed(problems)


def _declare_chart_files(artifacts: Artifacts, site: Site, chart_info: dict, cache: Cache, versions: str, progress: Progress,
                         workers: Optional[Workers]) -> tuple[dict[str, bytes], dict[str, ChartSizes], dict[str, ChartPlan]]:
    """Each chart's files (images, data, specs) and each step view's page drawings; returns each
    chart's wide static SVG, and the sizes and the plan of the files it got (without the optional
    ones it did not) of each chart and step view, by id.

    Files are remembered for the cache's life (the preview rebuilds often); the rest come
    from the cache or are drawn by the workers, all charts and step views at once."""
    themes = chart_themes(site.settings.theme.chart)
    every = {**site.charts, **site.step_charts}  # ids cannot clash: a step view's has '--step-' and a hash, a chart's is declared
    planned = {cid: site.chart_plan(cid) for cid in site.charts} | {sid: site.step_plan(sid) for sid in site.step_charts}
    keys = {cid: files_key(spec, chart_info[cid], versions, site.settings.title, themes, planned[cid]) for cid, spec in every.items()}
    files = {cid: cache.remembered("chart-files", key) for cid, key in keys.items()}
    progress.step(sum(1 for made in files.values() if made is not None))
    todo = [cid for cid, made in files.items() if made is None]
    drawn = render_charts_files([(every[cid], chart_info[cid]) for cid in todo], cache, versions, site.settings.title, themes, workers, progress,
                                plans=[planned[cid] for cid in todo])
    problems: list[Problem] = []
    for chart_id, made in zip(todo, drawn):
        if isinstance(made, BuildFailed):
            problems += made.problems
            continue
        files[chart_id] = made
        cache.remember("chart-files", keys[chart_id], made)
    cache.forget("chart-files", set(keys.values()))
    if problems:
        raise BuildFailed(problems)
    svgs: dict[str, bytes] = {}
    sizes: dict[str, ChartSizes] = {}
    plans: dict[str, ChartPlan] = {}
    for chart_id, spec in every.items():
        plan = planned[chart_id]
        artifacts.declare_all(files[chart_id], Producer(f"the step drawing '{chart_id}'" if plan.is_step else f"chart '{chart_id}'", _where(spec)))
        if not plan.is_step:
            svgs[chart_id] = files[chart_id][plan.find("page", "wide", "light").path]
        sizes[chart_id] = chart_sizes(files[chart_id], plan)
        plans[chart_id] = plan.made(files[chart_id])
    return svgs, sizes, plans


def _where(spec: Any) -> str:
    """Where a chart is defined, as 'path:line'."""
    return f"{spec.shown}:{spec.line}"


def _render_pages(site: Site, context: "RenderContext", cache: Cache, shared: str, problems: list, progress: Progress) -> dict[str, bytes]:
    """Every page's HTML: remembered ones from the cache's memo, the rest over all cores."""
    keys = [_page_key(shared, page) for page in site.pages]
    todo = [i for i, key in enumerate(keys) if cache.remembered("pages", key) is None]
    progress.stage("rendering pages", len(todo))

    def render(index: int) -> bytes | list[Problem]:
        try:
            return context.render_page(site.pages[index]).encode()
        except BuildFailed as failed:
            return failed.problems

    for index, result in zip(todo, parallel_map(render, todo, site.config.jobs)):
        progress.step()
        if isinstance(result, list):
            problems += result
        else:
            cache.remember("pages", keys[index], result)
    cache.forget("pages", set(keys))
    rendered = {page.output_path: cache.remembered("pages", key) for page, key in zip(site.pages, keys)}
    return {path: html for path, html in rendered.items() if html is not None}


class RenderContext:
    """What every template call shares: the site, the environment, the assets."""

    def __init__(self, site: Site, env: jinja2.Environment, assets: Assets, found: Discovery, chart_info: dict[str, ChartProvenance], sizes: dict,
                 plans: dict[str, ChartPlan]):
        self.site, self.env, self.assets, self.found, self.chart_info, self.sizes = site, env, assets, found, chart_info, sizes
        self.plans = plans  # each chart's files it got, with their URLs
        # The HTML of blocks placed alike on many pages (a chart block: the same figure wherever
        # it stands), made once per render process: a newsroom's 1,000 explainers placing a
        # dozen charts spent half their page rendering on the same figures.
        self.shared_blocks: dict[tuple[str, str], str] = {}

    def render_page(self, page: Page) -> str:
        body = self._explainer_body(page) if page.explainer else Markup("")
        return self._render(page.template, page, page=page, body=body, json_ld=page_json_ld(self.site, page, self.found.card(page).url))

    def render_embed(self, chart_id: str) -> dict[str, bytes]:
        spec, plan = self.site.charts[chart_id], self.plans[chart_id]
        page = Page(plan.folder, "embed.html", spec.title, spec.description, "embed", spec.shown)
        html = self._render("embed.html", page, page=page, chart=self.chart_view(chart_id, ""), body=Markup(""), json_ld=Markup(""))
        return {plan.find("embed").path: html.encode(), plan.find("meta").path: self.oembed(chart_id)}

    def chart_view(self, chart_id: str, caption: str) -> dict:
        """Everything chart partials need about one chart."""
        spec, plan = self.site.charts[chart_id], self.plans[chart_id]
        home = self.site.chart_home.get(chart_id)
        return {
            "id": chart_id,
            "spec": spec,
            "caption": caption,
            "info": self.chart_info[chart_id],
            "folder": self.site.url(plan.folder),
            "files": plan,  # every file it got: path, url, role, layout, theme, label (chartoutputs.py)
            "sources": [self.site.data.source(s) for s in spec.sources],
            "rows": _table_rows(spec.spec),
            "notes": notes_table(spec.spec),
            "home": f"{self.site.settings.explainers_url}{home}/" if home else "",
            "sizes": self.sizes[chart_id],
            "as_of_text": format_date_iso(self.chart_info[chart_id].as_of),
            "snippets": snippets_for(self.site, plan, self.chart_info[chart_id], self.sizes[chart_id]),
        }

    def step_view(self, derived_id: str) -> dict:
        """What `chart_picture` (partials/macros.html) needs to show a step's view of a chart: its
        info (title, and the description that tells what the step shows), its page drawings and their sizes."""
        spec = self.site.step_charts[derived_id]
        return {"id": derived_id, "spec": spec, "info": self.chart_info[derived_id], "files": self.plans[derived_id], "sizes": self.sizes[derived_id]}

    def oembed(self, chart_id: str) -> bytes:
        info, sizes, plan = self.chart_info[chart_id], self.sizes[chart_id], self.plans[chart_id]
        document = {
            "version": "1.0", "type": "rich", "title": info.title, "provider_name": self.site.settings.title,
            "provider_url": self.site.absolute(""), "width": sizes.png[0], "height": embed_height(sizes),
            "thumbnail_url": self.site.absolute(plan.find("export", "wide", "light", "png").path), "thumbnail_width": sizes.png[0], "thumbnail_height": sizes.png[1],
            "html": snippets_for(self.site, plan, info, sizes)["iframe"],
        }
        return (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()

    def _explainer_body(self, page: Page) -> Markup:
        return Markup(self.blocks_in(page.explainer, page, "page"))

    def blocks_in(self, explainer: Explainer, page: Page, medium: str) -> str:
        """An explainer's HTML with each block's slot filled by its kind's partial. Inner
        blocks were made first, so filling the last made first fills nested slots too."""
        html = explainer.html
        for block in reversed(explainer.blocks):
            html = html.replace(block.slot, self._block_html(block, page, medium), 1)
        return html

    def _block_html(self, block: Block, page: Page, medium: str) -> str:
        """A block's partial, given `block` and `medium` only (guide: writing.md), so that a block
        shared alike by many pages (Block.shared_key) is rendered once."""
        shared = block.shared_key()
        if shared is not None and (shared, medium) in self.shared_blocks:
            return self.shared_blocks[shared, medium]
        html = self._render(partial_of(block), page, block=block.view(self), medium=medium)
        if shared is not None:
            self.shared_blocks[shared, medium] = html
        return html

    def _render(self, template_name: str, current: Page, **values: Any) -> str:
        try:
            template = self.env.get_template(template_name)
            return template.render(site=self.site, assets=self.assets, found=self.found, chart_view=self.chart_view, step_view=self.step_view, **values)
        except jinja2.TemplateSyntaxError as err:
            raise BuildFailed([Problem(f"templates/{err.name or template_name}", err.lineno or 0, 0, f"template syntax: {err.message}")]) from None
        except jinja2.TemplateNotFound as err:
            message = f"template '{err.name}' not found in templates/ or the default theme{did_you_mean(str(err.name), self.env.list_templates())}"
            if err.name != template_name:  # included or extended by a template: point at that line
                raise BuildFailed([_template_problem(err, template_name, message)]) from None
            shown, _, line = current.shown.partition(":")
            raise BuildFailed([Problem(shown, int(line or 0), 0, message)]) from None
        except jinja2.UndefinedError as err:
            raise BuildFailed([_template_problem(err, template_name, f"template: {err}")]) from None
        except LookupError as err:  # e.g. chart.files.find(…) of a kind of file charts do not get
            raise BuildFailed([_template_problem(err, template_name, f"template: {err}")]) from None


def _template_problem(err: Exception, template_name: str, message: str) -> Problem:
    """The innermost template frame of a render error: file and line (a project template
    as 'templates/…', a default-theme file by its installed path)."""
    frames = [f for f in traceback.extract_tb(err.__traceback__) if f.filename and f.filename.endswith(".html")]
    if frames:
        frame = frames[-1]
        return Problem(_shown_template(Path(frame.filename)), frame.lineno or 0, 0, message)
    return Problem(f"templates/{template_name}", 0, 0, message)


def _shown_template(path: Path) -> str:
    if path.is_relative_to(THEME_DIR) or "templates" not in path.parts:
        return path.as_posix()
    parts = path.parts
    last = len(parts) - 1 - parts[::-1].index("templates")
    return "/".join(parts[last:])


def _table_rows(spec: dict) -> dict:
    """Columns and rows for the accessible data table under a chart: what data.csv holds."""
    from .chartrows import chart_table

    table = chart_table(spec)
    return {"columns": list(table.columns), "rows": [["" if r.get(c) is None else r[c] for c in table.columns] for r in table.rows]}


def _shared_inputs_key(site: Site, assets: Assets, versions: str, search_index_url: str) -> str:
    """Everything any page may show except an explainer's own body: `versions` covers our
    code and the default theme, the folder digests every project file a page could read.

    With it, a long-lived process (the live preview) re-renders only the pages
    whose inputs changed: an edit to one explainer's text re-renders that page.
    """
    explainers = [(e.slug, e.meta.model_dump_json(), e.cited_records, [k.html for k in e.key_figures],
                   e.shown_chart_ids()) for e in site.explainers]
    source_dir = site.config.src_dir
    parts = [versions, site.settings.model_dump_json(), json.dumps(explainers, sort_keys=True, default=str),
             json.dumps(assets.urls, sort_keys=True), search_index_url,
             folder_digest(source_dir, skip=("explainers", "pages")), folder_digest(site.config.templates_dir)]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()


def _page_key(shared: str, page: Page) -> str:
    own = page.explainer.html + json.dumps(page.explainer.toc, sort_keys=True) if page.explainer else ""
    return hashlib.sha256(f"{shared}\0{page.output_path}\0{own}".encode()).hexdigest()
