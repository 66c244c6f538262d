"""Scrollytelling: one graphic walked through step by step, each step changing its state.

    :::: scrolly lane2-split
    ::: step
    The chart as it is.
    :::
    ::: step highlight="Company B" note=pad-gap
    Company B's share …
    :::
    ::::

Each step holds Markdown and, on its opening line, attributes (`key=value`, a value with
spaces in quotes, read with shlex): `chart`, `highlight`, `note`, `zoom`, `filter`
(generator/stepstates.py reads and applies them). Every step's state is drawn at build time
like a chart, so without JavaScript, in print and in feeds the block is a sequence of figures
and their text; scrolly.js makes it one graphic that stays in view while the steps pass.
"""

from __future__ import annotations

import shlex
from typing import Any, Literal

from markupsafe import Markup
from pydantic import BaseModel, ConfigDict

from ..charts import ChartSpec
from ..errors import BuildFailed, Problem
from ..stepstates import describe_state, derive_step_chart, is_plain, parse_state, step_chart_id
from .base import Block, BlockContext, Opening, plain_text

KIND = "scrolly"
NAMES = ("scrolly",)
SYNTAX = "container"
PARTIAL = "partials/blocks/scrolly.html"
STEP = "step"


class Step(BaseModel):
    """One step as written: where, its attributes in order, its text as HTML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    line: int
    col: int = 1
    attrs: tuple[tuple[str, str], ...] = ()
    html: str


class ScrollyBlock(Block):
    kind: Literal["scrolly"] = "scrolly"
    chart_id: str
    steps: tuple[Step, ...]

    def chart_ids(self) -> list[tuple[str, int, int]]:
        switched = [(value, step.line, step.col) for step in self.steps for key, value in step.attrs if key == "chart"]
        return [(self.chart_id, self.line, self.col)] + switched

    def search_text(self) -> str:
        return plain_text(" ".join(step.html for step in self.steps))

    def resolve(self, charts: dict[str, ChartSpec], shown: str) -> tuple[list[ChartSpec], list[Problem]]:
        """The drawings its steps need (a plain step shows its chart's own) and the problems
        of states that do not fit their chart (unknown annotation or value, a range outside
        the data), each at its step's line. An unknown chart is reported through chart_ids."""
        derived: dict[str, ChartSpec] = {}
        problems: list[Problem] = []
        for step in self.steps:
            where = (shown, step.line, step.col)
            try:
                state = parse_state(dict(step.attrs), self.chart_id, where)
                if is_plain(state) or state.chart not in charts:
                    continue
                made = derive_step_chart(charts[state.chart], state, where)
            except BuildFailed as failed:
                problems += failed.problems
                continue
            derived.setdefault(made.chart_id, made)
        return list(derived.values()), problems

    def view(self, render: Any) -> dict:
        """What partials/blocks/scrolly.html gets: each step's figure and text, the base charts
        (for their data tables and sources, once)."""
        steps, bases = [], {}
        for number, step in enumerate(self.steps, 1):
            state = parse_state(dict(step.attrs), self.chart_id, ("", step.line, step.col))  # checked when parsed
            base = bases.setdefault(state.chart, render.chart_view(state.chart, ""))
            drawn = base if is_plain(state) else render.step_view(step_chart_id(state.chart, state))
            steps.append(_step_view(render, number, step, describe_state(base["spec"], state), base, drawn))
        return {"id": f"scrolly-{self.line}", "title": _title(bases[self.chart_id]), "steps": steps, "charts": list(bases.values())}


MODEL = ScrollyBlock


def _step_view(render: Any, number: int, step: Step, sentence: str, base: dict, drawn: dict) -> dict:
    """One step for the partial: its picture (its drawings, alt text the chart's description
    and the state in words: a derived chart's own description already ends with it), the same
    as one absolute image for feeds, its text."""
    alt = f"{_description(base)} {sentence}" if drawn is base else _description(drawn)
    wide = drawn["sizes"].wide
    return {
        "number": number,
        "html": Markup(step.html),
        "state": sentence,
        "figure": {"info": {"title": _title(base), "description": alt}, "files": drawn["files"], "sizes": drawn["sizes"]},
        "feed_image": {"src": render.site.absolute(drawn["files"].find("page", "wide", "light").path), "width": wide[0], "height": wide[1]},
    }


def _description(view: dict) -> str:
    info = view["info"]
    return info["description"] if isinstance(info, dict) else info.description


def _title(view: dict) -> str:
    info = view["info"]
    return info["title"] if isinstance(info, dict) else info.title


def parse(opening: Opening, ctx: BlockContext) -> ScrollyBlock:
    """`:::: scrolly <chart-id>` and its `::: step` children, each step's attributes checked
    and its text converted; an error is located at the line that has it."""
    chart_id = _chart_id(opening, ctx)
    for line, _text in opening.loose[:1]:
        raise ctx.error(line, 1, "text outside a step: put it inside a '::: step' … ':::' or after the block's closing '::::'")
    if not opening.children:
        raise ctx.error(opening.line, opening.col, f"the scrolly block '{chart_id}' has no step: write each step as '::: step', its text, then ':::'")
    return ScrollyBlock(line=opening.line, col=opening.col, chart_id=chart_id, steps=tuple(_step(child, ctx) for child in opening.children))


def _chart_id(opening: Opening, ctx: BlockContext) -> str:
    words = opening.args.split()
    if len(words) != 1:
        raise ctx.error(opening.line, opening.col, "a scrolly block names one chart: ':::: scrolly <chart-id>'")
    return words[0]


def _step(opening: Opening, ctx: BlockContext) -> Step:
    if opening.name != STEP:
        raise ctx.error(opening.line, opening.col, f"'::: {opening.name}' cannot stand in a scrolly block: only '::: step' can (put it inside a step)")
    attrs = _attributes(opening, ctx)
    if not any(line.strip() for line in opening.body):
        raise ctx.error(opening.line, opening.col, "empty step: write the text the reader reads beside this step's graphic")
    return Step(line=opening.line, col=opening.col, attrs=attrs, html=ctx.markdown(opening.body, opening.body_line))


def _attributes(opening: Opening, ctx: BlockContext) -> tuple[tuple[str, str], ...]:
    """The step's `key=value` pairs in order, checked as a state (generator/stepstates.py):
    repeated, unreadable, unknown or empty ones and malformed values are errors at the step."""
    try:
        words = shlex.split(opening.args)
    except ValueError as err:  # an unclosed quote
        raise ctx.error(opening.line, opening.col, f"step attributes cannot be read: {str(err).lower()}") from None
    pairs: dict[str, str] = {}
    for word in words:
        key, equals, value = word.partition("=")
        if not equals:
            raise ctx.error(opening.line, opening.col, f"step attribute '{word}' is not key=value (e.g. highlight=\"Central Library\")")
        if key in pairs:
            raise ctx.error(opening.line, opening.col, f"step attribute '{key}' is given twice")
        pairs[key] = value
    parse_state(pairs, "", (ctx.shown, opening.line, opening.col))
    return tuple(pairs.items())
