"""Checking plain Vega-Lite specs against the Vega-Lite JSON schema.

The schema ships with Altair, so no network is needed. A failure names the
file and the JSON path of the offending value, plus its line when it can.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from .errors import Problem

MAX_PROBLEMS = 5


@lru_cache(maxsize=1)
def _validator() -> Any:
    import jsonschema

    text = resources.files("altair.vegalite.v6.schema").joinpath("vega-lite-schema.json").read_text()
    return jsonschema.Draft7Validator(json.loads(text))


def spec_problems(spec: Any, shown: str, text: str) -> list[Problem]:
    """Located problems of a Vega-Lite spec; [] when it is valid."""
    if not isinstance(spec, dict):
        return [Problem(shown, 1, 1, "a Vega-Lite spec must be a JSON object")]
    errors = sorted(_validator().iter_errors(spec), key=lambda e: (len(e.absolute_path), list(map(str, e.absolute_path))))
    problems = []
    for error in _most_specific(errors)[:MAX_PROBLEMS]:
        path = json_path(error.absolute_path)
        line, col = _line_of(text, error.absolute_path)
        problems.append(Problem(shown, line, col, f"not valid Vega-Lite at {path}: {_short(error)}"))
    return problems


def _most_specific(errors: list) -> list:
    # anyOf failures explode into many alternatives; the deepest ones say the most.
    if not errors:
        return []
    depth = max(len(e.absolute_path) for e in errors)
    return [e for e in errors if len(e.absolute_path) == depth] or errors


def json_path(parts: Any) -> str:
    """$.encoding.x.type style path."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _short(error: Any) -> str:
    message = error.message
    return message if len(message) < 160 else message[:157] + "..."


def _line_of(text: str, parts: Any) -> tuple[int, int]:
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
