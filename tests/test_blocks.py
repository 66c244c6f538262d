"""Block kinds: one table, fences and fenced containers, callouts on pages, in search and in the feed."""

from __future__ import annotations

import ast
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from generator.blocks import KINDS, kind_named, names
from generator.blocks.callout import CalloutBlock
from generator.blocks.chart import ChartBlock
from generator.config import THEME_DIR
from generator.data import Data
from generator.markdown import MarkdownConverter
from support import REPO, minimal_schema, starter_with_fields

SCHEMA = minimal_schema()
WELCOME = "site_src/explainers/welcome.md"


def convert(text: str, offset: int = 3):
    return MarkdownConverter({}).convert(text, Data(SCHEMA), "a.md", offset)


def messages(result) -> list[str]:
    return [problem.format() for problem in result.warnings]


# --- the table -------------------------------------------------------------------------------

def test_every_kind_has_its_partial_in_the_theme_and_a_serialisable_model():
    for kind in KINDS:
        assert (THEME_DIR / kind.PARTIAL).is_file(), kind.PARTIAL
        assert kind.SYNTAX in ("fence", "container") and kind.NAMES
        assert kind.MODEL.model_fields["kind"].default == kind.KIND
    assert kind_named("note", "container").KIND == "callout" and kind_named("chart", "fence").KIND == "chart"
    assert kind_named("chart", "container") is None and kind_named("python", "fence") is None


def test_a_kind_lives_in_its_module_and_partial_alone():
    """The callout is the proof that adding a kind is one module and one partial: no other
    Python module of the generator names it, and the table lists it once."""
    mentions = [path.relative_to(REPO).as_posix() for path in sorted((REPO / "generator").rglob("*.py"))
                if any("callout" in word.lower() for word in _code_words(path)) and path.name != "callout.py"]
    assert mentions == ["generator/blocks/__init__.py"]
    table = (REPO / "generator/blocks/__init__.py").read_text()
    assert len(re.findall(r"\bcallout\b", table.split("KINDS:", 1)[1].split("\n", 1)[0])) == 1


def _code_words(path: Path) -> list[str]:
    """Names, attributes, imports and string values of a module: its code, not its docstrings."""
    tree = ast.parse(path.read_text())
    docstrings = {id(node.value) for node in ast.walk(tree) if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)}
    words = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.append(node.id)
        elif isinstance(node, ast.Attribute):
            words.append(node.attr)
        elif isinstance(node, ast.alias):
            words.append(node.name)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            words.append(node.value)
    return words


# --- reading the syntax ----------------------------------------------------------------------

def test_a_chart_fence_becomes_a_chart_block_at_its_line():
    result = convert("Text.\n\n```chart lane2-split\ncaption: Who won what\n```\n")
    [block] = result.blocks
    assert isinstance(block, ChartBlock)
    assert (block.chart_id, block.caption, block.line, block.col) == ("lane2-split", "Who won what", 6, 1)
    assert block.slot in result.html and messages(result) == []


def test_a_chart_fence_with_two_ids_is_an_error():
    assert messages(convert("```chart a b\n```\n")) == ["a.md:4:1: error: a chart fence names one chart: ```chart <chart-id>"]


def test_a_callout_converts_its_markdown_and_keeps_its_title():
    result = convert("::: correction Corrected 7 December 2026\nThe first version said **three**.\n\n- one\n:::\n")
    [block] = result.blocks
    assert isinstance(block, CalloutBlock)
    assert (block.variant, block.title, block.line) == ("correction", "Corrected 7 December 2026", 4)
    assert block.html == "<p>The first version said <strong>three</strong>.</p>\n<ul>\n<li>one</li>\n</ul>"
    assert block.search_text() == "Corrected 7 December 2026 The first version said three . one"


def test_problems_inside_a_callout_are_located_at_their_file_line():
    result = convert("Intro.\n\n::: note\nFine.\n\nSee [[nobody-here]].\n:::\n")
    assert messages(result) == ["a.md:9:5: error: unknown record 'nobody-here' in figure reference"]


def test_unsafe_html_inside_a_callout_is_found_at_its_line():
    result = convert("::: note\nText.\n\n<a href=\"javascript:alert(1)\">x</a>\n:::\n")
    assert [m for m in messages(result) if "unsafe HTML" in m] == [
        "a.md:7:10: warning: unsafe HTML: a javascript: URL in 'href' of <a> (the site's Content Security Policy blocks it, "
        "and hosts without that header run it); use a page or a file of the site instead"]


def test_containers_nest_and_inner_blocks_are_made_first():
    result = convert("::: note\nLook:\n\n```chart lane2-split\n```\n:::\n")
    chart, note = result.blocks
    assert (chart.kind, chart.line, note.kind, note.line) == ("chart", 7, "callout", 4)
    assert chart.slot in note.html and note.slot in result.html and chart.slot not in result.html


def test_colons_inside_a_code_fence_are_code():
    result = convert("```text\n::: note\nnot a block\n:::\n```\n")
    assert result.blocks == [] and "::: note" in result.html and messages(result) == []


@pytest.mark.parametrize(("text", "expected"), [
    ("::: nte\nText.\n:::\n", "a.md:4:5: error: unknown block 'nte' (did you mean 'note'?) (blocks: {known})"),
    ("::: note\nText that goes on.\n", "a.md:4:1: error: '::: note' is never closed: add a line of colons (:::) after its text"),
    ("::: note\n\n:::\n", "a.md:4:1: error: the 'note' callout is empty: write its text between '::: note' and ':::'"),
    ("Text.\n\n:::\n", "a.md:6:1: error: this line of colons closes no block: remove it, or open a block (::: note) before it"),
    ("```chart x\ncaption: c\n", "a.md:4:1: warning: chart fence 'x' is never closed"),
])
def test_block_syntax_errors_are_located(text, expected):
    assert expected.format(known=", ".join(names("container"))) in messages(convert(text))


def test_converted_blocks_survive_the_cache(tmp_path):
    from generator.cache import Cache

    text = "::: unknown\nWho paid.\n:::\n\n```chart c\n```\n"
    first = MarkdownConverter({}, Cache(tmp_path)).convert(text, Data(SCHEMA), "a.md", 0)
    again = MarkdownConverter({}, Cache(tmp_path)).convert(text, Data(SCHEMA), "a.md", 0)
    assert again.blocks == first.blocks and again.html == first.html


# --- a built site ----------------------------------------------------------------------------

CALLOUTS = """
::: note
Visits are counted at the door, so [[central]] includes people who only used the toilets.
:::

::: correction Corrected 2 February 2026
An earlier version gave Hilltop's opening year as 2001.
:::

::: unknown
How many visitors came from outside the town.
:::
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from generator.cli import main

    runner = CliRunner()
    cli = lambda *args: runner.invoke(main, [str(a) for a in args], catch_exceptions=False)  # noqa: E731
    folder = starter_with_fields(cli, tmp_path_factory.mktemp("blocks") / "site")
    welcome = folder / WELCOME
    welcome.write_text(welcome.read_text().replace("The newest branch opened on", CALLOUTS.strip() + "\n\nThe newest branch opened on", 1))
    result = cli("build", "--root", folder, "--strict")
    assert result.exit_code == 0, result.stderr
    return folder / "output"


def test_callouts_render_with_their_label_title_and_figures(built):
    page = (built / "explainers/welcome/index.html").read_text()
    assert '<aside class="callout callout--note" aria-label="Note">' in page
    assert '<aside class="callout callout--correction" aria-label="Correction: Corrected 2 February 2026">' in page
    assert '<strong>Correction</strong><span class="callout-title"> · Corrected 2 February 2026</span>' in page
    assert '<p class="callout-label"><strong>What we don’t know</strong></p>' in page
    note = page.split('callout--note', 1)[1].split("</aside>", 1)[0]
    assert 'data-record="central">182,400</a> includes people' in note
    assert "block-slot" not in page


def test_callouts_are_found_in_the_section_they_sit_in(built):
    index = json.loads((built / "search/index.json").read_text())
    section = next(d for d in index["docs"] if d["k"] == "Section" and d["t"] == "Where things live")
    assert "Corrected 2 February 2026 An earlier version gave Hilltop’s opening year as 2001." in section["x"]
    assert "How many visitors came from outside the town." in section["x"]
    intro = next(d for d in index["docs"] if d["k"] == "Explainer" and d["t"] == "How this starter site works")
    assert "Corrected" not in intro["x"]


def test_the_feed_carries_the_whole_text_with_blocks_as_a_feed_shows_them(built):
    atom = "{http://www.w3.org/2005/Atom}"
    entry = ET.parse(built / "feed.xml").getroot().find(f"{atom}entry")
    content = entry.find(f"{atom}content")
    assert content.get("type") == "html"
    html = content.text
    assert '<aside class="callout callout--unknown" aria-label="What we don’t know">' in html
    # charts as an image with absolute URL and their words, no scripts, no controls
    assert re.search(r'<figure>\s*<img src="https://[^"]+/inline\.svg" alt="[^"]+" width="\d+" height="\d+">', html)
    assert "<script" not in html and "<textarea" not in html and "<button" not in html and "block-slot" not in html
    assert not re.search(r'(href|src)="(?!https://|#)', html), "every link in a feed is absolute"


def test_feed_links_are_read_against_the_page():
    from types import SimpleNamespace

    from generator.discovery import feed_html

    site = SimpleNamespace(root="/news/", absolute=lambda path: "https://example.org/news/" + path.lstrip("/"))
    body = ('<a href="../other/">o</a> <a href="/news/sources/#a">s</a> <a href="#fn:1">1</a> '
            '<img src="/news/charts/c/inline.svg"> <a href="https://elsewhere.example/x">e</a> <a href="//cdn.example/y">c</a>')
    assert feed_html(site, body, "https://example.org/news/explainers/one/") == (
        '<a href="https://example.org/news/explainers/other/">o</a> <a href="https://example.org/news/sources/#a">s</a> '
        '<a href="https://example.org/news/explainers/one/#fn:1">1</a> <img src="https://example.org/news/charts/c/inline.svg"> '
        '<a href="https://elsewhere.example/x">e</a> <a href="https://cdn.example/y">c</a>')


def test_a_chart_placed_alike_on_many_pages_is_rendered_once_and_the_same_everywhere(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from generator.cli import main

    runner = CliRunner()
    cli = lambda *args: runner.invoke(main, [str(a) for a in args], catch_exceptions=False)  # noqa: E731
    folder = starter_with_fields(cli, tmp_path / "site")
    for number in (1, 2, 3):  # the chart at a different line on each page, with the starter's own caption-less placement
        (folder / f"site_src/explainers/visits-{number}.md").write_text(
            f'---\ntitle: "Visits, part {number}"\nsummary: "Part {number}."\ndate: 2026-02-0{number}\n---\n\n'
            + "A paragraph.\n\n" * number + "```chart branch-visits\n```\n")
    views: list[tuple[str, str]] = []
    real_view = ChartBlock.view
    monkeypatch.setattr(ChartBlock, "view", lambda self, render: views.append((self.chart_id, self.caption)) or real_view(self, render))
    result = cli("build", "--root", folder, "--strict", "--jobs", "1")
    assert result.exit_code == 0, result.stderr
    figure = re.compile(r'<figure class="chart[^"]*" id="chart-branch-visits".*?</figure>', re.S)
    placed = [figure.search((folder / f"output/explainers/visits-{n}/index.html").read_text()).group(0) for n in (1, 2, 3)]
    assert placed[0] == placed[1] == placed[2]
    welcome = figure.search((folder / "output/explainers/welcome/index.html").read_text()).group(0)
    assert welcome != placed[0] and 'class="chart-caption"' in welcome  # the welcome page's own caption: its own figure
    assert views.count(("branch-visits", "")) == 2  # once for the pages and once for the feed, for three pages
