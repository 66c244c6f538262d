"""The no-change fast path: a digest of every input, remembered per output folder.

When site_src/, templates/, our own code, the tool versions and the build
options are all byte-for-byte what produced the output folder, and the folder's
manifest is untouched, the build has nothing to do: it checks hashes and writes
nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict
from pathlib import Path
from typing import Optional

from .cache import Cache
from .config import Config
from .errors import BuildFailed, Problem
from .output import MANIFEST, remove_stale_staging


def inputs_digest(config: Config, versions: str, options: str) -> str:
    """sha256 over every source file, our own code and tool versions (`versions`: code_version()) and options."""
    digest = hashlib.sha256(f"{versions}\0{options}\0{config.out_dir}\0".encode())
    unreadable = []
    for folder in (config.src_dir, config.templates_dir):
        for relative, path in files_under(folder):
            try:
                digest.update(relative.encode() + b"\0" + path.read_bytes() + b"\0")
            except OSError as err:
                unreadable.append(Problem(config.shown(path), 0, 0, _unreadable(path, err)))
    if unreadable:
        raise BuildFailed(unreadable)
    return digest.hexdigest()


def _unreadable(path: Path, err: OSError) -> str:
    if path.is_symlink() and not path.exists():
        return f"symbolic link to '{os.readlink(path)}' leads to no file: fix or remove it"
    return f"cannot be read: {err.strerror or err}"


def folder_digest(folder: Path, skip: tuple[str, ...] = ()) -> str:
    """sha256 over the names and bytes of every file under `folder`, but its top-level `skip` folders."""
    digest = hashlib.sha256()
    for relative, path in files_under(folder, skip):
        digest.update(relative.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def files_under(folder: Path, skip: tuple[str, ...] = ()) -> list[tuple[str, Path]]:
    """(posix path relative to `folder`, path) of every file, sorted by that path; skipped
    top-level folders and __pycache__ are never walked (at 10,000 explainers, walking and
    sorting Path objects cost more than hashing)."""
    found = []
    for current, folders, files in os.walk(folder):
        base = Path(current)
        prefix = base.relative_to(folder).as_posix() + "/" if base != folder else ""
        folders[:] = [name for name in folders if name != "__pycache__" and not (base == folder and name in skip)]
        found += [(prefix + name, base / name) for name in files]
    return sorted(found, key=lambda item: item[0])


def _slot(config: Config) -> str:
    return hashlib.sha256(str(config.out_dir).encode()).hexdigest()


def _manifest_digest(out_dir: Path) -> Optional[str]:
    try:
        return hashlib.sha256((out_dir / MANIFEST).read_bytes()).hexdigest()
    except OSError:
        return None


def previous_build(config: Config, cache: Cache, inputs: str) -> Optional[dict]:
    """The remembered result of the build that made the output folder from these inputs."""
    # A build that failed or was killed may have left a staging folder (a full disk stays
    # full while it is there); this path writes nothing, so it is the one to clear it.
    remove_stale_staging(config.out_dir)
    entry = cache.get_json("builds", _slot(config))
    if not entry or entry.get("inputs") != inputs:
        return None
    manifest = _manifest_digest(config.out_dir)
    if manifest is None or manifest != entry.get("manifest"):
        return None
    return entry if _all_present(config.out_dir) else None


def _all_present(out_dir: Path) -> bool:
    """Every file the manifest lists is still there (someone may have deleted one by hand)."""
    try:
        listed = json.loads((out_dir / MANIFEST).read_text())
    except (OSError, ValueError):
        return False
    return all((out_dir / path).is_file() for path in listed)


def remember_build(config: Config, cache: Cache, inputs: str, pages: int, charts: int, files: int, warnings: tuple[Problem, ...]) -> None:
    cache.put_json("builds", _slot(config), {
        "inputs": inputs, "manifest": _manifest_digest(config.out_dir), "pages": pages, "charts": charts,
        "files": files, "warnings": [asdict(w) for w in warnings],
    })


def remembered_warnings(entry: dict) -> tuple[Problem, ...]:
    return tuple(Problem(**w) for w in entry.get("warnings", []))
