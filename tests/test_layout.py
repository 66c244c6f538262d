"""Narrow and container layouts: stacking panels, fitting widths by measuring, the (data, layout) charts."""

import re

from generator.layout import CONTAINER, NARROW, Layout, fit_width, narrow_layout, resizable, stacked, uses_container_width, wide_layout


def fake_measure(overhead: int = 60):
    """A drawing as wide as its widest view plus a fixed axis overhead, like Vega's."""
    drawn = []

    def measure(spec: dict) -> tuple[int, int]:
        widths = [v.get("width", 200) for v in (spec.get("vconcat") or [spec])]
        drawn.append(spec)
        return max(widths) + overhead, 100

    return measure, drawn


BAR = {"mark": "bar", "width": 560, "height": 100}


def test_side_by_side_panels_stack_and_nested_stacks_flatten():
    spec = {"hconcat": [BAR, {"vconcat": [BAR, {"layer": [BAR]}]}], "spacing": 16, "resolve": {"scale": {"y": "shared"}}}
    out = stacked(spec)
    assert "hconcat" not in out and out["resolve"] == spec["resolve"]
    assert out["vconcat"] == [BAR, BAR, {"layer": [BAR]}]


def test_fitting_sets_every_view_width_so_the_drawing_is_the_target():
    measure, drawn = fake_measure(overhead=73)
    laid = fit_width({"vconcat": [BAR, dict(BAR, width=300)]}, NARROW, measure)
    assert [v["width"] for v in laid["vconcat"]] == [NARROW - 73, NARROW - 73]
    assert len(drawn) <= 3  # measure as written, then one corrected drawing that lands


def test_a_narrow_layout_puts_legends_below_unless_the_chart_chose():
    measure, _ = fake_measure()
    assert narrow_layout(BAR, measure, 620)["config"]["legend"] == {"orient": "bottom", "direction": "horizontal", "titleOrient": "top"}
    chosen = dict(BAR, config={"legend": {"orient": "top"}})
    assert narrow_layout(chosen, measure, 620)["config"]["legend"]["orient"] == "top"


def test_no_narrow_layout_for_small_charts_or_facets():
    measure, _ = fake_measure()
    assert narrow_layout(dict(BAR, width=200), measure, 260) is None
    facet = {"facet": {"field": "x"}, "spec": BAR}
    assert not resizable(facet) and narrow_layout(facet, measure, 900) is None
    # a chart's own narrow design is used even when the wide one is small
    assert narrow_layout(dict(BAR, width=200), measure, 260, own=dict(BAR, mark="point"))["mark"] == "point"


def test_container_width_is_drawn_at_container_px():
    measure, _ = fake_measure(overhead=50)
    spec = {"layer": [{"mark": "bar"}], "width": "container", "autosize": {"type": "fit", "contains": "padding"}}
    assert uses_container_width(spec)
    laid = wide_layout(spec, measure)
    assert laid["width"] == CONTAINER - 50 and "autosize" not in laid
    assert wide_layout(BAR, measure) is BAR  # a fixed width stays as written


def test_a_chart_taking_a_layout_is_called_for_both(make_site, tmp_path):
    from generator.build import build
    from generator.cache import Cache
    from generator.config import load_config

    chart = '''import altair as alt
from generator import chart


@chart("two-ways", title="Two ways", description="Bar chart of missions.", sources=["wire-2025-04-04"])
def two_ways(data, layout):
    rows = [{"company": data.get(c.awardee).label, "missions": c.missions} for c in data.contracts]
    label = "Missions (narrow)" if layout.narrow else "Missions flown or expected (wide)"
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(x=alt.X("missions:Q", title=label), y="company:N").properties(width=520)
'''
    root = make_site({"site_src/charts/two.py": chart})
    build(load_config(root, tmp_path / "out"), Cache(None))
    folder = tmp_path / "out/embed/two-ways"
    narrow, wide = (folder / "inline-narrow.svg").read_text(), (folder / "inline.svg").read_text()
    assert "Missions (narrow)" in narrow and "(wide)" in wide and "(wide)" not in narrow
    assert abs(int(re.search(r'width="(\d+)', narrow).group(1)) - NARROW) <= 2
    assert "Missions (narrow)" in (folder / "chart-narrow.vl.json").read_text()
    assert Layout("narrow", NARROW).narrow and not Layout("wide", None).narrow


def test_a_chart_whose_text_will_not_narrow_keeps_its_wide_drawing():
    """Labels that stick out at the minimum plot width would overlap: better the wide drawing, scrolled."""

    def measure(spec):
        return max(spec.get("width", 560), 80) + 400, 100  # 400 px of labels that never shrink

    assert narrow_layout(BAR, measure, 960) is None


def test_a_medium_width_bridges_narrow_and_wide_when_neither_keeps_text_11_to_16_px():
    from generator.layout import MAX_TEXT, MIN_TEXT, medium_width

    assert medium_width(682, 320, 12) == 467  # 320 px shown at 426 px is 16 px text; 682 px shown under 625 px is under 11
    medium = medium_width(682, 320, 12)
    # where it takes over from each, both are shown at the same scale: 16 px text at most, give or take rounding
    assert abs(320 * MAX_TEXT / 12 - medium * MIN_TEXT / 12) < 2 and abs(medium * MAX_TEXT / 12 - 682 * MIN_TEXT / 12) < 3
    assert medium_width(420, 320, 12) is None  # the narrow drawing stretched reaches the wide one's range


def test_a_medium_layout_keeps_the_desktop_layout_or_takes_the_phone_one_where_labels_need_room():
    from generator.layout import medium_layout

    measure, _ = fake_measure(overhead=73)
    spec = {"hconcat": [BAR, BAR]}
    laid = medium_layout(spec, measure, 467)
    assert "hconcat" in laid and measure(laid)[0] <= 467 + 8

    def stubborn(spec: dict) -> tuple[int, int]:  # side by side it never gets under 600 px
        return (600 if "hconcat" in spec else max(v.get("width", 200) for v in spec.get("vconcat") or [spec]) + 73), 100

    laid = medium_layout(spec, stubborn, 467)
    assert "vconcat" in laid and laid["config"]["legend"]["orient"] == "bottom"
