"""What changed: the changelog is checked with located errors; updates reach the page and the feed."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from support import REPO
from generator.build import load_data_and_charts
from generator.cache import Cache
from generator.changes import load_changelog
from generator.config import load_config
from generator.errors import BuildFailed
from test_discovery import add_found_pages, build_site

ATOM = "{http://www.w3.org/2005/Atom}"
CORRECTION = """- date: 2025-07-02
  title: Lane 2 value corrected
  changed:
    - record: lane2-spacex
      was: 5900000000
      now: 6100000000
  note: The Space Force's release gave a rounder figure than its contract notice.
  sources: [daily-2025-04-07]
"""


@pytest.fixture(scope="module")
def cache(tmp_path_factory) -> Cache:
    return Cache(tmp_path_factory.mktemp("cache"))


def feed_entries(out: Path) -> list[ET.Element]:
    return ET.fromstring((out / "changes.xml").read_bytes()).findall(f"{ATOM}entry")


def test_updating_a_record_adds_an_entry_to_the_page_and_the_feed(make_site, cache):
    root = add_found_pages(make_site())
    out = build_site(root, cache)
    assert "Contract updated" not in (out / "changes/index.html").read_text()
    assert feed_entries(out) == []
    contracts = root / "site_src/data/contracts.csv"
    text = contracts.read_text().replace(",facts\n", ",facts,updated\n", 1)
    text = text.replace("2025-04-04,5900000000,,expected,28,wire-2025-04-04,L2-02", "2025-04-04,6100000000,,expected,28,wire-2025-04-04,L2-02,2025-07-01")
    contracts.write_text(text.replace("daily-2025-04-07,L2-04", "daily-2025-04-07,L2-04,"))
    out = build_site(root, cache)
    page = (out / "changes/index.html").read_text()
    assert '<li id="2025-07-01-data-lane2-spacex" class="change change-data">' in page
    assert '<time datetime="2025-07-01">July 1, 2025</time>' in page
    assert '<a href="/contracts/lane2-spacex/">Contract updated: SpaceX Lane 2 award</a>' in page
    assert "<ins>$6.1 billion</ins>" in page
    [entry] = feed_entries(out)
    assert entry.findtext(f"{ATOM}title") == "Contract updated: SpaceX Lane 2 award"
    assert entry.findtext(f"{ATOM}updated") == "2025-07-01T00:00:00Z"
    assert entry.findtext(f"{ATOM}id") == "https://example.org/changes/#2025-07-01-data-lane2-spacex"
    assert entry.findtext(f"{ATOM}summary") == "SpaceX Lane 2 award: now $6.1 billion."
    feed = ET.fromstring((out / "changes.xml").read_bytes())
    assert feed.findtext(f"{ATOM}updated") == "2025-07-01T00:00:00Z"


def test_a_correction_says_what_the_figure_was_and_is_now(make_site, cache):
    root = add_found_pages(make_site({"site_src/changelog.yaml": CORRECTION}))
    out = build_site(root, cache)
    page = (out / "changes/index.html").read_text()
    assert '<li id="2025-07-02-lane-2-value-corrected" class="change change-changelog">' in page
    assert '<td class="num"><del>$5.9 billion</del></td><td class="num"><ins>$6.1 billion</ins></td>' in page
    assert "gave a rounder figure" in page and 'href="https://example.com/daily/awards"' in page
    [entry] = feed_entries(out)
    assert entry.findtext(f"{ATOM}summary") == ("SpaceX Lane 2 award: was $5.9 billion, now $6.1 billion. "
                                                "The Space Force's release gave a rounder figure than its contract notice.")


def test_a_record_the_changelog_explains_is_not_listed_twice(make_site, cache):
    root = add_found_pages(make_site({"site_src/changelog.yaml": CORRECTION.replace("2025-07-02", "2025-07-01")}))
    contracts = root / "site_src/data/contracts.csv"
    text = contracts.read_text().replace(",facts\n", ",facts,updated\n", 1).replace(",L2-02\n", ",L2-02,2025-07-01\n")
    contracts.write_text(text.replace(",L2-04\n", ",L2-04,\n"))
    out = build_site(root, cache)
    assert [e.findtext(f"{ATOM}title") for e in feed_entries(out)] == ["Lane 2 value corrected"]


def test_an_updated_explainer_is_announced(make_site, cache):
    root = add_found_pages(make_site())
    explainer = root / "site_src/explainers/lane2.md"
    explainer.write_text(explainer.read_text().replace("date: 2025-05-01\n", "date: 2025-05-01\nupdated: 2025-06-10\n"))
    out = build_site(root, cache)
    [entry] = feed_entries(out)
    assert entry.findtext(f"{ATOM}title") == "Explainer updated: The Lane 2 awards"
    assert 'href="/explainers/lane2/">Explainer updated: The Lane 2 awards</a>' in (out / "changes/index.html").read_text()


BROKEN = """- date: 2025-07-02
  title: Two mistakes
  changed:
    - record: lane2-spacx
      was: 1
      now: 2
    - record: lane2-spacex
      field: valu
      was: 1
      now: 2
  sources: [daily-2025-04-7]
- date: 2025-13-01
  title: Bad date
- title: No date
  colour: red
"""


def test_changelog_problems_are_located(make_site):
    root = make_site({"site_src/changelog.yaml": BROKEN})
    config = load_config(root)
    data, _ = load_data_and_charts(config, Cache(None))
    with pytest.raises(BuildFailed) as failed:
        load_changelog(config.src_dir, "site_src/changelog.yaml", data)
    found = [p.format() for p in failed.value.problems]
    assert found[:3] == [  # our checks: exact text
        "site_src/changelog.yaml:4:15: error: unknown record 'lane2-spacx' (did you mean 'lane2-spacex'?)",
        "site_src/changelog.yaml:8:14: error: 'lane2-spacex' (contracts) has no field 'valu' (did you mean 'value'?); it has: title, program, "
        "topic, kind, buyer, awardee, date, value, value_high, value_kind, missions, reports, disagreement, summary, sources",
        "site_src/changelog.yaml:11:13: error: unknown source 'daily-2025-04-7' (did you mean 'daily-2025-04-07'?)",
    ]
    # the model's checks, worded by generator/validation.py: located at the right line and column
    assert [line.split(" error: ")[0] for line in found[3:]] == ["site_src/changelog.yaml:12:9:", "site_src/changelog.yaml:14:3:", "site_src/changelog.yaml:15:3:"]
    assert "'date'" in found[3] and "missing required field 'date'" in found[4] and "unknown field 'colour'" in found[5]


def test_the_build_reports_changelog_problems(make_site, cache):
    root = add_found_pages(make_site({"site_src/changelog.yaml": "- date: 2025-07-02\n  title: ''\n"}))
    with pytest.raises(BuildFailed) as failed:
        build_site(root, cache)
    [problem] = failed.value.problems
    assert (problem.path, problem.line, problem.col) == ("site_src/changelog.yaml", 2, 10) and "'title'" in problem.message


def test_the_seeded_changelog_is_valid_and_honest():
    config = load_config(REPO)
    data, _ = load_data_and_charts(config, Cache(None))
    entries = load_changelog(config.src_dir, "site_src/changelog.yaml", data)
    assert (entries[-1].date.isoformat(), entries[-1].title, entries[-1].changed) == ("2026-05-31", "Site launched", [])
    # Every later entry is published after launch, says why in a note and cites where the new facts were read;
    # a figure it changes really changed.
    for entry in entries[:-1]:
        assert entry.date > entries[-1].date and entry.note and entry.sources, entry.title
        assert all(change.was != change.now for change in entry.changed), entry.title
