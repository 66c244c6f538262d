"""The search index: explainers by section, charts, contracts, organizations, events, glossary.

Built from the site model at build time and written as one content-hashed JSON
file that `search.js` scores in the browser: no server, no third party, works
offline. The same entries make the search page's full listing, which is what a
reader without JavaScript gets.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Optional

from pydantic import BaseModel

from .figures import format_date, format_money

if TYPE_CHECKING:
    from .site import Explainer, Page, Site

KIND_LABELS = {
    "contracts": "Contract", "organizations": "Organization", "flights": "Flight", "launch_counts": "Launch count",
    "events": "Event", "figures": "Figure", "glossary": "Glossary", "watch": "Watch item", "sources": "Source",
}
# Collections without a page per record are listed on a page made from one of these templates,
# each record at the anchor of its id.
LIST_TEMPLATES = {"events": "timeline.html", "glossary": "glossary.html", "flights": "launches.html",
                  "launch_counts": "launches.html", "watch": "watch.html", "sources": "sources.html"}
ANCHORED = {"events", "glossary", "flights", "watch", "sources"}
SNIPPET_CHARS = 160


@dataclass(frozen=True)
class Entry:
    """One thing a reader can find: what it is, where it is, the words it is found by."""

    kind: str
    title: str
    url: str
    summary: str
    text: str
    parent: str = ""
    children: tuple["Entry", ...] = field(default=(), compare=False)

    def as_json(self) -> dict:
        doc = {"k": self.kind, "t": self.title, "u": self.url, "s": self.summary, "x": self.text}
        return doc | ({"p": self.parent} if self.parent else {})


@dataclass(frozen=True)
class Group:
    """Entries of one kind, as the search page lists them."""

    label: str
    entries: tuple[Entry, ...]


def record_label(site: "Site", collection: str, record: BaseModel) -> str:
    """A record's name as a reader would say it."""
    for name in ("title", "name", "term", "label"):
        value = getattr(record, name, None)
        if isinstance(value, str) and value:
            return value
    if collection == "launch_counts":
        return f"{site.data.org(record.provider).label} launches in {record.year}"  # type: ignore[attr-defined]
    if collection == "sources":
        return f"{record.outlet}: {record.title}"  # type: ignore[attr-defined]
    return str(getattr(record, "id", ""))


def record_url(site: "Site", collection: str, record_id: str) -> str:
    """Where a record is shown: its own page, its anchor on a list page, or an explainer citing it."""
    pages = site.settings.collections.get(collection)
    if pages is not None:
        return site.url(pages.url.format(id=record_id))
    listing = page_with_template(site, LIST_TEMPLATES.get(collection, ""))
    if listing is not None:
        return site.url(listing.url) + (f"#{record_id}" if collection in ANCHORED else "")
    citing = next((e for e in site.explainers if record_id in e.cited_records), None)
    return site.url(f"{site.settings.explainers_url}{citing.slug}/") if citing else ""


def page_with_template(site: "Site", template: str) -> Optional["Page"]:
    """The first page rendered with `template`, if the site declares one."""
    return next((p for p in site.pages if p.template == template), None) if template else None


def search_entries(site: "Site", exclude: tuple[str, ...] = ()) -> list[Group]:
    """Everything searchable, grouped by kind in the order the search page lists them."""
    groups = [
        Group("Explainers", tuple(_explainer_entry(site, e) for e in site.explainers)),
        Group("Charts", tuple(_chart_entries(site))),
        Group("Contracts", tuple(_record_entries(site, "contracts", _contract_text))),
        Group("Organizations", tuple(_record_entries(site, "organizations", _organization_text))),
        Group("Timeline events", tuple(_record_entries(site, "events", _event_text))),
        Group("Glossary", tuple(_record_entries(site, "glossary", _term_text))),
        Group("Pages", tuple(_page_entries(site, exclude))),
    ]
    return [g for g in groups if g.entries]


def search_index(groups: list[Group]) -> bytes:
    """The JSON the browser scores: one document per entry, sections flattened."""
    docs = []
    for group in groups:
        for entry in group.entries:
            docs.append(entry.as_json())
            docs += [child.as_json() for child in entry.children]
    return (json.dumps({"version": 1, "docs": docs}, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def _explainer_entry(site: "Site", explainer: "Explainer", kind: str = "Explainer") -> Entry:
    url = site.url(f"{site.settings.explainers_url}{explainer.slug}/") if not explainer.is_page else site.url(f"{explainer.slug}/")
    intro, sections = split_sections(explainer.html)
    title = explainer.meta.title
    children = tuple(
        Entry("Section", heading, f"{url}#{anchor}", _snippet(text), text, title) for anchor, heading, text in sections
    )
    words = " ".join([explainer.meta.summary, " ".join(explainer.meta.topics), intro])
    return Entry(kind, title, url, explainer.meta.summary, words, "", children)


def _chart_entries(site: "Site") -> list[Entry]:
    entries = []
    for chart_id, spec in site.charts.items():
        home = site.chart_home.get(chart_id)
        url = site.url(f"{site.settings.explainers_url}{home}/#chart-{chart_id}") if home else site.url(f"embed/{chart_id}/")
        entries.append(Entry("Chart", spec.title, url, spec.description, spec.description))
    return entries


def _record_entries(site: "Site", collection: str, describe: Any) -> list[Entry]:
    entries = []
    for record in getattr(site.data, collection):
        url = record_url(site, collection, record.id)
        if not url:
            continue
        summary, text = describe(site, record)
        entries.append(Entry(KIND_LABELS[collection], record_label(site, collection, record), url, summary, text))
    return entries


def _contract_text(site: "Site", c: Any) -> tuple[str, str]:
    value = format_money(c.value) if c.value is not None else ""
    parts = [site.data.org(c.awardee).label, format_date(c.date), value]
    words = [c.program, c.topic, c.kind.replace("_", " "), site.data.org(c.awardee).name, site.data.org(c.buyer).name, c.summary]
    return " · ".join(p for p in parts if p), " ".join(words)


def _organization_text(site: "Site", o: Any) -> tuple[str, str]:
    return o.summary or o.kind.capitalize(), " ".join([o.name, o.short_name or "", o.kind, o.summary])


def _event_text(site: "Site", ev: Any) -> tuple[str, str]:
    names = [site.data.org(c).label for c in ev.companies]
    return f"{format_date(ev.date)}: {ev.summary}" if ev.summary else format_date(ev.date), " ".join([ev.summary, *names, *ev.topics])


def _term_text(site: "Site", t: Any) -> tuple[str, str]:
    return _snippet(t.definition), " ".join([t.abbr or "", t.definition])


def _page_entries(site: "Site", exclude: tuple[str, ...]) -> list[Entry]:
    entries = []
    for page in site.pages:
        if page.kind == "standalone" and page.template not in exclude:
            entries.append(Entry("Page", page.title, site.url(page.url), page.description, page.description))
        elif page.kind == "page" and page.explainer is not None:
            entries.append(_explainer_entry(site, page.explainer, "Page"))
    return entries


def _snippet(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def split_sections(html: str) -> tuple[str, list[tuple[str, str, str]]]:
    """(text before the first heading, [(anchor, heading, text)]) for h2/h3 sections of explainer HTML."""
    parser = _SectionParser()
    parser.feed(html)
    parser.close()
    intro = _clean(parser.intro)
    return intro, [(anchor, _clean(heading), _clean(text)) for anchor, heading, text in parser.sections if anchor]


class _SectionParser(HTMLParser):
    SECTION_TAGS = ("h2", "h3")
    BLOCKS = {"p", "li", "div", "td", "th", "tr", "br", "blockquote", "dt", "dd", "figcaption", "h4", "h5", "h6"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.intro: list[str] = []
        self.sections: list[tuple[str, list[str], list[str]]] = []
        self.in_heading = False
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in ("script", "style", "sup"):  # footnote markers are numbers, not words
            self.skip += 1
        elif tag in self.SECTION_TAGS:
            self.sections.append((dict(attrs).get("id") or "", [], []))
            self.in_heading = True
        elif tag in self.BLOCKS:
            self.handle_data(" ")  # words of two blocks never run together

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "sup"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.SECTION_TAGS:
            self.in_heading = False

    def handle_data(self, data: str) -> None:
        if self.skip:
            return
        if not self.sections:
            self.intro.append(data)
        else:
            self.sections[-1][1 if self.in_heading else 2].append(data)


def _clean(parts: list[str]) -> str:
    return re.sub(r"\s+", " ", "".join(parts)).strip()
