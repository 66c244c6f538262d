"""Every file a chart travels with: page images, export images, data, spec, oEmbed.

Images come from vl-convert, cached by the hash of the spec, theme and tool
versions. Export images carry the title, source line and as-of date drawn in,
so a screenshot or a newsletter keeps the provenance.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from typing import Any, Callable

from .cache import Cache
from .charts import ChartSpec
from .data import Data
from .errors import BuildFailed, Problem
from .figures import format_date
from .themes import THEMES, themes_key

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


def chart_folder(chart_id: str) -> str:
    return f"embed/{chart_id}/"


def render_chart_files(spec: ChartSpec, info: ChartProvenance, cache: Cache, versions: str, site_name: str, themes: dict = THEMES) -> dict[str, bytes]:
    """Output files of one chart, keyed by path relative to the site root.

    The set is cached under one key for the chart (its spec digest, provenance, tool versions,
    site name and this code), so a warm build reads one folder and the output writer can
    hard-link its images instead of writing them: about 1 ms a chart instead of 7.
    """
    folder = chart_folder(spec.chart_id)
    key = hashlib.sha256(f"{spec.digest}\0{info}\0{versions}\0{site_name}\0{themes_key(themes)}".encode()).hexdigest()
    stored = cache.get_files("chart-files", key)
    if stored is None:
        made = _drawn_chart_files(spec, info, cache, versions, site_name, themes)
        cache.put_files("chart-files", key, {path.removeprefix(folder): content for path, content in made.items()})
        stored = cache.get_files("chart-files", key)  # read back, so even this build links them
        if stored is None:  # no cache (or it cannot be written)
            return made
    return {folder + name: content for name, content in sorted(stored.items())}


def _drawn_chart_files(spec: ChartSpec, info: ChartProvenance, cache: Cache, versions: str, site_name: str, themes: dict) -> dict[str, bytes]:
    try:
        return _chart_files(spec, info, cache, versions, site_name, themes)
    except ValueError as err:  # vl-convert reports specs Vega cannot draw as ValueError
        reason = next((line.removeprefix("Error: ") for line in str(err).splitlines() if line.startswith("Error:")), str(err))
        raise BuildFailed([Problem(spec.shown, spec.line, 0, f"chart '{spec.chart_id}' could not be drawn: {reason}")]) from None


def _chart_files(spec: ChartSpec, info: ChartProvenance, cache: Cache, versions: str, site_name: str, themes: dict) -> dict[str, bytes]:
    folder = chart_folder(spec.chart_id)
    files: dict[str, bytes] = {}
    for theme in themes.values():
        page_spec = _with_theme(spec.spec, theme.config)
        export_spec = _with_provenance(page_spec, info, theme, site_name)
        files[f"{folder}inline{theme.suffix}.svg"] = _svg(page_spec, cache, versions)
        files[f"{folder}chart{theme.suffix}.svg"] = _svg(export_spec, cache, versions)
        files[f"{folder}chart{theme.suffix}.png"] = _png(export_spec, 1, cache, versions)
        files[f"{folder}chart{theme.suffix}@2x.png"] = _png(export_spec, 2, cache, versions)
    rows = chart_rows(spec.spec)
    files[f"{folder}data.csv"] = rows_to_csv(rows, info)
    files[f"{folder}data.json"] = _json_bytes({"title": info.title, "sources": info.source_line, "as_of": info.as_of, "rows": rows})
    files[f"{folder}chart.vl.json"] = _json_bytes(_with_theme(spec.spec, themes["light"].config) | {"$schema": "https://vega.github.io/schema/vega-lite/v6.json"})
    return files


def _svg(spec: dict, cache: Cache, versions: str) -> bytes:
    return _cached(cache, "svg", spec, versions, lambda vlc: vlc.vegalite_to_svg(spec).encode())


def _png(spec: dict, scale: int, cache: Cache, versions: str) -> bytes:
    return _cached(cache, f"png{scale}", spec, versions, lambda vlc: vlc.vegalite_to_png(spec, scale=scale))


def _cached(cache: Cache, kind: str, spec: dict, versions: str, make: Callable) -> bytes:
    key = hashlib.sha256(f"{kind}\0{versions}\0".encode() + json.dumps(spec, sort_keys=True).encode()).hexdigest()

    def render() -> bytes:
        import vl_convert  # imported only on a cache miss: it is the slow step

        return make(vl_convert)

    return cache.bytes_or_make("chart-images", key, render)


def _with_theme(spec: dict, config: dict) -> dict:
    merged = dict(spec)
    merged["config"] = _deep_merge(config, spec.get("config", {}))
    return merged


def _with_provenance(spec: dict, info: ChartProvenance, theme: Any, site_name: str) -> dict:
    """Title on top, source and as-of line below: drawn into the exported image."""
    out = dict(spec)
    out["title"] = {
        "text": info.title,
        "subtitle": [f"{info.source_line}", f"Data as of {format_date_iso(info.as_of)} · {site_name}"],
        "subtitleColor": theme.muted,
        "anchor": "start",
        "orient": "top",
        "offset": 12,
    }
    out["padding"] = {"left": 16, "right": 16, "top": 16, "bottom": 16}
    return out


def format_date_iso(value: str) -> str:
    import datetime as dt

    return format_date(dt.date.fromisoformat(value))


def chart_rows(spec: dict) -> list[dict]:
    """The rows the chart draws: its inline datasets and top-level inline data."""
    rows: list[dict] = []
    for name in sorted(spec.get("datasets", {})):
        rows += [dict(r) for r in spec["datasets"][name]]
    data = spec.get("data") if isinstance(spec.get("data"), dict) else {}
    inline = data.get("values")
    if isinstance(inline, str) and data.get("format", {}).get("type") in ("csv", "tsv"):
        delimiter = "," if data["format"]["type"] == "csv" else "\t"
        rows += list(csv.DictReader(io.StringIO(inline), delimiter=delimiter))
    elif isinstance(inline, list):
        rows += [dict(r) if isinstance(r, dict) else {"value": r} for r in inline]
    return rows


def rows_to_csv(rows: list[dict], info: ChartProvenance) -> bytes:
    """CSV with a commented provenance header; cells cannot become formulas."""
    out = io.StringIO()
    for line in (info.title, info.source_line, f"Data as of {info.as_of}"):
        out.write(f"# {_one_line(line)}\n")
    columns = list(dict.fromkeys(key for row in rows for key in row))
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([_safe_cell(c) for c in columns])
    for row in rows:
        writer.writerow([_safe_cell(row.get(c, "")) for c in columns])
    return out.getvalue().encode()


def _one_line(text: str) -> str:
    """A provenance comment on one line: a line break in a title or an outlet would start a row
    of its own, which a spreadsheet reads as cells (a formula, if it begins with '=')."""
    return _safe_cell(" ".join(text.split()))


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
