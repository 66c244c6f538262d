"""Problems found in the sources, and how they are reported.

Every stage collects `Problem`s and raises one `BuildFailed` at its end, so a
person sees all the mistakes of a stage at once, each at its file:line:col.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in one place. `line`/`col` are 1-based; 0 means unknown."""

    path: str
    line: int = 0
    col: int = 0
    message: str = ""
    severity: str = "error"

    def format(self) -> str:
        """Compiler form, which editors and CI logs make clickable."""
        where = self.path
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        return f"{where}: {self.severity}: {self.message}"


class BuildFailed(Exception):
    """Raised at the end of a stage that found problems."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems), key=_problem_order)
        super().__init__("\n".join(p.format() for p in self.problems))


def _problem_order(problem: Problem) -> tuple:
    return (problem.path, problem.line, problem.col, problem.message)


def raise_if_any(problems: list[Problem]) -> None:
    """End a stage: raise BuildFailed when it collected any problem."""
    if problems:
        raise BuildFailed(problems)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest choice, or ''."""
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def relative_path(path: Path, root: Path) -> str:
    """Path as shown in messages: relative to the project root when inside it."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def without_absolute_paths(text: str, shown: dict[Path, str]) -> str:
    """`text` (an internal failure's message) with the machine's absolute paths made relative:
    each folder of `shown` (and the staging folders the output writer makes beside it) is
    written as its shown name ("" for paths relative to it). Messages can reach a browser
    (the preview's overlay) and logs shared with others."""
    folders = sorted(((folder.resolve().as_posix(), name) for folder, name in shown.items()), key=lambda item: len(item[0]), reverse=True)
    for folder, name in folders:
        parent, _, base = folder.rpartition("/")
        staging = re.escape(f"{parent}/.{base}.staging-") + r"[^/'\"\s]*"
        text = re.sub(staging + "/", f"{name}/" if name else "", text)
        text = re.sub(staging, name or ".", text)
    for folder, name in folders:
        text = text.replace(folder + "/", f"{name}/" if name else "").replace(folder, name or ".")
    return text
