"""The rows of a generic record page, shaped by the collection's declaration.

`@collection(..., fields=[...], labels={...}, formats={...})` says which fields a
record page shows, in what order, under what labels and in what format; without
`fields`, every field with a value shows in model order, bookkeeping left out.
A latitude and longitude show together as one place ("41.41° N, 81.69° W").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Optional

from pydantic import BaseModel

from .figures import format_date, format_field
from .models import GeoPoint
from .schema import PLACE, CollectionSpec

if TYPE_CHECKING:
    from .data import Data

HIDDEN = {"id", "sources", "field_sources", "facts", "updated", "summary", "reports"}
# Field pairs that make a geographic point, as newsroom data names them.
COORDINATES = (("lat", "lon"), ("lat", "lng"), ("latitude", "longitude"))


@dataclass(frozen=True)
class Row:
    """One row of a record page: the field, its label, how to show it, its value and its text."""

    name: str
    label: str
    kind: str  # "refs", "date", "link", "place", "number" or "text"
    value: Any
    text: str


def record_rows(data: "Data", record: BaseModel) -> list[Row]:
    """The rows a record page shows, in order, each with its label and its text in house style."""
    spec = data.spec_of(record.id)
    point = coordinates(type(record))
    names = list(spec.fields) if spec.fields is not None else _default_names(type(record), point)
    rows = [_row(spec, record, name, point) for name in names]
    return [row for row in rows if row is not None]


def coordinates(model: type[BaseModel]) -> Optional[tuple[str, str]]:
    """The (latitude, longitude) fields of a model, if it has a pair."""
    return next((pair for pair in COORDINATES if all(name in model.model_fields for name in pair)), None)


def _default_names(model: type[BaseModel], point: Optional[tuple[str, str]]) -> list[str]:
    """Every stored and computed field in model order, bookkeeping and range ends left out; a
    latitude and longitude become one place where the latitude was."""
    names = [*model.model_fields, *model.model_computed_fields]
    hidden = HIDDEN | {f"{name}_high" for name in names} | set(point or ())
    shown = []
    for name in names:
        if point and name == point[0]:
            shown.append(PLACE)
        elif name not in hidden:
            shown.append(name)
    return shown


def _row(spec: CollectionSpec, record: BaseModel, name: str, point: Optional[tuple[str, str]]) -> Optional[Row]:
    label = spec.labels.get(name) or name.replace("_", " ").capitalize()
    if name == PLACE:
        values = [getattr(record, n, None) for n in point or ()]
        return Row(name, label, "place", tuple(values), format_place(*values)) if point and None not in values else None
    value = getattr(record, name)
    if value in (None, "", [], ()):
        return None
    if name in spec.references:
        return Row(name, label, "refs", [value] if isinstance(value, str) else list(value), "")
    if isinstance(value, GeoPoint):
        return Row(name, label, "place", (value.lat, value.lon), format_place(value.lat, value.lon))
    if isinstance(value, dt.date):
        return Row(name, label, "date", value, format_date(value))
    if isinstance(value, (int, float)):
        return Row(name, label, "number", value, format_field(record, name, spec.formats))
    if isinstance(value, str) and value.startswith(("https://", "http://")):
        return Row(name, label, "link", value, value)
    if isinstance(value, str):
        return Row(name, label, "text", value, value)
    return Row(name, label, "text", value, ", ".join(str(v) for v in value))


def format_place(latitude: float, longitude: float) -> str:
    """A point as a reader reads it: '41.4993° N, 81.6944° W'."""
    return f"{_degrees(latitude)}° {'N' if latitude >= 0 else 'S'}, {_degrees(longitude)}° {'E' if longitude >= 0 else 'W'}"


def _degrees(value: float) -> str:
    return f"{abs(value):.4f}".rstrip("0").rstrip(".")
