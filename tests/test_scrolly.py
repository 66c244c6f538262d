"""The scrollytelling block: its syntax, its located errors (exact text), its HTML without JavaScript."""

from __future__ import annotations

import html
import re

import pytest

from generator.blocks.base import BlockContext
from generator.blocks.openings import container_at
from generator.blocks.scrolly import ScrollyBlock, Step, parse
from generator.errors import BuildFailed

FIRST_LINE = 10  # the file line of the block's opening line in these tests


def parsed(text: str) -> ScrollyBlock:
    lines = text.strip("\n").split("\n")
    opening, _end, closed = container_at(lines, 0, lambda index: FIRST_LINE + index)
    assert closed
    converted = lambda body, first: "<p>" + html.escape(" ".join(line.strip() for line in body if line.strip())) + f"</p><!--{first}-->"
    return parse(opening, BlockContext("explainers/a.md", converted, []))


def error_of(text: str) -> str:
    with pytest.raises(BuildFailed) as caught:
        parsed(text)
    (problem,) = caught.value.problems
    return f"{problem.path}:{problem.line}:{problem.col}: {problem.message}"


def test_steps_keep_their_lines_attributes_in_order_and_text():
    block = parsed("""
:::: scrolly visits
::: step
All three branches.
:::
::: step highlight="Central Library" note=busiest,quiet
Central is the busiest.
:::
::: step chart=opening-years zoom=1950..2020 filter='Hilltop Branch'
Opening years.
:::
::::
""")
    assert block.chart_id == "visits" and block.line == FIRST_LINE
    assert block.steps == (
        Step(line=11, attrs=(), html="<p>All three branches.</p><!--12-->"),
        Step(line=14, attrs=(("highlight", "Central Library"), ("note", "busiest,quiet")), html="<p>Central is the busiest.</p><!--15-->"),
        Step(line=17, attrs=(("chart", "opening-years"), ("zoom", "1950..2020"), ("filter", "Hilltop Branch")), html="<p>Opening years.</p><!--18-->"),
    )
    assert block.chart_ids() == [("visits", 10, 1), ("opening-years", 17, 1)]
    assert block.search_text() == "All three branches. Central is the busiest. Opening years."


def test_the_block_survives_the_markdown_cache_as_json():
    block = parsed(":::: scrolly visits\n::: step note=none\nText.\n:::\n::::")
    assert ScrollyBlock.model_validate_json(block.model_dump_json()) == block


@pytest.mark.parametrize(("text", "expected"), [
    (":::: scrolly\n::: step\nText.\n:::\n::::",
     "explainers/a.md:10:1: a scrolly block names one chart: ':::: scrolly <chart-id>'"),
    (":::: scrolly one two\n::: step\nText.\n:::\n::::",
     "explainers/a.md:10:1: a scrolly block names one chart: ':::: scrolly <chart-id>'"),
    (":::: scrolly visits\n::::",
     "explainers/a.md:10:1: the scrolly block 'visits' has no step: write each step as '::: step', its text, then ':::'"),
    (":::: scrolly visits\n::: step\nText.\n:::\nStray words.\n::::",
     "explainers/a.md:14:1: text outside a step: put it inside a '::: step' … ':::' or after the block's closing '::::'"),
    (":::: scrolly visits\n::: step\nText.\n:::\n::: step filter=Hilltop\n:::\n::::",
     "explainers/a.md:14:1: empty step: write the text the reader reads beside this step's graphic"),
    (":::: scrolly visits\n::: step\n   \n:::\n::::",
     "explainers/a.md:11:1: empty step: write the text the reader reads beside this step's graphic"),
    (":::: scrolly visits\n::: step higlight=Central\nText.\n:::\n::::",
     "explainers/a.md:11:1: unknown step attribute 'higlight' (did you mean 'highlight'?)"),
    (":::: scrolly visits\n::: step colour=red\nText.\n:::\n::::",
     "explainers/a.md:11:1: unknown step attribute 'colour' (expected chart, highlight, note, zoom or filter)"),
    (":::: scrolly visits\n::: step highlight\nText.\n:::\n::::",
     "explainers/a.md:11:1: step attribute 'highlight' is not key=value (e.g. highlight=\"Central Library\")"),
    (":::: scrolly visits\n::: step highlight=\"Central Library\nText.\n:::\n::::",
     "explainers/a.md:11:1: step attributes cannot be read: no closing quotation"),
    (":::: scrolly visits\n::: step note=a note=b\nText.\n:::\n::::",
     "explainers/a.md:11:1: step attribute 'note' is given twice"),
    (":::: scrolly visits\n::: step filter=\nText.\n:::\n::::",
     "explainers/a.md:11:1: step attribute 'filter' has no value"),
    (":::: scrolly visits\n::: step\nText.\n:::\n::: step zoom=1990-2000\nText.\n:::\n::::",
     "explainers/a.md:14:1: zoom '1990-2000' is not a range (write zoom=<from>..<to>: dates as YYYY-MM-DD, or numbers)"),
    (":::: scrolly visits\n::: step note=busiest,\nText.\n:::\n::::",
     "explainers/a.md:11:1: note 'busiest,' has an empty name (write note=<id>, note=<id>,<id> or note=none)"),
    (":::: scrolly visits\n::: note\nText.\n:::\n::::",
     "explainers/a.md:11:1: '::: note' cannot stand in a scrolly block: only '::: step' can (put it inside a step)"),
])
def test_errors_are_located_at_the_line_that_has_them(text, expected):
    assert error_of(text) == expected


def years_chart() -> "ChartSpec":
    from generator.charts import ChartSpec

    values = [{"branch": "Central Library", "opened": 1962}, {"branch": "Riverside Branch", "opened": 1988}, {"branch": "Hilltop Branch", "opened": 2011}]
    spec = {"usermeta": {"explainer": {"annotations": [{"note": "The newest branch", "x": 2011, "y": "Hilltop Branch", "id": "newest"}]}},
            "data": {"values": values}, "mark": "point",
            "encoding": {"x": {"field": "opened", "type": "quantitative", "title": "Year opened", "scale": {"zero": False}},
                         "y": {"field": "branch", "type": "nominal"}}}
    return ChartSpec("years", "Opened", "Dot chart: the year each branch opened.", (), None, "", spec, "charts/years.vl.json", 1, "d1")


def test_states_that_do_not_fit_the_chart_are_errors_at_their_step():
    block = parsed("""
:::: scrolly years
::: step
Plain.
:::
::: step note=newst
Unknown note.
:::
::: step highlight="Nowhere Branch"
Unknown value.
:::
::: step zoom=1970..2020
Outside the data.
:::
::: step chart=elsewhere highlight=x
Unknown chart: reported through chart_ids.
:::
::::
""")
    made, problems = block.resolve({"years": years_chart()}, "explainers/a.md")
    assert made == []
    assert [f"{p.path}:{p.line}:{p.col}: {p.message}" for p in problems] == [
        "explainers/a.md:14:1: unknown annotation 'newst' of chart 'years' (did you mean 'newest'?)",
        "explainers/a.md:17:1: highlight 'Nowhere Branch' is not a value of the series or marks of chart 'years' (did you mean 'Riverside Branch'?)",
        "explainers/a.md:20:1: zoom 1970..2020 of chart 'years': x 2,020 is outside the chart's data (1,962 to 2,011)",
    ]
    assert ("elsewhere", 23, 1) in block.chart_ids()


def test_each_distinct_state_is_one_derived_chart_and_plain_steps_none():
    block = parsed("""
:::: scrolly years
::: step
Plain.
:::
::: step chart=years
Still plain: the chart's own drawings.
:::
::: step highlight="Hilltop Branch" note=none
One state.
:::
::: step note=none highlight="Hilltop Branch"
The same state, written the other way round.
:::
::::
""")
    made, problems = block.resolve({"years": years_chart()}, "explainers/a.md")
    assert problems == []
    assert len(made) == 1 and made[0].chart_id.startswith("years--step-")
    assert made[0].description.endswith("Shown: Hilltop Branch highlighted and no notes.")


# The block on a built site: the starter's welcome explainer has one --------------------------

STARTER_STEPS = [  # (the folder its picture comes from, the state its alt text ends with, words of its text)
    ("/embed/branch-visits/", "The whole chart.", "Three branches, one chart"),
    ("/charts/branch-visits/steps/", "Shown: Central Library highlighted.", "Central Library alone counted"),
    ("/charts/opening-years/steps/", "Shown: no notes.", "It is also the oldest"),
    ("/charts/opening-years/steps/", "Shown: the note “The newest branch, open seven days a week”.", "Hilltop Branch, the newest"),
]


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory):
    from click.testing import CliRunner

    from generator.cli import main

    root = tmp_path_factory.mktemp("starter") / "site"
    runner = CliRunner()
    assert runner.invoke(main, ["new", "site", str(root)]).exit_code == 0
    built = runner.invoke(main, ["build", "--root", str(root), "--strict"])
    assert built.exit_code == 0, built.stderr
    return root / "output"


def scrolly_section(page: str) -> str:
    found = re.search(r'<section class="scrolly".*?</section>', page, re.S)
    assert found, "no scrolly block on the page"
    return found.group(0)


def test_without_javascript_the_block_is_an_ordered_list_of_figures_and_texts(starter):
    page = (starter / "explainers/welcome/index.html").read_text()
    block = scrolly_section(page)
    assert re.search(r'<div class="scrolly-graphic" aria-hidden="true" hidden></div>', block)  # empty until scrolly.js fills it
    steps = re.findall(r'<li class="scrolly-step".*?</li>', block, re.S)
    assert len(steps) == len(STARTER_STEPS)
    for number, (step, (folder, state, words)) in enumerate(zip(steps, STARTER_STEPS), 1):
        figure, text = step.index('<figure class="scrolly-figure">'), step.index('<div class="scrolly-text">')
        assert figure < text  # the figure, then its text
        image = re.search(r'<img src="([^"]+)" alt="([^"]*)"', step)
        assert image.group(1).startswith(folder), (number, image.group(1))
        alt = html.unescape(image.group(2))
        assert alt.startswith(("Bar chart:", "Dot chart:")) and alt.endswith(state), (number, alt)
        assert f'<p class="scrolly-state visually-hidden">Step {number} of 4. {html.escape(state, quote=False)}</p>' in step
        assert words in step
        assert 'dark.svg" media="screen and (prefers-color-scheme: dark)"' in step or "-dark.svg" in step  # its dark drawing
        assert "-narrow" in step  # and its phone drawing
    # The base charts' data tables and sources once each, after the steps.
    about = block[block.index('<div class="scrolly-about">'):]
    assert about.count('<details class="chart-table">') == 2
    assert about.count("Our Town Library Board") == 2
    assert '<link rel="stylesheet" href="/assets/scrolly.' in page and '<script src="/assets/scrolly.' in page


def test_pages_without_a_scrolly_block_load_no_scrolly_assets(starter):
    page = (starter / "index.html").read_text()
    assert "scrolly" not in page


@pytest.mark.parametrize(("edits", "expected"), [
    ({'::: step highlight="Central Library"': '::: step highlight="Central Libary"',
      "::: step chart=opening-years note=newest": "::: step chart=opening-years note=newst"},
     ["site_src/explainers/welcome.md:57:1: error: highlight 'Central Libary' is not a value of the series or marks of chart 'branch-visits' (did you mean 'Central Library'?)",
      "site_src/explainers/welcome.md:63:1: error: unknown annotation 'newst' of chart 'opening-years' (did you mean 'newest'?)"]),
    ({"::: step chart=opening-years note=none": "::: step chart=opening-yaers note=none"},
     ["site_src/explainers/welcome.md:60:1: error: unknown chart 'opening-yaers' (did you mean 'opening-years'?)"]),
    ({"It is also the oldest: the branches opened decades apart.\n": ""},
     ["site_src/explainers/welcome.md:60:1: error: empty step: write the text the reader reads beside this step's graphic"]),
    ({"::: step chart=opening-years note=none": "::: step chart=opening-years zoom=1900-1950"},
     ["site_src/explainers/welcome.md:60:1: error: zoom '1900-1950' is not a range (write zoom=<from>..<to>: dates as YYYY-MM-DD, or numbers)"]),
])
def test_a_broken_block_fails_the_build_at_its_steps_lines(tmp_path, edits, expected):
    from click.testing import CliRunner

    from generator.cli import main

    root = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(main, ["new", "site", str(root)]).exit_code == 0
    explainer = root / "site_src/explainers/welcome.md"
    text = explainer.read_text()
    for old, new in edits.items():
        assert old in text
        text = text.replace(old, new)
    explainer.write_text(text)
    built = runner.invoke(main, ["build", "--root", str(root)])
    assert built.exit_code == 1
    assert [line for line in built.stderr.splitlines() if ": error: " in line] == expected


def test_in_the_feed_the_block_is_its_figures_at_absolute_urls_and_their_texts(starter):
    feed = html.unescape((starter / "feed.xml").read_text())
    block = re.search(r'<div class="scrolly">.*?</ol>', feed, re.S).group(0)
    images = re.findall(r'<img src="([^"]+)" alt="([^"]*)"', block)
    assert len(images) == len(STARTER_STEPS)
    assert [src.startswith("https://example.org" + folder) for (src, _), (folder, _, _) in zip(images, STARTER_STEPS)] == [True] * len(STARTER_STEPS), images
    assert [alt.endswith(state) for (_, alt), (_, state, _) in zip(images, STARTER_STEPS)] == [True] * len(STARTER_STEPS)
    assert [block.index(words) for _, _, words in STARTER_STEPS] == sorted(block.index(words) for _, _, words in STARTER_STEPS)
    assert "scrolly-graphic" not in block and "visually-hidden" not in block and "<picture" not in block


def test_a_chart_shown_only_in_a_scrolly_block_links_to_its_embed_page(tmp_path):
    """Search and the embed link to a chart where a chart block places it (its figure's
    #chart-<id>); a scrolly block has no such figure, so a chart it alone shows is found at
    its embed page, and --strict finds no broken link."""
    import json

    from click.testing import CliRunner

    from generator.cli import main

    root = tmp_path / "site"
    runner = CliRunner()
    assert runner.invoke(main, ["new", "site", str(root)]).exit_code == 0
    explainer = root / "site_src/explainers/welcome.md"
    fence = "```chart opening-years\ncaption: One branch per generation.\n```\n"
    assert fence in explainer.read_text()
    explainer.write_text(explainer.read_text().replace(fence, ""))
    built = runner.invoke(main, ["build", "--root", str(root), "--strict"])
    assert built.exit_code == 0, built.stderr
    docs = json.loads((root / "output/search/index.json").read_text())["docs"]
    assert [d["u"] for d in docs if d["k"] == "Chart" and d["t"] == "Three branches opened over five decades"] == ["/embed/opening-years/"]
