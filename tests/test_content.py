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
