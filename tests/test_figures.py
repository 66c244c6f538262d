"""Figure references: house formatting and the hand-typed-figure check."""

import datetime as dt

import pytest

from generator.data import load_site_data
from generator.figures import UnknownReference, find_hand_typed, format_date, format_money, format_number, resolve


@pytest.mark.parametrize("value, text", [
    (5_900_000_000, "$5.9 billion"), (13_670_000_000, "$13.67 billion"), (845_800_000, "$845.8 million"),
    (733_566_001, "$733.6 million"), (4_000_000_000, "$4 billion"), (62_000, "$62,000"),
])
def test_money_is_formatted_in_house_style(value, text):
    assert format_money(value) == text


def test_counts_percent_and_dates():
    assert format_number(28, "count") == "28"
    assert format_number(1234, "count") == "1,234"
    assert format_number(60, "percent") == "60%"
    assert format_date(dt.date(2025, 4, 4)) == "April 4, 2025"


@pytest.fixture
def data(make_site):
    root = make_site()
    return load_site_data(root / "site_src", lambda p: p.name)


def test_main_figure_and_named_field(data):
    assert resolve(data, "lane2-spacex", None).text == "$5.9 billion"
    assert resolve(data, "lane2-spacex", "missions").text == "28"
    assert resolve(data, "lane2-spacex", "missions").source_id == "wire-2025-04-04"


def test_a_disputed_value_reads_as_a_range(data):
    found = resolve(data, "lane2-blue-origin", None)
    assert found.text == "$2.3 billion to $2.4 billion"
    assert found.is_range


def test_unknown_record_suggests_the_closest_id(data):
    with pytest.raises(UnknownReference, match=r"unknown record 'lane2-spacx' in figure reference \(did you mean 'lane2-spacex'\?\)"):
        resolve(data, "lane2-spacx", None)


def test_unknown_field_lists_the_fields_there_are(data):
    with pytest.raises(UnknownReference, match=r"'lane2-spacex' \(contracts\) has no figure field 'misions' \(did you mean 'missions'\?\); it has: date, value, missions"):
        resolve(data, "lane2-spacex", "misions")


@pytest.mark.parametrize("line, found", [
    ("SpaceX won $5.9 billion.", ["$5.9 billion"]),
    ("about 5.9 billion dollars", ["5.9 billion"]),
    ("It will fly 28 missions.", ["28 missions"]),
    ("It flew 134 launches in 2024.", ["134 launches"]),
])
def test_hand_typed_figures_are_found(line, found):
    assert [text.strip() for _, text in find_hand_typed(line, ("missions", "launches"))] == found


def test_counts_are_hand_typed_only_before_the_site_s_count_words():
    assert find_hand_typed("It will fly 28 missions.") == []
    assert find_hand_typed("Riverton has 12 buses.", ("buses", "riders")) == [(14, "12 buses")]


@pytest.mark.parametrize("line", [
    "SpaceX won [[lane2-spacex]] for [[lane2-spacex.missions]] missions.",
    "He called it “a $5.9 billion deal” on air.",
    "> SpaceX got $5.9 billion, the release said.",
    "The `$5` example in code.",
    "In 2025 the Space Force ordered the first missions.",
])
def test_references_quotations_and_years_are_not_hand_typed(line):
    assert find_hand_typed(line) == []


def test_the_column_of_a_hand_typed_figure_is_reported():
    assert find_hand_typed("Worth $5.9 billion") == [(7, "$5.9 billion")]
