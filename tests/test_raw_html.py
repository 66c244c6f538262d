"""Script in Markdown: flagged at its Markdown line by --strict and `explainer check`, and
shown as text when site.yaml says `markdown: {raw_html: false}` (review M8)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from support import copy_site

WHY = "(the site's Content Security Policy blocks it, and hosts without that header run it)"
SCRIPTED = """
<p onmouseover="alert(3)">x</p> and <a href="javascript:alert(2)">x</a>

A paragraph with a handler.
{: onclick="alert(1)" }

<script>alert(4)</script>

[click](JavaScript:alert(5)) and ![img](data:image/svg+xml,abc) and `<script>` in code, which is text.
"""
FOUND = [
    f"site_src/explainers/lane2.md:23:4: error: unsafe HTML: event attribute 'onmouseover' on <p> {WHY}; remove it",
    f"site_src/explainers/lane2.md:23:46: error: unsafe HTML: a javascript: URL in 'href' of <a> {WHY}; use a page or a file of the site instead",
    f"site_src/explainers/lane2.md:26:4: error: unsafe HTML: event attribute 'onclick' on <p> {WHY}; remove it",
    f"site_src/explainers/lane2.md:28:1: error: unsafe HTML: a <script> element {WHY}; remove it",
    f"site_src/explainers/lane2.md:30:9: error: unsafe HTML: a javascript: URL in 'href' of <a> {WHY}; use a page or a file of the site instead",
    f"site_src/explainers/lane2.md:30:41: error: unsafe HTML: a data: URL in 'src' of <img> {WHY}; use a page or a file of the site instead",
]


@pytest.fixture()
def scripted(tmp_path: Path) -> Path:
    root = copy_site("minimal", tmp_path / "project")
    explainer = root / "site_src" / "explainers" / "lane2.md"
    explainer.write_text(explainer.read_text() + SCRIPTED)
    return root


def run(*args: str):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_strict_build_and_check_refuse_script_in_markdown_at_its_line(scripted: Path) -> None:
    plain = run("build", "--root", str(scripted), "-q")
    assert plain.exit_code == 0  # raw HTML stays allowed by default: a warning each
    assert plain.stderr.splitlines() == [line.replace(": error: ", ": warning: ") for line in FOUND]
    strict = run("build", "--root", str(scripted), "--strict", "--out", str(scripted / "strict-out"))
    assert strict.exit_code == 1
    assert strict.stderr.splitlines() == FOUND + ["Build failed: 6 errors."]
    check = run("check", "--root", str(scripted))
    assert check.exit_code == 1
    assert check.stderr.splitlines()[:6] == FOUND


def test_raw_html_off_shows_html_as_text_and_refuses_what_markdown_itself_makes(scripted: Path) -> None:
    site_yaml = scripted / "site_src" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "markdown:\n  raw_html: false\n")
    refused = run("build", "--root", str(scripted))
    assert refused.exit_code == 1
    assert refused.stderr.splitlines() == [FOUND[2], FOUND[4], FOUND[5], "Build failed: 3 errors."]
    explainer = scripted / "site_src" / "explainers" / "lane2.md"
    explainer.write_text(explainer.read_text().replace('{: onclick="alert(1)" }\n', "").replace("[click](JavaScript:alert(5)) and ![img](data:image/svg+xml,abc)", ""))
    built = run("build", "--root", str(scripted), "-q")
    assert built.exit_code == 0, built.stderr
    page = (scripted / "output" / "explainers" / "lane2" / "index.html").read_text()
    assert "<script>alert" not in page and "&lt;script&gt;alert(4)&lt;/script&gt;" in page
    assert "<p onmouseover" not in page and "&lt;p onmouseover=" in page
