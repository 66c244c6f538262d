"""The self-hosted Vega bundle, checked against the digest recorded for its vl-convert version.

vl-convert-python bundles Vega, Vega-Lite and vega-embed into one script, which every
reader's browser runs. So a build publishes only the exact bytes this repository recorded
for the installed vl-convert version (`vega_bundles.json`, written by
`make vega-digest`), whether they come from vl-convert or from a cache: the project's, or
the machine-wide one every project on the machine shares (any of them can write it).
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .cache import Cache
from .errors import BuildFailed, Problem
from .workers import Label, Task, Workers, drawing_engine

DIGESTS = Path(__file__).with_name("vega_bundles.json")
SHOWN = "generator/vega_bundles.json"  # as the repository names it, in messages


def vega_bundle(cache: Cache) -> bytes:
    """The bundle for the installed vl-convert, from a cache when a cached copy is the recorded one.

    Making it takes vl-convert several seconds and depends only on its version, so besides
    the project's cache it is kept in the user's cache folder, shared by every project and
    every fresh clone on the machine. Entries are named by the recorded digest; one that does
    not match it (damaged, or written by someone else) is made again and replaced.
    """
    version = vl_convert_version()
    expected = recorded_digest(version)
    stores = [cache, Cache(user_cache_dir())]
    for index, store in enumerate(stores):
        found = store.get_bytes("bundles", expected)
        if found is not None and hashlib.sha256(found).hexdigest() == expected:
            break
    else:
        index, found = len(stores), checked(make_bundle(), version, expected)
    for store in stores[:index]:
        store.put_bytes("bundles", expected, found)
    return found


def vl_convert_version() -> str:
    from importlib.metadata import version

    return version("vl-convert-python")


def make_bundle() -> bytes:
    """Vega, Vega-Lite and vega-embed as one script, as the installed vl-convert bundles them.

    Made in a worker process, like every vl-convert call (the build process never loads it,
    so it can fork safely); this happens once per vl-convert version and machine."""
    doing = "making the Vega bundle"
    with Workers(jobs=1) as pool:
        made = pool.map([Task(javascript_bundle, (), Label(doing, doing, "assets/vega.js", engine="the drawing engine"), limit=0)])[0]
    if isinstance(made, BuildFailed):
        raise made
    return made


def javascript_bundle() -> bytes:
    """In a worker: vl-convert's bundle of Vega, Vega-Lite and vega-embed."""
    return drawing_engine().javascript_bundle().encode()


def recorded_digests() -> dict[str, dict]:
    """{vl-convert version: {"sha256": ..., and what the bundle holds}} from the repository."""
    return json.loads(DIGESTS.read_text(encoding="utf-8"))


def recorded_digest(version: str) -> str:
    known = recorded_digests()
    if version not in known:
        raise BuildFailed([Problem(SHOWN, 0, 0, (
            f"no digest recorded for the Vega bundle of vl-convert-python {version} (recorded: {', '.join(sorted(known))}); "
            "install the locked version (`make build`, or `pip install --require-hashes -r requirements/deploy.txt`), "
            "or lock this one and record its bundle with `make vega-digest`"))])
    return known[version]["sha256"]


def checked(bundle: bytes, version: str, expected: str) -> bytes:
    """The bundle vl-convert made, refused unless it is the one recorded for its version."""
    digest = hashlib.sha256(bundle).hexdigest()
    if digest != expected:
        raise BuildFailed([Problem(SHOWN, 0, 0, (
            f"the Vega bundle made by vl-convert-python {version} has sha256 {digest}, not the recorded {expected}; "
            "not publishing it (reinstall vl-convert-python from the lock: "
            "`pip install --force-reinstall --require-hashes -r requirements/deploy.txt`)"))])
    return bundle


def user_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "explainer"
