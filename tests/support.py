"""Helpers shared by tests (a plain module: test files import it, conftest re-exports it)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def copy_site(case: str, into: Path) -> Path:
    """A test site from tests/sites/<case>, with the project's templates, in `into`."""
    shutil.copytree(SITES / case, into, dirs_exist_ok=True)
    if not (into / "templates").exists():
        shutil.copytree(REPO / "templates", into / "templates")
    return into


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, for whole-tree comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
