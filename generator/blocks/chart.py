"""The chart block: a fence that places one of the site's charts, with an optional caption.

    ```chart lane2-split
    caption: Who won what in the 2025 awards
    ```
"""

from __future__ import annotations

from typing import Any, Literal

from .base import Block, BlockContext, Opening

KIND = "chart"
NAMES = ("chart",)
SYNTAX = "fence"
PARTIAL = "partials/blocks/chart.html"


class ChartBlock(Block):
    kind: Literal["chart"] = "chart"
    chart_id: str
    caption: str = ""

    def chart_ids(self) -> list[tuple[str, int, int]]:
        return [(self.chart_id, self.line, self.col)]

    def view(self, render: Any) -> dict:
        return render.chart_view(self.chart_id, self.caption)

    def shared_key(self) -> str:
        return f"chart\0{self.chart_id}\0{self.caption}"  # the figure is the chart's, with this caption, wherever it stands


MODEL = ChartBlock


def parse(opening: Opening, ctx: BlockContext) -> ChartBlock:
    ids = opening.args.split()
    if len(ids) != 1:
        raise ctx.error(opening.line, opening.col, "a chart fence names one chart: ```chart <chart-id>")
    return ChartBlock(line=opening.line, col=opening.col, chart_id=ids[0], caption=_caption(opening.body))


def _caption(lines: list[str]) -> str:
    for line in lines:
        key, _, value = line.partition(":")
        if key.strip() == "caption":
            return value.strip()
    return ""
