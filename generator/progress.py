"""How far a build has got: named stages, each counting its steps.

The pipeline only announces stages, steps and, while one task takes long, which
one it is (a stuck chart must not look like a stuck build); what a person sees (a
live line on a terminal, plain lines in a log, nothing at all) is the CLI's choice
(console.py).
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    def stage(self, name: str, total: int = 0) -> None:
        """A new stage starts; `total` steps are expected (0: not counted)."""

    def step(self, count: int = 1) -> None:
        """`count` more steps of the current stage are done."""

    def running(self, doing: str, seconds: float) -> None:
        """One task is taking long: `doing` ("running chart 'loops'") has run for `seconds`."""


class NoProgress:
    """Reports nothing: the default for library callers and tests."""

    def stage(self, name: str, total: int = 0) -> None:
        pass

    def step(self, count: int = 1) -> None:
        pass

    def running(self, doing: str, seconds: float) -> None:
        pass


NO_PROGRESS = NoProgress()
