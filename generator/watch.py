"""Watching source folders by polling: which files changed between two looks.

Polling `stat` every few milliseconds is simple, portable and fast enough for
a site's few hundred source files; editor swap and backup files are ignored so
a save never triggers two rebuilds and the preview never loops on its own output.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Iterable

IGNORED_DIRS = frozenset({".git", ".hg", ".svn", ".cache", "__pycache__", "node_modules", ".idea", ".vscode"})
SWAP_NAMES = frozenset({"4913", ".DS_Store"})  # 4913: the file Vim creates to test a folder is writable
SWAP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".swpx", ".kate-swp", ".tmp", ".pyc", "___jb_tmp___", "___jb_old___")
SWAP_PREFIXES = (".#", "#", ".goutputstream-")

def is_ignored(name: str) -> bool:
    """Editor swap, backup and lock files, and bytecode: never a reason to rebuild."""
    return name in SWAP_NAMES or name.endswith(SWAP_SUFFIXES) or name.startswith(SWAP_PREFIXES)


def snapshot(folders: Iterable[Path]) -> dict[str, tuple[int, int, int]]:
    """path -> (mtime_ns, size, inode) of every watched file; the inode catches save-by-rename."""
    found: dict[str, tuple[int, int, int]] = {}
    for folder in folders:
        for dirpath, dirnames, filenames in os.walk(folder):
            dirnames[:] = [d for d in dirnames if d not in IGNORED_DIRS]
            for name in filenames:
                if not is_ignored(name):
                    _stat_into(found, os.path.join(dirpath, name))
    return found


def _stat_into(found: dict, path: str) -> None:
    try:
        stat = os.stat(path)
    except OSError:  # gone between listing and stat: the next poll sees it missing
        return
    found[path] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def changed_paths(before: dict, after: dict) -> set[str]:
    """Files added, removed or modified between two snapshots."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}
