"""Every chart exports the rows and fields it draws: layered, concatenated, faceted,
transformed and map charts, typed (numbers stay numbers), in the data table, data.csv
and data.json; drawn data the build cannot read is a warning at the chart's line."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from generator.build import build, default_cache
from generator.chartrows import chart_table
from generator.cli import main
from generator.config import load_config
from support import copy_site

LAYERED = '''import altair as alt

from generator import chart


@chart("ridership", title="Riders per year", description="Line chart of riders per year, with the 2020 closure marked.",
       sources=["wire-2025-04-04"])
def ridership(data):
    years = alt.Data(values=[{"year": 2019, "riders": 1200, "note": "unused"}, {"year": 2020, "riders": 400, "note": "unused"},
                             {"year": 2021, "riders": 900, "note": "unused"}])
    events = alt.Data(values=[{"year": 2020, "event": "=Closure"}])
    line = alt.Chart(years).mark_line().encode(x="year:O", y=alt.Y("riders:Q"))
    rules = alt.Chart(events).mark_rule().encode(x="year:O")
    labels = alt.Chart(events).mark_text().encode(x="year:O", text="event:N")
    return alt.layer(rules, line, labels).properties(width=300, height=120)


@chart("panels", title="Two panels", description="Two bar charts side by side, one faceted by company.",
       sources=["wire-2025-04-04"])
def panels(data):
    rows = alt.Data(values=[{"company": "A", "kind": "x", "n": 1, "extra": "no"}, {"company": "B", "kind": "y", "n": 2, "extra": "no"}])
    left = alt.Chart(rows).mark_bar().encode(x="n:Q", y="kind:N").properties(width=100, height=60)
    right = alt.Chart(rows).mark_bar().encode(x="n:Q", y="kind:N").properties(width=80, height=40).facet(row="company:N")
    return alt.hconcat(left, right)


@chart("folded", title="Riders, two years", description="Bars of riders in 2019 and 2025, from two columns folded into one.",
       sources=["wire-2025-04-04"])
def folded(data):
    rows = alt.Data(values=[{"route": "1", "riders_2019": 10, "riders_2025": 12, "colour": "red"}])
    return alt.Chart(rows).transform_fold(["riders_2019", "riders_2025"], as_=["year", "riders"]).mark_bar().encode(
        x="riders:Q", y="year:N", tooltip=["route:N"]).properties(width=200, height=60)


@chart("fed-later", title="Fed at run time", description="A chart whose data a page would feed in.", sources=["wire-2025-04-04"])
def fed_later(data):
    return alt.Chart(alt.NamedData("feed")).mark_point().encode(x="a:Q").properties(width=200, height=60)
'''

STOPS = "name,lon,lat,riders_2019,opened\nTerminal,-81.6944,41.4993,1200,1999\n=HYPERLINK(1),-81.7,41.5,007,2001\n"

MAP = {
    "$schema": "https://vega.github.io/schema/vega-lite/v6.json",
    "description": "Map of two stops over the city outline.",
    "title": "Where the stops are",
    "usermeta": {"explainer": {"id": "stops-map", "sources": ["wire-2025-04-04"]}},
    "width": 300, "height": 200, "projection": {"type": "mercator"},
    "layer": [
        {"data": {"values": {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "City"},
                  "geometry": {"type": "Polygon", "coordinates": [[[-82, 41], [-81, 41], [-81, 42], [-82, 41]]]}}]},
                  "format": {"type": "json", "property": "features"}},
         "mark": {"type": "geoshape", "fill": "#eee"}},
        {"data": {"url": "static/stops.csv"}, "mark": "circle",
         "encoding": {"longitude": {"field": "lon", "type": "quantitative"}, "latitude": {"field": "lat", "type": "quantitative"},
                      "tooltip": [{"field": "name", "type": "nominal"}, {"field": "riders_2019", "type": "quantitative"}]}},
    ],
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = copy_site("minimal", tmp_path_factory.mktemp("rows") / "project")
    (root / "site_src/charts/extra.py").write_text(LAYERED)
    (root / "site_src/static/stops.csv").write_text(STOPS)
    (root / "site_src/charts/stops.vl.json").write_text(json.dumps(MAP, indent=1))
    for chart_id in ("ridership", "panels", "folded", "stops-map"):  # place them, so a page shows their tables
        with (root / "site_src/explainers/lane2.md").open("a") as md:
            md.write(f"\n```chart {chart_id}\n```\n")
    config = load_config(root, root / "output")
    report = build(config, default_cache(config))
    return root, root / "output", report


def csv_of(out, chart_id: str) -> tuple[bytes, list[list[str]]]:
    raw = (out / "embed" / chart_id / "data.csv").read_bytes()
    return raw, list(csv.reader(io.StringIO(raw.decode(), newline="")))


def test_a_layered_chart_with_data_per_layer_exports_every_layers_rows(built):
    _, out, _ = built
    raw, table = csv_of(out, "ridership")
    assert table == [["year", "riders", "event"], ["2019", "1200", ""], ["2020", "400", ""], ["2021", "900", ""], ["2020", "", "'=Closure"]]
    document = json.loads((out / "embed/ridership/data.json").read_text())
    assert document["columns"] == ["year", "riders", "event"]
    assert document["rows"][:2] == [{"year": 2019, "riders": 1200}, {"year": 2020, "riders": 400}]  # numbers, not text
    assert "unused" not in raw.decode()  # a field no encoding uses is not drawn, so not exported


def test_the_data_table_under_the_chart_shows_the_same_rows(built):
    _, out, _ = built
    page = next(out.glob("explainers/*/index.html")).read_text()
    table = page[page.index('id="chart-ridership"'):]
    table = table[table.index("<table>"):table.index("</table>")]
    assert '<th scope="col">year</th><th scope="col">riders</th><th scope="col">event</th>' in table
    assert "<td>2021</td><td>900</td><td></td>" in table and "<td>2020</td><td></td><td>=Closure</td>" in table


def test_concatenated_and_faceted_views_export_their_data_once_with_the_fields_they_use(built):
    _, out, _ = built
    _, table = csv_of(out, "panels")
    assert table == [["company", "kind", "n"], ["A", "x", "1"], ["B", "y", "2"]]


def test_a_transformed_chart_exports_the_fields_its_transforms_read(built):
    _, out, _ = built
    _, table = csv_of(out, "folded")
    assert table == [["route", "riders_2019", "riders_2025"], ["1", "10", "12"]]


def test_a_map_exports_its_points_typed_and_not_its_outline(built):
    _, out, _ = built
    raw, table = csv_of(out, "stops-map")
    assert table == [["lat", "lon", "name", "riders_2019"], ["41.4993", "-81.6944", "Terminal", "1200"],
                     ["41.5", "-81.7", "'=HYPERLINK(1)", "007"]]  # a negative number is data; text that starts a formula is not
    rows = json.loads((out / "embed/stops-map/data.json").read_text())["rows"]
    assert rows[0] == {"lat": 41.4993, "lon": -81.6944, "name": "Terminal", "riders_2019": 1200}
    assert rows[1]["riders_2019"] == "007"  # a code with a leading zero stays text


def test_data_the_build_cannot_read_is_a_warning_at_the_chart_line(built):
    root, _, report = built
    messages = [w.format() for w in report.warnings]
    assert "site_src/charts/extra.py:35: warning: chart 'fed-later': its data table, data.csv and data.json leave out rows it draws: dataset 'feed' has no values in the spec" in messages
    result = CliRunner().invoke(main, ["build", "--root", str(root), "--out", str(root / "strict-out"), "--strict"])
    assert result.exit_code == 1
    assert "site_src/charts/extra.py:35: error: chart 'fed-later': its data table, data.csv and data.json leave out rows it draws: dataset 'feed' has no values in the spec" in result.output


@pytest.mark.parametrize("spec, columns, rows", [
    ({"data": {"values": [1, 2]}, "mark": "bar", "encoding": {"x": {"field": "data", "type": "quantitative"}}}, ("data",), ({"data": 1}, {"data": 2})),
    ({"data": {"values": "a,b\n1,x\n", "format": {"type": "csv"}}, "mark": "bar", "encoding": {"y": {"field": "b"}, "x": {"field": "a", "type": "quantitative"}}},
     ("b", "a"), ({"b": "x", "a": 1},)),
    ({"datasets": {"d": [{"k": "p", "v": 2.5}]}, "data": {"name": "d"}, "layer": [{"mark": "bar", "encoding": {"y": {"field": "k"}}},
                                                                                  {"mark": "text", "encoding": {"text": {"field": "v"}}}]},
     ("k", "v"), ({"k": "p", "v": 2.5},)),
    ({"data": {"values": [{"x": 1}]}, "mark": "rule", "encoding": {"y": {"datum": 3}}}, (), ()),  # draws no field: nothing to export
    ({"data": {"sequence": {"start": 0, "stop": 3, "as": "i"}}, "mark": "point", "encoding": {"x": {"field": "i", "type": "quantitative"}}},
     ("i",), ({"i": 0}, {"i": 1}, {"i": 2})),
])
def test_rows_as_vega_reads_them(spec, columns, rows):
    table = chart_table(spec)
    assert (table.columns, table.rows, table.unreadable) == (columns, rows, ())
