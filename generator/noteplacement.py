"""Placing a chart's annotations on one layout so that none overlaps another, an axis label or
the plot's edge, with no text under MIN_TEXT px.

The layout is drawn once (as a scenegraph, cached like every drawing) with an invisible point
at each place an annotation is pinned to; that gives the pins' px, the plot's frame and the
boxes of the axis and legend text. Each annotation then takes, in the order it was declared,
the first candidate spot around its pin (nearest first, wrapped narrower next) whose text box
fits; a spot that also keeps clear of the chart's own marks is preferred. The live chart is
laid out again at other widths, so a box must fit with the plot from LIVE_STRETCH[0] to
LIVE_STRETCH[-1] times as wide. What finds no spot (on a phone, crowded notes) becomes a
numbered marker at its pin and an entry in a numbered key under the chart, in the drawing,
so the PNG and a newsletter keep it. Deterministic: same layout, same placement.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Iterator, Optional

from .annotations import LISTED, annotations_of, without_annotations
from .layout import MIN_TEXT
from .noteaxes import Axes, chart_axes, concat_key, concat_views
from .notelayers import ONE_ROW, RING, Placed, layered, with_notes
from .notescene import ANCHOR, Box, Scene, read_scene
from .notetext import text_width, wrapped

LIVE_STRETCH = (0.85, 1.0, 1.4)  # the plot's width in the live chart, relative to the drawing's
PAD = 2  # px kept around every text box
NOTE_DISTANCES = (10, 22, 38, 58)  # px from the pin, nearest first; a note gets a connector
LABEL_DISTANCES = (4, 12, 24, 40)  # a place label sits right next to its point; a connector only when moved
MARKER_DISTANCES = (14, 24, 36, 0)  # last: on the pin itself
CONNECT_FROM = 14  # px between a pin and its text from which a connector is drawn (nearer, the text is beside it)
WIDEST_NOTE = 200  # px a note's lines may take, at most; at most half the plot
ONE_LINE = 0.75  # of the plot's width: a note on one line may take this much
DIRECTIONS = ((1, 0), (-1, 0), (0, -1), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))  # right, left, above, below, then corners


@dataclass(frozen=True)
class Candidate:
    placed: Placed
    pin: tuple[float, float]
    box: Box  # relative to the pin


def annotated(layout: dict, config: dict, scene: Callable[[dict], dict]) -> Optional[Callable[[dict], dict]]:
    """For a layout with annotations: a function that draws them, placed for this layout, into
    it or into a live spec of the same layout; None for a layout without any. In a concat chart
    each view gets its own annotations, placed in that view's frame."""
    notes = annotations_of(layout)
    if not notes:
        return None
    size = max(MIN_TEXT, _label_size(layout, config))
    key = concat_key(layout)
    if key is None:
        axes = chart_axes(layout)
        texts = _view_texts(layout, notes, axes, size, scene, lambda anchors: layered(without_annotations(layout), [], anchors), None)
        return lambda spec: with_notes(spec, notes, texts, axes.datum)
    views = concat_views(layout)
    drawn = {}  # view index -> (its notes, their texts, its axes)
    for index in sorted({note["view"] for note in notes}):
        own = [{k: v for k, v in note.items() if k != "view"} for note in notes if note["view"] == index]
        axes = chart_axes(views[index])
        texts = _view_texts(layout, own, axes, size, scene, lambda anchors, at=index: _in_view(without_annotations(layout), key, at, lambda view: layered(view, [], anchors)), index)
        drawn[index] = (own, texts, axes)

    def draw(spec: dict) -> dict:
        plain = without_annotations(spec)
        for index, (own, texts, axes) in drawn.items():
            plain = _in_view(plain, key, index, lambda view, own=own, texts=texts, axes=axes: with_notes(view, own, texts, axes.datum))
        return plain
    return draw


def _in_view(spec: dict, key: str, index: int, change: Callable[[dict], dict]) -> dict:
    """The concat chart with its view at `index` changed."""
    views = list(spec[key])
    views[index] = change(views[index])
    return spec | {key: views}


def _view_texts(layout: dict, notes: list[dict], axes: Axes, size: float, scene: Callable[[dict], dict],
                anchored: Callable[[list[dict]], dict], view: Optional[int]) -> list[Placed]:
    """The notes of one view placed: the layout drawn with their pins (`anchored`), then spots chosen."""
    found = read_scene(scene(anchored(list(_anchor_layers(notes, axes)))), axes.geo, view)
    return _placed(notes, found, axes, size)


def annotated_drawings(drawings: dict[str, dict], live: dict[str, dict], config: dict, scene: Callable[[dict], dict]) -> tuple[dict, dict]:
    """Each drawing (and the live spec of the same name) with its annotations placed for it."""
    drawn, live = dict(drawings), dict(live)
    for name, layout in drawings.items():
        draw = annotated(layout, config, scene)
        if draw is not None:
            drawn[name], live[name] = draw(layout), draw(live[name])
    return drawn, live


def _label_size(layout: dict, config: dict) -> float:
    own = (layout.get("config") or {}).get("axis") or {}
    return float(own.get("labelFontSize") or (config.get("axis") or {}).get("labelFontSize") or 12)


def _pins(note: dict) -> list[dict]:
    """Where an annotation is pinned, as partial data points: a note's point, a range's two ends, a
    line's value; none for a note only listed in the key (its axis is not in this drawing)."""
    if note.get(LISTED):
        return []
    if "range" in note:
        channel, span = next(iter(note["range"].items()))
        return [{channel: span[0]}, {channel: span[1]}]
    if "line" in note:
        return [dict(note["line"])]
    return [{key: note[key] for key in ("x", "y", "longitude", "latitude") if key in note}]


def _anchor_layers(notes: list[dict], axes: Axes) -> Iterator[dict]:
    for at, note in enumerate(notes):
        for pin_at, pin in enumerate(_pins(note)):
            encoding = {key: ({"datum": value, "type": "quantitative"} if key in ("longitude", "latitude") else axes.datum(key, value)) for key, value in pin.items()}
            yield {"name": f"{ANCHOR}_{at}_{pin_at}", "data": ONE_ROW, "mark": {"type": "point", "opacity": 0}, "encoding": encoding}



# Choosing spots -----------------------------------------------------------------------

def _placed(notes: list[dict], scene: Scene, axes: Axes, size: float) -> list[Placed]:
    """Texts where they fit, markers and key entries for the rest. Texts on one line take room
    that markers may then lack: if a marker finds no free spot, texts are placed again wrapped
    only, and if one still does not, every annotation goes to the key (markers fit where texts could not)."""
    worded = [at for at, note in enumerate(notes) if not ("range" in note and not note.get("label")) and not note.get(LISTED)]  # a band without words: nothing to place
    listed = [note for note in notes if note.get(LISTED)]
    pins = [scene.pins[key] for key in sorted(scene.pins)]
    for one_line in (True, False):
        taken: list[Candidate] = []
        left_over = []
        for at in worded:
            chosen = _first_fit(_candidates(notes[at], at, scene, axes, size, one_line), scene, taken, pins)
            if chosen:
                taken.append(chosen)
            else:
                left_over.append(at)
        if not left_over or _markers(notes, left_over, scene, axes, size, taken, pins):
            return [c.placed for c in taken] + _key([notes[at] for at in left_over], scene, size, listed)
    taken = []
    _markers(notes, worded, scene, axes, size, taken, pins)
    return [c.placed for c in taken] + _key([notes[at] for at in worded], scene, size, listed)


def _markers(notes: list[dict], left_over: list[int], scene: Scene, axes: Axes, size: float, taken: list[Candidate], pins: list) -> bool:
    """Place a numbered marker for each annotation left over; False if one had to overlap."""
    free = True
    for number, at in enumerate(left_over, 1):
        free = _marker(notes[at], at, number, scene, axes, size, taken, pins) and free
    return free


def _first_fit(candidates: Iterator[Candidate], scene: Scene, taken: list[Candidate], pins: list) -> Optional[Candidate]:
    fitting = None
    for candidate in candidates:
        if _fits(candidate, scene, taken):
            if _clear(candidate, scene, pins):
                return candidate
            fitting = fitting or candidate
    return fitting


def _at(candidate: Candidate, stretch: float) -> Box:
    x, y = candidate.pin[0] * stretch, candidate.pin[1]
    box = candidate.box
    return (x + box[0] - PAD, y + box[1] - PAD, x + box[2] + PAD, y + box[3] + PAD)


def _fits(candidate: Candidate, scene: Scene, taken: list[Candidate]) -> bool:
    for stretch in ((1.0,) if scene.geo else LIVE_STRETCH):
        box = _at(candidate, stretch)
        if box[0] < 0 or box[1] < 0 or box[2] > scene.width * stretch or box[3] > scene.height:
            return False
        if any(_overlap(box, _at(other, stretch)) for other in taken):
            return False
    box = _at(candidate, 1.0)
    return not any(_overlap(box, other) for other in scene.hard)


def _clear(candidate: Candidate, scene: Scene, pins: list) -> bool:
    box = _at(candidate, 1.0)
    own = candidate.pin
    others = [(x - 3, y - 3, x + 3, y + 3) for x, y in pins if (x, y) != own]
    return not any(_overlap(box, other) for other in list(scene.soft) + others)


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _candidates(note: dict, at: int, scene: Scene, axes: Axes, size: float, one_line: bool = True) -> Iterator[Candidate]:
    if "range" in note or "line" in note:
        yield from _edge_candidates(note, at, scene, axes, size, one_line=one_line)
        return
    pin = scene.pins[at, 0]
    label = note.get("style") == "label"
    wraps = [wrapped(note["note"], size, width) for width in _widths(note["note"], scene, size, one_line)]
    for distance in LABEL_DISTANCES if label else NOTE_DISTANCES:  # nearest first, however wrapped
        for lines in wraps:
            for direction in DIRECTIONS:
                yield _around(lines, _pin_encodings(note, axes, pin, scene.width), pin, direction, distance, size, connect=not label or distance > LABEL_DISTANCES[0])
    for lines in wraps:
        for pinned, edge, direction in _edge_pins(note, _pin_encodings(note, axes, pin, scene.width), pin, scene):
            yield _around(lines, pinned, edge, direction, 4, size, connect=False)


def _edge_pins(note: dict, pinned: Pinned, pin: tuple[float, float], scene: Scene) -> Iterator[tuple[Pinned, tuple[float, float], tuple[int, int]]]:
    """For a note on one axis of two (a timeline with only dates on y, or a phone's drawing that
    lacks the other axis), where it is pinned matters on that axis only: it may also stand at
    either edge of the plot, level with its value (pinned by px to the edge, which the live chart
    keeps), with the direction from that edge into the plot."""
    if "longitude" in note or ("x" in note) == ("y" in note):
        return
    if "x" not in note:
        for edge, at_x, direction in (({"value": "width"}, scene.width, (-1, 0)), ({"value": 0}, 0.0, (1, 0))):
            yield (edge, pinned[1], pinned[2]), (at_x, pin[1]), direction
    else:
        for edge, at_y, direction in (({"value": 0}, 0.0, (0, 1)), ({"value": "height"}, scene.height, (0, -1))):
            yield (pinned[0], edge, pinned[2]), (pin[0], at_y), direction


def _widths(text: str, scene: Scene, size: float, one_line: bool = True) -> list[float]:
    """The widths a text is wrapped to, in the order they are tried: on one line where that
    takes under ONE_LINE of the plot (beside a bar there is often room for a line, not a block),
    then at most WIDEST_NOTE px (or half the plot), then narrower (a phone)."""
    widest = min(WIDEST_NOTE, scene.width / 2)
    whole = text_width(text, size)
    return ([whole] if one_line and widest < whole <= scene.width * ONE_LINE else []) + [widest, widest * 0.65]


Pinned = tuple[dict, dict, tuple[str, str]]  # the encodings a text is pinned by, and their channels


def _pin_encodings(note: dict, axes: Axes, pin: tuple[float, float], width: float) -> Pinned:
    """A note's x and y encodings: its data values, or the pin's px on an axis the chart lacks;
    on a map its longitude and latitude, which the chart's projection places."""
    if "longitude" in note:
        return {"datum": note["longitude"], "type": "quantitative"}, {"datum": note["latitude"], "type": "quantitative"}, ("longitude", "latitude")
    # On an axis the chart lacks: the pin's place as a share of the plot's width, which the live chart
    # changes (its height it keeps, so a px on y stays right).
    x = axes.datum("x", note["x"]) if "x" in note else {"value": {"expr": f"width * {round(pin[0] / width, 4) if width else 0}"}}
    y = axes.datum("y", note["y"]) if "y" in note else {"value": pin[1]}
    return x, y, ("x", "y")


def _box_size(lines: tuple[str, ...], size: float, bold: bool = False) -> tuple[float, float]:
    return max(text_width(line, size, bold) for line in lines), size * 1.15 + (len(lines) - 1) * _line_height(size)


def _line_height(size: float) -> float:
    return round(size * 1.25)


def _around(lines: tuple[str, ...], pinned: Pinned, pin: tuple[float, float], direction: tuple[int, int], distance: float,
            size: float, connect: bool) -> Candidate:
    """A text box `distance` px from its pin in `direction`, with a connector from the pin to it."""
    width, height = _box_size(lines, size)
    step = distance * (0.7 if all(direction) else 1)
    sx, sy = direction
    left = step if sx > 0 else -step - width if sx < 0 else -width / 2
    top = step if sy > 0 else -step - height if sy < 0 else -height / 2
    align = "left" if sx > 0 else "right" if sx < 0 else "center"
    dx = left if align == "left" else left + width if align == "right" else 0
    box = (left, top, left + width, top + height)
    placed = Placed(lines, pinned[0], pinned[1], dx, top, align, size, _line_height(size), connector=_connector(box) if connect else None,
                    channels=pinned[2])
    return Candidate(placed, pin, box)



def _connector(box: Box) -> Optional[tuple[float, float, float, float]]:
    """From near the pin (0, 0) to near the box's closest point; None when they nearly touch."""
    end_x, end_y = min(max(0.0, box[0]), box[2]), min(max(0.0, box[1]), box[3])
    length = math.hypot(end_x, end_y)
    if length < CONNECT_FROM:
        return None
    ux, uy = end_x / length, end_y / length
    return (round(ux * 4, 1), round(uy * 4, 1), round(end_x - ux * 3, 1), round(end_y - uy * 3, 1))


def _edge_candidates(note: dict, at: int, scene: Scene, axes: Axes, size: float, text: str = "", one_line: bool = True) -> Iterator[Candidate]:
    """Spots for a range's or a line's label inside the plot: at the top or bottom of a band on
    x, either side of its ends; above or below a line (or a band's edge) on y, at either end."""
    text = text or note.get("label", "")
    if not text:
        return
    kind = "range" if "range" in note else "line"
    channel, values = next(iter(note[kind].items()))
    values = values if kind == "range" else [values]
    for width in _widths(text, scene, size, one_line):
        lines = wrapped(text, size, width)
        w, h = _box_size(lines, size)
        lead = _line_height(size)
        for end in (range(len(values)) if channel == "x" else reversed(range(len(values)))):
            value, (px, py) = values[end], scene.pins[at, end]
            if channel == "x":
                for top in (4.0, 4.0 + lead, scene.height - h - 4):
                    for side in (("left", "right") if end == 0 else ("right", "left")):
                        dx = 4.0 if side == "left" else -4.0
                        left = dx if side == "left" else dx - w
                        placed = Placed(lines, axes.datum("x", value), {"value": 0}, dx, top, side, size, lead)
                        yield Candidate(placed, (px, 0.0), (left, top, left + w, top + h))
            else:
                for side in ("left", "right"):
                    for top in (-4 - h, 4.0):
                        dx = 4.0 if side == "left" else -4.0
                        left = dx if side == "left" else dx - w
                        pin_x = 0.0 if side == "left" else scene.width
                        placed = Placed(lines, {"value": 0} if side == "left" else {"value": "width"}, axes.datum("y", value), dx, top, side, size, lead)
                        yield Candidate(placed, (pin_x, py), (left, top, left + w, top + h))


# What does not fit: a numbered marker at the pin, its text in a key under the chart ------------

def _marker(note: dict, at: int, number: int, scene: Scene, axes: Axes, size: float, taken: list[Candidate], pins: list) -> bool:
    if "range" in note or "line" in note:
        spots = [_ring_of(c, number) for c in _edge_candidates(note, at, scene, axes, size, text="00")]
        spots += list(_mid_band_rings(note, at, scene, number, size)) if "range" in note else []
    else:
        pin = scene.pins[at, 0]
        pinned = _pin_encodings(note, axes, pin, scene.width)
        spots = [_ring_around(pinned, pin, direction, distance, number, size, distance > MARKER_DISTANCES[0])
                 for distance in MARKER_DISTANCES[:-1] for direction in DIRECTIONS]
        spots += [_ring_around(edge_pinned, edge, direction, RING / 2 + 4, number, size, False) for edge_pinned, edge, direction in _edge_pins(note, pinned, pin, scene)]
        spots += [_ring_around(pinned, pin, direction, MARKER_DISTANCES[-1], number, size, False) for direction in DIRECTIONS[:1]]
    chosen = _first_fit(iter(spots), scene, taken, pins)
    taken.append(chosen or spots[0])  # crowded even for a marker: its first spot
    return chosen is not None


def _mid_band_rings(note: dict, at: int, scene: Scene, number: int, size: float) -> Iterator[Candidate]:
    """A band on y: its marker halfway along it, at either edge of the plot (where its ends are
    crowded). Pinned by px: the live chart keeps a drawing's height (a band on x it stretches)."""
    if next(iter(note["range"])) != "y":
        return
    middle = round((scene.pins[at, 0][1] + scene.pins[at, 1][1]) / 2, 1)
    for x, pin, direction in (({"value": "width"}, (scene.width, middle), (-1, 0)), ({"value": 0}, (0.0, middle), (1, 0))):
        y = {"value": middle}
        yield _ring_around((x, y, ("x", "y")), pin, direction, RING / 2 + 4, number, size, False)


def _ring_around(pinned: Pinned, pin: tuple[float, float], direction: tuple[int, int], distance: float, number: int,
                 size: float, connect: bool) -> Candidate:
    step = distance * (0.7 if all(direction) else 1)
    cx, cy = direction[0] * step, direction[1] * step
    box = (cx - RING / 2, cy - RING / 2, cx + RING / 2, cy + RING / 2)
    placed = Placed((str(number),), pinned[0], pinned[1], cx, cy, "center", size, _line_height(size), bold=True,
                    connector=_connector(box) if connect else None, ring=True, channels=pinned[2])
    return Candidate(placed, pin, box)


def _ring_of(candidate: Candidate, number: int) -> Candidate:
    """A label's spot given to its numbered marker instead (a ring about the spot's middle)."""
    box, placed = candidate.box, candidate.placed
    cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
    ring = (cx - RING / 2, cy - RING / 2, cx + RING / 2, cy + RING / 2)
    new = Placed((str(number),), placed.x, placed.y, cx, cy, "center", placed.size, placed.line_height, bold=True, ring=True)
    return Candidate(new, candidate.pin, ring)


def _key(notes: list[dict], scene: Scene, size: float, listed: list[dict] = ()) -> list[Placed]:
    """The numbered key under everything the chart draws (axes, legends), within its width; after
    it, without a number, the notes this drawing has no axis to point them at."""
    left, _, right, bottom = scene.content
    lead = _line_height(size)
    width = max(80.0, (right - left) * 0.85 - RING - 6)
    texts, y = [], bottom + 10
    for number, note in enumerate(notes, 1):
        lines = wrapped(note.get("note") or note.get("label", ""), size, width)
        texts.append(Placed((str(number),), {"value": round(left + RING / 2, 1)}, {"value": round(y + lead / 2, 1)}, 0, 0, "center", size, lead,
                            bold=True, ring=True))
        texts.append(Placed(lines, {"value": round(left + RING + 6, 1)}, {"value": round(y, 1)}, 0, 0, "left", size, lead))
        y += max(RING, len(lines) * lead) + 6
    indent = left + RING + 6 if notes else left  # in line with the numbered entries' texts, if any
    for note in listed:
        lines = wrapped(note["note"], size, width)
        texts.append(Placed(lines, {"value": round(indent, 1)}, {"value": round(y, 1)}, 0, 0, "left", size, lead))
        y += len(lines) * lead + 6
    return texts
