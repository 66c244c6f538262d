"""Declared annotations: a note at a data point, a highlighted range, a reference line.

A chart declares them in data values, never pixels, in one interchange form that both kinds
of chart files (and the generator's own chart builders) write: a list under the spec's
`usermeta.explainer.annotations`:

    {"note": "Opened last", "x": 2011, "y": "Hilltop Branch"}
    {"note": "Kent", "longitude": -122.23, "latitude": 47.38, "style": "label"}
    {"range": {"x": ["2025-06-05", "2025-07-01"]}, "label": "The feud"}
    {"line": {"y": 13.7}, "label": "Estimate"}

A Python chart passes `Note`, `Range` and `Line` objects to `@chart(annotations=[...])`; each
remembers the line that made it, so a mistake is reported there. `checked_annotations` checks
every declaration against the chart's own data (a value the chart does not show is an error at
the declaring line) and leaves the spec holding the clean list the drawings and words read.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from typing import Any, Optional

from .errors import BuildFailed, Problem, did_you_mean
from .validation import CONTROL_ADVICE, control_character

KEYS = {"note": ("note", "x", "y", "longitude", "latitude", "style", "view", "id"), "range": ("range", "label", "view", "id"),
        "line": ("line", "label", "view", "id")}
ANNOTATION_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # as a chart id: a step of a scrolly block names it (note=<id>)
STYLES = ("note", "label")
COMPOUND = ("facet", "repeat")  # views drawn from one spec many times: a note would repeat in each
LISTED = "listed"  # in a layout's own drawing: a note only listed in the key, for the axis it is on is not drawn there


class Annotation:
    """One declared annotation: its interchange form and the chart file line that declared it."""

    def __init__(self, declared: dict):
        caller = sys._getframe(2)  # the chart file's frame that called Note(...), Range(...) or Line(...)
        self.declared = {key: _plain(value) for key, value in declared.items() if value is not None}
        self.file, self.line = caller.f_code.co_filename, caller.f_lineno

    def __repr__(self) -> str:  # part of a chart's digest: no memory address
        return f"{type(self).__name__}({json.dumps(self.declared, sort_keys=True)}, line {self.line})"


class Note(Annotation):
    """Text at a data point (x/y in the chart's fields) or a place (longitude/latitude)."""

    def __init__(self, text: str, x: Any = None, y: Any = None, *, longitude: Any = None, latitude: Any = None, style: str = "note",
                 view: Any = None, id: Optional[str] = None):  # noqa: A002 - `id=` is what authors write
        super().__init__({"note": text, "x": x, "y": y, "longitude": longitude, "latitude": latitude,
                          "style": None if style == "note" else style, "view": view, "id": id})


class Range(Annotation):
    """A highlighted band from one value to another on x or on y: `Range("The feud", x=(a, b))`."""

    def __init__(self, label: str, *, x: Any = None, y: Any = None, view: Any = None, id: Optional[str] = None):  # noqa: A002
        super().__init__({"range": {k: v for k, v in (("x", x), ("y", y)) if v is not None}, "label": label, "view": view, "id": id})


class Line(Annotation):
    """A reference line at one value of x or of y, with its label: `Line("Estimate", y=13.7)`."""

    def __init__(self, label: str, *, x: Any = None, y: Any = None, view: Any = None, id: Optional[str] = None):  # noqa: A002
        super().__init__({"line": {k: v for k, v in (("x", x), ("y", y)) if v is not None}, "label": label, "view": view, "id": id})


def _plain(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # a NumPy or pandas scalar, as the Python number or date it holds
    return value


@dataclass(frozen=True)
class Declared:
    """Where one annotation was written: its line and column, and each of its keys' (line, col)."""

    line: int
    col: int = 0
    keys: dict = field(default_factory=dict)

    def at(self, key: str = "") -> tuple[int, int]:
        return self.keys.get(key, (self.line, self.col))


def with_python_annotations(spec: dict, annotations: tuple, path: str, line: int) -> tuple[dict, list[Declared]]:
    """The spec with `@chart(annotations=...)` added to its usermeta, and where each was declared
    (a declaration made outside the chart file points at the chart's line)."""
    found = annotation_list(spec)
    places = [Declared(line) for _ in found] if isinstance(found, list) else []
    if not annotations:
        return spec, places
    added = (found if isinstance(found, list) else []) + [a.declared for a in annotations]
    places += [Declared(a.line if a.file == path else line) for a in annotations]
    return _with_list(spec, added), places


def declared_in_json(text: str, spec: dict) -> list[Declared]:
    """Where each annotation of a .vl.json is written, read from its text."""
    at = _after(text, ('"usermeta"', '"explainer"', '"annotations"'))
    start = text.find("[", at) if at >= 0 else -1
    if start < 0 or not isinstance(annotation_list(spec), list):
        return []
    decoder, places, position = json.JSONDecoder(), [], start + 1
    for _ in annotation_list(spec):
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        try:
            _, end = decoder.raw_decode(text, position)
        except ValueError:
            break
        item = annotation_list(spec)[len(places)]
        names = [key for key in item if isinstance(key, str)] if isinstance(item, dict) else []
        keys = {key: _line_col(text, found) for key in names if (found := text.find(json.dumps(key), position, end)) >= 0}
        places.append(Declared(*_line_col(text, position), keys))
        position = end
    return places


def _after(text: str, keys: tuple[str, ...]) -> int:
    position = 0
    for key in keys:
        position = text.find(key, position)
        if position < 0:
            return -1
    return position


def _line_col(text: str, position: int) -> tuple[int, int]:
    return text.count("\n", 0, position) + 1, position - text.rfind("\n", 0, position)


def annotation_list(spec: dict) -> Any:
    usermeta = spec.get("usermeta")
    explainer = usermeta.get("explainer") if isinstance(usermeta, dict) else None
    return explainer.get("annotations") if isinstance(explainer, dict) else None


def annotations_of(spec: dict) -> list[dict]:
    """The chart's checked annotations (what `checked_annotations` left), [] when none."""
    found = annotation_list(spec)
    return found if isinstance(found, list) else []


def with_annotation_list(spec: dict, annotations: list) -> dict:
    """The spec holding `annotations` (clean ones, as `checked_annotations` left them); none: without any."""
    return _with_list(spec, annotations) if annotations else without_annotations(spec)


def slug(text: str) -> str:
    """Lowercase ASCII letters and digits, every other run of characters one hyphen, trimmed
    ("Pad gap: 14 months" -> "pad-gap-14-months"); accents are dropped, not the letters."""
    plain = "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char)).lower()
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def annotation_ids(annotations: list) -> list[str]:
    """Each annotation's id, as a scrolly step names it (note=<id>): its own `id`, else the slug
    of its text or label, else (no letters or digits in it) its kind and number ("range-2")."""
    ids, counted = [], {}
    for item in annotations:
        kind = next((kind for kind in KEYS if kind in item), "note") if isinstance(item, dict) else "note"
        counted[kind] = counted.get(kind, 0) + 1
        own = item.get("id") if isinstance(item, dict) else None
        text = item.get("note" if kind == "note" else "label") if isinstance(item, dict) else None
        ids.append(own if isinstance(own, str) else (slug(text) if isinstance(text, str) else "") or f"{kind}-{counted[kind]}")
    return ids


def _with_list(spec: dict, annotations: list) -> dict:
    usermeta = spec.get("usermeta") if isinstance(spec.get("usermeta"), dict) else {}
    explainer = usermeta.get("explainer") if isinstance(usermeta.get("explainer"), dict) else {}
    return spec | {"usermeta": usermeta | {"explainer": explainer | {"annotations": annotations}}}


def without_annotations(spec: dict) -> dict:
    """The spec without its declared annotations (a drawing carries them as layers instead)."""
    if annotation_list(spec) is None:
        return spec
    explainer = {k: v for k, v in spec["usermeta"]["explainer"].items() if k != "annotations"}
    usermeta = {k: v for k, v in spec["usermeta"].items() if k != "explainer"} | ({"explainer": explainer} if explainer else {})
    return {k: v for k, v in spec.items() if k != "usermeta"} | ({"usermeta": usermeta} if usermeta else {})


def checked_annotations(spec: dict, places: list[Declared], chart_id: str, shown: str, line: int, own_layout: bool = False) -> dict:
    """The spec with its annotations checked against its data and written in their clean form;
    every mistake a located problem at the line that declared it. In a concat chart each
    annotation belongs to the one view that can anchor it (its clean form names it: "view": n).
    `own_layout`: the spec is a layout's own drawing (a phone's), checked after the chart's
    main one; an axis it lacks is left out of the annotations (see `_on_axes_it_has`)."""
    found = annotation_list(spec)
    if found is None:
        return spec
    if not isinstance(found, list):
        raise BuildFailed([Problem(shown, line, 0, f"chart '{chart_id}': usermeta.explainer.annotations must be a list")])
    if not found:
        return without_annotations(spec)
    from .noteaxes import chart_axes, concat_views

    places = list(places) + [Declared(line)] * (len(found) - len(places))
    compound = next((key for key in COMPOUND if key in spec), None)
    if compound:
        raise BuildFailed([Problem(shown, *places[0].at(), f"chart '{chart_id}': annotations need a single, layered or concatenated chart, not a {compound} chart")])
    views = concat_views(spec)
    axes = [chart_axes(view) for view in views] if views else [chart_axes(spec)]
    names = [view.get("name") for view in views] if views else []
    clean, problems, kept = [], [], []
    for item, place in zip(found, places):
        made, messages = _checked_in_view(item, axes, names, own_layout) if views else _checked_alone(item, axes[0], own_layout)
        problems += [Problem(shown, *place.at(key), f"chart '{chart_id}': {message}") for key, message in messages]
        clean += [made] if made else []
        kept += [(item, place)] if made else []
    problems += _duplicate_ids(clean, kept, chart_id, shown)
    if problems:
        raise BuildFailed(problems)
    return _with_list(spec, clean)


def _duplicate_ids(clean: list[dict], declared: list[tuple[Any, Declared]], chart_id: str, shown: str) -> list[Problem]:
    """A problem at each annotation whose id an earlier one of the chart already has: a step
    naming it could not say which it means."""
    first: dict[str, int] = {}
    problems = []
    for at, found in enumerate(annotation_ids(clean)):
        earlier = first.setdefault(found, at)
        if earlier == at:
            continue
        (item, place), (before, before_place) = declared[at], declared[earlier]
        text = clean[at].get("note" if "note" in clean[at] else "label")
        how = "" if "id" in clean[at] else " (made from its text)" if isinstance(text, str) and slug(text) else " (made from its kind and number)"
        problems.append(Problem(shown, *place.at("id"), f"chart '{chart_id}': {_what(item)} has the id '{found}'{how}, as {_what(before)} "
                                                        f"(line {before_place.line}) has: give one of them its own id"))
    return problems


def _checked_alone(item: Any, axes: Any, own_layout: bool) -> tuple[dict, list[tuple[str, str]]]:
    """An annotation of a chart with one view (a layout's own drawing drops a concat view's name)."""
    if isinstance(item, dict) and "view" in item:
        if not own_layout:
            return {}, [("view", f"{_what(item)}: the chart has one view, so 'view' is not needed")]
        item = {key: value for key, value in item.items() if key != "view"}
    return _checked_one(item, axes, own_layout)


def _checked_in_view(item: Any, axes: list, names: list, own_layout: bool) -> tuple[dict, list[tuple[str, str]]]:
    """An annotation of a concat chart, checked against the view it names, else the one view whose
    axes can anchor it; a located problem when none can or when several could."""
    if not isinstance(item, dict):
        return _checked_one(item, axes[0], own_layout)
    plain = {key: value for key, value in item.items() if key != "view"}
    if item.get("view") is not None:
        index = _view_index(item["view"], names, len(axes))
        if index is None:
            choices = ", ".join([str(n) for n in range(len(axes))] + [repr(name) for name in names if isinstance(name, str)])
            return {}, [("view", f"{_what(item)}: view {item['view']!r} is not one of the chart's views ({choices})")]
        made, messages = _checked_one(plain, axes[index], own_layout)
        return (made | {"view": index} if made else made), messages
    results = [_checked_one(plain, view_axes, own_layout) for view_axes in axes]
    fitting = [index for index, (_, messages) in enumerate(results) if not messages]
    if len(fitting) == 1:
        return results[fitting[0]][0] | {"view": fitting[0]}, []
    if not fitting:
        return min(results, key=lambda result: len(result[1]))
    listed = ", ".join(str(index) for index in fitting[:-1]) + f" and {fitting[-1]}"
    return {}, [("", f"{_what(item)}: views {listed} of the chart can both anchor it; say which with 'view' (a view's index from 0, or its name)")]


def _view_index(view: Any, names: list, count: int) -> Optional[int]:
    if isinstance(view, int) and not isinstance(view, bool) and 0 <= view < count:
        return view
    return names.index(view) if isinstance(view, str) and view in names else None


def _what(item: dict) -> str:
    kind = next((kind for kind in KEYS if kind in item), "annotation")
    text = item.get("note" if kind == "note" else "label")
    return f"{kind} '{text}'" if isinstance(text, str) and text.strip() else kind


def _checked_one(item: Any, axes: Any, own_layout: bool = False) -> tuple[dict, list[tuple[str, str]]]:
    """(the clean annotation, [(key it is about, message)])."""
    if not isinstance(item, dict):
        return {}, [("", "an annotation must be an object with 'note', 'range' or 'line'")]
    kinds = [kind for kind in KEYS if kind in item]
    if len(kinds) != 1:
        return {}, [("", "an annotation needs exactly one of 'note', 'range' or 'line'")]
    kind = kinds[0]
    unknown = [key for key in item if key not in KEYS[kind]]
    if unknown:
        return {}, [(unknown[0], f"{kind} has an unknown key '{unknown[0]}'{did_you_mean(str(unknown[0]), KEYS[kind]) or _expected(kind)}")]
    text_key = "note" if kind == "note" else "label"
    problem = _text_problem(item.get(text_key), kind, required=kind != "range" or text_key in item)
    if problem:
        return {}, [(text_key, problem)]
    what = f"{kind} '{item.get(text_key)}'" if item.get(text_key) else kind
    if "id" in item:
        own = item["id"]
        if not (isinstance(own, str) and ANNOTATION_ID.match(own)):
            return {}, [("id", f"{what}: id {own!r} is not allowed (ids are lowercase letters, digits and hyphens)")]
        made, messages = _checked_one({key: value for key, value in item.items() if key != "id"}, axes, own_layout)
        return (made | {"id": own} if made else made), messages
    if own_layout:
        item = _without_lacking(item, kind, axes)
        if item.get(LISTED):
            return ({"note": " ".join(item["note"].split()), LISTED: True} if item.get("note") else {}), []
    return {"note": _checked_note, "range": _checked_range, "line": _checked_line}[kind](item, axes, what)


def _without_lacking(item: dict, kind: str, axes: Any) -> dict:
    """A layout's own drawing may lack an axis of the chart's main one (a phone's list of rows has
    no time axis); its values there were checked against the main drawing. A note keeps its values
    on the axes this drawing has (with none left it is only listed in the key under the chart);
    a range or a line on an axis it lacks becomes such a listed note."""
    if kind == "note":
        kept = {key: value for key, value in item.items() if key not in ("x", "y") or key in axes.channels}
        return kept if len(kept) == len(item) or any(key in kept for key in ("x", "y")) else kept | {LISTED: True}
    span = item[kind]
    if isinstance(span, dict) and len(span) == 1 and next(iter(span)) in ("x", "y") and next(iter(span)) not in axes.channels:
        return {"note": item["label"], LISTED: True} if item.get("label") else {LISTED: True}
    return item


def _expected(kind: str) -> str:
    return f" (expected {', '.join(repr(k) for k in KEYS[kind])})"


def _text_problem(text: Any, kind: str, required: bool) -> Optional[str]:
    name = "text" if kind == "note" else "label"
    if text is None and not required:
        return None
    if not isinstance(text, str) or not text.strip():
        return f"{kind} {name} must be text" if text is not None and not isinstance(text, str) else f"{kind} has no {name}"
    found = control_character(text)
    return f"{kind} {name} contains a control character ({found[1]}); {CONTROL_ADVICE}" if found else None


def _checked_note(item: dict, axes: Any, what: str) -> tuple[dict, list]:
    style = item.get("style", "note")
    if style not in STYLES:
        return {}, [("style", f"{what}: style {style!r} is not allowed{did_you_mean(str(style), STYLES) or ' (expected note or label)'}")]
    clean = {"note": " ".join(item["note"].split())} | ({"style": "label"} if style == "label" else {})
    geo = [key for key in ("longitude", "latitude") if key in item]
    flat = [key for key in ("x", "y") if key in item]
    if geo and flat:
        return {}, [(flat[0], f"{what}: a note is placed by x and y, or by longitude and latitude, not both")]
    if geo:
        return _checked_place(item, axes, what, clean)
    if not flat:
        return {}, [("note", f"{what}: give its place: x and y (or longitude and latitude)")]
    problems = []
    for channel in flat:
        value, message = axes.value(channel, item[channel], what)
        problems += [(channel, message)] if message else []
        clean[channel] = value
    missing = [channel for channel in axes.channels if channel not in flat]
    problems += [(flat[0], f"{what}: give its {missing[0]} too (the chart has {missing[0]} as well)")] if missing and not problems else []
    return clean, problems


def _checked_place(item: dict, axes: Any, what: str, clean: dict) -> tuple[dict, list]:
    if not axes.geo:
        return {}, [("longitude" if "longitude" in item else "latitude", f"{what}: the chart is not a map, so it has no longitude or latitude to anchor it")]
    problems = []
    for key, limit in (("longitude", 180), ("latitude", 90)):
        value = item.get(key)
        if not _is_number(value) or not -limit <= value <= limit:
            problems.append((key if key in item else "note", f"{what}: {key} must be a number from -{limit} to {limit}" if key in item else f"{what}: give its {key} too"))
        clean[key] = value
    return clean, problems


def _checked_range(item: dict, axes: Any, what: str) -> tuple[dict, list]:
    span = item["range"]
    if not (isinstance(span, dict) and len(span) == 1 and next(iter(span)) in ("x", "y")
            and isinstance(span[next(iter(span))], list) and len(span[next(iter(span))]) == 2):
        return {}, [("range", f"{what} must be {{\"x\": [from, to]}} or {{\"y\": [from, to]}}")]
    channel, (low, high) = next(iter(span.items()))
    checked = [axes.value(channel, value, what) for value in (low, high)]
    problems = [("range", message) for _, message in checked if message]
    clean = {"range": {channel: [value for value, _ in checked]}} | ({"label": " ".join(item["label"].split())} if item.get("label") else {})
    return clean, problems


def _checked_line(item: dict, axes: Any, what: str) -> tuple[dict, list]:
    at = item["line"]
    if not (isinstance(at, dict) and len(at) == 1 and next(iter(at)) in ("x", "y")):
        return {}, [("line", f"{what} must be {{\"x\": value}} or {{\"y\": value}}")]
    channel, value = next(iter(at.items()))
    value, message = axes.value(channel, value, what)
    return {"line": {channel: value}, "label": " ".join(item["label"].split())}, [("line", message)] if message else []


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
