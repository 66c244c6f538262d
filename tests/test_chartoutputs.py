"""One table names a chart's files (generator/chartoutputs.py): what a chart gets, what its
page offers and what the manifest lists all follow it, and a clash is found before drawing."""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest

from generator import render
from generator.build import build, model_site
from generator.cache import Cache
from generator.chartfiles import MAKERS, svg_size
from generator.chartoutputs import CHART_FILES, ChartPlan, plan_chart, plan_collisions
from generator.config import load_config
from generator.errors import BuildFailed
from support import REPO

CHART = "lane2-missions"  # the minimal site's chart, placed on explainers/lane2/
PAGE_AT_EMBED = """  - url: embed/lane2-missions/
    template: sources.html
    title: Clash
    description: A page at an embed's URL.
nav:"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from support import copy_site

    root = copy_site("minimal", tmp_path_factory.mktemp("project") / "site")
    build(load_config(root, root / "output"), Cache(None))
    return root / "output"


def downloads(html: str, chart_id: str) -> list[tuple[str, str, bool]]:
    """(href, text, has the download attribute) of each link in a chart's download list."""
    figure = html[html.index(f'id="chart-{chart_id}"'):]
    listed = figure[figure.index('<ul class="downloads">'):figure.index("</ul>")]
    return [(href, unescape(text), bool(download)) for href, download, text in re.findall(r'<a href="([^"]*)"( download)?>([^<]*)</a>', listed)]


def test_the_download_list_offers_every_labelled_file_the_chart_got_and_nothing_else(built):
    got = {path.name for path in (built / "embed" / CHART).iterdir()}
    offered = {(f"/embed/{CHART}/{f.name}".removesuffix("index.html"), f.label, f.role != "embed")
               for f in CHART_FILES if f.label and f.name in got}
    listed = downloads((built / "explainers/lane2/index.html").read_text(), CHART)
    assert sorted(listed) == sorted(offered) and len(listed) == len(offered)


def test_the_download_list_reads_as_a_person_expects(built):
    """Variants in brackets after their file, the JSON after the CSV, the PDF on its own line."""
    html = (built / "explainers/lane2/index.html").read_text()
    items = re.findall(r"<li>(.*?)</li>", html.split('<ul class="downloads">')[1].split("</ul>")[0])
    assert [re.sub(r"<[^>]+>", "", item) for item in items] == [
        "PNG (2x, dark)", "PNG for phones (2x, dark)", "SVG (dark)", "PDF for print", "Data (CSV), JSON", "Vega-Lite spec", "Embeddable page"]


def test_the_manifest_lists_every_file_every_chart_gets_and_each_exists(built):
    manifest = json.loads((built / "embed/charts.json").read_text())
    base = manifest["base_url"].rstrip("/") + "/"
    for entry in manifest["charts"]:
        assert sorted(entry["urls"]) == sorted(f.name for f in CHART_FILES if not f.optional)
        for name, url in entry["urls"].items():
            assert url == f"{base}embed/{entry['id']}/{name}" and (built / url.removeprefix(base)).is_file(), url


def test_a_chart_gets_every_file_of_the_table_but_the_optional_ones_it_has_no_drawing_for(built):
    got = {path.name for path in (built / "embed" / CHART).iterdir()}
    assert {f.name for f in CHART_FILES if not f.optional} <= got <= {f.name for f in CHART_FILES}
    assert "inline-medium.svg" in got and "chart-narrow.png" in got  # this chart has a narrow and a medium drawing


def test_the_pdf_is_the_light_export_drawing_with_our_fonts_and_the_same_bytes_every_build(make_site, built):
    """vl-convert writes a PDF's objects in a random order per process; each build draws in new ones."""
    pdf = (built / "embed" / CHART / "chart.pdf").read_bytes()
    root = make_site()
    build(load_config(root, root / "output"), Cache(None))
    assert (root / "output/embed" / CHART / "chart.pdf").read_bytes() == pdf
    width, height = svg_size((built / "embed" / CHART / "chart.svg").read_bytes())
    assert pdf.startswith(b"%PDF-1.") and pdf.rstrip().endswith(b"%%EOF")
    assert b"/MediaBox [0 0 %d %d]" % (width, height) in pdf
    assert b"ExplainerSans-Regular" in pdf and b"ExplainerSans-Bold" in pdf  # the title's and the text's faces, embedded


def test_every_row_is_one_file_made_by_a_known_maker_and_found_by_what_it_is():
    names = [f.name for f in CHART_FILES]
    assert len(names) == len(set(names))
    assert {f.maker for f in CHART_FILES if f.drawn} <= MAKERS.keys()
    labelled = {f.name for f in CHART_FILES if f.label}
    assert all(f.beside in labelled for f in CHART_FILES if f.beside)
    kinds = [(f.role, f.layout, f.theme, f.maker) for f in CHART_FILES]
    assert len(kinds) == len(set(kinds))
    plan = plan_chart("x", root="/sub/")
    assert plan.find("embed").url == "/sub/embed/x/" and plan.find("live", "wide", "light").url == "/sub/embed/x/chart.vl.json"


def test_site_js_finds_the_live_spec_of_the_drawing_shown_by_the_table_s_names():
    """site.js maps the <picture>'s chosen drawing to its live spec by name; the table keeps that mapping true."""
    script = (REPO / "generator/theme/assets/site.js").read_text()
    shown = re.compile(re.search(r"currentSrc && /(.*?)/\.exec", script).group(1).replace("\\/", "/"))
    plan = plan_chart("x")
    for drawing in (f for f in plan if f.role == "page"):
        layout_theme = shown.search(drawing.url).groups()
        live = plan.find("live", "wide", "light").url.replace(".vl.json", "".join(g or "" for g in layout_theme) + ".vl.json")
        assert live == plan.find("live", drawing.layout, drawing.theme).url, drawing.name


def test_a_page_over_a_chart_s_file_is_an_error_of_the_model_before_anything_is_drawn(make_site):
    root = make_site()
    settings = root / "site_src/site.yaml"
    settings.write_text(settings.read_text().replace("nav:", PAGE_AT_EMBED))
    with pytest.raises(BuildFailed) as failed:
        model_site(load_config(root, root / "output"), Cache(None))
    assert [p.format() for p in failed.value.problems] == [
        "site_src/site.yaml:17: error: 'embed/lane2-missions/index.html' would be written twice: by the embed of chart "
        "'lane2-missions' (site_src/charts/awards.py:6) and by the standalone page (site_src/site.yaml:17); move or remove one"]


def test_a_static_file_over_a_chart_s_file_fails_before_any_chart_is_drawn(make_site, monkeypatch):
    def drawn(*args, **kwargs):
        raise AssertionError("a chart was drawn")

    monkeypatch.setattr(render, "render_charts_files", drawn)
    root = make_site({"site_src/static/embed/lane2-missions/chart.pdf": b"%PDF-1.4 mine"})
    with pytest.raises(BuildFailed) as failed:
        build(load_config(root, root / "output"), Cache(None))
    assert [p.format() for p in failed.value.problems] == [
        "site_src/static/embed/lane2-missions/chart.pdf: error: 'embed/lane2-missions/chart.pdf' would be written twice: "
        "by chart 'lane2-missions' (site_src/charts/awards.py:6) and by the static file "
        "(site_src/static/embed/lane2-missions/chart.pdf); move or remove one"]


def test_two_charts_with_one_folder_clash_at_every_file_naming_both():
    first, second = plan_chart("a", "site_src/charts/a.py:1"), plan_chart("a", "site_src/charts/b.py:3")
    problems = [p.format() for p in plan_collisions([first, second], [])]
    assert len(problems) == len(CHART_FILES)
    assert problems[0] == ("site_src/charts/b.py:3: error: 'embed/a/inline.svg' would be written twice: by chart 'a' "
                           "(site_src/charts/a.py:1) and by chart 'a' (site_src/charts/b.py:3); move or remove one")
    assert isinstance(first.made([]), ChartPlan) and all(not f.optional for f in first.made([]))


def test_the_guide_lists_every_file_of_the_table_and_no_other():
    guide = (REPO / "docs/guide/embeds.md").read_text()
    section = guide[guide.index("## `embed/<chart-id>/`"):guide.index("## Snippets")]
    listed = set()
    for row in re.findall(r"^\| (.+?) \| ", section, re.M):
        names = re.findall(r"`([^`]+)`", row)
        listed |= {name for name in names if "." in name}
        if "(and `-dark`)" in row:  # "`chart-narrow.vl.json` … (and `-dark`)": each with its dark twin
            listed |= {name.replace(".vl.json", "-dark.vl.json") for name in names if name.endswith(".vl.json") and "-dark" not in name}
    assert listed == {f.name for f in CHART_FILES}


def test_a_template_asking_for_a_file_no_chart_gets_is_an_error_at_its_line(make_site):
    root = make_site({"templates/partials/chart.html": "<p>\n{{ chart.files.find('page', 'huge').url }}</p>\n"})
    with pytest.raises(BuildFailed) as failed:
        build(load_config(root, root / "output"), Cache(None))
    assert [p.format() for p in failed.value.problems] == [
        "templates/partials/chart.html:2: error: template: chart 'lane2-missions' has no file of role 'page', layout 'huge'"]
