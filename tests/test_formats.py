"""Derived figures and formats: computed fields cited and charted, a format per field, hand-typed shares caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.figures import find_hand_typed, format_number

WELCOME = "site_src/explainers/welcome.md"
DERIVED = '''    summary: str = Field("", description="One sentence about the branch.")
    visits_2019: Count = Field(0, description="Visits in 2019.")
    change: Points = Field(0, description="Change in the share of the town's visits, in percentage points.")
    founded: Year = Field(1900, description="The year the library service began here.")
    code: int = Field(0, description="The branch's catalogue code.")

    @computed_field(description="Visits last year as a share of 2019's.")
    @property
    def recovery(self) -> Percent:
        return round(100 * self.visits / self.visits_2019, 1) if self.visits_2019 else 0.0

    @property
    def per_day(self) -> float:
        return self.visits / 365
'''


@pytest.fixture
def starter(cli, tmp_path) -> Path:
    """The starter with a computed recovery percentage, a points field, a year field and a plain property."""
    folder = tmp_path / "site"
    assert cli("new", "site", folder).exit_code == 0
    models = folder / "site_src/models.py"
    text = models.read_text().replace('    summary: str = Field("", description="One sentence about the branch.")\n', DERIVED)
    text = text.replace("from pydantic import Field", "from pydantic import Field, computed_field")
    text = text.replace("from generator import Count, Record, collection", "from generator import Count, Percent, Points, Record, Year, collection")
    text = text.replace('    figure="visits",', '    figure="visits",\n    formats={"per_day": "count", "code": "plain"},')
    models.write_text(text)
    data = folder / "site_src/data/branches.yaml"
    data.write_text(data.read_text().replace("  visits: 182400\n", "  visits: 182400\n  visits_2019: 456000\n  change: -2.5\n  founded: 1905\n  code: 10250\n"))
    return folder


def test_the_house_formats():
    assert [format_number(40, "percent"), format_number(12.34, "percent")] == ["40%", "12.3%"]
    assert [format_number(-2.5, "points"), format_number(1, "points")] == ["-2.5 percentage points", "1 percentage point"]
    assert [format_number(2019, "year"), format_number(10250, "plain"), format_number(1234.5, "plain")] == ["2019", "10250", "1234.5"]
    assert [format_number(10250, "count"), format_number(62000, "usd")] == ["10,250", "$62,000"]


def test_computed_and_formatted_figures_are_cited_in_prose_key_figures_and_charts(cli, starter):
    welcome = starter / WELCOME
    welcome.write_text(welcome.read_text().replace("  - ref: hilltop.opened\n", "  - ref: central.recovery\n    label: Recovery\n  - ref: hilltop.opened\n")
                       + "\nCentral is at [[central.recovery]] of 2019, [[central.change]], since [[central.founded]]; "
                         "code [[central.code]], [[central.per_day]] a day.\n")
    chart = starter / "site_src/charts/visits.py"
    chart.write_text(chart.read_text().replace('description="Bar chart: visits', 'description="Bar chart: Central is at [[central.recovery]] of 2019; visits')
                     .replace('"visits": b.visits}', '"visits": b.visits, "recovery": b.recovery}')
                     # shown in the tooltip, so drawn: a chart's data.csv holds the fields it draws
                     .replace('sort="-x"),', 'sort="-x"), tooltip=["branch:N", "recovery:Q"],'))
    result = cli("build", "--root", starter, "--strict")
    assert result.exit_code == 0, result.stderr
    page = (starter / "output/explainers/welcome/index.html").read_text()
    assert 'data-record="central">40%</a> of 2019, <a' in page
    assert 'data-record="central">-2.5 percentage points</a>, since <a' in page
    assert 'data-record="central">1905</a>; code <a' in page
    assert 'data-record="central">10250</a>, <a' in page and 'data-record="central">499.73</a> a day.' in page
    assert '<div class="kf"><dt>Recovery</dt><dd><a class="figure"' in page and 'data-record="central">40%</a></dd></div>' in page
    assert "Central is at 40% of 2019; visits" in page
    rows = (starter / "output/embed/branch-visits/data.csv").read_text()
    assert "40.0" in rows and "recovery" in rows
    download = (starter / "output/data/branches.csv").read_text()
    assert download.splitlines()[0].startswith("id,name,neighbourhood,opened,visits,summary,visits_2019,change,founded,code,recovery,")


def test_a_derived_figure_that_fails_is_a_located_error(cli, starter):
    data = starter / "site_src/data/branches.yaml"
    data.write_text(data.read_text().replace("  visits: 64300\n", "  visits: 64300\n  visits_2019: 0\n"))
    models = starter / "site_src/models.py"
    models.write_text(models.read_text().replace("return self.visits / 365", "return self.visits / self.visits_2019"))
    welcome = starter / WELCOME
    line = welcome.read_text().count("\n") + 2
    welcome.write_text(welcome.read_text() + "\nRiverside: [[riverside.per_day]].\n")
    result = cli("build", "--root", starter)
    assert result.stderr.endswith(f"{WELCOME}:{line}:12: error: 'riverside' field 'per_day' could not be computed: "
                                  "ZeroDivisionError: division by zero\nBuild failed: 1 error.\n")


def test_an_unknown_format_is_an_error_at_the_declaration(cli, starter):
    models = starter / "site_src/models.py"
    models.write_text(models.read_text().replace('"code": "plain"', '"code": "percentage", "cde": "plain"'))
    result = cli("build", "--root", starter)
    lines = result.stderr.splitlines()
    assert lines[-3:] == [
        "site_src/models.py:14: error: collection 'branches': formats: 'code' has unknown format 'percentage'; formats are: usd, count, percent, points, year, plain",
        "site_src/models.py:14: error: collection 'branches': formats: unknown field 'cde' (did you mean 'code'?)",
        "Build failed: 2 errors."]


@pytest.mark.parametrize("line, found", [
    ("Recovery is 89% of 2019.", ["89%"]),
    ("Ridership fell 12.5 percent.", ["12.5 percent"]),
    ("It rose 3 percentage points.", ["3 percentage points"]),
    ("It carried 12,400 people.", ["12,400"]),
    ("Central had 1,500 visits.", ["1,500 visits"]),
])
def test_percentages_and_large_counts_typed_by_hand_are_found(line, found):
    assert [text for _, text in find_hand_typed(line, ("visits",))] == found


@pytest.mark.parametrize("line", ["In 2025 visits rose at every branch.", "It opened on April 4, 2025.", "Since 1962 visits grew."])
def test_a_year_before_a_counted_word_is_not_a_hand_typed_figure(line):
    assert find_hand_typed(line, ("visits",)) == []
