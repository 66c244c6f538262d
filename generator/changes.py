"""What changed: corrections and updates, announced with what a figure was and what it is now.

Three inputs make the list, newest first: `site_src/changelog.yaml` (written by
the newsroom: a correction names the figure record, what it was and what it is
now), data records with an `updated` date, and explainers with an `updated`
date. A record the changelog already explains on that date is not listed twice.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Optional, Union

from pydantic import BaseModel, ConfigDict, Field

from .errors import BuildFailed, Problem, did_you_mean
from .figures import UnknownReference, field_unit, format_number, resolve
from .models import IdList, Slug, Source
from .search import record_label, record_url
from .sources import Document, parse_yaml, read_text
from .validation import validate_record

if TYPE_CHECKING:
    from .data import Data
    from .site import Site

CHANGELOG = "changelog.yaml"


class FigureChange(BaseModel):
    """One figure that changed: which record (and field), what it was, what it is now."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    record: Slug = Field(description="Id of the data record whose figure changed.")
    field: Optional[str] = Field(None, description="The record's field; its main figure when left out.")
    was: Union[float, str] = Field(description="What we published before.")
    now: Union[float, str] = Field(description="What we publish now.")


class ChangelogEntry(BaseModel):
    """One entry of site_src/changelog.yaml."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    date: dt.date = Field(description="When the change was published.")
    title: str = Field(min_length=1, description="A headline for the change.")
    changed: list[FigureChange] = Field(default_factory=list, description="Figures corrected or updated.")
    note: str = Field("", description="What happened and why.")
    sources: IdList = Field(default_factory=list, description="Ids of the sources the new figures come from.")


@dataclass(frozen=True)
class FigureLine:
    label: str
    url: str
    was: str
    now: str


@dataclass(frozen=True)
class ChangeItem:
    """One entry of the What changed page and feed."""

    anchor: str
    date: dt.date
    title: str
    kind: str  # "changelog", "data" or "explainer"
    figures: tuple[FigureLine, ...] = ()
    note: str = ""
    sources: tuple[Source, ...] = ()
    link: str = ""

    def summary(self) -> str:
        """Plain text for the feed: each figure's was/now, then the note."""
        parts = [f"{f.label}: {'was ' + f.was + ', ' if f.was else ''}now {f.now}." for f in self.figures]
        return " ".join(parts + ([self.note] if self.note else [])) or self.title


def load_changelog(src_dir: Path, shown: str, data: "Data") -> tuple[ChangelogEntry, ...]:
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
        problems += found or _check_entry(entry, data, doc, index)
        entries.append(entry)
    if problems:
        raise BuildFailed(problems)
    return tuple(entries)


def _check_entry(entry: ChangelogEntry, data: "Data", doc: Document, index: int) -> list[Problem]:
    problems = []
    for number, change in enumerate(entry.changed):
        try:
            resolve(data, change.record, change.field)
        except UnknownReference as err:
            where = "field" if change.field and change.record in data.by_id else "record"
            problems.append(doc.problem((index, "changed", number, where), str(err)))
    sources = [s.id for s in data.sources]
    for number, source_id in enumerate(entry.sources):
        if source_id not in sources:
            problems.append(doc.problem((index, "sources", number), f"unknown source '{source_id}'{did_you_mean(source_id, sources)}"))
    return problems


def what_changed(site: "Site", changelog: tuple[ChangelogEntry, ...]) -> list[ChangeItem]:
    """Every change, newest first, each with a stable anchor."""
    items = [_from_changelog(site, entry) for entry in changelog]
    explained = {(entry.date, change.record) for entry in changelog for change in entry.changed}
    items += [item for item in _from_records(site) if (item.date, item.anchor) not in explained]
    items += _from_explainers(site)
    order = {"changelog": 0, "data": 1, "explainer": 2}
    items.sort(key=lambda i: (-i.date.toordinal(), order[i.kind], i.title))
    return _with_unique_anchors(items)


def _from_changelog(site: "Site", entry: ChangelogEntry) -> ChangeItem:
    lines = []
    for change in entry.changed:
        collection = site.data.collection_of[change.record]
        record = site.data.get(change.record)
        name = change.field or site.data.schema.collections[collection].figure or ""
        label = record_label(site, collection, record) + (f" ({change.field.replace('_', ' ')})" if change.field else "")
        lines.append(FigureLine(label, record_url(site, collection, change.record), _shown(record, name, change.was), _shown(record, name, change.now)))
    sources = tuple(site.data.source(s) for s in entry.sources)
    return ChangeItem(_slug(entry.date, entry.title), entry.date, entry.title, "changelog", tuple(lines), entry.note, sources)


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


def _shown(record: BaseModel, name: str, value: Union[float, str]) -> str:
    """A was/now value in house style: $5.9 billion, 28, 60%."""
    if isinstance(value, str):
        return value
    unit = getattr(record, "unit", None) or (field_unit(type(record), name) if name in type(record).model_fields else "count")
    return format_number(value, unit)


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
        out.append(ChangeItem(anchor, item.date, item.title, item.kind, item.figures, item.note, item.sources, item.link))
    return out
