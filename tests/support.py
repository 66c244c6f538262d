"""Helpers shared by tests (a plain module: test files import it, conftest re-exports it)."""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

REPO = Path(__file__).resolve().parent.parent
SITES = Path(__file__).resolve().parent / "sites"


def minimal_schema():
    """The collections tests/sites/minimal is built with: the project's own site_src/models.py."""
    from generator.schema import load_schema

    return load_schema(REPO / "site_src" / "models.py", "site_src/models.py")


def copy_site(case: str, into: Path) -> Path:
    """A test site from tests/sites/<case>, with the project's templates and collections
    (site_src/models.py) unless the case has its own, in `into`."""
    shutil.copytree(SITES / case, into, dirs_exist_ok=True)
    if not (into / "templates").exists():
        shutil.copytree(REPO / "templates", into / "templates")
    if not (into / "site_src" / "models.py").exists():
        shutil.copy2(REPO / "site_src" / "models.py", into / "site_src" / "models.py")
    return into


def tree_bytes(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` by relative path, for whole-tree comparisons."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Static files without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the stdlib's name
        pass


@contextmanager
def serve_http(handler: Callable[..., http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """Serve with `handler` on 127.0.0.1 (a free port) from a thread; yields the origin."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def serve_folder(folder: Path) -> "contextmanager[str]":
    """Serve the files of `folder` on 127.0.0.1; yields the origin."""
    return serve_http(functools.partial(QuietHandler, directory=str(folder)))


BRANCH_SUMMARY = '    summary: str = Field("", description="One sentence about the branch.")'


def starter_with_fields(cli, folder: Path, *fields: str) -> Path:
    """`explainer new site` into `folder`, with field declarations added to the starter's Branch model."""
    assert cli("new", "site", folder).exit_code == 0
    models = folder / "site_src/models.py"
    models.write_text(models.read_text().replace(BRANCH_SUMMARY, "\n".join((BRANCH_SUMMARY,) + fields)))
    return folder
