"""Charts readable on a phone and embeds that fit their host, measured in Chromium at 360 and 1280 px.

Chart text size is measured, not assumed: the smallest font size in the drawing the
browser picked (`currentSrc`), times the scale it is shown at. Embeds are pasted into
a host page with the snippet from their oEmbed document.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from generator.build import build, default_cache
from support import copy_site
from generator.config import load_config

from .browsing import serve

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
MIN_TEXT_PX = 11

# The text size of the static image a reader sees (the live chart hidden while measuring).
STATIC_TEXT = """
async (figure) => {
  const img = figure.querySelector(".chart-static img");
  img.loading = "eager";  // chart pictures load lazily: this one now, to measure it
  const live = figure.classList.contains("is-live");
  figure.classList.remove("is-live");
  const shown = img.getBoundingClientRect().width;
  if (live) figure.classList.add("is-live");
  if (!img.complete) await new Promise((done) => img.addEventListener("load", done, { once: true }));
  const svg = await (await fetch(img.currentSrc)).text();
  const sizes = [...svg.matchAll(/font-size="([\\d.]+)(?:px)?"/g)].map((m) => +m[1]);
  return { src: img.currentSrc, shown: shown, natural: img.naturalWidth, smallest: Math.min(...sizes) };
}
"""

# The text size of the interactive chart Vega drew.
LIVE_TEXT = """
(figure) => {
  const svg = figure.querySelector(".chart-live svg");
  const scale = svg.getBoundingClientRect().width / svg.width.baseVal.value;
  const sizes = [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim())
    .map((t) => parseFloat(getComputedStyle(t).fontSize));
  return { smallest: Math.min(...sizes) * scale, width: svg.getBoundingClientRect().width,
           box: figure.querySelector(".chart-live").getBoundingClientRect().width };
}
"""


def text_px(measured: dict) -> float:
    return measured["smallest"] * measured["shown"] / measured["natural"]


def explainer_pages(site) -> list[str]:
    prefix = site.config.settings.explainers_url
    return [p for p in site.pages if p.startswith(prefix) and p != f"{prefix}index.html"]


def new_page(browser, width: int, base: str = None):
    context = browser.new_context(viewport={"width": width, "height": 900}, base_url=base)
    return context, context.new_page()


@pytest.mark.parametrize("width", WIDTHS)
def test_chart_text_in_articles_is_never_under_11_px(browser, site, server, width):
    problems, measured = [], 0
    context, page = new_page(browser, width, server)
    try:
        for path in explainer_pages(site):
            page.goto(path.removesuffix("index.html"), wait_until="load")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, f"/{path} scrolls sideways at {width} px"
            for figure in page.locator("figure.chart").all():
                name = figure.get_attribute("data-chart")
                found = figure.evaluate(STATIC_TEXT)
                measured += 1
                narrow = "inline-narrow" in found["src"]
                if width == 360 and figure.get_attribute("data-narrow") and not narrow:
                    problems.append(f"/{path} {name}: a 360 px screen got the wide drawing {found['src']}")
                if width == 1280 and narrow:
                    problems.append(f"/{path} {name}: a 1280 px screen got the narrow drawing")
                if text_px(found) < MIN_TEXT_PX:
                    problems.append(f"/{path} {name}: static chart text at {text_px(found):.1f} px ({found})")
    finally:
        context.close()
    assert measured >= 10, f"only {measured} charts measured"
    assert not problems, "\n".join(problems)


def test_interactive_charts_on_a_phone_keep_the_narrow_layout(browser, site, server):
    problems, measured = [], 0
    context, page = new_page(browser, 360, server)
    try:
        for path in explainer_pages(site):
            page.goto(path.removesuffix("index.html"), wait_until="load")
            for figure in page.locator("figure.chart").all():
                figure.scroll_into_view_if_needed()
                page.wait_for_function("(f) => ['done', 'failed'].includes(f.getAttribute('data-live'))", arg=figure.element_handle(), timeout=15_000)
                live = figure.evaluate(LIVE_TEXT)
                measured += 1
                if live["smallest"] < MIN_TEXT_PX:
                    problems.append(f"/{path} {figure.get_attribute('data-chart')}: live chart text at {live['smallest']:.1f} px")
    finally:
        context.close()
    assert measured >= 10
    assert not problems, "\n".join(problems)


def embed_snippet(site, chart_id: str, origin: str) -> str:
    """The chart's iframe snippet from its oEmbed document, pointed at the local server."""
    document = json.loads((site.folder / "embed" / chart_id / "oembed.json").read_text())
    return document["html"].replace(site.config.settings.base_url.rstrip("/"), origin)


def host_page(snippet: str) -> str:
    return f"<!doctype html><html><head><meta name=viewport content='width=device-width'></head><body style='margin:0;padding:0 10px'><p>A host article.</p>{snippet}<p>After.</p></body></html>"


def measure_embed(page, snippet: str) -> dict:
    """Paste the snippet into a fresh host page; measure the iframe and the chart inside it.
    (A fresh page each time: the snippet's script installs itself once per window.)"""
    page.set_content(host_page(snippet), wait_until="load")
    frame_element = page.locator("iframe").element_handle()
    frame = frame_element.content_frame()
    frame.wait_for_load_state("load")
    figure = frame.locator("figure.chart")
    found = figure.evaluate(STATIC_TEXT)
    # the embed tells the host its height, and the snippet's script applies it
    for _ in range(100):
        inner = frame.evaluate("document.documentElement.getBoundingClientRect().height")
        outer = page.evaluate("(f) => f.getBoundingClientRect().height", frame_element)
        if abs(outer - inner) < 2:
            break
        page.wait_for_timeout(100)
    assert abs(outer - inner) < 2, f"iframe {outer} px tall around a {inner} px embed"
    found |= page.evaluate("(f) => ({ frame: f.getBoundingClientRect().width, host: document.body.clientWidth - 20 })", frame_element)
    found["main"] = frame.evaluate("(m => m.clientWidth - parseFloat(getComputedStyle(m).paddingLeft) - parseFloat(getComputedStyle(m).paddingRight))(document.querySelector('main'))")
    found["data_link"] = frame.locator("a", has_text="Get the data").get_attribute("href")
    found["source_line"] = frame.locator(".chart-source").first.inner_text()
    return found


@pytest.mark.parametrize("width", WIDTHS)
def test_every_embed_fills_its_host_and_keeps_text_readable(browser, site, server, width):
    origin = server.rstrip("/")
    charts = sorted(p.split("/")[1] for p in site.pages if p.startswith("embed/") and p.count("/") == 2)
    problems = []
    context, _ = new_page(browser, width)
    try:
        for chart_id in charts:
            page = context.new_page()
            found = measure_embed(page, embed_snippet(site, chart_id, origin))
            page.close()
            if abs(found["frame"] - found["host"]) > 1:
                problems.append(f"{chart_id}: iframe {found['frame']} px in a {found['host']} px host column")
            if found["shown"] < min(found["main"], found["natural"]) - 1:
                problems.append(f"{chart_id}: chart {found['shown']} px wide in a {found['main']} px embed")
            if text_px(found) < MIN_TEXT_PX:
                problems.append(f"{chart_id}: embed chart text at {text_px(found):.1f} px")
            if not found["data_link"].endswith(f"/embed/{chart_id}/data.csv") or not found["source_line"].startswith("Source"):
                problems.append(f"{chart_id}: no 'Get the data' link or source line ({found['data_link']}, {found['source_line'][:40]})")
    finally:
        context.close()
    assert len(charts) >= 10
    assert not problems, "\n".join(problems)


PNG_SIZES = """
async (folder) => {
  const size = (url) => new Promise((done) => { const i = new Image(); i.onload = () => done([i.naturalWidth, i.naturalHeight]); i.onerror = () => done(null); i.src = url; });
  const oembed = await (await fetch(folder + "oembed.json")).json();
  return { one: await size(folder + "chart.png"), two: await size(folder + "chart@2x.png"), phone: await size(folder + "chart-narrow.png"), oembed: oembed };
}
"""


def test_png_sizes_are_the_ones_the_snippets_and_oembed_advertise(browser, site, server):
    context, page = new_page(browser, 1280, server)
    checked = 0
    try:
        for path in explainer_pages(site):
            page.goto(path.removesuffix("index.html"), wait_until="load")
            for figure in page.locator("figure.chart").all():
                chart_id = figure.get_attribute("data-chart")
                found = page.evaluate(PNG_SIZES, f"/embed/{chart_id}/")
                width, height = found["one"]
                oembed = found["oembed"]
                assert found["two"] == [2 * width, 2 * height], chart_id
                assert (oembed["thumbnail_width"], oembed["thumbnail_height"], oembed["width"]) == (width, height, width), chart_id
                newsletter = figure.locator("textarea[id$='-newsletter']").input_value()
                mail_width, mail_height = found["phone"] or (width, height)  # newsletters get the phone image where there is one
                assert f'width="{mail_width}" height="{mail_height}"' in newsletter, chart_id
                assert f'width="{width}" height="{height}"' in oembed["html"], chart_id  # the <noscript> image
                checked += 1
    finally:
        context.close()
    assert checked >= 10


CONTAINER_CHART = '''import altair as alt

from generator import chart


@chart("fill-missions", title="Missions, as wide as the page", description="Bar chart: SpaceX 28 missions, Blue Origin 7.",
       sources=["wire-2025-04-04"])
def fill_missions(data):
    rows = [{"company": data.get(c.awardee).label, "missions": c.missions} for c in data.contracts]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("missions:Q", title="Missions"), y=alt.Y("company:N", title=None)).properties(width="container", height=120)
'''


@pytest.fixture(scope="module")
def container_site(tmp_path_factory):
    root = copy_site("minimal", tmp_path_factory.mktemp("container") / "project")
    (root / "site_src/charts/fill.py").write_text(CONTAINER_CHART)
    config = load_config(root, root / "output")
    build(config, default_cache(config))
    with serve(root / "output") as base:
        yield config, root / "output", base


@pytest.mark.parametrize("width", WIDTHS)
def test_a_container_width_chart_tracks_its_host(browser, container_site, width):
    config, out, base = container_site
    oembed = json.loads((out / "embed/fill-missions/oembed.json").read_text())
    snippet = oembed["html"].replace(config.settings.base_url.rstrip("/"), base.rstrip("/"))
    context, page = new_page(browser, width)
    try:
        found = measure_embed(page, snippet)
        widest = found["natural"] * 16 / found["smallest"]  # wider, its text would pass 16 px (test_embed_sizes.py)
        assert found["shown"] >= min(found["main"], widest) - 1 and MIN_TEXT_PX <= text_px(found) <= 16, found
        frame = page.locator("iframe").element_handle().content_frame()
        figure = frame.locator("figure.chart")
        figure.hover()  # an embed's chart goes live when a reader reaches for it
        frame.wait_for_function("() => document.querySelector('figure.chart').getAttribute('data-live') === 'done'", timeout=15_000)
        live = figure.evaluate(LIVE_TEXT)
        assert abs(live["width"] - live["box"]) <= 2, live  # Vega laid it out at the embed's width
        assert live["smallest"] >= MIN_TEXT_PX, live
    finally:
        context.close()
    assert Path(out / "embed/fill-missions/chart.png").read_bytes()[16:20] == oembed["thumbnail_width"].to_bytes(4, "big")
    drawn = int(re.search(r'width="(\d+)"', (out / "embed/fill-missions/inline.svg").read_text()[:300]).group(1))
    assert 678 <= drawn <= 680, drawn  # images of a container-width chart are drawn at CONTAINER (680) px
