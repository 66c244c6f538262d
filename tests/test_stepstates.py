"""Scrolly steps' states (generator/stepstates.py): each attribute changes a chart's spec as the
step says, every mistake is an error at the step's line, annotations have ids, and a step's view
is drawn like a chart but gets only its page drawings."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from generator.annotations import Note, annotation_ids, annotations_of
from generator.build import load_data_and_charts, model_site
from generator.cache import Cache
from generator.chartfiles import ChartProvenance, render_charts_files
from generator.chartoutputs import CHART_FILES, plan_step
from generator.config import load_config
from generator.errors import BuildFailed
from generator.stepstates import StepState, describe_state, derive_step_chart, is_plain, parse_state, step_hash
from generator.workers import Workers
from support import copy_site

WHERE = ("site_src/explainers/story.md", 12, 1)

FLIGHTS = """{
  "title": "Flights by rocket",
  "description": "Line chart of flights by rocket.",
  "usermeta": {"explainer": {"sources": ["wire-2025-04-04"], "as_of": "2026-01-31",
    "annotations": [
      {"note": "Pad gap", "x": "2026-03-01", "y": 3},
      {"range": {"x": ["2026-01-01", "2026-02-01"]}, "label": "First month", "id": "first"},
      {"line": {"y": 2}, "label": "Goal"}
    ]}},
  "width": 300, "height": 150,
  "data": {"values": [
    {"date": "2026-01-01", "flights": 1, "rocket": "Alpha"},
    {"date": "2026-03-01", "flights": 3, "rocket": "Alpha"},
    {"date": "2026-01-01", "flights": 2, "rocket": "Beta"},
    {"date": "2026-06-01", "flights": 4, "rocket": "Beta"}
  ]},
  "layer": [
    {"mark": "line", "encoding": {
      "x": {"field": "date", "type": "temporal", "title": "Date"},
      "y": {"field": "flights", "type": "quantitative", "title": "Flights"},
      "color": {"field": "rocket", "type": "nominal"}}},
    {"mark": {"type": "rule", "strokeDash": [4, 4]}, "encoding": {"y": {"datum": 2}}}
  ]
}
"""

YEARS = """{
  "title": "Launches per year",
  "description": "Columns of launches per year.",
  "usermeta": {"explainer": {"sources": ["wire-2025-04-04"], "as_of": "2026-01-31",
    "annotations": [{"note": "Record year", "x": "2025", "y": 15}]}},
  "width": 200, "height": 120,
  "data": {"values": [
    {"year": "2022", "launches": 5}, {"year": "2023", "launches": 8},
    {"year": "2024", "launches": 12}, {"year": "2025", "launches": 15}
  ]},
  "mark": "bar",
  "encoding": {"x": {"field": "year", "type": "ordinal", "title": "Year"}, "y": {"field": "launches", "type": "quantitative", "title": "Launches"}}
}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = copy_site("minimal", tmp_path_factory.mktemp("steps") / "site")
    (root / "site_src/charts/flights.vl.json").write_text(FLIGHTS)
    (root / "site_src/charts/years.vl.json").write_text(YEARS)
    return root


@pytest.fixture(scope="module")
def charts(project) -> dict:
    return load_data_and_charts(load_config(project), Cache(None))[1]


def derived(charts: dict, **attrs: str):
    state = parse_state(attrs, "flights", WHERE)
    return derive_step_chart(charts[state.chart], state, WHERE)


def failure(call) -> list[str]:
    with pytest.raises(BuildFailed) as failed:
        call()
    return [problem.format() for problem in failed.value.problems]


def units(spec: dict) -> list[dict]:
    return spec["layer"] if "layer" in spec else [spec]


# Parsing ---------------------------------------------------------------------------------

def test_a_steps_attributes_become_its_state():
    state = parse_state({"highlight": "New Glenn", "note": "pad-gap, first", "zoom": "2026-01-01..2026-08-24", "filter": "Blue Origin"}, "flights", WHERE)
    assert state == StepState(chart="flights", highlight="New Glenn", notes=("pad-gap", "first"), zoom=("2026-01-01", "2026-08-24"), filter="Blue Origin")
    assert parse_state({"note": "none"}, "flights", WHERE).notes == ()
    assert parse_state({"chart": "years"}, "flights", WHERE) == StepState(chart="years")


def test_only_a_chart_switch_is_plain():
    assert is_plain(StepState(chart="years"))
    assert not is_plain(StepState(chart="years", notes=()))
    assert not is_plain(StepState(chart="years", highlight="2022"))


def test_the_same_state_has_the_same_hash_and_another_another():
    assert step_hash(StepState(chart="a", zoom=("1", "2"))) == step_hash(parse_state({"zoom": "1..2"}, "a", WHERE))
    assert step_hash(StepState(chart="a", zoom=("1", "2"))) != step_hash(StepState(chart="a", zoom=("1", "3")))


@pytest.mark.parametrize("attrs, message", [
    ({"hilight": "A"}, "unknown step attribute 'hilight' (did you mean 'highlight'?)"),
    ({"colour": "A"}, "unknown step attribute 'colour' (expected chart, highlight, note, zoom or filter)"),
    ({"zoom": ""}, "step attribute 'zoom' has no value"),
    ({"zoom": "2026-01-01"}, "zoom '2026-01-01' is not a range (write zoom=<from>..<to>: dates as YYYY-MM-DD, or numbers)"),
    ({"zoom": "1..2..3"}, "zoom '1..2..3' is not a range (write zoom=<from>..<to>: dates as YYYY-MM-DD, or numbers)"),
    ({"note": "a,,b"}, "note 'a,,b' has an empty name (write note=<id>, note=<id>,<id> or note=none)"),
])
def test_a_malformed_attribute_is_an_error_at_the_step(attrs, message):
    assert failure(lambda: parse_state(attrs, "flights", WHERE)) == [f"site_src/explainers/story.md:12:1: error: {message}"]


# Applying a state ------------------------------------------------------------------------

def test_highlight_dims_the_other_series_in_each_layer_with_the_field(charts):
    step = derived(charts, highlight="Beta")
    lines, rule = units(step.spec)
    assert lines["encoding"]["opacity"] == {"condition": {"test": {"not": {"field": "rocket", "equal": "Beta"}}, "value": 0.2}}
    assert rule == units(charts["flights"].spec)[1]  # no rocket in it: as it was
    assert annotations_of(step.spec) == annotations_of(charts["flights"].spec)  # the notes stay


def test_highlight_of_a_mark_uses_the_x_field_with_the_datas_own_value(charts):
    step = derived(charts, chart="years", highlight="2024")
    assert step.spec["encoding"]["opacity"]["condition"]["test"] == {"not": {"field": "year", "equal": "2024"}}


def test_note_keeps_only_the_named_annotations_and_none_drops_them(charts):
    assert [n.get("label", n.get("note")) for n in annotations_of(derived(charts, note="goal,first").spec)] == ["First month", "Goal"]
    assert "usermeta" not in derived(charts, note="none").spec or not annotations_of(derived(charts, note="none").spec)


def test_zoom_on_dates_sets_the_domain_clips_and_cuts_the_notes(charts):
    step = derived(charts, zoom="2026-01-15..2026-04-01")
    lines = units(step.spec)[0]
    assert lines["encoding"]["x"]["scale"] == {"domain": ["2026-01-15", "2026-04-01"]}
    assert lines["mark"] == {"type": "line", "clip": True}
    assert annotations_of(step.spec) == [  # the range cut to the zoom, the note inside kept, the line on y kept
        {"note": "Pad gap", "x": "2026-03-01", "y": 3},
        {"range": {"x": ["2026-01-15", "2026-02-01"]}, "label": "First month", "id": "first"},
        {"line": {"y": 2}, "label": "Goal"}]
    assert [n.get("note", n.get("label")) for n in annotations_of(derived(charts, zoom="2026-04-01..2026-06-01").spec)] == ["Goal"]


def test_zoom_on_categories_keeps_their_rows_and_the_notes_on_them(charts):
    step = derived(charts, chart="years", zoom="2022..2023")
    assert step.spec["transform"] == [{"filter": {"field": "year", "oneOf": ["2022", "2023"]}}]
    assert step.spec["encoding"]["x"]["scale"] == {"domain": ["2022", "2023"]}
    assert annotations_of(step.spec) == []


def test_zoom_on_numbers(charts):
    lines = units(derived(charts, zoom="1..3").spec)[0]  # not dates: the range is on y, the axis its numbers fit
    assert lines["encoding"]["y"]["scale"] == {"domain": [1, 3]} and lines["mark"] == {"type": "line", "clip": True}
    assert "scale" not in lines["encoding"]["x"]


def test_filter_keeps_the_rows_of_one_series(charts):
    step = derived(charts, filter="Alpha")
    assert [unit.get("transform") for unit in units(step.spec)] == [[{"filter": {"field": "rocket", "equal": "Alpha"}}]] * 2  # both read the rows


def test_a_derived_chart_is_named_by_its_state_and_says_what_it_shows(charts):
    step = derived(charts, highlight="Beta", note="pad-gap")
    assert re.fullmatch(r"flights--step-[0-9a-f]{10}", step.chart_id)
    assert (step.shown, step.line) == WHERE[:2]
    assert step.description == ("Line chart of flights by rocket. Note on the chart: “Pad gap” at Date: March 1, 2026; Flights: 3. "
                                "Shown: Beta highlighted and the note “Pad gap”.")
    assert charts["flights"].description.startswith("Line chart of flights by rocket. Notes on the chart: “Pad gap”")


def test_describe_state_in_one_sentence(charts):
    base = charts["flights"]
    assert describe_state(base, StepState(chart="flights")) == "The whole chart, with all its notes."
    assert describe_state(base, parse_state({"zoom": "2026-01-15..2026-04-01", "filter": "Alpha", "note": "none"}, "flights", WHERE)) == \
        "Shown: only Alpha, Date from January 15, 2026 to April 1, 2026 and no notes."


@pytest.mark.parametrize("attrs, message", [
    ({"highlight": "Betta"}, "highlight 'Betta' is not a value of the series or marks of chart 'flights' (did you mean 'Beta'?)"),
    ({"filter": "Gamma"}, "filter 'Gamma' is not a value of the series or categories of chart 'flights' (expected one of 'Alpha', 'Beta')"),
    ({"note": "pad-gapp"}, "unknown annotation 'pad-gapp' of chart 'flights' (did you mean 'pad-gap'?)"),
    ({"note": "x"}, "unknown annotation 'x' of chart 'flights' (its annotations: pad-gap, first, goal)"),
    ({"zoom": "2027-01-01..2027-02-01"},
     "zoom 2027-01-01..2027-02-01 of chart 'flights': x January 1, 2027 is a date the chart does not show (January 1, 2026 to June 1, 2026)"),
    ({"zoom": "2026-04-01..2026-02-01"}, "zoom 2026-04-01..2026-02-01: the range must run from the lower to the higher value"),
    ({"zoom": "a..b"}, "zoom a..b of chart 'flights': x 'a' is not a date (expected YYYY-MM-DD)"),
    ({"zoom": "2..9"}, "zoom 2..9 of chart 'flights': y 9 is outside the chart's data (0 to 4)"),
    ({"chart": "years", "zoom": "2023..2031"}, "zoom 2023..2031 of chart 'years': x '2031' is not a category of the chart's data (did you mean '2023'?)"),
    ({"chart": "years", "zoom": "2024..2022"}, "zoom 2024..2022: '2024' comes after '2022' on the chart's x axis (the range runs in the axis's order)"),
])
def test_a_state_the_chart_cannot_show_is_an_error_at_the_step(charts, attrs, message):
    assert failure(lambda: derived(charts, **attrs)) == [f"site_src/explainers/story.md:12:1: error: {message}"]


# Annotation ids --------------------------------------------------------------------------

def test_ids_default_to_the_slug_of_the_text_and_can_be_given():
    assert annotation_ids([{"note": "Trump–Musk feud: café"}, {"range": {"x": [1, 2]}}, {"range": {"x": [1, 2]}, "label": "—"},
                           {"line": {"y": 1}, "label": "Goal", "id": "target"}]) == ["trump-musk-feud-cafe", "range-1", "range-2", "target"]
    assert Note("Pad gap", x=1, y=2, id="gap").declared == {"note": "Pad gap", "x": 1, "y": 2, "id": "gap"}


DUPLICATE = """{
  "title": "T", "description": "D.",
  "usermeta": {"explainer": {"sources": ["wire-2025-04-04"], "annotations": [
    {"note": "Pad gap", "x": 1, "y": 1},
    {"line": {"y": 2}, "label": "Pad gap!"},
    {"line": {"y": 1}, "label": "Other", "id": "pad-gap"}
  ]}},
  "data": {"values": [{"a": 1, "b": 1}, {"a": 2, "b": 2}]},
  "mark": "point", "encoding": {"x": {"field": "a", "type": "quantitative"}, "y": {"field": "b", "type": "quantitative"}}
}
"""


def test_duplicate_ids_in_one_chart_are_located_errors(make_site):
    root = make_site({"site_src/charts/dup.vl.json": DUPLICATE.replace('"id": "pad-gap"', '"id": "Pad gap"')})
    assert failure(lambda: load_data_and_charts(load_config(root), Cache(None))) == [
        "site_src/charts/dup.vl.json:5:5: error: chart 'dup': line 'Pad gap!' has the id 'pad-gap' (made from its text), as note 'Pad gap' (line 4) has: "
        "give one of them its own id",
        "site_src/charts/dup.vl.json:6:42: error: chart 'dup': line 'Other': id 'Pad gap' is not allowed (ids are lowercase letters, digits and hyphens)"]
    root = make_site({"site_src/charts/dup.vl.json": DUPLICATE.replace('"label": "Pad gap!"', '"label": "Other gap"')})
    assert failure(lambda: load_data_and_charts(load_config(root), Cache(None))) == [
        "site_src/charts/dup.vl.json:6:42: error: chart 'dup': line 'Other' has the id 'pad-gap', as note 'Pad gap' (line 4) has: give one of them its own id"]


PYTHON_IDS = """import altair as alt

from generator import Line, Note, chart


@chart("ids", title="T", description="D.", sources=["wire-2025-04-04"], annotations=[
    Note("Peak", x=2, y=2, id="top"),
    Line("Top", y=1, id="top"),
])
def ids(data):
    return alt.Chart(alt.Data(values=[{"a": 1, "b": 1}, {"a": 2, "b": 2}])).mark_point().encode(x="a:Q", y="b:Q")
"""


def test_a_python_chart_gives_ids_with_id_and_a_duplicate_is_an_error_at_its_line(make_site):
    root = make_site({"site_src/charts/ids.py": PYTHON_IDS})
    assert failure(lambda: load_data_and_charts(load_config(root), Cache(None))) == [
        "site_src/charts/ids.py:8: error: chart 'ids': line 'Top' has the id 'top', as note 'Peak' (line 7) has: give one of them its own id"]
    root = make_site({"site_src/charts/ids.py": PYTHON_IDS.replace('Line("Top", y=1, id="top")', 'Line("Top", y=1)')})
    assert failure(lambda: load_data_and_charts(load_config(root), Cache(None))) == [  # its text makes the same id
        "site_src/charts/ids.py:8: error: chart 'ids': line 'Top' has the id 'top' (made from its text), as note 'Peak' (line 7) has: give one of them its own id"]
    root = make_site({"site_src/charts/ids.py": PYTHON_IDS.replace('Line("Top", y=1, id="top")', 'Line("Top", y=1, id="floor")')})
    assert annotation_ids(annotations_of(load_data_and_charts(load_config(root), Cache(None))[1]["ids"].spec)) == ["top", "floor"]


# Drawing ---------------------------------------------------------------------------------

def draw(specs: list, folder: Path, workers=None) -> list:
    info = [ChartProvenance(spec.title, spec.description, "Sources: Wire", "2026-01-31") for spec in specs]
    return render_charts_files(list(zip(specs, info)), Cache(folder), "test", "Site", workers=workers, plans=[plan_step(spec.chart_id) for spec in specs])


def test_a_step_view_gets_exactly_its_page_drawings_the_same_each_time(charts, tmp_path):
    step = derived(charts, highlight="Beta", note="none")
    first, = draw([step], tmp_path / "one")
    folder = f"charts/flights/steps/{step_hash(parse_state({'highlight': 'Beta', 'note': 'none'}, 'flights', WHERE))}/"
    page = {folder + f.name for f in CHART_FILES if f.role == "page" and not f.optional}
    assert page <= set(first) <= page | {folder + f.name for f in CHART_FILES if f.role == "page"}
    light = first[folder + "inline.svg"].decode()
    assert 'opacity="0.2"' in light and "Pad gap" not in light  # Alpha dimmed; no notes drawn
    with Workers(1) as serial:
        again, = draw([step], tmp_path / "two", serial)  # another cache, one worker: drawn again, byte for byte
    assert again == first


def test_an_id_changes_no_drawing(charts, tmp_path):
    plain = json.loads(FLIGHTS.replace(', "id": "first"', ""))
    spec = charts["flights"]
    without = dataclasses.replace(spec, spec={**spec.spec, "usermeta": {"explainer": {"annotations": [
        {k: v for k, v in note.items() if k != "id"} for note in annotations_of(spec.spec)]}}}, digest="other")
    assert annotations_of(without.spec)[1] == plain["usermeta"]["explainer"]["annotations"][1]
    ids, no_ids = draw([dataclasses.replace(spec, chart_id="flights--step-0000000000"),
                        dataclasses.replace(without, chart_id="flights--step-0000000000")], tmp_path)
    assert ids == no_ids


def test_a_site_draws_its_step_views_and_a_page_can_show_them(project, tmp_path, monkeypatch):
    from generator import site as site_module
    from generator.artifacts import Artifacts
    from generator.assets import collect_assets
    from generator.chartfiles import provenance
    from generator.discovery import Discovery
    from generator.inputs import code_version
    from generator.progress import NO_PROGRESS
    from generator.render import RenderContext, _declare_chart_files, environment_for

    states = [StepState(chart="flights", highlight="Alpha"), StepState(chart="flights", highlight="Alpha"), StepState(chart="years", notes=())]
    real = site_module._convert_all

    def with_blocks(config, data, charts, *args, **kwargs):  # as if the explainer's scrolly block had made these views
        made = tuple(derive_step_chart(charts[s.chart], s, WHERE) for s in states)
        return [dataclasses.replace(e, made_charts=made) for e in real(config, data, charts, *args, **kwargs)]

    monkeypatch.setattr(site_module, "_convert_all", with_blocks)
    config = load_config(project, tmp_path / "out")
    cache = Cache(tmp_path / "cache")
    site = model_site(config, cache)
    assert sorted(site.step_charts) == sorted({derive_step_chart(site.charts[s.chart], s, WHERE).chart_id for s in states})
    info = {cid: provenance(spec, site.data, site.settings.data_as_of) for cid, spec in {**site.charts, **site.step_charts}.items()}
    artifacts = Artifacts()
    _, sizes, plans = _declare_chart_files(artifacts, site, info, cache, code_version(), NO_PROGRESS, None)
    steps = [path for path in artifacts.paths() if path.startswith("charts/")]
    assert len(steps) >= 4 * len(site.step_charts) and all("/steps/" in path and path.endswith(".svg") for path in steps)
    context = RenderContext(site, environment_for(config.template_dirs, cache), collect_assets(site, cache), Discovery(site, cache), info, sizes, plans)
    derived_id = next(iter(site.step_charts))
    html = context.env.from_string('{% from "partials/macros.html" import chart_picture %}{{ chart_picture(step_view(id)) }}').render(
        step_view=context.step_view, id=derived_id)
    base, _, state = derived_id.partition("--step-")
    assert f'src="/charts/{base}/steps/{state}/inline.svg"' in html and "Shown: " in html
