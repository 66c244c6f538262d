"""The axes an annotation is anchored to: which field a chart draws on x and y, of which
type, which values its data holds there, and how a value reads in words.

Annotations are written in data values; this module checks a value against what the chart
shows (a category it has, a date or number inside its data or declared domain), turns it into
the Vega-Lite datum that shares the chart's scale, and writes it as the axis would.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

from .errors import did_you_mean
from .figures import MONTHS, format_date

CHILDREN = ("layer",)
SUMMED = ("sum", "count", "distinct", "valid", "missing")  # aggregates whose values pass the raw data's extent
STACKED_MARKS = ("bar", "area")
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?)?)?$")


@dataclass
class Axis:
    """One positional channel as the chart draws it."""

    channel: str
    definition: dict
    mark: str
    values: list = field(default_factory=list)  # the field's values in the chart's data, in order

    @property
    def kind(self) -> str:
        return str(self.definition.get("type") or ("temporal" if self.definition.get("timeUnit") else "quantitative"))

    @property
    def title(self) -> str:
        title = self.definition.get("title")
        if isinstance(title, str) and title:
            return title
        return str(self.definition.get("field") or self.channel)


@dataclass
class Axes:
    channels: dict[str, Axis]
    geo: bool

    def value(self, channel: str, value: Any, what: str) -> tuple[Any, Optional[str]]:
        """(the value as the annotation keeps it, a message when the chart does not show it)."""
        axis = self.channels.get(channel)
        if axis is None:
            return value, f"{what}: the chart has no {channel} to anchor it"
        return {"quantitative": _quantity, "temporal": _moment}.get(axis.kind, _category)(axis, value, what)

    def datum(self, channel: str, value: Any) -> dict:
        """The encoding that puts `value` on the chart's own scale (a datum shares it, and adds no axis title)."""
        axis = self.channels[channel]
        return {"datum": time_of(value) if axis.kind == "temporal" else value, "type": axis.kind}

    def words(self, channel: str, value: Any) -> str:
        """'Year opened: 2011': the axis's title and the value as it reads there ('2011' alone when
        the chart shows the axis without a title)."""
        axis = self.channels.get(channel)
        if axis is None:
            return str(value)
        if "title" in axis.definition and axis.definition["title"] is None:  # an axis shown without a title: the value speaks for itself
            return value_words(axis, value)
        return f"{axis.title}: {value_words(axis, value)}"


def chart_axes(spec: dict) -> Axes:
    """The x and y the chart draws, with the values of every field any of its layers draws there;
    each axis described by the first layer that titles it (else the first that hides its title,
    else the first that draws a field)."""
    from .chartrows import chart_table

    found: dict[str, list[tuple[dict, str]]] = {"x": [], "y": []}
    geo = "projection" in spec
    for view, encoding in _views(spec, {}):
        mark = view.get("mark")
        mark = mark.get("type") if isinstance(mark, dict) else mark
        geo = geo or mark == "geoshape" or "longitude" in encoding or "projection" in view
        for channel in found:
            definition = encoding.get(channel)
            if isinstance(definition, dict) and ("field" in definition or "datum" in definition or "aggregate" in definition):
                found[channel].append((definition, str(mark or "")))  # not a fixed px (`alt.value(0)`): that has no scale
    rows = chart_table(spec).rows
    channels = {}
    for channel, drawn in found.items():
        if drawn:
            # the layer that titles the axis, else one that hides its title (the axis then has none)
            definition, mark = next((d for d in drawn if isinstance(d[0].get("title"), str)), next((d for d in drawn if "title" in d[0]), drawn[0]))
            names = [d.get("field") for d, _ in drawn if isinstance(d.get("field"), str)]
            values = [row[name] for row in rows for name in names if row.get(name) is not None]
            channels[channel] = Axis(channel, definition, mark, values)
    return Axes(channels, geo)


CONCAT = ("concat", "hconcat", "vconcat")
SHARED = ("data", "datasets")  # what a concat chart's views read from its top level


def concat_views(spec: dict) -> list[dict]:
    """The views of a concat chart, each with the data it reads from the chart's top; [] for any other chart."""
    key = concat_key(spec)
    if key is None:
        return []
    shared = {name: spec[name] for name in SHARED if name in spec}
    return [shared | view if isinstance(view, dict) else {} for view in spec[key]]


def concat_key(spec: dict) -> Optional[str]:
    return next((key for key in CONCAT if isinstance(spec.get(key), list)), None)


def _views(spec: dict, inherited: dict) -> Iterator[tuple[dict, dict]]:
    encoding = {**inherited, **(spec.get("encoding") or {})}
    if "mark" in spec:
        yield spec, encoding
    for child in spec.get("layer") or ():
        if isinstance(child, dict):
            yield from _views(child, encoding)


def _quantity(axis: Axis, value: Any, what: str) -> tuple[Any, Optional[str]]:
    if not _is_number(value):
        return value, f"{what}: {axis.channel} {value!r} must be a number (the chart's {axis.channel} is quantitative)"
    low, high = _extent(axis)
    if low is not None and not low <= value <= high:
        return value, f"{what}: {axis.channel} {value_words(axis, value)} is outside the chart's data ({value_words(axis, low)} to {value_words(axis, high)})"
    return value, None


def _extent(axis: Axis) -> tuple[Optional[float], Optional[float]]:
    numbers = [float(v) for v in axis.values if _is_number(v)] + [float(v) for v in _domain(axis) if _is_number(v)]
    if not numbers:
        return None, None
    low, high = min(numbers), max(numbers)
    definition, scale = axis.definition, axis.definition.get("scale") or {}
    if definition.get("aggregate") in SUMMED or (axis.mark in STACKED_MARKS and definition.get("stack") is not False):
        low, high = sum(n for n in numbers if n < 0), sum(n for n in numbers if n > 0)
    if not (isinstance(scale, dict) and (scale.get("zero") is False or "domain" in scale)):
        low, high = min(low, 0.0), max(high, 0.0)
    return low, high


def _domain(axis: Axis) -> list:
    scale = axis.definition.get("scale")
    domain = scale.get("domain") if isinstance(scale, dict) else None
    return domain if isinstance(domain, list) else []


def _moment(axis: Axis, value: Any, what: str) -> tuple[Any, Optional[str]]:
    moment = time_of(value)
    if moment is None:
        return value, f"{what}: {axis.channel} {value!r} is not a date (expected YYYY-MM-DD)"
    times = [t for t in (time_of(v) for v in list(axis.values) + _domain(axis)) if t is not None]
    if times and not min(times) <= moment <= max(times):
        first, last = min(times), max(times)
        return value, f"{what}: {axis.channel} {value_words(axis, value)} is a date the chart does not show ({value_words(axis, first)} to {value_words(axis, last)})"
    return value, None


def _category(axis: Axis, value: Any, what: str) -> tuple[Any, Optional[str]]:
    categories = list(dict.fromkeys(list(axis.values) + _domain(axis)))
    for category in categories:
        if str(category) == str(value):
            return category, None  # the data's own value: 2021 and "2021" are other categories to a scale
    if not categories:
        return value, None
    hint = did_you_mean(str(value), map(str, categories)) or f" (expected one of {', '.join(repr(str(c)) for c in categories[:6])})"
    return value, f"{what}: {axis.channel} {value!r} is not a category of the chart's data{hint}"


def time_of(value: Any) -> Optional[float]:
    """A date as Vega reads it: milliseconds since 1970 (UTC for a date written without a time)."""
    if _is_number(value):
        return float(value)
    found = DATE.match(value.strip()) if isinstance(value, str) else None
    if not found:
        return None
    year, month, day, hour, minute, second = (int(part) if part else None for part in found.groups())
    try:
        moment = dt.datetime(year, month or 1, day or 1, hour or 0, minute or 0, second or 0, tzinfo=dt.timezone.utc)
    except ValueError:
        return None
    return moment.timestamp() * 1000


def value_words(axis: Axis, value: Any) -> str:
    """A value as a reader of the axis would say it."""
    if axis.kind == "temporal":
        return _date_words(value)
    if axis.kind == "quantitative" and _is_number(value):
        return _number_words(float(value), _axis_format(axis))
    return str(value)


def _date_words(value: Any) -> str:
    found = DATE.match(value.strip()) if isinstance(value, str) else None
    if found and found.group(3) is None:
        return found.group(1) if found.group(2) is None else f"{MONTHS[int(found.group(2)) - 1]} {found.group(1)}"
    moment = time_of(value)
    if moment is None:
        return str(value)
    return format_date(dt.datetime.fromtimestamp(moment / 1000, dt.timezone.utc).date())


def _axis_format(axis: Axis) -> str:
    style = axis.definition.get("axis")
    found = style.get("format") if isinstance(style, dict) else None
    return found if isinstance(found, str) else ","


def _number_words(number: float, style: str) -> str:
    """The number in a small part of d3-format's language: "d" (no separators), "," and ".Nf"."""
    places = re.search(r"\.(\d+)", style)
    digits = int(places.group(1)) if places else (0 if number.is_integer() else 2)
    text = f"{number:{',' if ',' in style else ''}.{digits}f}"
    if not places and "." in text:
        text = text.rstrip("0").rstrip(".")
    return ("$" if style.startswith("$") else "") + text


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
