"""Charts: Altair functions and plain Vega-Lite specs, both first-class."""

import json

import pytest


from generator.build import build, load_data_and_charts
from generator.cache import Cache
from generator.config import load_config
from generator.errors import BuildFailed
from generator.snippets import resize_script

LAYERED = {
    "title": "Missions, layered", "description": "Bars with labels: SpaceX 28, Blue Origin 7.",
    "usermeta": {"explainer": {"sources": ["wire-2025-04-04"], "as_of": "2025-06-01"}},
    "data": {"url": "data/missions.csv"},
    "layer": [
        {"mark": "bar", "params": [{"name": "pick", "select": "point"}], "encoding": {"x": {"field": "missions", "type": "quantitative"}, "y": {"field": "company", "type": "nominal"}}},
        {"mark": {"type": "text", "align": "left", "dx": 3}, "encoding": {"x": {"field": "missions", "type": "quantitative"}, "y": {"field": "company", "type": "nominal"}, "text": {"field": "missions"}}},
    ],
}
MISSIONS_CSV = "company,missions\nSpaceX,28\nBlue Origin,7\n"


def charts_of(root):
    return load_data_and_charts(load_config(root), Cache(None))[1]


def test_a_vega_lite_file_is_a_chart_and_its_data_url_is_inlined(make_site, tmp_path):
    root = make_site({"site_src/charts/layered.vl.json": json.dumps(LAYERED), "site_src/static/data/missions.csv": MISSIONS_CSV})
    spec = charts_of(root)["layered"]
    assert spec.title == "Missions, layered" and spec.sources == ("wire-2025-04-04",)
    # JSON rows, as d3-dsv makes them: Vega would parse CSV text with `new Function`, which the CSP forbids
    assert spec.spec["data"] == {"values": [{"company": "SpaceX", "missions": "28"}, {"company": "Blue Origin", "missions": "7"}]}
    build(load_config(root, tmp_path / "out"), Cache(None))
    csv_lines = (tmp_path / "out/embed/layered/data.csv").read_text().splitlines()
    assert csv_lines == ["company,missions", "SpaceX,28", "Blue Origin,7"]
    assert "Blue Origin" in (tmp_path / "out/embed/layered/inline.svg").read_text()


@pytest.mark.parametrize("extra", [
    {"facet": {"field": "company", "type": "nominal"}, "spec": {"mark": "bar", "encoding": {"y": {"field": "missions", "type": "quantitative"}}}},
    {"hconcat": [{"mark": "bar", "encoding": {"x": {"field": "missions", "type": "quantitative"}}}, {"mark": "point", "encoding": {"x": {"field": "missions", "type": "quantitative"}}}]},
    {"repeat": ["missions"], "spec": {"mark": "bar", "encoding": {"x": {"field": {"repeat": "repeat"}, "type": "quantitative"}}}},
])
def test_facets_concatenation_and_repeat_render(make_site, tmp_path, extra):
    spec = {k: v for k, v in LAYERED.items() if k not in ("layer", "params")} | extra
    spec["data"] = {"values": [{"company": "SpaceX", "missions": 28}, {"company": "Blue Origin", "missions": 7}]}
    root = make_site({"site_src/charts/multi.vl.json": json.dumps(spec)})
    build(load_config(root, tmp_path / "out"), Cache(None))
    assert (tmp_path / "out/embed/multi/inline.svg").read_text().startswith("<svg")


def test_invalid_vega_lite_names_file_and_json_path(make_site):
    bad = dict(LAYERED, data={"values": []}, layer=[{"mark": "bar", "encoding": {"x": {"field": "a", "type": "quantitativ"}}}])
    root = make_site({"site_src/charts/bad.vl.json": json.dumps(bad, indent=1)})
    with pytest.raises(BuildFailed) as failed:
        charts_of(root)
    text = failed.value.problems[0].format()
    assert text.startswith("site_src/charts/bad.vl.json:")
    assert "not valid Vega-Lite at $.layer[0].encoding.x.type: 'quantitativ' is not allowed (did you mean 'quantitative'?)" in text


def test_a_spec_vega_cannot_draw_is_a_located_error(make_site, tmp_path):
    spec = dict(LAYERED, data={"values": [{"company": "A", "missions": 1}]}, params=[{"name": "pick", "select": "point"}])
    root = make_site({"site_src/charts/clash.vl.json": json.dumps(spec)})
    with pytest.raises(BuildFailed) as failed:
        build(load_config(root, tmp_path / "out"), Cache(None))
    assert failed.value.problems[0].format().startswith("site_src/charts/clash.vl.json:1: error: chart 'clash' could not be drawn: Duplicate signal name")


def test_a_data_url_to_another_host_is_refused(make_site):
    spec = dict(LAYERED, data={"url": "https://example.com/data.csv"})
    root = make_site({"site_src/charts/remote.vl.json": json.dumps(spec)})
    with pytest.raises(BuildFailed, match=r"data.url 'https://example.com/data.csv' must name a file in site_src/data/ or site_src/static/"):
        charts_of(root)


def test_a_chart_function_that_raises_points_at_its_line(make_site):
    code = "from generator import chart\n\n@chart('x', title='X', description='D', sources=['wire-2025-04-04'])\ndef x(data):\n    return data.nope\n"
    root = make_site({"site_src/charts/broken.py": code})
    with pytest.raises(BuildFailed) as failed:
        charts_of(root)
    assert failed.value.problems[0].format() == "site_src/charts/broken.py:5: error: chart 'x' failed: AttributeError: Data has no collection 'nope'"


def test_chart_specs_are_cached_by_content(make_site, tmp_path, monkeypatch):
    import generator.charts as charts_module

    root = make_site()
    load_data_and_charts(load_config(root), Cache(tmp_path / "cache"))
    monkeypatch.setattr(charts_module, "_run_chart_module", lambda *a: (_ for _ in ()).throw(AssertionError("chart code ran again")))
    warm = load_data_and_charts(load_config(root), Cache(tmp_path / "cache"))[1]
    assert list(warm) == ["lane2-missions"]
    chart_file = root / "site_src/charts/awards.py"
    chart_file.write_text(chart_file.read_text().replace("Lane 2 missions by company", "Lane 2 missions, by company"))
    with pytest.raises(AssertionError, match="chart code ran again"):
        load_data_and_charts(load_config(root), Cache(tmp_path / "cache"))


def test_the_resize_script_is_under_two_kilobytes():
    assert len(resize_script().encode()) < 2048
    assert "pymxPYMx" in resize_script() and "explainer:height" in resize_script()
    assert "explainer:theme" in resize_script()  # it also passes the host's light/dark choice (test_theme_choice.py)


def test_chart_descriptions_may_quote_figures_from_the_data(make_site):
    code = ("from generator import chart\nimport altair as alt\n\n"
            "@chart('c', title='C', description='SpaceX: [[lane2-spacex.missions]] missions, [[lane2-spacex]].', sources=['wire-2025-04-04'])\n"
            "def c(data):\n    return alt.Chart(alt.Data(values=[{'a': 1}])).mark_bar().encode(x='a:Q')\n")
    root = make_site({"site_src/charts/c.py": code})
    assert charts_of(root)["c"].description == "SpaceX: 28 missions, $5.9 billion."
    broken = make_site({"site_src/charts/c.py": code.replace("lane2-spacex.missions", "lane2-spacx.missions")})
    with pytest.raises(BuildFailed) as failed:
        charts_of(broken)
    assert failed.value.problems[0].format() == (
        "site_src/charts/c.py:4: error: chart 'c': unknown record 'lane2-spacx' in figure reference (did you mean 'lane2-spacex'?)")


def test_hand_typed_figures_in_a_static_description_are_strict_warnings(make_site):
    from generator.charts import hand_typed_in_descriptions

    code = ("from generator import chart\nimport altair as alt\n\n"
            "@chart('c', title='C', description='SpaceX won $5.9 billion and [[lane2-spacex.missions]] missions.', sources=['wire-2025-04-04'])\n"
            "def c(data):\n    return alt.Chart(alt.Data(values=[{'a': 1}])).mark_bar().encode(x='a:Q')\n\n"
            "@chart('d', title='D', description='fallback', sources=['wire-2025-04-04'])\n"
            "def d(data):\n    total = sum(c.value for c in data.contracts)\n"
            "    return alt.Chart(alt.Data(values=[{'a': 1}])).mark_bar().encode(x='a:Q').properties(description=f'Total ${total / 1e9:.1f} billion.')\n")
    charts = charts_of(make_site({"site_src/charts/c.py": code}))
    assert charts["d"].description == "Total $8.2 billion."
    assert [p.format() for p in hand_typed_in_descriptions(charts)] == [
        "site_src/charts/c.py:4: warning: chart 'c' description: figure typed by hand: '$5.9 billion' (use a [[record-id]] reference)"]
