"""What changed: corrections and updates, announced with what was published and what is now.

Three inputs make the list, newest first: `site_src/changelog.yaml` (written by
the newsroom: a correction names the record field or the explainer it corrects,
what it was and what it is now), data records with an `updated` date, and
explainers with an `updated` date. A record the changelog already explains on
that date is not listed twice. A corrected number is a figure change; a name,
place, date or text is a correction of that field, and never shown as a figure.
Each correction is also shown on the page of the record or explainer it corrects.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from .errors import BuildFailed, Problem, did_you_mean
from .figures import UnknownReference, field_names, field_unit, format_date, format_number, resolve
from .models import IdList, Slug, Source
from .search import record_label, record_url
from .sources import Document, parse_yaml, read_text
from .validation import validate_record

if TYPE_CHECKING:
    from .data import Data
    from .site import Site

CHANGELOG = "changelog.yaml"
BOOKKEEPING = ("id", "sources", "field_sources", "facts", "updated")


Value = Union[float, dt.date, str]


class FieldChange(BaseModel):
    """One thing corrected: a record's field (any field: a figure, a name, a place, a date) or an
    explainer's text, with what it was and what it is now."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    record: Optional[Slug] = Field(None, description="Id of the data record corrected.")
    explainer: Optional[str] = Field(None, description="Or: the explainer (or page) corrected, by its file name without .md.")
    field: Optional[str] = Field(None, description="The record's field; its main figure when left out.")
    was: Value = Field(description="What we published before.")
    now: Value = Field(description="What we publish now.")


FigureChange = FieldChange  # the name before corrections could name any field


class ChangelogEntry(BaseModel):
    """One entry of site_src/changelog.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    date: dt.date = Field(description="When the change was published.")
    title: str = Field(min_length=1, description="A headline for the change.")
    changed: list[FieldChange] = Field(default_factory=list, description="Fields of records, or explainers, corrected or updated.")
    note: str = Field("", description="What happened and why.")
    sources: IdList = Field(default_factory=list, description="Ids of the sources the new figures come from.")


@dataclass(frozen=True)
class FigureLine:
    """One line of a change: a figure (a number, shown in the figures table) or another field."""

    label: str
    url: str
    was: str
    now: str
    is_figure: bool = True
    what: str = ""  # the field, as its own record's page names it ("" for an explainer's text)

    def sentence(self) -> str:
        """The line as its own page says it: 'Terminal: was Harbor Street, now Harbour Street.'"""
        if not self.what:
            return f"It said “{self.was}”; it now says “{self.now}”."
        return f"{self.what[:1].upper()}{self.what[1:]}: was {self.was}, now {self.now}."


@dataclass(frozen=True)
class Correction:
    """A changelog entry as the corrected record's or explainer's page shows it."""

    date: dt.date
    lines: tuple[FigureLine, ...]
    note: str


@dataclass(frozen=True)
class ChangeItem:
    """One entry of the What changed page and feed."""

    anchor: str
    date: dt.date
    title: str
    kind: str  # "changelog", "data" or "explainer"
    lines: tuple[FigureLine, ...] = ()
    note: str = ""
    sources: tuple[Source, ...] = ()
    link: str = ""

    @property
    def figures(self) -> tuple[FigureLine, ...]:
        """The numbers that changed (the page's figures table)."""
        return tuple(line for line in self.lines if line.is_figure)

    @property
    def corrected(self) -> tuple[FigureLine, ...]:
        """Names, places, dates and text corrected: listed as such, never as figures."""
        return tuple(line for line in self.lines if not line.is_figure)

    def summary(self) -> str:
        """Plain text for the feed: each figure's was/now, each other correction's, then the note."""
        parts = [f"{f.label}: {'was ' + f.was + ', ' if f.was else ''}now {f.now}." for f in self.figures]
        parts += [f"Corrected {c.label}: was “{c.was}”, now “{c.now}”." for c in self.corrected]
        return " ".join(parts + ([self.note] if self.note else [])) or self.title


def load_changelog(src_dir: Path, shown: str, data: "Data", explainers: Optional[list[str]] = None) -> tuple[ChangelogEntry, ...]:
    """Parse and check site_src/changelog.yaml (absent: no entries); every problem located."""
    path = src_dir / CHANGELOG
    if not path.is_file():
        return ()
    text = read_text(path, shown).text
    doc = parse_yaml(text, shown)
    if doc.value is None:
        return ()
    if not isinstance(doc.value, list):
        raise BuildFailed([doc.problem((), "the changelog must be a list of entries (each starting with '- ')")])
    entries, problems = [], []
    for index, value in enumerate(doc.value):
        entry, found = validate_record(ChangelogEntry, value, doc, (index,))
        problems += found or _check_entry(entry, data, doc, index, explainers)
        entries.append(entry)
    if problems:
        raise BuildFailed(problems)
    return tuple(entries)


def _check_entry(entry: ChangelogEntry, data: "Data", doc: Document, index: int, explainers: Optional[list[str]]) -> list[Problem]:
    problems = []
    for number, change in enumerate(entry.changed):
        at = (index, "changed", number)
        if (change.record is None) == (change.explainer is None):
            problems.append(doc.problem(at, "name what was corrected: either 'record' (a data record id) or 'explainer' (a file name without .md)"))
            continue
        if change.explainer is not None and change.field is not None:
            problems.append(doc.problem((*at, "field"), "'field' belongs with 'record': an explainer correction says what the text was and is"))
            continue
        if change.explainer is not None:
            if explainers is not None and change.explainer not in explainers:
                message = f"unknown explainer '{change.explainer}'{did_you_mean(change.explainer, explainers)}"
                problems.append(doc.problem((*at, "explainer"), message))
            continue
        message = _field_problem(data, change)
        if message:
            problems.append(doc.problem((*at, "field" if change.field and change.record in data.by_id else "record"), message))
    sources = [s.id for s in data.sources]
    for number, source_id in enumerate(entry.sources):
        if source_id not in sources:
            problems.append(doc.problem((index, "sources", number), f"unknown source '{source_id}'{did_you_mean(source_id, sources)}"))
    return problems


def _field_problem(data: "Data", change: FieldChange) -> Optional[str]:
    """Why a change names no field of a record (any field may be corrected); None when it does."""
    record = data.by_id.get(change.record)
    if record is None:
        return f"unknown record '{change.record}'{did_you_mean(change.record, data.by_id)}"
    spec = data.spec_of(change.record)
    known = field_names(spec.model, spec.formats)
    listed = ", ".join([n for n in known if n not in BOOKKEEPING] + ["sources"])  # what a reader would correct
    if change.field is None and spec.figure is None:
        return f"'{change.record}' ({spec.name}) has no main figure: say which field was corrected (field: ...); it has: {listed}"
    if change.field is not None and change.field not in known:
        return f"'{change.record}' ({spec.name}) has no field '{change.field}'{did_you_mean(change.field, known)}; it has: {listed}"
    return None


def what_changed(site: "Site", changelog: tuple[ChangelogEntry, ...]) -> list[ChangeItem]:
    """Every change, newest first, each with a stable anchor."""
    items = [_from_changelog(site, entry) for entry in changelog]
    explained = {(entry.date, change.record) for entry in changelog for change in entry.changed if change.record}
    items += [item for item in _from_records(site) if (item.date, item.anchor) not in explained]
    items += _from_explainers(site)
    order = {"changelog": 0, "data": 1, "explainer": 2}
    items.sort(key=lambda i: (-i.date.toordinal(), order[i.kind], i.title))
    return _with_unique_anchors(items)


def _from_changelog(site: "Site", entry: ChangelogEntry) -> ChangeItem:
    sources = tuple(site.data.source(s) for s in entry.sources)
    lines = tuple(change_line(site, change) for change in entry.changed)
    return ChangeItem(_slug(entry.date, entry.title), entry.date, entry.title, "changelog", lines, entry.note, sources)


def change_line(site: "Site", change: FieldChange) -> FigureLine:
    """One corrected field or explainer: its label, link, and was/now in house style."""
    if change.explainer is not None:
        return _explainer_line(site, change)
    collection = site.data.collection_of[change.record]
    record = site.data.get(change.record)
    spec = site.data.schema.collections[collection]
    name = change.field or spec.figure or ""
    what = spec.labels.get(name, name.replace("_", " "))
    label = record_label(site, collection, record) + (f" ({what})" if change.field else "")
    url = record_url(site, collection, change.record)
    current = getattr(record, name, None)
    if isinstance(current, dt.date):
        return FigureLine(label, url, _as_date(change.was), _as_date(change.now), False, what)
    if _is_number(current) or (current is None and _is_number(change.now)):
        return FigureLine(label, url, _shown(record, name, change.was, spec.formats), _shown(record, name, change.now, spec.formats), True, what)
    return FigureLine(label, url, _text(change.was), _text(change.now), False, what)


def _explainer_line(site: "Site", change: FieldChange) -> FigureLine:
    """An explainer's (or a page's) text corrected, linked to it."""
    page = next((p for p in site.pages if p.explainer is not None and p.explainer.slug == change.explainer), None)
    if page is None:  # a draft left out of this build
        return FigureLine(change.explainer or "", "", _text(change.was), _text(change.now), False)
    return FigureLine(page.explainer.meta.title, site.url(page.url), _text(change.was), _text(change.now), False)


def corrections(site: "Site", changelog: tuple[ChangelogEntry, ...], record: Optional[str] = None, explainer: Optional[str] = None) -> list[Correction]:
    """The changelog's corrections of one record or one explainer, oldest first, for its own page."""
    found = []
    for entry in changelog:
        changes = [c for c in entry.changed if (record is not None and c.record == record) or (explainer is not None and c.explainer == explainer)]
        if changes:
            found.append(Correction(entry.date, tuple(change_line(site, c) for c in changes), entry.note))
    return sorted(found, key=lambda c: c.date)


def _from_records(site: "Site") -> list[ChangeItem]:
    """Records with an `updated` date; the anchor is the record id until made unique."""
    items = []
    for collection, record in site.data.records():
        updated = getattr(record, "updated", None)
        if updated is None:
            continue
        label = record_label(site, collection, record)
        url = record_url(site, collection, record.id)
        lines = ()
        try:
            lines = (FigureLine(label, url, "", resolve(site.data, record.id, None).text),)
        except UnknownReference:
            pass  # a record without a figure: the update is announced without one
        kind = site.data.schema.collections[collection].item
        sources = tuple(site.data.source(s) for s in getattr(record, "sources", ()))
        items.append(ChangeItem(record.id, updated, f"{kind} updated: {label}", "data", lines, "", sources, url))
    return items


def _from_explainers(site: "Site") -> list[ChangeItem]:
    items = []
    for explainer in site.explainers:
        meta = explainer.meta
        if meta.updated is not None and meta.updated != meta.date:
            url = site.url(f"{site.settings.explainers_url}{explainer.slug}/")
            items.append(ChangeItem(explainer.slug, meta.updated, f"Explainer updated: {meta.title}", "explainer", note=meta.summary, link=url))
    return items


def _shown(record: BaseModel, name: str, value: Value, formats: Optional[dict] = None) -> str:
    """A was/now figure in house style: $5.9 billion, 28, 60%."""
    if not _is_number(value):
        return _text(value)
    unit = (formats or {}).get(name) or getattr(record, "unit", None) or field_unit(type(record), name)
    return format_number(value, unit)


def _text(value: Value) -> str:
    """A was/now value that is no figure: a date in house style, anything else as written."""
    if isinstance(value, dt.date):
        return format_date(value)
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def _as_date(value: Value) -> str:
    """A corrected date in house style (YAML dates arrive as text: 2011-10-03)."""
    try:
        return format_date(dt.date.fromisoformat(value)) if isinstance(value, str) else _text(value)
    except ValueError:
        return value  # not a date after all: shown as written


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _slug(date: dt.date, title: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60].rstrip("-")
    return f"{date.isoformat()}-{words or 'change'}"


def _with_unique_anchors(items: list[ChangeItem]) -> list[ChangeItem]:
    """Anchors are '<date>-<words>'; a repeat gets '-2', '-3'."""
    seen: dict[str, int] = {}
    out = []
    for item in items:
        base = item.anchor if item.kind == "changelog" else _slug(item.date, f"{item.kind} {item.anchor}")
        seen[base] = seen.get(base, 0) + 1
        anchor = base if seen[base] == 1 else f"{base}-{seen[base]}"
        out.append(ChangeItem(anchor, item.date, item.title, item.kind, item.lines, item.note, item.sources, item.link))
    return out
