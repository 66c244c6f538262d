"""Writing the site: all or nothing, only what changed, pruning only what we made.

The new tree is staged beside the output folder (unchanged files hard-linked,
so they keep their inode and mtime), then swapped in with one atomic
`renameat2(RENAME_EXCHANGE)`. A build killed at any moment leaves either the
old site or the new one. A manifest of what the generator wrote tells pruning
which files it may delete; files someone else put there are carried over.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .cache import CachedFile, sha256_of
from .errors import BuildFailed, Problem

MANIFEST = ".explainer-manifest.json"
STAGING_PREFIX = ".staging-"
RENAME_EXCHANGE = 2
AT_FDCWD = -100


@dataclass(frozen=True)
class Changes:
    written: tuple[str, ...]
    unchanged: int
    removed: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.written) + len(self.removed)


def refuse_dangerous_out_dir(out_dir: Path, root: Path) -> None:
    """Never build into (and so prune) a folder that holds anything else of value."""
    out, root = out_dir.resolve(), root.resolve()
    protected = {Path("/"), Path.home().resolve(), root, root / "site_src", root / "templates", root / "generator", root / "tests"}
    inside_sources = any(out.is_relative_to(root / name) for name in ("site_src", "templates", "generator"))
    if out in protected or root.is_relative_to(out) or inside_sources:
        raise BuildFailed([Problem(str(out_dir), 0, 0, "refusing to use this folder as the output folder: it holds sources or more than the site")])


def safe_output_path(path: str) -> PurePosixPath:
    """A relative path that stays inside the output folder."""
    pure = PurePosixPath(path)
    if not path or "\0" in path or pure.is_absolute() or ".." in pure.parts or "\\" in path:
        raise BuildFailed([Problem(path or "<empty>", 0, 0, "output path would leave the output folder")])
    return pure


def write_outputs(outputs: dict[str, bytes], out_dir: Path, rewrite_all: bool = False) -> Changes:
    """Make `out_dir` hold exactly `outputs` (plus files we did not make).

    `rewrite_all` (--clean) writes every file afresh instead of keeping equal ones.
    """
    for path in outputs:
        safe_output_path(path)
    _remove_stale_staging(out_dir)
    old = _read_manifest(out_dir)
    new = {path: sha256_of(content) for path, content in outputs.items()}
    written = tuple(p for p in sorted(new) if rewrite_all or old.get(p) != new[p] or not (out_dir / p).is_file())
    removed = tuple(sorted(set(old) - set(new)))
    if not written and not removed:
        return Changes((), len(new), ())
    stage = _stage(outputs, new, written, old, out_dir)
    _swap_in(stage, out_dir)
    return Changes(written, len(new) - len(written), removed)


def _stage(outputs: dict[str, bytes], hashes: dict[str, str], written: tuple, old: dict, out_dir: Path) -> Path:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{STAGING_PREFIX}", dir=out_dir.parent))
    changed = set(written)
    for folder in sorted({PurePosixPath(path).parent for path in outputs}):
        (stage / folder).mkdir(parents=True, exist_ok=True)
    for path, content in outputs.items():
        target = stage / path
        if path not in changed and _link(out_dir / path, target):
            continue  # unchanged: keeps its inode and mtime
        if not (isinstance(content, CachedFile) and _link(content.source, target)):
            target.write_bytes(content)  # (a file from the cache is hard-linked: chart images)
    for foreign in _foreign_files(out_dir, old, outputs):
        (stage / foreign).parent.mkdir(parents=True, exist_ok=True)
        _link(out_dir / foreign, stage / foreign) or shutil.copy2(out_dir / foreign, stage / foreign)
    (stage / MANIFEST).write_text(json.dumps(hashes, sort_keys=True, indent=0))
    return stage


def _link(source: Path, target: Path) -> bool:
    try:
        os.link(source, target)
        return True
    except OSError:
        return False


def _foreign_files(out_dir: Path, old: dict, outputs: dict) -> list[str]:
    """Files in the output folder the generator did not make: never deleted."""
    if not out_dir.is_dir():
        return []
    found = []
    for path in out_dir.rglob("*"):
        relative = path.relative_to(out_dir).as_posix()
        if path.is_file() and relative != MANIFEST and relative not in old and relative not in outputs:
            found.append(relative)
    return sorted(found)


def _swap_in(stage: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(stage, out_dir)
        return
    if not _exchange(stage, out_dir):
        backup = stage.with_name(stage.name + "-old")
        os.rename(out_dir, backup)
        os.rename(stage, out_dir)
        stage = backup
    # The old tree is no longer the site: delete it without making the build wait.
    # (A process killed meanwhile leaves a staging folder the next build removes.)
    threading.Thread(target=shutil.rmtree, args=(stage,), kwargs={"ignore_errors": True}, name="remove-old-output").start()


def _exchange(a: Path, b: Path) -> bool:
    """Atomically swap two directories (Linux renameat2); False where unsupported."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE)
    return result == 0


def _remove_stale_staging(out_dir: Path) -> None:
    """Staging folders left by a killed build are ours to delete.

    Where renameat2 is missing the swap is two renames; a kill between them leaves
    the old site only in its '-old' folder, which is put back, not deleted.
    """
    if not out_dir.parent.is_dir():
        return
    if not out_dir.exists():
        backups = sorted(out_dir.parent.glob(f".{out_dir.name}{STAGING_PREFIX}*-old"))
        if backups:
            os.rename(backups[-1], out_dir)
    for stale in out_dir.parent.glob(f".{out_dir.name}{STAGING_PREFIX}*"):
        shutil.rmtree(stale, ignore_errors=True)


def _read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        value = json.loads((out_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return {}
    return value if isinstance(value, dict) else {}
