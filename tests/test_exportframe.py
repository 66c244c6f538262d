"""The export drawing: the page drawing itself, framed by its title, sources and as-of line."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from generator.chartfiles import ChartProvenance
from generator.exportframe import DRAWING_PADDING, PADDING, framed_svg
from generator.themes import THEMES

SVG = "{http://www.w3.org/2000/svg}"
DRAWING = (b'<svg xmlns="http://www.w3.org/2000/svg" class="marks" width="300" height="120" viewBox="0 0 300 120">'
           b'<rect width="300" height="120" fill="white"></rect><g transform="translate(5,5)"><path d="M0,0h10"/></g></svg>')
INFO = ChartProvenance("Who won what & why", "d", "Sources: Example Wire (April 4, 2025); " + "Another Outlet (May 1, 2025); " * 4, "2025-06-30")


def test_the_frame_holds_the_page_drawing_itself_under_its_words():
    framed = framed_svg(DRAWING, INFO, THEMES["light"], "Contested Orbit", "June 30, 2025").decode()
    root = ET.fromstring(framed)
    inset = PADDING - DRAWING_PADDING
    assert int(root.get("width")) == 300 + 2 * inset
    [group] = [g for g in root if g.tag == f"{SVG}g"]
    top = int(re.match(r"translate\((\d+),(\d+)\)", group.get("transform")).group(2))
    assert group.get("transform").startswith(f"translate({inset},") and int(root.get("height")) == top + 120 + inset
    assert '<g transform="translate(5,5)"><path d="M0,0h10"/></g>' in framed  # the drawing as drawn, not drawn again
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert texts[0] == "Who won what & why" and root.find(f"{SVG}title").text == "Who won what & why"
    assert "Data as of June 30, 2025 · Contested Orbit" in texts[1] and "Example Wire" in texts[1]


def test_long_source_lines_wrap_to_the_drawing_and_push_it_down():
    short = ChartProvenance("T", "d", "Sources: One (2025)", "2025-06-30")
    top = lambda info: int(re.search(r'<g transform="translate\(\d+,(\d+)\)"', framed_svg(DRAWING, info, THEMES["light"], "S", "x").decode()).group(1))  # noqa: E731
    lines = framed_svg(DRAWING, INFO, THEMES["light"], "S", "x").decode().count("<tspan")
    assert lines >= 4 and top(INFO) > top(short)


def test_the_dark_frame_is_on_the_dark_background_with_the_dark_words():
    framed = framed_svg(DRAWING, INFO, THEMES["dark"], "S", "x").decode()
    dark = THEMES["dark"]
    assert f'fill="{dark.background}"' in framed and f'fill="{dark.text}"' in framed and f'fill="{dark.muted}"' in framed
