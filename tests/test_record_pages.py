"""Record pages shaped by the collection: which fields show, in what order, with what labels and formats."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

POINT = '''    summary: str = Field("", description="One sentence about the branch.")
    lat: float = Field(description="Latitude of the door.")
    lon: float = Field(description="Longitude of the door.")
    code: int = Field(0, description="Catalogue code.")
'''


@pytest.fixture
def starter(cli, tmp_path) -> Path:
    folder = tmp_path / "site"
    assert cli("new", "site", folder).exit_code == 0
    models = folder / "site_src/models.py"
    models.write_text(models.read_text().replace('    summary: str = Field("", description="One sentence about the branch.")\n', POINT))
    data = folder / "site_src/data/branches.yaml"
    text = data.read_text().replace("  visits: 182400\n", "  visits: 182400\n  code: 10250\n")
    data.write_text(re.sub(r"(  visits: \d+\n)", r"\1  lat: 41.4993\n  lon: -81.6944\n", text))
    return folder


def facts(page: str) -> list[tuple[str, str]]:
    """(label, shown value) of each row of a record page's facts list."""
    block = page[page.index('<dl class="facts">'):page.index("</dl>")]
    return [(dt, re.sub(r"<[^>]+>", "", dd)) for dt, dd in re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", block, re.S)]


def test_a_latitude_and_longitude_show_as_one_place(cli, starter):
    assert cli("build", "--root", starter, "--strict").exit_code == 0
    page = (starter / "output/branches/central/index.html").read_text()
    assert facts(page) == [("Name", "Central Library"), ("Neighbourhood", "Downtown"), ("Opened", "September 1, 1962"),
                           ("Visits", "182,400"), ("Place", "41.4993° N, 81.6944° W"), ("Code", "10,250")]


def test_the_collection_chooses_fields_order_labels_and_formats(cli, starter):
    models = starter / "site_src/models.py"
    models.write_text(models.read_text().replace('    figure="visits",', '    figure="visits",\n    fields=["visits", "place", "code", "name"],\n'
                                                 '    labels={"visits": "Visits last year", "place": "Where"},\n    formats={"code": "plain"},'))
    result = cli("build", "--root", starter, "--strict")
    assert result.exit_code == 0, result.stderr
    page = (starter / "output/branches/central/index.html").read_text()
    assert facts(page) == [("Visits last year", "182,400"), ("Where", "41.4993° N, 81.6944° W"), ("Code", "10250"), ("Name", "Central Library")]


def test_an_unknown_field_to_show_is_an_error_at_the_declaration(cli, starter):
    models = starter / "site_src/models.py"
    models.write_text(models.read_text().replace('    figure="visits",', '    figure="visits",\n    fields=["visit"], labels={"nme": "Name"},'))
    result = cli("build", "--root", starter)
    assert result.stderr.splitlines()[-3:] == [
        "site_src/models.py:14: error: collection 'branches': fields: unknown field 'visit' (did you mean 'visits'?)",
        "site_src/models.py:14: error: collection 'branches': labels: unknown field 'nme' (did you mean 'name'?)",
        "Build failed: 2 errors."]
