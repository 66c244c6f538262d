"""The search index: explainers by section, charts, the records of every searchable collection, pages.

Built from the site model at build time and written as one content-hashed JSON
file that `search.js` scores in the browser: no server, no third party, works
offline. The same entries make the search page's full listing, which is what a
reader without JavaScript gets.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING, Any, Optional

from pydantic import BaseModel

from .cache import Cache
from .inputs import code_version


if TYPE_CHECKING:
    from .site import Explainer, Page, Site

SNIPPET_CHARS = 160
SUMMARY_FIELDS = ("summary", "definition", "description")


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
    """A record's name as a reader would say it: its collection's title pattern."""
    return site.data.title_of(record.id)


def record_url(site: "Site", collection: str, record_id: str) -> str:
    """Where a record is shown: its own page, the page listing it, or an explainer citing it."""
    spec = site.data.schema.collections[collection]
    if spec.has_pages or (spec.url is not None and site.has_page(spec.shown_on)):
        return site.url(spec.record_path(record_id))
    citing = next((e for e in site.explainers if record_id in e.cited_records), None)
    return site.url(f"{site.settings.explainers_url}{citing.slug}/") if citing else ""


def page_with_template(site: "Site", template: str) -> Optional["Page"]:
    """The first page rendered with `template`, if the site declares one."""
    return next((p for p in site.pages if p.template == template), None) if template else None


def search_entries(site: "Site", exclude: tuple[str, ...] = (), cache: Optional[Cache] = None) -> list[Group]:
    """Everything searchable, grouped by kind in the order the search page lists them; each
    explainer's sections kept in `cache` by its text."""
    groups = [Group("Explainers", tuple(_explainer_entry(site, e, cache) for e in site.explainers)),
              Group("Charts", tuple(_chart_entries(site)))]
    groups += [Group(spec.label, tuple(_record_entries(site, spec))) for spec in site.data.schema.collections.values() if spec.search]
    groups.append(Group("Pages", tuple(_page_entries(site, exclude, cache))))
    return [g for g in groups if g.entries]


def kind_boosts(site: "Site") -> dict[str, int]:
    """Kinds that rank higher in the browser: explainers, then records with a page of their own."""
    return {"Explainer": 2} | {spec.item: 1 for spec in site.data.schema.collections.values() if spec.has_pages and spec.search}


def search_index(groups: list[Group], boosts: dict[str, int]) -> bytes:
    """The JSON the browser scores: one document per entry, sections flattened, and the kinds to boost."""
    docs = []
    for group in groups:
        for entry in group.entries:
            docs.append(entry.as_json())
            docs += [child.as_json() for child in entry.children]
    return (json.dumps({"version": 1, "boost": boosts, "docs": docs}, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode()


def _explainer_entry(site: "Site", explainer: "Explainer", cache: Optional[Cache], kind: str = "Explainer") -> Entry:
    url = site.url(f"{site.settings.explainers_url}{explainer.slug}/") if not explainer.is_page else site.url(f"{explainer.slug}/")
    intro, sections = _stored_sections(searchable_html(explainer), cache)
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
        url = site.url(f"{site.settings.explainers_url}{home}/#chart-{chart_id}") if home else site.chart_plan(chart_id).find("embed").url
        entries.append(Entry("Chart", spec.title, url, spec.description, spec.description))
    return entries


def _record_entries(site: "Site", spec: Any) -> list[Entry]:
    entries = []
    for record in site.data[spec.name]:
        url = record_url(site, spec.name, record.id)
        if url:
            summary, text = _described(site, spec, record)
            entries.append(Entry(spec.item, record_label(site, spec.name, record), url, summary, text))
    return entries


def _described(site: "Site", spec: Any, record: BaseModel) -> tuple[str, str]:
    """(summary, words) of a record: the model's own `search_summary`/`search_words`, or the declared fields."""
    summary = record.search_summary(site.data) if hasattr(record, "search_summary") else _default_summary(record)
    words = record.search_words(site.data) if hasattr(record, "search_words") else _default_words(site, spec, record)
    return summary, words


def _default_summary(record: BaseModel) -> str:
    text = next((getattr(record, f) for f in SUMMARY_FIELDS if isinstance(getattr(record, f, None), str) and getattr(record, f)), "")
    return _snippet(text)


def _default_words(site: "Site", spec: Any, record: BaseModel) -> str:
    """Words of the declared search fields (True: every text field); references add the named records' titles."""
    names = spec.search if isinstance(spec.search, tuple) else [f for f in type(record).model_fields if f not in ("id", "sources", "facts")]
    words: list[str] = []
    for name in names:
        value = getattr(record, name)
        for item in value if isinstance(value, (list, tuple)) else [value]:
            if name in spec.references and isinstance(item, str) and item in site.data.by_id:
                words.append(site.data.title_of(item))
            elif isinstance(item, str):
                words.append(item)
    return " ".join(words)


def _page_entries(site: "Site", exclude: tuple[str, ...], cache: Optional[Cache]) -> list[Entry]:
    entries = []
    for page in site.pages:
        if page.kind == "standalone" and page.template not in exclude:
            entries.append(Entry("Page", page.title, site.url(page.url), page.description, page.description))
        elif page.kind == "page" and page.explainer is not None:
            entries.append(_explainer_entry(site, page.explainer, cache, "Page"))
    return entries


def _snippet(text: str) -> str:
    if len(text) <= SNIPPET_CHARS:
        return text
    cut = text[:SNIPPET_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:.") + "…"


def searchable_html(explainer: "Explainer") -> str:
    """An explainer's HTML with each block's slot holding its words (a callout's text, a
    scrollytelling block's steps), so they are found in the section they sit in."""
    text = explainer.html
    for block in reversed(explainer.blocks):
        words = block.search_text()
        text = text.replace(block.slot, f"<p>{html.escape(words)}</p>" if words else "", 1)
    return text


def _stored_sections(text: str, cache: Optional[Cache]) -> tuple[str, list[tuple[str, str, str]]]:
    """split_sections, kept by the HTML it reads: parsing every explainer's HTML again was a
    third of a warm build's time at 1,000 explainers."""
    if cache is None:
        return split_sections(text)
    key = hashlib.sha256(f"{code_version()}\0{text}".encode()).hexdigest()
    stored = cache.get_bytes("search-sections", key)
    if stored is not None:
        intro, sections = json.loads(stored)
        return intro, [tuple(section) for section in sections]
    found = split_sections(text)
    cache.put_bytes("search-sections", key, json.dumps(found, ensure_ascii=False).encode())
    return found


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
