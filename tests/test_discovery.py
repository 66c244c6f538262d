"""Found by search engines: sitemap, robots.txt, feeds, canonical and meta tags, JSON-LD, data downloads."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from support import copy_site
from generator.build import build
from generator.cache import Cache
from generator.config import load_config

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
BASE = "https://example.org/"
FOUND_PAGES = """  - url: changes/
    template: changes.html
    title: What changed
    description: Every correction and update.
  - url: data/
    template: data.html
    title: Data downloads
    description: Every dataset as CSV and JSON.
  - url: search/
    template: search.html
    title: Search
    description: Search the site.
    nav: false
"""


def add_found_pages(root: Path) -> Path:
    """Declare the search, What changed and data pages in a test site's site.yaml."""
    site_yaml = root / "site_src/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("nav:\n", FOUND_PAGES + "nav:\n", 1))
    return root


def build_site(root: Path, cache: Cache) -> Path:
    out = root / "output"
    build(load_config(root, out), cache)
    return out


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Cache:
    """One card cache for the module: each card is drawn once."""
    return Cache(tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="module")
def out(tmp_path_factory, cache) -> Path:
    """The minimal site with the search, What changed and data pages, built once."""
    root = add_found_pages(copy_site("minimal", tmp_path_factory.mktemp("site")))
    return build_site(root, cache)


def html_pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


def page_url(path: str) -> str:
    return BASE + (path[: -len("index.html")] if path.endswith("index.html") else path)


class Head(HTMLParser):
    """The <meta>, <link> and JSON-LD of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[dict] = []
        self.json_ld: list = []
        self._in_ld = False
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("property" in attrs or "name" in attrs):
            self.meta[attrs.get("property") or attrs["name"]] = attrs.get("content", "")
        elif tag == "link":
            self.links.append(attrs)
        elif tag == "script" and attrs.get("type") == "application/ld+json":
            self._in_ld = True

    def handle_data(self, data):
        if self._in_ld:
            self.json_ld.append(json.loads(data))
            self._in_ld = False


def test_sitemap_lists_every_page_and_nothing_else(out):
    root = ET.fromstring((out / "sitemap.xml").read_bytes())
    assert root.tag == f"{SITEMAP}urlset"
    locs = [u.findtext(f"{SITEMAP}loc") for u in root]
    expected = [page_url(p) for p in html_pages(out) if p != "404.html" and not p.startswith("embed/")]
    assert sorted(locs) == sorted(expected)
    assert len(locs) == len(set(locs))
    for url in root:
        assert {child.tag for child in url} <= {f"{SITEMAP}loc", f"{SITEMAP}lastmod"}


def test_sitemap_lastmod_comes_from_front_matter_and_records_only(out):
    lastmod = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in ET.fromstring((out / "sitemap.xml").read_bytes())}
    assert lastmod[BASE + "explainers/lane2/"] == "2025-05-01"  # front matter date (no `updated`)
    assert lastmod[BASE + "contracts/lane2-spacex/"] == "2025-04-04"  # the record's date
    assert lastmod[BASE + "organizations/spacex/"] is None  # an organization has no date
    assert lastmod[BASE] is None and lastmod[BASE + "timeline/"] is None  # no build time, no data_as_of


def test_robots_allows_all_and_names_the_sitemap(out):
    assert (out / "robots.txt").read_text() == f"User-agent: *\nAllow: /\n\nSitemap: {BASE}sitemap.xml\n"


def test_every_page_has_a_canonical_url_description_and_feed_links(out):
    for path in html_pages(out):
        if path.startswith("embed/"):
            continue
        head = Head((out / path).read_text())
        canonical = [link["href"] for link in head.links if link.get("rel") == "canonical"]
        assert canonical == [page_url(path)], path
        assert head.meta["description"].strip(), path
        feeds = [link["href"] for link in head.links if link.get("rel") == "alternate" and link.get("type") == "application/atom+xml"]
        assert feeds == ["/feed.xml", "/changes.xml"], path


def test_explainers_feed_is_valid_atom(out):
    feed = ET.fromstring((out / "feed.xml").read_bytes())
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id") == BASE + "feed.xml"
    assert feed.findtext(f"{ATOM}title") and feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.findtext(f"{ATOM}updated") == "2025-05-01T00:00:00Z"
    assert {link.get("rel") for link in feed.findall(f"{ATOM}link")} == {"self", "alternate"}
    [entry] = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}id") == BASE + "explainers/lane2/"
    assert entry.findtext(f"{ATOM}title") == "The Lane 2 awards"
    assert entry.findtext(f"{ATOM}updated") == entry.findtext(f"{ATOM}published") == "2025-05-01T00:00:00Z"
    assert entry.findtext(f"{ATOM}summary") == "What the Space Force's heavy-launch awards are worth."
    assert entry.find(f"{ATOM}link").get("href") == BASE + "explainers/lane2/"


def test_feeds_hold_the_newest_explainers_only(make_site, tmp_path):
    from generator.build import build
    from generator.cache import Cache
    from generator.config import load_config
    from generator.discovery import FEED_ENTRIES

    pages = {f"site_src/explainers/e{i:03}.md": f"---\ntitle: Explainer {i}\nsummary: Number {i}.\ndate: 2024-{1 + i // 28:02}-{1 + i % 28:02}\n---\n\nText.\n"
             for i in range(FEED_ENTRIES + 10)}
    root = make_site(pages)
    build(load_config(root, tmp_path / "out"), Cache(None))
    entries = ET.fromstring((tmp_path / "out/feed.xml").read_bytes()).findall(f"{ATOM}entry")
    assert len(entries) == FEED_ENTRIES
    updated = [e.findtext(f"{ATOM}updated") for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert updated[:2] == ["2025-05-01T00:00:00Z", "2024-03-04T00:00:00Z"]  # the site's lane2, then e59, the newest added


def test_every_explainer_has_a_valid_news_article(out):
    explainers = [p for p in html_pages(out) if p.startswith("explainers/")]
    assert explainers
    for path in explainers:
        blocks = Head((out / path).read_text()).json_ld
        items = [item for block in blocks for item in (block if isinstance(block, list) else [block])]
        [article] = [item for item in items if item["@type"] == "NewsArticle"]
        assert article["@context"] == "https://schema.org"
        assert 0 < len(article["headline"]) <= 110
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", article["datePublished"])
        assert article["dateModified"] >= article["datePublished"]
        for who in ("author", "publisher"):
            assert article[who]["@type"] in ("Organization", "Person") and article[who]["name"]
        assert article["mainEntityOfPage"] == page_url(path)
        [image] = article["image"]
        assert image.startswith(BASE) and (out / image.removeprefix(BASE)).is_file()
        assert any(item["@type"] == "BreadcrumbList" for item in items)


def test_h2_headings_link_to_themselves(out):
    html = (out / "explainers/lane2/index.html").read_text()
    assert ('<h2 id="the-split">The split <a class="heading-anchor" href="#the-split"><span aria-hidden="true">#</span>'
            '<span class="visually-hidden">Link to this section</span></a></h2>') in html
    assert '<nav class="toc" aria-labelledby="toc-title" data-toc>' in html and '<a href="#the-split">' in html


def test_data_page_offers_every_collection_as_csv_and_json_with_schema_and_sources(out):
    page = (out / "data/index.html").read_text()
    for name in ("sources", "organizations", "contracts", "events", "glossary"):
        assert f'href="/data/{name}.csv"' in page and f'href="/data/{name}.json"' in page
        document = json.loads((out / f"data/{name}.json").read_text())
        assert document["records"] and all(f["meaning"] for f in document["fields"]), name
    contracts = json.loads((out / "data/contracts.json").read_text())
    fields = {f["name"]: f for f in contracts["fields"]}
    assert fields["value_kind"]["type"].startswith("one of: expected, ceiling")
    assert "not money paid" in fields["value_kind"]["meaning"]
    assert [s["id"] for s in contracts["sources"]] == ["wire-2025-04-04", "daily-2025-04-07"]
    rows = list(csv.DictReader(io.StringIO((out / "data/contracts.csv").read_text())))
    assert rows[0]["id"] == "lane2-spacex" and rows[0]["value"] == "5900000000" and rows[0]["sources"] == "wire-2025-04-04"
    assert rows[1]["sources"] == "wire-2025-04-04; daily-2025-04-07"
    assert "<code>value_kind</code>" in page and "not money paid" in page


def test_data_page_describes_each_dataset_in_json_ld(out):
    blocks = Head((out / "data/index.html").read_text()).json_ld
    datasets = [item for block in blocks if isinstance(block, list) for item in block if item["@type"] == "Dataset"]
    assert {d["url"].rpartition("#")[2] for d in datasets} == {"sources", "organizations", "contracts", "events", "glossary"}
    contracts = next(d for d in datasets if d["url"].endswith("#contracts"))
    assert contracts["name"] and len(contracts["description"]) >= 50
    assert contracts["creator"] == {"@type": "Organization", "name": "Test Orbit", "url": BASE}
    assert {(d["encodingFormat"], d["contentUrl"]) for d in contracts["distribution"]} == {
        ("text/csv", BASE + "data/contracts.csv"), ("application/json", BASE + "data/contracts.json")}
    assert contracts["temporalCoverage"] == "2025-04-04/2025-04-04"
    assert [c["url"] for c in contracts["citation"]] == ["https://example.com/wire/lane2", "https://example.com/daily/awards"]


def test_csv_cells_that_would_run_as_formulas_are_neutralised(make_site, cache):
    root = add_found_pages(make_site())
    orgs = root / "site_src/data/organizations.yaml"
    orgs.write_text(orgs.read_text().replace("  name: US Space Force\n", '  name: US Space Force\n  summary: "=HYPERLINK(\\"http://x\\")"\n'))
    out = build_site(root, cache)
    rows = list(csv.DictReader(io.StringIO((out / "data/organizations.csv").read_text())))
    assert next(r for r in rows if r["id"] == "ussf")["summary"] == "'=HYPERLINK(\"http://x\")"


def test_without_the_opt_in_pages_the_site_has_no_search_box_or_downloads(make_site, cache):
    out = build_site(make_site(), cache)
    html = (out / "index.html").read_text()
    assert 'role="search"' not in html and "search." not in html and "changes.xml" not in html
    assert not (out / "data").exists() and not (out / "changes.xml").exists()
    assert (out / "sitemap.xml").is_file() and (out / "feed.xml").is_file() and (out / "robots.txt").is_file()
