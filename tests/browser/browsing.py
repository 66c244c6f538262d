"""Helpers of the browser suite: build and serve a site, visit a page, collect what went wrong.

One visit of one page at one width and theme collects everything the page,
chart and accessibility tests assert on; the tests only read the findings.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional
from urllib.parse import urlsplit

import pytest

from generator.build import build, default_cache
from generator.config import Config, load_config
from generator.data import load_site_data
from generator.errors import BuildFailed
from support import serve_folder

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium; `playwright install` cannot download browsers here
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SCREENSHOTS = REPO / "tests" / "screenshots"
WIDTHS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 360, "height": 780}}
VARIANTS = [("desktop", "light"), ("desktop", "dark"), ("phone", "light"), ("phone", "dark")]
CHART_TIMEOUT_MS = 15_000

# Wraps window.vegaEmbed (set by the bundle) so a failing interactive chart leaves its error behind:
# site.js catches the rejection and shows the static image, silently.
CATCH_CHART_ERRORS = r"""
(() => {
  window.__chartErrors = [];
  let wrapped;
  Object.defineProperty(window, "vegaEmbed", {
    configurable: true,
    get() { return wrapped; },
    set(embed) {
      wrapped = function (el, spec, opts) {
        return Promise.resolve().then(() => embed(el, spec, opts)).catch((err) => {
          const figure = el && el.closest ? el.closest("figure") : null;
          const frame = String(err && err.stack || "").split("\n").find((l) => /^\s+at /.test(l)) || "";
          window.__chartErrors.push({ id: figure ? figure.id : "", error: String(err) + (frame ? " (" + frame.trim() + ")" : "") });
          throw err;
        });
      };
    },
  });
})();
"""

STATIC_IMAGE = """
async (figure) => {
  const img = figure.querySelector(".chart-static img");
  if (!img) return null;
  // Chart pictures load lazily (the other theme's is never fetched): load this one now to measure it.
  img.loading = "eager";
  if (!(img.complete && img.naturalWidth)) {
    await new Promise((done) => { img.addEventListener("load", done, { once: true }); img.addEventListener("error", done, { once: true }); setTimeout(done, 10000); });
  }
  const live = figure.classList.contains("is-live");
  figure.classList.remove("is-live");  // measure the image as a reader without JavaScript sees it
  const box = img.getBoundingClientRect(), style = getComputedStyle(img);
  const visible = box.width > 0 && box.height > 0 && style.visibility !== "hidden" && style.display !== "none";
  if (live) figure.classList.add("is-live");
  const dark = [...figure.querySelectorAll('.chart-static source[media*="dark"]')].find((s) => matchMedia(s.media).matches);
  return { complete: img.complete, naturalWidth: img.naturalWidth, visible: visible,
           currentSrc: img.currentSrc, darkSrc: dark ? new URL(dark.getAttribute("srcset"), location.href).href : null };
}
"""

LIVE_CHART = """
(figure) => {
  const drawn = figure.querySelector(".chart-live svg, .chart-live canvas");
  const box = drawn ? drawn.getBoundingClientRect() : null;
  return { state: figure.getAttribute("data-live"), width: box ? box.width : 0, height: box ? box.height : 0,
           errors: (window.__chartErrors || []).filter((e) => e.id === figure.id).map((e) => e.error) };
}
"""



# The site under test ----------------------------------------------------------------------------


@dataclass(frozen=True)
class BuiltSite:
    """A built site folder and the pages the suite visits."""

    config: Config
    folder: Path
    pages: tuple[str, ...]  # output paths of every HTML page
    key_pages: tuple[str, ...]  # visited at every width and theme

    @property
    def other_pages(self) -> tuple[str, ...]:
        return tuple(p for p in self.pages if p not in self.key_pages)

    def first(self, prefix: str) -> Optional[str]:
        return next((p for p in self.pages if p.startswith(prefix)), None)


def build_site(root: Path, out: Path) -> BuiltSite:
    """Build `root` into `out`; a failed build fails the test with the build's own messages."""
    config = load_config(root, out)
    try:
        build(config, default_cache(config))
    except BuildFailed as failed:
        pytest.fail(f"the site under {root} does not build:\n{failed}", pytrace=False)
    pages = tuple(sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")))
    return BuiltSite(config, out, pages, key_pages_of(config, out, pages))


def key_pages_of(config: Config, out: Path, pages: tuple[str, ...]) -> tuple[str, ...]:
    """Home, every explainer, the timeline, the richest contract and organization, one embed, 404."""
    settings = config.settings
    key = ["index.html"] + [p for p in pages if p.startswith(settings.explainers_url)]
    key += [f"{page.url}index.html" for page in settings.pages if page.template == "timeline.html"]
    schema = load_site_data(config.src_dir, config.shown).schema
    for name in ("contracts", "organizations"):
        if name in schema and schema.collections[name].has_pages:
            prefix = schema.collections[name].url.split("{id}")[0]
            records = [p for p in pages if p.startswith(prefix) and p != f"{prefix}index.html"]
            key += [max(records, key=lambda p: ((out / p).stat().st_size, p))] if records else []
    key += [p for p in pages if p.startswith("embed/")][:1] + ["404.html"]
    return tuple(p for p in dict.fromkeys(key) if p in pages)



# Serving ------------------------------------------------------------------------------------------


@contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serve `folder` on 127.0.0.1 (a free port) from a thread; yields the base URL."""
    with serve_folder(folder) as origin:
        yield origin + "/"



# The browser --------------------------------------------------------------------------------------


@contextmanager
def open_page(browser, base: str, width: str = "desktop", theme: str = "light", **context_options) -> Iterator:
    """A page in a fresh context at a width and colour scheme; requests to other hosts are blocked."""
    phone = width == "phone"
    context = browser.new_context(viewport=WIDTHS[width], color_scheme=theme, is_mobile=phone, has_touch=phone,
                                  base_url=base, **context_options)
    try:
        yield context.new_page()
    finally:
        context.close()


# One visit: everything the page, chart and axe tests look at --------------------------------------


@dataclass
class Visit:
    """What one page did at one width and theme."""

    label: str
    console: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    charts: list[str] = field(default_factory=list)  # problems only
    charts_drawn: int = 0
    axe: list[str] = field(default_factory=list)  # critical and serious violations

    def load_problems(self) -> list[str]:
        return ([f"{self.label}: console error: {m}" for m in self.console]
                + [f"{self.label}: failed request: {m}" for m in self.failed]
                + [f"{self.label}: request to another host: {m}" for m in self.foreign])

    def chart_problems(self) -> list[str]:
        return [f"{self.label}: {m}" for m in self.charts]

    def axe_problems(self) -> list[str]:
        return [f"{self.label}: {m}" for m in self.axe]


def visit_page(browser, base: str, path: str, width: str = "desktop", theme: str = "light",
               run_axe: bool = True, screenshot: Optional[Path] = None) -> Visit:
    """Load one page, wake and measure every chart, run axe; return what went wrong."""
    url = base + url_of(path)
    result = Visit(f"/{url_of(path)} [{width}, {theme}]")
    with open_page(browser, base, width, theme) as page:
        watch(page, base, result)
        page.add_init_script(CATCH_CHART_ERRORS)
        response = page.goto(url, wait_until="load")
        if response is None or response.status >= 400:
            result.failed.append(f"{url} answered {response.status if response else 'nothing'}")
        check_charts(page, theme, result)
        if run_axe:
            result.axe = axe_violations(page)
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
    return result


def url_of(path: str) -> str:
    return path[: -len("index.html")] if path == "index.html" or path.endswith("/index.html") else path


def watch(page, base: str, result: Visit) -> None:
    """Record console errors, uncaught exceptions, failed requests; block and record other hosts."""
    origin = urlsplit(base).netloc

    def foreign(url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("http", "https", "ws", "wss") and parts.netloc != origin

    def refuse(route) -> None:
        result.foreign.append(route.request.url)
        route.abort()

    page.route(foreign, refuse)
    page.on("console", lambda m: result.console.append(f"{m.text} ({m.location.get('url', '')}:{m.location.get('lineNumber', '')})") if m.type == "error" else None)
    page.on("pageerror", lambda err: result.console.append(f"uncaught {err.name}: {err.message}"))
    page.on("requestfailed", lambda r: None if foreign(r.url) else result.failed.append(f"{r.url}: {r.failure}"))
    page.on("response", lambda r: result.failed.append(f"{r.url}: HTTP {r.status}") if r.status >= 400 else None)


def check_charts(page, theme: str, result: Visit) -> None:
    """Every chart: the static image loaded and visible; scrolled into view, the live chart draws."""
    figures = page.locator("figure.chart[data-spec]")
    for index in range(figures.count()):
        figure = figures.nth(index)
        name = figure.get_attribute("data-chart") or f"#{index + 1}"
        result.charts += static_problems(name, figure.evaluate(STATIC_IMAGE), theme)
        figure.scroll_into_view_if_needed()
        figure.hover()  # embeds wake their chart on a touch, hover or focus, not on view
        problem = live_problem(page, figure, name)
        if problem:
            result.charts.append(problem)
        else:
            result.charts_drawn += 1


def static_problems(name: str, image: Optional[dict], theme: str) -> list[str]:
    if image is None:
        return [f"chart '{name}': no static <img> in .chart-static"]
    problems = []
    if not image["complete"] or not image["naturalWidth"]:
        problems.append(f"chart '{name}': static image {image['currentSrc']} did not load (naturalWidth {image['naturalWidth']})")
    if not image["visible"]:
        problems.append(f"chart '{name}': static image is not visible without the interactive chart")
    if theme == "dark" and image["darkSrc"] and image["currentSrc"] != image["darkSrc"]:
        problems.append(f"chart '{name}': dark theme shows {image['currentSrc']}, not {image['darkSrc']}")
    return problems


def live_problem(page, figure, name: str) -> Optional[str]:
    """None if the interactive chart drew an svg or canvas of non-zero size, else why not."""
    handle = figure.element_handle()
    try:
        page.wait_for_function("(f) => ['done', 'failed'].includes(f.getAttribute('data-live'))", arg=handle, timeout=CHART_TIMEOUT_MS)
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError; the state says what happened
        pass
    live = figure.evaluate(LIVE_CHART)
    if live["state"] == "done" and live["width"] > 0 and live["height"] > 0:
        return None
    if live["state"] is None:
        return f"chart '{name}': the interactive chart never started after scrolling into view (site.js watchCharts)"
    why = "; ".join(live["errors"]) or "no error reached vegaEmbed (see console errors)"
    if live["state"] == "done":
        return f"chart '{name}': interactive chart drew nothing ({live['width']}x{live['height']} px)"
    return f"chart '{name}': the interactive chart failed (data-live={live['state']}): {why}"


def axe_violations(page) -> list[str]:
    """Critical and serious axe-core violations, one line each with where."""
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page).response
    found = []
    for violation in response["violations"]:
        if violation["impact"] not in ("critical", "serious"):
            continue
        for node in violation["nodes"][:5]:
            target = " ".join(str(t) for t in node["target"])
            summary = " ".join(node.get("failureSummary", "").split())
            found.append(f"axe {violation['impact']} {violation['id']}: {violation['help']}: {target}: {summary}")
        if len(violation["nodes"]) > 5:
            found.append(f"axe {violation['impact']} {violation['id']}: … and {len(violation['nodes']) - 5} more elements")
    return found


def screenshot_name(site: BuiltSite, path: str, width: str, theme: str) -> Optional[Path]:
    """Screenshots of the home page, the first explainer and the first embed page, at every variant."""
    kinds = {"index.html": "home", site.first(site.config.settings.explainers_url): "explainer", site.first("embed/"): "embed"}
    if path not in kinds:
        return None
    slug = url_of(path).strip("/").rpartition("/")[2]
    return SCREENSHOTS / f"{'-'.join(filter(None, (kinds[path], slug)))}-{width}-{theme}.png"
