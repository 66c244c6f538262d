"""Maps in Chromium at a phone's and a desktop's width, with JavaScript off: the static SVG a
reader gets draws its regions (paths of real size) and the data table under it lists the
regions or places.

The starter (a choropleth of states) and the transit example (a locator map of stations on the
city's own districts) are built once and served with the build's own headers.
"""

from __future__ import annotations

import functools
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from netlify_rules import NetlifyHandler, NetlifyHeaders
from support import REPO, serve_http

WIDTHS = (360, 1280)
# How many shapes and their first rows, per map: (site, page, chart id, regions drawn, first table rows)
MAPS = {
    "starter": ("explainers/welcome/", "loans-by-state", 51, [["Alabama", "No loans"], ["Alaska", "No loans"]]),
    "transit": ("explainers/harbour-line/", "stations-map", 5, [["Harbour Station", "44.012", "-68.985"], ["Main Street", "44.04", "-68.976"]]),
}


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    runner = CliRunner()
    starter = tmp_path_factory.mktemp("starter") / "site"
    assert runner.invoke(main, ["new", "site", str(starter)]).exit_code == 0
    transit = tmp_path_factory.mktemp("transit") / "site"
    shutil.copytree(REPO / "examples/transit", transit)
    for root in (starter, transit):
        built = runner.invoke(main, ["build", "--root", str(root), "--strict"])
        assert built.exit_code == 0, built.stderr
    return {"starter": starter / "output", "transit": transit / "output"}


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("name", sorted(MAPS))
def test_a_map_s_static_svg_draws_its_shapes_and_its_table_lists_them(browser, sites, name, width):
    path, chart_id, shapes, first_rows = MAPS[name]
    out = sites[name]
    handler = functools.partial(NetlifyHandler, directory=str(out), headers=NetlifyHeaders.of(out, REPO / "netlify.toml"))
    with serve_http(handler) as base:
        context = browser.new_context(viewport={"width": width, "height": 900}, java_script_enabled=False)  # no JavaScript needed to see it
        try:
            page = context.new_page()
            page.goto(f"{base}/{path}", wait_until="load")
            image = page.locator(f"#chart-{chart_id} .chart-body img").first
            page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=image.element_handle())
            box = image.bounding_box()
            assert box["width"] > 0.8 * min(width - 40, 640) and box["height"] > 150
            assert box["x"] >= 0 and box["x"] + box["width"] <= width  # fits the screen
            page.locator(f"#chart-{chart_id} details.chart-table summary").click()
            rows = page.locator(f"#chart-{chart_id} details.chart-table table").first.locator("tbody tr")  # the data (the notes follow)
            assert rows.count() == shapes
            assert [rows.nth(i).locator("td").all_inner_texts() for i in range(2)] == first_rows
            source = image.evaluate("img => img.currentSrc")
            page.goto(source, wait_until="load")
            sizes = page.evaluate("""() => [...document.querySelectorAll('path[d]:not(.background)')]
                .filter(p => (p.getAttribute('d').match(/L/g) || []).length >= 3).map(p => { const b = p.getBBox(); return [b.width, b.height]; })""")
            drawn = [size for size in sizes if size[0] > 0.5 and size[1] > 0.5]
            assert len(drawn) >= shapes * 0.9, (source, len(drawn))  # regions are polygons (dots and legend symbols are not)
        finally:
            context.close()


@pytest.mark.parametrize("name", sorted(MAPS))
def test_a_map_goes_live_under_the_csp(browser, sites, name):
    """The live spec carries the geometry inline: Vega reads it with no request out and no eval."""
    from test_csp import page_under_csp, wake_charts

    path, chart_id, _, _ = MAPS[name]
    requests: list[str] = []
    with page_under_csp(browser, sites[name]) as (page, base, problems):
        page.on("request", lambda request: requests.append(request.url))
        page.goto(f"{base}/{path}", wait_until="load")
        assert wake_charts(page, page.main_frame, path, problems) >= 1
        problems += page.evaluate("window.__csp")
        live = page.locator(f"#chart-{chart_id} .chart-live svg path")
        assert live.count() >= MAPS[name][2]
    assert not problems, "\n".join(problems)
    assert all(url.startswith(base) for url in requests), [url for url in requests if not url.startswith(base)]
