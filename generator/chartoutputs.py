"""Every file a chart gets, declared once, and each chart's plan of them.

`CHART_FILES` is the one place a chart file is named: the producer (chartfiles.py) makes
the files its rows list, and the templates, the manifest, the snippets and oEmbed find
them here by what they are (role, layout, theme), never by spelling a name. `plan_chart`
gives every file of one chart its output path and URL before anything is drawn, so that a
clash with a page or a static file is found before the slow part of a build.

A new kind of file for every chart is one row here plus its maker in chartfiles.py.

A scrollytelling step's view of a chart (stepstates.py) is drawn like a chart but gets only the
rows marked `step`: the drawings a page shows, under its own folder (`plan_step`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator

from .artifacts import Artifacts, Producer
from .errors import Problem

ROLES = ("page", "live", "export", "data", "embed", "meta")
MADE_WITH_THE_PAGES = ("embed", "meta")  # rendered with the site's pages (render.py); every other role is drawn (chartfiles.py)


@dataclass(frozen=True)
class ChartFile:
    """One file every chart gets (or may get: `optional`)."""

    name: str  # the file's name in the chart's folder
    role: str  # page: a drawing the site's pages show; live: a spec the page makes interactive; export: an image
    #            for reuse; data: the rows drawn; embed: the embeddable page; meta: its oEmbed document
    maker: str  # what makes its bytes: a key of chartfiles.MAKERS, or the page renderer's for embed and meta
    layout: str = ""  # the drawing it is made from: "wide", "medium" or "narrow"; "" for data and the embed
    theme: str = ""  # "light" or "dark"; "" when it has none
    optional: bool = False  # made only when the chart has a drawing of its own at `layout` (a narrow or medium one)
    label: str = ""  # its link's text in the chart's download list; "" when not offered there
    beside: str = ""  # offered as a variant of this file (by name), after its link in the same item
    bracketed: bool = True  # a variant in brackets ("PNG (2x, dark)"); else after a comma ("Data (CSV), JSON")
    step: bool = False  # a step's view of the chart gets it too (only what the page shows: no downloads, embed or live spec)

    @property
    def drawn(self) -> bool:
        """Whether a drawing worker makes it (else the page renderer does)."""
        return self.role not in MADE_WITH_THE_PAGES

    @property
    def downloaded(self) -> bool:
        """Whether its link downloads the file (the embeddable page is opened, not saved)."""
        return self.role != "embed"


CHART_FILES = (
    # The chart alone, as the site's pages show it: wide, on phones, and between the two.
    ChartFile("inline.svg", "page", "svg", "wide", "light", step=True),
    ChartFile("inline-dark.svg", "page", "svg", "wide", "dark", step=True),
    ChartFile("inline-narrow.svg", "page", "svg", "narrow", "light", step=True),
    ChartFile("inline-narrow-dark.svg", "page", "svg", "narrow", "dark", step=True),
    ChartFile("inline-medium.svg", "page", "svg", "medium", "light", optional=True, step=True),
    ChartFile("inline-medium-dark.svg", "page", "svg", "medium", "dark", optional=True, step=True),
    # Export images: title, sources and as-of date drawn in. Listed in the download list's order.
    ChartFile("chart.png", "export", "png", "wide", "light", label="PNG"),
    ChartFile("chart@2x.png", "export", "png@2x", "wide", "light", label="2x", beside="chart.png"),
    ChartFile("chart-dark.png", "export", "png", "wide", "dark", label="dark", beside="chart.png"),
    ChartFile("chart-dark@2x.png", "export", "png@2x", "wide", "dark"),
    ChartFile("chart-narrow.png", "export", "png", "narrow", "light", optional=True, label="PNG for phones"),
    ChartFile("chart-narrow@2x.png", "export", "png@2x", "narrow", "light", optional=True, label="2x", beside="chart-narrow.png"),
    ChartFile("chart-narrow-dark.png", "export", "png", "narrow", "dark", optional=True, label="dark", beside="chart-narrow.png"),
    ChartFile("chart-narrow-dark@2x.png", "export", "png@2x", "narrow", "dark", optional=True),
    ChartFile("chart.svg", "export", "svg-export", "wide", "light", label="SVG"),
    ChartFile("chart-dark.svg", "export", "svg-export", "wide", "dark", label="dark", beside="chart.svg"),
    ChartFile("chart.pdf", "export", "pdf", "wide", "light", label="PDF for print"),
    # The data the chart draws.
    ChartFile("data.csv", "data", "csv", label="Data (CSV)"),
    ChartFile("data.json", "data", "json", label="JSON", beside="data.csv", bracketed=False),
    # The Vega-Lite specs the page makes interactive, each laid out like the drawing of its layout.
    ChartFile("chart.vl.json", "live", "spec", "wide", "light", label="Vega-Lite spec"),
    ChartFile("chart-dark.vl.json", "live", "spec", "wide", "dark"),
    ChartFile("chart-narrow.vl.json", "live", "spec", "narrow", "light"),
    ChartFile("chart-narrow-dark.vl.json", "live", "spec", "narrow", "dark"),
    ChartFile("chart-medium.vl.json", "live", "spec", "medium", "light", optional=True),
    ChartFile("chart-medium-dark.vl.json", "live", "spec", "medium", "dark", optional=True),
    # Made with the pages: the embeddable page and its oEmbed document.
    ChartFile("index.html", "embed", "embed page", label="Embeddable page"),
    ChartFile("oembed.json", "meta", "oembed"),
)


def chart_folder(chart_id: str) -> str:
    """Where a chart's files go, from the site root."""
    return f"embed/{chart_id}/"


STEP_MARK = "--step-"  # a step's view of a chart is named "<chart id>--step-<hash of its state>"


def step_folder(derived_id: str) -> str:
    """Where the drawings of a step's view of a chart go, from the site root: with its chart's name."""
    base, _, state = derived_id.rpartition(STEP_MARK)
    return f"charts/{base}/steps/{state}/"


@dataclass(frozen=True)
class PlannedFile:
    """A chart file with its place: `path` from the site root, `url` its link on the site."""

    file: ChartFile
    path: str
    url: str

    @property
    def linked(self) -> str:
        """The path a link to it names, from the site root: an index.html by its folder."""
        return self.path.removesuffix("index.html")

    def __getattr__(self, name: str):  # name, role, label, …: the row's, so templates write file.label
        if name.startswith("_"):  # not while unpickling or copying, before `file` is set
            raise AttributeError(name)
        return getattr(self.file, name)


@dataclass(frozen=True)
class Download:
    """One item of a chart's download list: a file, then its variants (in brackets) and others."""

    lead: PlannedFile
    variants: tuple[PlannedFile, ...]
    also: tuple[PlannedFile, ...]


@dataclass(frozen=True)
class ChartPlan:
    """Every file of one chart, with its output path and URL, in table order."""

    chart_id: str
    where: str  # the chart's source as 'path:line', for errors
    files: tuple[PlannedFile, ...]
    home: str = ""  # its folder when not the chart's own (a step's view of it: step_folder)

    def __iter__(self) -> Iterator[PlannedFile]:
        return iter(self.files)

    @property
    def folder(self) -> str:
        return self.home or chart_folder(self.chart_id)

    @property
    def is_step(self) -> bool:
        return bool(self.home)

    def find(self, role: str, layout: str = "", theme: str = "", maker: str = "") -> PlannedFile:
        """The one file of this role (and layout, theme, maker where given)."""
        found = [f for f in self.files if f.role == role and (not layout or f.layout == layout)
                 and (not theme or f.theme == theme) and (not maker or f.maker == maker)]
        if len(found) != 1:
            asked = ", ".join(f"{key} '{value}'" for key, value in (("role", role), ("layout", layout), ("theme", theme), ("maker", maker)) if value)
            raise LookupError(f"chart '{self.chart_id}' has no file of {asked}" if not found else
                              f"chart '{self.chart_id}' has {len(found)} files of {asked}: say which (layout, theme, maker)")
        return found[0]

    def made(self, paths: Iterable[str]) -> "ChartPlan":
        """The plan without the optional files this chart did not get."""
        made = set(paths)
        return ChartPlan(self.chart_id, self.where, tuple(f for f in self.files if not f.optional or f.path in made), self.home)

    def downloads(self) -> list[Download]:
        """The download list: each offered file that is no other's variant, with its variants."""
        def joined(lead: PlannedFile, bracketed: bool) -> tuple[PlannedFile, ...]:
            return tuple(f for f in self.files if f.label and f.beside == lead.name and f.bracketed == bracketed)

        return [Download(lead, joined(lead, True), joined(lead, False)) for lead in self.files if lead.label and not lead.beside]

    def producer(self, planned: PlannedFile) -> Producer:
        """Who makes a file of this chart, as the output's clash errors name it."""
        what = f"the step drawing '{self.chart_id}'" if self.is_step else f"chart '{self.chart_id}'" if planned.drawn else f"the embed of chart '{self.chart_id}'"
        return Producer(what, self.where)


def plan_chart(chart_id: str, where: str = "", root: str = "/") -> ChartPlan:
    """Every file of a chart with its path and its URL under the site's `root` (an index.html
    is linked by its folder)."""
    folder = chart_folder(chart_id)

    def placed(file: ChartFile) -> PlannedFile:
        path = folder + file.name
        return PlannedFile(file, path, root + path.removesuffix("index.html"))  # as PlannedFile.linked

    return ChartPlan(chart_id, where, tuple(placed(file) for file in CHART_FILES))


def plan_step(derived_id: str, where: str = "", root: str = "/") -> ChartPlan:
    """The files of a step's view of a chart (the rows marked `step`), in its own folder."""
    folder = step_folder(derived_id)
    files = tuple(PlannedFile(file, folder + file.name, root + folder + file.name) for file in CHART_FILES if file.step)
    return ChartPlan(derived_id, where, files, folder)


def plan_collisions(plans: Iterable[ChartPlan], others: Iterable[tuple[str, Producer]]) -> list[Problem]:
    """Paths two charts' files, or a chart file and another output (`others`: a page, a static
    file), would both be written to, as errors at the later claimant, naming both."""
    claims = Artifacts()
    for plan in plans:
        for planned in plan:
            claims.declare(planned.path, b"", plan.producer(planned))
    charted = set(claims.paths())
    for path, producer in others:
        if path in charted:
            claims.declare(path, b"", producer)
    return claims.problems()
