"""The export drawing: a chart's page drawing framed by its title, sources and as-of line.

Exported images (PNG, SVG, PDF) carry the words that must travel with a chart. They were a
second Vega drawing of each layout and theme with a Vega title added, four of a chart's
dozen drawings; the frame is now laid out here around the page drawing already made, so
the chart inside is the very drawing the page shows. The words are wrapped to the
drawing's width, so a long source line does not widen the image (a phone's image stays
phone-wide, a desktop one does not grow to thousands of px and shrink its labels).
"""

from __future__ import annotations

import html
import re
import textwrap
from typing import Any

from .typefaces import SANS_STACK

PADDING = 16  # px around the frame's contents
DRAWING_PADDING = 5  # px Vega leaves around a page drawing (its default padding)
TITLE_GAP = 12  # px between the words and the chart
SUBTITLE_GAP = 3  # px between the title and the lines under it
SUBTITLE_LINE = 14  # px from one source line to the next (12 px text)
BASELINE = 0.79  # of the font size: where a line's baseline sits under its top, as Vega places it

_ROOT = re.compile(r"<svg\b[^>]*>")


def framed_svg(drawing: bytes, info: Any, theme: Any, site_name: str, as_of_text: str) -> bytes:
    """The export SVG of a page drawing (`drawing`, drawn in `theme`): title, then sources and
    the as-of line, then the chart, on the theme's background."""
    text = drawing.decode()
    width, height = _size(text)
    title_config = theme.config.get("title", {})
    font = title_config.get("font") or theme.config.get("font") or SANS_STACK
    title_size, subtitle_size = title_config.get("fontSize", 17), title_config.get("subtitleFontSize", 12)
    title_chars, line_chars = max(20, width * 10 // (17 * 6)), max(30, width * 100 // (12 * 55))  # ~0.6 em a bold character, 0.55 em a plain one
    title = textwrap.wrap(info.title, title_chars) or [""]
    lines = [part for line in (info.source_line, f"Data as of {as_of_text} · {site_name}") for part in textwrap.wrap(line, line_chars)]
    title_line = round(title_size * 1.2)
    top = PADDING + round(BASELINE * title_size)
    subtitle_top = PADDING + title_line * len(title) + SUBTITLE_GAP + round(BASELINE * subtitle_size)
    chart_top = PADDING + title_line * len(title) + SUBTITLE_GAP + SUBTITLE_LINE * len(lines) + TITLE_GAP - DRAWING_PADDING
    inset = PADDING - DRAWING_PADDING
    outer_width, outer_height = width + 2 * inset, chart_top + height + inset
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{outer_width}" height="{outer_height}" '
        f'viewBox="0 0 {outer_width} {outer_height}" role="img">',
        f"<title>{html.escape(info.title)}</title>",
        f'<rect width="{outer_width}" height="{outer_height}" fill="{html.escape(str(theme.config.get("background", theme.background)))}"/>',
        _lines(title, top, title_line, font, title_size, title_config.get("color", theme.text), "bold"),
        _lines(lines, subtitle_top, SUBTITLE_LINE, title_config.get("subtitleFont") or font, subtitle_size, title_config.get("subtitleColor", theme.muted)),
        f'<g transform="translate({inset},{chart_top})">{_contents(text)}</g>',
        "</svg>",
    ]
    return "".join(parts).encode()


def _lines(lines: list[str], top: int, step: int, font: str, size: float, colour: str, weight: str = "normal") -> str:
    """Lines of text, the first baseline at `top`, as <tspan>s in one <text> (as Vega writes them)."""
    spans = "".join(f'<tspan x="{PADDING}" {"y" if at == 0 else "dy"}="{top if at == 0 else step}">{html.escape(line, quote=False)}</tspan>'
                    for at, line in enumerate(lines))
    weight_attribute = f' font-weight="{weight}"' if weight != "normal" else ""
    return (f'<text font-family="{html.escape(font)}" font-size="{size}px"{weight_attribute} fill="{html.escape(str(colour))}">'
            f"{spans}</text>")


def _size(svg: str) -> tuple[int, int]:
    root = _ROOT.search(svg)
    found = dict(re.findall(r'(width|height)="([\d.]+)', root.group(0))) if root else {}
    return round(float(found.get("width", 600))), round(float(found.get("height", 400)))


def _contents(svg: str) -> str:
    """What is inside a drawing's root <svg> element."""
    root = _ROOT.search(svg)
    return svg[root.end():svg.rindex("</svg>")] if root else svg
