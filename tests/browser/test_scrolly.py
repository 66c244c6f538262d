"""The starter's scrolly block in Chromium at a phone's and a desktop's width, served with the
site's own headers (its Content Security Policy included).

With JavaScript, scrolling a step to the middle of the viewport puts its picture in the sticky
graphic; without it, and in print, every step's figure and text are on the page; reduced
motion cuts instead of fading; axe finds nothing serious in the block.
"""

from __future__ import annotations

import functools
import subprocess
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pytest
from click.testing import CliRunner

from generator.cli import main
from netlify_rules import NetlifyHandler, NetlifyHeaders
from support import REPO, serve_http


WIDTHS = (360, 1280)
PAGE = "explainers/welcome/"
STEPS = 4  # the starter's block (generator/starter/site_src/explainers/welcome.md)
# The chart each step shows, as the folder of its drawings, and words of its text.
STEP_CHARTS = ("/embed/branch-visits/", "/charts/branch-visits/steps/", "/embed/opening-years/", "/charts/opening-years/steps/")
STEP_WORDS = ("Three branches, one chart", "Central Library alone counted", "It is also the oldest", "Hilltop Branch, the newest")

FRAMES = """(block) => [...block.querySelectorAll('.scrolly-frame')].map((frame) => {
  const img = frame.querySelector('img');
  return { current: frame.classList.contains('is-current'), opacity: +getComputedStyle(frame).opacity,
           src: img ? img.currentSrc : '', loaded: !!img && img.complete && img.naturalWidth > 0 };
})"""
FIGURES = """(block) => [...block.querySelectorAll('.scrolly-step')].map((step) => {
  const img = step.querySelector('.scrolly-figure img'), box = img ? img.getBoundingClientRect() : null;
  const text = step.querySelector('.scrolly-text'), textBox = text.getBoundingClientRect();
  return { src: img ? img.currentSrc : '', alt: img ? img.alt : '', loaded: !!img && img.complete && img.naturalWidth > 0,
           shown: !!box && box.width > 100 && box.height > 40 && getComputedStyle(img).visibility === 'visible',
           text: text.innerText, textShown: textBox.height > 10 };
})"""
TO_MIDDLE = "(step) => { const r = step.getBoundingClientRect(); window.scrollBy(0, r.top + r.height / 2 - innerHeight / 2); }"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The starter site, built strict and served with the headers netlify.toml gives it."""
    root = tmp_path_factory.mktemp("starter") / "site"
    runner = CliRunner()
    assert runner.invoke(main, ["new", "site", str(root)]).exit_code == 0
    built = runner.invoke(main, ["build", "--root", str(root), "--strict"])
    assert built.exit_code == 0, built.stderr
    out = root / "output"
    handler = functools.partial(NetlifyHandler, directory=str(out), headers=NetlifyHeaders.of(out, REPO / "netlify.toml"))
    with serve_http(handler) as origin:
        yield origin


@contextmanager
def opened(browser, base: str, width: int, **options) -> Iterator:
    context = browser.new_context(viewport={"width": width, "height": 800}, is_mobile=width < 400, has_touch=width < 400, **options)
    try:
        page = context.new_page()
        problems: list[str] = []
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda err: problems.append(str(err)))
        page.goto(f"{base}/{PAGE}", wait_until="load")
        yield page
        assert not problems, problems  # a CSP refusal or a script error shows here
    finally:
        context.close()


def block_of(page):
    return page.locator("section.scrolly").first


@pytest.mark.parametrize("width", WIDTHS)
def test_scrolling_through_the_block_changes_the_graphic_at_each_step(browser, base, width):
    with opened(browser, base, width) as page:
        block = block_of(page)
        page.wait_for_function("b => b.classList.contains('is-enhanced')", arg=block.element_handle())
        graphic = block.locator(".scrolly-graphic")
        assert graphic.get_attribute("aria-hidden") == "true"
        steps = block.locator(".scrolly-step")
        assert steps.count() == STEPS
        shown = []
        for index in range(STEPS):
            steps.nth(index).evaluate(TO_MIDDLE)
            page.wait_for_function(f"b => b.dataset.current === '{index + 1}'", arg=block.element_handle())
            page.wait_for_timeout(500)  # the cross-fade
            frames = block.evaluate(FRAMES)
            current = [frame for frame in frames if frame["current"]]
            assert len(current) == 1 and current[0]["opacity"] == 1 and current[0]["loaded"], frames
            assert all(frame["opacity"] == 0 for frame in frames if not frame["current"]), frames
            assert STEP_CHARTS[index] in current[0]["src"], (index, current[0]["src"])
            graphic_box, step_box = graphic.bounding_box(), steps.nth(index).bounding_box()
            assert 0 <= graphic_box["y"] and graphic_box["y"] + 40 < 800, graphic_box  # stuck in view
            assert graphic_box["x"] >= 0 and graphic_box["x"] + graphic_box["width"] <= width
            if width >= 1024:  # side by side
                assert graphic_box["x"] + graphic_box["width"] <= step_box["x"], (graphic_box, step_box)
            shown.append(current[0]["src"])
        assert len(set(shown)) == STEPS, shown  # every step drew a different state
        # Scrolling back up shows the earlier step again.
        steps.nth(0).evaluate(TO_MIDDLE)
        page.wait_for_function("b => b.dataset.current === '1'", arg=block.element_handle())


@pytest.mark.parametrize("width", WIDTHS)
def test_without_javascript_every_step_s_figure_and_text_are_on_the_page(browser, base, width):
    with opened(browser, base, width, java_script_enabled=False) as page:
        block = block_of(page)
        block.scroll_into_view_if_needed()
        page.wait_for_function("b => [...b.querySelectorAll('.scrolly-figure img')].every(i => i.complete)", arg=block.element_handle())
        assert not block.locator(".scrolly-graphic").is_visible()
        figures = block.evaluate(FIGURES)
        assert len(figures) == STEPS
        for index, figure in enumerate(figures):
            assert figure["loaded"] and figure["shown"] and figure["textShown"], (index, figure)
            assert STEP_CHARTS[index] in figure["src"], (index, figure["src"])
            assert STEP_WORDS[index] in figure["text"], (index, figure["text"])
        assert "Central Library highlighted" in figures[1]["alt"] and figures[1]["alt"].startswith("Bar chart:")
        if width < 400:
            assert all("-narrow" in figure["src"] for figure in figures), [figure["src"] for figure in figures]


@pytest.mark.parametrize("width", WIDTHS)
def test_reduced_motion_cuts_between_steps(browser, base, width):
    durations = {}
    for motion in ("no-preference", "reduce"):
        with opened(browser, base, width, reduced_motion=motion) as page:
            frame = block_of(page).locator(".scrolly-frame").first
            frame.wait_for(state="attached")
            durations[motion] = frame.evaluate("f => getComputedStyle(f).transitionDuration")
    assert durations == {"no-preference": "0.4s", "reduce": "0s"}


def test_print_shows_every_step_s_figure(browser, base, tmp_path):
    with opened(browser, base, 1280) as page:
        block = block_of(page)
        page.wait_for_function("b => b.classList.contains('is-enhanced')", arg=block.element_handle())
        page.emulate_media(media="print")
        assert not block.locator(".scrolly-graphic").is_visible()
        figures = block.evaluate(FIGURES)
        assert [figure["loaded"] and figure["shown"] for figure in figures] == [True] * STEPS, figures
        pdf = tmp_path / "printed.pdf"
        pdf.write_bytes(page.pdf())
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    # Each step's figure prints before its text: the chart's own labels stand between one step's words and the next.
    starts = [text.index(words) for words in STEP_WORDS]
    assert starts == sorted(starts)
    previous = text.index("One chart, step by step")
    for start, label in zip(starts, ("Hilltop Branch", "Hilltop Branch", "Year opened", "Year opened")):
        assert label in text[previous:start], (label, text[previous:start])
        previous = start


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("scheme", ("light", "dark"))
def test_axe_finds_nothing_serious_in_the_block(browser, base, width, scheme):
    for javascript in (True, False):
        with opened(browser, base, width, color_scheme=scheme, java_script_enabled=javascript) as page:
            block = block_of(page)
            block.locator(".scrolly-step").nth(1).evaluate(TO_MIDDLE)
            page.wait_for_timeout(600)
            found = serious_in_block(page)
            assert not found, "\n".join(found)


def serious_in_block(page) -> list[str]:
    """Critical and serious axe-core violations inside the scrolly block, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    response = Axe().run(page, context="section.scrolly").response
    return [f"axe {v['impact']} {v['id']}: {v['help']}: {' '.join(map(str, node['target']))}"
            for v in response["violations"] if v["impact"] in ("critical", "serious") for node in v["nodes"]]
