"""Inputs, recorded: a cached step is keyed by what it actually read, never by a hand-kept list.

A step that reads project files does so through a `Reads` (charts through
`data.file("extra/x.csv")`). Its cache entry stores the trace, each file read
with its sha256; the entry is used only while every file in the trace still
hashes the same. So a chart that reads a CSV is redrawn when that CSV changes,
whatever the chart's own code says. Our own code and the tool versions are one
digest, `code_version()`, in every key: any edit to the generator is a new key.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

from .sources import TextFile, read_text

CODE_SUFFIXES = (".py", ".js", ".html", ".css", ".svg", ".txt", ".yaml", ".md", ".json")  # code and the default theme
Trace = dict[str, str]  # posix path relative to the project's site_src/ -> sha256 of the bytes read


class Reads:
    """The project files one step read, each with the digest of the bytes it got."""

    def __init__(self, src_dir: Path):
        self.src_dir = src_dir
        self.trace: Trace = {}

    def bytes(self, path: Path) -> bytes:
        content = path.read_bytes()
        self.trace[self._name(path)] = hashlib.sha256(content).hexdigest()
        return content

    def text(self, path: Path, shown: str) -> TextFile:
        self.bytes(path)
        return read_text(path, shown)

    def file(self, relative: str) -> Path:
        """The path of a file under site_src/, recorded as read (for code that opens it itself)."""
        path = self.src_dir / relative
        inside = path.resolve().is_relative_to(self.src_dir.resolve())
        if not inside or not path.is_file():
            where = "is outside site_src/" if not inside else "does not exist"
            raise FileNotFoundError(f"data.file('{relative}'): site_src/{relative} {where}")
        self.bytes(path)
        return path

    def _name(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.src_dir.resolve()).as_posix()
        except ValueError:
            return path.resolve().as_posix()  # the default theme: covered by code_version() too


def trace_holds(trace: Trace, src_dir: Path) -> bool:
    """Whether every file of a stored trace still has the bytes it had."""
    for name, digest in trace.items():
        path = Path(name) if name.startswith("/") else src_dir / name
        try:
            if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
                return False
        except OSError:
            return False
    return True


def trace_digest(trace: Trace) -> str:
    return hashlib.sha256("\0".join(f"{name}={digest}" for name, digest in sorted(trace.items())).encode()).hexdigest()


@lru_cache(maxsize=1)
def code_version() -> str:
    """Tool versions and a digest of this whole package (code and default theme).

    One value for every cache key: an edit anywhere in the generator is a new key, so
    no key can miss a module the way a hand-kept list of modules did.
    """
    from importlib.metadata import PackageNotFoundError, version

    parts = []
    for package in ("altair", "vl-convert-python", "explainer-press", "jinja2", "markdown", "pydantic", "fonttools", "brotli"):
        try:
            parts.append(f"{package}={version(package)}")
        except PackageNotFoundError:
            parts.append(f"{package}=none")
    return ";".join(parts) + f";python={sys.version_info[:2]};code={package_digest(Path(__file__).parent)[:16]}"


def package_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for current, folders, files in sorted(os.walk(folder)):
        folders[:] = sorted(name for name in folders if name != "__pycache__")
        for name in sorted(files):
            if name.endswith(CODE_SUFFIXES):
                path = Path(current) / name
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()
