"""Callouts: a note, a correction or what the reporting does not know, set apart from the prose.

    ::: correction Corrected 7 December 2026
    The first version said …
    :::

The opening word is the callout's variant; the rest of the line, if any, its title.
The words that name each variant ("Note", "Correction", …) live in the partial, with
the theme's other words.
"""

from __future__ import annotations

from typing import Literal

from .base import Block, BlockContext, Opening, plain_text

KIND = "callout"
NAMES = ("note", "correction", "unknown")
SYNTAX = "container"
PARTIAL = "partials/blocks/callout.html"


class CalloutBlock(Block):
    kind: Literal["callout"] = "callout"
    variant: Literal["note", "correction", "unknown"]
    title: str = ""
    html: str

    def search_text(self) -> str:
        return plain_text(f"{self.title} {self.html}")


MODEL = CalloutBlock


def parse(opening: Opening, ctx: BlockContext) -> CalloutBlock:
    if not any(line.strip() for line in opening.body):
        raise ctx.error(opening.line, opening.col, f"the '{opening.name}' callout is empty: write its text between '::: {opening.name}' and ':::'")
    body = ctx.markdown(opening.body, opening.body_line)
    return CalloutBlock(line=opening.line, col=opening.col, variant=opening.name, title=opening.args, html=body)
