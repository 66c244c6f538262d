"""Found, shared and followed: sitemap, robots.txt, Atom feeds, and the wiring of search,
social cards, What changed and data downloads into the render.

`render_site` makes one `Discovery` per build before pages render (templates get it
as the variable `found`) and has it declare its files at the end. The search, What changed
and data pages are opt-in: a site has them when `site.yaml` declares a page
with the template `search.html`, `changes.html` or `data.html`.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Mapping, Optional
from urllib.parse import urljoin

from markupsafe import Markup

from .artifacts import Artifacts, Producer
from .cache import Cache
from .changes import ChangeItem, what_changed
from .downloads import Dataset, datasets, dataset_files, datasets_json_ld
from .search import Group, kind_boosts, page_with_template, search_entries, search_index
from .progress import NO_PROGRESS, Progress
from .social import Card, Cards

if TYPE_CHECKING:
    from .site import Explainer, Page, Site
    from .workers import Workers

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NOT_IN_SITEMAP = ("404",)
FEED_ENTRIES = 50  # newest first; readers poll feeds often, so a 10,000-explainer site's stays small
DATED_KINDS = ("explainer", "page", "record")  # pages whose lastmod comes from front matter or a data record
LINKED = re.compile(r'\b(href|src)="([^"]*)"')
H2 = re.compile(r'<h2([^>]*?)\sid="([^"]+)"([^>]*)>(.*?)</h2>', re.S)
ANCHOR = ('<a class="heading-anchor" href="#{id}"><span aria-hidden="true">#</span>'
          '<span class="visually-hidden">Link to this section</span></a>')


class Discovery:
    """What templates need to link to (search, cards, feeds) and the files behind it."""

    def __init__(self, site: "Site", cache: Cache):
        self.site, self.cache = site, cache
        self.cards = Cards(site)
        self.search_page = page_with_template(site, "search.html")
        self.changes_page = page_with_template(site, "changes.html")
        self.data_page = page_with_template(site, "data.html")
        self.changes: list[ChangeItem] = what_changed(site, site.changelog)
        self.groups: list[Group] = search_entries(site, exclude=("search.html",), cache=cache) if self.search_page else []
        self.index = search_index(self.groups, kind_boosts(site)) if self.search_page else b""
        # A fixed name (revalidated by hosts, as HTML is): a content-hashed one would change
        # every page's <head> whenever any explainer's text changes.
        self.index_path = f"{self.search_page.url}index.json" if self.search_page else ""
        self.datasets: list[Dataset] = datasets(site, self.data_page.url) if self.data_page else []

    # --- what templates read as `found` -------------------------------------------------

    def card(self, page: "Page") -> Card:
        return self.cards.of(page)

    @property
    def search_url(self) -> str:
        return self.site.url(self.search_page.url) if self.search_page else ""

    @property
    def index_url(self) -> str:
        return self.site.url(self.index_path) if self.index_path else ""

    @property
    def feeds(self) -> list[tuple[str, str]]:
        """(title, URL) of each Atom feed, for <link rel="alternate"> and visible links."""
        feeds = [(f"{self.site.settings.title}: explainers", self.site.url("feed.xml"))]
        if self.changes_page:
            feeds.append((f"{self.site.settings.title}: what changed", self.site.url("changes.xml")))
        return feeds

    def datasets_json_ld(self, page: "Page") -> Markup:
        return datasets_json_ld(self.site, self.datasets, page)

    def anchor_headings(self, html: str) -> Markup:
        """Each h2 with an id gets a '#' link to itself (shown on hover and focus)."""
        return Markup(H2.sub(lambda m: f'<h2{m.group(1)} id="{m.group(2)}"{m.group(3)}>{m.group(4)} {ANCHOR.format(id=m.group(2))}</h2>', str(html)))

    # --- the files ------------------------------------------------------------------------

    def declare_outputs(self, artifacts: Artifacts, chart_svgs: Mapping[str, bytes], feed_bodies: Mapping[str, str],
                        workers: Optional["Workers"] = None, progress: Progress = NO_PROGRESS) -> None:
        """Sitemap, robots.txt, feeds, search index, data downloads and social cards, each
        declared with the page that asks for it (the generator's own: site.yaml)."""
        site = self.site
        artifacts.declare("sitemap.xml", sitemap(site), Producer("the sitemap"))
        artifacts.declare("robots.txt", robots(site), Producer("the generated robots.txt"))
        artifacts.declare("feed.xml", explainers_feed(site, feed_bodies), Producer("the explainers feed"))
        if self.changes_page:
            artifacts.declare("changes.xml", changes_feed(site, self.changes, self.changes_page), Producer("the What changed feed", self.changes_page.shown))
        if self.search_page:
            artifacts.declare(self.index_path, self.index, Producer("the search index", self.search_page.shown))
        if self.data_page:
            artifacts.declare_all(dataset_files(site, self.datasets, self.data_page.url), Producer("the data downloads", self.data_page.shown))
        artifacts.declare_all(self.cards.render(chart_svgs, self.cache, workers, progress), Producer("the social cards"))


def sitemap(site: "Site") -> bytes:
    """Every HTML page but the 404, with <lastmod> where front matter or a record dates it."""
    root = ET.Element("urlset", {"xmlns": SITEMAP})
    for page in sorted(site.pages, key=lambda p: p.url):
        if page.kind in NOT_IN_SITEMAP:
            continue
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = site.absolute(page.url)
        if page.kind in DATED_KINDS and isinstance(page.lastmod, dt.date):
            ET.SubElement(url, "lastmod").text = page.lastmod.isoformat()
    return _xml(root)


def robots(site: "Site") -> bytes:
    """Allow every crawler everything; say where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.absolute('sitemap.xml')}\n".encode()


def feed_explainers(site: "Site") -> list["Explainer"]:
    """The explainers the feed carries: the newest FEED_ENTRIES."""
    return sorted(site.explainers, key=lambda e: (-(e.meta.updated or e.meta.date).toordinal(), e.meta.title))[:FEED_ENTRIES]


def explainers_feed(site: "Site", bodies: Mapping[str, str]) -> bytes:
    """/feed.xml: one Atom entry per explainer, the newest FEED_ENTRIES, each with its whole
    text (`bodies`: slug -> HTML with blocks as a feed shows them) so a feed reader needs no page."""
    entries = []
    for e in feed_explainers(site):
        url = site.absolute(f"{site.settings.explainers_url}{e.slug}/")
        content = feed_html(site, bodies[e.slug], url) if e.slug in bodies else None
        entries.append(_Entry(url, e.meta.title, e.meta.updated or e.meta.date, e.meta.date, e.meta.summary, url, e.meta.author or site.settings.author, content))
    return _atom(site, "feed.xml", f"{site.settings.title}: explainers", site.absolute(""), entries)


def feed_html(site: "Site", body: str, page_url: str) -> str:
    """Page HTML made to stand alone in a feed reader: every link and image absolute, read
    against the page's own address (site links, `../` links and in-page anchors alike)."""
    home = site.absolute("")

    def absolute(match: re.Match) -> str:
        target = html.unescape(match.group(2))
        if target.startswith(site.root) and not target.startswith("//"):
            target = home + target[len(site.root):]
        return f'{match.group(1)}="{html.escape(urljoin(page_url, target), quote=True)}"'
    return LINKED.sub(absolute, body)


def changes_feed(site: "Site", items: list[ChangeItem], page: "Page") -> bytes:
    """/changes.xml: one Atom entry per change (the newest FEED_ENTRIES), linking to its place on the What changed page."""
    base = site.absolute(page.url)
    entries = [_Entry(f"{base}#{i.anchor}", i.title, i.date, i.date, i.summary(), f"{base}#{i.anchor}", site.settings.author) for i in items]
    return _atom(site, "changes.xml", f"{site.settings.title}: what changed", base, entries)


class _Entry:
    def __init__(self, id: str, title: str, updated: dt.date, published: dt.date, summary: str, link: str, author: str, content: Optional[str] = None):
        self.id, self.title, self.updated, self.published, self.summary, self.link, self.author = id, title, updated, published, summary, link, author
        self.content = content


def _atom(site: "Site", path: str, title: str, alternate: str, entries: list[_Entry]) -> bytes:
    entries = sorted(entries, key=lambda e: (-e.updated.toordinal(), e.title))[:FEED_ENTRIES]
    feed = ET.Element("feed", {"xmlns": ATOM, "xml:lang": site.settings.language})
    _add(feed, "id", site.absolute(path))
    _add(feed, "title", title)
    if site.settings.tagline:
        _add(feed, "subtitle", site.settings.tagline)
    _add(feed, "updated", _stamp(entries[0].updated if entries else site.settings.data_as_of))
    _add(feed, "link", None, rel="self", type="application/atom+xml", href=site.absolute(path))
    _add(feed, "link", None, rel="alternate", type="text/html", href=alternate)
    _add(_add(feed, "author", None), "name", site.settings.publisher or site.settings.author)
    for entry in entries:
        node = _add(feed, "entry", None)
        _add(node, "id", entry.id)
        _add(node, "title", entry.title)
        _add(node, "updated", _stamp(entry.updated))
        _add(node, "published", _stamp(entry.published))
        _add(_add(node, "author", None), "name", entry.author)
        _add(node, "link", None, rel="alternate", type="text/html", href=entry.link)
        _add(node, "summary", entry.summary)
        if entry.content is not None:
            _add(node, "content", entry.content, type="html")
    return _xml(feed)


def _add(parent: ET.Element, tag: str, text: Optional[str], **attrs: str) -> ET.Element:
    node = ET.SubElement(parent, tag, attrs)
    node.text = text
    return node


def _stamp(day: dt.date) -> str:
    """RFC 3339 at midnight UTC: the data says which day, not which hour."""
    return f"{day.isoformat()}T00:00:00Z"


def _xml(root: ET.Element) -> bytes:
    # The default namespace is a plain `xmlns` attribute on the root: ET.register_namespace
    # would change a registry shared by the whole process.
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"
