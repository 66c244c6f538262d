"""Maps for chart functions: a choropleth of a collection's values by region, and a locator
map of records that have a `GeoPoint`, on a shipped basemap or a site's own geometry file.

    from generator import basemap, chart, choropleth

    @chart("loans-map", title=..., description=..., sources=[...])
    def loans_map(data):
        return choropleth(basemap("us-states"), data.loans, key="state", value="loans", missing="No loans")

Each builder returns a Vega-Lite spec (a `MapChart`, which the build treats like an Altair
chart): geometry cut to the map's extent, simplified and quantized for its width (geo.py)
and inlined, so the map draws with no request to another host; shapes.py reads the shapes,
mapframe.py fits the map to its extent. The rows it joins are its data table. Mistakes are
located: a record whose key names no region at the record's line in its data file,
everything else at the builder's call in the chart file.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Optional, Union

from .errors import BuildFailed, Problem, did_you_mean
from .figures import format_field
from .geo import Box, overlaps
from .mapframe import WIDTH, Extent, clipped_geometries, clipped_regions, extent_boxes, geometry_data, map_layout, names_regions, points_box, \
    regions_by_key
from .shapes import Shapes, at_call, basemap, site_shapes  # noqa: F401 - basemap, site_shapes: what chart files import with the builders

MAP_GREY = "#8a94a3"  # reads on the light and the dark page alike
MISSING_OPACITY = 0.45  # regions without data: paler than any value, on either page


@dataclass(frozen=True)
class MapChart:
    """A map's Vega-Lite spec; the build reads it with `to_dict()`, as it reads an Altair chart."""

    spec: dict

    def to_dict(self) -> dict:
        return copy.deepcopy(self.spec)

    def properties(self, **values: Any) -> "MapChart":
        """The map with top-level properties set (`description=...`), as in Altair."""
        return MapChart(self.spec | values)


def choropleth(shapes: Shapes, records: Any, *, key: str, value: str, feature_key: str = "name", projection: Optional[str] = None,
               extent: Extent = None, missing: Optional[str] = None, title: Optional[str] = None, scheme: str = "blues",
               width: int = WIDTH, description: Optional[str] = None) -> MapChart:
    """Regions shaded by each record's `value`, joined on the record's `key` field equal to the
    region's `feature_key` ("name", "id" or another property). Every region drawn needs a
    record unless `missing` says what to show for it (drawn grey, in the legend and table)."""
    regions = regions_by_key(shapes, feature_key)
    drawn = clipped_regions(shapes, regions, projection or shapes.projection, extent)
    collection, records = records, list(records)
    _check_fields(records, (key, value))
    matched = _matched(shapes, collection, records, key, value, regions, drawn)
    absent = [name for name in drawn if name not in matched]
    if absent and missing is None:
        shown = ", ".join(_region_name(drawn[k], k) for k in sorted(absent, key=lambda k: _region_name(drawn[k], k)))
        raise at_call(f"no record for {len(absent)} {shapes.plural if len(absent) > 1 else shapes.singular} of {shapes.name}: {shown} "
                       f"(add records, or say how to show them, e.g. missing=\"No data\")")
    rows = _choropleth_rows(drawn, matched, records, key, value, feature_key, missing)
    layout = map_layout(shapes, drawn.values(), projection, extent, width)
    spec = layout | _choropleth_layers(shapes, drawn, key, value, feature_key, title or _label(value), scheme, missing, rows)
    spec["description"] = description or _choropleth_description(shapes, rows, records, key, value, feature_key, missing, title)
    return MapChart(spec)


def locator(shapes: Shapes, records: Any, *, point: str = "location", label: str = "name", projection: Optional[str] = None,
            extent: Extent = "points", width: int = WIDTH, description: Optional[str] = None,
            color: Optional[Grouping] = None, colors: Optional[dict[str, str]] = None, columns: Iterable[str] = ()) -> MapChart:
    """A dot at each record's `point` (a GeoPoint field) on the shapes, each place's `label` a
    note the annotation layer places so that no two collide. `extent`: "points" (the places,
    with a margin), None (all the shapes), a (west, south, east, north) box in degrees, or a
    list of region names to fit the map to. `color`: (title, field name or function of a
    record) that groups the dots by colour, `colors` the colour of each group; `columns`: more
    fields of the records for the data table and the tooltip."""
    collection, records = records, list(records)
    _check_fields(records, (point, label, *columns, *([color[1]] if color and isinstance(color[1], str) else [])))
    places = [_place(collection, record, point, label) for record in records]
    box = points_box(places) if extent == "points" else extent
    regions = regions_by_key(shapes, "name") if names_regions(extent) else {}  # only an extent of region names needs them (county names repeat)
    if box is not None and extent != "points":
        _check_inside(collection, records, places, point, extent_boxes(shapes, projection or shapes.projection, box, regions))
    drawn_geometries = clipped_geometries(shapes, projection or shapes.projection, box, regions)
    layout = map_layout(shapes, drawn_geometries, projection, box, width, regions)
    rows = [{label: name} | _place_columns(record, color, columns) | {"latitude": lat, "longitude": lon}
            for record, (name, lat, lon) in zip(records, places)]
    shown = [label, *([color[0]] if color else []), *columns]
    dots = {"detail": {"field": label, "type": "nominal"},
            "latitude": {"field": "latitude", "type": "quantitative"},
            "longitude": {"field": "longitude", "type": "quantitative"},
            "tooltip": [{"field": name, "type": "nominal", "title": _label(name)} for name in shown]}
    if color:
        dots["color"] = _group_colors(color[0], rows, colors)
    spec = layout | {
        "layer": [
            {"data": geometry_data(shapes, drawn_geometries, ()), "mark": _land_mark(len(drawn_geometries))},
            {"data": {"values": rows}, "mark": {"type": "circle", "size": 48, "opacity": 1, "stroke": "#ffffff", "strokeWidth": 1},
             "encoding": dots},
        ],
    }
    notes = [{"note": name, "longitude": lon, "latitude": lat, "style": "label"} for name, lat, lon in places]
    spec["usermeta"]["explainer"]["annotations"] = notes
    spec["description"] = description or _locator_description(shapes, places, [row[color[0]] for row in rows] if color else [])
    return MapChart(spec)


Grouping = tuple[str, Union[str, Callable[[Any], Any]]]  # (title, field name or function of a record)


def _place_columns(record: Any, color: Optional[Grouping], columns: Iterable[str]) -> dict:
    """A place's row beyond its label: its group (under the group's title) and the extra columns."""
    row = {}
    if color:
        title, by = color
        row[title] = str(by(record) if callable(by) else getattr(record, by))
    return row | {name: _shown_field(record, name) for name in columns}


def _shown_field(record: Any, name: str) -> str:
    value = getattr(record, name)
    return value if isinstance(value, str) else format_field(record, name)


def _group_colors(title: str, rows: list[dict], colors: Optional[dict[str, str]]) -> dict:
    """A nominal colour by group, in order of first appearance; `colors` fixes a group's colour
    (a group it does not name is an error: a place in the default palette would look unplanned)."""
    groups = list(dict.fromkeys(row[title] for row in rows))
    encoding = {"field": title, "type": "nominal", "title": None, "legend": {"orient": "top", "direction": "horizontal"}}
    if colors is None:
        return encoding
    unknown = [group for group in groups if group not in colors]
    if unknown:
        raise at_call(f"colors has no colour for {', '.join(repr(group) for group in unknown)}{did_you_mean(unknown[0], colors)}")
    return encoding | {"scale": {"domain": groups, "range": [colors[group] for group in groups]}}


def _check_fields(records: list, names: Iterable[str]) -> None:
    if not records:
        raise at_call("the records to map are empty")
    fields = type(records[0]).model_fields if hasattr(type(records[0]), "model_fields") else {}
    for name in names:
        if not hasattr(records[0], name):
            raise at_call(f"the records have no field '{name}'{did_you_mean(name, fields)}")


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
    geometry = geometry_data(shapes, drawn.values(), (feature_key, "name"))
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
    return {"type": "geoshape", "fill": MAP_GREY, "fillOpacity": 0.25, "stroke": MAP_GREY, "strokeWidth": 0.25 if count > 500 else 0.6, "clip": True,
            "aria": False}  # the land under the places: drawing, not content (the places and the table say what the map shows)


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


def _locator_description(shapes: Shapes, places: list[tuple[str, float, float]], groups: list[str]) -> str:
    """What the map shows: how many places, and their names (by colour group when there are
    groups). Where each one is, is the data table's (its latitude and longitude)."""
    count = len(places)
    text = f"Map of the {shapes.plural} with {count} place{'s' if count > 1 else ''} marked"
    names = [name for name, _, _ in places]
    if not groups:
        return f"{text}: {_listed(names)}."
    by_group = {group: [name for name, member in zip(names, groups) if member == group] for group in dict.fromkeys(groups)}
    return text + ": " + "; ".join(f"{len(members)} {group} ({_listed(members)})" for group, members in by_group.items()) + "."


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
