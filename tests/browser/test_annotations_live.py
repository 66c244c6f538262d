"""Annotations as a reader sees them, at 360 and 1280 px: in the static image and in the live chart.

The minimal site gets an annotated chart (a note, a range and a line) and a crowded one whose
notes go to a numbered key on a phone. Served with netlify.toml's headers, each chart must show
every annotation, in the image the <picture> picked and in the live SVG that replaces it, with
its text at 11 px or more as shown, and no two annotation texts overlapping (boxes measured by
the browser: getBBox in the image's SVG, getBoundingClientRect in the live one).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from netlify_rules import NetlifyHandler, NetlifyHeaders
from support import REPO, copy_site, serve_http
from test_annotations import CROWDED, FLIGHTS, PY_CHART
from test_csp import real_site  # noqa: F401 - the real site, built once for this module
from test_csp import wake_charts

NOTES = {
    "flights": ["Third flight", "A long pause", "Goal for 2026"],
    "crowded": [f"Day {d}: the count that day was {c}, which is a long note" for d, c in [(1, 4), (2, 5), (3, 5), (4, 6), (5, 5), (6, 4)]],
}

# Every <text> of an SVG: its words (tspans joined), font size, and box in CSS px of the page.
TEXTS = """
(svg, scale) => Array.from(svg.querySelectorAll("text")).map((t) => {
  const r = t.getBoundingClientRect(), style = getComputedStyle(t);
  return { words: t.textContent, size: parseFloat(style.fontSize) * scale, bold: parseInt(style.fontWeight, 10) >= 600,
           box: [r.left, r.top, r.right, r.bottom] };
})
"""
# The image's own SVG, put in the page as it is (at 1:1) to measure its texts; their size as shown
# is scaled by the width the page gives the image.
STATIC_SVG = """
async (figure) => {
  const img = figure.querySelector(".chart-static img");
  const holder = document.createElement("div");
  holder.innerHTML = await (await fetch(img.currentSrc)).text();
  holder.style.position = "absolute"; holder.style.left = "0"; holder.style.top = "0";
  document.body.appendChild(holder);
  const svg = holder.querySelector("svg");
  const live = figure.classList.contains("is-live");
  figure.classList.remove("is-live");  // the image as a reader without JavaScript sees it (a live chart hides it)
  const scale = img.getBoundingClientRect().width / svg.getBoundingClientRect().width;
  if (live) figure.classList.add("is-live");
  const found = (TEXTS)(svg, scale);
  holder.remove();
  return found;
}
""".replace("TEXTS", TEXTS)


@pytest.fixture(scope="module")
def annotated_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site("minimal", tmp_path_factory.mktemp("notes") / "project")
    (root / "site_src/charts/flights.py").write_text(PY_CHART.format(rows=FLIGHTS))
    (root / "site_src/charts/crowded.py").write_text(CROWDED)
    explainer = root / "site_src/explainers/lane2.md"
    explainer.write_text(explainer.read_text() + "\n```chart flights\n```\n\n```chart crowded\n```\n")
    build(load_config(root, root / "output"), Cache(None))
    return root / "output"


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def annotation_problems(texts: list[dict], chart: str, where: str, notes: dict = NOTES) -> list[str]:
    """What is wrong with one drawing's annotation texts: a note missing, too small, or overlapping another."""
    wanted = {squeezed(note): note for note in notes[chart]}
    mine = [t for t in texts if squeezed(t["words"]) in wanted or (t["bold"] and re.fullmatch(r"[1-9]", t["words"].strip()))]  # notes, markers
    problems = [f"{where}: '{note}' is not drawn" for key, note in wanted.items() if key not in {squeezed(t["words"]) for t in mine}]
    problems += [f"{where}: '{t['words']}' is {t['size']:.1f} px" for t in mine if t["size"] < 11 - 0.05]
    for at, a in enumerate(mine):
        for b in mine[at + 1:]:
            if a["box"][0] < b["box"][2] - 0.5 and b["box"][0] < a["box"][2] - 0.5 and a["box"][1] < b["box"][3] - 0.5 and b["box"][1] < a["box"][3] - 0.5:
                problems.append(f"{where}: '{a['words']}' overlaps '{b['words']}'")
    return problems


@pytest.mark.parametrize("width", [360, 1280])
def test_every_annotation_shows_unhidden_and_apart_in_the_image_and_the_live_chart(browser, annotated_site: Path, width: int) -> None:
    problems = page_problems(browser, annotated_site, width, {"/explainers/lane2/": NOTES})
    assert not problems, "\n".join(problems)


# The story notes of the real site: the pause since New Glenn's pad explosion, the feud and the
# re-nomination on the 2025 timeline, Blue Origin's share waiting on certification.
STORY_NOTES = {
    "/explainers/new-glenn-explosion/": {"new-glenn-flights": ["No New Glenn launch since the pad explosion"]},
    "/explainers/politics-2025/": {"politics-2025": ["Trump–Musk feud: contracts threatened, then reviewed",
                                                      "Re-nominated as Trump called his relationship with Musk good again"]},
    "/explainers/lane2-awards/": {"lane2-vs-estimate": ["Blue Origin's share waits on New Glenn's certification"]},
}


@pytest.mark.parametrize("width", [360, 1280])
def test_the_real_sites_story_notes_show_unhidden_and_apart(browser, real_site: Path, width: int) -> None:  # noqa: F811
    problems = page_problems(browser, real_site, width, STORY_NOTES)
    assert not problems, "\n".join(problems)


def page_problems(browser, site: Path, width: int, pages: dict[str, dict[str, list[str]]]) -> list[str]:
    """Every chart's notes checked on its page, in the image and then in the live chart."""
    problems: list[str] = []
    handler = functools.partial(NetlifyHandler, directory=str(site), headers=NetlifyHeaders.of(site, REPO / "netlify.toml"))
    with serve_http(handler) as base:
        context = browser.new_context(viewport={"width": width, "height": 900}, is_mobile=width < 500, has_touch=width < 500)
        try:
            for path, notes in pages.items():
                page = context.new_page()
                page.goto(f"{base}{path}", wait_until="load")
                for chart in notes:
                    figure = page.locator(f"figure.chart[data-chart='{chart}']").first
                    figure.scroll_into_view_if_needed()
                    figure.evaluate("(f) => { f.querySelector('.chart-static img').loading = 'eager'; }")  # pictures load lazily
                    page.wait_for_function("(f) => { const i = f.querySelector('.chart-static img'); return i && i.complete && i.naturalWidth > 0; }",
                                           arg=figure.element_handle())
                    problems += annotation_problems(figure.evaluate(STATIC_SVG), chart, f"{width} px, image of '{chart}'", notes)
                wake_charts(page, page.main_frame, f"{width} px", problems)
                for chart in notes:
                    live = page.locator(f"figure.chart[data-chart='{chart}'] .chart-live svg").first
                    problems += annotation_problems(live.evaluate(f"(svg) => ({TEXTS})(svg, 1)"), chart, f"{width} px, live '{chart}'", notes)
                page.close()
        finally:
            context.close()
    return problems
