"""generator/check.py: every rule on tiny hand-made outputs, the CLI command, the --strict hook."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.build import build, default_cache
from generator.check import check_outputs, check_site, read_outputs, scan_page, srcset_urls
from generator.config import load_config

BASE = "https://example.org/"
HEAD = '<title>T</title><meta name="description" content="D">'
CHART = ('<figure class="chart" data-chart="c1">\n'
         '<img src="/c1.svg" alt="Bars">\n'
         '<p class="chart-desc">{desc}</p>\n'
         '<p class="chart-source">Sources: {source}.</p>\n'
         '</figure>')


def page(body: str = "", head: str = HEAD, html: str = '<html lang="en">') -> bytes:
    """A page whose body starts on line 5."""
    return f"<!doctype html>\n{html}\n<head>{head}</head>\n<body>\n{body}\n</body>\n</html>\n".encode()


def problems(outputs: dict[str, bytes], base_url: str = BASE) -> list[str]:
    return [p.format() for p in check_outputs(outputs, base_url, "output/")]


def site(body: str, **more: bytes) -> dict[str, bytes]:
    """A tiny site: index.html with `body`, a second page, a stylesheet, an image."""
    return {
        "index.html": page(body),
        "about/index.html": page('<h2 id="team">Team</h2>'),
        "assets/site.css": b"body { color: black }\n",
        "logo.svg": b"<svg xmlns='http://www.w3.org/2000/svg'/>",
        **more,
    }


def test_a_clean_site_has_no_problems():
    body = ('<a href="#top">Top</a> <a href="/about/">About</a> <a href="about/#team">Team</a> <a href="/about">no slash</a>\n'
            '<a href="https://other.example.com/report">outbound</a> <a href="mailto:desk@example.org">mail</a>\n'
            '<img src="/logo.svg" alt="Logo"> <img src="logo.svg" alt="" role="presentation">\n'
            '<link rel="stylesheet" href="/assets/site.css"><link rel="canonical" href="https://example.org/about/">\n'
            '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" alt="dot"> <p id="here"><a href="#here">here</a></p>\n'
            + CHART.format(desc="Bar chart of things.", source='<a href="https://news.example.com/a">News</a>'))
    assert problems(site(body, **{"c1.svg": b"<svg/>"})) == []


def test_broken_internal_links():
    body = '<a href="/abuot/">About</a>\n<a href="../nowhere.html">x</a>'
    assert problems(site(body)) == [
        "output/index.html:5:4: error: link '/abuot/' does not resolve: no file 'abuot/index.html' in the site (did you mean '/about/'?)",
        "output/index.html:6:4: error: link '../nowhere.html' does not resolve: no file 'nowhere.html' in the site",
    ]


def test_relative_links_resolve_from_the_page_url():
    outputs = site("", **{"about/index.html": page('<a href="../logo.svg">logo</a> <a href="team/">team</a>')})
    assert problems(outputs) == [
        "output/about/index.html:5:35: error: link 'team/' does not resolve: no file 'about/team/index.html' in the site",
    ]


def test_missing_anchor_on_the_same_page_and_on_another_page():
    body = '<h2 id="intro">Intro</h2>\n<a href="#intor">x</a> <a href="/about/#taem">y</a>'
    assert problems(site(body)) == [
        "output/index.html:6:4: error: link '#intor' points to no element on this page (did you mean '#intro'?)",
        "output/index.html:6:27: error: link '/about/#taem': about/index.html has no element with id 'taem' (did you mean '#team'?)",
    ]


def test_missing_image_script_stylesheet_and_chart_spec():
    body = ('<img src="/missing.png" alt="x">\n<script src="/assets/app.js"></script>\n'
            '<link rel="stylesheet" href="/assets/style.css">\n<figure data-spec="/embed/c1/chart.vl.json"></figure>')
    assert problems(site(body)) == [
        "output/index.html:5:6: error: image '/missing.png' does not resolve: no file 'missing.png' in the site",
        "output/index.html:6:9: error: script '/assets/app.js' does not resolve: no file 'assets/app.js' in the site",
        "output/index.html:7:24: error: stylesheet '/assets/style.css' does not resolve: no file 'assets/style.css' in the site (did you mean '/assets/site.css'?)",
        "output/index.html:8:9: error: chart spec '/embed/c1/chart.vl.json' does not resolve: no file 'embed/c1/chart.vl.json' in the site",
    ]


def test_srcset_candidates_are_each_checked():
    body = '<picture><source srcset="/dark.svg" media="(prefers-color-scheme: dark)"><img src="/logo.svg" srcset="/logo.svg 1x, /logo@2x.svg 2x" alt="L"></picture>'
    assert problems(site(body)) == [
        "output/index.html:5:18: error: image '/dark.svg' does not resolve: no file 'dark.svg' in the site",
        "output/index.html:5:95: error: image '/logo@2x.svg' does not resolve: no file 'logo@2x.svg' in the site (did you mean '/logo.svg'?)",
    ]
    assert srcset_urls("a.png 1x, b.png 2x,c,d.png, e.png,f.png 100w") == ["a.png", "b.png", "c,d.png", "e.png,f.png"]


def test_chart_without_description_or_source():
    body = CHART.format(desc=" ", source="none")
    assert problems(site(body, **{"c1.svg": b"<svg/>"})) == [
        "output/index.html:5:1: error: chart 'c1' has no description",
        "output/index.html:5:1: error: chart 'c1' names no source",
    ]


def test_image_without_alt_text():
    body = '<img src="/logo.svg">\n<img src="/logo.svg" alt=" ">\n<img src="/logo.svg" alt="" aria-hidden="true">'
    assert problems(site(body)) == [
        "output/index.html:5:1: error: image '/logo.svg' has no alt text",
        "output/index.html:6:22: error: image '/logo.svg' has no alt text",
    ]


def test_references_to_another_host():
    body = ('<img src="https://cdn.example.net/a.png" alt="a">\n'
            '<img src="/logo.svg" srcset="//cdn.example.net/b.png 2x" alt="b">\n'
            '<script src="https://cdn.example.net/vega.js"></script>\n'
            '<link rel="stylesheet" href="https://fonts.example.net/css">\n'
            '<div style="background: url(https://img.example.net/bg.png)">x</div>\n'
            '<style>\n.hero { background: url("https://img.example.net/hero.png") }\n</style>\n'
            '<a href="https://cdn.example.net/a.png">a link is fine</a>')
    assert problems(site(body)) == [
        "output/index.html:5:6: error: image 'https://cdn.example.net/a.png' loads from another host (cdn.example.net); serve it from the site",
        "output/index.html:6:22: error: image '//cdn.example.net/b.png' loads from another host (cdn.example.net); serve it from the site",
        "output/index.html:7:9: error: script 'https://cdn.example.net/vega.js' loads from another host (cdn.example.net); serve it from the site",
        "output/index.html:8:24: error: stylesheet 'https://fonts.example.net/css' loads from another host (fonts.example.net); serve it from the site",
        "output/index.html:9:25: error: CSS url() 'https://img.example.net/bg.png' loads from another host (img.example.net); serve it from the site",
        "output/index.html:11:21: error: CSS url() 'https://img.example.net/hero.png' loads from another host (img.example.net); serve it from the site",
    ]


def test_css_files_url_and_import():
    css = (b"/* url(https://ignored.example.net/in-a-comment.png) */\n"
           b"@import 'https://fonts.example.net/font.css';\n"
           b".a { background: url(../logo.svg) }\n"
           b".b { background: url('../missing.png') }\n")
    assert problems(site("", **{"assets/site.css": css})) == [
        "output/assets/site.css:2:1: error: CSS url() 'https://fonts.example.net/font.css' loads from another host (fonts.example.net); serve it from the site",
        "output/assets/site.css:4:18: error: CSS url() '../missing.png' does not resolve: no file 'missing.png' in the site",
    ]


def test_page_without_title_description_or_lang():
    outputs = {
        "index.html": page("", head="<title> </title>", html="<html>"),
        "a.html": page("", head='<meta name="description" content="">', html='<html lang="">'),
    }
    assert problems(outputs) == [
        "output/a.html:2:1: error: page has no lang attribute on <html>",
        "output/a.html:3:1: error: page has no <title>",
        "output/a.html:3:1: error: page has no meta description",
        "output/index.html:2:1: error: page has no lang attribute on <html>",
        "output/index.html:3:1: error: page has no <title>",
        "output/index.html:3:1: error: page has no meta description",
    ]


def test_a_site_under_a_sub_path():
    body = '<a href="/orbit/about/">ok</a> <a href="/about/">outside</a> <a href="https://example.org/orbit/nope/">nope</a>'
    assert problems(site(body), "https://example.org/orbit/") == [
        "output/index.html:5:35: error: link '/about/' does not resolve: it leaves the site root '/orbit/'",
        "output/index.html:5:65: error: link 'https://example.org/orbit/nope/' does not resolve: no file 'nope/index.html' in the site",
    ]


def test_positions_inside_a_tag_spanning_lines():
    body = '<img\n  class="x"\n  src="/gone.png" alt="x">'
    assert problems(site(body)) == ["output/index.html:7:3: error: image '/gone.png' does not resolve: no file 'gone.png' in the site"]


def test_nested_figures_and_self_closed_tags_keep_the_chart_parse_right():
    body = ('<figure class="chart" data-chart="c1"><figure><p/></figure>\n'
            '<p class="chart-desc">Described <b>well</b>.</p><p class="chart-source"><span><a href="/about/">ours</a></span></p></figure>')
    scan = scan_page(page(body).decode())
    assert [(c.chart_id, c.description, c.source_links) for c in scan.charts] == [("c1", "Described well.", 1)]


# Sources: records and charts ------------------------------------------------------------------


def test_check_reports_a_record_citing_an_unknown_source(make_site):
    contracts = (Path(__file__).parent / "sites/minimal/site_src/data/contracts.csv").read_text()
    root = make_site({"site_src/data/contracts.csv": contracts.replace("wire-2025-04-04;daily", "wire-2025-04-04;dialy")})
    found, _ = check_site(load_config(root), default_cache(load_config(root), enabled=False))
    assert [p.format() for p in found] == [
        "site_src/data/contracts.csv:3:13: error: 'lane2-blue-origin' field 'sources': unknown source 'dialy-2025-04-07' (did you mean 'daily-2025-04-07'?)",
        "output: error: no built site here: run `explainer build` first",
    ]


def test_check_reports_a_chart_without_description_or_source(make_site):
    chart = (Path(__file__).parent / "sites/minimal/site_src/charts/awards.py").read_text()
    chart = re.sub(r'description="[^"]*"', 'description=" "', chart)
    root = make_site({"site_src/charts/awards.py": re.sub(r"sources=\[[^]]*\]", "sources=[]", chart)})
    found, _ = check_site(load_config(root), default_cache(load_config(root), enabled=False))
    assert [p.format() for p in found][:2] == [
        "site_src/charts/awards.py:6: error: chart 'lane2-missions' has no description",
        "site_src/charts/awards.py:6: error: chart 'lane2-missions' names no source",
    ]


# The command and the build hook ---------------------------------------------------------------

# The templates link to these pages from every site; the minimal site declares only two of them.
COMPLETE_PAGES = """
  - {url: contracts/, template: contracts.html, title: Contracts, description: Every contract.}
  - {url: launches/, template: launches.html, title: Launches, description: Every launch.}
  - {url: glossary/, template: glossary.html, title: Glossary, description: Every term.}
  - {url: watch/, template: watch.html, title: What to watch, description: What comes next.}
"""
HOW_WE_KNOW = "---\ntitle: How we know\nsummary: Our method.\ndate: 2025-05-01\n---\n\nWe read the sources.\n"


@pytest.fixture
def complete_site(make_site):
    """The minimal site plus the pages every template links to: it passes every check."""
    yaml = (Path(__file__).parent / "sites/minimal/site_src/site.yaml").read_text()
    yaml = yaml.replace("pages:\n", "pages:" + COMPLETE_PAGES, 1)
    return make_site({"site_src/site.yaml": yaml, "site_src/pages/how-we-know.md": HOW_WE_KNOW})


def test_check_command_passes_on_a_complete_site(complete_site, cli):
    assert cli("build", "--root", complete_site).exit_code == 0
    result = cli("check", "--root", complete_site)
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.startswith("Checked ") and result.stdout.endswith(" files: no problems.\n")


def test_check_command_lists_problems_in_compiler_form(complete_site, cli):
    page_md = complete_site / "site_src/pages/how-we-know.md"
    page_md.write_text(page_md.read_text() + "\nSee [the launches](/launchs/) and ![](/favicon.svg).\n")
    assert cli("build", "--root", complete_site).exit_code == 0
    result = cli("check", "--root", complete_site)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[-1] == "Check failed: 2 errors."
    assert all(line.startswith("output/how-we-know/index.html:") for line in lines[:-1])
    assert [line.split(": ", 1)[1] for line in lines[:-1]] == [
        "error: link '/launchs/' does not resolve: no file 'launchs/index.html' in the site (did you mean '/launches/'?)",
        "error: image '/favicon.svg' has no alt text",
    ]


def test_check_command_with_out(complete_site, cli, tmp_path):
    assert cli("build", "--root", complete_site, "--out", tmp_path / "site").exit_code == 0
    assert cli("check", "--root", complete_site, "--out", tmp_path / "site").exit_code == 0
    missing = cli("check", "--root", complete_site, "--out", tmp_path / "nothing")
    assert missing.exit_code == 1
    assert f"{tmp_path / 'nothing'}: error: no built site here: run `explainer build` first" in missing.stderr


def test_strict_build_fails_on_a_broken_link_and_writes_nothing(complete_site, cli):
    explainer = complete_site / "site_src/explainers/lane2.md"
    explainer.write_text(explainer.read_text() + "\nSee [the split](#the-splt).\n")
    relaxed_out = complete_site / "relaxed"
    assert cli("build", "--root", complete_site, "--out", relaxed_out).exit_code == 0
    result = cli("build", "--root", complete_site, "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == "Build failed: 1 error."
    assert result.stderr.splitlines()[0].startswith("output/explainers/lane2/index.html:")
    assert result.stderr.splitlines()[0].endswith(": error: link '#the-splt' points to no element on this page (did you mean '#the-split'?)")
    assert not (complete_site / "output").exists()


def test_strict_build_passes_on_a_complete_site(complete_site):
    config = load_config(complete_site)
    build(config, default_cache(config), strict=True)
    assert (complete_site / "output/index.html").is_file()


def test_the_real_site_passes_every_check(tmp_path):
    root = Path(__file__).resolve().parent.parent
    config = load_config(root, tmp_path / "site")
    build(config, default_cache(config), strict=True)
    found, checked = check_site(config, default_cache(config))
    assert [p.format() for p in found] == []
    assert checked > 10
    assert check_outputs(read_outputs(tmp_path / "site"), config.settings.base_url) == []
