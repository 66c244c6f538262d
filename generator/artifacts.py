"""Declared outputs: every file the build writes has one producer.

Rendering collects files from several producers (assets, static files, charts, pages,
embeds, feeds, social cards). Merging plain dicts let one silently replace another, e.g.
a `site_src/static/robots.txt` and the generated one, or a page at an embed's URL. Here
each path is declared once, with who makes it and from where; a second claim is an error
located at the claimant a person can change, naming both.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .errors import BuildFailed, Problem


@dataclass(frozen=True)
class Producer:
    """Who makes a file: `what` for people ('the static file', "chart 'lanes'") and `where`,
    the source it comes from as 'path' or 'path:line' ('' for the generator's own)."""

    what: str
    where: str = ""

    def describe(self) -> str:
        return f"{self.what} ({self.where})" if self.where else self.what


class Artifacts:
    """Output path -> bytes, each declared by one producer."""

    def __init__(self) -> None:
        self._files: dict[str, bytes] = {}
        self._producers: dict[str, Producer] = {}
        self._problems: list[Problem] = []

    def declare(self, path: str, content: bytes, producer: Producer) -> None:
        first = self._producers.get(path)
        if first is None:
            self._files[path], self._producers[path] = content, producer
            return
        self._problems.append(_conflict(path, first, producer))

    def declare_all(self, files: Mapping[str, bytes], producer: Producer) -> None:
        for path, content in files.items():
            self.declare(path, content, producer)

    def get(self, path: str, default: bytes | None = None) -> bytes | None:
        return self._files.get(path, default)

    def paths(self) -> list[str]:
        """Every path declared so far."""
        return list(self._files)

    def producer(self, path: str) -> Producer:
        return self._producers[path]

    def problems(self) -> list[Problem]:
        """The second claims so far, as located errors."""
        return list(self._problems)

    def files(self) -> dict[str, bytes]:
        """Every declared file, sorted by path; raises if any path was claimed twice."""
        if self._problems:
            raise BuildFailed(list(self._problems))
        return dict(sorted(self._files.items()))


def _conflict(path: str, first: Producer, second: Producer) -> Problem:
    # Point at a file the person wrote: the second claimant's if it has one, else the first's.
    located = second if second.where else first
    shown, _, line = located.where.partition(":")
    message = f"'{path}' would be written twice: by {first.describe()} and by {second.describe()}; move or remove one"
    return Problem(shown or "site_src/site.yaml", int(line) if line.isdigit() else 0, 0, message)
