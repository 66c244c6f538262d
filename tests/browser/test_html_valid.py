"""Every built HTML page is valid HTML for the Nu HTML Checker (vnu.jar, run on Java).

Java and vnu.jar are required, not optional: without them this test fails and
says how to install them (a skipped test would hide the missing check).
"""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from .browsing import REPO

pytestmark = pytest.mark.browser

VNU_JAR = REPO / "tools" / "html-check" / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
INSTALL = ("install them with `make browser-deps`, or by hand: "
           "`apt-get install default-jre-headless` for Java and "
           "`npm ci --ignore-scripts --prefix tools/html-check` for vnu.jar")


def nu_messages(files: list[str]) -> list[dict]:
    """The checker's messages for `files` (it prints its JSON report on stderr)."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.is_file():
        missing = " and ".join(name for name, ok in (("java", java), ("tools/html-check/…/vnu.jar", VNU_JAR.is_file())) if not ok)
        pytest.fail(f"the HTML check needs {missing}: {INSTALL}", pytrace=False)
    done = subprocess.run([java, "-jar", str(VNU_JAR), "--errors-only", "--format", "json", *files],
                          capture_output=True, text=True, timeout=300)
    report = done.stderr.strip() or done.stdout.strip()
    try:
        return json.loads(report)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"vnu.jar did not answer with JSON (exit {done.returncode}):\n{report[:2000]}", pytrace=False)


def test_every_page_is_valid_html(site):
    files = [str(site.folder / path) for path in site.pages]
    messages = [m for m in nu_messages(files) if m.get("type") == "error" or m.get("subType") == "fatal"]
    lines = []
    for m in messages:
        shown = m.get("url", "").replace("file:", "").replace(str(site.folder) + "/", "output/")
        lines.append(f"{shown}:{m.get('lastLine', 0)}:{m.get('firstColumn', m.get('lastColumn', 0))}: error: {m.get('message')}"
                     f" [{m.get('extract', '').strip()[:80]}]")
    assert not lines, f"{len(lines)} HTML errors:\n" + "\n".join(lines)
    assert len(files) >= 5, f"only {len(files)} pages were checked"
