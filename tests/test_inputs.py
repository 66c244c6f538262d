"""Cache keys follow what each step read: an edit to any kind of input changes exactly the
outputs a build from nothing would change, and no stale output survives.

The oracle is not a hand-made list: for each edit, the site is also built from scratch
without any cache, and the cached rebuild must write exactly the files whose bytes differ
between the two from-scratch builds, and end byte-identical to the second one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from generator import inputs
from generator.build import build
from generator.cache import Cache
from generator.config import THEME_DIR, load_config
from support import tree_bytes

READER_CHART = '''import csv

import altair as alt

from generator import chart


@chart("file-counts", title="Counts by year", description="Bar chart of counts from a file the chart reads.",
       sources=["wire-2025-04-04"])
def file_counts(data):
    with open(data.file("extra/counts.csv"), newline="") as handle:
        rows = [{"year": row["year"], "n": int(row["n"])} for row in csv.DictReader(handle)]
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(x="year:O", y="n:Q")
'''

VL_CHART = '''{"description": "Bar chart of counts from a static CSV.", "title": "Static counts",
 "usermeta": {"explainer": {"sources": ["wire-2025-04-04"]}},
 "data": {"url": "static/counts.csv"}, "mark": "bar",
 "encoding": {"x": {"field": "year", "type": "ordinal"}, "y": {"field": "n", "type": "quantitative"}}}
'''

CHANGELOG = '''- date: 2025-06-01
  title: Site launched
  note: First version.
'''

CHANGES_PAGE = '''  - url: changes/
    template: changes.html
    title: What changed
    description: Corrections and updates.
'''


def _append(relative: str, text: str):
    def edit(root: Path) -> None:
        path = root / relative
        path.write_text(path.read_text() + text)
    return edit


def _replace(relative: str, old: str, new: str):
    def edit(root: Path) -> None:
        path = root / relative
        content = path.read_text()
        assert old in content, f"{old!r} not in {relative}"
        path.write_text(content.replace(old, new, 1))
    return edit


def _override_include(root: Path) -> None:
    theme = (THEME_DIR / "partials" / "chart.html").read_text()
    (root / "templates" / "partials" / "chart.html").write_text(theme + "<!-- an edited include -->\n")


# kind of input -> (edit, a path that must be among the changed outputs)
EDITS = {
    "data file": (_replace("site_src/data/contracts.csv", "Lane 2", "Lane II"), "contracts/lane2-spacex/index.html"),
    "file a chart reads": (_replace("site_src/extra/counts.csv", "2024,7", "2024,9"), "embed/file-counts/data.csv"),
    "file a Vega-Lite chart inlines": (_replace("site_src/static/counts.csv", "2024,7", "2024,8"), "embed/counts/data.csv"),
    "template": (_replace("templates/organization.html", "</article>", "<p>An edited template.</p></article>"), None),
    "include": (_override_include, "explainers/lane2/index.html"),
    "static file": (_append("site_src/static/favicon.svg", "<!-- edited -->\n"), "favicon.svg"),
    "changelog": (_append("site_src/changelog.yaml", "- date: 2025-06-20\n  title: A second entry\n  note: More.\n"), "changes/index.html"),
    "site.yaml": (_replace("site_src/site.yaml", "Test desk", "Test newsroom"), "feed.xml"),
}


def _project(make_site) -> Path:
    root = make_site({
        "site_src/charts/file_counts.py": READER_CHART,
        "site_src/extra/counts.csv": "year,n\n2023,5\n2024,7\n",
        "site_src/charts/counts.vl.json": VL_CHART,
        "site_src/static/counts.csv": "year,n\n2023,4\n2024,7\n",
        "site_src/changelog.yaml": CHANGELOG,
    })
    site_yaml = root / "site_src" / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("nav:\n", CHANGES_PAGE + "nav:\n"))
    return root


def _from_scratch(root: Path, out: Path) -> dict[str, bytes]:
    build(load_config(root, out), Cache(None))
    return tree_bytes(out)


def _differing(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


@pytest.mark.parametrize("long_lived", [False, True], ids=["new process", "preview process"])
@pytest.mark.parametrize("kind", list(EDITS))
def test_an_edit_to_each_kind_of_input_changes_exactly_what_depends_on_it(make_site, tmp_path, kind, long_lived):
    edit, must_change = EDITS[kind]
    root = _project(make_site)
    out, cache_dir = tmp_path / "out", tmp_path / "cache"
    shared = Cache(cache_dir)
    build(load_config(root, out), shared)
    before = _from_scratch(root, tmp_path / "scratch-before")
    edit(root)
    after = _from_scratch(root, tmp_path / "scratch-after")
    report = build(load_config(root, out), shared if long_lived else Cache(cache_dir))
    expected = _differing(before, after) - {".explainer-manifest.json"}
    assert expected, f"editing a {kind} changed no output: the test proves nothing"
    if must_change:
        assert must_change in expected
    assert set(report.changes.written) | set(report.changes.removed) == expected
    assert tree_bytes(out) == after


def test_a_static_file_edit_changes_only_that_file(make_site, tmp_path):
    root = _project(make_site)
    out = tmp_path / "out"
    build(load_config(root, out), Cache(tmp_path / "cache"))
    _append("site_src/static/favicon.svg", "<!-- edited -->\n")(root)
    report = build(load_config(root, out), Cache(tmp_path / "cache"))
    assert report.changes.written == ("favicon.svg",)


def test_a_chart_that_reads_a_csv_is_redrawn_when_only_the_csv_changes(make_site, tmp_path):
    """The bug this module exists for: the chart was cached on its code and the data only."""
    root = _project(make_site)
    out = tmp_path / "out"
    build(load_config(root, out), Cache(tmp_path / "cache"))
    assert "2024,7" in (out / "embed/file-counts/data.csv").read_text()
    (root / "site_src/extra/counts.csv").write_text("year,n\n2023,5\n2024,1234\n")
    report = build(load_config(root, out), Cache(tmp_path / "cache"))
    assert "embed/file-counts/data.csv" in report.changes.written
    assert "2024,1234" in (out / "embed/file-counts/data.csv").read_text()
    assert "1234" in (out / "embed/file-counts/chart.svg").read_text()


class _FirstLookups(Cache):
    """A cache that notes, per namespace, whether each key's first lookup was a hit."""

    def __init__(self, folder: Path):
        super().__init__(folder)
        self.first: dict[tuple[str, str], bool] = {}

    def get_bytes(self, namespace: str, key: str):
        value = super().get_bytes(namespace, key)
        self.first.setdefault((namespace, key), value is not None)
        return value

    def get_files(self, namespace: str, key: str):
        value = super().get_files(namespace, key)
        self.first.setdefault((namespace, key), value is not None)
        return value

    def namespaces_hit(self) -> set[str]:
        return {namespace for (namespace, _), hit in self.first.items() if hit}


def test_an_edit_to_the_generator_code_misses_every_cache_keyed_on_it(make_site, tmp_path, monkeypatch):
    root = _project(make_site)
    out, cache = tmp_path / "out", tmp_path / "cache"
    build(load_config(root, out), Cache(cache))
    warm = _FirstLookups(cache)
    build(load_config(root, tmp_path / "out2"), warm)
    assert {"data", "markdown", "chart-specs", "chart-files", "bundles"} <= warm.namespaces_hit()
    digest = inputs.package_digest
    monkeypatch.setattr(inputs, "package_digest", lambda folder: "edited" + digest(folder))
    inputs.code_version.cache_clear()
    try:
        after_edit = _FirstLookups(cache)
        build(load_config(root, tmp_path / "out3"), after_edit)
    finally:
        monkeypatch.undo()
        inputs.code_version.cache_clear()
    # Only what is a function of a third-party tool alone survives: the Vega bundle (vl-convert's
    # version), and chart images and cards, keyed on the exact spec or picture they draw.
    assert after_edit.namespaces_hit() <= {"bundles", "chart-images", "social-cards"}
    assert tree_bytes(tmp_path / "out3") == tree_bytes(tmp_path / "out2")


def test_data_file_is_only_for_charts_and_stays_inside_site_src(make_site, tmp_path, cli):
    root = _project(make_site)
    escaping = READER_CHART.replace('"extra/counts.csv"', '"../../outside.csv"')
    (root / "site_src/charts/file_counts.py").write_text(escaping)
    (tmp_path / "outside.csv").write_text("year,n\n")
    result = cli("build", "--root", root)
    assert result.exit_code == 1
    assert ("site_src/charts/file_counts.py:11: error: chart 'file-counts' failed: FileNotFoundError: "
            "data.file('../../outside.csv'): site_src/../../outside.csv is outside site_src/") in result.stderr
