"""A live chart and its tooltip under the real headers, with no inline style allowed.

The minimal site is built and served with the headers Netlify would send (the built
`_headers` plus netlify.toml, tests/netlify_rules.py), whose policy has
`style-src 'self'` and no 'unsafe-inline'. Chromium opens an explainer and a chart's
embed page, wakes the chart, hovers a bar until Vega's tooltip shows, and an
organization page with its colour swatch. Every `securitypolicyviolation` event and
every console error counts as a failure; vega-embed and Vega Tooltip must not have
injected a <style> element, and the tooltip must still be styled (from our CSS).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Iterator

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from netlify_rules import NetlifyHandler, NetlifyHeaders
from support import REPO, copy_site, serve_http

CHART_TIMEOUT_MS = 15_000

RECORD_VIOLATIONS = """
(() => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber} ${e.sample || ""}`.trim());
  }, true);
})();
"""

TOOLTIP = """() => {
  const tip = document.querySelector("#vg-tooltip-element");
  const style = getComputedStyle(tip);
  return {position: style.position, visibility: style.visibility, zIndex: style.zIndex, padding: style.paddingTop,
          keyAlign: getComputedStyle(tip.querySelector("td.key")).textAlign, text: tip.innerText,
          styles: document.querySelectorAll("style").length};
}"""


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site("minimal", tmp_path_factory.mktemp("csp-live") / "project")
    chart = root / "site_src" / "charts" / "awards.py"  # its bars get a tooltip, so Vega Tooltip runs
    chart.write_text(chart.read_text().replace('color=alt.Color("company:N", legend=None))',
                                               'color=alt.Color("company:N", legend=None), tooltip=["company:N", "missions:Q"])'))
    build(load_config(root), Cache(REPO / ".cache"))
    return root / "output"


@pytest.fixture(scope="module")
def headers(published: Path) -> NetlifyHeaders:
    return NetlifyHeaders.of(published, REPO / "netlify.toml")


@pytest.fixture(scope="module")
def site_url(published: Path, headers: NetlifyHeaders) -> Iterator[str]:
    with serve_http(functools.partial(NetlifyHandler, directory=str(published), headers=headers)) as base:
        yield base


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: page.problems.append(f"console {m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda err: page.problems.append(f"uncaught {err}"))
    yield page
    context.close()


def open_under_the_policy(page, url: str) -> None:
    response = page.goto(url, wait_until="load")
    assert response is not None and response.status == 200, url
    policies = [h["value"] for h in response.headers_array() if h["name"].lower() == "content-security-policy"]
    site_wide = [p for p in policies if "default-src" in p]
    assert site_wide and "style-src 'self'" in site_wide[0] and "unsafe-inline" not in " ".join(policies), policies


def show_a_tooltip(page) -> dict:
    figure = page.locator("figure.chart[data-spec]").first
    figure.scroll_into_view_if_needed()
    figure.hover()
    page.wait_for_function("(f) => ['done', 'failed'].includes(f.getAttribute('data-live'))",
                           arg=figure.element_handle(), timeout=CHART_TIMEOUT_MS)
    assert figure.get_attribute("data-live") == "done", page.problems
    figure.locator(".chart-live [aria-roledescription='bar'], .chart-live [aria-roledescription='symbol']").first.hover(force=True)
    page.wait_for_selector("#vg-tooltip-element.visible td.key", timeout=CHART_TIMEOUT_MS)
    return page.evaluate(TOOLTIP)


@pytest.mark.parametrize("kind", ["explainer", "embed"])
def test_a_live_chart_and_its_tooltip_raise_no_violation(page, site_url, published, kind):
    path = "explainers/lane2/"
    if kind == "embed":
        path = f"embed/{sorted(p.parent.name for p in (published / 'embed').glob('*/index.html'))[0]}/"
    open_under_the_policy(page, f"{site_url}/{path}")
    tip = show_a_tooltip(page)
    violations = page.evaluate("window.__csp")
    assert violations == [] and page.problems == [], violations + page.problems
    assert tip["styles"] == 0, "vega-embed or Vega Tooltip injected a <style> element"
    # Styled by the theme's CSS: Vega Tooltip's own rules would otherwise have set these.
    assert (tip["position"], tip["visibility"], tip["zIndex"], tip["padding"], tip["keyAlign"]) == \
        ("fixed", "visible", "1000", "8px", "right"), tip
    assert tip["text"].strip()


def test_an_organization_swatch_needs_no_inline_style(page, site_url, published):
    organization = sorted(p.parent.name for p in (published / "organizations").glob("*/index.html"))[0]
    open_under_the_policy(page, f"{site_url}/organizations/{organization}/")
    swatch = page.locator("h1 .swatch")
    assert swatch.count() == 1
    fill = swatch.locator("rect").evaluate("(r) => getComputedStyle(r).fill")
    box = swatch.bounding_box()
    size = 0.8 * float(page.locator("h1").evaluate("(h) => parseFloat(getComputedStyle(h).fontSize)"))
    violations = page.evaluate("window.__csp")
    assert violations == [] and page.problems == [], violations + page.problems
    assert fill.startswith("rgb(") and fill != "rgb(0, 0, 0)", fill
    assert box and abs(box["width"] - size) < 1 and box["width"] == box["height"], (box, size)  # .swatch: 0.8em square
