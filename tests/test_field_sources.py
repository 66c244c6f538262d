"""A source per field: a record says which of its sources backs which field; links, data page and downloads follow."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator import Count, Record
from support import starter_with_fields

REPORT_2019 = """- id: town-report-2019
  outlet: Our Town Library Board
  title: Annual report 2019 (example)
  url: https://www.example.com/library/annual-report-2019
  date: 2020-01-15
"""
WELCOME = "site_src/explainers/welcome.md"


@pytest.fixture
def starter(cli, tmp_path) -> Path:
    """The starter with 2019 visits read in a 2019 report; Central's sources say which report backs which field."""
    folder = starter_with_fields(cli, tmp_path / "site", '    visits_2019: Count = Field(0, description="Visits in 2019.")')
    sources = folder / "site_src/data/sources.yaml"
    sources.write_text(sources.read_text() + REPORT_2019)
    data = folder / "site_src/data/branches.yaml"
    data.write_text(data.read_text().replace(
        "  visits: 182400\n  summary: The main building, with the local history room.\n  sources: [town-report-2025]\n",
        "  visits: 182400\n  visits_2019: 150250\n  summary: The main building, with the local history room.\n"
        "  sources:\n    visits: town-report-2025\n    visits_2019: town-report-2019\n"))
    welcome = folder / WELCOME
    welcome.write_text(welcome.read_text() + "\nIn 2019 Central counted [[central.visits_2019]] visits.\n")
    return folder


def test_each_figure_links_to_the_source_of_its_own_field(cli, starter):
    result = cli("build", "--root", starter, "--strict")
    assert result.exit_code == 0, result.stderr
    page = (starter / "output/explainers/welcome/index.html").read_text()
    assert ('In 2019 Central counted <a class="figure" href="/sources/#town-report-2019" title="Source: Our Town Library Board, '
            '2020-01-15" data-record="central">150,250</a> visits.') in page
    assert ('Central Library counted <a class="figure" href="/sources/#town-report-2025" title="Source: Our Town Library Board, '
            '2026-01-15" data-record="central">182,400</a> visits') in page


def test_the_downloads_and_the_data_page_say_which_source_backs_which_field(cli, starter):
    assert cli("build", "--root", starter, "--strict").exit_code == 0
    out = starter / "output"
    rows = (out / "data/branches.csv").read_text().splitlines()
    assert rows[0] == "id,name,neighbourhood,opened,visits,summary,visits_2019,sources,field_sources,facts,updated"
    assert rows[1].endswith(",town-report-2025; town-report-2019,visits=town-report-2025; visits_2019=town-report-2019,,")
    assert rows[2].endswith(",town-report-2025,,,")
    document = json.loads((out / "data/branches.json").read_text())
    assert document["records"][0]["field_sources"] == {"visits": "town-report-2025", "visits_2019": "town-report-2019"}
    assert {"name": "field_sources", "type": "map (text to id)", "required": False,
            "meaning": "Which source backs which field (field=source id); other fields come from the first of sources."} in document["fields"]
    data_page = (out / "data/index.html").read_text()
    assert '(January 15, 2020) <span class="note">(for visits_2019)</span></li>' in data_page
    assert '(January 15, 2026) <span class="note">(for visits)</span></li>' in data_page


def test_a_list_of_sources_and_a_map_of_fields_read_the_same():
    class Branch(Record):
        visits: Count = 0
        visits_2019: Count = 0

    mapped = Branch.model_validate({"id": "a", "sources": {"visits": "r-2025", "visits_2019": "r-2019"}})
    listed = Branch.model_validate({"id": "a", "sources": ["r-2025"], "field_sources": {"visits": "r-2025", "visits_2019": "r-2019"}})
    csv = Branch.model_validate({"id": "a", "sources": "r-2025; visits_2019=r-2019", "field_sources": "visits=r-2025"})
    assert mapped == listed == csv
    assert mapped.sources == ["r-2025", "r-2019"]
    assert Branch.model_validate({"id": "a", "sources": "r-2025"}).field_sources == {}


def test_an_unknown_field_or_source_in_the_map_is_a_located_error(cli, starter):
    data = starter / "site_src/data/branches.yaml"
    data.write_text(data.read_text().replace("    visits_2019: town-report-2019\n", "    visits_2091: town-reprt-2019\n"))
    result = cli("build", "--root", starter)
    assert result.stderr == (
        "site_src/data/branches.yaml:10:5: error: 'central' field 'sources': unknown source 'town-reprt-2019' (did you mean 'town-report-2019'?)\n"
        "site_src/data/branches.yaml:10:5: error: 'central' names a source for unknown field 'visits_2091' (did you mean 'visits_2019'?)\n"
        "Build failed: 2 errors.\n")
