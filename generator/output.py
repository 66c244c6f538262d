"""Writing the site: all or nothing, only what changed, pruning only what we made.

The new tree is staged beside the output folder (unchanged files hard-linked,
so they keep their inode and mtime), then swapped in with one atomic
`renameat2(RENAME_EXCHANGE)`. A build killed at any moment leaves either the
old site or the new one. A manifest of what the generator wrote tells pruning
which files it may delete; files, folders and symbolic links someone else put
there are carried over as they are.

The staging folder gets the modes a plain `mkdir` would under the user's umask
(mkdtemp makes it 0700, which would lock a web server out of the swapped-in
site). A write that fails (disk full, read-only disk) removes its staging folder
and is reported against the output folder, which stays as it was.
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
from typing import Optional

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


def write_outputs(outputs: dict[str, bytes], out_dir: Path, rewrite_all: bool = False, shown: Optional[str] = None) -> Changes:
    """Make `out_dir` hold exactly `outputs` (plus what we did not make).

    `rewrite_all` (--clean) writes every file afresh instead of keeping equal ones.
    `shown` names the output folder in errors as the user knows it (default: `out_dir`).
    """
    for path in outputs:
        safe_output_path(path)
    remove_stale_staging(out_dir)
    old = _read_manifest(out_dir)
    new = {path: sha256_of(content) for path, content in outputs.items()}
    written = tuple(p for p in sorted(new) if rewrite_all or old.get(p) != new[p] or not (out_dir / p).is_file())
    removed = tuple(sorted(set(old) - set(new)))
    if not written and not removed:
        return Changes((), len(new), ())
    stage = None
    try:
        stage = _make_stage(out_dir)
        _stage(stage, outputs, new, written, old, out_dir)
        _swap_in(stage, out_dir)
    except OSError as err:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)  # a full disk gets its space back
        # The message names the output folder, never the staging folder: that one is gone.
        reason = err.strerror or type(err).__name__
        raise BuildFailed([Problem(shown or str(out_dir), 0, 0, f"cannot write the output folder: {reason}")]) from err
    return Changes(written, len(new) - len(written), removed)


def _make_stage(out_dir: Path) -> Path:
    """An empty staging folder beside `out_dir`, with the mode mkdir would give it."""
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}{STAGING_PREFIX}", dir=out_dir.parent))
    os.chmod(stage, 0o777 & ~current_umask())  # mkdtemp's 0700 would become output/'s mode
    return stage


def _stage(stage: Path, outputs: dict[str, bytes], hashes: dict[str, str], written: tuple, old: dict, out_dir: Path) -> None:
    changed = set(written)
    readable = 0o444 & ~current_umask()  # a hard link must not make a file less readable than a new one
    for folder in sorted({PurePosixPath(path).parent for path in outputs}):
        (stage / folder).mkdir(parents=True, exist_ok=True)
    for path, content in outputs.items():
        target = stage / path
        if path not in changed and _link(out_dir / path, target, readable):
            continue  # unchanged: keeps its inode and mtime
        if not (isinstance(content, CachedFile) and _link(content.source, target, readable)):
            target.write_bytes(content)  # (a file from the cache is hard-linked: chart images)
    _carry_foreign(out_dir, stage, old, outputs)
    (stage / MANIFEST).write_text(json.dumps(hashes, sort_keys=True, indent=0))


def current_umask() -> int:
    """The process umask. Linux shows it in /proc, so no thread ever sees it changed;
    elsewhere it is set and put back at once (the only way to read it)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _link(source: Path, target: Path, readable: int = 0) -> bool:
    """Hard-link `source` at `target`; False (nothing made) if it cannot be, or if `source`
    lacks read bits in `readable` (a file cached under a stricter umask is written afresh)."""
    try:
        if readable & ~os.stat(source).st_mode:
            return False
        os.link(source, target)
        return True
    except OSError:
        return False


def _carry_foreign(out_dir: Path, stage: Path, old: dict, outputs: dict) -> None:
    """Everything in the output folder the generator did not make, carried over as it is
    (never deleted): files (hard-linked), symbolic links (to files or folders, even broken
    ones) and folders (empty ones too). A folder that holds, or held, our files is ours: it
    is not carried for its own sake, so one emptied by pruning disappears."""
    if not out_dir.is_dir():
        return
    ours = {MANIFEST, *old, *outputs}
    our_folders = {parent.as_posix() for path in ours for parent in PurePosixPath(path).parents}
    carried_folders = []
    for current, folders, files in os.walk(out_dir):
        base = Path(current)
        prefix = base.relative_to(out_dir).as_posix() + "/" if base != out_dir else ""
        for name in folders + files:
            relative = prefix + name
            if relative not in ours and (relative not in our_folders or (base / name).is_symlink()):
                if _carry(base / name, stage / relative, relative in our_folders):
                    carried_folders.append((base / name, stage / relative))
        # Carried symbolic links to folders are not walked into (os.walk does not follow them).
        folders[:] = [name for name in folders if not (base / name).is_symlink()]
    for source, target in reversed(carried_folders):
        shutil.copymode(source, target)  # last, deepest first: a read-only folder is filled before it is closed


def _carry(source: Path, target: Path, taken: bool) -> bool:
    """Carry one foreign entry; True if it is a folder (its mode is copied once it is filled).
    `taken`: the generator now makes a folder at this path (its files win over a foreign link)."""
    if taken or target.exists() or target.is_symlink():
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    if source.is_symlink():
        os.symlink(os.readlink(source), target)
    elif source.is_dir():
        target.mkdir()
        return True
    elif not _link(source, target):
        shutil.copy2(source, target)
    return False


def _swap_in(stage: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(stage, out_dir)
        return
    if not _exchange(stage, out_dir):
        backup = stage.with_name(stage.name + "-old")
        os.rename(out_dir, backup)
        try:
            os.rename(stage, out_dir)
        except OSError:
            os.rename(backup, out_dir)  # the old site back in place before the error is reported
            raise
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


def remove_stale_staging(out_dir: Path) -> None:
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
