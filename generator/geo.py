"""Geometry for maps: TopoJSON and GeoJSON read, cut to a map's extent, simplified and
quantized for the size it is drawn at, and written back as compact TopoJSON.

A county map straight from a TopoJSON file draws every vertex of every border into each
SVG (the Vega-Lite county example: 1 MB a drawing). A reader cannot see detail finer than
a pixel, so each border is simplified (Douglas-Peucker) to about a pixel of the widest
drawing, and the coordinates are rounded to a grid of half that. Simplification works on
TopoJSON's arcs, the border lines shared by neighbouring regions, so two neighbours keep
one border between them: no gaps, no slivers. A GeoJSON file has no shared arcs: each ring
is simplified on its own (neighbours may differ by up to the tolerance, under a pixel).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Optional

Point = tuple[float, float]  # (longitude, latitude) in degrees
Box = tuple[float, float, float, float]  # (west, south, east, north) in degrees

# What d3's albersUsa draws: the lower 48, Alaska and Hawaii; anything else (territories) it drops.
ALBERS_USA_BOXES: tuple[Box, ...] = ((-125.0, 24.0, -66.5, 49.6), (-180.0, 51.0, -129.0, 72.0), (172.0, 51.0, 180.0, 72.0),
                                     (-160.6, 18.8, -154.5, 22.4))
LOWER_48: Box = ALBERS_USA_BOXES[0]
AREA_TYPES = ("Polygon", "MultiPolygon")


class GeoError(ValueError):
    """Geometry that is not TopoJSON or GeoJSON, or not as its specification says."""


@dataclass(frozen=True)
class Topology:
    """Decoded geometry: arcs as absolute (lon, lat) points, and each object's geometries
    (TopoJSON geometry objects whose `arcs` index `arcs`, `~i` for arc i reversed)."""

    arcs: tuple[tuple[Point, ...], ...]
    objects: dict[str, tuple[dict, ...]]

    def geometries(self, name: str) -> tuple[dict, ...]:
        return self.objects[name]


def parse_geometry(text: str) -> Topology:
    """TopoJSON or GeoJSON text as a Topology (GeoJSON's features become object 'features')."""
    try:
        document = json.loads(text)
    except ValueError as err:
        raise GeoError(f"is not JSON ({err.msg} at line {err.lineno})") from None
    return read_geometry(document)


def read_geometry(document: Any) -> Topology:
    if isinstance(document, dict) and document.get("type") == "Topology":
        return _read_topojson(document)
    if isinstance(document, dict) and document.get("type") in ("FeatureCollection", "Feature", *AREA_TYPES, "LineString",
                                                                  "MultiLineString", "Point", "MultiPoint", "GeometryCollection"):
        return _read_geojson(document)
    raise GeoError("is neither TopoJSON (\"type\": \"Topology\") nor GeoJSON (\"type\": \"FeatureCollection\")")


def _read_topojson(document: dict) -> Topology:
    transform = document.get("transform")
    if transform is not None and not (isinstance(transform, dict) and _pair(transform.get("scale")) and _pair(transform.get("translate"))):
        raise GeoError("has a TopoJSON transform without a scale and translate pair")
    if not isinstance(document.get("arcs"), list) or not isinstance(document.get("objects"), dict):
        raise GeoError("is TopoJSON without 'arcs' and 'objects'")
    try:
        arcs = tuple(_decoded_arc(arc, transform) for arc in document["arcs"])
        objects = {str(name): tuple(_decoded_points(g, transform) for g in _members(obj)) for name, obj in document["objects"].items()}
    except (TypeError, ValueError, IndexError, KeyError):
        raise GeoError("is TopoJSON with malformed arcs or geometries") from None
    return Topology(arcs, objects)


def _pair(value: Any) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(isinstance(v, (int, float)) for v in value)


def _decoded_arc(arc: list, transform: Optional[dict]) -> tuple[Point, ...]:
    if not transform:
        return tuple((float(p[0]), float(p[1])) for p in arc)
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    x = y = 0
    points = []
    for position in arc:
        x, y = x + position[0], y + position[1]
        points.append((x * sx + tx, y * sy + ty))
    return tuple(points)


def _members(obj: Any) -> list[dict]:
    """An object's geometries: a collection's members (nested collections flattened), or itself."""
    if not isinstance(obj, dict):
        raise TypeError("not a geometry")
    if obj.get("type") == "GeometryCollection":
        return [member for g in obj.get("geometries", []) for member in _members(g)]
    return [obj]


def _decoded_points(geometry: dict, transform: Optional[dict]) -> dict:
    """Point geometries' quantized positions in degrees (they are not delta-encoded)."""
    if geometry.get("type") not in ("Point", "MultiPoint") or not transform:
        return geometry
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    at = lambda p: [p[0] * sx + tx, p[1] * sy + ty]  # noqa: E731
    coordinates = geometry["coordinates"]
    return geometry | {"coordinates": at(coordinates) if geometry["type"] == "Point" else [at(p) for p in coordinates]}


def _read_geojson(document: dict) -> Topology:
    """Each GeoJSON line and ring becomes an arc of its own."""
    features = document.get("features") if document.get("type") == "FeatureCollection" else [document]
    if not isinstance(features, list):
        raise GeoError("is a GeoJSON FeatureCollection without a 'features' list")
    arcs: list[tuple[Point, ...]] = []
    geometries = []
    try:
        for feature in features:
            geometry = feature.get("geometry") if feature.get("type") == "Feature" else feature
            if geometry is None:
                continue
            converted = _as_topojson(geometry, arcs)
            extra = {key: feature[key] for key in ("id", "properties") if feature.get("type") == "Feature" and key in feature}
            geometries.append(converted | extra)
    except (TypeError, ValueError, AttributeError, IndexError, KeyError):
        raise GeoError("is GeoJSON with malformed features or coordinates") from None
    return Topology(tuple(arcs), {"features": tuple(geometries)})


def _as_topojson(geometry: dict, arcs: list) -> dict:
    kind, coordinates = geometry["type"], geometry.get("coordinates")

    def arc(line: list) -> int:
        arcs.append(tuple((float(p[0]), float(p[1])) for p in line))
        return len(arcs) - 1

    if kind == "LineString":
        return {"type": kind, "arcs": [arc(coordinates)]}
    if kind == "MultiLineString":
        return {"type": kind, "arcs": [[arc(line)] for line in coordinates]}
    if kind == "Polygon":
        return {"type": kind, "arcs": [[arc(ring)] for ring in _wound(coordinates)]}
    if kind == "MultiPolygon":
        return {"type": kind, "arcs": [[[arc(ring)] for ring in _wound(polygon)] for polygon in coordinates]}
    if kind in ("Point", "MultiPoint"):
        return {"type": kind, "coordinates": coordinates}
    raise ValueError(f"unsupported geometry {kind}")


def _wound(rings: list) -> list:
    """A polygon's rings wound as d3 draws them: the outer ring clockwise, holes the other way.
    GeoJSON's specification (RFC 7946) asks the opposite, and d3 would draw such an outer
    ring as the whole sphere outside it; files exist both ways, so each ring is set right
    (for polygons smaller than a hemisphere, which regions are)."""
    out = []
    for at, ring in enumerate(rings):
        points = [(float(p[0]), float(p[1])) for p in ring]
        clockwise = _signed_area(points) < 0
        out.append(ring if clockwise == (at == 0) else list(reversed(ring)))
    return out


def arc_indexes(geometry: dict) -> Iterator[int]:
    """Every arc index a geometry uses (`~i` for a reversed arc), in order."""
    stack = [geometry.get("arcs", [])]
    while stack:
        item = stack.pop()
        if isinstance(item, int):
            yield item
        elif isinstance(item, list):
            stack.extend(reversed(item))


def geometry_points(topology: Topology, geometry: dict) -> Iterator[Point]:
    for index in arc_indexes(geometry):
        yield from topology.arcs[index if index >= 0 else ~index]
    coordinates = geometry.get("coordinates")
    if geometry.get("type") == "Point":
        yield (coordinates[0], coordinates[1])
    elif geometry.get("type") == "MultiPoint":
        yield from ((p[0], p[1]) for p in coordinates)


def bounds(points: Iterable[Point]) -> Optional[Box]:
    """The box around the points, or None when there are none."""
    xs, ys = [], []
    for x, y in points:
        xs.append(x)
        ys.append(y)
    return (min(xs), min(ys), max(xs), max(ys)) if xs else None


def overlaps(box: Optional[Box], boxes: Iterable[Box]) -> bool:
    return box is not None and any(box[0] <= b[2] and b[0] <= box[2] and box[1] <= b[3] and b[1] <= box[3] for b in boxes)


def tolerance(extent: Box, width: int) -> float:
    """About one pixel of a map `width` px wide showing `extent`, in degrees of latitude
    (the plane the simplification measures in: longitude scaled by cos(latitude))."""
    west, south, east, north = extent
    across = max(east - west, 1e-6) * math.cos(math.radians((south + north) / 2))
    return max(across, (north - south) * 0.6, 1e-6) / max(width, 1)


def encoded(topology: Topology, name: str, geometries: Iterable[dict], tolerance_deg: float, lat0: float,
            properties: Optional[tuple[str, ...]] = None) -> dict:
    """The geometries as one compact TopoJSON object `name`: only the arcs they use, each
    simplified to `tolerance_deg`, on a quantized grid of half that, delta-encoded.
    `properties`: the ones to keep (None: all)."""
    kept = list(geometries)
    used = list(dict.fromkeys(i if i >= 0 else ~i for g in kept for i in arc_indexes(g)))
    new_index = {old: new for new, old in enumerate(used)}
    squeeze = math.cos(math.radians(lat0))
    lines = [simplified(topology.arcs[old], tolerance_deg, squeeze) for old in used]
    points = [p for line in lines for p in line] + [p for g in kept if g.get("type") in ("Point", "MultiPoint") for p in geometry_points(topology, g)]
    west, south = (min(p[0] for p in points), min(p[1] for p in points)) if points else (0.0, 0.0)
    scale = (_round(tolerance_deg / 2 / max(squeeze, 0.01)), _round(tolerance_deg / 2))
    grid = Grid(west, south, *scale)
    drawn = {old: [grid.cell(p) for p in line] for old, line in zip(used, lines)}
    out_geometries = [_rewritten(_without_flipped_rings(g, topology, drawn), new_index, grid, properties) for g in kept]
    return {"type": "Topology", "transform": {"scale": list(scale), "translate": [west, south]},
            "objects": {name: {"type": "GeometryCollection", "geometries": out_geometries}},
            "arcs": [grid.delta_encoded(line) for line in lines]}


def _without_flipped_rings(geometry: dict, topology: Topology, drawn: dict[int, list]) -> dict:
    """The geometry without the rings that simplifying collapsed or turned inside out: d3
    draws a ring wound the other way as the whole sphere minus it, which floods the map."""
    def ring_ok(ring: list[int]) -> bool:
        before = _signed_area(_ring_points(ring, lambda i: topology.arcs[i]))
        after = _signed_area(_ring_points(ring, lambda i: drawn[i]))
        return after != 0 and (after > 0) == (before > 0)

    def polygon(rings: list) -> list:
        return [rings[0], *[r for r in rings[1:] if ring_ok(r)]] if rings and ring_ok(rings[0]) else []

    if geometry.get("type") == "Polygon":
        return geometry | {"arcs": polygon(geometry["arcs"])}
    if geometry.get("type") == "MultiPolygon":
        return geometry | {"arcs": [p for p in (polygon(rings) for rings in geometry["arcs"]) if p]}
    return geometry


def _ring_points(ring: list[int], arc: Any) -> list:
    points: list = []
    for index in ring:
        line = list(arc(index)) if index >= 0 else list(reversed(arc(~index)))
        points += line[1:] if points else line
    return points


def _signed_area(points: list) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(points, points[1:] + points[:1])) / 2


def _round(value: float) -> float:
    return float(f"{value:.6g}")


@dataclass(frozen=True)
class Grid:
    """The quantization grid: integer cells of `sx` x `sy` degrees from (`tx`, `ty`)."""

    tx: float
    ty: float
    sx: float
    sy: float

    def cell(self, point: Point) -> tuple[int, int]:
        return round((point[0] - self.tx) / self.sx), round((point[1] - self.ty) / self.sy)

    def delta_encoded(self, line: tuple[Point, ...]) -> list[list[int]]:
        """The line on the grid, each position relative to the one before; repeated cells
        dropped (an arc keeps its two ends, so the rings it closes stay closed)."""
        cells = [self.cell(p) for p in line]
        kept = [c for at, c in enumerate(cells) if at == 0 or at == len(cells) - 1 or c != cells[at - 1]]
        out, previous = [], (0, 0)
        for cell in kept:
            out.append([cell[0] - previous[0], cell[1] - previous[1]])
            previous = cell
        return out


def _rewritten(geometry: dict, new_index: dict[int, int], grid: Grid, properties: Optional[tuple[str, ...]]) -> dict:
    out = {key: value for key, value in geometry.items() if key in ("type", "id")}
    if "arcs" in geometry:
        out["arcs"] = _reindexed(geometry["arcs"], new_index)
    if geometry.get("type") == "Point":
        out["coordinates"] = list(grid.cell(tuple(geometry["coordinates"][:2])))
    elif geometry.get("type") == "MultiPoint":
        out["coordinates"] = [list(grid.cell(tuple(p[:2]))) for p in geometry["coordinates"]]
    shown = geometry.get("properties") or {}
    kept = {k: v for k, v in shown.items() if properties is None or k in properties}
    return out | ({"properties": kept} if kept else {})


def _reindexed(arcs: Any, new_index: dict[int, int]) -> Any:
    if isinstance(arcs, int):
        return new_index[arcs] if arcs >= 0 else ~new_index[~arcs]
    return [_reindexed(item, new_index) for item in arcs]


def simplified(line: tuple[Point, ...], tolerance_deg: float, squeeze: float) -> tuple[Point, ...]:
    """Douglas-Peucker: the points of `line` that stray more than the tolerance from the
    line through the kept ones, ends always kept; a closed ring keeps at least four points
    (its two farthest others), so it stays a ring. Distances in degrees of latitude, with
    longitude scaled by `squeeze` (cos of the map's middle latitude)."""
    if len(line) <= 2:
        return line
    plane = [(x * squeeze, y) for x, y in line]
    keep = {0, len(line) - 1}
    closed = plane[0] == plane[-1]
    stack = [(0, len(line) - 1)]
    while stack:
        first, last = stack.pop()
        far, distance = _farthest(plane, first, last)
        if far is not None and (distance > tolerance_deg or (closed and len(keep) < 4)):
            keep.add(far)
            stack += [(first, far), (far, last)]
    return tuple(line[i] for i in sorted(keep))


def _farthest(plane: list[Point], first: int, last: int) -> tuple[Optional[int], float]:
    (ax, ay), (bx, by) = plane[first], plane[last]
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    far, best = None, -1.0
    for at in range(first + 1, last):
        px, py = plane[at]
        if length2 == 0:
            distance = math.hypot(px - ax, py - ay)
        else:
            t = max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
            distance = math.hypot(px - ax - t * dx, py - ay - t * dy)
        if distance > best:
            far, best = at, distance
    return far, best


def draws_geoshape(spec: Any) -> bool:
    """Whether any view of a Vega-Lite spec draws geoshape marks."""
    if isinstance(spec, dict):
        mark = spec.get("mark")
        if mark == "geoshape" or (isinstance(mark, dict) and mark.get("type") == "geoshape"):
            return True
        return any(draws_geoshape(value) for key, value in spec.items() if key in ("layer", "hconcat", "vconcat", "concat", "spec"))
    if isinstance(spec, list):
        return any(draws_geoshape(item) for item in spec)
    return False


_PATH = re.compile(r'(?<= d=")[^"]*')
_DECIMAL = re.compile(r"-?\d+\.\d+")


def rounded_paths(svg: str) -> str:
    """The SVG with its path coordinates rounded to a tenth of a pixel: Vega writes three
    decimals, a thousand times finer than a screen shows, and a county map has 3,000 paths."""
    return _PATH.sub(lambda path: _DECIMAL.sub(_tenth, path.group()), svg)


def _tenth(number: re.Match) -> str:
    text = f"{float(number.group()):.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
