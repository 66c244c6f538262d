"""Where a map looks: the regions a key names, the extent (all shapes, a box in degrees, a
list of regions, or a locator's places), the regions inside it, the projection fitted to it,
and the width and height that keep its shape.
"""

from __future__ import annotations

import math
from typing import Iterable, Optional, Sequence, Union

from .errors import did_you_mean
from .geo import ALBERS_USA_BOXES, LOWER_48, Box, bounds, encoded, geometry_points, overlaps, tolerance
from .shapes import Shapes, at_call

WIDTH = 640  # px: a map's wide drawing (narrower layouts keep its shape)
ALBERS_USA_ASPECT = 0.59  # height over width of the 50 states as albersUsa lays them out (Alaska and Hawaii below)
Extent = Union[None, str, Box, Sequence[str]]


def names_regions(extent: Extent) -> bool:
    """Whether the extent is a list of region names (rather than a box, "points" or None)."""
    return isinstance(extent, (list, tuple)) and bool(extent) and all(isinstance(item, str) for item in extent)


def regions_by_key(shapes: Shapes, feature_key: str) -> dict[str, dict]:
    """Region key -> geometry; a key no feature has, or one that several share, is an error."""
    geometries = shapes.topology.geometries(shapes.feature)
    found: dict[str, list[dict]] = {}
    for g in geometries:
        name = g.get("id") if feature_key == "id" else (g.get("properties") or {}).get(feature_key)
        if name is not None:
            found.setdefault(str(name), []).append(g)
    if not found:
        keys = sorted({"id"} & {k for g in geometries for k in g} | {k for g in geometries for k in (g.get("properties") or {})})
        raise at_call(f"feature key '{feature_key}' is not in {shapes.name}{did_you_mean(feature_key, keys)}; "
                      f"its features have: {', '.join(keys) or 'no keys'}")
    shared = next(((name, len(gs)) for name, gs in found.items() if len(gs) > 1), None)
    if shared:
        raise at_call(f"feature key '{feature_key}' does not tell the {shapes.plural} of {shapes.name} apart: '{shared[0]}' names {shared[1]} "
                      f"(use feature_key=\"id\")")
    return {name: gs[0] for name, gs in found.items()}


def extent_boxes(shapes: Shapes, projection: str, extent: Extent, regions: dict[str, dict]) -> Optional[list[Box]]:
    """The boxes a map shows, in degrees; None: everything."""
    if names_regions(extent):
        unknown = [name for name in extent if name not in regions]
        if unknown:
            raise at_call(f"extent names '{unknown[0]}', which is not a {shapes.singular} of {shapes.name}{did_you_mean(unknown[0], regions)}")
        box = bounds(p for name in extent for p in geometry_points(shapes.topology, regions[name]))
        return [box] if box else None
    if extent is not None:
        if not (isinstance(extent, (list, tuple)) and len(extent) == 4 and all(isinstance(v, (int, float)) for v in extent)
                and -180 <= extent[0] < extent[2] <= 180 and -90 <= extent[1] < extent[3] <= 90):
            raise at_call(f"extent {extent!r} is not a box (west, south, east, north) in degrees, a list of {shapes.singular} names, "
                          f"or \"points\"")
        return [tuple(float(v) for v in extent)]
    return list(ALBERS_USA_BOXES) if projection == "albersUsa" else None


def clipped_geometries(shapes: Shapes, projection: str, extent: Extent, regions: dict[str, dict]) -> list[dict]:
    boxes = extent_boxes(shapes, projection, extent, regions)
    geometries = shapes.topology.geometries(shapes.feature)
    if boxes is None:
        return list(geometries)
    parts = ALBERS_USA_BOXES if projection == "albersUsa" else None
    if parts and extent is not None:
        parts = [part for part in parts if overlaps(part, [_core(b) for b in boxes])]  # Alaska and Hawaii are insets: only those the extent is about
    if extent is not None:
        boxes = [_widened(b) for b in boxes]  # the view is wider or taller than the extent: keep what shows there
    kept = [(g, bounds(geometry_points(shapes.topology, g))) for g in geometries]
    return [g for g, box in kept if overlaps(box, boxes) and (parts is None or overlaps(box, parts))]


def _widened(box: Box) -> Box:
    west, south, east, north = box
    dx, dy = (east - west) / 2 + 2, (north - south) / 2 + 2
    return (max(-180.0, west - dx), max(-90.0, south - dy), min(180.0, east + dx), min(90.0, north + dy))


def clipped_regions(shapes: Shapes, regions: dict[str, dict], projection: str, extent: Extent) -> dict[str, dict]:
    """The regions the map shows (those in its extent), by key."""
    kept = {id(g) for g in clipped_geometries(shapes, projection, extent, regions)}
    return {name: g for name, g in regions.items() if id(g) in kept}


def geometry_data(shapes: Shapes, geometries: Iterable[dict], properties: tuple[str, ...], width: int = WIDTH) -> dict:
    geometries = list(geometries)
    box = bounds(p for g in geometries for p in geometry_points(shapes.topology, g)) or (-180.0, -90.0, 180.0, 90.0)
    if shapes.projection == "albersUsa" and box[2] - box[0] > 60:
        box = LOWER_48  # Alaska and Hawaii are drawn smaller beside the lower 48, which set the scale
    topology = encoded(shapes.topology, shapes.feature, geometries, tolerance(box, width), (box[1] + box[3]) / 2, properties)
    return {"values": topology, "format": {"type": "topojson", "feature": shapes.feature}}


def map_layout(shapes: Shapes, geometries: Iterable[dict], projection: Optional[str], extent: Extent, width: int,
               regions: Optional[dict] = None) -> dict:
    """Width, height (the extent's shape) and the projection fitted to the extent."""
    kind = projection or shapes.projection
    boxes = extent_boxes(shapes, kind, extent, regions or {}) if extent is not None else None
    box = boxes[0] if boxes else bounds(p for g in geometries for p in geometry_points(shapes.topology, g))
    aspect = ALBERS_USA_ASPECT if kind == "albersUsa" and boxes is None else _aspect(box or (-180, -90, 180, 90), kind)
    if kind == "albersUsa":
        # Its insets and its clipping make a box meaningless: fitted to the states drawn (those in the extent), which Vega-Lite does.
        drawn = bounds(p for g in geometries for p in geometry_points(shapes.topology, g)) or LOWER_48
        aspect = ALBERS_USA_ASPECT if drawn[2] - drawn[0] > 90 else _aspect(drawn, kind)
        boxes = None
    fitted = {"type": kind} | ({"fit": _box_feature(box)} if boxes else {})
    return {"width": width, "height": round(width * aspect), "projection": fitted,
            "usermeta": {"explainer": {"map": {"aspect": round(aspect, 4)}}}}


def _core(box: Box) -> Box:
    """The middle of a box, without the margins a locator's extent adds around its places."""
    west, south, east, north = box
    dx, dy = (east - west) * 0.15, (north - south) * 0.15
    return (west + dx, south + dy, east - dx, north - dy)


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


def points_box(places: list[tuple[str, float, float]]) -> Box:
    """The places' box with a margin for their labels: a fifth of its size, at least a degree."""
    west, south, east, north = bounds((lon, lat) for _, lat, lon in places)
    dx, dy = max((east - west) / 5, 1.0), max((north - south) / 5, 1.0)
    return (max(-180.0, west - dx), max(-90.0, south - dy), min(180.0, east + dx), min(90.0, north + dy))
