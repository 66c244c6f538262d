"""The real site's content: every record sourced, nothing unverified, the required coverage."""

from __future__ import annotations


import pytest
import yaml

from support import REPO
from generator.build import model_site
from generator.cache import Cache
from generator.config import load_config

FACT_SHEET = REPO / "research" / "facts-data.yaml"  # the newsroom's ledger, kept in the repository


@pytest.fixture(scope="module")
def facts() -> dict[str, dict]:
    assert FACT_SHEET.is_file(), f"the fact sheet is missing: {FACT_SHEET.relative_to(REPO)}"
    return {row["id"]: row for row in yaml.safe_load(FACT_SHEET.read_text())["facts"]}


@pytest.fixture(scope="module")
def site():
    return model_site(load_config(REPO), Cache(REPO / ".cache"))


def test_every_record_cites_sources_that_exist(site):
    data = site.data
    for name, record in data.records():
        if name in ("sources", "glossary"):
            continue
        assert record.sources, f"{record.id} ({name}) cites no source"
        for source_id in record.sources:
            assert data.collection_of.get(source_id) == "sources", f"{record.id} cites unknown source {source_id}"


def test_no_unverified_fact_is_used(site, facts):
    unverified = {fact_id for fact_id, row in facts.items() if row["status"] == "UNVERIFIED"}
    assert unverified, "the sheet lists unverified rows; the test must see them"
    for name, record in site.data.records():
        used = set(getattr(record, "facts", []))
        assert not used & unverified, f"{record.id} uses unverified facts {used & unverified}"
        assert used <= set(facts), f"{record.id} names facts not in the sheet: {used - set(facts)}"


def test_unverified_values_do_not_appear_anywhere_in_the_sources(facts):
    # The exact Lane 2 dollar values (U-01) and the remembered dates must never be published.
    text = "\n".join(p.read_text() for p in (REPO / "site_src").rglob("*") if p.suffix in (".md", ".yaml", ".csv", ".py"))
    for needle in ("5923570176", "5,923,570,176", "5372011153", "2390114281", "2021-07-26", "July 26, 2021", "2020-05-30", "May 30, 2020"):
        assert needle not in text, needle


def test_coverage_required_by_the_brief(site):
    data = site.data
    assert len(data.contracts) >= 30
    assert len(data.events) >= 35
    assert len(site.charts) >= 10
    assert {f.name for f in data.flights if f.vehicle == "New Glenn"} >= {"NG-1", "NG-2", "NG-3"}
    assert len([f for f in data.flights if f.vehicle == "Starship"]) >= 12
    assert {c.year for c in data.launch_counts if c.provider == "spacex"} >= set(range(2019, 2026))
    assert {e.slug for e in site.explainers} >= {"lane2-awards", "national-security-launch", "moon-landers", "launch-cadence",
                                                 "politics-2025", "crew-and-cargo", "what-to-watch"}


def test_every_explainer_has_charts_and_key_figures(site):
    for explainer in site.explainers:
        assert explainer.charts, explainer.slug
        assert 3 <= len(explainer.key_figures) <= 5, explainer.slug


def test_contract_values_say_what_kind_of_figure_they_are(site):
    for contract in site.data.contracts:
        if contract.value is not None:
            assert contract.value_kind, contract.id


def test_the_site_builds_strictly_with_no_hand_typed_figures(site):
    assert [w.format() for w in site.warnings] == []


def test_readers_never_see_fact_sheet_row_ids(site, facts):
    """Row ids (L2-03…) are the newsroom's bookkeeping: in the data downloads, not on any page."""
    import re

    from generator.assets import collect_assets
    from generator.inputs import code_version
    from generator.render import render_site

    cache = Cache(REPO / ".cache")
    outputs = render_site(site, collect_assets(site, cache), cache, code_version())
    used = {fact for _, record in site.data.records() for fact in getattr(record, "facts", [])}
    assert used, "records name their fact-sheet rows; the test must see some"
    content = " ".join(record.model_dump_json(exclude={"facts"}) for _, record in site.data.records())
    used = {fact for fact in used if not re.search(rf"(?<![\w-]){re.escape(fact)}(?![\w-])", content)}  # 'NG-2' is also a flight's name
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(used))) + r")(?![\w-])")
    for path, content in outputs.items():
        if path.endswith(".html"):
            text = re.sub(r"<[^>]+>", " ", content.decode())  # what a reader sees, not attributes
            assert not pattern.search(text), f"{path} shows fact-sheet row {pattern.search(text).group(1)}"


# --- The update to August 24, 2026 (research ledger rows U26-01 to U26-39) ---------------------------

UPDATE_ROWS = [f"U26-{n:02d}" for n in range(1, 40)]


def test_the_update_s_ledger_rows_are_there_with_their_status(facts):
    rows = [facts[row_id] for row_id in UPDATE_ROWS]
    statuses = [row["status"] for row in rows]
    assert (statuses.count("VERIFIED"), statuses.count("CONSISTENT"), statuses.count("UNVERIFIED")) == (21, 16, 2)
    assert facts["U26-02"]["status"] == facts["U26-21"]["status"] == "UNVERIFIED"  # the reported task order, the Moon Base award value
    assert facts["U26-08"]["date"] == "2026-05-28" and facts["U26-08"]["status"] == "VERIFIED"


def test_every_verified_or_consistent_update_row_is_on_the_site(site, facts):
    used = {fact for _, record in site.data.records() for fact in getattr(record, "facts", [])}
    publishable = {row_id for row_id in UPDATE_ROWS if facts[row_id]["status"] in ("VERIFIED", "CONSISTENT")}
    assert len(publishable) == 37
    assert publishable - used == set()


def test_the_unverified_update_figures_appear_nowhere(facts):
    """Blue Origin's Moon Base award value (three conflicting reports) and the reported task order."""
    text = "\n".join(p.read_text() for p in (REPO / "site_src").rglob("*") if p.suffix in (".md", ".yaml", ".csv", ".py"))
    for needle in ("280.4", "280400000", "468.4", "468400000", "230.4", "230400000", "188 million", "188000000", "hypexio", "hours before"):
        assert needle not in text, needle


def test_no_aggregator_the_update_warns_against_is_cited(site):
    banned = ("livingip.xyz", "hanna-ai.com", "rainsnews.com", "morningoverview.com", "readtrends.com", "hypexio.com",
              "gfunfacts.online", "the-executive-brief", "alltoc", "newsy-today", "developmentstoday")
    for source in site.data.sources:
        for url in (source.url, *source.also):
            assert not any(name in url for name in banned), (source.id, url)


def test_the_data_date_is_the_newest_source_read(site):
    assert site.settings.data_as_of.isoformat() == "2026-08-24"
    assert max(s.date for s in site.data.sources) == site.settings.data_as_of  # what the charts' date lines use


def test_every_watch_item_says_when_and_against_what_it_was_checked(site):
    for item in site.data.watch:
        assert item.last_checked == site.settings.data_as_of, item.id
        assert site.data.collection_of[item.checked_against] == "sources", item.id


def test_ng4_is_an_event_not_a_planned_flight_and_ng3_counts_for_nothing(site):
    assert "NG-4" not in {f.name for f in site.data.flights}
    assert not [f.id for f in site.data.flights if f.outcome == "planned" and f.date < site.settings.data_as_of]
    explosion = site.data.get("new-glenn-ng4-static-fire-explosion")
    assert site.data.collection_of[explosion.id] == "events" and explosion.date.isoformat() == "2026-05-28"
    text = "\n".join(p.read_text() for p in (REPO / "site_src").rglob("*") if p.suffix in (".md", ".yaml", ".py") and p.name != "changelog.yaml")
    assert "counted as the third flight" not in text
    assert "planned for early June" not in text and "expected in early June" not in text


@pytest.fixture(scope="module")
def outputs(site):
    from generator.assets import collect_assets
    from generator.inputs import code_version
    from generator.render import render_site

    cache = Cache(REPO / ".cache")
    return render_site(site, collect_assets(site, cache), cache, code_version())


def test_every_correction_is_on_the_changes_page_and_in_its_feed(site, outputs):
    import html

    changelog = yaml.safe_load((REPO / "site_src" / "changelog.yaml").read_text())
    page = html.unescape(outputs["changes/index.html"].decode())
    feed = html.unescape(outputs["changes.xml"].decode())
    corrections = [entry for entry in changelog if entry["title"].startswith("Correction")]
    assert len(corrections) >= 2
    for entry in changelog:
        assert entry["title"] in page and entry["title"] in feed, entry["title"]
    # The two corrections the issue names say what we said, what we say now, and when it happened.
    for said, now in (("planned for early June 2026", "exploded during a static-fire test"),
                      ("was counted as", "two of the four")):
        entry = next(e for e in corrections if said in e["note"])
        assert now in entry["note"] and entry["date"].isoformat() == "2026-12-07"
        note = " ".join(entry["note"].split())
        assert note in " ".join(page.split()) and note in " ".join(feed.split())


def test_the_strict_build_has_no_stale_status(site):
    from generator.build import strict_warnings

    assert [w.format() for w in strict_warnings(site)] == []
