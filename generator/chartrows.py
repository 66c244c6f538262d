"""The rows a chart draws, for its data table, data.csv and data.json.

A Vega-Lite spec can hold data in many places: top-level `datasets` named by
`data.name`, `data.values` (records, primitives or CSV text) on any view, and
views that inherit their parent's data (layers, concatenations, facets). Each
source a view draws from is exported once, with the fields that view's
encodings and transforms use (what the tooltip shows included), typed: a number
read from CSV text is a number again. A source the build cannot read (a URL left
in the spec, a dataset fed in at run time) is reported, so the build can warn at
the chart's line instead of publishing an empty file.
"""

from __future__ import annotations

import csv
import io
import json
import re
from dataclasses import dataclass
from typing import Any, Iterator, Optional

from .errors import Problem

# Children that draw with their parent's data unless they name their own.
CHILD_KEYS = ("layer", "hconcat", "vconcat", "concat")
GEO_FORMATS = ("topojson", "geojson")
NUMBER = re.compile(r"-?((0|[1-9]\d*)(\.\d+)?|\.\d+)([eE][+-]?\d+)?")  # "007" stays text: a code, not a number; ".097" is one


@dataclass(frozen=True)
class ChartTable:
    """What a chart draws, ready to export: columns in order, typed rows, unreadable sources."""

    columns: tuple[str, ...]
    rows: tuple[dict, ...]
    unreadable: tuple[str, ...]  # why some drawn data could not be read, one reason each


@dataclass
class _Source:
    """One data source and what the views drawing from it use."""

    rows: Optional[list[dict]]  # None: cannot be read at build time
    why: str  # what it is, for a warning when unreadable
    fields: dict  # field name -> its column rank (see _encoded_fields)
    strings: set  # every string a view's transforms mention, to find the fields they read
    numbers: set = None  # fields drawn as quantities or parsed as numbers: their text is typed
    lookups: list = None  # the `lookup` transforms views apply to it (a map joining values to regions)

    def __post_init__(self) -> None:
        self.numbers = set() if self.numbers is None else self.numbers
        self.lookups = [] if self.lookups is None else self.lookups


def chart_table(spec: dict) -> ChartTable:
    """The rows the chart draws: each source once, restricted to the fields its views use."""
    sources: dict[str, _Source] = {}
    for data, view in _views(spec, None):
        key, source = _source(spec, data)
        if source is None:
            continue
        found = sources.setdefault(key, source)
        for rank, field in _encoded_fields(view):
            found.fields[field] = min(rank, found.fields.get(field, rank))
        found.numbers.update(_number_fields(view, data))
        found.strings.update(_strings(view.get("transform", [])))
        for lookup in _lookups(view):
            if lookup not in found.lookups:
                found.lookups.append(lookup)
                found.fields[lookup["lookup"]] = (0, -1)  # the key a row is joined on says what the row is
    columns: dict = {}
    rows: list[dict] = []
    unreadable = []
    # The chart's main data first (the source with the most rows), annotations after it.
    for source in sorted(sources.values(), key=lambda s: -len(s.rows or ())):
        if source.rows is None:
            if source.fields:
                unreadable.append(source.why)
            continue
        source.rows = _looked_up(source.rows, source.lookups)
        used = _used_columns(source)
        if not used:  # drawn without fields: a basemap, a rule placed by a datum
            continue
        columns.update(dict.fromkeys(used))
        rows += [{name: _cell(row, name, source.numbers) for name in used if _has(row, name)} for row in source.rows]
    if not rows and not unreadable and any(source.fields for source in sources.values()):
        unreadable.append("its data has no rows")
    return ChartTable(tuple(columns), tuple(rows), tuple(unreadable))


def unexported_rows(charts: dict) -> list[Problem]:
    """Warnings, at each chart's line, for drawn data that its downloads cannot hold."""
    return [Problem(spec.shown, spec.line, 0, f"chart '{chart_id}': its data table, data.csv and data.json leave out rows it draws: {why}", "warning")
            for chart_id, spec in charts.items() for why in chart_table(spec.spec).unreadable]


def chart_rows(spec: dict) -> list[dict]:
    """The exported rows as dictionaries (see chart_table)."""
    return list(chart_table(spec).rows)


def _views(spec: dict, inherited: Any) -> Iterator[tuple[Any, dict]]:
    """(data, view) for every view that draws marks, with the data it draws from."""
    data = spec.get("data", inherited)
    if "mark" in spec:
        yield data, spec
    inner = spec.get("spec")
    if isinstance(inner, dict):  # facet and repeat: the inner spec draws, the facet fields count too
        outer = {key: value for key, value in spec.items() if key in ("facet", "repeat", "transform", "encoding")}
        yield from ((d, _merged_view(v, outer)) for d, v in _views(inner, data))
    for key in CHILD_KEYS:
        for child in spec.get(key) or ():
            if isinstance(child, dict):
                if "mark" not in spec and "encoding" in spec and key == "layer":  # a layer's shared encoding
                    child = _merged_view(child, {"encoding": spec["encoding"]})
                yield from _views(child, data)


def _merged_view(view: dict, outer: dict) -> dict:
    """The view with what its facet, repeat or layer parent adds (fields, transforms) folded in."""
    merged = dict(view)
    merged["encoding"] = {**outer.get("encoding", {}), **view.get("encoding", {})}
    merged["transform"] = list(outer.get("transform", [])) + list(view.get("transform", []))
    for key in ("facet", "repeat"):
        if key in outer:
            merged[f"_{key}"] = outer[key]
    return merged


def _source(spec: dict, data: Any) -> tuple[str, Optional[_Source]]:
    """A key naming the source (so layers on one dataset share it) and the source; None for
    data that is drawn but is not data (a sphere, a graticule) or none at all."""
    if not isinstance(data, dict):
        return "", None
    if "sphere" in data or "graticule" in data:
        return "", None
    if "name" in data and "values" not in data:
        values = spec.get("datasets", {}).get(data["name"])
        if values is None:
            return f"name:{data['name']}", _Source(None, f"dataset '{data['name']}' has no values in the spec", {}, set())
        return f"name:{data['name']}", _Source(_records(values, data.get("format", {})), "", {}, set())
    if "values" in data:
        return _content_key(data), _Source(_records(data["values"], data.get("format", {})), "", {}, set())
    if "sequence" in data:
        return _content_key(data), _Source(_sequence(data["sequence"]), "", {}, set())
    if "url" in data:
        return f"url:{data['url']}", _Source(None, f"data.url '{data['url']}' is not read at build time", {}, set())
    return _content_key(data), _Source(None, "data of a kind the build cannot read", {}, set())


def _content_key(data: dict) -> str:
    """Inline data keyed by what it holds: layers given equal rows (Altair copies them into
    each layer) are one source, exported once."""
    return json.dumps(data, sort_keys=True, default=str)


def _records(values: Any, fmt: dict) -> list[dict]:
    """Rows of inline values, as Vega reads them: CSV/TSV text parsed (numbers typed), JSON text
    parsed, `format.property` followed, a primitive `v` as {"data": v}, one object as one row,
    GeoJSON/TopoJSON features as their properties."""
    kind = fmt.get("type") if isinstance(fmt, dict) else None
    if isinstance(values, str):
        if kind in ("csv", "tsv", "dsv"):
            delimiter = {"csv": ",", "tsv": "\t"}.get(kind) or fmt.get("delimiter") or ","
            return list(csv.DictReader(io.StringIO(values), delimiter=delimiter))
        try:
            values = json.loads(values)
        except ValueError:
            return []
    if kind in GEO_FORMATS or _is_geojson(values):
        return _features(values, fmt)
    if isinstance(fmt, dict) and isinstance(fmt.get("property"), str):
        values = _path(values, fmt["property"])
        if _is_geojson(values) or (isinstance(values, list) and values and all(_is_geojson(v) for v in values)):
            return _features({"type": "FeatureCollection", "features": values} if isinstance(values, list) else values, fmt)
    if values is _MISSING or values is None:
        return []
    items = values if isinstance(values, list) else [values]
    return [dict(v) if isinstance(v, dict) else {"data": v} for v in items]


def _lookups(view: dict) -> list[dict]:
    """A view's `lookup` transforms that copy fields from inline data (not whole objects, such
    as a region's geometry joined `as` one field)."""
    found = []
    for step in view.get("transform", []):
        source = step.get("from") if isinstance(step, dict) and isinstance(step.get("lookup"), str) else None
        if isinstance(source, dict) and isinstance(source.get("fields"), list) and isinstance(source.get("data"), dict) and "values" in source["data"]:
            found.append(step)
    return found


def _looked_up(rows: list[dict], lookups: list[dict]) -> list[dict]:
    """Rows with the fields each lookup copies in, as Vega joins them: keys compared as text
    (so 1001 finds "1001"), the last row of a key wins, a row that finds none gets `default`."""
    for step in lookups:
        source = step["from"]
        index = {_key_text(_path(row, source.get("key", ""))): row for row in _records(source["data"]["values"], source["data"].get("format", {}))}
        names = step.get("as") or source["fields"]
        names = [names] if isinstance(names, str) else names
        out = []
        for row in rows:
            match = index.get(_key_text(_path(row, step["lookup"])))
            copied = {name: (_path(match, field) if match is not None else step.get("default")) for name, field in zip(names, source["fields"])}
            out.append(row | {name: (None if value is _MISSING else value) for name, value in copied.items()})
        rows = out
    return rows


def _key_text(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return value if value is _MISSING else str(value)


def _typed(cell: Optional[str]) -> Any:
    """A CSV cell as the value it writes: numbers as numbers, the rest as text."""
    if cell is None or not NUMBER.fullmatch(cell):
        return cell
    number = float(cell)
    return int(number) if number.is_integer() and not any(c in cell for c in ".eE") else number


def _is_geojson(values: Any) -> bool:
    return isinstance(values, dict) and values.get("type") in ("FeatureCollection", "Topology", "Feature")


def _features(values: Any, fmt: dict) -> list[dict]:
    """Properties (and id) of each feature: what a map's encodings read as `properties.x`."""
    if isinstance(values, dict) and values.get("type") == "Topology":
        objects = values.get("objects", {})
        chosen = objects.get(fmt.get("feature") or fmt.get("mesh") or "", next(iter(objects.values()), {}))
        geometries = chosen.get("geometries", []) if isinstance(chosen, dict) else []
        return [_feature_row(g) for g in geometries if isinstance(g, dict)]
    if isinstance(values, dict) and values.get("type") == "FeatureCollection":
        return [_feature_row(f) for f in values.get("features", []) if isinstance(f, dict)]
    if isinstance(values, dict) and values.get("type") == "Feature":
        return [_feature_row(values)]
    return [_feature_row(v) if isinstance(v, dict) else {"data": v} for v in values] if isinstance(values, list) else []


def _feature_row(feature: dict) -> dict:
    row = {"properties": feature.get("properties") or {}}
    return row | ({"id": feature["id"]} if "id" in feature else {})


def _sequence(sequence: dict) -> list[dict]:
    start, stop, step = sequence.get("start", 0), sequence.get("stop", 0), sequence.get("step", 1) or 1
    name, values, value = sequence.get("as", "data"), [], start
    while (step > 0 and value < stop) or (step < 0 and value > stop):
        values.append({name: value})
        value += step
        if len(values) > 100_000:
            break
    return values


# Channels in the order their fields make sensible columns: what a row is (facets, positions,
# colours), then its measures, then what only labels or the tooltip show.
CHANNELS = ("facet", "row", "column", "y", "x", "latitude", "longitude", "theta", "color", "fill", "stroke", "shape",
            "detail", "y2", "x2", "latitude2", "longitude2", "radius", "size", "opacity", "fillOpacity", "strokeOpacity",
            "strokeWidth", "strokeDash", "angle", "order", "text", "tooltip", "href", "url", "description", "key")


def _encoded_fields(view: dict) -> list[tuple[tuple[int, int], str]]:
    """((group, channel rank), field) for every field the view's encodings (tooltips, facets and
    repeats included) read; group 0 holds fields that say what a row is, 1 its measures, 2 the rest."""
    fields = []
    encoding = view.get("encoding", {})
    facet = view.get("_facet") or {}
    channels = [("facet", d) for d in (facet.values() if "field" not in facet else [facet])]
    channels += [(name, d) for name, value in encoding.items() for d in (value if isinstance(value, list) else [value])]
    for name, definition in channels:
        rank = CHANNELS.index(name) if name in CHANNELS else len(CHANNELS)
        for field in _definition_fields(definition, view):
            measure = isinstance(definition, dict) and definition.get("type") == "quantitative"
            group = 2 if name in ("text", "tooltip", "href", "url", "description", "key", "order") else 1 if measure else 0
            fields.append(((group, rank), field))
    return fields


def _definition_fields(definition: Any, view: dict) -> list[str]:
    if not isinstance(definition, dict):
        return []
    found = []
    field = definition.get("field")
    if isinstance(field, str):
        found.append(field)
    elif isinstance(field, dict) and "repeat" in field:  # every field the repeat lists
        repeat = view.get("_repeat")
        lists = repeat.values() if isinstance(repeat, dict) else [repeat or []]
        found += [f for names in lists for f in (names if isinstance(names, list) else []) if isinstance(f, str)]
    for nested in ("condition",):
        for inner in (definition.get(nested) if isinstance(definition.get(nested), list) else [definition.get(nested)]):
            found += _definition_fields(inner, view)
    return found


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _used_columns(source: _Source) -> list[str]:
    """The source's columns the views use: encoded fields first, by what they say about a row
    (a field named by a nested path such as `properties.name` is its own column), then fields
    only transforms read, in the source's order; helper fields (`_x`) left out. A source
    whose views name none of its columns (every field made by a transform) gives all of them:
    more than drawn, never less."""
    names = list(dict.fromkeys(key for row in source.rows for key in row))
    encoded = sorted((f for f in source.fields if f in names or ("." in f and any(_has(row, f) for row in source.rows))),
                     key=lambda f: source.fields[f])
    mentioned = " ".join(source.strings)
    read = [n for n in names if n not in source.fields and (n in source.strings or _in_expression(n, mentioned))]
    chosen = encoded + read
    if not chosen and source.fields:
        chosen = names
    return [name for name in chosen if not name.startswith("_")]


def _in_expression(name: str, text: str) -> bool:
    """Whether a Vega expression reads the field (`datum.name`, `datum['name']`)."""
    return bool(re.search(rf"datum\s*(\.\s*{re.escape(name)}\b|\[\s*['\"]{re.escape(name)}['\"]\s*\])", text))


def _has(row: dict, name: str) -> bool:
    return name in row or ("." in name and _path(row, name) is not _MISSING)


_MISSING = object()


def _path(value: Any, dotted: str) -> Any:
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


def _cell(row: dict, name: str, numbers: set) -> Any:
    """A row's value of a field; text of a quantity (CSV cells are text) as the number it writes."""
    value = row[name] if name in row else _path(row, name)
    return _typed(value) if name in numbers and isinstance(value, str) else value


def _number_fields(view: dict, data: Any) -> set:
    """Fields the view draws as quantities, or its data's `format.parse` reads as numbers."""
    found = set()
    for channel in view.get("encoding", {}).values():
        for definition in channel if isinstance(channel, list) else [channel]:
            if isinstance(definition, dict) and definition.get("type") == "quantitative":
                found.update(_definition_fields(definition, view))
    parse = (data.get("format") or {}).get("parse") if isinstance(data, dict) and isinstance(data.get("format"), dict) else None
    if isinstance(parse, dict):
        found.update(name for name, kind in parse.items() if kind in ("number", "integer"))
    return found
