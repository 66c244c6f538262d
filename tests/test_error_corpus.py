"""The error corpus: one broken site per folder in tests/errors/, with its exact messages.

Each case folder holds only what differs from tests/sites/minimal, at the same
relative paths, plus `expected.txt`:

- `<path>`          replaces (or adds) that file;
- `<path>.delete`   deletes that file from the base site;
- `<path>.symlink`  makes `<path>` a symbolic link to the target written inside
                    (links are made here, never stored in git);
- `expected.txt`    the exact stderr lines, ending with `Build failed: N errors.`;
                    an empty file means the site must build cleanly (exit 0,
                    nothing on stderr).

The expected files are written by hand after reading what the build prints;
nothing here rewrites them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main

TESTS = Path(__file__).resolve().parent
CASES = TESTS / "errors"
EXPECTED = "expected.txt"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if p.is_dir())


# Local helpers rather than `from support import ...`: another conftest.py (tests/browser/)
# can own the module name `conftest` depending on collection order.
def copy_minimal(into: Path) -> Path:
    """tests/sites/minimal with the project's templates and collections, in `into`."""
    shutil.copytree(TESTS / "sites" / "minimal", into)
    shutil.copytree(TESTS.parent / "templates", into / "templates")
    shutil.copy2(TESTS.parent / "site_src" / "models.py", into / "site_src" / "models.py")
    return into


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def apply_overlay(case: Path, root: Path) -> None:
    """Lay a case folder over a copy of the minimal site."""
    for source in sorted(case.rglob("*")):
        relative = source.relative_to(case)
        if source.is_dir() or relative.as_posix() == EXPECTED:
            continue
        target = root / relative
        if source.name.endswith(".delete"):
            target.with_name(source.name.removesuffix(".delete")).unlink()
        elif source.name.endswith(".symlink"):
            link = target.with_name(source.name.removesuffix(".symlink"))
            link.parent.mkdir(parents=True, exist_ok=True)
            link.symlink_to(source.read_text(encoding="utf-8").strip())
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target)


def expected_lines(case: Path) -> list[str]:
    return (case / EXPECTED).read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def built_minimal(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The valid minimal site, built once; each case starts from a copy of it."""
    root = copy_minimal(tmp_path_factory.mktemp("baseline") / "project")
    result = build(root)
    assert result.exit_code == 0, result.output
    return root


def build(root: Path):
    # -q: problems only. Without it a build that runs past a second on a loaded machine also
    # prints a progress line, which is not what these cases are about.
    return CliRunner().invoke(main, ["build", "-q", "--root", str(root)], catch_exceptions=False)


def test_corpus_is_large_enough() -> None:
    assert len(CASE_NAMES) >= 32
    for name in CASE_NAMES:
        assert (CASES / name / EXPECTED).is_file(), f"{name} has no {EXPECTED}"


@pytest.mark.parametrize("name", CASE_NAMES)
def test_error_case(name: str, built_minimal: Path, tmp_path: Path) -> None:
    case = CASES / name
    root = tmp_path / "project"
    shutil.copytree(built_minimal, root, symlinks=True)
    before = tree_bytes(root / "output")
    apply_overlay(case, root)

    result = build(root)

    expected = expected_lines(case)
    assert "Traceback" not in result.output and "Traceback" not in result.stderr
    assert "internal failure" not in result.stderr
    assert result.stderr.splitlines() == expected
    if expected:
        assert result.exit_code == 1
        assert expected[-1].startswith("Build failed: ")
    else:
        assert result.exit_code == 0, result.stderr
    # A failed build writes nothing; the must-build cases are encoding variants
    # of the minimal site, so they too must leave every output byte as it was.
    assert tree_bytes(root / "output") == before
