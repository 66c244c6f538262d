"""The checks catch what they are for: each test breaks the minimal site one way and watches a check fail."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .browsing import build_site, serve, visit_page
from generator.build import build, default_cache
from generator.check import check_outputs, read_outputs
from generator.config import load_config
from generator.errors import BuildFailed

pytestmark = pytest.mark.browser

EXPLAINER = "site_src/explainers/lane2.md"


def with_text(root: Path, relative: str, extra: str) -> None:
    path = root / relative
    path.write_text(path.read_text() + extra)


def check_messages(site) -> list[str]:
    return [p.format() for p in check_outputs(read_outputs(site.folder), site.config.settings.base_url)]


def test_a_broken_link_fails_the_check_and_the_strict_build(make_site):
    root = make_site()
    with_text(root, EXPLAINER, "\nRead [the sources](/sourcs/).\n")
    site = build_site(root, root / "output")
    assert any(m.startswith("explainers/lane2/index.html:") and m.endswith(
        "error: link '/sourcs/' does not resolve: no file 'sourcs/index.html' in the site (did you mean '/sources/'?)") for m in check_messages(site))
    config = load_config(root, root / "strict-output")
    with pytest.raises(BuildFailed) as failed:
        build(config, default_cache(config), strict=True)
    assert "link '/sourcs/' does not resolve" in str(failed.value)
    assert not (root / "strict-output").exists()


def test_missing_alt_text_fails_the_check_and_axe(make_site, browser):
    root = make_site()
    with_text(root, EXPLAINER, '\nThe logo: ![](/favicon.svg)\n\n<img src="/favicon.svg" width="32" height="32">\n')
    site = build_site(root, root / "output")
    alt = [m for m in check_messages(site) if m.endswith("error: image '/favicon.svg' has no alt text")]
    assert len(alt) == 2 and all(m.startswith("explainers/lane2/index.html:") for m in alt)
    with serve(site.folder) as base:
        visit = visit_page(browser, base, "explainers/lane2/index.html")
    assert any("axe critical image-alt" in line for line in visit.axe_problems()), visit.axe_problems()


def test_a_request_to_another_host_fails_the_check_and_the_load_check(make_site, browser):
    root = make_site()
    with_text(root, EXPLAINER, '\n![A photo](https://cdn.example.net/photo.png)\n')
    site = build_site(root, root / "output")
    foreign = [m for m in check_messages(site) if "another host" in m]
    assert len(foreign) == 1 and foreign[0].startswith("explainers/lane2/index.html:") and foreign[0].endswith(
        "error: image 'https://cdn.example.net/photo.png' loads from another host (cdn.example.net); serve it from the site")
    with serve(site.folder) as base:
        visit = visit_page(browser, base, "explainers/lane2/index.html", run_axe=False)
    assert "/explainers/lane2/ [desktop, light]: request to another host: https://cdn.example.net/photo.png" in visit.load_problems()


def test_a_colour_contrast_failure_fails_axe(make_site, browser):
    root = make_site()
    (root / "templates/assets").mkdir(parents=True, exist_ok=True)
    (root / "templates/assets/custom.css").write_text(".dek { color: #c4c4c4; }\n")  # added on top of the theme's stylesheet
    site = build_site(root, root / "output")
    with serve(site.folder) as base:
        visit = visit_page(browser, base, "explainers/lane2/index.html")
    contrast = [line for line in visit.axe_problems() if "color-contrast" in line]
    assert any(".dek" in line for line in contrast), visit.axe_problems()
    assert all(line.startswith("/explainers/lane2/ [desktop, light]: axe serious color-contrast: ") for line in contrast)


def test_an_interactive_chart_that_throws_fails_the_chart_check(make_site, browser):
    root = make_site()
    site = build_site(root, root / "output")
    spec = site.folder / "embed/lane2-missions/chart.vl.json"
    spec.write_text(json.dumps({"mark": "no-such-mark", "data": {"values": [{"a": 1}]}}))
    with serve(site.folder) as base:
        visit = visit_page(browser, base, "explainers/lane2/index.html", run_axe=False)
    problems = visit.chart_problems()
    assert len(problems) == 1, problems
    prefix = "/explainers/lane2/ [desktop, light]: chart 'lane2-missions': the interactive chart failed (data-live=failed): "
    assert problems[0].startswith(prefix) and "Error: " in problems[0], problems[0]  # the error vegaEmbed threw, and where


def test_a_chart_whose_static_image_is_broken_fails_the_chart_check(make_site, browser):
    root = make_site()
    site = build_site(root, root / "output")
    (site.folder / "embed/lane2-missions/inline-dark.svg").write_text("not an image")
    with serve(site.folder) as base:
        visit = visit_page(browser, base, "explainers/lane2/index.html", theme="dark", run_axe=False)
    assert visit.chart_problems() == [
        f"/explainers/lane2/ [desktop, dark]: chart 'lane2-missions': static image {base}embed/lane2-missions/inline-dark.svg did not load (naturalWidth 0)"]


def test_a_chart_function_that_throws_fails_the_build_at_its_line(make_site):
    chart = (Path(__file__).parents[1] / "sites/minimal/site_src/charts/awards.py").read_text()
    root = make_site({"site_src/charts/awards.py": chart.replace("    rows = [", "    raise KeyError('year')\n    rows = [")})
    config = load_config(root)
    with pytest.raises(BuildFailed) as failed:
        build(config, default_cache(config, enabled=False))
    assert [p.format() for p in failed.value.problems] == [
        "site_src/charts/awards.py:10: error: chart 'lane2-missions' failed: KeyError: 'year'"]
