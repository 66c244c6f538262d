"""Embeds pick their drawing by their own width: in a partner's column of 360, 600, 720 or
1280 px every chart's text is shown at 11-16 px, before and after it goes live, and the
live chart fills the box of the image it replaces (no empty band beside or under it).

The static image's text is its SVG's smallest font size times the scale it is shown at;
the live chart's is the smallest font size Vega drew times its own scale.
"""

from __future__ import annotations

import pytest

from .test_responsive import LIVE_TEXT, STATIC_TEXT, embed_snippet, text_px

pytestmark = pytest.mark.browser

COLUMNS = (360, 600, 720, 1280)
TEXT_PX = (11, 16)
BAND = 0.02  # of the width: what a live chart may leave empty (Vega's labels move a few px as the width changes)


def host_page(snippet: str, column: int) -> str:
    """A partner's article: a column `column` px wide, the snippet pasted into it."""
    return (f"<!doctype html><html><head><meta name=viewport content='width=device-width'></head><body style='margin:0'>"
            f"<div style='width:{column}px;margin:0 auto'><p>A host article.</p>{snippet}<p>After.</p></div></body></html>")


def embed_problems(context, snippet: str, chart_id: str, column: int) -> list[str]:
    page = context.new_page()
    try:
        page.set_content(host_page(snippet, column), wait_until="load")
        frame = page.locator("iframe").element_handle().content_frame()
        frame.wait_for_load_state("load")
        figure = frame.locator("figure.chart")
        static = figure.evaluate(STATIC_TEXT)
        problems = []
        if not TEXT_PX[0] <= text_px(static) <= TEXT_PX[1]:
            problems.append(f"{chart_id} in {column} px: static text at {text_px(static):.1f} px ({static['src'].rpartition('/')[2]} "
                            f"drawn {static['natural']} px wide, shown {static['shown']:.0f})")
        figure.hover()  # an embed's chart goes live when a reader reaches for it
        frame.wait_for_function("() => ['done', 'failed'].includes(document.querySelector('figure.chart').getAttribute('data-live'))",
                                timeout=15_000)
        live = figure.evaluate(LIVE_TEXT)
        if not TEXT_PX[0] <= live["smallest"] <= TEXT_PX[1]:
            problems.append(f"{chart_id} in {column} px: live text at {live['smallest']:.1f} px")
        if live["width"] < min(static["shown"], live["box"]) * (1 - BAND):
            problems.append(f"{chart_id} in {column} px: live chart {live['width']:.0f} px wide replaces a {static['shown']:.0f} px image "
                            f"in a {live['box']:.0f} px box")
        return problems
    finally:
        page.close()


@pytest.mark.parametrize("column", COLUMNS)
def test_an_embed_keeps_its_text_11_to_16_px_and_its_live_chart_fills_the_frame(browser, site, server, column):
    origin = server.rstrip("/")
    charts = sorted(p.split("/")[1] for p in site.pages if p.startswith("embed/") and p.count("/") == 2)
    context = browser.new_context(viewport={"width": column + 40, "height": 900})
    problems = []
    try:
        for chart_id in charts:
            problems += embed_problems(context, embed_snippet(site, chart_id, origin), chart_id, column)
    finally:
        context.close()
    assert len(charts) >= 10
    assert not problems, "\n".join(problems)


def test_a_live_chart_follows_its_column_when_the_column_changes_width(browser, site, server):
    """A partner's column that widens (a phone turned, a window resized) gets the drawing for
    its new width, live too: no band beside the chart, its text still 11-16 px."""
    chart_id = "lane2-split" if (site.folder / "embed/lane2-split").is_dir() else sorted(p.split("/")[1] for p in site.pages if p.startswith("embed/"))[0]
    context = browser.new_context(viewport={"width": 800, "height": 900})
    try:
        page = context.new_page()
        page.set_content(host_page(embed_snippet(site, chart_id, server.rstrip("/")), 400), wait_until="load")
        frame = page.locator("iframe").element_handle().content_frame()
        figure = frame.locator("figure.chart")
        figure.hover()
        frame.wait_for_function("() => document.querySelector('figure.chart').getAttribute('data-live') === 'done'", timeout=15_000)
        narrow = figure.evaluate(LIVE_TEXT)
        page.evaluate("document.querySelector('div').style.width = '720px'")
        frame.wait_for_function("(w) => { const s = document.querySelector('.chart-live svg'); return s && s.getBoundingClientRect().width > w + 100; }",
                                arg=narrow["width"], timeout=15_000)
        page.wait_for_timeout(500)
        wide = figure.evaluate(LIVE_TEXT)
        assert wide["width"] >= wide["box"] * (1 - BAND) and TEXT_PX[0] <= wide["smallest"] <= TEXT_PX[1], (narrow, wide)
    finally:
        context.close()
