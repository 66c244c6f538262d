"""Maps: shipped basemaps, geometry simplified for the drawing, choropleths and locator maps
built from collections, and a plain Vega-Lite geoshape file with local TopoJSON."""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import re
from pathlib import Path

import pytest

from generator.build import load_data_and_charts
from generator.cache import Cache
from generator.config import load_config
from generator.errors import BuildFailed
from generator.geo import GeoError, encoded, parse_geometry, read_geometry, rounded_paths, simplified, tolerance
from generator.shapes import BASEMAP_DIR, BASEMAPS, basemap
from support import REPO

FIXTURES = Path(__file__).parent / "maps"
CALL = 'choropleth(basemap("us-states"), data.loans, key="state", value="loans", title="Books borrowed", missing="No loans")'


# --- geometry ---------------------------------------------------------------------------------------

def test_every_basemap_is_shipped_as_package_data_with_its_licence():
    package_data = re.search(r'generator = \[(.*)\]', (REPO / "pyproject.toml").read_text()).group(1)
    assert '"basemaps/*"' in package_data
    readme = (BASEMAP_DIR / "README.md").read_text()
    for name, row in BASEMAPS.items():
        assert f"`{name}` | `{row.file}`" in readme
        assert basemap(name).topology.geometries(row.feature)
    assert {p.name for p in BASEMAP_DIR.glob("LICENSE-*")} == {"LICENSE-us-atlas", "LICENSE-world-atlas"}


def test_simplified_states_keep_one_shared_border_and_stay_within_a_pixel():
    states = basemap("us-states").topology
    geometries = states.geometries("states")
    tol = tolerance((-125.0, 24.0, -66.5, 49.6), 640)
    out = encoded(states, "states", geometries, tol, 37.0, ("name",))
    again = read_geometry(out)
    # Neighbours still draw their border from one arc: the arcs shared by two states are as many as before, less
    # those of islands under a pixel that were dropped (Staten Island's, Assateague's), and Ohio shares one with Indiana.
    def arcs_of(geometry):
        return {int(a) if int(a) >= 0 else ~int(a) for a in re.findall(r"-?\d+", json.dumps(geometry["arcs"]))}

    def shared(topology):
        uses = [arc for g in topology.geometries("states") for arc in arcs_of(g)]
        return {arc for arc in uses if uses.count(arc) > 1}
    assert len(shared(states)) - 5 <= len(shared(again)) <= len(shared(states))
    by_name = {g["properties"]["name"]: arcs_of(g) for g in again.geometries("states")}
    assert by_name["Ohio"] & by_name["Indiana"] and by_name["Ohio"] & by_name["Pennsylvania"]
    # Far fewer points, none of the original points further than the tolerance (plus half a grid cell) from the simplified line.
    before, after = sum(map(len, states.arcs)), sum(map(len, again.arcs))
    assert after < before / 2
    squeeze = math.cos(math.radians(37.0))
    worst = max(_distance_to_line(p, line, squeeze) for original, line in zip(_used_arcs(states, geometries), again.arcs) for p in original)
    assert worst <= tol * 1.5


def _used_arcs(topology, geometries):
    order = []
    for g in geometries:
        for arc in re.findall(r"-?\d+", json.dumps(g["arcs"])):
            index = int(arc) if int(arc) >= 0 else ~int(arc)
            if index not in order:
                order.append(index)
    return [topology.arcs[i] for i in order]


def _distance_to_line(point, line, squeeze):
    px, py = point[0] * squeeze, point[1]
    best = math.inf
    for (ax, ay), (bx, by) in zip(line, line[1:] or line):
        ax, bx = ax * squeeze, bx * squeeze
        dx, dy = bx - ax, by - ay
        t = 0.0 if dx == dy == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)))
        best = min(best, math.hypot(px - ax - t * dx, py - ay - t * dy))
    return best


def test_quantized_arcs_are_whole_grid_steps_of_half_the_tolerance():
    states = basemap("us-states").topology
    out = encoded(states, "states", states.geometries("states")[:3], 0.1, 40.0)
    assert out["transform"]["scale"] == [round(0.05 / math.cos(math.radians(40.0)), 8), 0.05] or \
        out["transform"]["scale"][1] == 0.05
    assert all(isinstance(v, int) for arc in out["arcs"] for position in arc for v in position)
    assert all(len(arc) >= 2 for arc in out["arcs"])


def test_douglas_peucker_keeps_the_ends_and_what_strays_further_than_the_tolerance():
    line = ((0.0, 0.0), (1.0, 0.01), (2.0, 0.0), (3.0, 1.0), (4.0, 0.0))
    assert simplified(line, 0.1, 1.0) == ((0.0, 0.0), (2.0, 0.0), (3.0, 1.0), (4.0, 0.0))
    ring = ((0.0, 0.0), (0.001, 0.0), (0.001, 0.001), (0.0, 0.001), (0.0, 0.0))
    assert len(simplified(ring, 1.0, 1.0)) == 4  # a closed ring stays a ring


def test_geojson_rings_are_wound_as_d3_draws_them():
    counter_clockwise = [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]  # RFC 7946's outer ring
    topology = read_geometry({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "A"}, "geometry": {"type": "Polygon", "coordinates": counter_clockwise}}]})
    assert topology.arcs[0] == ((0.0, 0.0), (0.0, 1.0), (1.0, 1.0), (1.0, 0.0), (0.0, 0.0))  # clockwise


@pytest.mark.parametrize("text, message", [
    ("not json", "is not JSON (Expecting value at line 1)"),
    ('{"type": "Feature", "geometry": {"type": "Polygon", "coordinates": [[1, 2]]}}', "is GeoJSON with malformed features or coordinates"),
    ('{"rows": []}', 'is neither TopoJSON ("type": "Topology") nor GeoJSON ("type": "FeatureCollection")'),
    ('{"type": "Topology", "arcs": []}', "is TopoJSON without 'arcs' and 'objects'"),
])
def test_what_is_not_geometry_is_named(text, message):
    with pytest.raises(GeoError) as failed:
        parse_geometry(text)
    assert str(failed.value) == message


def test_map_paths_are_rounded_to_a_tenth_and_other_numbers_left_alone():
    svg = '<path d="M98.074,30.361L97.52,-0.01L87,30.96Z" transform="translate(0.5,0.5)"/>'
    assert rounded_paths(svg) == '<path d="M98.1,30.4L97.5,0L87,31Z" transform="translate(0.5,0.5)"/>'


# --- the starter's choropleth and errors ------------------------------------------------------------

@pytest.fixture
def starter(cli, tmp_path) -> Path:
    folder = tmp_path / "site"
    assert cli("new", "site", folder).exit_code == 0
    return folder


def problems_of(root: Path) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        load_data_and_charts(load_config(root), Cache(None))
    return [p.format() for p in failed.value.problems]


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_the_starter_choropleth_describes_itself_and_tables_every_state(starter):
    spec = load_data_and_charts(load_config(starter), Cache(None))[1]["loans-by-state"]
    assert spec.description == "Map of 51 states shaded by books borrowed: highest Ohio (412), lowest West Virginia (23); 43 states: No loans."
    from generator.chartrows import chart_table

    table = chart_table(spec.spec)
    assert table.columns == ("state", "loans")
    assert table.rows[:3] == ({"state": "Alabama", "loans": "No loans"}, {"state": "Alaska", "loans": "No loans"},
                              {"state": "Arizona", "loans": "No loans"})
    assert {"state": "Ohio", "loans": 412} in table.rows and len(table.rows) == 51
    assert "Puerto Rico" not in {row["state"] for row in table.rows}  # albersUsa does not draw the territories
    assert spec.spec["width"] == 640 and spec.spec["usermeta"]["explainer"]["map"] == {"aspect": 0.59}


def test_an_unknown_basemap_is_an_error_at_the_call(starter):
    edit(starter / "site_src/charts/loans_map.py", 'basemap("us-states")', 'basemap("us-state")')
    assert problems_of(starter) == ["site_src/charts/loans_map.py:19: error: chart 'loans-by-state': unknown basemap 'us-state' "
                                    "(did you mean 'us-states'?); shipped: us-counties, us-states, world-countries, world-countries-50m"]


def test_a_feature_key_the_shapes_lack_is_an_error_at_the_call(starter):
    edit(starter / "site_src/charts/loans_map.py", 'missing="No loans")', 'missing="No loans", feature_key="nam")')
    assert problems_of(starter) == ["site_src/charts/loans_map.py:19: error: chart 'loans-by-state': feature key 'nam' is not in "
                                    "basemap 'us-states' (did you mean 'name'?); its features have: id, name"]


def test_a_record_that_matches_no_region_is_an_error_at_its_line(starter):
    edit(starter / "site_src/data/loans.yaml", "state: Indiana", "state: Indianna")
    assert problems_of(starter) == ["site_src/data/loans.yaml:5:30: error: chart 'loans-by-state': 'loans-indiana' field 'state': "
                                    "'Indianna' matches no state of basemap 'us-states' (did you mean 'Indiana'?)"]


def test_regions_without_a_record_are_an_error_unless_the_map_says_how_to_show_them(starter):
    edit(starter / "site_src/charts/loans_map.py", ', missing="No loans")', ")")
    problems = problems_of(starter)
    assert len(problems) == 1
    assert problems[0].startswith("site_src/charts/loans_map.py:19: error: chart 'loans-by-state': no record for 43 states of "
                                  "basemap 'us-states': Alabama, Alaska, Arizona, Arkansas, California, Colorado, ")
    assert problems[0].endswith(", Wisconsin, Wyoming (add records, or say how to show them, e.g. missing=\"No data\")")


def map_own_file(starter: Path) -> None:
    """The starter's choropleth drawn on the site's own maps/areas.json instead of a basemap."""
    edit(starter / "site_src/charts/loans_map.py", 'basemap("us-states")', 'site_shapes(data, "maps/areas.json")')
    edit(starter / "site_src/charts/loans_map.py", "from generator import basemap,", "from generator import site_shapes, basemap,")


def test_a_geometry_file_that_is_not_geometry_is_an_error_at_the_file(starter):
    (starter / "site_src/maps").mkdir()
    (starter / "site_src/maps/areas.json").write_text('{"rows": []}')
    map_own_file(starter)
    assert problems_of(starter) == ["site_src/maps/areas.json:1:1: error: chart 'loans-by-state': a map's geometry must be TopoJSON or GeoJSON: "
                                    "this file is neither TopoJSON (\"type\": \"Topology\") nor GeoJSON (\"type\": \"FeatureCollection\")"]


def test_a_missing_geometry_file_is_an_error_at_the_call(starter):
    map_own_file(starter)
    assert problems_of(starter) == ["site_src/charts/loans_map.py:19: error: chart 'loans-by-state': "
                                    "data.file('maps/areas.json'): site_src/maps/areas.json does not exist"]


def test_a_point_out_of_range_is_an_error_at_the_record(starter):
    edit(starter / "site_src/models.py", "from generator import Count, Record, collection", "from generator import Count, GeoPoint, Record, collection")
    edit(starter / "site_src/models.py", '    summary: str = Field("", description="One sentence about the branch.")',
         '    summary: str = Field("", description="One sentence about the branch.")\n    door: GeoPoint | None = None')
    edit(starter / "site_src/data/branches.yaml", "  visits: 182400\n", "  visits: 182400\n  door: {lat: 95, lon: -81.69}\n")
    assert problems_of(starter) == ["site_src/data/branches.yaml:7:15: error: field 'door.lat': Input should be less than or equal to 90 (found 95)"]


# --- a locator map ----------------------------------------------------------------------------------

LOCATOR = '''
from generator import basemap, chart, locator


@chart("branch-map", title="Where the branches are", description="Map.", sources=["town-report-2025"])
def branch_map(data):
    return locator(basemap("us-states"), data.branches, point="door", label="name")
'''
DOORS = {"central": "41.4993, -81.6944", "riverside": "39.9612, -82.9988", "hilltop": "41.0814, -81.519"}


@pytest.fixture
def with_doors(starter) -> Path:
    edit(starter / "site_src/models.py", "from generator import Count, Record, collection", "from generator import Count, GeoPoint, Record, collection")
    edit(starter / "site_src/models.py", '    summary: str = Field("", description="One sentence about the branch.")',
         '    summary: str = Field("", description="One sentence about the branch.")\n    door: GeoPoint = Field(description="Where the door is.")')
    data = starter / "site_src/data/branches.yaml"
    for branch, door in DOORS.items():
        edit(data, f"- id: {branch}\n", f'- id: {branch}\n  door: "{door}"\n')
    (starter / "site_src/charts/branch_map.py").write_text(LOCATOR)
    return starter


def test_a_locator_map_carries_each_place_as_a_label_note_and_tables_the_places(with_doors):
    spec = load_data_and_charts(load_config(with_doors), Cache(None))[1]["branch-map"]
    assert spec.spec["usermeta"]["explainer"]["annotations"] == [
        {"note": "Central Library", "longitude": -81.6944, "latitude": 41.4993, "style": "label"},
        {"note": "Riverside Branch", "longitude": -82.9988, "latitude": 39.9612, "style": "label"},
        {"note": "Hilltop Branch", "longitude": -81.519, "latitude": 41.0814, "style": "label"}]
    assert spec.description == "Map of the states with 3 places marked: Central Library, Riverside Branch and Hilltop Branch."
    from generator.chartrows import chart_table

    table = chart_table(spec.spec)
    assert table.columns == ("name", "latitude", "longitude")
    assert table.rows == ({"name": "Central Library", "latitude": 41.4993, "longitude": -81.6944},
                          {"name": "Riverside Branch", "latitude": 39.9612, "longitude": -82.9988},
                          {"name": "Hilltop Branch", "latitude": 41.0814, "longitude": -81.519})
    # albersUsa: fitted to the states around the places (Vega-Lite fits to the shapes drawn); Alaska and Hawaii, insets, left out
    drawn = {g["id"] for g in spec.spec["layer"][0]["data"]["values"]["objects"]["states"]["geometries"]}
    assert drawn == {"39", "18", "26", "42", "54", "21", "17", "36", "24", "11", "51", "37", "45", "47", "55"}  # Ohio, Indiana, ...
    assert spec.spec["projection"] == {"type": "albersUsa"}


def test_a_locator_map_in_another_projection_is_fitted_to_its_places(with_doors):
    edit(with_doors / "site_src/charts/branch_map.py", 'label="name")', 'label="name", projection="mercator")')
    spec = load_data_and_charts(load_config(with_doors), Cache(None))[1]["branch-map"]
    fit = spec.spec["projection"]["fit"]["geometry"]["coordinates"]
    assert (min(p[0] for p in fit), min(p[1] for p in fit)) == pytest.approx((-82.9988 - 1, 39.9612 - 1))
    assert (max(p[0] for p in fit), max(p[1] for p in fit)) == pytest.approx((-81.519 + 1, 41.4993 + 1))
    assert spec.spec["projection"]["type"] == "mercator" and spec.spec["height"] == round(640 * spec.spec["usermeta"]["explainer"]["map"]["aspect"])


def test_a_geopoint_is_a_place_in_downloads_and_on_record_pages(cli, with_doors):
    (with_doors / "site_src/charts/branch_map.py").unlink()
    edit(with_doors / "site_src/models.py", '    url="branches/{id}/",', '    url="branches/{id}/",\n    fields=["name", "door"],')
    result = cli("build", "--root", with_doors, "--strict")
    assert result.exit_code == 0, result.stderr
    out = with_doors / "output"
    rows = list(csv.DictReader(io.StringIO((out / "data/branches.csv").read_text())))
    assert rows[0]["door"] == "41.4993, -81.6944"
    assert json.loads((out / "data/branches.json").read_text())["records"][0]["door"] == {"lat": 41.4993, "lon": -81.6944}
    assert ("<code>door</code> <span class=\"note\">(required)</span></th><td>place (latitude, longitude in degrees)</td>"
            in (out / "data/index.html").read_text())
    assert "<dt>Door</dt><dd>41.4993° N, 81.6944° W</dd>" in (out / "branches/central/index.html").read_text()


# --- a plain Vega-Lite map with local TopoJSON ------------------------------------------------------

def county_site(make_site, **extra):
    files = {"site_src/charts/county.vl.json": (FIXTURES / "county.vl.json").read_text(),
             "site_src/static/data/us-10m.json": (FIXTURES / "us-10m.json").read_bytes(),
             "site_src/static/data/unemployment.tsv": (FIXTURES / "unemployment.tsv").read_bytes()} | extra
    return make_site({path: content for path, content in files.items() if content is not None})


@pytest.fixture(scope="module")
def county_build(tmp_path_factory):
    """The Vega-Lite county choropleth built once: about 30 s of drawing."""
    from support import copy_site
    from generator.build import build

    root = copy_site("minimal", tmp_path_factory.mktemp("county") / "project")
    for name in ("us-10m.json", "unemployment.tsv"):
        (root / "site_src/static/data").mkdir(parents=True, exist_ok=True)
        (root / "site_src/static/data" / name).write_bytes((FIXTURES / name).read_bytes())
    (root / "site_src/charts/county.vl.json").write_text((FIXTURES / "county.vl.json").read_text())
    build(load_config(root, root / "out"), Cache(None))
    return root / "out/embed/county"


def test_the_vega_lite_county_choropleth_page_image_is_under_150_kb_gzipped(county_build):
    for name in ("inline.svg", "inline-dark.svg", "inline-narrow.svg", "inline-medium.svg"):
        svg = (county_build / name).read_bytes()
        assert svg.count(b"<path") > 3000, name
        assert len(gzip.compress(svg)) < 150_000, name
    assert not re.search(rb' d="[^"]*\d\.\d\d', (county_build / "inline.svg").read_bytes())  # paths at a tenth of a pixel
    assert len((county_build / "chart.vl.json").read_bytes()) < 600_000  # the live spec's geometry on one line


def test_the_vega_lite_county_choropleth_tables_each_county_with_its_looked_up_rate(county_build):
    rows = (county_build / "data.csv").read_text().splitlines()
    assert rows[:3] == ["id,rate", "22051,0.065", "23023,0.067"] and len(rows) == 3642
    data = json.loads((county_build / "data.json").read_text())
    assert data["columns"] == ["id", "rate"] and data["rows"][0] == {"id": 22051, "rate": 0.065}


def test_a_map_keeps_its_shape_on_a_phone(county_build):
    from generator.chartfiles import svg_size

    assert svg_size((county_build / "inline-narrow.svg").read_bytes())[0] <= 328
    narrow = json.loads((county_build / "chart-narrow.vl.json").read_text())
    assert narrow["width"] < 320 and narrow["height"] == round(300 * narrow["width"] / 500)  # as written: 500 x 300


def test_a_local_geometry_file_that_is_missing_or_not_geometry_is_located(make_site):
    root = county_site(make_site, **{"site_src/static/data/us-10m.json": None})
    assert problems_of(root) == ["site_src/charts/county.vl.json:9:12: error: data.url 'data/us-10m.json' must name a file in site_src/data/ "
                                 "or site_src/static/ (the site loads nothing from other hosts)"]
    root = county_site(make_site, **{"site_src/static/data/us-10m.json": '{"type": "Topology", "objects": {"states": {}}, "arcs": []}'})
    assert problems_of(root) == ["site_src/static/data/us-10m.json:1:1: error: no object 'counties' in this TopoJSON file; it has: states"]
    root = county_site(make_site, **{"site_src/static/data/us-10m.json": "[1, 2]"})
    assert problems_of(root) == ["site_src/static/data/us-10m.json:1:1: error: a map's geometry must be TopoJSON or GeoJSON: this file is "
                                 "neither TopoJSON (\"type\": \"Topology\") nor GeoJSON (\"type\": \"FeatureCollection\")"]


def test_a_place_outside_the_extent_is_an_error_at_its_line(with_doors):
    edit(with_doors / "site_src/charts/branch_map.py", 'label="name")', 'label="name", extent=["Ohio"])')
    edit(with_doors / "site_src/data/branches.yaml", '"41.0814, -81.519"', '"47.6, -122.3"')
    assert problems_of(with_doors) == ["site_src/data/branches.yaml:19:9: error: chart 'branch-map': 'hilltop' field 'door': "
                                       "47.6, -122.3 is outside the map's extent"]


def test_a_vega_lite_geojson_file_read_as_features_is_inlined_as_topojson():
    from generator.shapes import MapView, inlined_geometry

    square = {"type": "FeatureCollection", "features": [{"type": "Feature", "id": "a", "properties": {"name": "A"},
                                                          "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}}]}
    data = {"url": "data/areas.geojson", "format": {"type": "json", "property": "features"}, "name": "areas"}
    inlined = inlined_geometry(json.dumps(square), data, "json", "site_src/static/data/areas.geojson", MapView(400, "mercator"))
    assert inlined["format"] == {"type": "topojson", "feature": "features"} and inlined["name"] == "areas"
    assert inlined["values"]["objects"]["features"]["geometries"] == [{"type": "Polygon", "id": "a", "arcs": [[0]], "properties": {"name": "A"}}]
    assert inlined_geometry('[{"a": 1}]', data, "json", "x.json", MapView(400, "")) is None  # rows, not geometry: left to the usual path


def test_a_choropleth_joined_on_ids_tables_each_region_s_name_too():
    from generator import Count, Record, choropleth
    from generator.chartrows import chart_table

    class Tally(Record):
        fips: str
        n: Count

    records = [Tally(id="ohio", fips="39", n=5), Tally(id="texas", fips="48", n=2)]
    spec = choropleth(basemap("us-states"), records, key="fips", value="n", feature_key="id", missing="None").to_dict()
    table = chart_table(spec)
    assert table.columns == ("name", "fips", "n") and len(table.rows) == 51
    assert {"name": "Ohio", "fips": "39", "n": 5} in table.rows and {"name": "Utah", "fips": "49", "n": "None"} in table.rows
    assert spec["description"] == "Map of 51 states shaded by n: highest Ohio (5), lowest Texas (2); 49 states: None."


GROUPED = '''color=("Kind", lambda branch: "Library" if "Library" in branch.name else "Branch"),
                   colors={"Library": "#2870b0", "Branch": "#e05800"}, columns=("summary",))'''


def test_a_locator_colours_its_places_by_group_names_them_in_the_description_and_tables_the_columns(with_doors):
    edit(with_doors / "site_src/charts/branch_map.py", 'label="name")', 'label="name", ' + GROUPED)
    spec = load_data_and_charts(load_config(with_doors), Cache(None))[1]["branch-map"]
    assert spec.description == ("Map of the states with 3 places marked: 1 Library (Central Library); "
                                "2 Branch (Riverside Branch and Hilltop Branch).")
    dots = spec.spec["layer"][1]["encoding"]["color"]
    assert dots["scale"] == {"domain": ["Library", "Branch"], "range": ["#2870b0", "#e05800"]}
    from generator.chartrows import chart_table

    assert chart_table(spec.spec).columns == ("Kind", "name", "latitude", "longitude", "summary")  # what a row is, its measures, the rest


def test_a_group_without_a_colour_is_an_error_at_the_call(with_doors):
    edit(with_doors / "site_src/charts/branch_map.py", 'label="name")', 'label="name", ' + GROUPED.replace('"Branch": "#e05800"', '"Branches": "#e05800"'))
    assert problems_of(with_doors) == ["site_src/charts/branch_map.py:7: error: chart 'branch-map': colors has no colour for 'Branch' (did you mean 'Branches'?)"]
