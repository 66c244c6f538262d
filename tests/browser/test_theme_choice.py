"""The reader's light/dark choice, in Chromium at 360 and 1280 px, served with the build's own
headers (the CSP allows no inline script).

The masthead control switches the page's colours, the static chart pictures and the live chart,
and is remembered; the stored choice is on the page from its first frame; each static chart costs
one drawing, with JavaScript and without; an embed follows its host page; axe finds nothing
serious in either chosen theme.
"""

from __future__ import annotations

import functools
import json
import time
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from netlify_rules import NetlifyHandler, NetlifyHeaders
from support import REPO, copy_site, serve_http

from .browsing import CHART_TIMEOUT_MS, axe_violations

pytestmark = pytest.mark.browser

WIDTHS = (360, 1280)
EXPLAINER = "explainers/lane2/"
CHART = "lane2-missions"
LIGHT_BG, DARK_BG = "rgb(255, 255, 255)", "rgb(21, 24, 29)"  # site.css --bg

# The picture a reader sees in the chart's box (the live chart set aside while looking), once loaded
# (it loads lazily: the chart is scrolled into view first).
SHOWN_PICTURE = """
async (figure) => {
  figure.scrollIntoView();
  const live = figure.classList.contains("is-live");
  figure.classList.remove("is-live");
  const shown = [...figure.querySelectorAll(".chart-static")].filter((p) => getComputedStyle(p).display !== "none");
  const img = shown.length === 1 ? shown[0].querySelector("img") : null;
  if (img && !(img.complete && img.naturalWidth)) {
    await Promise.race([new Promise((done) => img.addEventListener("load", done, { once: true })), new Promise((done) => setTimeout(done, 10000))]);
  }
  if (live) figure.classList.add("is-live");
  return { count: shown.length, src: img ? img.currentSrc : null, loaded: !!(img && img.complete && img.naturalWidth) };
}
"""

# What the live chart drew with: its spec and the background Vega gave its SVG.
LIVE_CHART = """
(figure) => {
  const svg = figure.querySelector(".chart-live svg");
  return { spec: figure.querySelector(".chart-live").getAttribute("data-drawn"), background: svg ? getComputedStyle(svg).backgroundColor : null };
}
"""

# Every frame's page background, sampled in requestAnimationFrame (which runs before each paint),
# from before the document has any content.
SAMPLE_FRAMES = """
window.__frames = [];
(function sample() {
  const root = document.documentElement;
  if (root && document.body) window.__frames.push({ t: performance.now(), bg: getComputedStyle(root).backgroundColor });
  if (window.__frames.length < 120) requestAnimationFrame(sample);
})();
"""


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site("minimal", tmp_path_factory.mktemp("theme") / "project")
    build(load_config(root, root / "output"), Cache(None))
    return root / "output"


@pytest.fixture(scope="module")
def base(out: Path):
    handler = functools.partial(NetlifyHandler, directory=str(out), headers=NetlifyHeaders.of(out, REPO / "netlify.toml"))
    with serve_http(handler) as origin:
        yield origin


@pytest.fixture
def new_page(browser):
    contexts = []

    def make(width: int = 1280, system: str = "light", stored: str = None, **options):
        context = browser.new_context(viewport={"width": width, "height": 800}, color_scheme=system, **options)
        contexts.append(context)
        if stored:
            context.add_init_script(f"try {{ localStorage.setItem('explainer-theme', {json.dumps(stored)}); }} catch (e) {{}}")
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("pageerror", lambda err: pytest.fail(f"uncaught {err}"))
        return page

    yield make
    for context in contexts:
        context.close()


def wake(page, figure) -> None:
    figure.scroll_into_view_if_needed()
    figure.hover()
    page.wait_for_function("(f) => f.getAttribute('data-live') === 'done'", arg=figure.element_handle(), timeout=CHART_TIMEOUT_MS)


def background(page) -> str:
    return page.evaluate("getComputedStyle(document.documentElement).backgroundColor")


@pytest.mark.parametrize("width", WIDTHS)
def test_the_control_switches_colours_static_and_live_charts_and_survives_a_reload(new_page, base, width):
    page = new_page(width, system="light")
    page.goto(f"{base}/{EXPLAINER}", wait_until="load")
    control = page.locator("select#theme-choice")
    assert control.is_visible() and control.input_value() == "system"
    assert page.get_by_label("Colour theme").count() == 1
    box = control.bounding_box()
    assert 0 <= box["x"] and box["x"] + box["width"] <= width  # in the masthead, on screen
    figure = page.locator(f"figure.chart[data-chart='{CHART}']")
    assert background(page) == LIGHT_BG
    assert not figure.evaluate(SHOWN_PICTURE)["src"].endswith("-dark.svg")
    wake(page, figure)
    assert figure.evaluate(LIVE_CHART) == {"spec": f"/embed/{CHART}/chart{'-narrow' if width == 360 else ''}.vl.json", "background": LIGHT_BG}
    page.evaluate("document.addEventListener('explainer:theme', (e) => { window.__heard = e.detail; })")

    control.focus()  # a keyboard's way: the select takes arrows
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert control.input_value() == "dark"
    assert page.evaluate("document.documentElement.getAttribute('data-theme')") == "dark"
    assert background(page) == DARK_BG
    assert page.evaluate("window.__heard") == {"theme": "dark"}
    page.wait_for_function(f"(f) => getComputedStyle(f.querySelector('.chart-live svg')).backgroundColor === '{DARK_BG}'",
                           arg=figure.element_handle(), timeout=CHART_TIMEOUT_MS)
    assert figure.evaluate(LIVE_CHART)["spec"].endswith("-dark.vl.json")
    shown = figure.evaluate(SHOWN_PICTURE)
    assert shown["count"] == 1 and shown["loaded"] and shown["src"].endswith("-dark.svg")

    page.reload(wait_until="load")
    assert control.input_value() == "dark" and background(page) == DARK_BG
    shown = figure.evaluate(SHOWN_PICTURE)
    assert shown["loaded"] and shown["src"].endswith("-dark.svg")

    control.select_option("system")
    assert page.evaluate("document.documentElement.hasAttribute('data-theme')") is False
    assert background(page) == LIGHT_BG
    assert not figure.evaluate(SHOWN_PICTURE)["src"].endswith("-dark.svg")


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize(("system", "stored", "expected", "other"), [("light", "dark", DARK_BG, LIGHT_BG), ("dark", "light", LIGHT_BG, DARK_BG)])
def test_no_frame_is_painted_in_the_other_theme(new_page, base, width, system, stored, expected, other):
    """The head script is held back half a second: a script that did not block the first paint
    would let the system's theme show meanwhile."""
    page = new_page(width, system=system, stored=stored)
    page.add_init_script(SAMPLE_FRAMES)

    def slowly(route):
        time.sleep(0.5)
        route.continue_()

    page.route("**/theme-choice.*.js", slowly)
    page.goto(f"{base}/{EXPLAINER}", wait_until="load")
    page.wait_for_function("() => window.__frames.length >= 5")
    frames = page.evaluate("window.__frames")
    first_paint = page.evaluate("performance.getEntriesByName('first-paint')[0].startTime")
    assert frames[0]["t"] <= first_paint  # sampled from the first frame painted
    assert [f for f in frames if f["bg"] == other] == []
    assert frames[0]["bg"] == expected


def inline_drawings(requests: list[str]) -> list[str]:
    return sorted(url.rsplit("/", 1)[1] for url in requests if "/inline" in url and url.endswith(".svg"))


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_a_static_chart_costs_one_drawing_in_the_theme_shown(new_page, base, width, javascript):
    """With a choice against the system (JavaScript), or the system's theme (none): one drawing,
    never the other theme's too."""
    page = new_page(width, system="dark" if not javascript else "light", stored="dark" if javascript else None,
                    java_script_enabled=javascript)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{base}/{EXPLAINER}", wait_until="load")
    figure = page.locator(f"figure.chart[data-chart='{CHART}']")
    figure.scroll_into_view_if_needed()
    page.wait_for_function("(f) => [...f.querySelectorAll('.chart-static img')].some((i) => i.complete && i.naturalWidth > 0 && i.currentSrc.includes('/inline'))",
                           arg=figure.element_handle())
    page.wait_for_timeout(300)
    drawings = inline_drawings(requests)
    assert len(drawings) == 1 and drawings[0].endswith("-dark.svg"), drawings
    sizes = page.evaluate("performance.getEntriesByType('resource').filter((r) => /\\/inline[^/]*\\.svg$/.test(r.name)).map((r) => r.encodedBodySize)") if javascript else []
    assert all(size > 0 for size in sizes)


def test_an_embed_follows_its_host_page_and_its_url(new_page, base, out):
    snippet = json.loads((out / "embed" / CHART / "oembed.json").read_text())["html"]
    snippet = snippet.replace("https://example.org", base)
    assert base in snippet
    page = new_page(1280, system="dark")
    page.set_content(f"<!doctype html><html data-theme='light'><head></head><body><p>A host article.</p>{snippet}</body></html>", wait_until="load")
    iframe = page.locator("iframe[data-explainer-embed]")
    assert "theme=light" in iframe.get_attribute("src")  # the host's choice, before the embed's first paint
    frame = iframe.element_handle().content_frame()
    frame.wait_for_load_state("load")
    assert frame.evaluate("document.documentElement.getAttribute('data-theme')") == "light"
    assert frame.evaluate("getComputedStyle(document.documentElement).backgroundColor") == LIGHT_BG

    page.evaluate("document.documentElement.setAttribute('data-theme', 'dark')")
    frame.wait_for_function(f"() => getComputedStyle(document.documentElement).backgroundColor === '{DARK_BG}'")
    page.evaluate("document.documentElement.setAttribute('data-theme', 'light')")
    frame.wait_for_function(f"() => getComputedStyle(document.documentElement).backgroundColor === '{LIGHT_BG}'")
    page.evaluate("document.documentElement.removeAttribute('data-theme')")  # the host says nothing: the system's (dark)
    frame.wait_for_function("() => !document.documentElement.hasAttribute('data-theme')")
    assert frame.evaluate("getComputedStyle(document.documentElement).backgroundColor") == DARK_BG
    figure = frame.locator("figure.chart")
    assert figure.evaluate(SHOWN_PICTURE)["src"].endswith("-dark.svg")


@pytest.mark.parametrize(("system", "query", "expected"), [("dark", "", DARK_BG), ("light", "", LIGHT_BG), ("dark", "?theme=light", LIGHT_BG),
                                                           ("light", "?theme=dark", DARK_BG)])
def test_an_embed_alone_follows_the_system_or_its_theme_parameter(new_page, base, system, query, expected):
    page = new_page(1280, system=system, stored="light" if expected == DARK_BG else "dark")  # the site's stored choice is not the embed's
    page.goto(f"{base}/embed/{CHART}/{query}", wait_until="load")
    assert background(page) == expected
    shown = page.locator("figure.chart").evaluate(SHOWN_PICTURE)
    assert shown["count"] == 1 and shown["loaded"] and shown["src"].endswith("-dark.svg") == (expected == DARK_BG)


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("choice", ["light", "dark"])
def test_axe_finds_nothing_serious_in_either_chosen_theme(new_page, base, width, choice):
    page = new_page(width, system="dark" if choice == "light" else "light")
    problems = []
    for path in ("", EXPLAINER):
        page.goto(f"{base}/{path}", wait_until="load")
        page.locator("select#theme-choice").select_option(choice)
        assert background(page) == (LIGHT_BG if choice == "light" else DARK_BG)
        figure = page.locator("figure.chart[data-spec]")
        if figure.count():
            wake(page, figure.first)
        problems += [f"/{path} [{width}, {choice}]: {line}" for line in axe_violations(page)]
    assert not problems, "\n".join(problems)


def test_print_is_light_whatever_the_choice(new_page, base):
    page = new_page(1280, system="light", stored="dark")  # on screen, the dark picture replaces the system's
    page.goto(f"{base}/{EXPLAINER}", wait_until="load")
    page.emulate_media(media="print")
    assert background(page) == "rgb(255, 255, 255)"
    figure = page.locator(f"figure.chart[data-chart='{CHART}']")
    shown = figure.evaluate(SHOWN_PICTURE)
    assert shown["count"] == 1 and shown["loaded"] and shown["src"].endswith("/inline.svg")  # the light, wide drawing
