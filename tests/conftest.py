"""Shared fixtures: small sites in temporary folders, and the CLI runner."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from generator.cli import main

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def copy_site(case: str, into: Path) -> Path:
    """A test site from tests/sites/<case>, with the project's templates, in `into`."""
    shutil.copytree(SITES / case, into, dirs_exist_ok=True)
    if not (into / "templates").exists():
        shutil.copytree(REPO / "templates", into / "templates")
    return into


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({"site_src/…": "text" or None to delete}, base="minimal") -> project root."""

    def make(files: dict[str, str | bytes | None] | None = None, base: str = "minimal") -> Path:
        root = copy_site(base, tmp_path / "project")
        for relative, content in (files or {}).items():
            path = root / relative
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return root

    return make


@pytest.fixture
def cli() -> Callable[..., object]:
    """cli("build", "--root", path) -> click Result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def run(*args: str) -> object:
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, for whole-tree comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
