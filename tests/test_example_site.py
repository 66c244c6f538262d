"""The second example site (examples/transit): an unrelated schema builds and checks with the same generator."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from support import REPO

STORY = re.compile(r"spacex|blue origin|nasa|space force|starship|new glenn|contract|launch|mission|orbit", re.IGNORECASE)


@pytest.fixture(scope="module")
def transit(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("transit") / "site"
    shutil.copytree(REPO / "examples/transit", root)  # a copy: no .cache/ or output/ in the repository
    from click.testing import CliRunner
    from generator.cli import main

    runner = CliRunner()
    built = runner.invoke(main, ["build", "--root", str(root), "--strict"])
    assert built.exit_code == 0, built.stderr
    checked = runner.invoke(main, ["check", "--root", str(root)])
    assert checked.exit_code == 0, checked.stderr
    return root / "output"


def test_record_pages_come_from_the_site_s_own_declarations(transit):
    page = (transit / "routes/route-7/index.html").read_text()
    assert "<h1>Route 7: Hill Loop</h1>" in page and "3,100" in page


def test_figures_in_prose_are_read_from_the_data_and_link_to_their_source(transit):
    html = (transit / "explainers/harbour-line/index.html").read_text()
    assert re.search(r'<a class="figure" href="/sources/#rta-2025-report"[^>]*>9,400</a>', html)
    assert ">6,100 to 6,400</a>" in html  # a disputed count shows its range
    assert ">September 1, 2024</a>" in html


def test_downloads_search_and_embeds_cover_every_collection(transit):
    data_page = (transit / "data/index.html").read_text()
    for name in ("routes", "ridership", "service_changes", "stations", "sources"):
        assert f'href="/data/{name}.csv"' in data_page
    index = json.loads(next((transit / "search").glob("index.json")).read_text())
    kinds = {doc["k"] for doc in index["docs"]}
    assert {"Explainer", "Chart", "Route", "Service change"} <= kinds and "Ridership count" not in kinds
    assert index["boost"] == {"Explainer": 2, "Route": 1, "Station": 1}
    for chart in ("riders-by-route", "growth", "stations-map"):
        assert {"chart.png", "data.csv", "chart.vl.json", "index.html"} <= {p.name for p in (transit / "embed" / chart).iterdir()}


def test_the_stations_map_draws_the_districts_and_tables_the_stations(transit):
    svg = (transit / "embed/stations-map/inline.svg").read_text()
    assert svg.count('fill="#8a94a3" fill-opacity="0.25"') == 5 and svg.count('aria-roledescription="circle"') == 5  # districts, stations
    assert (transit / "embed/stations-map/data.csv").read_text().splitlines() == [
        "name,latitude,longitude", "Harbour Station,44.012,-68.985", "Main Street,44.04,-68.976", "Central Station,44.03,-68.952",
        "Hospital,44.051,-68.956", "Campus,44.048,-68.924"]
    assert "<dd>44.012° N, 68.985° W</dd>" in (transit / "stations/harbour-station/index.html").read_text()


def test_the_theme_settings_and_the_site_s_own_template_are_used(transit):
    home = (transit / "index.html").read_text()
    css = re.search(r'href="/(assets/theme\.[0-9a-f]{10}\.css)"', home)
    assert css and "#7a3e9d" in (transit / css.group(1)).read_text()
    for variant in ("chart", "chart-dark", "chart-narrow", "chart-narrow-dark"):
        assert '"#7a3e9d"' in (transit / f"embed/riders-by-route/{variant}.vl.json").read_text(), variant
    assert 'id="redesign-2024"' in (transit / "changes-list/index.html").read_text()


def test_no_page_mentions_the_other_story(transit):
    for page in transit.rglob("*.html"):
        assert not STORY.search(page.read_text()), page
