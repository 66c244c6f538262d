"""The whole pipeline on a small site: outputs, determinism, write-if-changed, all-or-nothing."""

import re
import json
import os
import shutil
from pathlib import Path

import pytest

from support import tree_bytes
from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.errors import BuildFailed

GOLDEN = Path(__file__).parent / "golden" / "minimal"
TEXT_SUFFIXES = (".html", ".csv", ".json", ".xml", ".txt")  # CSS is covered by its hashed name in the pages


def build_into(root: Path, out: Path, cache: Cache | None = None):
    return build(load_config(root, out), cache or Cache(None))


def test_the_site_has_every_kind_of_page(make_site):
    root = make_site()
    report = build_into(root, root / "output")
    files = set(tree_bytes(root / "output"))
    assert {"index.html", "404.html", "explainers/lane2/index.html", "contracts/lane2-spacex/index.html",
            "organizations/spacex/index.html", "sources/index.html", "timeline/index.html", "embed/charts.json"} <= files
    assert report.pages == 11 and report.charts == 1


def test_charts_are_drawn_as_svg_in_the_page_and_as_files(make_site):
    root = make_site()
    build_into(root, root / "output")
    page = (root / "output/explainers/lane2/index.html").read_text()
    assert '<img src="/embed/lane2-missions/inline.svg" alt="Bar chart: SpaceX is expected to fly 28 missions, Blue Origin 7."' in page
    assert re.search(r'<source srcset="/embed/lane2-missions/inline-dark.svg" media="screen and \(prefers-color-scheme: dark\)" width="\d+" height="\d+">', page)
    svg = (root / "output/embed/lane2-missions/inline.svg").read_text()
    assert svg.startswith("<svg") and "SpaceX" in svg and "Blue Origin" in svg
    exported = (root / "output/embed/lane2-missions/chart.svg").read_text()
    assert "Sources: Example Wire (April 4, 2025)" in exported and "Data as of June 30, 2025" in exported
    assert (root / "output/embed/lane2-missions/chart@2x.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_figures_in_prose_link_to_their_source(make_site):
    root = make_site()
    build_into(root, root / "output")
    page = (root / "output/explainers/lane2/index.html").read_text()
    assert ('<a class="figure" href="/sources/#wire-2025-04-04" title="Source: Example Wire, 2025-04-04" '
            'data-record="lane2-spacex">$5.9 billion</a>') in page
    assert "$2.3 billion to $2.4 billion</a>" in page
    assert '<abbr title="National Security Space Launch">NSSL</abbr>' in page


def test_two_builds_into_different_folders_are_byte_identical(make_site, tmp_path):
    root = make_site()
    build_into(root, tmp_path / "a")
    build_into(root, tmp_path / "b", Cache(tmp_path / "cache"))
    assert tree_bytes(tmp_path / "a") == tree_bytes(tmp_path / "b")


def test_a_second_build_rewrites_no_file(make_site):
    root = make_site()
    out = root / "output"
    build_into(root, out)
    before = {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}
    report = build_into(root, out)
    assert report.changes.count == 0
    assert {p: (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()} == before


def test_an_edit_rewrites_only_what_changed_and_prunes_what_is_gone(make_site):
    root = make_site()
    out = root / "output"
    build_into(root, out)
    (out / "robots-by-hand.txt").write_text("kept: not ours\n")
    events = root / "site_src/data/events.yaml"
    events.write_text(events.read_text().replace("Lane 2 contracts awarded", "Lane 2 awards announced"))
    (root / "site_src/data/glossary.yaml").unlink()
    report = build_into(root, out)
    assert "timeline/index.html" in report.changes.written
    assert "contracts/lane2-spacex/index.html" not in report.changes.written
    assert (out / "robots-by-hand.txt").read_text() == "kept: not ours\n"


def test_a_failed_build_leaves_the_output_exactly_as_it_was(make_site):
    root = make_site()
    out = root / "output"
    build_into(root, out)
    before = tree_bytes(out)
    (root / "site_src/data/events.yaml").write_text("- id: e1\n  date: 2025-13-45\n  title: Bad\n")
    with pytest.raises(BuildFailed):
        build_into(root, out)
    assert tree_bytes(out) == before


@pytest.mark.parametrize("out", ["site_src", "templates", "."])
def test_dangerous_output_folders_are_refused(make_site, out):
    root = make_site()
    with pytest.raises(BuildFailed, match="refusing to use this folder as the output folder"):
        build_into(root, root / out)


def test_manifest_lists_every_chart_and_its_urls_resolve(make_site):
    root = make_site()
    build_into(root, root / "output")
    manifest = json.loads((root / "output/embed/charts.json").read_text())
    [entry] = manifest["charts"]
    assert entry["id"] == "lane2-missions" and entry["sources"][0]["outlet"] == "Example Wire"
    for url in entry["urls"].values():
        assert (root / "output" / url.removeprefix("https://example.org/")).is_file(), url


def test_chart_csv_is_plain_rfc_4180_and_its_provenance_is_in_the_json(make_site):
    root = make_site()
    build_into(root, root / "output")
    raw = (root / "output/embed/lane2-missions/data.csv").read_bytes()
    assert raw == b"company,missions\r\nSpaceX,28\r\nBlue Origin,7\r\n"  # header first, CRLF, nothing else
    meta = json.loads((root / "output/embed/lane2-missions/data.json").read_text())
    assert meta["title"] == "Lane 2 missions by company" and meta["sources"] == "Sources: Example Wire (April 4, 2025)"
    assert meta["as_of"] == "2025-06-30" and meta["rows"] == [{"company": "SpaceX", "missions": 28}, {"company": "Blue Origin", "missions": 7}]


def text_tree(folder: Path) -> dict[str, str]:
    return {k: v.decode() for k, v in tree_bytes(folder).items() if k.endswith(TEXT_SUFFIXES) and not k.startswith("assets/vega")}


def test_golden_site(make_site, tmp_path):
    """The text output of the minimal site, reviewed by a person, compared whole.

    On a mismatch the new tree is written to tests/golden/minimal-changed/ to diff and
    review; UPDATE_GOLDEN=1 (never in CI) accepts it.
    """
    root = make_site()
    build_into(root, tmp_path / "out")
    actual = text_tree(tmp_path / "out")
    if os.environ.get("UPDATE_GOLDEN") == "1" and not os.environ.get("CI"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        shutil.copytree(tmp_path / "out", GOLDEN, ignore=lambda d, names: [n for n in names if "." in n and not n.endswith(TEXT_SUFFIXES)])
    expected = text_tree(GOLDEN)
    if actual != expected:
        changed = GOLDEN.with_name("minimal-changed")
        shutil.rmtree(changed, ignore_errors=True)
        shutil.copytree(tmp_path / "out", changed)
    assert sorted(actual) == sorted(expected)
    for path in expected:
        assert actual[path] == expected[path], f"{path} differs from the golden copy (see tests/golden/minimal-changed/)"


def test_a_no_change_rebuild_checks_hashes_and_does_nothing_else(make_site, tmp_path, monkeypatch):
    import generator.build as build_module

    root = make_site()
    out, cache = root / "output", Cache(tmp_path / "cache")
    first = build_into(root, out, cache)
    monkeypatch.setattr(build_module, "model_site", lambda *a: (_ for _ in ()).throw(AssertionError("modelled again")))
    again = build_into(root, out, cache)
    assert (again.pages, again.charts, again.changes.count) == (first.pages, first.charts, 0)
    monkeypatch.undo()
    (out / "sources/index.html").unlink()
    repaired = build_into(root, out, cache)
    assert repaired.changes.written == ("sources/index.html",)
    page = root / "site_src/explainers/lane2.md"
    page.write_text(page.read_text() + "\nOne more sentence.\n")
    edited = build_into(root, out, cache)
    assert "explainers/lane2/index.html" in edited.changes.written


def test_cached_and_uncached_builds_are_byte_identical(make_site, tmp_path):
    root = make_site()
    cache = Cache(tmp_path / "cache")
    build_into(root, tmp_path / "cold", cache)
    build_into(root, tmp_path / "warm", cache)
    build_into(root, tmp_path / "none", Cache(None))
    assert tree_bytes(tmp_path / "cold") == tree_bytes(tmp_path / "warm") == tree_bytes(tmp_path / "none")


def test_a_chart_drawn_after_other_drawings_has_the_same_bytes(make_site, tmp_path):
    # Rounded bars are clipped, and Vega numbers clip paths with a counter that outlives one drawing.
    root = make_site()
    chart = root / "site_src/charts/awards.py"
    chart.write_text(chart.read_text().replace("mark_bar()", "mark_bar(cornerRadiusEnd=4)"))
    build_into(root, tmp_path / "first")
    build_into(root, tmp_path / "second")  # the same process: its Vega runtime has drawn this chart before
    assert tree_bytes(tmp_path / "first") == tree_bytes(tmp_path / "second")
    assert 'clip-path="url(#clip1)"' in (tmp_path / "first/embed/lane2-missions/inline.svg").read_text()


def test_a_warm_build_hard_links_chart_files_from_the_cache(make_site, tmp_path):
    root = make_site()
    cache = Cache(tmp_path / "cache")
    build_into(root, tmp_path / "cold", cache)
    build_into(root, tmp_path / "warm", cache)  # a fresh output folder, every chart a cache hit
    png = next((tmp_path / "warm/embed").glob("*/chart@2x.png"))
    stored = [p for p in (tmp_path / "cache/chart-files").rglob("chart@2x.png") if p.samefile(png)]
    assert stored and png.stat().st_nlink >= 2  # linked, not copied
    assert tree_bytes(tmp_path / "warm") == tree_bytes(tmp_path / "cold")


def test_compiled_templates_are_kept_in_the_cache_and_an_edited_template_is_used(make_site, tmp_path):
    root = make_site()
    cache = Cache(tmp_path / "cache")
    build_into(root, tmp_path / "out", cache)
    assert list((tmp_path / "cache/jinja").glob("__jinja2_*.cache"))
    template = root / "templates/home.html"
    template.write_text(template.read_text().replace("{% endblock %}", "<!-- edited template -->\n{% endblock %}"))
    build_into(root, tmp_path / "out", cache)
    assert "<!-- edited template -->" in (tmp_path / "out/index.html").read_text()


def test_a_damaged_chart_file_set_in_the_cache_is_a_miss(tmp_path):
    import pickle

    cache = Cache(tmp_path / "cache")
    cache.put_files("chart-files", "ab" * 32, {"chart.png": b"png", "data.csv": b"a,b\n"})
    files = cache.get_files("chart-files", "ab" * 32)
    assert files == {"chart.png": b"png", "data.csv": b"a,b\n"}
    assert pickle.loads(pickle.dumps(files["chart.png"])).source == files["chart.png"].source
    (files["data.csv"].source).unlink()
    assert cache.get_files("chart-files", "ab" * 32) is None
    (tmp_path / "cache/chart-files/ab" / ("ab" * 32) / ".digests.json").write_text("{not json")
    assert cache.get_files("chart-files", "ab" * 32) is None
    assert Cache(None).get_files("chart-files", "ab" * 32) is None


def test_a_parallel_build_is_byte_identical_to_a_serial_one(make_site, tmp_path, monkeypatch):
    import multiprocessing

    from generator import parallel
    from generator.parallel import SERIAL_BELOW

    pools = []
    real_get_context = multiprocessing.get_context
    monkeypatch.setattr(parallel.multiprocessing, "get_context", lambda method: pools.append(method) or real_get_context(method))

    pages = {f"site_src/explainers/e{i:03}.md": (f"---\ntitle: Explainer {i}\nsummary: Number {i}.\ndate: 2025-01-01\norder: {i}\n---\n\n"
                                                 f"## Part {i}\n\nSpaceX flies [[lane2-spacex.missions]] missions.\n") for i in range(SERIAL_BELOW + 10)}
    root = make_site(pages)
    build(load_config(root, tmp_path / "serial", jobs=1), Cache(None))
    assert pools == []  # --jobs 1 really is serial
    build(load_config(root, tmp_path / "parallel", jobs=2), Cache(None))
    assert pools  # and --jobs 2 really forks
    assert tree_bytes(tmp_path / "serial") == tree_bytes(tmp_path / "parallel")
    assert (tmp_path / "parallel/explainers/e007/index.html").is_file()


def test_an_interrupted_two_rename_swap_gets_the_old_site_back(make_site, tmp_path):
    from generator.output import remove_stale_staging

    root = make_site()
    out = root / "output"
    build_into(root, out)
    before = tree_bytes(out)
    out.rename(out.parent / ".output.staging-abc123-old")  # killed between the two renames
    remove_stale_staging(out)
    assert tree_bytes(out) == before
    assert not list(out.parent.glob(".output.staging-*"))
