"""Shared fixtures: small sites in temporary folders, and the CLI runner."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import pytest
from click.testing import CliRunner

from generator.cli import main
from support import copy_site

@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """make_site({"site_src/…": "text" or None to delete}, base="minimal") -> project root."""

    def make(files: dict[str, str | bytes | None] | None = None, base: str = "minimal") -> Path:
        root = copy_site(base, tmp_path / "project")
        for relative, content in (files or {}).items():
            path = root / relative
            if content is None:
                path.unlink()
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content if isinstance(content, bytes) else content.encode())
        return root

    return make


@pytest.fixture
def cli() -> Callable[..., object]:
    """cli("build", "--root", path) -> click Result (stdout and stderr kept apart)."""
    runner = CliRunner()

    def run(*args: str) -> object:
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return run


CHROMIUM = "/usr/bin/chromium"  # Debian's Chromium; `playwright install` cannot download browsers here
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole run: Playwright's sync API allows one instance per thread."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (`make browser-deps`)", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
