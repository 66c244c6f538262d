"""The real site works under the response headers Netlify gives it.

The project's site is built into a temporary folder and served on 127.0.0.1 with
the headers of every rule of the built `_headers` file and of netlify.toml that
matches each path, combined as Netlify does (tests/netlify_rules.py: each
Content-Security-Policy is sent as its own header line, so the site-wide policy
and `frame-ancestors 'none'` are both enforced). Chromium
visits every HTML page, wakes every interactive chart (scrolled into view and
hovered) and records every `securitypolicyviolation` event and every console
message about the Content Security Policy: there must be none, and every chart
must still draw its interactive SVG. A host page on another loopback port (another
origin) frames one embed page, which must load and draw, and one explainer, which
frame-ancestors and X-Frame-Options must block.
"""

from __future__ import annotations

import functools
import http.server
from pathlib import Path
from contextlib import contextmanager
from typing import Iterator
from urllib.parse import urlsplit

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from netlify_rules import NetlifyHandler, NetlifyHeaders
from support import REPO, serve_http

pytestmark = pytest.mark.browser

CHART_TIMEOUT_MS = 15_000

# Recorded in every frame before any of the page's scripts run.
RECORD_VIOLATIONS = """
(() => {
  window.__csp = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(`${e.effectiveDirective} blocked ${e.blockedURI || "(inline)"} at ${e.sourceFile}:${e.lineNumber} ${e.sample || ""}`.trim());
  }, true);
})();
"""

LIVE_CHART = """
(figure) => {
  const svg = figure.querySelector(".chart-live svg");
  const box = svg ? svg.getBoundingClientRect() : null;
  return { state: figure.getAttribute("data-live"), width: box ? box.width : 0, height: box ? box.height : 0 };
}
"""


# The headers -----------------------------------------------------------------------------------------


def test_header_rules_layer_as_netlify_does(site_headers):
    explainer = site_headers.lines("/explainers/x/")
    policies = [v for n, v in explainer if n == "Content-Security-Policy"]
    assert len(policies) == 2 and "script-src 'self'" in policies[0] and policies[1] == "frame-ancestors 'none'"
    assert ("X-Frame-Options", "DENY") in explainer
    embed = dict(site_headers.lines("/embed/x/"))
    assert "X-Frame-Options" not in embed and "frame-ancestors" not in embed["Content-Security-Policy"]
    assert dict(site_headers.lines("/assets/site.1.js"))["Cache-Control"].endswith("immutable")


# Serving --------------------------------------------------------------------------------------------


serve = serve_http  # the site and the framing host, each on its own loopback port


def host_handler(embed_url: str, explainer_url: str) -> type[http.server.BaseHTTPRequestHandler]:
    """A page on another origin framing an embed page and an explainer."""
    body = (f'<!doctype html><html lang="en"><meta charset="utf-8"><title>Host</title>'
            f'<iframe id="embed" src="{embed_url}" width="700" height="600"></iframe>'
            f'<iframe id="explainer" src="{explainer_url}" width="700" height="600"></iframe></html>').encode()

    class Host(http.server.BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Host


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csp") / "output"
    build(load_config(REPO, out), Cache(REPO / ".cache"))
    return out


@pytest.fixture(scope="module")
def site_headers(real_site: Path) -> NetlifyHeaders:
    return NetlifyHeaders.of(real_site, REPO / "netlify.toml")


@pytest.fixture(scope="module")
def site_url(real_site: Path, site_headers: NetlifyHeaders) -> Iterator[str]:
    with serve(functools.partial(NetlifyHandler, directory=str(real_site), headers=site_headers)) as base:
        yield base


# The browser ----------------------------------------------------------------------------------------


def watch(page, found: list[str]) -> None:
    page.on("console", lambda m: found.append(f"{page.url}: console: {m.text}")
            if "Content Security Policy" in m.text or "Content-Security-Policy" in m.text else None)


@contextmanager
def page_under_csp(browser, site: Path) -> Iterator[tuple]:
    """(page, base URL, problems): a 1280 px page on `site` served with Netlify's headers, its
    CSP violations (window.__csp), console errors and uncaught errors going to `problems`."""
    problems: list[str] = []
    handler = functools.partial(NetlifyHandler, directory=str(site), headers=NetlifyHeaders.of(site, REPO / "netlify.toml"))
    with serve_http(handler) as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD_VIOLATIONS)
        try:
            page = context.new_page()
            watch(page, problems)
            page.on("pageerror", lambda err: problems.append(f"uncaught {err}"))
            yield page, base, problems
        finally:
            context.close()


def wake_charts(page, frame, label: str, problems: list[str]) -> int:
    """Scroll every chart into view and hover it; each must draw its interactive SVG. Returns the count."""
    figures = frame.locator("figure.chart[data-spec]")
    for index in range(figures.count()):
        figure = figures.nth(index)
        name = figure.get_attribute("data-chart")
        figure.scroll_into_view_if_needed()
        figure.hover()
        try:
            frame.wait_for_function("(f) => ['done', 'failed'].includes(f.getAttribute('data-live'))",
                                    arg=figure.element_handle(), timeout=CHART_TIMEOUT_MS)
        except Exception:  # noqa: BLE001 - Playwright's TimeoutError; the state says what happened
            pass
        live = figure.evaluate(LIVE_CHART)
        if live["state"] != "done" or not live["width"] or not live["height"]:
            problems.append(f"{label}: chart '{name}' did not draw under the CSP: data-live={live['state']}, "
                            f"svg {live['width']}x{live['height']}")
    return figures.count()


def test_every_page_runs_under_the_csp_and_interactive_charts_draw(browser, real_site, site_url):
    pages = sorted(p.relative_to(real_site).as_posix() for p in real_site.rglob("*.html"))
    assert len(pages) > 50, pages
    problems: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    context.add_init_script(RECORD_VIOLATIONS)
    try:
        page = context.new_page()
        watch(page, problems)
        page.on("pageerror", lambda err: problems.append(f"{page.url}: uncaught {err}"))
        charts = 0
        for path in pages:
            url = f"{site_url}/{path.removesuffix('index.html')}"
            response = page.goto(url, wait_until="load")
            assert response is not None and response.status == 200, (url, response and response.status)
            policies = [h["value"] for h in response.headers_array() if h["name"].lower() == "content-security-policy"]
            assert any("script-src 'self'" in p for p in policies), (url, policies)
            assert not any("unsafe-inline" in p or "unsafe-eval" in p for p in policies), (url, policies)
            charts += wake_charts(page, page.main_frame, path, problems)
            problems += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
        assert charts >= 12, f"only {charts} charts on the site's pages: the chart checks prove little"
    finally:
        context.close()
    assert not problems, "\n".join(problems)


def test_embeds_can_be_framed_by_another_site_and_explainers_cannot(browser, real_site, site_url):
    embed = sorted(p.parent.name for p in (real_site / "embed").glob("*/index.html"))[0]
    explainer = sorted(p.parent.name for p in (real_site / "explainers").glob("*/index.html"))[0]
    embed_url, explainer_url = f"{site_url}/embed/{embed}/", f"{site_url}/explainers/{explainer}/"
    problems: list[str] = []
    blocked: list[str] = []
    with serve(host_handler(embed_url, explainer_url)) as host:
        assert urlsplit(host).port != urlsplit(site_url).port  # another origin
        context = browser.new_context(viewport={"width": 1280, "height": 900})
        context.add_init_script(RECORD_VIOLATIONS)
        try:
            page = context.new_page()
            page.on("console", lambda m: blocked.append(m.text) if "frame-ancestors" in m.text or "X-Frame-Options" in m.text else None)
            page.goto(host + "/", wait_until="load")
            frame = page.query_selector("#embed").content_frame()
            frame.locator("figure.chart").wait_for(timeout=CHART_TIMEOUT_MS)
            assert frame.url == embed_url
            assert wake_charts(page, frame, f"embed/{embed}/ framed", problems) == 1
            problems += [f"framed embed: {v}" for v in frame.evaluate("window.__csp")]
            refused = page.query_selector("#explainer").content_frame()
            shown = _shows_explainer(refused)
        finally:
            context.close()
    assert not problems, "\n".join(problems)
    assert not shown, "an explainer loaded inside another site's frame"
    # Chromium says why on the host's console.
    assert any("frame-ancestors 'none'" in m or "X-Frame-Options" in m for m in blocked), blocked


def _shows_explainer(frame) -> bool:
    """Whether the framed explainer's own document is there (a refused frame shows an error page)."""
    if frame is None:
        return False
    try:
        return bool(frame.evaluate("document.querySelector('article.explainer') !== null"))
    except Exception:  # noqa: BLE001 - a refused frame may have no document to evaluate in
        return False
