"""A content-addressed cache in `.cache/`: the slow steps (chart specs, images) by hash.

Keys are sha256 hex digests of everything that determines the value (inputs
and tool versions), so an entry never goes stale; it is only ever unused.

The folder may come from elsewhere (a deploy host restores it into a fresh clone), so
nothing read from it is taken on trust: each stored value ends with the sha256 of its
bytes, and a file set keeps its files' digests. A value that fails the check (truncated,
edited, or in an older layout) is a miss, and is made and stored again.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Optional

DIGESTS = ".digests.json"  # the file list of a stored file set, with each file's sha256
CHECK = hashlib.sha256().digest_size  # the bytes of a stored value's trailing sha256


class Cache:
    """Get or make values by key; `Cache(None)` caches nothing (tests, --no-cache)."""

    def __init__(self, folder: Optional[Path]):
        self.folder = folder
        self.hits = 0
        self.misses = 0
        # Lookups per (namespace, found): a build reports how many chart images and social cards
        # it drew and how many it took from the cache (what a restored cache on a deploy host saved).
        self.lookups: Counter[tuple[str, bool]] = Counter()
        self._stored_unread: set[tuple[str, str]] = set()  # file sets stored and not yet read back
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
            stored = path.read_bytes() if path else None
        except OSError:
            stored = None
        value = _checked(stored)
        if stored is not None and value is None:
            _remove(path)  # damaged: made and stored again by this build
        self._count(namespace, value is not None)
        return value

    def _count(self, namespace: str, found: bool) -> None:
        self.hits += found
        self.misses += not found
        self.lookups[(namespace, found)] += 1

    def put_bytes(self, namespace: str, key: str, value: bytes) -> None:
        path = self._path(namespace, key, ".bin")
        if path is not None:
            _write_atomically(path, value + hashlib.sha256(value).digest())

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


    def get_files(self, namespace: str, key: str) -> Optional[dict[str, "CachedFile"]]:
        """A set of files stored together under `key` ({name: bytes}), or None. Each value
        remembers its cache file, so the output writer can hard-link it instead of writing it.

        Every file is checked against the sha256 stored with the set: the files are hard-linked
        into output/, so an edit made there in place reaches the cache too. A set that fails
        the check is removed, so that it is made and stored again."""
        folder = self._path(namespace, key, "")
        try:
            digests = json.loads((folder / DIGESTS).read_bytes()) if folder else None
            files = {name: CachedFile((folder / name).read_bytes(), folder / name, digest) for name, digest in digests.items()} if digests else None
        except (OSError, ValueError, TypeError, AttributeError):
            files = None
        if files is not None and not all(hashlib.sha256(content).hexdigest() == content.sha256 for content in files.values()):
            shutil.rmtree(folder, ignore_errors=True)
            files = None
        if (namespace, key) in self._stored_unread and files is not None:
            self._stored_unread.discard((namespace, key))  # the read-back of a set just made: no hit
        else:
            self._count(namespace, files is not None)
        return files

    def put_files(self, namespace: str, key: str, files: dict[str, bytes]) -> None:
        """Store plain-named files (no folders) under `key`, all or none (a temp folder renamed)."""
        folder = self._path(namespace, key, "")
        if folder is None:
            return
        temp = folder.with_name(f".tmp-{os.getpid()}-{threading.get_ident()}-{key}")
        try:
            temp.mkdir(parents=True, exist_ok=True)
            for name, content in files.items():
                (temp / name).write_bytes(content)
            (temp / DIGESTS).write_text(json.dumps({name: hashlib.sha256(content).hexdigest() for name, content in files.items()}, sort_keys=True))
            os.rename(temp, folder)
            self._stored_unread.add((namespace, key))
        except OSError:
            shutil.rmtree(temp, ignore_errors=True)  # another writer won the race, or the cache is read-only


class CachedFile(bytes):
    """Bytes read from the cache, with the file they came from and their sha256."""

    source: Path
    sha256: str

    def __new__(cls, content: bytes, source: Path, sha256: str) -> "CachedFile":
        made = super().__new__(cls, content)
        made.source, made.sha256 = source, sha256
        return made

    def __reduce__(self):
        return CachedFile, (bytes(self), self.source, self.sha256)


def sha256_of(content: bytes) -> str:
    """Hex sha256 of output bytes; a cached file's is already known."""
    return content.sha256 if isinstance(content, CachedFile) else hashlib.sha256(content).hexdigest()


def _checked(stored: Optional[bytes]) -> Optional[bytes]:
    """A stored value without its trailing sha256, or None when the bytes do not match it."""
    if stored is None or len(stored) < CHECK:
        return None
    value, digest = stored[:-CHECK], stored[-CHECK:]
    return value if hashlib.sha256(value).digest() == digest else None


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache: the entry stays a miss


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
