"""Turning pydantic validation errors into located, readable problems."""

from __future__ import annotations

import calendar
import re
from typing import Any

from pydantic import BaseModel, ValidationError

from .errors import Problem, did_you_mean
from .sources import Document, KeyPath


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
        return f"{value!r} is not allowed here ({_pattern_meaning(error)})"
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


def _pattern_meaning(error: dict) -> str:
    pattern = error.get("ctx", {}).get("pattern", "")
    if pattern.startswith("^[a-z0-9]"):
        return "ids are lowercase letters, digits and hyphens"
    if "https?" in pattern:
        return "links must start with http://, https:// or mailto:"
    if pattern.startswith("^#"):
        return "colours are #rrggbb"
    return f"must match {pattern}"


def _kind(value: Any) -> str:
    return {list: "a list", str: "text", type(None): "nothing"}.get(type(value), type(value).__name__)
