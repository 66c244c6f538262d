"""Maps for chart functions: a choropleth of a collection's values by region, and a locator
map of records that have a `GeoPoint`, on a shipped basemap or a site's own geometry file.

    from generator import chart
    from generator.maps import basemap, choropleth

    @chart("loans-map", title=..., description=..., sources=[...])
    def loans_map(data):
        return choropleth(basemap("us-states"), data.loans, key="state", value="loans", missing="No loans")

Each builder returns a Vega-Lite spec (a `MapChart`, which the build treats like an Altair
chart): geometry cut to the map's extent, simplified and quantized for its width
(geo.py) and inlined, so the map draws with no request to another host. The rows it joins
are its data table. Mistakes are located: a record whose key names no region at the
record's line in its data file, everything else at the builder's call in the chart file.
"""

from __future__ import annotations

import copy
import json
import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Optional, Sequence, Union

from .errors import BuildFailed, Problem, did_you_mean
from .figures import format_field
from .geo import (ALBERS_USA_BOXES, LOWER_48, Box, GeoError, Topology, bounds, encoded, geometry_points, overlaps, parse_geometry, read_geometry,
                  tolerance)

BASEMAP_DIR = Path(__file__).parent / "basemaps"
WIDTH = 640  # px: a map's wide drawing (narrower layouts keep its shape)
MAP_GREY = "#8a94a3"  # reads on the light and the dark page alike
ALBERS_USA_ASPECT = 0.59  # height over width of the 50 states as albersUsa lays them out (Alaska and Hawaii below)
MISSING_OPACITY = 0.45  # regions without data: paler than any value, on either page
Extent = Union[None, str, Box, Sequence[str]]


@dataclass(frozen=True)
class Basemap:
    """A row of the shipped basemaps (see basemaps/README.md for where each came from)."""

    file: str
    feature: str
    singular: str
    plural: str
    projection: str


BASEMAPS = {
    "us-counties": Basemap("counties-10m.json", "counties", "county", "counties", "albersUsa"),
    "us-states": Basemap("states-10m.json", "states", "state", "states", "albersUsa"),
    "world-countries": Basemap("countries-110m.json", "countries", "country", "countries", "equalEarth"),
    "world-countries-50m": Basemap("countries-50m.json", "countries", "country", "countries", "equalEarth"),
}


@dataclass(frozen=True)
class Shapes:
    """Regions to draw: a decoded topology, the object drawn, and how messages name them."""

    name: str  # "basemap 'us-states'" or the site file, e.g. "site_src/data/districts.geojson"
    topology: Topology
    feature: str
    singular: str = "region"
    plural: str = "regions"
    projection: str = "mercator"


@dataclass(frozen=True)
class MapChart:
    """A map's Vega-Lite spec; the build reads it with `to_dict()`, as it reads an Altair chart."""

    spec: dict

    def to_dict(self) -> dict:
        return copy.deepcopy(self.spec)

    def properties(self, **values: Any) -> "MapChart":
        """The map with top-level properties set (`description=...`), as in Altair."""
        return MapChart(self.spec | values)


def basemap(name: str) -> Shapes:
    """A basemap shipped with the generator: us-states, us-counties, world-countries, world-countries-50m."""
    if name not in BASEMAPS:
        raise _at_call(f"unknown basemap '{name}'{did_you_mean(name, BASEMAPS)}; shipped: {', '.join(sorted(BASEMAPS))}")
    row = BASEMAPS[name]
    return Shapes(f"basemap '{name}'", _shipped(row.file), row.feature, row.singular, row.plural, row.projection)


@lru_cache(maxsize=4)
def _shipped(file: str) -> Topology:
    return parse_geometry((BASEMAP_DIR / file).read_text(encoding="utf-8"))


def site_shapes(data: Any, relative: str, feature: Optional[str] = None, singular: str = "region", plural: str = "regions",
                projection: str = "mercator") -> Shapes:
    """A TopoJSON or GeoJSON file of the site (`"data/districts.geojson"`, under site_src/), read
    through `data.file` so that the map is redrawn when the file changes. `feature`: the
    TopoJSON object to draw (the first one if not given; a GeoJSON file has one)."""
    try:
        path = data.file(relative)
    except FileNotFoundError as err:
        raise _at_call(str(err)) from None
    shown = f"{data.reads.src_dir.name}/{relative}"
    try:
        topology = parse_geometry(path.read_text(encoding="utf-8"))
    except (GeoError, UnicodeDecodeError) as err:
        raise BuildFailed([Problem(shown, 1, 1, f"a map's geometry must be TopoJSON or GeoJSON: this file {err}")]) from None
    chosen = feature or next(iter(topology.objects), "")
    if chosen not in topology.objects:
        raise _at_call(f"{shown} has no object '{chosen}'{did_you_mean(chosen, topology.objects)}; it has: {', '.join(topology.objects)}")
    return Shapes(shown, topology, chosen, singular, plural, projection)


def choropleth(shapes: Shapes, records: Any, *, key: str, value: str, feature_key: str = "name", projection: Optional[str] = None,
               extent: Extent = None, missing: Optional[str] = None, title: Optional[str] = None, scheme: str = "blues",
               width: int = WIDTH, description: Optional[str] = None) -> MapChart:
    """Regions shaded by each record's `value`, joined on the record's `key` field equal to the
    region's `feature_key` ("name", "id" or another property). Every region drawn needs a
    record unless `missing` says what to show for it (drawn grey, in the legend and table)."""
    regions = _regions(shapes, feature_key)
    drawn = _clipped(shapes, regions, projection or shapes.projection, extent)
    collection, records = records, list(records)
    _check_fields(records, (key, value))
    matched = _matched(shapes, collection, records, key, value, regions, drawn)
    absent = [name for name in drawn if name not in matched]
    if absent and missing is None:
        shown = ", ".join(_region_name(drawn[k], k) for k in sorted(absent, key=lambda k: _region_name(drawn[k], k)))
        raise _at_call(f"no record for {len(absent)} {shapes.plural if len(absent) > 1 else shapes.singular} of {shapes.name}: {shown} "
                       f"(add records, or say how to show them, e.g. missing=\"No data\")")
    rows = _choropleth_rows(drawn, matched, records, key, value, feature_key, missing)
    layout = _layout(shapes, drawn.values(), projection, extent, width)
    spec = layout | _choropleth_layers(shapes, drawn, key, value, feature_key, title or _label(value), scheme, missing, rows)
    spec["description"] = description or _choropleth_description(shapes, rows, records, key, value, feature_key, missing, title)
    return MapChart(spec)


def locator(shapes: Shapes, records: Any, *, point: str = "location", label: str = "name", projection: Optional[str] = None,
            extent: Extent = "points", width: int = WIDTH, description: Optional[str] = None) -> MapChart:
    """A dot at each record's `point` (a GeoPoint field) on the shapes, each place's `label` a
    note the annotation layer places so that no two collide. `extent`: "points" (the places,
    with a margin), None (all the shapes), a (west, south, east, north) box in degrees, or a
    list of region names to fit the map to."""
    collection, records = records, list(records)
    _check_fields(records, (point, label))
    places = [_place(collection, record, point, label) for record in records]
    box = _points_box(places) if extent == "points" else extent
    regions = _regions(shapes, "name") if _has_names(shapes) else {}
    if box is not None and extent != "points":
        _check_inside(collection, records, places, point, _extent_boxes(shapes, projection or shapes.projection, box, regions))
    drawn_geometries = _clipped_geometries(shapes, projection or shapes.projection, box, regions)
    layout = _layout(shapes, drawn_geometries, projection, box, width, regions)
    rows = [{label: name, "latitude": lat, "longitude": lon} for name, lat, lon in places]
    spec = layout | {
        "layer": [
            {"data": _geometry_data(shapes, drawn_geometries, ()), "mark": _land_mark(len(drawn_geometries))},
            {"data": {"values": rows}, "mark": {"type": "circle", "size": 48, "opacity": 1, "stroke": "#ffffff", "strokeWidth": 1},
             "encoding": {"detail": {"field": label, "type": "nominal"},
                          "latitude": {"field": "latitude", "type": "quantitative"},
                          "longitude": {"field": "longitude", "type": "quantitative"},
                          "tooltip": [{"field": label, "type": "nominal", "title": _label(label)}]}},
        ],
    }
    notes = [{"note": name, "longitude": lon, "latitude": lat, "style": "label"} for name, lat, lon in places]
    spec["usermeta"]["explainer"]["annotations"] = notes
    spec["description"] = description or _locator_description(places)
    return MapChart(spec)


def _at_call(message: str) -> BuildFailed:
    """A problem at the builder's call: the chart loader puts it at the call's line."""
    return BuildFailed([Problem("", 0, 0, message)])


def _has_names(shapes: Shapes) -> bool:
    return any("name" in (g.get("properties") or {}) for g in shapes.topology.geometries(shapes.feature))


def _regions(shapes: Shapes, feature_key: str) -> dict[str, dict]:
    """Region key -> geometry; a key no feature has, or one that several share, is an error."""
    geometries = shapes.topology.geometries(shapes.feature)
    found: dict[str, list[dict]] = {}
    for g in geometries:
        name = g.get("id") if feature_key == "id" else (g.get("properties") or {}).get(feature_key)
        if name is not None:
            found.setdefault(str(name), []).append(g)
    if not found:
        keys = sorted({"id"} & {k for g in geometries for k in g} | {k for g in geometries for k in (g.get("properties") or {})})
        raise _at_call(f"feature key '{feature_key}' is not in {shapes.name}{did_you_mean(feature_key, keys)}; its features have: {', '.join(keys) or 'no keys'}")
    shared = next(((name, len(gs)) for name, gs in found.items() if len(gs) > 1), None)
    if shared:
        raise _at_call(f"feature key '{feature_key}' does not tell the {shapes.plural} of {shapes.name} apart: '{shared[0]}' names {shared[1]} "
                       f"(use feature_key=\"id\")")
    return {name: gs[0] for name, gs in found.items()}


def _extent_boxes(shapes: Shapes, projection: str, extent: Extent, regions: dict[str, dict]) -> Optional[list[Box]]:
    """The boxes a map shows, in degrees; None: everything."""
    if isinstance(extent, (list, tuple)) and extent and all(isinstance(item, str) for item in extent):
        unknown = [name for name in extent if name not in regions]
        if unknown:
            raise _at_call(f"extent names '{unknown[0]}', which is not a {shapes.singular} of {shapes.name}{did_you_mean(unknown[0], regions)}")
        box = bounds(p for name in extent for p in geometry_points(shapes.topology, regions[name]))
        return [box] if box else None
    if extent is not None:
        if not (isinstance(extent, (list, tuple)) and len(extent) == 4 and all(isinstance(v, (int, float)) for v in extent)
                and -180 <= extent[0] < extent[2] <= 180 and -90 <= extent[1] < extent[3] <= 90):
            raise _at_call(f"extent {extent!r} is not a box (west, south, east, north) in degrees, a list of {shapes.singular} names, or \"points\"")
        return [tuple(float(v) for v in extent)]
    return list(ALBERS_USA_BOXES) if projection == "albersUsa" else None


def _clipped_geometries(shapes: Shapes, projection: str, extent: Extent, regions: dict[str, dict]) -> list[dict]:
    boxes = _extent_boxes(shapes, projection, extent, regions)
    geometries = shapes.topology.geometries(shapes.feature)
    if boxes is None:
        return list(geometries)
    if projection == "albersUsa" and extent is not None:
        boxes = [b for b in boxes if overlaps(b, ALBERS_USA_BOXES)]
    if extent is not None:
        boxes = [_widened(b) for b in boxes]  # the view is wider or taller than the extent: keep what shows there
    return [g for g in geometries if overlaps(bounds(geometry_points(shapes.topology, g)), boxes)]


def _widened(box: Box) -> Box:
    west, south, east, north = box
    dx, dy = (east - west) / 2 + 2, (north - south) / 2 + 2
    return (max(-180.0, west - dx), max(-90.0, south - dy), min(180.0, east + dx), min(90.0, north + dy))


def _clipped(shapes: Shapes, regions: dict[str, dict], projection: str, extent: Extent) -> dict[str, dict]:
    """The regions the map shows (those in its extent), by key."""
    kept = {id(g) for g in _clipped_geometries(shapes, projection, extent, regions)}
    return {name: g for name, g in regions.items() if id(g) in kept}


def _check_fields(records: list, names: Iterable[str]) -> None:
    if not records:
        raise _at_call("the records to map are empty")
    fields = type(records[0]).model_fields if hasattr(type(records[0]), "model_fields") else {}
    for name in names:
        if not hasattr(records[0], name):
            raise _at_call(f"the records have no field '{name}'{did_you_mean(name, fields)}")


def _matched(shapes: Shapes, collection: Any, records: list, key: str, value: str, regions: dict, drawn: dict) -> dict[str, Any]:
    """Region key -> its record; a record that names no region (or one outside the map) is an
    error at its key field's line, as is a second record for the same region."""
    problems, matched = [], {}
    for record in records:
        name = str(getattr(record, key))
        path, line, col = _located(collection, record, key)
        if name not in regions:
            hint = did_you_mean(name, regions)
            problems.append(Problem(path, line, col, f"'{record.id}' field '{key}': '{name}' matches no {shapes.singular} of {shapes.name}{hint}"))
        elif name not in drawn:
            problems.append(Problem(path, line, col, f"'{record.id}' field '{key}': '{name}' is outside the map's extent"))
        elif name in matched:
            problems.append(Problem(path, line, col, f"'{record.id}' field '{key}': '{name}' already has a record ('{matched[name].id}')"))
        elif getattr(record, value) is None:
            problems.append(Problem(path, line, col, f"'{record.id}' has no '{value}' to map"))
        else:
            matched[name] = record
    if problems:
        raise BuildFailed(problems)
    return matched


def _located(records: Any, record: Any, field: str) -> tuple[str, int, int]:
    """The data file, line and column of a record's field, when `records` is a collection
    that knows them (else no path: the problem is put at the builder's call)."""
    where = records.where(record.id) if hasattr(records, "where") else None
    return (where.shown, *where.at(field)) if where is not None else ("", 0, 0)


def _region_name(geometry: dict, key: str) -> str:
    return str((geometry.get("properties") or {}).get("name", key))


def _label(field: str) -> str:
    return field.replace("_", " ").capitalize()


def _choropleth_rows(drawn: dict, matched: dict, records: list, key: str, value: str, feature_key: str, missing: Optional[str]) -> list[dict]:
    """One row per region drawn, by name: its key, its name when the key is not it, its value
    (or the `missing` text)."""
    rows = []
    for name, geometry in drawn.items():
        row = {"name": _region_name(geometry, name)} if feature_key != "name" and "name" in (geometry.get("properties") or {}) else {}
        record = matched.get(name)
        rows.append(row | {key: name, value: getattr(record, value) if record is not None else missing})
    return sorted(rows, key=lambda r: (str(r.get("name", r[key])), r[key]))


def _choropleth_layers(shapes: Shapes, drawn: dict, key: str, value: str, feature_key: str, title: str, scheme: str,
                       missing: Optional[str], rows: list[dict]) -> dict:
    lookup_key = "id" if feature_key == "id" else f"properties.{feature_key}"
    geometry = _geometry_data(shapes, drawn.values(), (feature_key, "name"))
    shape = {"shape": {"field": "geo", "type": "geojson"}}
    names = [{"field": "name", "type": "nominal", "title": "Name"}] if rows and "name" in rows[0] else []
    detail = {"detail": names + [{"field": key, "type": "nominal"}]}
    valued = f"isNumber(datum[{_js(value)}])"
    mark = _region_mark(len(drawn))
    layers = [{"transform": [{"filter": valued}], "mark": mark,
               "encoding": shape | detail | {"color": {"field": value, "type": "quantitative", "title": title, "scale": {"scheme": scheme}},
                                             "tooltip": names + [{"field": key, "type": "nominal", "title": _label(key)},
                                                                 {"field": value, "type": "quantitative", "title": title}]}}]
    if missing is not None and any(not isinstance(r[value], (int, float)) for r in rows):
        layers.append({"transform": [{"filter": f"!{valued}"}], "mark": mark | {"fillOpacity": MISSING_OPACITY},
                       "encoding": shape | detail | {"color": {"datum": missing, "type": "nominal", "title": None, "scale": {"range": [MAP_GREY]},
                                                               "legend": {"symbolType": "square", "symbolOpacity": MISSING_OPACITY}},
                                                     "tooltip": names + [{"field": key, "type": "nominal", "title": _label(key)},
                                                                         {"field": value, "type": "nominal", "title": title}]}})
    spec = {"data": {"values": rows}, "transform": [{"lookup": key, "from": {"data": geometry, "key": lookup_key}, "as": "geo"}], "layer": layers}
    return spec | ({"resolve": {"scale": {"color": "independent"}}} if len(layers) > 1 else {})


def _js(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _region_mark(count: int) -> dict:
    return {"type": "geoshape", "stroke": MAP_GREY, "strokeWidth": 0.25 if count > 500 else 0.5, "clip": True}


def _land_mark(count: int) -> dict:
    return {"type": "geoshape", "fill": MAP_GREY, "fillOpacity": 0.25, "stroke": MAP_GREY, "strokeWidth": 0.25 if count > 500 else 0.6, "clip": True}


def _geometry_data(shapes: Shapes, geometries: Iterable[dict], properties: tuple[str, ...], width: int = WIDTH) -> dict:
    geometries = list(geometries)
    box = bounds(p for g in geometries for p in geometry_points(shapes.topology, g)) or (-180.0, -90.0, 180.0, 90.0)
    if shapes.projection == "albersUsa" and box[2] - box[0] > 60:
        box = LOWER_48  # Alaska and Hawaii are drawn smaller beside the lower 48, which set the scale
    topology = encoded(shapes.topology, shapes.feature, geometries, tolerance(box, width), (box[1] + box[3]) / 2, properties)
    return {"values": topology, "format": {"type": "topojson", "feature": shapes.feature}}


def _layout(shapes: Shapes, geometries: Iterable[dict], projection: Optional[str], extent: Extent, width: int,
            regions: Optional[dict] = None) -> dict:
    """Width, height (the extent's shape) and the projection fitted to the extent."""
    kind = projection or shapes.projection
    boxes = _extent_boxes(shapes, kind, extent, regions or {}) if extent is not None else None
    box = boxes[0] if boxes else bounds(p for g in geometries for p in geometry_points(shapes.topology, g))
    aspect = ALBERS_USA_ASPECT if kind == "albersUsa" and boxes is None else _aspect(box or (-180, -90, 180, 90), kind)
    fitted = {"type": kind} | ({"fit": _box_feature(box)} if boxes else {})
    return {"width": width, "height": round(width * aspect), "projection": fitted,
            "usermeta": {"explainer": {"map": {"aspect": round(aspect, 4)}}}}


def _aspect(box: Box, projection: str) -> float:
    """Height over width of the box drawn in the projection, near enough to size the map."""
    west, south, east, north = box
    across = max(east - west, 0.01)
    if projection in ("mercator", "transverseMercator"):
        y = lambda lat: math.log(math.tan(math.pi / 4 + math.radians(max(-85.0, min(85.0, lat))) / 2))  # noqa: E731
        tall = (y(north) - y(south)) / math.radians(across)
    else:
        tall = (north - south) / (across * math.cos(math.radians((north + south) / 2)))
    return max(0.3, min(1.4, tall))


def _box_feature(box: Box) -> dict:
    """The box as points along its edges: what the projection is fitted to (a polygon's
    winding would matter on the sphere; points do not)."""
    west, south, east, north = box
    steps = [i / 8 for i in range(9)]
    edge = [[west + (east - west) * t, south] for t in steps] + [[west + (east - west) * t, north] for t in steps]
    edge += [[west, south + (north - south) * t] for t in steps] + [[east, south + (north - south) * t] for t in steps]
    return {"type": "Feature", "properties": {}, "geometry": {"type": "MultiPoint", "coordinates": edge}}


def _place(collection: Any, record: Any, point: str, label: str) -> tuple[str, float, float]:
    where = getattr(record, point)
    if where is None or not hasattr(where, "lat"):
        path, line, col = _located(collection, record, point)
        raise BuildFailed([Problem(path, line, col, f"'{record.id}' field '{point}' is not a place (a GeoPoint, e.g. {{lat: 28.47, lon: -80.54}})")])
    return str(getattr(record, label)), where.lat, where.lon


def _check_inside(collection: Any, records: list, places: list, point: str, boxes: Optional[list[Box]]) -> None:
    """Every place lies in the extent the author chose: a dot off the map is a mistake in one or the other."""
    problems = []
    for record, (_, lat, lon) in zip(records, places):
        if boxes and not overlaps((lon, lat, lon, lat), boxes):
            problems.append(Problem(*_located(collection, record, point), f"'{record.id}' field '{point}': {lat}, {lon} is outside the map's extent"))
    if problems:
        raise BuildFailed(problems)


def _points_box(places: list[tuple[str, float, float]]) -> Box:
    """The places' box with a margin for their labels: a fifth of its size, at least a degree."""
    west, south, east, north = bounds((lon, lat) for _, lat, lon in places)
    dx, dy = max((east - west) / 5, 1.0), max((north - south) / 5, 1.0)
    return (max(-180.0, west - dx), max(-90.0, south - dy), min(180.0, east + dx), min(90.0, north + dy))


def _choropleth_description(shapes: Shapes, rows: list[dict], records: list, key: str, value: str, feature_key: str,
                            missing: Optional[str], title: Optional[str]) -> str:
    valued = [r for r in rows if isinstance(r[value], (int, float))]
    by_key = {str(getattr(r, key)): r for r in records}
    name = lambda row: row.get("name", row[key])  # noqa: E731
    text = lambda row: format_field(by_key[row[key]], value)  # noqa: E731
    high, low = max(valued, key=lambda r: r[value]), min(valued, key=lambda r: r[value])
    out = f"Map of {len(rows)} {shapes.plural} shaded by {(title or _label(value)).lower()}: highest {name(high)} ({text(high)}), lowest {name(low)} ({text(low)})"
    absent = len(rows) - len(valued)
    return out + (f"; {absent} {shapes.plural if absent > 1 else shapes.singular}: {missing}." if absent else ".")


def _locator_description(places: list[tuple[str, float, float]]) -> str:
    names = [name for name, _, _ in places]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"Map of {len(names)} place{'s' if len(names) > 1 else ''}: {listed}."


GEO_KINDS = ("topojson", "geojson")
CONTAINER_WIDTH = 680  # px a width="container" chart is drawn at (layout.CONTAINER)


@dataclass(frozen=True)
class MapView:
    """What a plain Vega-Lite map is drawn at: its width and projection, for the tolerance."""

    width: int
    projection: str

    @classmethod
    def of(cls, spec: dict) -> "MapView":
        width = spec.get("width") if isinstance(spec.get("width"), (int, float)) else CONTAINER_WIDTH
        projection = spec.get("projection", {}).get("type", "") if isinstance(spec.get("projection"), dict) else ""
        return cls(int(width), str(projection))


def inlined_geometry(text: str, data: dict, kind: str, shown: str, view: MapView) -> Optional[dict]:
    """A `.vl.json`'s local geometry file as inline TopoJSON simplified for the drawing, or
    None when the file is not meant as geometry (plain JSON rows). Raises a problem at the
    geometry file when it is not TopoJSON or GeoJSON, or has not the object drawn."""
    fmt = data.get("format") if isinstance(data.get("format"), dict) else {}
    try:
        if kind == "json":
            document = json.loads(text)
            if not (isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Topology")):
                return None
            topology = read_geometry(document)
        else:
            topology = parse_geometry(text)
    except (GeoError, ValueError) as err:
        raise BuildFailed([Problem(shown, 1, 1, f"a map's geometry must be TopoJSON or GeoJSON: this file {err}")]) from None
    name = fmt.get("feature") or fmt.get("mesh") if kind == "topojson" else "features"
    if kind == "topojson" and name not in topology.objects:
        raise BuildFailed([Problem(shown, 1, 1, f"no object '{name}' in this TopoJSON file{did_you_mean(str(name), topology.objects)}; "
                                                f"it has: {', '.join(topology.objects)}")])
    geometries = topology.geometries(name)
    box = bounds(p for g in geometries for p in geometry_points(topology, g)) or (-180.0, -90.0, 180.0, 90.0)
    if view.projection == "albersUsa":
        box = LOWER_48
    values = encoded(topology, name, geometries, tolerance(box, view.width), (box[1] + box[3]) / 2)
    rest = {key: value for key, value in fmt.items() if key not in ("type", "property", "feature", "mesh")}
    kept = {key: value for key, value in data.items() if key not in ("url", "format", "values")}
    return kept | {"values": values, "format": rest | {"type": "topojson", ("mesh" if fmt.get("mesh") and kind == "topojson" else "feature"): name}}
