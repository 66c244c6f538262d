"""The pipeline, in order: load -> validate -> model (with assets) -> render -> check -> write.

The only place that knows the order. Each stage raises `BuildFailed` with all
of its problems; nothing is written unless every stage succeeded.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Optional

from .assets import collect_assets
from .cache import Cache
from .inputs import code_version
from .charts import ChartSpec, check_chart_meta, find_chart_files, hand_typed_in_descriptions, load_charts
from .chartrows import unexported_rows
from .check import check_rendered
from .config import Config
from .data import Data, contradicted_by_date, load_site_data, unsourced
from .errors import BuildFailed, Problem
from .fingerprint import inputs_digest, previous_build, remember_build, remembered_warnings
from .output import Changes, refuse_dangerous_out_dir, write_outputs
from .progress import NO_PROGRESS, Progress
from .render import render_site
from .site import Site, find_markdown_files, make_site
from .sources import check_no_escaping_links
from .workers import Workers, borrowed


@dataclass(frozen=True)
class Drawn:
    """What a build drew and what it took from the cache: the slow work a kept cache saves."""

    charts: int = 0  # chart file sets drawn: one a chart, one a scrolly step's view
    cards: int = 0  # social cards drawn
    cached: int = 0  # chart image sets and cards read from the cache instead

    @classmethod
    def between(cls, before: Counter, after: Counter) -> "Drawn":
        """From a Cache's lookups before and after a build: a miss is drawn, a hit is not."""
        made = after - before
        return cls(made[("chart-files", False)], made[("social-cards", False)], made[("chart-files", True)] + made[("social-cards", True)])

    def line(self) -> str:
        return (f"Drew {plural(self.charts, 'chart image set')} and {plural(self.cards, 'social card')} "
                f"({self.cached} from the cache)")


@dataclass(frozen=True)
class BuildReport:
    pages: int
    charts: int
    changes: Changes
    seconds: float
    warnings: tuple[Problem, ...]
    drawn: Drawn = field(default_factory=Drawn)  # nothing on the no-change path

    def summary(self) -> str:
        return (f"Built {plural(self.pages, 'page')} and {plural(self.charts, 'chart')} in {self.seconds:.2f} s "
                f"({plural(self.changes.count, 'file')} changed)")


def plural(count: int, noun: str) -> str:
    """'1 page', '2 pages'."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def load_data_and_charts(config: Config, cache: Cache, workers: Optional[Workers] = None,
                         progress: Progress = NO_PROGRESS) -> tuple[Data, dict[str, ChartSpec]]:
    """Stages 1-2: read and check the data and the charts (run by `workers`, or a pool made here)."""
    src = config.src_dir
    check_no_escaping_links(src, config.shown)
    data = load_site_data(src, config.shown, cache)
    with borrowed(workers, config.jobs, config.chart_timeout) as pool:
        charts = load_charts(find_chart_files(src / "charts"), data, cache, config.shown, code_version(), pool, progress)
    problems = check_chart_meta(charts, data)
    if problems:
        raise BuildFailed(problems)
    return data, charts


def model_site(config: Config, cache: Cache, workers: Optional[Workers] = None, progress: Progress = NO_PROGRESS) -> Site:
    """Stages 1-3: read and check every source, return the site model."""
    data, charts = load_data_and_charts(config, cache, workers, progress)
    src = config.src_dir
    return make_site(config, data, charts, find_markdown_files(src / "explainers"), find_markdown_files(src / "pages"), cache)


def load_site_charts(config: Config, cache: Cache) -> tuple[dict[str, ChartSpec], dict[str, str]]:
    """The charts, and which explainer places each (a lenient view for `explainer charts`)."""
    data, charts = load_data_and_charts(config, cache)
    try:
        site = make_site(config, data, charts, find_markdown_files(config.src_dir / "explainers"), [])
        return charts, site.chart_home
    except BuildFailed:
        return charts, {}


def strict_warnings(site: Site) -> list[Problem]:
    """What --strict turns into errors: hand-typed figures (prose, chart descriptions), unsourced records,
    records the data date contradicts, chart data the downloads cannot hold."""
    return (list(site.warnings) + hand_typed_in_descriptions(site.charts, site.settings.count_words) + unsourced(site.data)
            + contradicted_by_date(site.data, site.settings.data_as_of) + unexported_rows(site.charts))


def build(config: Config, cache: Cache, strict: bool = False, clean: bool = False, progress: Progress = NO_PROGRESS,
          workers: Optional[Workers] = None) -> BuildReport:
    """Build the site into `config.out_dir`; raise BuildFailed and write nothing on error.

    `progress` hears each stage and step (the CLI shows them on long builds). Chart code and
    drawings run in `workers` (the preview keeps one pool), or in a pool made for this build."""
    started = time.perf_counter()
    refuse_dangerous_out_dir(config.out_dir, config.root)
    versions = code_version()
    inputs = inputs_digest(config, versions, f"strict={strict};drafts={config.drafts}")
    previous = None if clean else previous_build(config, cache, inputs)
    if previous is not None:
        unchanged = Changes((), previous["files"], ())
        return BuildReport(previous["pages"], previous["charts"], unchanged, time.perf_counter() - started, remembered_warnings(previous))
    progress.stage("reading sources")
    before = cache.lookups.copy()
    with borrowed(workers, config.jobs, config.chart_timeout) as pool:
        site = model_site(config, cache, pool, progress)
        warnings = strict_warnings(site)
        if strict and warnings:
            raise BuildFailed([Problem(w.path, w.line, w.col, w.message, "error") for w in warnings])
        outputs = render_site(site, collect_assets(site, cache), cache, versions, progress, pool)
    if strict:
        progress.stage("checking pages")
    check_rendered(outputs, config, strict)  # --strict: broken links, alt text, … in the pages, before writing
    progress.stage("writing files")
    changes = write_outputs(outputs, config.out_dir, rewrite_all=clean, shown=config.shown(config.out_dir))
    pages = sum(1 for path in outputs if path.endswith(".html"))
    remember_build(config, cache, inputs, pages, len(site.charts), len(outputs), tuple(warnings))
    return BuildReport(pages, len(site.charts), changes, time.perf_counter() - started, tuple(warnings), Drawn.between(before, cache.lookups))


def default_cache(config: Config, enabled: bool = True) -> Cache:
    return Cache(config.cache_dir if enabled else None)

