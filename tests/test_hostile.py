"""Hostile text in every field a writer or a data file controls stays text.

The minimal site is built with script tags, attribute breakouts, `</script>`
and `<!--` in every text field the schemas accept: site settings, explainer
front matter and chart caption, sources, organizations (whose names become
chart data values), contracts, events and glossary entries, and a chart's
title and description. Then:

- Chromium visits every built page (and the search page with hostile queries),
  hovers and focuses everything, and no script of ours ran (`window.__pwned`
  stays undefined, no dialog opened) while the hostile text shows literally;
- every `<script type="application/ld+json">` block parses as JSON and holds no
  raw `</script` or `<!--`; feeds and the sitemap parse as XML;
- chart and data-download CSVs neutralise cells a spreadsheet would run as
  formulas (= + - @), so `=HYPERLINK(...)` is shipped as `'=HYPERLINK(...)`;
- a `javascript:` (or otherwise unsafe) link in a link field fails the build.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import xml.etree.ElementTree as ET
from contextlib import contextmanager
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from urllib.parse import quote

import pytest
import yaml

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.errors import BuildFailed
from support import SITES, copy_site, serve_folder

pytestmark = pytest.mark.browser

PWN = "window.__pwned=1"
SCRIPT = f"<script>{PWN}</script>"
ATTRIBUTE = f'"onmouseover="{PWN}'
ATTRIBUTE_SINGLE = f"'onfocus='{PWN}' autofocus='"
CLOSE_SCRIPT = f"</script><script>{PWN}</script>"
IMAGE = f'<img src=x onerror="{PWN}">'
SVG = f"<svg onload={PWN}>"
COMMENT = "<!-- <script>"
HOSTILE = f"{SCRIPT} {ATTRIBUTE} {CLOSE_SCRIPT} {IMAGE} {ATTRIBUTE_SINGLE} {SVG} {COMMENT}"
FORMULA = '=HYPERLINK("http://x","y")'


def hostile(label: str) -> str:
    """`label` followed by every payload, so each field is findable and each payload tried."""
    return f"{label} {HOSTILE}"


def hostile_files() -> dict[str, str | None]:
    """Overlay for tests/sites/minimal: the same records and pages, hostile text in every text field."""
    dump = functools.partial(yaml.safe_dump, sort_keys=False, allow_unicode=True, width=10_000)
    site = {
        "title": hostile("Site title"),
        "tagline": hostile("Tagline"),
        "description": hostile("Site description"),
        "intro": hostile("Intro"),
        "footer": hostile("Footer"),
        "base_url": "https://example.org/",
        "author": hostile("Site author"),
        "publisher": hostile("Publisher"),
        "data_as_of": "2025-06-30",
        "search_placeholder": hostile("Search placeholder"),
        "pages": [
            {"url": "sources/", "template": "sources.html", "title": hostile("Sources page"), "description": hostile("Every source")},
            {"url": "timeline/", "template": "timeline.html", "title": hostile("Timeline page"), "description": hostile("Every event")},
            {"url": "contracts/", "template": "contracts.html", "title": hostile("Contracts page"), "description": hostile("Every contract")},
            {"url": "glossary/", "template": "glossary.html", "title": hostile("Glossary page"), "description": hostile("Every term")},
            {"url": "data/", "template": "data.html", "title": hostile("Data page"), "description": hostile("Every dataset")},
            {"url": "search/", "template": "search.html", "title": hostile("Search page"), "description": hostile("Search"), "nav": False},
        ],
        "nav": [{"title": hostile("Nav home"), "url": ""}, {"title": hostile("Nav sources"), "url": "sources/"}],
    }
    sources = [
        # The outlet has a line break, then a formula: provenance lines of chart CSVs must stay one line.
        {"id": "wire-2025-04-04", "outlet": hostile("Outlet wire") + "\n" + FORMULA, "title": hostile("Source title wire"),
         # A valid link with a quote a careless template would break out of: ' is allowed in URLs.
         "url": f"https://example.com/wire/lane2?a='onmouseover='{PWN}", "date": "2025-04-04",
         "date_note": hostile("Date note"), "note": hostile("Source note")},
        {"id": "daily-2025-04-07", "outlet": hostile("Outlet daily"), "title": hostile("Source title daily"),
         "url": "https://example.com/daily/awards", "date": "2025-04-07", "also": ["https://example.com/copy"]},
    ]
    organizations = [
        {"id": "spacex", "name": hostile("Org name SpaceX"), "short_name": f"{SCRIPT} SpaceX {ATTRIBUTE}", "kind": "company",
         "color": "#1f6fc5", "url": "https://example.com/spacex", "summary": hostile("Org summary"), "sources": ["wire-2025-04-04"]},
        {"id": "blue-origin", "name": hostile("Org name Blue"), "short_name": f"{CLOSE_SCRIPT} Blue {IMAGE}", "kind": "company",
         "color": "#d0641d", "sources": ["wire-2025-04-04"]},
        {"id": "ussf", "name": hostile("Org name USSF"), "kind": "agency", "sources": ["wire-2025-04-04"]},
    ]
    contracts = [
        {"id": "lane2-spacex", "title": FORMULA, "program": "@SUM(1+1)*cmd|' /C calc'!A0", "topic": "nssl", "kind": "award",
         "buyer": "ussf", "awardee": "spacex", "date": "2025-04-04", "value": 5900000000, "value_kind": "expected",
         "missions": 28, "summary": "-2+3+cmd|' /C calc'!A0 " + HOSTILE, "sources": ["wire-2025-04-04"], "facts": ["L2-02"]},
        {"id": "lane2-blue-origin", "title": hostile("Contract title"), "program": "+" + hostile("Program"), "topic": "nssl",
         "kind": "award", "buyer": "ussf", "awardee": "blue-origin", "date": "2025-04-04", "value": 2300000000,
         "value_high": 2400000000, "value_kind": "expected", "missions": 7, "summary": hostile("Contract summary"),
         "disagreement": hostile("Disagreement"),
         "reports": [{"source": "daily-2025-04-07", "value": 2400000000, "wording": hostile("Wording")}],
         "sources": ["wire-2025-04-04", "daily-2025-04-07"], "facts": ["L2-04"]},
    ]
    events = [{"id": "lane2-awarded", "date": "2025-04-04", "title": hostile("Event title"), "summary": hostile("Event summary"),
               "disagreement": hostile("Event disagreement"), "companies": ["spacex", "blue-origin"],
               "topics": ["nssl", ATTRIBUTE], "sources": ["wire-2025-04-04"]}]
    glossary = [{"id": "nssl", "term": hostile("Glossary term"), "abbr": "NSSL", "definition": hostile("Glossary definition"),
                 "sources": ["wire-2025-04-04"]}]
    chart = f'''import altair as alt

from generator import chart


@chart("lane2-missions", title={hostile("Chart title") + chr(10) + "@SUM(1+1)"!r},
       description={hostile("Chart description") + " [[lane2-spacex.missions]]"!r},
       sources=["wire-2025-04-04"])
def lane2_missions(data):
    rows = [{{"company": data.get(c.awardee).label, "missions": c.missions, "contract": c.title,
              "program": c.program, "summary": c.summary}} for c in data.contracts]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("missions:Q", title="Missions"), y=alt.Y("company:N", title=None),
        color=alt.Color("company:N", legend=None),
        tooltip=["company:N", "contract:N", "program:N", "summary:N"]).properties(width=480, height=120)
'''
    front = dump({"title": hostile("Explainer title"), "summary": hostile("Explainer summary"), "date": "2025-05-01",
                  "order": 1, "lead_chart": "lane2-missions", "author": hostile("Author"),
                  "key_figures": [{"ref": "lane2-spacex", "label": hostile("Key figure label")}]})
    explainer = f"""---
{front}---

SpaceX is expected to fly [[lane2-spacex.missions]] missions worth [[lane2-spacex]].

## The split

Blue Origin's share was reported as [[lane2-blue-origin]], for [[lane2-blue-origin.missions]] missions.
The NSSL program is run by SSC.

```chart lane2-missions
caption: {hostile("Caption")}
```
"""
    return {
        "site_src/site.yaml": dump(site),
        "site_src/data/sources.yaml": dump(sources),
        "site_src/data/organizations.yaml": dump(organizations),
        "site_src/data/contracts.csv": None,
        "site_src/data/contracts.yaml": dump(contracts),
        "site_src/data/events.yaml": dump(events),
        "site_src/data/glossary.yaml": dump(glossary),
        "site_src/charts/awards.py": chart,
        "site_src/explainers/lane2.md": explainer,
    }


# The hostile site, built once ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """tests/sites/minimal with hostile_files() laid over it, built; returns the output folder."""
    root = copy_site("minimal", tmp_path_factory.mktemp("hostile") / "project")
    for relative, content in hostile_files().items():
        if content is None:
            (root / relative).unlink()
        else:
            (root / relative).write_text(content)
    out = root / "output"
    try:
        build(load_config(root, out), Cache(root / ".cache"))
    except BuildFailed as failed:
        pytest.fail(f"the hostile site must still be valid data:\n{failed}", pytrace=False)
    return out


def html_pages(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html"))


class Parsed(HTMLParser):
    """Start tags with their attributes, text, and the body of every <script>."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script = dict(attrs)
            self.scripts.append((self._script, ""))

    def handle_endtag(self, tag):
        if tag == "script":
            self._script = None

    def handle_data(self, data):
        if self._script is not None:
            attrs, body = self.scripts[-1]
            self.scripts[-1] = (attrs, body + data)
        else:
            self.text.append(data)


# The theme's own empty image: the fallback of a chart's picture in the other theme, which must
# cost no request where lazy loading is off (no JavaScript); the site's CSP allows data: images.
EMPTY_PICTURE = "data:,"


def test_hostile_text_is_text_in_every_built_page(hostile_site):
    """No payload became markup: no event-handler attribute, no script but ours, the payload shown as text."""
    problems = []
    for path in html_pages(hostile_site):
        page = Parsed((hostile_site / path).read_text())
        for tag, attrs in page.tags:
            handlers = [name for name in attrs if name.startswith("on") or name == "autofocus"]
            if handlers:
                problems.append(f"{path}: <{tag}> has {handlers}")
            ours = tag == "svg" and attrs.get("class") == "swatch"  # an organization's colour square
            if (tag in ("svg", "iframe", "object", "embed") and not ours) or (tag == "img" and attrs.get("src") == "x"):
                problems.append(f"{path}: a <{tag}> element came from the data")
            for name, value in attrs.items():
                if (tag, name, value) == ("img", "src", EMPTY_PICTURE):
                    continue
                if name in ("href", "src", "action", "srcset") and value and re.match(r"\s*(javascript|data|vbscript):", value, re.I):
                    problems.append(f"{path}: <{tag} {name}={value!r}>")
        for attrs, body in page.scripts:
            if attrs.get("type") == "application/ld+json":
                continue
            if not (attrs.get("src") or "").startswith("/assets/") or body.strip():
                problems.append(f"{path}: a <script> that is not ours: {attrs} {body[:80]!r}")
        if SCRIPT not in "".join(page.text):
            problems.append(f"{path}: the hostile text is not shown as text")
    assert not problems, "\n".join(problems)


def test_every_json_ld_block_parses_and_cannot_close_its_script(hostile_site):
    found = []
    for path in html_pages(hostile_site):
        raw = (hostile_site / path).read_text()
        for attrs, body in Parsed(raw).scripts:
            if attrs.get("type") != "application/ld+json":
                continue
            assert "</script" not in body.lower() and "<!--" not in body, f"{path}: JSON-LD holds raw markup"
            assert "<" not in body, f"{path}: JSON-LD holds a raw '<'"
            found.append((path, json.loads(body)))  # a breakout would cut the JSON short
    everything = set(strings([value for _, value in found]))
    assert len(found) >= len(html_pages(hostile_site)) - 2  # every page but the embed pages has one
    for label in ("Explainer title", "Explainer summary", "Contract title", "Author", "Publisher"):
        assert hostile(label) in everything, f"{label}: the hostile text did not reach the JSON-LD (the test would prove nothing)"


def strings(value: object) -> Iterator[str]:
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


def chart_csv(text: str) -> list[list[str]]:
    """The rows of a chart CSV, header first."""
    return list(csv.reader(io.StringIO(text, newline="")))


TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def formula_cells(rows: list[list[str]]) -> list[str]:
    """Cells a spreadsheet would run as a formula (a plain negative number is data)."""
    return [cell for row in rows for cell in row if cell.startswith(TRIGGERS) and not re.fullmatch(r"-\d+(\.\d+)?", cell)]


def test_csv_cells_cannot_become_formulas(hostile_site):
    rows = chart_csv((hostile_site / "embed/lane2-missions/data.csv").read_bytes().decode())
    # The title and outlets (hostile too) stay out of the file: it is the header, then the rows.
    # The fields the chart draws and its tooltip shows, what a row is first, then its measure.
    assert rows[0] == ["company", "missions", "contract", "program", "summary"]
    assert not formula_cells(rows), formula_cells(rows)
    cells = {cell for row in rows for cell in row}
    assert "'" + FORMULA in cells and "'@SUM(1+1)*cmd|' /C calc'!A0" in cells
    assert any(c.startswith("'-2+3") for c in cells) and any(c.startswith("'+Program") for c in cells)

    downloads = sorted((hostile_site / "data").glob("*.csv"))
    assert [p.stem for p in downloads] == ["contracts", "events", "glossary", "organizations", "sources"]
    for path in downloads:
        rows = list(csv.reader(io.StringIO(path.read_text())))
        assert not formula_cells(rows), (path.name, formula_cells(rows))
    contracts = {row[0]: row for row in csv.reader(io.StringIO((hostile_site / "data/contracts.csv").read_text()))}
    assert contracts["lane2-spacex"][1] == "'" + FORMULA


def test_feeds_and_sitemap_stay_well_formed_xml(hostile_site):
    feed = ET.parse(hostile_site / "feed.xml").getroot()
    titles = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}title")]
    assert hostile("Explainer title") in titles
    ET.parse(hostile_site / "sitemap.xml")
    json.loads((hostile_site / "search/index.json").read_text())
    oembed = json.loads((hostile_site / "embed/lane2-missions/oembed.json").read_text())
    assert SCRIPT not in oembed["html"] and '"onmouseover="' not in oembed["html"]  # the snippet escapes the title


BAD_LINKS = [
    "javascript:window.__pwned=1",
    "JavaScript:window.__pwned=1",
    "java\tscript:window.__pwned=1",  # browsers drop tabs in URLs
    "data:text/html,<script>window.__pwned=1</script>",
    "vbscript:msgbox(1)",
    'https://example.com/" onmouseover="window.__pwned=1',
    "//evil.example/",
]


def test_unsafe_links_fail_the_build(make_site, cli):
    """Every link field takes http(s) or mailto only: each bad link is its own error, at its line."""
    sources = [{"id": f"bad-{i}", "outlet": "Outlet", "title": "Title", "url": url, "date": "2025-04-04"}
               for i, url in enumerate(BAD_LINKS)]
    sources += [{"id": "wire-2025-04-04", "outlet": "Wire", "title": "Title", "url": "https://example.com/ok",
                 "date": "2025-04-04", "also": ["javascript:window.__pwned=1"]},
                {"id": "daily-2025-04-07", "outlet": "Daily", "title": "Title", "url": "https://example.com/ok2", "date": "2025-04-07"}]
    organizations = yaml.safe_load((SITES / "minimal/site_src/data/organizations.yaml").read_text())
    organizations[0]["url"] = "javascript:window.__pwned=1"
    root = make_site({"site_src/data/sources.yaml": yaml.safe_dump(sources, sort_keys=False),
                      "site_src/data/organizations.yaml": yaml.safe_dump(organizations, sort_keys=False)})
    result = cli("build", "--root", root)
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if ": error: " in line]
    for index, url in enumerate(BAD_LINKS):
        assert any(line.startswith("site_src/data/sources.yaml:") and "field 'url'" in line and repr(url) in line
                   for line in errors), f"{url!r} was not rejected:\n{result.stderr}"
    assert any("sources.yaml" in line and "also" in line for line in errors), result.stderr
    assert any("organizations.yaml" in line and "field 'url'" in line for line in errors), result.stderr
    assert len(errors) == len(BAD_LINKS) + 2, result.stderr
    assert not (root / "output").exists()


# In the browser -------------------------------------------------------------------------------------


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    with serve_folder(folder) as origin:
        yield origin + "/"


# Every event an injected handler could listen for, fired on every element; every <details> opened.
PROVOKE = """
() => {
  document.querySelectorAll("details").forEach((d) => { d.open = true; });
  const kinds = ["mouseover", "mouseenter", "mousemove", "pointerover", "pointerenter", "focus", "focusin", "blur", "animationstart", "transitionend"];
  for (const el of document.querySelectorAll("body *")) {
    for (const kind of kinds) el.dispatchEvent(new Event(kind, { bubbles: kind !== "mouseenter" && kind !== "pointerenter" }));
    if (typeof el.focus === "function") el.focus();
  }
}
"""

REPORT = """
() => ({
  pwned: typeof window.__pwned !== "undefined",
  text: document.body.innerText,
  title: document.title,
  handlers: [...document.querySelectorAll("*")].flatMap((el) =>
    [...el.attributes].filter((a) => a.name.startsWith("on") || a.name === "autofocus").map((a) => el.tagName + " " + a.name)),
  scripts: [...document.scripts].filter((s) => s.type !== "application/ld+json" && !new URL(s.src || "x:", location.href).pathname.startsWith("/assets/"))
    .map((s) => s.outerHTML.slice(0, 120)),
})
"""


def test_no_hostile_text_runs_in_chromium(browser, hostile_site):
    """Every page: events fired everywhere, Tab through, charts woken and their bars hovered (tooltips)."""
    problems: list[str] = []
    dialogs: list[str] = []
    with serve(hostile_site) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, base_url=base)
        context.route(lambda url: not url.startswith(base) and not url.startswith(("data:", "blob:", "about:")),
                      lambda route: (problems.append(f"request to another host: {route.request.url}"), route.abort()))
        try:
            page = context.new_page()
            page.on("dialog", lambda dialog: (dialogs.append(f"{page.url}: {dialog.type} {dialog.message}"), dialog.dismiss()))
            page.on("pageerror", lambda err: problems.append(f"{page.url}: uncaught {err}"))
            tooltips = 0
            for path in html_pages(hostile_site):
                url = base + (path.removesuffix("index.html"))
                page.goto(url, wait_until="load")
                page.evaluate(PROVOKE)
                for _ in range(25):
                    page.keyboard.press("Tab")
                tooltips += wake_charts(page, problems)
                problems += check(page, path)
            # The search page renders results from the index, and shows a hostile query back.
            page.goto(base + "search/", wait_until="load")
            page.fill("#search-page-q", "script pwned")
            page.wait_for_selector("[data-search-results] li")
            problems += check(page, "search/ (results)")
            page.goto(base + "search/?q=" + quote(f"{IMAGE} {SCRIPT}"), wait_until="load")
            page.wait_for_function("() => document.querySelector('.search-count').textContent.length > 0")
            problems += check(page, "search/?q=<hostile>")
            assert SCRIPT in page.inner_text(".search-count")
            # The header search box lists matches as you type.
            page.goto(base, wait_until="load")
            page.fill("#site-search-q", "explainer title")
            page.wait_for_selector("#site-search-listbox li.search-option")
            assert SCRIPT in page.inner_text("#site-search-listbox")
            problems += check(page, "home (search box)")
        finally:
            context.close()
    assert not dialogs, "\n".join(dialogs)
    assert not problems, "\n".join(problems)
    assert tooltips >= 1, "no chart tooltip showed: the tooltip escaping was not exercised"


def check(page, label: str) -> list[str]:
    found = page.evaluate(REPORT)
    problems = [f"{label}: window.__pwned was set: injected script ran"] if found["pwned"] else []
    problems += [f"{label}: event handler attribute in the DOM: {h}" for h in found["handlers"]]
    problems += [f"{label}: a script that is not ours: {s}" for s in found["scripts"]]
    if SCRIPT not in found["text"]:
        problems.append(f"{label}: the hostile text is not shown literally")
    return problems


def wake_charts(page, problems: list[str]) -> int:
    """Scroll to and hover every chart until Vega drew it, then hover its bars; returns tooltips seen."""
    tooltips = 0
    figures = page.locator("figure.chart[data-spec]")
    for index in range(figures.count()):
        figure = figures.nth(index)
        figure.scroll_into_view_if_needed()
        figure.hover()
        page.wait_for_function("(f) => ['done', 'failed'].includes(f.getAttribute('data-live'))",
                               arg=figure.element_handle(), timeout=15_000)
        if figure.get_attribute("data-live") != "done":
            problems.append(f"{page.url}: chart {index + 1} did not draw")
            continue
        bars = figure.locator('.chart-live svg [aria-roledescription="bar"]')
        for bar in range(bars.count()):
            bars.nth(bar).hover(force=True)
            tip = page.locator("#vg-tooltip-element")
            if tip.count() and tip.is_visible():
                tooltips += 1
                if SCRIPT not in tip.inner_text() and CLOSE_SCRIPT not in tip.inner_text():
                    problems.append(f"{page.url}: tooltip does not show the hostile text literally: {tip.inner_text()[:200]!r}")
    return tooltips
