"""A content-addressed cache in `.cache/`: the slow steps (chart specs, images) by hash.

Keys are sha256 hex digests of everything that determines the value (inputs
and tool versions), so an entry never goes stale; it is only ever unused.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any, Callable, Optional


class Cache:
    """Get or make values by key; `Cache(None)` caches nothing (tests, --no-cache)."""

    def __init__(self, folder: Optional[Path]):
        self.folder = folder
        self.hits = 0
        self.misses = 0
        self.memory: dict[tuple[str, str], Any] = {}

    def remembered(self, namespace: str, key: str) -> Any:
        """In-memory only, for this Cache's life (None if absent): a long-lived process (the
        live preview) keeps one Cache, so work cheap to redo but not worth storing is done once."""
        return self.memory.get((namespace, key))

    def remember(self, namespace: str, key: str, value: Any) -> None:
        self.memory[(namespace, key)] = value

    def forget(self, namespace: str, keep: set[str]) -> None:
        """Drop memo entries of `namespace` not in `keep` (bounds memory across rebuilds)."""
        self.memory = {slot: v for slot, v in self.memory.items() if slot[0] != namespace or slot[1] in keep}

    def _path(self, namespace: str, key: str, suffix: str) -> Optional[Path]:
        if self.folder is None:
            return None
        return self.folder / namespace / key[:2] / f"{key}{suffix}"

    def get_bytes(self, namespace: str, key: str) -> Optional[bytes]:
        path = self._path(namespace, key, ".bin")
        try:
            value = path.read_bytes() if path else None
        except OSError:
            value = None
        self.hits += value is not None
        self.misses += value is None
        return value

    def put_bytes(self, namespace: str, key: str, value: bytes) -> None:
        path = self._path(namespace, key, ".bin")
        if path is not None:
            _write_atomically(path, value)

    def get_json(self, namespace: str, key: str) -> Any:
        raw = self.get_bytes(namespace, key)
        try:
            return json.loads(raw) if raw is not None else None
        except ValueError:
            return None

    def put_json(self, namespace: str, key: str, value: Any) -> None:
        self.put_bytes(namespace, key, json.dumps(value, sort_keys=True).encode())

    def bytes_or_make(self, namespace: str, key: str, make: Callable[[], bytes]) -> bytes:
        """The cached bytes for `key`, or `make()` stored under it."""
        value = self.get_bytes(namespace, key)
        if value is None:
            value = make()
            self.put_bytes(namespace, key, value)
        return value


def _write_atomically(path: Path, value: bytes) -> None:
    # The cache is shared by parallel workers: write a temp file named for this process and
    # thread (no two writers share it, and it costs less than mkstemp's random names), then rename.
    temp = path.parent / f".tmp-{os.getpid()}-{threading.get_ident()}-{path.name}"
    try:
        try:
            temp.write_bytes(value)
        except FileNotFoundError:
            path.parent.mkdir(parents=True, exist_ok=True)
            temp.write_bytes(value)
        os.replace(temp, path)
    except OSError:
        pass  # a cache that cannot be written only makes the next build slower
