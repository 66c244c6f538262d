"""Shapes a map draws: the basemaps shipped with the generator, a site's own TopoJSON or
GeoJSON file, and the local geometry a plain `.vl.json` map reads, inlined simplified.

`basemap(name)` and `site_shapes(data, path)` give a `Shapes` that maps.py's builders draw;
generator/basemaps/README.md says where each shipped file came from, its version and licence.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Optional

from .errors import BuildFailed, Problem, did_you_mean
from .geo import LOWER_48, GeoError, Topology, bounds, encoded, geometry_points, parse_geometry, read_geometry, tolerance
from .layout import CONTAINER

BASEMAP_DIR = Path(__file__).parent / "basemaps"


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


def basemap(name: str) -> Shapes:
    """A basemap shipped with the generator: us-states, us-counties, world-countries, world-countries-50m."""
    if name not in BASEMAPS:
        raise at_call(f"unknown basemap '{name}'{did_you_mean(name, BASEMAPS)}; shipped: {', '.join(sorted(BASEMAPS))}")
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
        raise at_call(str(err)) from None
    shown = f"{data.reads.src_dir.name}/{relative}"
    try:
        topology = parse_geometry(path.read_text(encoding="utf-8"))
    except (GeoError, UnicodeDecodeError) as err:
        raise BuildFailed([Problem(shown, 1, 1, f"a map's geometry must be TopoJSON or GeoJSON: this file {err}")]) from None
    chosen = feature or next(iter(topology.objects), "")
    if chosen not in topology.objects:
        raise at_call(f"{shown} has no object '{chosen}'{did_you_mean(chosen, topology.objects)}; it has: {', '.join(topology.objects)}")
    return Shapes(shown, topology, chosen, singular, plural, projection)


def at_call(message: str) -> BuildFailed:
    """A problem at the builder's call: the chart loader puts it at the call's line."""
    return BuildFailed([Problem("", 0, 0, message)])


@dataclass(frozen=True)
class MapView:
    """What a plain Vega-Lite map is drawn at: its width and projection, for the tolerance."""

    width: int
    projection: str

    @classmethod
    def of(cls, spec: dict) -> "MapView":
        width = spec.get("width") if isinstance(spec.get("width"), (int, float)) else CONTAINER
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
