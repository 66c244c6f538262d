"""Annotations as Vega-Lite layers, pinned to data values so they stay anchored wherever the
chart is laid out again (the live chart fills its box at another width).

Each note, range, line, connector and marker is its own small layer with one empty row of
data and `datum` encodings on the chart's own scales (a datum adds no axis title); offsets in
px are mark properties (`dx`/`dy` for text, `xOffset`... for rules). A single-view chart
becomes a layer to carry them; a layered chart gets them around its own layers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .annotations import without_annotations

ONE_ROW = {"values": [{}]}
# What stays at the top of a spec when its view is moved into a layer: the rest is the view's.
TOP_LEVEL = ("$schema", "config", "width", "height", "autosize", "padding", "background", "title", "description", "usermeta",
             "datasets", "projection", "spacing", "bounds", "align", "center")
RING = 20  # px: a numbered marker's circle
BAND_OPACITY = 0.12


@dataclass(frozen=True)
class Placed:
    """One text drawn on the chart: its lines, where it is pinned (x/y encodings) and its offsets."""

    lines: tuple[str, ...]
    x: dict
    y: dict
    dx: float
    dy: float
    align: str  # "left", "center" or "right"; the baseline is always "top" (or "middle" for a marker)
    size: float
    line_height: float
    bold: bool = False
    connector: Optional[tuple[float, float, float, float]] = None  # from (dx, dy) to (dx2, dy2) of the same pin
    ring: bool = False  # a numbered marker: its number in a circle, centred on (dx, dy)
    channels: tuple[str, str] = ("x", "y")  # ("longitude", "latitude") on a map

    def pin(self) -> dict:
        return {self.channels[0]: self.x, self.channels[1]: self.y}


def layered(spec: dict, below: list[dict], above: list[dict]) -> dict:
    """The spec as a layer chart with `below` drawn under its own marks and `above` over them."""
    if not below and not above:
        return spec
    top = {key: value for key, value in spec.items() if key in TOP_LEVEL}
    view = {key: value for key, value in spec.items() if key not in TOP_LEVEL}
    if "layer" in spec and "params" in view:  # selections of a layer chart are declared at its top
        top["params"] = view.pop("params")
    return top | {"layer": below + [view] + above}


def with_notes(spec: dict, notes: list[dict], texts: list[Placed], datum) -> dict:
    """The spec with its annotations drawn: ranges under its marks; lines, connectors, markers
    and texts over them. `datum(channel, value)` is the encoding of a data value."""
    below = [_band(channel, span, datum) for note in notes if "range" in note for channel, span in note["range"].items()]
    above = [_rule(channel, value, datum) for note in notes if "line" in note for channel, value in note["line"].items()]
    above += [_connector(text) for text in texts if text.connector]
    above += [_ring(text) for text in texts if text.ring]
    above += [_text(text) for text in texts]
    return layered(without_annotations(spec), below, above)


# Bands, lines, connectors and rings are drawing, not content: `aria: False` keeps them out of the
# live chart's accessibility tree (an SVG mark with a role and no name is an axe "serious"
# finding); what each annotation says is in the chart's description and its notes table.


def _band(channel: str, span: list, datum) -> dict:
    return {"data": ONE_ROW, "mark": {"type": "rect", "opacity": BAND_OPACITY, "aria": False},
            "encoding": {channel: datum(channel, span[0]), f"{channel}2": {"datum": datum(channel, span[1])["datum"]}}}


def _rule(channel: str, value, datum) -> dict:
    return {"data": ONE_ROW, "mark": {"type": "rule", "strokeDash": [4, 3], "strokeWidth": 1.5, "aria": False}, "encoding": {channel: datum(channel, value)}}


def _connector(text: Placed) -> dict:
    start_x, start_y, end_x, end_y = text.connector
    encoding = text.pin() | {f"{text.channels[0]}2": _same(text.x), f"{text.channels[1]}2": _same(text.y)}
    mark = {"type": "rule", "strokeWidth": 1, "xOffset": start_x, "yOffset": start_y, "x2Offset": end_x, "y2Offset": end_y, "aria": False}
    return {"data": ONE_ROW, "mark": mark, "encoding": encoding}


def _same(encoding: dict) -> dict:
    return {key: value for key, value in encoding.items() if key != "type"}


def _ring(text: Placed) -> dict:
    # Filled with the page's own background (Vega's `background` signal), so that a marker that had
    # to sit on a point keeps its number legible over the point's colour.
    mark = {"type": "point", "shape": "circle", "filled": False, "fill": {"expr": "background"}, "fillOpacity": 1, "opacity": 1,
            "strokeWidth": 1.5, "size": RING * RING, "xOffset": text.dx, "yOffset": text.dy, "aria": False}
    return {"data": ONE_ROW, "mark": mark, "encoding": text.pin()}


def _text(text: Placed) -> dict:
    mark = {"type": "text", "align": text.align, "baseline": "middle" if text.ring else "top", "dx": round(text.dx, 1),
            "dy": round(text.dy, 1), "fontSize": text.size, "lineHeight": text.line_height}
    if text.bold:
        mark["fontWeight"] = "bold"
    shown = text.lines[0] if len(text.lines) == 1 else list(text.lines)
    return {"data": ONE_ROW, "mark": mark, "encoding": text.pin() | {"text": {"value": shown}}}
