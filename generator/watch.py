"""Watching source folders for the live preview, with the OS's file events (watchfiles).

watchfiles waits on inotify (FSEvents, ReadDirectoryChangesW elsewhere) instead of
walking the tree: an idle preview costs next to nothing however many files the site
has. A burst of saves comes out as one batch once the files have been quiet for
`quiet_ms`: watchfiles' own debounce ends a batch when its set of changes stops
growing for one step, so ten saves of one file would be several batches; a batch
followed by a timeout (the rest of the quiet) marks the end of the burst instead. Editor
swap and backup files are ignored, so a save never triggers two rebuilds and the preview
never loops on its own output.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Callable, Generator, Iterable, Iterator

import watchfiles

IGNORED_DIRS = frozenset({".git", ".hg", ".svn", ".cache", "__pycache__", "node_modules", ".idea", ".vscode"})
SWAP_NAMES = frozenset({"4913", ".DS_Store"})  # 4913: the file Vim creates to test a folder is writable
SWAP_SUFFIXES = ("~", ".swp", ".swo", ".swx", ".swpx", ".kate-swp", ".tmp", ".pyc", "___jb_tmp___", "___jb_old___")
SWAP_PREFIXES = (".#", "#", ".goutputstream-")
STEP_MS = 25  # how often watchfiles' Rust side gathers events and looks at the stop flag


def is_ignored(name: str) -> bool:
    """Editor swap, backup and lock files, and bytecode: never a reason to rebuild."""
    return name in SWAP_NAMES or name.endswith(SWAP_SUFFIXES) or name.startswith(SWAP_PREFIXES)


def source_filter(folders: list[Path]) -> Callable[[watchfiles.Change, str], bool]:
    """The watch filter: a path under `folders` that may change the site (not a tool's folder
    or anything in it, not a swap file). Only the part below the watched folder counts: a
    project kept under ~/.cache is still watched."""

    def is_source(change: watchfiles.Change, path: str) -> bool:
        changed = Path(path)
        for folder in folders:
            if changed.is_relative_to(folder):
                parts = changed.relative_to(folder).parts
                return bool(parts) and not is_ignored(parts[-1]) and not IGNORED_DIRS.intersection(parts)
        return False

    return is_source


def source_changes(folders: Iterable[Path], stop: threading.Event, quiet_ms: int) -> Iterator[list[str]]:
    """Sorted paths changed in each burst of saves under `folders`, until `stop` is set.

    A folder that does not exist yet (a project's first templates/) is looked for once per
    quiet period and watched from when it appears; its files then count as one burst.
    """
    wanted = [folder.resolve() for folder in folders]
    while not stop.is_set():
        existing = [folder for folder in wanted if folder.is_dir()]
        appeared = yield from _bursts_until_one_appears(existing, [f for f in wanted if f not in existing], stop, quiet_ms)
        if not appeared:
            return
        counts = source_filter(appeared)
        yield sorted({str(folder) for folder in appeared} | {str(path) for folder in appeared for path in folder.rglob("*")
                                                               if path.is_file() and counts(watchfiles.Change.added, str(path))})


def _bursts_until_one_appears(existing: list[Path], missing: list[Path], stop: threading.Event, quiet_ms: int) -> Generator[list[str], None, list[Path]]:
    """The bursts under `existing`, until `stop` (returns []) or one of `missing` is a folder (returns those)."""
    def appeared() -> list[Path]:
        return [folder for folder in missing if folder.is_dir()]

    if not existing:
        while not stop.wait(quiet_ms / 1000):
            if found := appeared():
                return found
        return []
    batches = watchfiles.watch(*existing, watch_filter=source_filter(existing), step=STEP_MS, rust_timeout=max(quiet_ms - STEP_MS, STEP_MS),
                               yield_on_timeout=True, stop_event=stop, raise_interrupt=False)
    pending: set[str] = set()
    try:
        for batch in batches:  # an empty batch: nothing changed for quiet_ms
            if batch:
                pending |= {path for _, path in batch}
                continue
            if pending:
                yield sorted(pending)
                pending = set()
            if missing and (found := appeared()):
                return found
    finally:
        batches.close()  # stops watchfiles' Rust watcher before a new one starts
    return []
