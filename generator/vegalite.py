"""Checking plain Vega-Lite specs against the Vega-Lite JSON schema.

The schema ships with Altair, so no network is needed. A failure names the
file and the JSON path of the offending value, plus its line when it can.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import Problem, did_you_mean

MAX_PROBLEMS = 5
# When several alternatives of an anyOf fail at one place, the kind of failure that
# tells a person the most wins: a misspelt value, then an unknown property.
PREFERRED = {"enum": 0, "additionalProperties": 1, "type": 2, "const": 3, "required": 4}


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    text = resources.files("altair.vegalite.v6.schema").joinpath("vega-lite-schema.json").read_text()
    return jsonschema.Draft7Validator(json.loads(text))


def spec_problems(spec: Any, shown: str, text: str) -> list[Problem]:
    """Located problems of a Vega-Lite spec; [] when it is valid."""
    if not isinstance(spec, dict):
        return [Problem(shown, 1, 1, "a Vega-Lite spec must be a JSON object")]
    problems = []
    for error in _most_specific(list(_validator().iter_errors(spec)))[:MAX_PROBLEMS]:
        parts, message = _explain(error)
        line, col = line_of(text, parts)
        problems.append(Problem(shown, line, col, f"not valid Vega-Lite at {json_path(parts)}: {message}"))
    return problems


def _most_specific(errors: list) -> list:
    """One error per deepest failing place, looking inside anyOf/oneOf alternatives."""
    leaves = [leaf for error in errors for leaf in _leaves(error)]
    if not leaves:
        return []
    depth = max(len(e.absolute_path) for e in leaves)
    best: dict[tuple, Any] = {}
    for error in leaves:
        if len(error.absolute_path) == depth:
            place = tuple(map(str, error.absolute_path))
            if place not in best or _rank(error) < _rank(best[place]):
                best[place] = error
    return [best[place] for place in sorted(best)]


def _leaves(error: Any) -> list:
    if not error.context:
        return [error]
    return [leaf for child in error.context for leaf in _leaves(child)]


def _rank(error: Any) -> tuple:
    return (PREFERRED.get(error.validator, len(PREFERRED)), len(error.message))


def _explain(error: Any) -> tuple[list, str]:
    """(JSON path, message) in words a chart author can act on."""
    parts = list(error.absolute_path)
    if error.validator == "enum" and isinstance(error.instance, str):
        choices = [c for c in error.validator_value if isinstance(c, str)]
        hint = did_you_mean(error.instance, choices) or f" (expected one of {', '.join(repr(c) for c in choices)})"
        return parts, _short(f"{error.instance!r} is not allowed{hint}")
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        known = error.schema.get("properties", {})
        extra = sorted(k for k in error.instance if k not in known)
        if len(extra) == 1:
            return parts + extra, f"unknown property '{extra[0]}'{did_you_mean(extra[0], known)}"
    return parts, _short(error.message)


def json_path(parts: Any) -> str:
    """$.encoding.x.type style path."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _short(message: str) -> str:
    return message if len(message) < 160 else message[:157] + "..."


def line_of(text: str, parts: Any) -> tuple[int, int]:
    """Best-effort line of the last key of `parts` in the JSON text."""
    keys = [p for p in parts if isinstance(p, str)]
    position = 0
    for key in keys:
        found = text.find(json.dumps(key), position)
        if found < 0:
            break
        position = found
    if position == 0:
        return (1, 1)
    line = text.count("\n", 0, position) + 1
    return (line, position - text.rfind("\n", 0, position))
