"""Turning pydantic validation errors into located, readable problems."""

from __future__ import annotations

import calendar
import re
from typing import TYPE_CHECKING, Any, Iterator, Optional

from pydantic import BaseModel, ValidationError

from .errors import Problem, did_you_mean

if TYPE_CHECKING:  # sources.py uses the control-character check below, so no runtime import back
    from .sources import Document, KeyPath

# Characters no text of the site may hold: C0 controls but TAB, LF and CR; DEL; C1 controls;
# and the two noncharacters XML refuses. vl-convert panics (and aborts the process) on a
# C0 control in a chart, and none of them means anything in a web page.
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
C0_NAMES = ("NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
            "ACKNOWLEDGE", "BELL", "BACKSPACE", "TAB", "LINE FEED", "VERTICAL TAB", "FORM FEED", "CARRIAGE RETURN",
            "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE", "DEVICE CONTROL TWO",
            "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE", "SYNCHRONOUS IDLE",
            "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE", "FILE SEPARATOR",
            "GROUP SEPARATOR", "RECORD SEPARATOR", "UNIT SEPARATOR")
CONTROL_ADVICE = "remove it (it often comes from text pasted from Word or Excel)"


def control_character(text: str) -> Optional[tuple[int, str]]:
    """(index, 'U+000B VERTICAL TAB') of the first control character in `text`, or None."""
    found = CONTROL.search(text)
    if found is None:
        return None
    code = ord(found.group())
    name = C0_NAMES[code] if code < 0x20 else "DELETE" if code == 0x7F else "NONCHARACTER" if code > 0xFFFD else "C1 CONTROL"
    return found.start(), f"U+{code:04X} {name}"


def control_characters_in(value: Any, keys: KeyPath = ()) -> Iterator[tuple[KeyPath, str]]:
    """(key path, character) for every string (keys too) inside nested lists and mappings
    that holds a control character: one walk for data files, front matter and chart specs."""
    if isinstance(value, str):
        found = control_character(value)
        if found:
            yield keys, found[1]
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and control_character(key):
                yield keys + (key,), control_character(key)[1]
            yield from control_characters_in(item, keys + (key,))
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from control_characters_in(item, keys + (index,))


def control_message(keys: KeyPath, character: str) -> str:
    """'name' contains a control character (U+000B VERTICAL TAB); remove it (...)."""
    names = [key for key in keys if isinstance(key, str)]
    what = f"'{names[-1]}'" if names else "this line"
    return f"{what} contains a control character ({character}); {CONTROL_ADVICE}"


def validate_record(model: type[BaseModel], value: Any, doc: Document, keys: KeyPath) -> tuple[Any, list[Problem]]:
    """Validate one mapping; on failure return (None, problems at the right lines)."""
    if not isinstance(value, dict):
        return None, [doc.problem(keys, f"expected a mapping of fields, found {_kind(value)}")]
    try:
        return model.model_validate(value), []
    except ValidationError as err:
        return None, [_problem(doc, keys, e, model) for e in err.errors(include_url=False)]


def _problem(doc: Document, keys: KeyPath, error: dict, model: type[BaseModel]) -> Problem:
    loc = tuple(error["loc"])
    field = ".".join(str(part) for part in loc) or "record"
    kind = error["type"]
    if kind == "extra_forbidden":
        hint = did_you_mean(str(loc[-1]), model.model_fields)
        return doc.problem(keys + loc, f"unknown field '{field}'{hint}", at_key=True)
    if kind == "missing":
        return doc.problem(keys, f"missing required field '{field}'")
    return doc.problem(keys + loc, f"field '{field}': {_message(error)}")


def _message(error: dict) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "string_pattern_mismatch":
        return f"{value!r} is not allowed here ({_pattern_meaning(error, value)})"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"{value!r} is not a date ({_date_problem(value)})"
    if kind == "literal_error":
        hint = did_you_mean(str(value), re.findall(r"'([^']*)'", error["ctx"]["expected"]))
        return f"{value!r} is not allowed{hint}" if hint else f"{value!r} is not one of {error['ctx']['expected']}"
    if kind in {"greater_than_equal", "greater_than"}:
        return f"{value!r} must not be negative" if error["ctx"].get("ge") == 0 else error["msg"]
    if kind in {"float_parsing", "int_parsing", "float_type", "int_type", "int_from_float"}:
        return f"{value!r} is not a number"
    return f"{error['msg']} (found {value!r})" if "input" in error else error["msg"]


def _date_problem(value: Any) -> str:
    """Why a date is wrong: its shape, or (for a well-shaped one) the calendar."""
    shape = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value) if isinstance(value, str) else None
    if shape:
        year, month, day = map(int, shape.groups())
        if not 1 <= month <= 12:
            return "months run from 01 to 12"
        days = calendar.monthrange(year, month)[1]
        if not 1 <= day <= days:
            return f"{calendar.month_name[month]} {year} has {days} days"
    return "expected YYYY-MM-DD"


def _pattern_meaning(error: dict, value: Any) -> str:
    pattern = error.get("ctx", {}).get("pattern", "")
    if pattern.startswith("^[a-z0-9]"):
        return "ids are lowercase letters, digits and hyphens"
    if "https?" in pattern:
        return _link_problem(str(value))
    if pattern.startswith("^#"):
        return "colours are #rrggbb"
    if pattern.startswith("^(?!.*/"):
        return "page URLs are lowercase letters, digits, '.', '_', '-' and '/', end in '/' and have no '.' or '..' part"
    return f"must match {pattern}"


def _link_problem(url: str) -> str:
    """What is wrong with a link: its scheme, a character a link cannot hold, or no address."""
    scheme = re.match(r"(https?://|mailto:)", url)
    if not scheme:
        return "links must start with http://, https:// or mailto:"
    bad = re.search(r"[\s<>\"]", url)
    if bad:
        char = bad.group()
        what = {" ": "a space", "<": "'<'", ">": "'>'", '"': "a double quote"}.get(char, f"the character U+{ord(char):04X}")
        return f"a link cannot hold {what} (character {bad.start() + 1}): write it as %{ord(char):02X}"
    return f"nothing follows '{scheme.group()}'"


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", type(None): "nothing"}.get(type(value), type(value).__name__)
