"""bench/newsroom.py writes newsroom shapes that build cleanly, and Hugo's copy has the same explainer bodies."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from support import REPO

sys.path.insert(0, str(REPO / "bench"))
import newsroom  # noqa: E402

FENCE = re.compile(r"^```chart (\S+)$", re.M)


def body(path: Path) -> str:
    """A Markdown file's text after its front matter."""
    return path.read_text(encoding="utf-8").split("\n---\n", 1)[1]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("newsroom") / "site"
    newsroom.write_ours(root, newsroom.Shape(3, "real"))
    return root


def test_the_real_site_with_three_synthetic_explainers_builds_strict(tiny):
    built = CliRunner().invoke(main, ["build", "--root", str(tiny), "--strict"])
    assert built.exit_code == 0, built.output
    assert "warning" not in built.output
    ids = newsroom.real_chart_ids(REPO / "site_src")
    for i in (1, 2, 3):
        page = (tiny / "output" / "explainers" / f"explainer-{i:05d}" / "index.html").read_text(encoding="utf-8")
        assert f'id="chart-{ids[i - 1]}"' in page  # its fence's chart, round robin from the site's first chart
    assert len(list((tiny / "output" / "assets" / "social").glob("*.png"))) > 3  # the real site's setting: a card per page


def test_hugo_gets_the_same_explainer_bodies(tiny, tmp_path):
    hugo = tmp_path / "hugo"
    newsroom.write_hugo(hugo, newsroom.Shape(3, "real"))
    ours = sorted((tiny / "site_src" / "explainers").glob("*.md"))
    theirs = {p.name: p for p in (hugo / "content" / "explainers").glob("*.md")}
    assert [p.name for p in ours] == sorted(theirs) and len(ours) == 3 + len(list((REPO / "site_src" / "explainers").glob("*.md")))
    for path in ours:
        assert body(path) == body(theirs[path.name]), path.name


def test_the_200_chart_variant_declares_its_charts_and_places_them_round_robin(tmp_path):
    real = newsroom.real_chart_ids(REPO / "site_src")
    site, shape = tmp_path / "ours", newsroom.Shape(len(real) + 2, "200")
    newsroom.write_ours(site, shape)
    synthetic = tuple(f"chart-{k:04d}" for k in range(1, 201))
    assert sorted(newsroom.real_chart_ids(site / "site_src")) == sorted(real + synthetic)
    fences = [FENCE.findall(body(site / "site_src" / "explainers" / f"explainer-{i:05d}.md")) for i in range(1, len(real) + 3)]
    assert fences == [[chart] for chart in real + synthetic[:2]]  # the site's own charts first, then the synthetic ones
    lead = re.search(r"^lead_chart: (\S+)$", (site / "site_src" / "explainers" / "explainer-00001.md").read_text(), re.M)
    assert lead and lead.group(1) == real[0]


def test_cards_can_be_switched_off_and_back(tmp_path):
    site = tmp_path / "ours"
    newsroom.write_ours(site, newsroom.Shape(0, "real"))
    original = (site / "site_src" / "site.yaml").read_text()
    newsroom.set_cards(site, False)
    assert (site / "site_src" / "site.yaml").read_text().endswith("social_cards: false\n")
    newsroom.set_cards(site, True)
    assert (site / "site_src" / "site.yaml").read_text() == original
