"""What every block kind shares: the opening the parser hands a kind, the context it
parses in, and the `Block` model each kind extends.

A block is one thing in an explainer's Markdown that is more than prose: a chart, a
callout, a scrollytelling sequence. Markdown conversion leaves a slot in the page for
each (an empty element); rendering swaps in the kind's partial. The model is
serialisable, because converted Markdown is cached as JSON.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Optional

from pydantic import BaseModel, ConfigDict

from ..errors import BuildFailed, Problem

if TYPE_CHECKING:
    from ..charts import ChartSpec

SLOT = '<div class="block-slot" data-slot="{index}"></div>'
TAGS = re.compile(r"<[^>]*>")
SPACES = re.compile(r"\s+")


@dataclass
class Opening:
    """One block as written: its opening line and what it encloses, in file positions."""

    name: str
    args: str
    line: int
    col: int
    body: list[str] = field(default_factory=list)
    body_line: int = 0
    children: list["Opening"] = field(default_factory=list)
    loose: list[tuple[int, str]] = field(default_factory=list)  # (line, text) inside, outside any child


@dataclass
class BlockContext:
    """What a kind's parser may do: convert inner Markdown, report located problems."""

    shown: str
    markdown: Callable[[list[str], int], str]  # (lines, file line of the first) -> HTML
    warnings: list[Problem]

    def error(self, line: int, col: int, message: str) -> BuildFailed:
        """A located error to raise: the converter reports it and leaves the block out."""
        return BuildFailed([Problem(self.shown, line, col, message)])

    def warn(self, line: int, col: int, message: str) -> None:
        self.warnings.append(Problem(self.shown, line, col, message, "warning"))


class Block(BaseModel):
    """A block placed in a page. Kinds extend it with what they hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: str
    line: int
    col: int = 1
    slot: str = ""

    def chart_ids(self) -> list[tuple[str, int, int]]:
        """(chart id, line, col) of each chart it shows: checked to exist."""
        return []

    def search_text(self) -> str:
        """Its words for the search index, as plain text."""
        return ""

    def resolve(self, charts: dict[str, "ChartSpec"], shown: str) -> tuple[list["ChartSpec"], list[Problem]]:
        """After the charts are loaded: charts made for this block alone (drawn like any
        chart) and problems found against the charts."""
        return [], []

    def view(self, render: Any) -> Any:
        """What its partial gets as `block`."""
        return self

    def shared_key(self) -> Optional[str]:
        """A key for blocks whose HTML is the same wherever they are placed (and the same for
        every block with this key), so the page renderer makes it once; None, the default: made
        for each placement (its HTML may use its position, as an anchor made from its line)."""
        return None


def plain_text(fragment: str) -> str:
    """HTML made plain text: tags dropped, entities decoded, whitespace folded."""
    return SPACES.sub(" ", html.unescape(TAGS.sub(" ", fragment))).strip()
