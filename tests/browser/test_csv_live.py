"""A chart drawn from a CSV file goes live under the site's own Content Security Policy.

The build used to inline the CSV as text; Vega parsed it in the browser with d3-dsv,
which builds rows with `new Function`, so `script-src 'self'` (no eval) stopped the
chart and it stayed a static image (review M4). The minimal site gets a chart whose
data is `static/years.csv`, is served with netlify.toml's headers, and Chromium wakes
the chart: it must draw, with no CSP violation and no console message about the policy.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from support import copy_site
from test_csp import page_under_csp, wake_charts

CSV_CHART = {
    "title": "Branches by year opened",
    "description": "Bar chart: the year each branch opened.",
    "usermeta": {"explainer": {"sources": ["wire-2025-04-04"]}},
    "data": {"url": "static/years.csv"},
    "mark": "bar",
    "encoding": {"x": {"field": "opened", "type": "quantitative"}, "y": {"field": "branch", "type": "nominal"},
                 "tooltip": [{"field": "branch"}, {"field": "opened", "type": "quantitative"}]},
}


@pytest.fixture(scope="module")
def csv_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_site("minimal", tmp_path_factory.mktemp("csv") / "project")
    (root / "site_src" / "static" / "years.csv").write_text("branch,opened\nCentral,1962\nRiverside,1988\n")
    (root / "site_src" / "charts" / "opening-years.vl.json").write_text(json.dumps(CSV_CHART, indent=1))
    explainer = root / "site_src" / "explainers" / "lane2.md"
    explainer.write_text(explainer.read_text() + "\n```chart opening-years\ncaption: When each branch opened.\n```\n")
    build(load_config(root, root / "output"), Cache(None))
    return root / "output"


def test_the_built_spec_holds_json_rows_not_csv_text(csv_site: Path) -> None:
    spec = json.loads((csv_site / "embed" / "opening-years" / "chart.vl.json").read_text())
    assert spec["data"]["values"] == [{"branch": "Central", "opened": "1962"}, {"branch": "Riverside", "opened": "1988"}]
    assert "format" not in spec["data"]


def test_a_csv_backed_chart_goes_live_under_the_csp(browser, csv_site: Path) -> None:
    with page_under_csp(browser, csv_site) as (page, base, problems):
        for path in ("explainers/lane2/", "embed/opening-years/"):
            response = page.goto(f"{base}/{path}", wait_until="load")
            policies = [h["value"] for h in response.headers_array() if h["name"].lower() == "content-security-policy"]
            assert any("script-src 'self'" in p and "unsafe-eval" not in p for p in policies), policies
            figures = page.locator("figure.chart[data-chart='opening-years']")
            assert figures.count() == 1
            wake_charts(page, page.main_frame, path, problems)
            problems += [f"{path}: {v}" for v in page.evaluate("window.__csp")]
    assert not problems, "\n".join(problems)
