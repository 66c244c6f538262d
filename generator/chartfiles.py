"""Every file a chart travels with: page images, export images, data, spec, oEmbed.

Which files, and their names, is the table in chartoutputs.py; each row's maker is in
MAKERS below.

Images come from vl-convert, cached by the hash of the spec, theme and tool
versions, and drawn in worker processes (workers.py): a chart vl-convert crashes
on is a located error, and charts are drawn on every core. Export images carry the title, source line and as-of date drawn in,
so a screenshot or a newsletter keeps the provenance.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import re
import struct
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Callable, Optional

from .cache import Cache
from .charts import ChartSpec
from .chartoutputs import ChartFile, ChartPlan, plan_chart
from .chartrows import ChartTable, chart_rows, chart_table  # noqa: F401 - chart_rows: the rows as one list, for callers
from .data import Data
from .errors import BuildFailed, Problem
from .figures import format_date
from .exportframe import framed_svg
from .geo import draws_geoshape, rounded_paths
from .layout import (FIT_SLACK, MAX_TEXT, MIN_TEXT, NARROW, legends_below, medium_layout, medium_width, narrow_layout, resizable, stacked,
                     uses_container_width, wide_layout)
from .noteplacement import annotated_drawings
from .notewords import notes_json
from .recolour import colour_swaps, dark_from_light
from .progress import NO_PROGRESS, Progress
from .stablepdf import stable_pdf
from .textpaths import outlined
from .themes import THEMES, themes_key
from .typefaces import characters_used, with_embedded_fonts
from .workers import DEFAULT_TIMEOUT, Label, Task, Workers, borrowed, drawing_engine, restart_clock

SPREADSHEET_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ChartProvenance:
    """The words that must travel with a chart wherever it goes."""

    title: str
    description: str
    source_line: str
    as_of: str


def provenance(spec: ChartSpec, data: Data, default_as_of: Any) -> ChartProvenance:
    outlets = []
    for source_id in spec.sources:
        source = data.source(source_id)
        outlets.append(f"{source.outlet} ({format_date(source.date)})")
    as_of = spec.as_of or default_as_of.isoformat()
    return ChartProvenance(spec.title, spec.description, "Sources: " + "; ".join(dict.fromkeys(outlets)), as_of)


def render_chart_files(spec: ChartSpec, info: ChartProvenance, cache: Cache, versions: str, site_name: str, themes: dict = THEMES,
                       workers: Optional[Workers] = None, plan: Optional[ChartPlan] = None) -> dict[str, bytes]:
    """Output files of one chart, keyed by path relative to the site root (see render_charts_files)."""
    made = render_charts_files([(spec, info)], cache, versions, site_name, themes, workers, plans=[plan or plan_chart(spec.chart_id)])[0]
    if isinstance(made, BuildFailed):
        raise made
    return made


def render_charts_files(charts: list[tuple[ChartSpec, ChartProvenance]], cache: Cache, versions: str, site_name: str, themes: dict = THEMES,
                        workers: Optional[Workers] = None, progress: Progress = NO_PROGRESS,
                        plans: Optional[list[ChartPlan]] = None) -> list[dict[str, bytes] | BuildFailed]:
    """Each chart's output files (or its problems), in order: from the cache, else drawn in
    worker processes (`workers`, or a pool made for this call), all charts at once. `plans`:
    each chart's files (default: every file a chart gets; a step's view gets its page drawings).

    The set is cached under one key for the chart (its spec digest, provenance, tool versions,
    site name and this code), so a warm build reads one folder and the output writer can
    hard-link its images instead of writing them: about 1 ms a chart instead of 7.
    """
    plans = plans or [plan_chart(spec.chart_id) for spec, _ in charts]
    keys = [files_key(spec, info, versions, site_name, themes, plan) for (spec, info), plan in zip(charts, plans)]
    found: list = [_stored_files(cache, key, plan) for key, plan in zip(keys, plans)]
    for _ in (item for item in found if item is not None):
        progress.step()
    missing = sorted((at for at, item in enumerate(found) if item is None), key=lambda at: _expected_work(charts[at][0], plans[at]), reverse=True)
    if missing:
        tasks = [Task(draw_chart_files, (*charts[at], cache.folder, versions, site_name, themes, plans[at]), _drawing(charts[at][0], plans[at]),
                      floor=DEFAULT_TIMEOUT) for at in missing]
        with borrowed(workers) as pool:
            drawn = pool.map(tasks, progress)
        for at, made in zip(missing, drawn):
            found[at] = made if isinstance(made, BuildFailed) else _store_files(cache, keys[at], plans[at], made)
    return found


def _expected_work(spec: ChartSpec, plan: ChartPlan) -> tuple[bool, bool, int]:
    """A chart's likely drawing time, to start the longest first: otherwise a map drawn last
    leaves the other workers idle while it runs alone (results keep their order regardless)."""
    return not plan.is_step, draws_geoshape(spec.spec), len(json.dumps(spec.spec, default=str))


def files_key(spec: ChartSpec, info: ChartProvenance, versions: str, site_name: str, themes: dict, plan: Optional[ChartPlan] = None) -> str:
    """The key of a chart's set of files: what they are drawn from (a step's view: and its folder and files)."""
    made_of = f"{spec.digest}\0{info}\0{versions}\0{site_name}\0{themes_key(themes)}"
    if plan is not None and plan.is_step:
        made_of += f"\0{plan.folder}\0" + " ".join(planned.name for planned in plan)
    return hashlib.sha256(made_of.encode()).hexdigest()


def _drawing(spec: ChartSpec, plan: ChartPlan) -> Label:
    doing = f"drawing {'the step view' if plan.is_step else 'chart'} '{spec.chart_id}'"
    return Label(doing, doing, spec.shown, spec.line, engine="the drawing engine")


def _stored_files(cache: Cache, key: str, plan: ChartPlan) -> Optional[dict[str, bytes]]:
    stored = cache.get_files("chart-files", key)
    return None if stored is None else {plan.folder + name: content for name, content in sorted(stored.items())}


def _store_files(cache: Cache, key: str, plan: ChartPlan, made: dict[str, bytes]) -> dict[str, bytes]:
    """Store a drawn chart's files, and read them back, so even this build hard-links them."""
    cache.put_files("chart-files", key, {path.removeprefix(plan.folder): content for path, content in made.items()})
    return _stored_files(cache, key, plan) or made  # no cache (or it cannot be written): the drawn bytes


def draw_chart_files(spec: ChartSpec, info: ChartProvenance, cache_folder: Optional[Path], versions: str, site_name: str, themes: dict,
                     plan: Optional[ChartPlan] = None) -> dict[str, bytes]:
    """In a worker: every file of one chart (of `plan`, else all a chart gets), each image cached on its own (content-addressed)."""
    return _drawn_chart_files(spec, info, Cache(cache_folder), versions, site_name, themes, plan or plan_chart(spec.chart_id))


def _drawn_chart_files(spec: ChartSpec, info: ChartProvenance, cache: Cache, versions: str, site_name: str, themes: dict, plan: ChartPlan) -> dict[str, bytes]:
    try:
        return _chart_files(spec, info, cache, versions, site_name, themes, plan)
    except ValueError as err:  # vl-convert reports specs Vega cannot draw as ValueError
        reason = next((line.removeprefix("Error: ") for line in str(err).split("\n") if line.startswith("Error:")), str(err))  # not splitlines(): it splits at U+2028 too
        raise BuildFailed([Problem(spec.shown, spec.line, 0, f"chart '{spec.chart_id}' could not be drawn: {reason}")]) from None


def _chart_files(spec: ChartSpec, info: ChartProvenance, cache: Cache, versions: str, site_name: str, themes: dict, plan: ChartPlan) -> dict[str, bytes]:
    """Page images at the wide, medium and narrow layouts, export images at the wide and (for
    newsletters read on phones) the narrow one, and the specs the browser makes live, for each
    theme: every drawn file of the table (chartoutputs.CHART_FILES) the chart gets."""
    light = themes["light"].config
    drawn: dict[str, bytes] = {}  # each spec's SVG, once: fitting a layout measures the same spec again, and the page
    #                               drawings are the layouts measured (a cache on disk would serve these too, but not --clean)

    def draw(themed: dict) -> bytes:
        key = json.dumps(themed, sort_keys=True, default=str)
        if key not in drawn:
            drawn[key] = _svg(themed, cache, versions)
        return drawn[key]

    def measure(layout: dict) -> tuple[int, int]:
        return svg_size(draw(_with_theme(layout, light)))

    wide = wide_layout(spec.spec, measure)
    wide_svg = draw(_with_theme(wide, light))
    narrow = narrow_layout(spec.spec, measure, svg_size(wide_svg)[0], spec.narrow_spec) or wide
    medium = _medium(spec, measure, wide_svg, narrow, wide)
    live = _live_layouts(spec.spec, spec.narrow_spec, wide, narrow, medium, measure)
    drawings = {"wide": wide, "narrow": narrow} | ({"medium": medium} if medium is not None else {})
    own = {name for name, layout in drawings.items() if name == "wide" or layout is not wide}  # the layouts drawn for themselves
    drawings, live = annotated_drawings(drawings, live, light, lambda layout: _scene(_with_theme(layout, light), cache, versions))
    made = [planned for planned in plan if planned.drawn and (planned.layout in own or not planned.optional)]
    sheet = _Sheet(spec, info, cache, versions, site_name, themes, drawings, live, draw, tuple(planned.file for planned in made))
    return {planned.path: MAKERS[planned.maker](sheet, planned.file) for planned in made}


@dataclass
class _Sheet:
    """What the makers make one chart's files from: its layouts, drawn on demand and each
    export drawing once (a PNG, its 2x and the SVG share it)."""

    spec: ChartSpec
    info: ChartProvenance
    cache: Cache
    versions: str
    site_name: str
    themes: dict
    drawings: dict[str, dict]  # layout name -> the chart laid out so
    live: dict[str, dict]  # layout name -> what Vega lays out in the browser
    draw: Callable[[dict], bytes]  # a spec's SVG, drawn once per chart
    files: tuple[ChartFile, ...]  # every file this chart gets
    _exports: dict = field(default_factory=dict)
    _characters: dict = field(default_factory=dict)

    def page_svg(self, file: ChartFile) -> bytes:
        return self.drawing(file.layout, file.theme)

    def drawing(self, layout: str, theme: str) -> bytes:
        """The chart laid out so, drawn in that theme; a dark drawing is the light one with the
        theme's colours swapped where that is exactly what Vega would draw (recolour.py)."""
        if theme == "dark" and "light" in self.themes:
            swapped = dark_from_light(self.drawing(layout, "light"), self.drawings[layout], self.swaps)
            if swapped is not None:
                return swapped
        return self.draw(_with_theme(self.drawings[layout], self.themes[theme].config))

    @cached_property
    def swaps(self) -> Optional[dict[str, str]]:
        return colour_swaps(self.themes["light"].config, self.themes["dark"].config) if {"light", "dark"} <= self.themes.keys() else None

    def shown(self, file: ChartFile, drawn: Callable[[ChartFile], bytes]) -> bytes:
        """A drawing of `file`'s maker as a reader gets it, with the subsets of our fonts that all
        drawings of that maker use: one subset a face for a chart's six page drawings (and one
        for its exports), not one for each set of labels a layout shows (each costs 30-60 ms)."""
        if file.maker not in self._characters:
            self._characters[file.maker] = characters_used(drawn(other).decode() for other in self.files if other.maker == file.maker)
        return with_embedded_fonts(drawn(file).decode(), self._characters[file.maker]).encode()

    def export_svg(self, file: ChartFile) -> bytes:
        """The export drawing of the file's layout and theme: its page drawing framed by the
        chart's title, sources and as-of line (exportframe.py)."""
        key = (file.layout, file.theme)
        if key not in self._exports:
            drawing = self.drawing(file.layout, file.theme)
            self._exports[key] = framed_svg(drawing, self.info, self.themes[file.theme], self.site_name, format_date_iso(self.info.as_of))
        return self._exports[key]

    def live_spec(self, file: ChartFile) -> bytes:
        return _spec_json(_with_theme(self.live[file.layout], self.themes[file.theme].config))

    @cached_property
    def table(self) -> ChartTable:
        return chart_table(self.spec.spec)


def _data_csv(sheet: _Sheet, file: ChartFile) -> bytes:
    table = sheet.table
    return rows_to_csv(list(table.rows), list(table.columns))


def _data_json(sheet: _Sheet, file: ChartFile) -> bytes:
    table, info = sheet.table, sheet.info
    return _json_bytes({"title": info.title, "description": info.description, "sources": info.source_line,
                        "as_of": info.as_of, "columns": list(table.columns), "rows": list(table.rows)} | notes_json(sheet.spec.spec))


# Makers by the name a row of chartoutputs.CHART_FILES gives: each makes one file's bytes.
MAKERS: dict[str, Callable[[_Sheet, ChartFile], bytes]] = {
    "svg": lambda sheet, file: sheet.shown(file, sheet.page_svg),
    "svg-export": lambda sheet, file: sheet.shown(file, sheet.export_svg),
    "png": lambda sheet, file: _png(sheet.export_svg(file), 1, sheet.cache, sheet.versions),
    "png@2x": lambda sheet, file: _png(sheet.export_svg(file), 2, sheet.cache, sheet.versions),
    "pdf": lambda sheet, file: _pdf(sheet.export_svg(file), sheet.cache, sheet.versions),
    "spec": _Sheet.live_spec,
    "csv": _data_csv,
    "json": _data_json,
}


def _medium(spec: ChartSpec, measure: Callable, wide_svg: bytes, narrow: dict, wide: dict) -> Optional[dict]:
    """The drawing between the narrow and the wide one, where neither keeps its text 11-16 px."""
    if narrow is wide:
        return None
    width = medium_width(svg_size(wide_svg)[0], measure(narrow)[0], smallest_text(wide_svg))
    return medium_layout(spec.spec, measure, width, spec.narrow_spec) if width else None


def _live_layouts(written: dict, own_narrow: Optional[dict], wide: dict, narrow: dict, medium: Optional[dict],
                  measure: Callable) -> dict[str, dict]:
    """What Vega lays out in the browser, by drawing name: a container-width chart keeps tracking
    its container there (stacked and legends below on a phone); others are the drawn layouts,
    each saying how wide it was drawn (`usermeta.drawnWidth`) so that the page can lay it out
    again at the width of the box it replaces, its text at 1:1."""
    if uses_container_width(written):
        phone = legends_below(stacked(own_narrow or written)) if narrow is not wide else written
        return {"wide": written, "narrow": phone, "medium": written}
    laid = {"wide": wide, "narrow": narrow} | ({"medium": medium} if medium is not None else {})
    return {name: _with_drawn_width(layout, measure) for name, layout in laid.items()}


def _with_drawn_width(layout: dict, measure: Callable) -> dict:
    if not resizable(layout):
        return layout
    return layout | {"usermeta": {**layout.get("usermeta", {}), "drawnWidth": measure(layout)[0]}}


def _spec_json(spec: dict) -> bytes:
    spec = spec | {"$schema": "https://vega.github.io/schema/vega-lite/v6.json"}
    if draws_geoshape(spec):  # a map's inline geometry: one line, not a line per coordinate (1.8 MB instead of 0.5 for counties)
        return (json.dumps(spec, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    return _json_bytes(spec)


@dataclass(frozen=True)
class ChartSizes:
    """The sizes a chart's files are drawn at, for <img>/<source> sizes, snippets and oEmbed."""

    wide: tuple[int, int]
    narrow: tuple[int, int]
    png: tuple[int, int]
    narrow_below: int  # px of viewport at and under which the narrow drawing shows; 0: never
    medium: Optional[tuple[int, int]] = None  # the drawing between them, if the chart has one
    medium_below: int = 0  # px of viewport at and under which the medium drawing shows (above narrow_below)
    widest: int = 0  # px the chart is shown at most: wider, its text would pass MAX_TEXT px; 0: no limit
    phone_png: Optional[tuple[int, int]] = None  # the narrow export image, for newsletters read on phones

    @property
    def has_narrow(self) -> bool:
        return self.narrow_below > 0

    @property
    def has_medium(self) -> bool:
        return self.medium is not None and self.medium_below > 0

    @property
    def newsletter_png(self) -> tuple[int, int]:
        return self.phone_png or self.png

    @property
    def scrolls(self) -> bool:
        """Whether the drawing a phone gets is too wide to show 1:1, so it scrolls sideways
        rather than shrink its text (a facet, or labels too long to narrow)."""
        return (self.narrow if self.has_narrow else self.wide)[0] > NARROW + FIT_SLACK


PAGE_MARGINS = 40  # px a page or embed keeps around its figures, at most


def chart_sizes(files: dict[str, bytes], plan: ChartPlan) -> ChartSizes:
    """Read back the drawn sizes. Each drawing gives way to the next smaller one where showing it
    would scale its smallest text under MIN_TEXT px (the medium one, if any, takes over from the
    wide one, and the narrow one from it); the widest drawing is not stretched past MAX_TEXT px."""
    def drawn(role: str, layout: str, maker: str = "") -> Optional[bytes]:
        planned = [f for f in plan if f.role == role and f.layout == layout and f.theme == "light" and (not maker or f.maker == maker)]
        return files.get(plan.find(role, layout, "light", maker).path) if planned else None  # a step's view has no export images

    wide_svg, narrow_svg, medium_svg = drawn("page", "wide"), drawn("page", "narrow"), drawn("page", "medium")
    wide, narrow = svg_size(wide_svg), svg_size(narrow_svg)
    widest = math.floor(wide[0] * MAX_TEXT / smallest_text(wide_svg))
    phone, png = drawn("export", "narrow", "png"), drawn("export", "wide", "png")
    sizes = ChartSizes(wide, narrow, png_size(png) if png else wide, 0, widest=widest, phone_png=png_size(phone) if phone else None)
    if narrow_svg == wide_svg:
        return sizes
    wide_from = _shown_from(wide, wide_svg)
    if medium_svg is None:
        return replace(sizes, narrow_below=wide_from)
    return replace(sizes, narrow_below=_shown_from(svg_size(medium_svg), medium_svg), medium=svg_size(medium_svg), medium_below=wide_from)


def _shown_from(size: tuple[int, int], svg: bytes) -> int:
    """The narrowest viewport at which the drawing, fitted to the page, keeps its text at MIN_TEXT px."""
    return math.ceil(size[0] * MIN_TEXT / smallest_text(svg)) + PAGE_MARGINS


def svg_size(svg: bytes) -> tuple[int, int]:
    """The width and height an SVG declares, so images reserve their space."""
    head = svg[:400].decode(errors="replace")
    width = re.search(r'width="([\d.]+)', head)
    height = re.search(r'height="([\d.]+)', head)
    return (round(float(width.group(1))) if width else 600, round(float(height.group(1))) if height else 400)


def smallest_text(svg: bytes) -> float:
    """The smallest font size an SVG drawing uses, in its own px (12 if it sets none)."""
    sizes = [float(size) for size in re.findall(rb'font-size="([\d.]+)(?:px)?"', svg)]
    return min(sizes, default=12.0)


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header chunk."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _svg(spec: dict, cache: Cache, versions: str) -> bytes:
    finish = rounded_paths if draws_geoshape(spec) else str  # a map's thousands of paths, to a tenth of a pixel
    return _cached(cache, "svg", spec, versions, lambda vlc: finish(numbered_from_one(vlc.vegalite_to_svg(spec))).encode())


_VEGA_ID = re.compile(r'(id="|url\(#)(p_)?(clip|gradient_)(\d+)')  # p_: a gradient's pattern


def numbered_from_one(svg: str) -> str:
    """The SVG with Vega's clip and gradient ids renumbered from 1 in order of use.

    Vega numbers them with a counter that lives as long as vl-convert's JavaScript runtime,
    so the same chart drawn after a different number of other drawings (a warm cache, a
    parallel worker) would otherwise get other ids and other bytes.
    """
    used: dict[str, int] = {}  # kind -> ids of that kind renumbered so far
    numbers: dict[tuple[str, str], int] = {}

    def renumbered(match: re.Match) -> str:
        lead, pattern, kind, number = match.groups()
        if (kind, number) not in numbers:
            used[kind] = used.get(kind, 0) + 1
            numbers[kind, number] = used[kind]
        return f"{lead}{pattern or ''}{kind}{numbers[kind, number]}"

    return _VEGA_ID.sub(renumbered, svg)


def _scene(spec: dict, cache: Cache, versions: str) -> dict:
    """The laid-out scenegraph of a spec (px of every mark and text), for placing annotations."""
    return json.loads(_cached(cache, "scene", spec, versions, lambda vlc: json.dumps(vlc.vegalite_to_scenegraph(spec), sort_keys=True).encode()))


def _png(svg: bytes, scale: int, cache: Cache, versions: str) -> bytes:
    """The PNG rasterised from the chart's SVG, without running Vega again, its text drawn as
    glyph outlines (textpaths.py): 20 ms instead of 52 for a two-panel bar chart."""
    text = svg.decode()
    return _cached(cache, f"png{scale}", text, versions, lambda vlc: vlc.svg_to_png(outlined(text), scale=scale))


def _pdf(svg: bytes, cache: Cache, versions: str) -> bytes:
    """A vector PDF of the chart's SVG for print, its text in the fonts the images use (embedded
    subsets), its bytes made stable (vl-convert's object order changes from run to run)."""
    text = svg.decode()
    return _cached(cache, "pdf", text, versions, lambda vlc: stable_pdf(vlc.svg_to_pdf(text)))


def _cached(cache: Cache, kind: str, source: dict | str, versions: str, make: Callable) -> bytes:
    """What `make` draws from `source` (a spec or an SVG), cached by both and the tool versions."""
    key = hashlib.sha256(f"{kind}\0{versions}\0".encode() + json.dumps(source, sort_keys=True).encode()).hexdigest()

    def render() -> bytes:
        engine = drawing_engine()  # only on a cache miss, and only in a worker process
        restart_clock()  # the time limit is for each image, not for a chart's twenty-odd
        return make(engine)

    return cache.bytes_or_make("chart-images", key, render)


def _with_theme(spec: dict, config: dict) -> dict:
    merged = dict(spec)
    merged["config"] = _deep_merge(config, spec.get("config", {}))
    return merged


def format_date_iso(value: str) -> str:
    import datetime as dt

    return format_date(dt.date.fromisoformat(value))


def rows_to_csv(rows: list[dict], columns: Optional[list[str]] = None) -> bytes:
    """Plain RFC 4180 CSV: a header row, then the rows, CRLF line ends; cells cannot become
    formulas. The title, sources and date go to data.json and the page, not into the file,
    so that every spreadsheet tool reads the first row as the header."""
    columns = list(columns if columns is not None else dict.fromkeys(key for row in rows for key in row))
    return csv_bytes(columns, [[_csv_value(row.get(c)) for c in columns] for row in rows])


def _csv_value(value: Any) -> Any:
    """A cell as text a spreadsheet reads back as the same value (nested values as JSON)."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    return value


def csv_bytes(columns: list[str], rows: list[list[Any]]) -> bytes:
    """RFC 4180 CSV (CRLF, quotes where needed) with formula-like cells neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([_safe_cell(c) for c in columns])
    writer.writerows([_safe_cell(cell) for cell in row] for row in rows)
    return out.getvalue().encode()


def _safe_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return text  # a negative number is data, not a formula
    return "'" + text if text.startswith(SPREADSHEET_TRIGGERS) else text


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()


def _deep_merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        merged[key] = _deep_merge(merged[key], value) if isinstance(value, dict) and isinstance(merged.get(key), dict) else value
    return merged
