"""The states of a scrollytelling block's steps, drawn at build time like any chart.

A step says declaratively what its graphic shows (`::: step highlight="New Glenn" note=pad-gap`):
this module parses those attributes into a `StepState` and applies one to a chart, giving a
derived `ChartSpec` the drawing pipeline draws like a chart (page drawings only, see
chartoutputs.STEP_FOLDER). Every value is checked against the chart's own data, so a typo is an
error at the step's line, never a drawing that silently shows something else.

    parse_state(attrs: dict[str, str], chart_default: str, where: Where) -> StepState
    is_plain(state: StepState) -> bool
    chart_of(state: StepState, charts: dict[str, ChartSpec], where: Where) -> ChartSpec
    derive_step_chart(base: ChartSpec, state: StepState, where: Where) -> ChartSpec
    describe_state(base: ChartSpec, state: StepState) -> str
    step_hash(state: StepState) -> str

`where` is (file as shown, line, col) of the step; every error is a `BuildFailed` located there.

- highlight: a value of a series field (colour, fill, stroke, detail) or of the x or y field: the
  marks showing it keep their strength, the others of every layer that has the field are dimmed
  (an opacity condition); layers without the field (a goal line) and the notes stay as they are.
- note: only the annotations with those ids (annotations.annotation_ids); `none`: none of them.
- zoom: the axis whose kind fits the range (x first, then y): dates or numbers set its scale's
  domain and clip the marks; categories (from..to in the axis's order) filter the rows. Notes
  outside the range are dropped, a range note is cut to it.
- filter: only the rows whose series field (or x, then y, category) equals the value.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass, replace
from typing import Any, Callable, Iterator, Optional

from pydantic import BaseModel, ConfigDict

from .annotations import annotation_ids, annotations_of, with_annotation_list
from .chartoutputs import STEP_MARK
from .charts import ChartSpec
from .errors import BuildFailed, Problem, did_you_mean
from .noteaxes import Axes, Axis, chart_axes, concat_views, time_of, value_words
from .notewords import note_rows, with_notes_sentence

Where = tuple[str, int, int]  # the step as errors show it: file, line, column

KEYS = ("chart", "highlight", "note", "zoom", "filter")
SERIES = ("color", "fill", "stroke", "detail")  # channels whose field names a series
CHILDREN = ("layer", "hconcat", "vconcat", "concat")
DIM = 0.2  # the opacity of what a highlight leaves out: still there, clearly behind


class StepState(BaseModel):
    """What one step's graphic shows: a chart and what is done to it (None: nothing)."""

    model_config = ConfigDict(frozen=True)

    chart: str
    highlight: Optional[str] = None
    notes: Optional[tuple[str, ...]] = None  # annotation ids; () shows none; None shows all
    zoom: Optional[tuple[str, str]] = None  # (from, to) as written
    filter: Optional[str] = None


def _fail(where: Where, message: str) -> BuildFailed:
    return BuildFailed([Problem(where[0], where[1], where[2], message)])


def parse_state(attrs: dict[str, str], chart_default: str, where: Where) -> StepState:
    """A step's attributes (key -> value, as shlex split them) as its state."""
    for key, value in attrs.items():
        if key not in KEYS:
            hint = did_you_mean(key, KEYS) or f" (expected {', '.join(KEYS[:-1])} or {KEYS[-1]})"
            raise _fail(where, f"unknown step attribute '{key}'{hint}")
        if not value.strip():
            raise _fail(where, f"step attribute '{key}' has no value")
    notes = None
    if "note" in attrs:
        names = [name.strip() for name in attrs["note"].split(",")]
        if any(not name for name in names):
            raise _fail(where, f"note '{attrs['note']}' has an empty name (write note=<id>, note=<id>,<id> or note=none)")
        notes = () if names == ["none"] else tuple(dict.fromkeys(names))
    zoom = None
    if "zoom" in attrs:
        low, dots, high = attrs["zoom"].strip().partition("..")
        if not dots or not low.strip() or not high.strip() or ".." in high:
            raise _fail(where, f"zoom '{attrs['zoom']}' is not a range (write zoom=<from>..<to>: dates as YYYY-MM-DD, or numbers)")
        zoom = (low.strip(), high.strip())
    return StepState(chart=attrs.get("chart", chart_default).strip(), highlight=_given(attrs, "highlight"), notes=notes, zoom=zoom,
                     filter=_given(attrs, "filter"))


def _given(attrs: dict[str, str], key: str) -> Optional[str]:
    return attrs[key].strip() if key in attrs else None


def is_plain(state: StepState) -> bool:
    """Whether the state changes nothing but maybe which chart: its chart's own drawings show it."""
    return state.highlight is None and state.notes is None and state.zoom is None and state.filter is None


def chart_of(state: StepState, charts: dict[str, ChartSpec], where: Where) -> ChartSpec:
    """The chart a state shows; an unknown one is an error at the step."""
    if state.chart not in charts:
        raise _fail(where, f"unknown chart '{state.chart}'{did_you_mean(state.chart, charts)}")
    return charts[state.chart]


def step_hash(state: StepState) -> str:
    """Ten hex digits naming the state: the same step anywhere is drawn once."""
    return hashlib.sha256(json.dumps(state.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()[:10]


def step_chart_id(base_id: str, state: StepState) -> str:
    return f"{base_id}{STEP_MARK}{step_hash(state)}"


def derive_step_chart(base: ChartSpec, state: StepState, where: Where) -> ChartSpec:
    """The chart as the step shows it: the state applied to its spec (and its own narrow one),
    its notes kept or dropped, its description telling the step's view. Located at `where`."""
    what = f"chart '{base.chart_id}'"
    spec, narrow = base.spec, base.narrow_spec
    if state.notes is not None:
        spec, narrow = _kept_notes(spec, state.notes, what, where), (_kept_notes(narrow, state.notes, what, None) if narrow else narrow)
    if state.filter is not None:
        chosen = _pick(spec, state.filter, ("series", "x", "y"), "filter", what, where, categories_only=True)
        spec, narrow = _filtered(spec, chosen), (_filtered(narrow, chosen) if narrow else narrow)
    if state.zoom is not None:
        zoom = _checked_zoom(spec, state.zoom, what, where)
        spec, narrow = _zoomed(spec, zoom), (_zoomed(narrow, zoom) if narrow else narrow)
    if state.highlight is not None:
        chosen = _pick(spec, state.highlight, ("series", "x", "y"), "highlight", what, where, categories_only=False)
        spec, narrow = _highlighted(spec, chosen), (_highlighted(narrow, chosen) if narrow else narrow)
    if narrow and (state.zoom is not None or state.filter is not None):  # the phone's drawing shows the notes the main one kept (it may lack the axis they were dropped by)
        narrow = _kept_notes(narrow, tuple(annotation_ids(annotations_of(spec))), what, None)
    description = f"{with_notes_sentence(_without_notes_sentence(base), spec)} {describe_state(base, state)}"
    digest = hashlib.sha256(json.dumps([base.digest, state.model_dump(mode="json"), spec, narrow], sort_keys=True).encode()).hexdigest()[:16]
    return replace(base, chart_id=step_chart_id(base.chart_id, state), description=description, spec=spec, narrow_spec=narrow,
                   shown=where[0], line=where[1], digest=digest)


def _without_notes_sentence(base: ChartSpec) -> str:
    """The chart's description without the sentence listing its notes (the step's own replaces it)."""
    told = with_notes_sentence("", base.spec)
    if told and base.description.endswith(told[1:]):
        return base.description[: -len(told) + 1].rstrip()
    return base.description


def describe_state(base: ChartSpec, state: StepState) -> str:
    """One sentence of what the step shows of the chart, for screen readers and captions."""
    if is_plain(state):
        return "The whole chart" + (", with all its notes." if annotations_of(base.spec) else ".")
    parts = []
    if state.filter is not None:
        parts.append(f"only {state.filter}")
    if state.zoom is not None:
        parts.append(_range_words(base.spec, state.zoom))
    if state.highlight is not None:
        parts.append(f"{state.highlight} highlighted")
    if state.notes is not None:
        parts.append(_notes_words(base.spec, state.notes))
    text = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
    return f"Shown: {text}."


def _range_words(spec: dict, zoom: tuple[str, str]) -> str:
    found = next((axis for axes in _axes_of(spec) if (axis := _zoom_axis(axes, zoom)) is not None), None)
    if found is None:
        return f"from {zoom[0]} to {zoom[1]}"
    low, high = (_typed(found, value) for value in zoom)
    titled = "title" not in found.definition or found.definition["title"] is not None  # an axis shown without a title: the values speak
    return f"{found.title + ' ' if titled else ''}from {value_words(found, low)} to {value_words(found, high)}"


def _notes_words(spec: dict, notes: tuple[str, ...]) -> str:
    if not notes:
        return "no notes"
    texts = {found: row.text for found, row in zip(annotation_ids(annotations_of(spec)), note_rows(spec))}
    quoted = [f"“{texts[name]}”" if texts.get(name) else name for name in notes]
    return ("the note " if len(quoted) == 1 else "the notes ") + (quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1])


# Notes -----------------------------------------------------------------------------------

def _kept_notes(spec: dict, names: tuple[str, ...], what: str, where: Optional[Where]) -> dict:
    """Only the annotations `names` names; an unknown name is an error (checked on the main spec)."""
    notes = annotations_of(spec)
    ids = annotation_ids(notes)
    if where is not None:
        for name in names:
            if name not in ids:
                hint = did_you_mean(name, ids) or (f" (its annotations: {', '.join(ids)})" if ids else f" ({what} has no annotations)")
                raise _fail(where, f"unknown annotation '{name}' of {what}{hint}")
    return with_annotation_list(spec, [note for note, found in zip(notes, ids) if found in names])


# Views: every unit of a spec, with what it inherits -----------------------------------------

@dataclass(frozen=True)
class _Unit:
    """A view that draws marks, with the encoding and data it has (its own or its parent's)."""

    view: dict
    encoding: dict
    rows: list  # its data's rows as written in the spec ([] when not inline)


def _units(spec: dict) -> Iterator[_Unit]:
    top = spec

    def walk(view: dict, encoding: dict, data: Any) -> Iterator[_Unit]:
        encoding = {**encoding, **(view.get("encoding") or {})}
        data = view.get("data", data)
        if "mark" in view:
            yield _Unit(view, encoding, _rows(top, data))
        inner = view.get("spec")
        if isinstance(inner, dict):
            yield from walk(inner, {}, data)
        for key in CHILDREN:
            for child in view.get(key) or ():
                if isinstance(child, dict):
                    yield from walk(child, encoding if key == "layer" else {}, data)

    yield from walk(spec, {}, None)


def _rows(top: dict, data: Any) -> list:
    if not isinstance(data, dict):
        return []
    values = data.get("values") if "values" in data else (top.get("datasets") or {}).get(data.get("name"))
    if isinstance(values, str):
        try:
            values = json.loads(values)
        except ValueError:
            return []
    return [row for row in values if isinstance(row, dict)] if isinstance(values, list) else []


def _changed_units(spec: dict, change: Callable[[_Unit], dict]) -> dict:
    """A copy of the spec with each unit replaced by `change(unit)` (units found as `_units` does)."""
    out = copy.deepcopy(spec)
    for unit, made in zip(list(_units(spec)), list(_units(out))):  # one walk's order: the copy's unit i is the spec's
        new = change(_Unit(made.view, unit.encoding, unit.rows))
        if new is not made.view:
            made.view.clear()
            made.view.update(new)
    return out


def _fields(definition: Any) -> list[str]:
    """The fields a channel's definition (or a list of them, as detail takes) draws."""
    items = definition if isinstance(definition, list) else [definition]
    return [item["field"] for item in items if isinstance(item, dict) and isinstance(item.get("field"), str)]


def _encoded(unit: _Unit, field: str) -> bool:
    return any(field in _fields(definition) for definition in unit.encoding.values())


def _in_rows(unit: _Unit, field: str) -> bool:
    return any(field in row for row in unit.rows)


# Choosing the field a value belongs to ------------------------------------------------------

@dataclass(frozen=True)
class _Pick:
    field: str
    value: Any  # as the data holds it (2021, not "2021")


def _pick(spec: dict, value: str, order: tuple[str, ...], key: str, what: str, where: Where, categories_only: bool) -> _Pick:
    """The first field (series, then x, then y) whose data holds `value`; else an error naming the closest value."""
    units = list(_units(spec))
    known: list[str] = []
    for group in order:
        channels = SERIES if group == "series" else (group,)
        for unit in units:
            for channel in channels:
                definition = unit.encoding.get(channel)
                if categories_only and group != "series" and not (isinstance(definition, dict) and definition.get("type") in ("nominal", "ordinal")):
                    continue
                if isinstance(definition, dict) and (definition.get("type") == "temporal" or definition.get("timeUnit")):
                    continue  # a date's datum is not the text that names it
                for field in _fields(definition):
                    values = [row[field] for other in units for row in other.rows if field in row and _encoded(other, field)]
                    match = next((found for found in values if _same(found, value)), None)
                    if match is not None:
                        return _Pick(field, match)
                    known += [str(found) for found in values if found is not None]
    kinds = "series or categories" if categories_only else "series or marks"
    hint = did_you_mean(value, set(known)) or (f" (expected one of {', '.join(repr(v) for v in list(dict.fromkeys(known))[:6])})" if known else "")
    raise _fail(where, f"{key} '{value}' is not a value of the {kinds} of {what}{hint}")


def _same(found: Any, value: str) -> bool:
    if isinstance(found, bool) or found is None:
        return False
    if isinstance(found, (int, float)):
        try:
            return float(value) == found
        except ValueError:
            return False
    return str(found) == value


def _highlighted(spec: dict, chosen: _Pick) -> dict:
    """Every unit that has the field: full strength where it holds the value, dimmed elsewhere."""
    dimmed = {"test": {"not": {"field": chosen.field, "equal": chosen.value}}, "value": DIM}

    def change(unit: _Unit) -> dict:
        if not _draws_rows_of(unit, chosen.field):
            return unit.view
        had = copy.deepcopy(unit.encoding.get("opacity")) if isinstance(unit.encoding.get("opacity"), dict) else {}
        if "value" not in had and "field" not in had and "condition" not in had and isinstance(unit.view.get("mark"), dict) and "opacity" in unit.view["mark"]:
            had["value"] = unit.view["mark"]["opacity"]  # the mark's own strength, kept where it is highlighted
        earlier = had.get("condition")
        conditions = [dimmed] + (earlier if isinstance(earlier, list) else [earlier] if earlier else [])
        opacity = {**had, "condition": conditions[0] if len(conditions) == 1 else conditions}
        return unit.view | {"encoding": {**(unit.view.get("encoding") or {}), "opacity": opacity}}

    return _changed_units(spec, change)


def _draws_rows_of(unit: _Unit, field: str) -> bool:
    """Whether the unit draws a mark per row that has the field: it encodes the field, or its rows
    hold it as they are (no transform) and it encodes some field (a rule at a datum draws no row)."""
    if _encoded(unit, field):
        return True
    return _in_rows(unit, field) and not unit.view.get("transform") and any(_fields(definition) for definition in unit.encoding.values())


def _filtered(spec: dict, chosen: _Pick) -> dict:
    predicate = {"filter": {"field": chosen.field, "equal": chosen.value}}
    spec = _with_filter(spec, chosen.field, predicate)
    return _notes_where(spec, lambda channel, value: not (_axis_field(spec, channel) == chosen.field and value != chosen.value))


def _with_filter(spec: dict, field: str, predicate: dict) -> dict:
    """Each unit with the field gets the filter: first when its rows hold the field, else last
    (a field its own transforms make)."""
    def change(unit: _Unit) -> dict:
        transforms = list(unit.view.get("transform") or [])
        if _in_rows(unit, field):
            return unit.view | {"transform": [predicate] + transforms}
        if _encoded(unit, field):
            return unit.view | {"transform": transforms + [predicate]}
        return unit.view

    return _changed_units(spec, change)


def _axis_field(spec: dict, channel: str) -> Optional[str]:
    axis = chart_axes(spec).channels.get(channel)
    found = axis.definition.get("field") if axis else None
    return found if isinstance(found, str) else None


def _notes_where(spec: dict, keep: Callable[[str, Any], bool]) -> dict:
    """Only the notes whose every x or y value `keep(channel, value)` keeps."""
    notes = annotations_of(spec)
    kept = [note for note in notes if all(keep(channel, value) for channel, value in _placed_at(note))]
    return spec if len(kept) == len(notes) else with_annotation_list(spec, kept)


def _placed_at(note: dict) -> list[tuple[str, Any]]:
    if "range" in note:
        return [(channel, value) for channel, span in note["range"].items() for value in span]
    if "line" in note:
        return list(note["line"].items())
    return [(channel, note[channel]) for channel in ("x", "y") if channel in note]


# Zoom -------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Zoom:
    channel: str
    field: Optional[str]
    kind: str  # "temporal", "quantitative", or "nominal"/"ordinal": categories
    low: Any
    high: Any
    kept: tuple = ()  # the categories from low to high, in the axis's order


def _axes_of(spec: dict) -> list[Axes]:
    """The axes of each view of a concat chart, else of the chart."""
    views = concat_views(spec)
    return [chart_axes(view) for view in views] if views else [chart_axes(spec)]


def _zoom_axis(axes: Axes, zoom: tuple[str, str]) -> Optional[Axis]:
    """The axis the range is on: x, else y, whose kind its ends can be (dates, numbers; any
    text names categories)."""
    for channel in ("x", "y"):
        axis = axes.channels.get(channel)
        if axis is None:
            continue
        if axis.kind == "temporal" and all(time_of(value) is not None for value in zoom):
            return axis
        if axis.kind == "quantitative" and all(_number(value) is not None for value in zoom):
            return axis
        if axis.kind in ("nominal", "ordinal"):
            return axis
    return None


def _any_axis(views: list[Axes]) -> Optional[tuple[Axes, Axis]]:
    return next(((axes, axes.channels[channel]) for axes in views for channel in ("x", "y") if channel in axes.channels), None)


def _number(text: str) -> Optional[float]:
    try:
        return float(text)
    except ValueError:
        return None


def _typed(axis: Axis, value: str) -> Any:
    if axis.kind == "quantitative":
        number = _number(value)
        return value if number is None else int(number) if number.is_integer() else number
    return value


def _checked_zoom(spec: dict, zoom: tuple[str, str], what: str, where: Where) -> _Zoom:
    views = _axes_of(spec)
    found = next(((axes, axis) for axes in views if (axis := _zoom_axis(axes, zoom)) is not None), None) or _any_axis(views)
    written = f"zoom {zoom[0]}..{zoom[1]}"
    if found is None:
        raise _fail(where, f"{written}: {what} has no x or y axis to zoom")
    axes, axis = found
    ends = []
    for value in zoom:
        found, message = axes.value(axis.channel, _typed(axis, value), f"{written} of {what}")
        if message:
            raise _fail(where, message)
        ends.append(found)
    field = axis.definition.get("field") if isinstance(axis.definition.get("field"), str) else None
    if axis.kind in ("temporal", "quantitative"):
        low, high = ends
        if (time_of(low) if axis.kind == "temporal" else low) > (time_of(high) if axis.kind == "temporal" else high):
            raise _fail(where, f"{written}: the range must run from the lower to the higher value")
        return _Zoom(axis.channel, field, axis.kind, low, high)
    order = _category_order(axis)
    first, last = order.index(ends[0]), order.index(ends[1])
    if first > last:
        raise _fail(where, f"{written}: '{ends[0]}' comes after '{ends[1]}' on the chart's {axis.channel} axis (the range runs in the axis's order)")
    return _Zoom(axis.channel, field, axis.kind, ends[0], ends[1], tuple(order[first:last + 1]))


def _category_order(axis: Axis) -> list:
    """The categories in the order the axis shows them: its domain, its sort list, the data's
    order (sort: null), else sorted (Vega-Lite's default)."""
    scale = axis.definition.get("scale") if isinstance(axis.definition.get("scale"), dict) else {}
    values = list(dict.fromkeys(axis.values))
    if isinstance(scale.get("domain"), list):
        return list(scale["domain"])
    sort = axis.definition.get("sort", "ascending")
    if isinstance(sort, list):
        return list(dict.fromkeys(sort + values))
    if sort is None:
        return values
    ordered = sorted(values, key=lambda value: (not isinstance(value, (int, float)), value if isinstance(value, (int, float)) else str(value)))
    return ordered[::-1] if sort == "descending" else ordered


def _zoomed(spec: dict, zoom: _Zoom) -> dict:
    """Dates and numbers: the axis's scale shows only the range, the marks are clipped to it (a
    drawing without that axis, a phone's list, keeps the rows in it instead); categories: only their rows."""
    axis = next((found for axes in _axes_of(spec) if (found := axes.channels.get(zoom.channel)) is not None and found.kind == zoom.kind), None)
    if zoom.kind in ("temporal", "quantitative") and axis is not None:
        spec = _changed_units(spec, lambda unit: _domain_set(unit, zoom))
        return _notes_in_range(spec, zoom)
    if zoom.field is None:
        return spec
    if zoom.kind == "temporal":
        bounds = [time_of(zoom.low), time_of(zoom.high)]
        test = f"time(datum[{json.dumps(zoom.field)}]) >= {bounds[0]:.0f} && time(datum[{json.dumps(zoom.field)}]) <= {bounds[1]:.0f}"
        predicate = {"filter": test}
    elif zoom.kind == "quantitative":
        predicate = {"filter": {"field": zoom.field, "range": [zoom.low, zoom.high]}}
    else:
        predicate = {"filter": {"field": zoom.field, "oneOf": list(zoom.kept)}}
        spec = _changed_units(spec, lambda unit: _domain_set(unit, zoom, list(zoom.kept), clip=False))  # a declared domain would keep the rest
    spec = _with_filter(spec, zoom.field, predicate)
    return _notes_in_range(spec, zoom) if axis is not None else spec


def _domain_set(unit: _Unit, zoom: _Zoom, domain: Optional[list] = None, clip: bool = True) -> dict:
    """The unit with the zoomed axis's scale showing `domain` (the range's two ends), its marks clipped to it."""
    definition = unit.encoding.get(zoom.channel)
    if not (isinstance(definition, dict) and ("field" in definition or "datum" in definition or "aggregate" in definition)):
        return unit.view
    kind = definition.get("type") or ("temporal" if definition.get("timeUnit") else "quantitative")
    if kind != zoom.kind:
        return unit.view
    scale = definition.get("scale") if isinstance(definition.get("scale"), dict) else {}
    changed = {**definition, "scale": {**scale, "domain": domain or [zoom.low, zoom.high]}}
    mark = unit.view["mark"] if isinstance(unit.view["mark"], dict) else {"type": unit.view["mark"]}
    return unit.view | {"encoding": {**(unit.view.get("encoding") or {}), zoom.channel: changed}} | ({"mark": {**mark, "clip": True}} if clip else {})


def _notes_in_range(spec: dict, zoom: _Zoom) -> dict:
    """The notes inside the zoomed range: a range note cut to it, the rest on that axis dropped."""
    notes = annotations_of(spec)
    kept = []
    for note in notes:
        if "range" in note and zoom.channel in note["range"] and zoom.kind in ("temporal", "quantitative"):
            low, high = note["range"][zoom.channel]
            if _inside(zoom, high, "low") and _inside(zoom, low, "high"):
                cut = [low if _inside(zoom, low, "low") else zoom.low, high if _inside(zoom, high, "high") else zoom.high]
                kept.append(note | {"range": {zoom.channel: cut}})
            continue
        if all(_inside(zoom, value) for channel, value in _placed_at(note) if channel == zoom.channel):
            kept.append(note)
    return spec if kept == notes else with_annotation_list(spec, kept)


def _inside(zoom: _Zoom, value: Any, side: str = "both") -> bool:
    """Whether `value` is inside the zoomed range (`side`: only above its low end, or below its high end)."""
    if zoom.kind in ("nominal", "ordinal"):
        return value in zoom.kept
    at = time_of(value) if zoom.kind == "temporal" else value
    low, high = (time_of(zoom.low), time_of(zoom.high)) if zoom.kind == "temporal" else (zoom.low, zoom.high)
    if at is None or not isinstance(at, (int, float)):
        return True
    return (side == "high" or at >= low) and (side == "low" or at <= high)
