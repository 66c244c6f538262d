"""What the CLI shows while it works: progress, problems in colour, the summary.

A build that runs past DELAY seconds says how far it has got. On a terminal that
is one live line on stderr (stage, count, seconds), erased before the summary; in
a log (not a terminal) it is one plain line per stage, and one every LOG_EVERY
seconds in a long stage. A single task that runs long (a slow chart) is named with
its own time: "Running chart 'loops' · 30 s". `-q` shows problems only; `-v` adds every stage's time.
Colour is used on a terminal only, and never when NO_COLOR is set (no-color.org).
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from typing import Callable, Mapping, Optional, TextIO

import click

from .errors import Problem
from .progress import NO_PROGRESS, Progress

DELAY = 1.0  # seconds of silence before a build starts talking
LOG_EVERY = 5.0  # seconds between plain lines within one long stage
REDRAW_EVERY = 0.1  # seconds between redraws of the live line
SEVERITY_COLOURS = {"error": "red", "warning": "yellow"}

Clock = Callable[[], float]


@dataclass(frozen=True)
class Console:
    """How much to say and whether in colour; every line the CLI prints goes through it."""

    verbosity: int = 0  # -1: problems only, 0: progress and summary, 1: and each stage's time
    colour: bool = False
    live: bool = False  # stderr is a terminal: progress redraws one line

    @classmethod
    def for_streams(cls, quiet: bool = False, verbose: bool = False, environ: Mapping[str, str] = os.environ,
                    stderr: Optional[TextIO] = None) -> "Console":
        stream = stderr or sys.stderr
        terminal = _is_terminal(stream)
        return cls(-1 if quiet else 1 if verbose else 0, terminal and not environ.get("NO_COLOR"), terminal)

    def problem(self, problem: Problem) -> None:
        """One located problem on stderr, its severity in colour."""
        text = problem.format()
        marker = f": {problem.severity}: "
        if self.colour and marker in text:
            where, message = text.split(marker, 1)
            styled = click.style(problem.severity, fg=SEVERITY_COLOURS.get(problem.severity), bold=True)
            text = f"{click.style(where, bold=True)}: {styled}: {message}"
        click.echo(text, err=True, color=self.colour)

    def failure(self, text: str) -> None:
        """The closing line of a failed command, on stderr."""
        click.echo(click.style(text, fg="red", bold=True) if self.colour else text, err=True, color=self.colour)

    def say(self, text: str) -> None:
        """An ordinary line on stdout; not shown with -q."""
        if self.verbosity >= 0:
            click.echo(text)

    def detail(self, text: str) -> None:
        """A line only -v shows, on stderr with the stage times, so stdout stays the summary."""
        if self.verbosity > 0:
            click.echo(text, err=True)

    def summary(self, text: str) -> None:
        """The one-line result of a command, its first word in colour."""
        if self.verbosity < 0:
            return
        first, _, rest = text.partition(" ")
        click.echo(f"{click.style(first, fg='green', bold=True)} {rest}" if self.colour else text, color=self.colour)

    def progress(self, clock: Clock = time.monotonic, stream: Optional[TextIO] = None) -> "Reporter":
        """A progress reporter for one build: use it as a context manager around the build."""
        return Reporter(self, clock, stream or sys.stderr)


@dataclass
class Reporter:
    """Hears the pipeline's stages and steps and shows them as `Console` says."""

    console: Console
    clock: Clock
    stream: TextIO
    started: float = field(init=False)
    name: str = field(default="", init=False)
    total: int = field(default=0, init=False)
    done: int = field(default=0, init=False)
    stage_started: float = field(default=0.0, init=False)
    last_shown: float = field(default=float("-inf"), init=False)
    drawn: int = field(default=0, init=False)  # width of the live line now on screen

    def __post_init__(self) -> None:
        self.started = self.clock()

    def __enter__(self) -> Progress:
        return self if self.console.verbosity >= 0 else NO_PROGRESS

    def __exit__(self, *exc: object) -> None:
        self._end_stage()
        self._erase()

    def stage(self, name: str, total: int = 0) -> None:
        self._end_stage()
        self.name, self.total, self.done = name, total, 0
        self.stage_started = self.clock()
        self._show(new_stage=True)

    def step(self, count: int = 1) -> None:
        self.done += count
        self._show(new_stage=False)

    def running(self, doing: str, seconds: float) -> None:
        """A task is taking long: say which, with its own time, instead of the stage's count."""
        now = self.clock()
        if now - self.started < DELAY:
            return
        text = f"{doing[:1].upper()}{doing[1:]} · {seconds:.0f} s"
        if self.console.live:
            self._draw(text)
            self.last_shown = now
        elif now - self.last_shown >= LOG_EVERY:
            self._line(text)
            self.last_shown = now

    def _show(self, new_stage: bool) -> None:
        now = self.clock()
        if now - self.started < DELAY:
            return
        if self.console.live:
            if new_stage or now - self.last_shown >= REDRAW_EVERY or self.done == self.total:
                self._draw(f"{self._status()} · {now - self.started:.0f} s")
                self.last_shown = now
        elif new_stage or now - self.last_shown >= LOG_EVERY:
            self._line(f"{self._status()}…" if new_stage else self._status())
            self.last_shown = now

    def _status(self) -> str:
        counted = f" {self.done}/{self.total}" if self.total else ""
        return f"{self.name[:1].upper()}{self.name[1:]}{counted}"

    def _end_stage(self) -> None:
        if self.name and self.console.verbosity > 0:
            self._line(f"  {self.name}: {self.clock() - self.stage_started:.2f} s")
        self.name = ""

    def _draw(self, text: str) -> None:
        text = text[: shutil.get_terminal_size().columns - 1]  # a wrapped line cannot be redrawn with \r
        self.stream.write("\r" + text.ljust(self.drawn))
        self.stream.flush()
        self.drawn = len(text)

    def _erase(self) -> None:
        if self.drawn:
            self.stream.write("\r" + " " * self.drawn + "\r")
            self.stream.flush()
            self.drawn = 0

    def _line(self, text: str) -> None:
        self._erase()
        self.stream.write(text + "\n")
        self.stream.flush()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):  # a closed or fake stream
        return False
