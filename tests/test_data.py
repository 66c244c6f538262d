"""Data: pydantic validation with file:line, and cross-references."""

import pytest

from generator.data import load_site_data
from generator.errors import BuildFailed


def load(root):
    return load_site_data(root / "site_src", lambda p: p.relative_to(root).as_posix())


def messages(root):
    with pytest.raises(BuildFailed) as failed:
        load(root)
    return [p.format() for p in failed.value.problems]


def test_the_minimal_data_loads_typed(make_site):
    data = load(make_site())
    assert [c.id for c in data.contracts] == ["lane2-spacex", "lane2-blue-origin"]
    assert data.contracts[0].missions == 28
    assert data.contracts[1].sources == ["wire-2025-04-04", "daily-2025-04-07"]
    assert data.get("spacex").label == "SpaceX"
    assert data.organizations.colors(by="label") == {"SpaceX": "#1f6fc5", "Blue Origin": "#d0641d"}
    assert data["contracts"] is data.contracts and data.contracts.get("lane2-spacex").missions == 28
    assert list(data) == ["sources", "organizations", "contracts", "flights", "launch_counts", "events", "figures", "glossary", "watch", "places"]


def test_unknown_awardee_and_source_are_reported_together(make_site):
    root = make_site({"site_src/data/events.yaml": (
        "- id: e1\n  date: 2025-01-01\n  title: T\n  companies: [spacx]\n  sources: [nope]\n")})
    assert messages(root) == [
        "site_src/data/events.yaml:4:14: error: 'e1' field 'companies': unknown organization 'spacx' (did you mean 'spacex'?)",
        "site_src/data/events.yaml:5:12: error: 'e1' field 'sources': unknown source 'nope'",
    ]


def test_duplicate_ids_across_collections(make_site):
    root = make_site({"site_src/data/events.yaml": "- id: spacex\n  date: 2025-01-01\n  title: T\n  sources: [wire-2025-04-04]\n"})
    assert messages(root) == ["site_src/data/events.yaml:1:3: error: duplicate id 'spacex' (first defined at site_src/data/organizations.yaml:1)"]


def test_wrong_values_point_at_their_line(make_site):
    root = make_site({"site_src/data/events.yaml": (
        "- id: e1\n  date: soon\n  title: T\n  sources: [wire-2025-04-04]\n  colour: red\n")})
    assert messages(root) == [
        "site_src/data/events.yaml:2:9: error: field 'date': 'soon' is not a date (expected YYYY-MM-DD)",
        "site_src/data/events.yaml:5:3: error: unknown field 'colour'",
    ]


def test_csv_negative_amount_points_at_row_and_column(make_site):
    root = make_site({"site_src/data/contracts.csv": (
        "id,title,program,topic,kind,buyer,awardee,date,value,sources\n"
        "x,T,P,nssl,award,ussf,spacex,2025-01-01,-5,wire-2025-04-04\n")})
    assert messages(root) == ["site_src/data/contracts.csv:2:9: error: field 'value': '-5' must not be negative"]


def test_link_fields_accept_only_web_and_mail_links(make_site):
    root = make_site({"site_src/data/sources.yaml": (
        "- id: s1\n  outlet: O\n  title: T\n  url: javascript:alert(1)\n  date: 2025-01-01\n")})
    assert messages(root)[0] == (
        "site_src/data/sources.yaml:4:8: error: field 'url': 'javascript:alert(1)' is not allowed here "
        "(links must start with http://, https:// or mailto:)")


def test_ids_cannot_leave_their_folder(make_site):
    root = make_site({"site_src/data/events.yaml": "- id: ../../etc\n  date: 2025-01-01\n  title: T\n"})
    assert messages(root) == ["site_src/data/events.yaml:1:7: error: field 'id': '../../etc' is not allowed here (ids are lowercase letters, digits and hyphens)"]


def test_unknown_collection_suggests_a_name(make_site):
    root = make_site({"site_src/data/event.yaml": "[]\n"})
    assert messages(root)[0].startswith("site_src/data/event.yaml:1:1: error: unknown data collection 'event' (did you mean 'events'?)")


def test_a_collection_may_be_a_folder_of_files(make_site):
    root = make_site({"site_src/data/events/more.csv": "id,date,title,sources\ne2,2025-02-01,Second,wire-2025-04-04\n"})
    data = load(root)
    assert [e.id for e in data.events] == ["lane2-awarded", "e2"] or [e.id for e in data.events] == ["e2", "lane2-awarded"]
