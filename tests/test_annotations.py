"""Declared annotations: checked at the line that declares them, placed without overlap, said in words."""

from __future__ import annotations

import json
import re

import pytest

from generator.build import build, load_data_and_charts
from generator.cache import Cache
from generator.config import load_config
from generator.errors import BuildFailed
from generator.notetext import text_width

FLIGHTS = [{"date": "2025-01-16", "flights": 1}, {"date": "2025-11-13", "flights": 2}, {"date": "2026-05-28", "flights": 3},
           {"date": "2026-09-02", "flights": 4}, {"date": "2026-11-20", "flights": 5}]

PY_CHART = '''import altair as alt

from generator import Line, Note, Range, chart

ROWS = {rows}


@chart("flights", title="Flights so far", description="Line chart: flights by date.", sources=["wire-2025-04-04"],
       annotations=[
           Note("Third flight", x="2026-05-28", y=3),
           Range("A long pause", x=("2025-02-01", "2025-10-01")),
           Line("Goal for 2026", y=4),
       ])
def flights(data):
    return alt.Chart(alt.Data(values=ROWS)).mark_line(point=True).encode(
        x=alt.X("date:T", title="Launch date"), y=alt.Y("flights:Q", title="Flights")).properties(width=520, height=240)
'''

VL_CHART = {
    "title": "Missions", "description": "Dot chart: missions by company.",
    "usermeta": {"explainer": {"sources": ["wire-2025-04-04"], "annotations": [{"note": "Most missions", "x": 28, "y": "SpaceX"}]}},
    "width": 400,
    "data": {"values": [{"company": "SpaceX", "missions": 28}, {"company": "Blue Origin", "missions": 7}]},
    "mark": "point",
    "encoding": {"x": {"field": "missions", "type": "quantitative", "title": "Missions"}, "y": {"field": "company", "type": "nominal", "title": None}},
}


def charts_of(root):
    return load_data_and_charts(load_config(root), Cache(None))[1]


def problems_of(root) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        charts_of(root)
    return [problem.format() for problem in failed.value.problems]


def python_chart(annotations: str, encode: str = 'x=alt.X("date:T", title="Launch date"), y=alt.Y("flights:Q", title="Flights")') -> str:
    return (f"import altair as alt\n\nfrom generator import Line, Note, Range, chart\n\nROWS = {FLIGHTS!r}\n\n\n"
            f'@chart("flights", title="Flights", description="Line chart.", sources=["wire-2025-04-04"],\n'
            f"       annotations=[\n{annotations}\n       ])\n"
            f"def flights(data):\n    return alt.Chart(alt.Data(values=ROWS)).mark_line().encode({encode})\n")


def vl_chart(annotations: list) -> str:
    spec = json.loads(json.dumps(VL_CHART))
    spec["usermeta"]["explainer"]["annotations"] = annotations
    return json.dumps(spec, indent=1)


# Checked at the declaring line ---------------------------------------------------------------

def test_a_python_note_outside_the_data_is_an_error_at_its_own_line(make_site):
    root = make_site({"site_src/charts/flights.py": python_chart(
        '           Note("Fine", x="2026-05-28", y=3),\n'
        '           Note("Too late", x="2027-03-01", y=3),\n'
        '           Note("Too high", x="2026-05-28", y=40),\n'
        '           Range("Before it all", x=("2024-01-01", "2025-03-01")),\n'
        '           Line("", y=2),')})
    assert problems_of(root) == [
        "site_src/charts/flights.py:11: error: chart 'flights': note 'Too late': x March 1, 2027 is a date the chart does not show (January 16, 2025 to November 20, 2026)",
        "site_src/charts/flights.py:12: error: chart 'flights': note 'Too high': y 40 is outside the chart's data (0 to 5)",
        "site_src/charts/flights.py:13: error: chart 'flights': range 'Before it all': x January 1, 2024 is a date the chart does not show (January 16, 2025 to November 20, 2026)",
        "site_src/charts/flights.py:14: error: chart 'flights': line has no label",
    ]


def test_python_notes_need_a_place_the_chart_has(make_site):
    root = make_site({"site_src/charts/flights.py": python_chart(
        '           Note("No y", x="2026-05-28"),\n'
        '           Note("On a map", longitude=10, latitude=50),\n'
        '           Note("Odd", x="soon", y=2, style="callout"),\n'
        '           Line("Both", x="2026-05-28", y=2),\n'
        '           Note("Bell\\a", x="2026-05-28", y=3),')})
    assert problems_of(root) == [
        "site_src/charts/flights.py:10: error: chart 'flights': note 'No y': give its y too (the chart has y as well)",
        "site_src/charts/flights.py:11: error: chart 'flights': note 'On a map': the chart is not a map, so it has no longitude or latitude to anchor it",
        "site_src/charts/flights.py:12: error: chart 'flights': note 'Odd': style 'callout' is not allowed (expected note or label)",
        "site_src/charts/flights.py:13: error: chart 'flights': line 'Both' must be {\"x\": value} or {\"y\": value}",
        "site_src/charts/flights.py:14: error: chart 'flights': note text contains a control character (U+0007 BELL); "
        "remove it (it often comes from text pasted from Word or Excel)",
    ]


def test_a_chart_without_y_has_nothing_to_anchor_a_y(make_site):
    root = make_site({"site_src/charts/flights.py": python_chart('           Note("Where?", x="2026-05-28", y=3),',
                                                                 encode='x=alt.X("date:T")')})
    assert problems_of(root) == ["site_src/charts/flights.py:10: error: chart 'flights': note 'Where?': the chart has no y to anchor it"]


def test_vega_lite_annotations_are_checked_at_their_line_in_the_file(make_site):
    root = make_site({"site_src/charts/missions.vl.json": vl_chart([
        {"note": "Fine", "x": 28, "y": "SpaceX"},
        {"note": "Typo", "x": 7, "y": "Blue Orgin"},
        {"note": "Colour", "x": 7, "y": "Blue Origin", "colour": "red"},
        {"note": "  ", "x": 7, "y": "Blue Origin"},
        {"range": {"x": [1, 2, 3]}},
        {"label": "What am I?"},
    ])})
    assert problems_of(root) == [
        "site_src/charts/missions.vl.json:18:6: error: chart 'missions': note 'Typo': y 'Blue Orgin' is not a category of the chart's data (did you mean 'Blue Origin'?)",
        "site_src/charts/missions.vl.json:24:6: error: chart 'missions': note has an unknown key 'colour' (expected 'note', 'x', 'y', 'longitude', 'latitude', 'style', 'view', 'id')",
        "site_src/charts/missions.vl.json:27:6: error: chart 'missions': note has no text",
        "site_src/charts/missions.vl.json:32:6: error: chart 'missions': range must be {\"x\": [from, to]} or {\"y\": [from, to]}",
        "site_src/charts/missions.vl.json:40:5: error: chart 'missions': an annotation needs exactly one of 'note', 'range' or 'line'",
    ]


def test_annotations_need_a_single_or_layered_chart(make_site):
    spec = json.loads(vl_chart([{"note": "Most", "x": 28, "y": "SpaceX"}]))
    spec = {key: value for key, value in spec.items() if key not in ("mark", "encoding", "width")}
    spec["facet"] = {"field": "company", "type": "nominal"}
    spec["spec"] = {"mark": "point", "encoding": {"x": {"field": "missions", "type": "quantitative"}}}
    root = make_site({"site_src/charts/missions.vl.json": json.dumps(spec, indent=1)})
    assert problems_of(root) == ["site_src/charts/missions.vl.json:10:5: error: chart 'missions': annotations need a single, layered or concatenated chart, not a facet chart"]


# A concat chart's notes belong to one view; a phone's own drawing may lack an axis ----------------

# A timeline beside a table of words (as newsrooms draw small multiples): only the timeline has x.
# The phone's own drawing is the list alone, with no date axis.
SIDE_BY_SIDE = '''import altair as alt

from generator import Note, Range, chart

ROWS = {rows!r}


def notes(data):
    last = ROWS[-1]
    return [Note("The latest one", x=last["date"], y=last["flight"]), Range("A long pause", x=(ROWS[1]["date"], ROWS[2]["date"]))]


@chart("side", title="Flights beside words", description="Timeline and table.", sources=["wire-2025-04-04"], annotations={annotations})
def side(data, layout):
    base = alt.Chart(alt.Data(values=ROWS))
    y = alt.Y("flight:N", title=None)
    words = base.mark_text(align="left").encode(x=alt.value(0), y=y, text="words:N")
    if layout.narrow:
        return words.properties(width=240, height=160)
    dots = base.mark_point().encode(x=alt.X("date:T", title=None), y=y).properties(width=260, height=160)
    return alt.hconcat({views}).resolve_scale(y="shared")
'''
SIDE_ROWS = [{"flight": f"F-{n}", "date": d["date"], "words": f"Flight {n}, a short line of words"} for n, d in enumerate(FLIGHTS, 1)]


def side_chart(annotations: str = "notes", views: str = "dots, words.properties(width=240, height=160)") -> str:
    return SIDE_BY_SIDE.format(rows=SIDE_ROWS, annotations=annotations, views=views)


def test_a_concat_charts_note_belongs_to_the_one_view_that_can_anchor_it(make_site):
    spec = charts_of(make_site({"site_src/charts/side.py": side_chart()}))["side"]
    assert [note.get("view") for note in spec.spec["usermeta"]["explainer"]["annotations"]] == [0, 0]
    # axes shown without a title: the words give the value alone
    assert spec.description == ("Timeline and table. Notes on the chart: “The latest one” at November 20, 2026; F-5; "
                                "“A long pause”, a range from November 13, 2025 to May 28, 2026.")
    # on the phone's own drawing, which has no dates: the note keeps its row, the range is only listed
    assert spec.narrow_spec["usermeta"]["explainer"]["annotations"] == [{"note": "The latest one", "y": "F-5"}, {"note": "A long pause", "listed": True}]


def test_a_note_two_views_could_anchor_names_its_view(make_site):
    two = "dots, dots.properties(title='Again')"
    lines = ('[Note("Where?", x="2026-05-28", y="F-3"), Note("Second", x="2026-05-28", y="F-3", view=1), '
             'Note("Lost", x="2026-05-28", y="F-3", view=5), Note("Named", x="2026-05-28", y="F-3", view="nowhere")]')
    root = make_site({"site_src/charts/side.py": side_chart(lines, two)})
    assert problems_of(root) == [  # all at the decorator's line, which makes them
        "site_src/charts/side.py:13: error: chart 'side': note 'Lost': view 5 is not one of the chart's views (0, 1)",
        "site_src/charts/side.py:13: error: chart 'side': note 'Named': view 'nowhere' is not one of the chart's views (0, 1)",
        "site_src/charts/side.py:13: error: chart 'side': note 'Where?': views 0 and 1 of the chart can both anchor it; say which with 'view' (a view's index from 0, or its name)",
    ]
    fixed = side_chart('[Note("Second", x="2026-05-28", y="F-3", view=1)]', two)
    assert charts_of(make_site({"site_src/charts/side.py": fixed}))["side"].spec["usermeta"]["explainer"]["annotations"] == [
        {"note": "Second", "x": "2026-05-28", "y": "F-3", "view": 1}]


def test_no_view_of_a_concat_chart_can_anchor_a_note_off_its_data(make_site):
    root = make_site({"site_src/charts/side.py": side_chart('[Note("Typo", x="2026-05-28", y="F-9")]')})
    assert problems_of(root) == [
        "site_src/charts/side.py:13: error: chart 'side': note 'Typo': y 'F-9' is not a category of the chart's data (did you mean 'F-5'?)"]


def test_a_single_view_takes_no_view(make_site):
    root = make_site({"site_src/charts/flights.py": python_chart('           Note("Here", x="2026-05-28", y=3, view=0),')})
    assert problems_of(root) == ["site_src/charts/flights.py:10: error: chart 'flights': note 'Here': the chart has one view, so 'view' is not needed"]


def test_an_annotations_function_must_make_annotations(make_site):
    root = make_site({"site_src/charts/side.py": side_chart("lambda data: ['Just words']")})
    assert problems_of(root) == ["site_src/charts/side.py:13: error: chart 'side': its annotations function must return Note, Range and Line objects"]
    root = make_site({"site_src/charts/side.py": side_chart("lambda data: [ROWS[9]]")})
    assert problems_of(root) == ["site_src/charts/side.py:13: error: chart 'side': its annotations failed: IndexError: list index out of range"]


# Said in words ---------------------------------------------------------------------------------

def test_the_description_says_what_each_annotation_says_and_where(make_site):
    root = make_site({"site_src/charts/flights.py": PY_CHART.format(rows=FLIGHTS)})
    spec = charts_of(root)["flights"]
    assert spec.description == (
        "Line chart: flights by date. Notes on the chart: “Third flight” at Launch date: May 28, 2026; Flights: 3; "
        "“A long pause”, a range from Launch date: February 1, 2025 to October 1, 2025; “Goal for 2026”, a line at Flights: 4.")
    assert spec.description_source == "Line chart: flights by date."  # the strict check reads what the author typed


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The minimal site with an annotated chart and a crowded one, built once."""
    from support import copy_site

    root = copy_site("minimal", tmp_path_factory.mktemp("project"))
    (root / "site_src/charts/flights.py").write_text(PY_CHART.format(rows=FLIGHTS))
    (root / "site_src/charts/crowded.py").write_text(CROWDED)
    (root / "site_src/charts/place.vl.json").write_text(json.dumps(PLACE, indent=1))
    (root / "site_src/charts/side.py").write_text(side_chart())
    page = root / "site_src/explainers/lane2.md"
    page.write_text(page.read_text() + "\n```chart flights\n```\n\n```chart crowded\n```\n\n```chart place\n```\n\n```chart side\n```\n")
    out = tmp_path_factory.mktemp("out")
    build(load_config(root, out), Cache(None))
    return out


CROWDED = '''import altair as alt

from generator import Note, chart

ROWS = [{"day": d, "count": c} for d, c in [(1, 4), (2, 5), (3, 5), (4, 6), (5, 5), (6, 4)]]


@chart("crowded", title="Six notes on six days", description="Line chart: counts by day.", sources=["wire-2025-04-04"],
       annotations=[Note(f"Day {d}: the count that day was {c}, which is a long note", x=d, y=c) for d, c in
                    [(1, 4), (2, 5), (3, 5), (4, 6), (5, 5), (6, 4)]])
def crowded(data):
    return alt.Chart(alt.Data(values=ROWS)).mark_line(point=True).encode(
        x=alt.X("day:Q", title="Day"), y=alt.Y("count:Q", title="Count")).properties(width=520, height=200)
'''


BOX = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "Box"},
                                                   "geometry": {"type": "Polygon", "coordinates": [[[-125, 45], [-120, 45], [-120, 49], [-125, 49], [-125, 45]]]}}]}
PLACE = {
    "title": "A place", "description": "Map: one place in a box.", "width": 300, "height": 300,
    "usermeta": {"explainer": {"sources": ["wire-2025-04-04"], "annotations": [{"note": "Kent", "longitude": -122.23, "latitude": 47.38, "style": "label"}]}},
    "projection": {"type": "mercator"},
    "layer": [{"data": {"values": BOX, "format": {"type": "json", "property": "features"}}, "mark": "geoshape"},
              {"data": {"values": [{"lon": -122.23, "lat": 47.38, "place": "Kent"}]}, "mark": "circle",
               "encoding": {"longitude": {"field": "lon", "type": "quantitative"}, "latitude": {"field": "lat", "type": "quantitative"},
                            "tooltip": {"field": "place"}}}],
}


def test_a_place_label_is_pinned_by_longitude_and_latitude_beside_its_point(built):
    spec = json.loads((built / "embed/place/chart.vl.json").read_text())
    label = next(layer for layer in spec["layer"] if layer.get("encoding", {}).get("text") == {"value": "Kent"})
    assert {key: label["encoding"][key] for key in ("longitude", "latitude")} == {
        "longitude": {"datum": -122.23, "type": "quantitative"}, "latitude": {"datum": 47.38, "type": "quantitative"}}
    assert "x" not in label["encoding"] and "rule" not in json.dumps(spec["layer"][1:])  # right beside its point: no connector
    assert ">Kent</text>" in (built / "embed/place/inline.svg").read_text() and "axis" not in (built / "embed/place/inline.svg").read_text()
    published = json.loads((built / "embed/place/data.json").read_text())
    # A label names a mark the data table lists: the description does not repeat it, data.json keeps it.
    assert published["description"] == "Map: one place in a box."
    assert published["annotations"] == [{"kind": "label", "text": "Kent", "where": "47.38° N, 122.23° W", "longitude": -122.23, "latitude": 47.38}]


def test_the_data_table_has_a_notes_table(built):
    page = (built / "explainers/lane2/index.html").read_text()
    table = re.search(r'<table class="chart-notes">.*?</table>', page[page.index('id="chart-flights"'):], re.S).group(0)
    cells = [re.sub(r"\s+", " ", cell) for cell in re.findall(r"<t[hd](?:\s[^>]*)?>(.*?)</t[hd]>", table)]
    assert "<caption>Notes on this chart</caption>" in table
    assert cells == ["Note", "Kind", "Where",
                     "Third flight", "Note", "Launch date: May 28, 2026; Flights: 3",
                     "A long pause", "Range", "Launch date: February 1, 2025 to October 1, 2025",
                     "Goal for 2026", "Line", "Flights: 4"]


def test_data_json_carries_the_annotations(built):
    data = json.loads((built / "embed/flights/data.json").read_text())
    assert data["annotations"] == [
        {"kind": "note", "text": "Third flight", "where": "Launch date: May 28, 2026; Flights: 3", "x": "2026-05-28", "y": 3},
        {"kind": "range", "text": "A long pause", "where": "Launch date: February 1, 2025 to October 1, 2025", "range": {"x": ["2025-02-01", "2025-10-01"]}},
        {"kind": "line", "text": "Goal for 2026", "where": "Flights: 4", "line": {"y": 4}},
    ]
    assert "annotations" not in json.loads((built / "embed/lane2-missions/data.json").read_text())


def test_published_specs_keep_no_declaration_and_no_line_numbers(built):
    for path in sorted((built / "embed/flights").glob("*.vl.json")):
        text = path.read_text()
        assert '"annotations"' not in text and "flights.py" not in text, path.name
        assert "Third flight" in text and "Goal for 2026" in text, path.name


# Placed without overlap -------------------------------------------------------------------------

def note_texts(svg: str) -> list[dict]:
    """Text elements of a vl-convert SVG drawn by annotation layers: their px boxes in the drawing."""
    found = []
    for attributes, body in re.findall(r"<text([^>]*)>(.*?)</text>", svg, re.S):
        found.append({"attributes": attributes, "text": re.sub(r"<[^>]+>", "", body)})
    return found


@pytest.mark.parametrize("name", ["inline.svg", "inline-narrow.svg", "inline-dark.svg", "chart.svg"])
def test_every_drawing_shows_every_annotation(built, name):
    svg = (built / "embed/flights" / name).read_text()
    for text in ("Third flight", "A long pause", "Goal for 2026"):
        assert text in svg, (name, text)


def scenegraph_of(spec: dict) -> dict:
    """In a worker process: the laid-out scenegraph of a spec (vl-convert never runs in the test process)."""
    from generator.workers import drawing_engine

    return drawing_engine().vegalite_to_scenegraph(spec)


def drawn_texts(spec: dict, wanted: set[str]) -> tuple[tuple[float, float], list[dict]]:
    """(plot width and height, [{text, box, size}]) for each drawn text whose words are in `wanted`."""
    from generator.workers import Label, Task, Workers

    with Workers(jobs=1) as workers:
        graph = workers.map([Task(scenegraph_of, (spec,), Label("drawing", "drawing", "test"))])[0]
    plot = graph["scenegraph"]["items"][0]
    found = []
    for mark in plot["items"]:
        for item in mark.get("items", []) if mark.get("marktype") == "text" else []:
            lines = item["text"] if isinstance(item["text"], list) else [item["text"]]
            if " ".join(lines) in wanted:
                found.append({"text": " ".join(lines), "size": item["fontSize"], "box": _box(item, lines)})
    return (plot["width"], plot["height"]), found


def _box(item: dict, lines: list[str]) -> tuple[float, float, float, float]:
    size, lead = item["fontSize"], item.get("lineHeight") or item["fontSize"] + 2
    width = max(text_width(line, size, item.get("fontWeight") == "bold") for line in lines)
    height = size + (len(lines) - 1) * lead
    x, y = item["x"] + item.get("dx", 0), item["y"] + item.get("dy", 0)
    left = {"left": x, "center": x - width / 2, "right": x - width}[item.get("align", "left")]
    top = y - height / 2 if item.get("baseline") == "middle" else y
    return (left, top, left + width, top + height)


def overlapping(texts: list[dict]) -> list[tuple[str, str]]:
    return [(a["text"], b["text"]) for i, a in enumerate(texts) for b in texts[i + 1:]
            if a["box"][0] < b["box"][2] and b["box"][0] < a["box"][2] and a["box"][1] < b["box"][3] and b["box"][1] < a["box"][3]]


@pytest.mark.parametrize("name", ["chart.vl.json", "chart-medium.vl.json", "chart-narrow.vl.json", "chart-narrow-dark.vl.json"])
def test_notes_are_placed_inside_the_plot_without_overlap(built, name):
    path = built / "embed/flights" / name
    words = {"Third flight", "A long pause", "Goal for 2026"}
    (width, height), texts = drawn_texts(json.loads(path.read_text()), words)
    assert {text["text"] for text in texts} == words  # each drawn once, none sent to a key: the plot has room
    assert overlapping(texts) == []
    for text in texts:
        left, top, right, bottom = text["box"]
        assert text["size"] >= 11 and 0 <= left and right <= width and 0 <= top and bottom <= height, text


def test_a_crowded_phone_layout_sends_its_notes_to_a_numbered_key(built):
    words = {f"Day {d}: the count that day was {c}, which is a long note" for d, c in [(1, 4), (2, 5), (3, 5), (4, 6), (5, 5), (6, 4)]}
    numbers = {str(n) for n in range(1, 7)}
    (width, height), texts = drawn_texts(json.loads((built / "embed/crowded/chart-narrow.vl.json").read_text()), words | numbers)
    notes = [text for text in texts if text["text"] in words]
    assert len(notes) == 6 and all(text["box"][1] > height for text in notes)  # all in the key, under the plot
    markers = [text for text in texts if text["text"] in numbers and text["box"][3] <= height]
    assert sorted(text["text"] for text in markers) == sorted(numbers)  # a numbered marker for each in the plot
    assert overlapping(texts) == [] and all(text["size"] >= 11 for text in texts)
    (_, wide_height), wide = drawn_texts(json.loads((built / "embed/crowded/chart.vl.json").read_text()), words)
    assert len([text for text in wide if text["box"][3] <= wide_height]) >= 4  # the wide drawing has room for most of them


def test_a_layer_placed_at_a_fixed_px_does_not_hide_the_axis_its_chart_draws(make_site):
    chart = python_chart('           Note("Third flight", x="2026-05-28", y=3),', encode='x=alt.X("date:T"), y=alt.Y("flights:Q", title="Flights")')
    chart = chart.replace("    return alt.Chart(alt.Data(values=ROWS))", (
        '    label = alt.Chart(alt.Data(values=[{"n": 4}])).mark_text().encode(x=alt.value(0), y="n:Q", text=alt.value("Goal"))\n'
        "    return alt.layer(label, alt.Chart(alt.Data(values=ROWS))"))
    chart = chart.rstrip("\n") + ")\n"
    root = make_site({"site_src/charts/flights.py": chart})
    # the axis is named as the layer that titles it names it
    assert charts_of(root)["flights"].description == "Line chart. Note on the chart: “Third flight” at date: May 28, 2026; Flights: 3."


def view_texts(spec: dict, view: int, wanted: set[str]) -> tuple[tuple[float, float], list[dict]]:
    """Like drawn_texts, for the texts drawn in one view of a concat chart, in that view's frame."""
    from generator.workers import Label, Task, Workers

    with Workers(jobs=1) as workers:
        graph = workers.map([Task(scenegraph_of, (spec,), Label("drawing", "drawing", "test"))])[0]
    group = next(mark for mark in graph["scenegraph"]["items"][0]["items"] if mark.get("name") == f"concat_{view}_group")["items"][0]
    found = []
    for mark in group["items"]:
        for item in mark.get("items", []) if mark.get("marktype") == "text" else []:
            lines = item["text"] if isinstance(item["text"], list) else [item["text"]]
            if " ".join(lines) in wanted:
                found.append({"text": " ".join(lines), "size": item["fontSize"], "box": _box(item, lines)})
    return (group["width"], group["height"]), found


def test_a_concat_charts_notes_are_drawn_inside_their_view(built):
    words = {"The latest one", "A long pause"}
    spec = json.loads((built / "embed/side/chart.vl.json").read_text())
    assert "The latest one" not in json.dumps(spec["hconcat"][1])  # the table's view is left as it was
    (width, height), texts = view_texts(spec, 0, words)
    assert {text["text"] for text in texts} == words and overlapping(texts) == []
    for text in texts:
        left, top, right, bottom = text["box"]
        assert text["size"] >= 11 and 0 <= left and right <= width and 0 <= top and bottom <= height, text


def test_a_phone_drawing_without_the_axis_lists_the_note_under_it(built):
    words = {"The latest one", "A long pause"}
    (width, height), texts = drawn_texts(json.loads((built / "embed/side/chart-narrow.vl.json").read_text()), words)
    found = {text["text"]: text["box"] for text in texts}
    assert set(found) == words and overlapping(texts) == []
    assert found["A long pause"][1] > height  # listed under the chart: the drawing has no dates to mark it on
    assert 0 <= found["The latest one"][0] and found["The latest one"][2] <= width and found["The latest one"][3] <= height  # beside its row
    assert "A long pause" in (built / "embed/side/inline-narrow.svg").read_text()


def test_a_text_broken_into_lines_is_an_obstacle_as_wide_as_its_longest_line():
    from generator.notescene import read_scene

    item = {"x": 10, "y": 10, "text": "a short\na much longer line", "lineBreak": "\n", "fontSize": 12, "align": "left", "baseline": "top"}
    graph = {"scenegraph": {"items": [{"width": 400, "height": 100, "items": [{"marktype": "text", "role": "mark", "items": [item]}]}]}}
    (box,) = read_scene(graph, False).hard
    assert box[2] - box[0] == pytest.approx(text_width("a much longer line", 12)) and box[3] - box[1] > 24
