"""Dark drawings swapped from light ones only where that is exactly what Vega draws."""

from __future__ import annotations

from generator import chartfiles
from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.recolour import colour_swaps, dark_from_light
from generator.themes import THEMES, chart_themes
from support import tree_bytes

LIGHT = b'<svg><rect fill="#ffffff"/><path stroke="#4A5260" fill="#2870b0"/><text fill="#16191d">A</text></svg>'


def test_the_themes_differ_in_colours_only_each_with_one_counterpart():
    swaps = colour_swaps(THEMES["light"].config, THEMES["dark"].config)
    assert swaps == {"#ffffff": "#15181d", "#16191d": "#eceff3", "#4a5260": "#b4bcc8", "#e3e6ea": "#2c323b"}
    assert colour_swaps({"a": "#ffffff", "b": 12}, {"a": "#000000", "b": 13}) is None  # a size differs: not colours only
    assert colour_swaps({"a": "#ffffff", "b": "#ffffff"}, {"a": "#000000", "b": "#111111"}) is None  # one light, two dark
    assert colour_swaps({"a": "#ffffff", "b": "#000000"}, {"a": "#000000", "b": "#ffffff"}) is None  # swapped both ways


def test_a_light_drawing_becomes_the_dark_one_by_its_theme_colours():
    swaps = colour_swaps(THEMES["light"].config, THEMES["dark"].config)
    dark = dark_from_light(LIGHT, {"mark": "bar"}, swaps)
    assert dark == b'<svg><rect fill="#15181d"/><path stroke="#b4bcc8" fill="#2870b0"/><text fill="#eceff3">A</text></svg>'


def test_what_a_swap_cannot_know_is_drawn_by_vega():
    swaps = colour_swaps(THEMES["light"].config, THEMES["dark"].config)
    white_labels = {"mark": {"type": "text", "color": "#FFFFFF"}}  # the chart's own white, not the theme's background
    assert dark_from_light(LIGHT, white_labels, swaps) is None
    gradient = b'<svg><stop stop-color="#16191d"/><rect fill="#ffffff"/></svg>'  # a theme colour left where no swap reaches
    assert dark_from_light(gradient, {"mark": "bar"}, swaps) is None
    assert dark_from_light(LIGHT, {"mark": "bar"}, None) is None


def test_a_site_whose_dark_theme_changes_more_than_colours_is_drawn_by_vega():
    themes = chart_themes({"title": {"fontSize": 20}})
    assert colour_swaps(themes["light"].config, themes["dark"].config) is not None  # the same override in both: still colours only
    odd = dict(themes["dark"].config, padding=9)
    assert colour_swaps(themes["light"].config, odd) is None


def test_swapped_dark_drawings_are_the_bytes_vega_draws(make_site, tmp_path, monkeypatch):
    root = make_site()
    log = tmp_path / "swapped.txt"  # drawings happen in forked workers: they tell the test through a file

    def logged(*args):
        made = dark_from_light(*args)
        with log.open("a") as written:
            written.write("swapped\n" if made is not None else "drawn\n")
        return made

    monkeypatch.setattr(chartfiles, "dark_from_light", logged)
    swapped = build(load_config(root, tmp_path / "swapped"), Cache(None))
    assert "swapped" in log.read_text().split()  # the site has dark drawings made by swapping
    monkeypatch.setattr(chartfiles, "dark_from_light", lambda *args: None)  # workers are forked: they see it too
    drawn = build(load_config(root, tmp_path / "drawn"), Cache(None))
    assert swapped.charts == drawn.charts and tree_bytes(tmp_path / "swapped") == tree_bytes(tmp_path / "drawn")
