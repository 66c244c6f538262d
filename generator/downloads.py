"""Data downloads: every data collection as CSV and JSON, with its schema and sources.

The schema comes from the pydantic models themselves (field, type, and the
`Field(description=...)` meaning), so it cannot drift from what the build
accepts. CSV cells that a spreadsheet would run as a formula are neutralised
with the same rule as chart CSVs.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import types
import typing
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from markupsafe import Markup
from pydantic import BaseModel

from .chartfiles import csv_bytes
from .models import Record, Source

if TYPE_CHECKING:
    from .site import Page, Site

LAST = ("sources", "field_sources", "facts", "updated")


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    meaning: str
    required: bool


@dataclass(frozen=True)
class Dataset:
    """One collection as a download: what it is, its files, its schema, its sources."""

    name: str
    title: str
    description: str
    count: int
    fields: tuple[FieldDoc, ...]
    sources: tuple[Source, ...]
    csv_path: str
    json_path: str
    coverage: str  # ISO 8601 interval of the records' dates, or ""
    as_of: dt.date  # the newest source the collection's records cite: what the data can know
    backs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # source id -> the fields records cite it for


def datasets(site: "Site", folder: str) -> list[Dataset]:
    """Every non-empty collection offered for download, in declaration order."""
    found = []
    for name, spec in site.data.schema.collections.items():
        records = site.data[name]
        if not records or not spec.downloads:
            continue
        sources = _sources_of(site, name, records)
        as_of = max((s.date for s in sources), default=site.settings.data_as_of)
        found.append(Dataset(name, spec.label, spec.description, len(records), schema(spec.model, records), sources,
                             f"{folder}{name}.csv", f"{folder}{name}.json", _coverage(spec.model, records), as_of, _backs(records)))
    return found


def schema(model: type[BaseModel], records: Any = ()) -> tuple[FieldDoc, ...]:
    """Field, type and meaning of every field of a model (computed ones too), in download column order."""
    fields, computed = model.model_fields, model.model_computed_fields
    return tuple(FieldDoc(name, type_name(fields[name].annotation, fields[name].metadata), fields[name].description or "", fields[name].is_required())
                 if name in fields else FieldDoc(name, type_name(computed[name].return_type), computed[name].description or "", False)
                 for name in columns(model, records))


def columns(model: type[BaseModel], records: Any = ()) -> list[str]:
    """The model's fields, then its computed fields, with the bookkeeping every record shares
    (sources, facts, updated) last; `field_sources` only when some record says which source backs which field."""
    per_field = any(getattr(r, "field_sources", None) for r in records)
    names = [n for n in [*model.model_fields, *model.model_computed_fields] if n != "field_sources" or per_field]
    return [n for n in names if n not in LAST] + [n for n in LAST if n in names]


def type_name(annotation: Any, metadata: list = ()) -> str:
    """A reader's name for a field type: 'date', 'number', 'one of: a, b', 'list of ids'."""
    origin, args = typing.get_origin(annotation), typing.get_args(annotation)
    if origin is typing.Annotated:
        return type_name(args[0], list(args[1:]) + list(metadata))
    if origin in (typing.Union, types.UnionType):
        return " or ".join(dict.fromkeys(type_name(a, metadata) for a in args if a is not type(None)))
    if origin is dict:
        return f"map ({type_name(args[0]) if args else 'text'} to {type_name(args[1]) if args else 'text'})"
    if origin is Literal:
        return "one of: " + ", ".join(str(a) for a in args)
    if origin is list:
        inner = args[0] if args else str
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            return f"list of {inner.__name__.lower()}s ({', '.join(inner.model_fields)})"
        return {"text": "list of text items", "id": "list of ids", "link": "list of links"}.get(type_name(inner), f"list ({type_name(inner)})")
    return _plain_type(annotation, _constraints(metadata))


def _constraints(metadata: list) -> dict:
    """pattern / ge found in Annotated metadata, looking inside nested Field(...) objects."""
    found: dict = {}
    for item in metadata:
        for inner in [item, *getattr(item, "metadata", [])]:
            for name in ("pattern", "ge"):
                if getattr(inner, name, None) is not None:
                    found.setdefault(name, getattr(inner, name))
    return found


def _plain_type(annotation: Any, constraints: dict) -> str:
    pattern = constraints.get("pattern") or ""
    if annotation is str and pattern:
        return "id" if pattern.startswith("^[a-z0-9]") else "link" if "https?" in pattern else "colour (#rrggbb)" if pattern.startswith("^#") else "text"
    if isinstance(getattr(annotation, "type_name", None), str):
        return annotation.type_name  # a field type that names itself (GeoPoint)
    names = {str: "text", int: "whole number", float: "number", bool: "yes or no", dt.date: "date (YYYY-MM-DD)"}
    name = names.get(annotation, getattr(annotation, "__name__", str(annotation)))
    return f"{name} ≥ 0" if annotation in (int, float) and constraints.get("ge") == 0 else name


def dataset_files(site: "Site", sets: list[Dataset], page_url: str) -> dict[str, bytes]:
    """data/<collection>.csv and .json for every dataset."""
    files = {}
    for ds in sets:
        model = site.data.schema.collections[ds.name].model
        records = site.data[ds.name]
        names = columns(model, records)
        rows = [{k: v for k, v in record.model_dump(mode="json").items() if k in names} for record in records]
        files[ds.csv_path] = csv_bytes(names, [[_cell(row.get(c)) for c in names] for row in rows])
        document = {
            "dataset": ds.name, "title": ds.title, "description": ds.description, "url": site.absolute(f"{page_url}#{ds.name}"),
            "data_as_of": site.settings.data_as_of.isoformat(), "publisher": _publisher(site),
            "fields": [{"name": f.name, "type": f.type, "meaning": f.meaning, "required": f.required} for f in ds.fields],
            "sources": [_source_json(s) for s in ds.sources], "records": rows,
        }
        files[ds.json_path] = (json.dumps(document, sort_keys=True, indent=1, ensure_ascii=False) + "\n").encode()
    return files


def _cell(value: Any) -> Any:
    """Lists of words joined with '; ' (as our CSV input reads them); nested records as JSON."""
    if isinstance(value, list):
        if all(isinstance(v, str) for v in value):
            return "; ".join(value)
        return json.dumps(value, sort_keys=True, ensure_ascii=False)
    if isinstance(value, dict) and set(value) == {"lat", "lon"}:
        return f"{value['lat']}, {value['lon']}"  # a GeoPoint, as CSV input writes it
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return "; ".join(f"{k}={v}" for k, v in value.items())  # field_sources, as CSV input writes it
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def datasets_json_ld(site: "Site", sets: list[Dataset], page: "Page") -> Markup:
    """schema.org Dataset blocks for the data page, escaped for <script>."""
    from .render import json_for_script

    blocks = []
    for ds in sets:
        block = {
            "@context": "https://schema.org", "@type": "Dataset", "name": f"{site.settings.title}: {ds.title.lower()}",
            "description": ds.description, "url": site.absolute(f"{page.url}#{ds.name}"), "inLanguage": site.settings.language,
            "creator": _publisher(site), "publisher": _publisher(site), "isAccessibleForFree": True,
            "dateModified": site.settings.data_as_of.isoformat(),
            "variableMeasured": [f.name for f in ds.fields],
            "distribution": [
                {"@type": "DataDownload", "encodingFormat": "text/csv", "contentUrl": site.absolute(ds.csv_path)},
                {"@type": "DataDownload", "encodingFormat": "application/json", "contentUrl": site.absolute(ds.json_path)},
            ],
        }
        block |= {"temporalCoverage": ds.coverage} if ds.coverage else {}
        block |= {"citation": [{"@type": "CreativeWork", "name": s.title, "url": s.url, "datePublished": s.date.isoformat()} for s in ds.sources]} if ds.sources else {}
        blocks.append(block)
    return json_for_script(blocks)


def _publisher(site: "Site") -> dict:
    return {"@type": "Organization", "name": site.settings.publisher or site.settings.title, "url": site.absolute("")}


def _source_json(source: Source) -> dict:
    return {"id": source.id, "outlet": source.outlet, "title": source.title, "url": source.url, "date": source.date.isoformat()}


def _sources_of(site: "Site", name: str, records: tuple) -> tuple[Source, ...]:
    """The sources a collection's records cite, oldest first."""
    if name == "sources":
        return ()
    ids = {s for r in records for s in getattr(r, "sources", ())} | {rep.source for r in records for rep in getattr(r, "reports", ())}
    return tuple(sorted((site.data.source(s) for s in ids), key=lambda s: (s.date, s.id)))


def _backs(records: Any) -> dict[str, tuple[str, ...]]:
    """source id -> the fields the collection's records cite it for, in first-cited order."""
    backs: dict[str, dict[str, None]] = {}
    for record in records:
        for name, source_id in (getattr(record, "field_sources", None) or {}).items():
            backs.setdefault(source_id, {})[name] = None
    return {source_id: tuple(names) for source_id, names in backs.items()}


def _coverage(model: type[BaseModel], records: tuple) -> str:
    """The span of the records' own dates (not the bookkeeping `updated`), else of a `year` field."""
    fields = [name for name, info in model.model_fields.items() if name not in Record.model_fields and _is_date(info.annotation)]
    dates = [getattr(r, f) for r in records for f in fields if isinstance(getattr(r, f, None), dt.date)]
    years = [r.year for r in records if isinstance(getattr(r, "year", None), int)]
    if dates:
        return f"{min(dates).isoformat()}/{max(dates).isoformat()}"
    return f"{min(years)}/{max(years)}" if years else ""


def _is_date(annotation: Any) -> bool:
    return annotation is dt.date or dt.date in typing.get_args(annotation)
