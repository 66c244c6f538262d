"""What a drawing of one layout shows, read from its scenegraph, for placing annotations.

vl-convert lays the layout out (with an invisible point at each annotation's pin) and gives
every mark's items in px; this reads the plot's size, the pins, and the boxes notes must keep
clear of: axis, legend and title text, and bars (hard), the chart's points and lines (soft,
avoided where another spot fits), and the box of everything drawn, to put a key under.
Text boxes are measured with the shipped font (notetext.py).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Iterator, Optional

from .notetext import text_width

ANCHOR = "explainer_anchor"  # the name of the invisible layers that mark the pins (explainer_anchor_<note>_<pin>)

Box = tuple[float, float, float, float]  # left, top, right, bottom in px of the plot


@dataclass(frozen=True)
class Scene:
    """What the anchored drawing showed: plot size, pins, hard and soft obstacles, content box."""

    width: float
    height: float
    pins: dict  # (annotation index, pin index) -> (x, y)
    hard: tuple[Box, ...]  # axis, legend and title text; the chart's bars
    soft: tuple[Box, ...]  # the chart's own marks
    content: Box  # everything drawn, to put the key under
    geo: bool


def read_scene(graph: dict, geo: bool, view: Optional[int] = None) -> Scene:
    """The plot, pins and obstacles of a scenegraph (as vl-convert's vegalite_to_scenegraph returns
    it); of a concat chart, those of its view at index `view`, in that view's own frame."""
    plot = graph["scenegraph"]["items"][0]
    if view is not None:
        plot = _view_frame(plot, f"concat_{view}_group")
    width, height = float(plot.get("width") or 0), float(plot.get("height") or 0)
    pins, hard, soft = {}, [], []
    for mark, x0, y0 in _marks(plot, 0.0, 0.0):
        name, role = str(mark.get("name") or ""), mark.get("role")
        for item in mark.get("items", []):
            if name.startswith(ANCHOR):
                at, pin_at = (int(part) for part in name[len(ANCHOR) + 1:].removesuffix("_marks").split("_"))
                pins[at, pin_at] = (x0 + item.get("x", 0), y0 + item.get("y", height / 2))
            elif mark.get("marktype") == "text" and item.get("text") not in (None, ""):
                hard.append(_shifted(_text_box(item), x0, y0))
            elif role == "mark" and mark.get("marktype") == "rect" and _solid(item):
                hard.append(_shifted(_item_box("rect", item), x0, y0))  # text over a bar cannot be read (over a pale band it can)
            elif role == "mark":
                soft.append(_shifted(_item_box(mark.get("marktype"), item), x0, y0))
        if role == "mark" and mark.get("marktype") in ("line", "trail") and not name.startswith(ANCHOR):
            soft += [_shifted(box, x0, y0) for box in _along(mark.get("items", []))]
    everything = hard + [(0.0, 0.0, width, height)]
    content = (min(b[0] for b in everything), min(b[1] for b in everything), max(b[2] for b in everything), max(b[3] for b in everything))
    return Scene(width, height, pins, tuple(hard), tuple(soft), content, geo)


def _view_frame(root: dict, name: str) -> dict:
    """The group item Vega draws one view of a concat chart in (its x/y are the view's place)."""
    for mark in root.get("items", []):
        if mark.get("marktype") == "group" and mark.get("name") == name and mark.get("items"):
            return mark["items"][0]
    raise ValueError(f"the drawing has no view group {name}")


def _solid(item: dict) -> bool:
    opacity = item.get("fillOpacity", item.get("opacity", 1))
    return not isinstance(opacity, (int, float)) or opacity >= 0.5


def _marks(group: dict, x0: float, y0: float) -> Iterator[tuple[dict, float, float]]:
    """Every mark inside a group item, with the offset of the group it is drawn in."""
    for mark in group.get("items", []):
        if mark.get("marktype") == "group":
            for item in mark.get("items", []):
                yield from _marks(item, x0 + item.get("x", 0), y0 + item.get("y", 0))
        else:
            yield mark, x0, y0


def _shifted(box: Box, x: float, y: float) -> Box:
    return (box[0] + x, box[1] + y, box[2] + x, box[3] + y)


def _text_box(item: dict) -> Box:
    """The box of a drawn text (one line or several), turned by its angle about its anchor."""
    size = float(item.get("fontSize") or 11)
    lines = item["text"] if isinstance(item["text"], list) else _broken(str(item["text"]), item.get("lineBreak"))
    width = max(text_width(str(line), size, str(item.get("fontWeight")) in ("bold", "700")) for line in lines)
    height = size * 1.15 + (len(lines) - 1) * float(item.get("lineHeight") or size + 2)
    left = {"left": 0, "center": -width / 2, "right": -width}.get(item.get("align") or "left", 0)
    top = {"top": 0, "middle": -height / 2, "bottom": -height}.get(item.get("baseline") or "alphabetic", -size * 0.8)
    x, y, angle = float(item.get("x") or 0) + float(item.get("dx") or 0), float(item.get("y") or 0) + float(item.get("dy") or 0), math.radians(float(item.get("angle") or 0))
    corners = [(left + cx, top + cy) for cx in (0, width) for cy in (0, height)]
    turned = [(x + cx * math.cos(angle) - cy * math.sin(angle), y + cx * math.sin(angle) + cy * math.cos(angle)) for cx, cy in corners]
    return (min(p[0] for p in turned), min(p[1] for p in turned), max(p[0] for p in turned), max(p[1] for p in turned))


def _broken(text: str, line_break) -> list[str]:
    """A text's lines where the mark breaks it at a `lineBreak` string (Vega keeps the text whole)."""
    return text.split(line_break) if isinstance(line_break, str) and line_break else [text]


def _along(points: list[dict]) -> Iterator[Box]:
    """Small boxes every few px along a line's segments, so a note keeps off the line itself."""
    for start, end in zip(points, points[1:]):
        x1, y1, x2, y2 = (float(p.get(k) or 0) for p in (start, end) for k in ("x", "y"))
        steps = max(1, int(math.hypot(x2 - x1, y2 - y1) // 6))
        for step in range(1, steps):
            x, y = x1 + (x2 - x1) * step / steps, y1 + (y2 - y1) * step / steps
            yield (x - 1.5, y - 1.5, x + 1.5, y + 1.5)


def _item_box(marktype: str, item: dict) -> Box:
    x, y = float(item.get("x") or 0), float(item.get("y") or 0)
    if marktype == "rect":
        x2 = float(item["x2"]) if item.get("x2") is not None else x + float(item.get("width") or 0)
        y2 = float(item["y2"]) if item.get("y2") is not None else y + float(item.get("height") or 0)
        return (min(x, x2), min(y, y2), max(x, x2), max(y, y2))
    radius = math.sqrt(float(item.get("size") or 30)) / 2 if marktype == "symbol" else 2
    return (x - radius, y - radius, x + radius, y + radius)
