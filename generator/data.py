"""Loading `site_src/data/` into typed, cross-checked `Data`.

A collection is `data/<name>.yaml`, `data/<name>.csv`, or any number of such
files in `data/<name>/`. Ids are unique across every collection, so a figure
reference needs only an id.
"""

from __future__ import annotations

import hashlib
import pickle
from functools import lru_cache
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Optional

from pydantic import BaseModel

from .cache import Cache
from .errors import BuildFailed, Problem, did_you_mean
from .models import COLLECTIONS, REFERENCES, Contract, Event, Figure, Flight, LaunchCount, Organization, Source, Term, WatchItem
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


@dataclass(frozen=True)
class Data:
    """Every record of the site, typed. Chart functions and templates read this."""

    sources: tuple[Source, ...] = ()
    organizations: tuple[Organization, ...] = ()
    contracts: tuple[Contract, ...] = ()
    flights: tuple[Flight, ...] = ()
    launch_counts: tuple[LaunchCount, ...] = ()
    events: tuple[Event, ...] = ()
    figures: tuple[Figure, ...] = ()
    glossary: tuple[Term, ...] = ()
    watch: tuple[WatchItem, ...] = ()
    by_id: dict[str, BaseModel] = field(default_factory=dict, compare=False)
    collection_of: dict[str, str] = field(default_factory=dict, compare=False)
    located: dict[str, Located] = field(default_factory=dict, compare=False)
    digest: str = ""

    def get(self, record_id: str) -> BaseModel:
        """The record with this id, from any collection (KeyError if none)."""
        return self.by_id[record_id]

    def source(self, source_id: str) -> Source:
        return self.by_id[source_id]  # type: ignore[return-value]

    def org(self, org_id: str) -> Organization:
        return self.by_id[org_id]  # type: ignore[return-value]

    def records(self) -> Iterator[tuple[str, BaseModel]]:
        """(collection, record) for every record, in file order."""
        for name in COLLECTIONS:
            for record in getattr(self, name):
                yield name, record

    def company_colors(self) -> dict[str, str]:
        """Organization label -> colour, for charts that colour by company."""
        return {org.label: org.color for org in self.organizations if org.color}


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


def load_data(files: list[Path], data_dir: Path, show: Any, cache: Optional[Cache] = None) -> Data:
    """Parse, validate and cross-check every data file; raise all problems at once.

    Valid data is cached (pickled) by the digest of the files and of the code
    that reads them, so unchanged data is not parsed and validated again.
    """
    digest = data_digest(files, show)
    cache = cache or Cache(None)
    key = hashlib.sha256(f"{digest}\0{_code_digest()}".encode()).hexdigest()
    cached = cache.get_bytes("data", key)
    if cached is not None:
        return pickle.loads(cached)
    data = _load_and_check(files, data_dir, show, digest)
    cache.put_bytes("data", key, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return data


def _load_and_check(files: list[Path], data_dir: Path, show: Any, digest: str) -> Data:
    problems: list[Problem] = []
    loaded: dict[str, list[tuple[BaseModel, Located]]] = {name: [] for name in COLLECTIONS}
    for path in files:
        shown = show(path)
        name = collection_name(path, data_dir)
        if name not in COLLECTIONS:
            problems.append(Problem(shown, 1, 1, f"unknown data collection '{name}'{did_you_mean(name, COLLECTIONS)}; known: {', '.join(COLLECTIONS)}"))
            continue
        try:
            problems += _load_file(path, shown, name, loaded[name])
        except BuildFailed as failed:
            problems += failed.problems
    if problems:
        raise BuildFailed(problems)
    data = _assemble(loaded, digest)
    problems = check_references(data)
    if problems:
        raise BuildFailed(problems)
    return data


@lru_cache(maxsize=1)
def _code_digest() -> str:
    """The modules that turn data files into Data: an edit to them is a new cache key."""
    here = Path(__file__).parent
    names = ("data.py", "models.py", "sources.py", "validation.py")
    return hashlib.sha256(b"".join((here / name).read_bytes() for name in names)).hexdigest()[:16]


def _load_file(path: Path, shown: str, name: str, into: list) -> list[Problem]:
    text = read_text(path, shown).text
    if not text.strip():
        return [Problem(shown, 1, 1, "data file is empty (expected a list of records)")]
    doc = parse_csv(text, shown) if path.suffix == ".csv" else parse_yaml(text, shown)
    if not isinstance(doc.value, list):
        return [doc.problem((), "a data file must be a list of records (each starting with '- ')")]
    problems: list[Problem] = []
    for index, value in enumerate(doc.value):
        record, found = validate_record(COLLECTIONS[name], value, doc, (index,))
        problems += found
        if record is not None:
            line, col = doc.locate((index,))
            fields = {key: doc.locate((index, key)) for key in value} if isinstance(value, dict) else {}
            into.append((record, Located(shown, line, col, fields)))
    return problems


def _assemble(loaded: dict[str, list], digest: str) -> Data:
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
    tuples = {name: tuple(record for record, _ in items) for name, items in loaded.items()}
    return Data(**tuples, by_id=by_id, collection_of=collection_of, located=located, digest=digest)


def check_references(data: Data) -> list[Problem]:
    """Every cited source and every referenced organization must exist."""
    problems: list[Problem] = []
    for name, record in data.records():
        where = data.located[record.id]
        for field_name, target in _references_of(name, record):
            problems += _check_one(data, where, record.id, field_name, target)
    return problems


def _references_of(name: str, record: BaseModel) -> Iterator[tuple[str, tuple[str, str]]]:
    if name != "sources":
        for source_id in record.sources:  # type: ignore[attr-defined]
            yield "sources", (source_id, "sources")
        for report in getattr(record, "reports", ()):
            yield "reports.source", (report.source, "sources")
    for (collection, field_name), target in REFERENCES.items():
        if collection != name:
            continue
        value = getattr(record, field_name)
        for item in value if isinstance(value, list) else [value]:
            yield field_name, (item, target)


def _check_one(data: Data, where: Located, owner: str, field_name: str, target: tuple[str, str]) -> list[Problem]:
    ref, collection = target
    if data.collection_of.get(ref) == collection:
        return []
    known = [r.id for r in getattr(data, collection)]
    what = "source" if collection == "sources" else collection.rstrip("s")
    message = f"'{owner}' field '{field_name}': unknown {what} '{ref}'{did_you_mean(ref, known)}"
    line, col = where.at(field_name.split(".")[0])
    return [Problem(where.shown, line, col, message)]


def unsourced(data: Data) -> list[Problem]:
    """Records that state something but cite no source (a strict-mode check)."""
    return [
        Problem(data.located[r.id].shown, data.located[r.id].line, data.located[r.id].col, f"'{r.id}' cites no source")
        for name, r in data.records()
        if name not in ("sources", "glossary") and not r.sources  # type: ignore[attr-defined]
    ]

