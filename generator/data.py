"""Loading `site_src/data/` into typed, cross-checked `Data`.

A collection is `data/<name>.yaml`, `data/<name>.csv`, or any number of such
files in `data/<name>/`. Ids are unique across every collection, so a figure
reference needs only an id.
"""

from __future__ import annotations

import hashlib
import pickle
from dataclasses import dataclass, field, replace
from pathlib import Path
from collections.abc import Sequence
from typing import Any, Iterator, Optional

from pydantic import BaseModel

from .cache import Cache
from .inputs import Reads, code_version
from .errors import BuildFailed, Problem, did_you_mean
from .schema import CollectionSpec, Schema, format_title, load_schema
from .models import Source
from .sources import parse_csv, parse_yaml, read_text
from .validation import validate_record

DATA_SUFFIXES = {".yaml", ".yml", ".csv"}


@dataclass(frozen=True)
class Located:
    """Where a record was defined, for messages that point at it."""

    shown: str
    line: int
    col: int
    fields: dict[str, tuple[int, int]] = field(default_factory=dict, compare=False)

    def at(self, field_name: str) -> tuple[int, int]:
        """Line and column of one field's value, or of the record when unknown."""
        return self.fields.get(field_name, (self.line, self.col))


class Collection(Sequence):
    """One collection's records in file order; `get(id)` finds one by id."""

    def __init__(self, spec: CollectionSpec, records: tuple[BaseModel, ...], located: Optional[dict[str, Located]] = None):
        self.spec, self.records = spec, records
        self._by_id = {record.id: record for record in records}
        self._located = located or {}

    name = property(lambda self: self.spec.name)
    label = property(lambda self: self.spec.label)

    def get(self, record_id: str, default: Any = None) -> Any:
        return self._by_id.get(record_id, default)

    def where(self, record_id: str) -> Optional[Located]:
        """Where a record was defined (file, line, and its fields' lines), for located messages."""
        return self._located.get(record_id)

    def colors(self, by: str, field: str = "color") -> dict[str, str]:
        """{record.<by>: record.<field>} for records with a colour: a chart's colour scale."""
        return {getattr(r, by): getattr(r, field) for r in self.records if getattr(r, field, None)}

    def __getitem__(self, index: Any) -> Any:
        return self.records[index]

    def __len__(self) -> int:
        return len(self.records)

    def __repr__(self) -> str:
        return f"<collection {self.spec.name}: {len(self.records)} records>"


@dataclass(frozen=True)
class Data:
    """Every record of the site, typed: a mapping of collection name to `Collection`.

    Chart functions and templates read collections as attributes (`data.stations`)
    or items (`data["stations"]`); `get(id)` finds a record in any collection.
    """

    schema: Schema
    collections: dict[str, Collection] = field(default_factory=dict)
    by_id: dict[str, BaseModel] = field(default_factory=dict, compare=False)
    collection_of: dict[str, str] = field(default_factory=dict, compare=False)
    located: dict[str, Located] = field(default_factory=dict, compare=False)
    digest: str = ""
    reads: Optional[Reads] = field(default=None, compare=False, repr=False)  # set only for a chart call

    def file(self, relative: str) -> Path:
        """A file of the project a chart reads itself (`pd.read_csv(data.file("extra/x.csv"))`),
        given as a path under site_src/. Recorded, so the chart is redrawn when the file changes."""
        if self.reads is None:
            raise RuntimeError("data.file() is for chart functions, which the build calls with a recording Data")
        return self.reads.file(relative)

    def recording(self, reads: Reads) -> "Data":
        """This data, with file reads recorded into `reads` (one chart call's view)."""
        return replace(self, reads=reads)

    def __getattr__(self, name: str) -> Collection:
        if name.startswith("__") or "collections" not in self.__dict__:
            raise AttributeError(name)  # pickle and copy probe dunders before the fields exist
        try:
            return self.__dict__["collections"][name]
        except KeyError:
            raise AttributeError(f"Data has no collection '{name}'{did_you_mean(name, self.collections)}") from None

    def __dir__(self) -> list[str]:
        return sorted(set(super().__dir__()) | set(self.collections))

    def __getitem__(self, name: str) -> Collection:
        return self.collections[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self.collections)

    def __len__(self) -> int:
        return len(self.collections)

    def __contains__(self, name: object) -> bool:
        return name in self.collections

    def keys(self):
        return self.collections.keys()

    def items(self):
        return self.collections.items()

    def values(self):
        return self.collections.values()

    def get(self, record_id: str) -> BaseModel:
        """The record with this id, from any collection (KeyError if none)."""
        return self.by_id[record_id]

    def source(self, source_id: str) -> Source:
        return self.by_id[source_id]  # type: ignore[return-value]

    def spec_of(self, record_id: str) -> CollectionSpec:
        """The declaration of the collection a record belongs to."""
        return self.schema.collections[self.collection_of[record_id]]

    def title_of(self, record_id: str) -> str:
        """A record's title as its collection's pattern makes it."""
        return format_title(self.spec_of(record_id), self.by_id[record_id], self.by_id.get)

    def records(self) -> Iterator[tuple[str, BaseModel]]:
        """(collection, record) for every record, collections in declaration order."""
        for name, records in self.collections.items():
            for record in records:
                yield name, record


def load_site_data(src_dir: Path, show: Any, cache: Optional[Cache] = None) -> Data:
    """The site's schema (`models.py`) and its data, checked: what every command reads first."""
    schema = load_schema(src_dir / "models.py", show(src_dir / "models.py"))
    return load_data(find_data_files(src_dir / "data"), src_dir / "data", show, schema, cache)


def find_data_files(data_dir: Path) -> list[Path]:
    """Data files in a stable order: top-level files, then collection folders."""
    if not data_dir.is_dir():
        return []
    files = [p for p in data_dir.iterdir() if p.is_file() and p.suffix in DATA_SUFFIXES]
    for folder in (p for p in data_dir.iterdir() if p.is_dir()):
        files += [p for p in folder.iterdir() if p.is_file() and p.suffix in DATA_SUFFIXES]
    return sorted(files)


def collection_name(path: Path, data_dir: Path) -> str:
    return path.parent.name if path.parent != data_dir else path.stem


def data_digest(files: list[Path], show: Any) -> str:
    """sha256 of every data file's shown path and bytes: identifies the data exactly."""
    digest = hashlib.sha256()
    for path in files:
        digest.update(show(path).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def load_data(files: list[Path], data_dir: Path, show: Any, schema: Schema, cache: Optional[Cache] = None) -> Data:
    """Parse, validate and cross-check every data file; raise all problems at once.

    Valid data is cached (pickled) by the digest of the files, of the site's
    schema and of the code that reads them, so unchanged data is not parsed and
    validated again.
    """
    digest = hashlib.sha256(f"{data_digest(files, show)}\0{schema.digest}".encode()).hexdigest()
    cache = cache or Cache(None)
    key = hashlib.sha256(f"{digest}\0{code_version()}".encode()).hexdigest()
    cached = cache.get_bytes("data", key)
    if cached is not None:
        return pickle.loads(cached)
    data = _load_and_check(files, data_dir, show, schema, digest)
    cache.put_bytes("data", key, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data


def _load_and_check(files: list[Path], data_dir: Path, show: Any, schema: Schema, digest: str) -> Data:
    problems: list[Problem] = []
    loaded: dict[str, list[tuple[BaseModel, Located]]] = {name: [] for name in schema.collections}
    for path in files:
        shown = show(path)
        name = collection_name(path, data_dir)
        if name not in schema.collections:
            problems.append(Problem(shown, 1, 1, unknown_collection_message(name, schema)))
            continue
        try:
            problems += _load_file(path, shown, schema.collections[name].model, loaded[name])
        except BuildFailed as failed:
            problems += failed.problems
    if problems:
        raise BuildFailed(problems)
    data = _assemble(schema, loaded, digest)
    problems = check_references(data)
    if problems:
        raise BuildFailed(problems)
    return data


def unknown_collection_message(name: str, schema: Schema) -> str:
    known = ", ".join(schema.collections)
    return (f"unknown data collection '{name}'{did_you_mean(name, schema.collections)}; known: {known} "
            f"(declare it in site_src/models.py with @collection(\"{name}\"))")


def _load_file(path: Path, shown: str, model: type[BaseModel], into: list) -> list[Problem]:
    text = read_text(path, shown).text
    if not text.strip():
        return [Problem(shown, 1, 1, "data file is empty (expected a list of records)")]
    doc = parse_csv(text, shown) if path.suffix == ".csv" else parse_yaml(text, shown)
    if not isinstance(doc.value, list):
        return [doc.problem((), "a data file must be a list of records (each starting with '- ')")]
    problems: list[Problem] = []
    for index, value in enumerate(doc.value):
        record, found = validate_record(model, value, doc, (index,))
        problems += found
        if record is not None:
            line, col = doc.locate((index,))
            fields = {key: doc.locate((index, key)) for key in value} if isinstance(value, dict) else {}
            into.append((record, Located(shown, line, col, fields)))
    return problems


def _assemble(schema: Schema, loaded: dict[str, list], digest: str) -> Data:
    by_id: dict[str, BaseModel] = {}
    collection_of: dict[str, str] = {}
    located: dict[str, Located] = {}
    duplicates: list[Problem] = []
    for name, items in loaded.items():
        for record, where in items:
            if record.id in by_id:
                first = located[record.id]
                duplicates.append(Problem(where.shown, where.line, where.col, f"duplicate id '{record.id}' (first defined at {first.shown}:{first.line})"))
                continue
            by_id[record.id], collection_of[record.id], located[record.id] = record, name, where
    if duplicates:
        raise BuildFailed(duplicates)
    collections = {name: Collection(schema.collections[name], tuple(r for r, _ in items), {r.id: w for r, w in items}) for name, items in loaded.items()}
    return Data(schema, collections, by_id=by_id, collection_of=collection_of, located=located, digest=digest)


def check_references(data: Data) -> list[Problem]:
    """Every cited source and every record a reference field names must exist."""
    problems: list[Problem] = []
    for name, record in data.records():
        where = data.located[record.id]
        for field_name, target in _references_of(data.schema.collections[name], record):
            problems += _check_one(data, where, record.id, field_name, target)
        problems += _unknown_fields_sourced(data.schema.collections[name], record, where)
    return problems


def _unknown_fields_sourced(spec: CollectionSpec, record: BaseModel, where: Located) -> list[Problem]:
    """Every field a record names a source for must be one of its collection's fields."""
    from .figures import field_names

    known = field_names(spec.model, spec.formats)
    line, col = where.at("field_sources" if "field_sources" in where.fields else "sources")
    return [Problem(where.shown, line, col, f"'{record.id}' names a source for unknown field '{name}'{did_you_mean(name, known)}")
            for name in getattr(record, "field_sources", None) or {} if name not in known]


def _references_of(spec: CollectionSpec, record: BaseModel) -> Iterator[tuple[str, tuple[str, str]]]:
    if spec.name != "sources":
        for source_id in getattr(record, "sources", ()):
            yield "sources", (source_id, "sources")
        for report in getattr(record, "reports", ()):
            yield "reports.source", (report.source, "sources")
    for field_name, target in spec.references.items():
        value = getattr(record, field_name)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if item is not None:
                yield field_name, (item, target)


def _check_one(data: Data, where: Located, owner: str, field_name: str, target: tuple[str, str]) -> list[Problem]:
    ref, collection = target
    if data.collection_of.get(ref) == collection:
        return []
    known = [r.id for r in data[collection]]
    what = data.schema.collections[collection].item.lower()
    message = f"'{owner}' field '{field_name}': unknown {what} '{ref}'{did_you_mean(ref, known)}"
    line, col = where.at(field_name.split(".")[0])
    return [Problem(where.shown, line, col, message)]


def unsourced(data: Data) -> list[Problem]:
    """Records of collections declared `sourced` that cite no source (a strict-mode check)."""
    return [
        Problem(data.located[r.id].shown, data.located[r.id].line, data.located[r.id].col, f"'{r.id}' cites no source")
        for name, r in data.records()
        if name != "sources" and data.schema.collections[name].sourced and not getattr(r, "sources", None)
    ]


def contradicted_by_date(data: Data, as_of: Any) -> list[Problem]:
    """What records say that the data date contradicts (each model's `check_as_of`), located at the
    field: a stale status is for the writer to fix, not for a reader to discover (a strict-mode check)."""
    problems = []
    for _, record in data.records():
        check = getattr(record, "check_as_of", None)
        for field_name, message in (check(as_of) if check else None) or ():  # a check that returns None found nothing
            where = data.located[record.id]
            line, col = where.at(field_name)
            problems.append(Problem(where.shown, line, col, f"'{record.id}' field '{field_name}': {message}", "warning"))
    return problems
