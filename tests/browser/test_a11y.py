"""axe-core finds no critical or serious violation, in light and dark, on desktop and phone."""

from __future__ import annotations

import re

import pytest

from .browsing import CHART_TIMEOUT_MS, VARIANTS, axe_violations, open_page, url_of

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(("width", "theme"), VARIANTS, ids=[f"{w}-{t}" for w, t in VARIANTS])
def test_key_pages_have_no_serious_axe_violations(site, visit, width, theme):
    problems = [line for path in site.key_pages for line in visit(path, width, theme).axe_problems()]
    assert not problems, "\n".join(problems)


def test_other_pages_have_no_serious_axe_violations(site, visit):
    problems = [line for path in site.other_pages for line in visit(path).axe_problems()]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("kind", ["explainer", "embed"])
def test_a_chart_tooltip_is_readable_in_both_themes(site, browser, server, kind, theme):
    """Vega's own tooltip style has grey keys at 3.9:1 on white; the theme's colours must win.
    Measured directly: axe often files a tooltip over a chart as 'needs review'."""
    path = site.first(site.config.settings.explainers_url)
    if kind == "embed":  # the embed page of the explainer's first chart
        chart = re.search(r'data-chart="([^"]+)"', (site.folder / path).read_text()).group(1)
        path = f"embed/{chart}/index.html"
    with open_page(browser, server, "desktop", theme) as page:
        page.goto(server + url_of(path), wait_until="load")
        figure = page.locator("figure.chart[data-spec]").first
        figure.scroll_into_view_if_needed()
        figure.hover()
        page.wait_for_function("(f) => f.getAttribute('data-live') === 'done'", arg=figure.element_handle(), timeout=CHART_TIMEOUT_MS)
        figure.locator(".chart-live [aria-roledescription='bar'], .chart-live [aria-roledescription='symbol']").first.hover(force=True)
        page.wait_for_selector("#vg-tooltip-element.visible td.key")
        colours = page.evaluate(TOOLTIP_COLOURS)
    page_bg = parse_rgba(colours["page"])
    box = over(parse_rgba(colours["box"]), page_bg)
    for part in ("key", "value"):
        ratio = contrast(over(parse_rgba(colours[part]), box), box)
        assert ratio >= 4.5, f"{kind}, {theme}: tooltip {part} text {colours[part]} on {colours['box']}: {ratio:.2f}:1"


TOOLTIP_COLOURS = """() => {
  const style = (selector) => getComputedStyle(document.querySelector(selector));
  return {key: style('#vg-tooltip-element td.key').color, value: style('#vg-tooltip-element td.value').color,
          box: style('#vg-tooltip-element').backgroundColor, page: style('body').backgroundColor};
}"""


def parse_rgba(css: str) -> tuple[float, float, float, float]:
    numbers = [float(n) for n in re.findall(r"[\d.]+", css)]
    return (*numbers[:3], numbers[3] if len(numbers) > 3 else 1.0)


def over(colour: tuple, below: tuple) -> tuple:
    """`colour` composited over an opaque `below`."""
    alpha = colour[3]
    return (*(alpha * c + (1 - alpha) * b for c, b in zip(colour[:3], below[:3])), 1.0)


def contrast(one: tuple, other: tuple) -> float:
    """WCAG 2 contrast ratio of two opaque colours."""
    def luminance(colour: tuple) -> float:
        linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in colour[:3]]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
