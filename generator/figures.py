"""Figures in prose: `[[id]]` / `[[id.field]]` references into the data.

A reference renders in the format its field declares (a type such as `Percent`,
or the collection's `formats=`) and links to the source that backs that field,
so prose and charts cannot drift apart when a number is corrected.
`find_hand_typed` is the strict-mode check that catches figures typed by hand instead.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Mapping, Optional

from pydantic import BaseModel

from .errors import did_you_mean
from .models import Unit

if TYPE_CHECKING:
    from .data import Data

# A record id (a slug), then optionally any Python identifier as the field: `riders_2019`, `budgetFY`.
# Possessive quantifiers: a failed match never backtracks, so a long line costs linear time.
REFERENCE = re.compile(r"\[\[([a-z0-9][a-z0-9-]*+)(?:\.([A-Za-z_][A-Za-z0-9_]*+))?\]\]")
# Anything in double brackets on one line: what is left of it after REFERENCE is a reference
# that did not take (a capital in the id, a space), which must not reach a page as raw text.
BRACKETED = re.compile(r"\[\[[^\[\]\n]{1,200}+\]\]")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December")


@dataclass(frozen=True)
class Resolved:
    """A reference made text: what to show, which record and source it came from."""

    text: str
    record_id: str
    source_id: Optional[str]
    is_range: bool


class UnknownReference(ValueError):
    """A reference names a record or field that does not exist."""


def resolve(data: "Data", record_id: str, field: Optional[str]) -> Resolved:
    """Format `record_id.field` (or the record's main figure) from the data."""
    record = data.by_id.get(record_id)
    if record is None:
        raise UnknownReference(f"unknown record '{record_id}' in figure reference{did_you_mean(record_id, data.by_id)}")
    collection = data.collection_of[record_id]
    spec = data.schema.collections[collection]
    name = field or spec.figure
    if name is None:
        choices = _figure_choices(record, spec.formats)
        raise UnknownReference(f"'{record_id}' ({collection}) has no main figure: name a field, e.g. [[{record_id}.{choices[0] if choices else 'field'}]], "
                               f"or declare figure= on the collection; it has: {', '.join(choices)}")
    known = name in field_names(type(record), spec.formats)
    value = _value(record, name) if known else None
    if not known or (value is not None and not _is_figure(value)):
        choices = _figure_choices(record, spec.formats)
        raise UnknownReference(f"'{record_id}' ({collection}) has no figure field '{name}'{did_you_mean(name or '', choices)}; it has: {', '.join(choices)}")
    if value is None:
        raise UnknownReference(f"'{record_id}' has no value for '{name}'")
    text, is_range = _format_field(record, name, value, spec.formats)
    return Resolved(text, record_id, source_for(record, name), is_range)


def source_for(record: BaseModel, name: str) -> Optional[str]:
    """The source backing one field: the record's `field_sources` entry for it, else its first source."""
    sources = getattr(record, "sources", None) or []
    return (getattr(record, "field_sources", None) or {}).get(name) or (sources[0] if sources else None)


def field_names(model: type[BaseModel], formats: Optional[Mapping[str, str]] = None) -> list[str]:
    """Every field a reference may name: stored fields, `@computed_field`s, and the
    properties the collection gives a format (`formats={"recovery": "percent"}`)."""
    names = [*model.model_fields, *model.model_computed_fields]
    return names + [n for n in formats or {} if n not in names and isinstance(getattr(model, n, None), property)]


def _figure_choices(record: BaseModel, formats: Mapping[str, str]) -> list[str]:
    """The fields a message can suggest: those holding a figure (a derived one that fails is left out)."""
    choices = []
    for name in field_names(type(record), formats):
        try:
            choices += [name] if _is_figure(_value(record, name)) else []
        except UnknownReference:
            continue
    return choices


def _value(record: BaseModel, name: str) -> Any:
    try:
        return getattr(record, name)
    except Exception as err:  # noqa: BLE001 - a derived figure is the site's own code: say which failed
        raise UnknownReference(f"'{record.id}' field '{name}' could not be computed: {type(err).__name__}: {err}") from None


def _is_figure(value: object) -> bool:
    return isinstance(value, (int, float, dt.date)) and not isinstance(value, bool)


def format_field(record: BaseModel, name: str, formats: Optional[Mapping[str, str]] = None) -> str:
    """One field of a record in house style."""
    return _format_field(record, name, getattr(record, name), formats)[0]


def _format_field(record: BaseModel, name: str, value: object, formats: Optional[Mapping[str, str]] = None) -> tuple[str, bool]:
    if isinstance(value, dt.date):
        return format_date(value), False
    unit = (formats or {}).get(name) or getattr(record, "unit", None) or field_unit(type(record), name)
    high = getattr(record, f"{name}_high", None)
    if high is not None and high != value:
        return f"{format_number(value, unit)} to {format_number(high, unit)}", True
    return format_number(value, unit), False


@lru_cache(maxsize=None)
def field_unit(model: type[BaseModel], name: str) -> str:
    """The format a field's type declares (`Money`: usd, `Percent`: percent); plain numbers count."""
    if name in model.model_fields:
        info = model.model_fields[name]
        metadata = [*info.metadata, *_metadata_in(info.annotation)]
    elif name in model.model_computed_fields:
        metadata = _metadata_in(model.model_computed_fields[name].return_type)
    else:
        metadata = []
    return next((m.name for m in metadata if isinstance(m, Unit)), "count")


def _metadata_in(annotation: Any) -> list:
    """Annotated metadata anywhere inside a type (Optional[Money] hides Money's inside a Union)."""
    found = list(getattr(annotation, "__metadata__", ()))
    for inner in typing.get_args(annotation):
        found += _metadata_in(inner)
    return found


def format_number(value: float, unit: str) -> str:
    """House style: $5.9 billion, $845.8 million, $62,000, 28, 60%, 3.5 percentage points, 2019."""
    if unit == "usd":
        return format_money(value)
    if unit == "percent":
        return f"{_trim(value, 1)}%"
    if unit == "points":
        return f"{_trim(value, 1)} percentage point{'' if abs(value) == 1 else 's'}"
    if unit in ("year", "plain"):
        return str(int(value)) if float(value).is_integer() else _trim(value, 2).replace(",", "")
    return f"{int(value):,}" if float(value).is_integer() else _trim(value, 2)


def format_money(value: float) -> str:
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if abs(value) >= size:
            return f"${_trim(value / size, 2 if word == 'billion' else 1)} {word}"
    return f"${value:,.0f}"


def format_money_range(low: float, high: Optional[float]) -> str:
    """Compact range for chart labels: '$5.3–5.4 billion', or one figure when there is no range."""
    if high is None or high == low:
        return format_money(low)
    low_num, low_unit = format_money(low).rsplit(" ", 1)
    high_num, high_unit = format_money(high).rsplit(" ", 1)
    if low_unit == high_unit:
        return f"{low_num}–{high_num.lstrip('$')} {high_unit}"
    return f"{format_money(low)} to {format_money(high)}"


def format_date(value: dt.date) -> str:
    """US news style: April 4, 2025."""
    return f"{MONTHS[value.month - 1]} {value.day}, {value.year}"


def _trim(number: float, places: int) -> str:
    text = f"{number:,.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- the strict check: figures typed by hand ----------------------------------

# Linear time on any line: a digit run is read once (possessive `*+`: nothing it took is
# given back) and only from its first digit (the look-behind), not again from every comma
# in it. "1,1,1,…" over 30 KB took 23 s with `\b\d[\d,.]*`, which retried from each digit.
MONEY_TYPED = r"\$\s?\d[\d,.]*+(\s?(billion|million|thousand|bn|m)\b)?|\b(?<![\d,.])\d[\d,.]*+\s?(billion|million)\b"
# "89%", "12.5 percent", "3 percentage points": a share is a figure too.
PERCENT_TYPED = r"\b(?<![\d,.])\d[\d,.]*+\s?+(?:%|per ?+cent\b|percentage points?+\b)"
# "12,400": a number grouped in thousands is a large count, with or without a counted word.
LARGE_COUNT_TYPED = r"\b(?<![\d,])\d{1,3}+(?:,\d{3})++\b"
# A year before a counted word ("2025 boardings") is a date, not a count.
NOT_A_YEAR = r"(?!(?:1[89]|20)\d\d\s)"
QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|`[^`\n]*`")
DIGIT = re.compile(r"\d")


@lru_cache(maxsize=8)
def hand_typed_pattern(count_words: tuple[str, ...] = ()) -> re.Pattern:
    """Money amounts, percentages, numbers grouped in thousands, and numbers (not years) followed
    by one of the site's `count_words` ("120 riders")."""
    counts = "|".join(re.escape(word) for word in sorted(count_words, key=len, reverse=True))
    counted = rf"|\b(?<![\d,]){NOT_A_YEAR}\d[\d,]*+\s++(?:{counts})\b" if counts else ""
    return re.compile(f"{MONEY_TYPED}|{PERCENT_TYPED}{counted}|{LARGE_COUNT_TYPED}", re.IGNORECASE)


def find_hand_typed(line: str, count_words: tuple[str, ...] = ()) -> list[tuple[int, str]]:
    """(column, text) of each money amount, percentage or counted quantity typed by hand."""
    if not DIGIT.search(line) or line.lstrip().startswith(">"):
        return []  # every figure has a digit: most lines are done in one C call
    masked = REFERENCE.sub(lambda m: " " * len(m.group(0)), line)
    masked = QUOTED.sub(lambda m: " " * len(m.group(0)), masked)
    return [(m.start() + 1, m.group(0)) for m in hand_typed_pattern(tuple(count_words)).finditer(masked)]
