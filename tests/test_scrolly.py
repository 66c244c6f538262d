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
     "explainers/a.md:11:1: unknown step attribute 'higlight' (did you mean 'highlight'?): a step takes chart, highlight, note, zoom, filter"),
    (":::: scrolly visits\n::: step colour=red\nText.\n:::\n::::",
     "explainers/a.md:11:1: unknown step attribute 'colour': a step takes chart, highlight, note, zoom, filter"),
    (":::: scrolly visits\n::: step highlight\nText.\n:::\n::::",
     "explainers/a.md:11:1: step attribute 'highlight' is not key=value (e.g. highlight=\"Central Library\")"),
    (":::: scrolly visits\n::: step highlight=\"Central Library\nText.\n:::\n::::",
     "explainers/a.md:11:1: step attributes cannot be read: no closing quotation"),
    (":::: scrolly visits\n::: step note=a note=b\nText.\n:::\n::::",
     "explainers/a.md:11:1: step attribute 'note' is given twice"),
    (":::: scrolly visits\n::: step filter=\nText.\n:::\n::::",
     "explainers/a.md:11:1: step attribute 'filter' has no value"),
    (":::: scrolly visits\n::: note\nText.\n:::\n::::",
     "explainers/a.md:11:1: '::: note' cannot stand in a scrolly block: only '::: step' can (put it inside a step)"),
])
def test_errors_are_located_at_the_line_that_has_them(text, expected):
    assert error_of(text) == expected
