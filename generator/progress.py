"""How far a build has got: named stages, each counting its steps.

The pipeline only announces stages and steps; what a person sees (a live line on
a terminal, plain lines in a log, nothing at all) is the CLI's choice (console.py).
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def stage(self, name: str, total: int = 0) -> None:
        """A new stage starts; `total` steps are expected (0: not counted)."""

    def step(self, count: int = 1) -> None:
        """`count` more steps of the current stage are done."""


class NoProgress:
    """Reports nothing: the default for library callers and tests."""

    def stage(self, name: str, total: int = 0) -> None:
        pass

    def step(self, count: int = 1) -> None:
        pass


NO_PROGRESS = NoProgress()
