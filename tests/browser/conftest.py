"""Browser fixtures: the real site built once, served on 127.0.0.1, visited by Debian's Chromium.

One browser for the session and a new context per case; each (page, width,
theme) is visited once and the tests read its findings.

Set BROWSER_SITE=<case> to run the suite on tests/sites/<case> instead of the
real site (while the real content is still being written).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable, Iterator

import pytest

from .browsing import REPO, BuiltSite, Visit, build_site, screenshot_name, serve, visit_page


def pytest_collection_modifyitems(items: list) -> None:
    """Everything in tests/browser is a browser test, so `-m "not browser"` skips the folder."""
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> BuiltSite:
    """The real site (or tests/sites/$BROWSER_SITE), built once into a temporary folder."""
    case = os.environ.get("BROWSER_SITE")
    if not case:
        return build_site(REPO, tmp_path_factory.mktemp("site") / "output")
    root = tmp_path_factory.mktemp("project")
    shutil.copytree(REPO / "tests" / "sites" / case, root, dirs_exist_ok=True)
    if not (root / "templates").exists():
        shutil.copytree(REPO / "templates", root / "templates")
    return build_site(root, root / "output")


@pytest.fixture(scope="session")
def server(site: BuiltSite) -> Iterator[str]:
    with serve(site.folder) as base:
        yield base


@pytest.fixture(scope="session")
def visit(browser, server: str, site: BuiltSite) -> Callable[[str, str, str], Visit]:
    """visit(path, width, theme) -> Visit, each case loaded once for the whole session."""
    seen: dict[tuple[str, str, str], Visit] = {}

    def get(path: str, width: str = "desktop", theme: str = "light") -> Visit:
        key = (path, width, theme)
        if key not in seen:
            seen[key] = visit_page(browser, server, path, width, theme, screenshot=screenshot_name(site, path, width, theme))
        return seen[key]

    return get
