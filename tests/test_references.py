"""Figure references resolve or fail: any Python name is a field, and no `[[…]]` reaches a page silently."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import starter_with_fields

WELCOME = "site_src/explainers/welcome.md"


@pytest.fixture
def starter(cli, tmp_path) -> Path:
    """The `explainer new site` starter, with a `visits_2019` field on Branch and in every record."""
    folder = starter_with_fields(cli, tmp_path / "site", '    visits_2019: Count = Field(0, description="Visits in 2019.")',
                                 '    budgetFY: Count = Field(0, description="Budget this fiscal year.")')
    data = folder / "site_src/data/branches.yaml"
    data.write_text(data.read_text().replace("  visits: 182400\n", "  visits: 182400\n  visits_2019: 150250\n  budgetFY: 2100000\n"))
    return folder


def append(folder: Path, text: str, relative: str = WELCOME) -> int:
    """Add a paragraph to a file; the line number it starts on."""
    path = folder / relative
    before = path.read_text()
    path.write_text(before + "\n" + text + "\n")
    return before.count("\n") + 2


def test_a_field_with_digits_or_capitals_is_a_reference(cli, starter):
    append(starter, "Central counted [[central.visits_2019]] visits in 2019, on a budget of [[central.budgetFY]].")
    result = cli("build", "--root", starter, "--strict")
    assert result.exit_code == 0, result.stderr
    page = (starter / "output/explainers/welcome/index.html").read_text()
    assert "[[central" not in page
    assert 'data-record="central">150,250</a> visits in 2019, on a budget of' in page
    assert 'data-record="central">2,100,000</a>.' in page


def test_an_unknown_field_with_digits_is_a_located_error(cli, starter):
    line = append(starter, "Central counted [[central.visits_2091]] visits.")
    result = cli("build", "--root", starter)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{WELCOME}:{line}:17: error: 'central' (branches) has no figure field 'visits_2091' (did you mean 'visits_2019'?); "
        "it has: opened, visits, visits_2019, budgetFY\nBuild failed: 1 error.\n")


def test_an_unknown_record_is_a_located_error(cli, starter):
    line = append(starter, "See [[centrl.visits_2019]].")
    result = cli("build", "--root", starter)
    assert result.stderr == f"{WELCOME}:{line}:5: error: unknown record 'centrl' in figure reference (did you mean 'central'?)\nBuild failed: 1 error.\n"


NOT_A_REFERENCE = ("is not a figure reference, so it would be shown as typed: write [[record-id]] or [[record-id.field]] "
                   "(an id is lowercase letters, digits and hyphens; a field is a Python name)")


def test_brackets_that_are_no_reference_fail_a_strict_build_at_their_line(cli, starter):
    line = append(starter, "Central had [[Central.visits]] and [[central visits]] visits, `[[kept as code]]`.")
    result = cli("build", "--root", starter, "--strict")
    assert result.exit_code == 1
    assert result.stderr == (f"{WELCOME}:{line}:13: error: '[[Central.visits]]' {NOT_A_REFERENCE}\n"
                             f"{WELCOME}:{line}:36: error: '[[central visits]]' {NOT_A_REFERENCE}\n"
                             "Build failed: 2 errors.\n")
    assert not (starter / "output").exists()
    lenient = cli("build", "--root", starter)
    assert lenient.exit_code == 0
    assert f"{WELCOME}:{line}:13: warning: '[[Central.visits]]' {NOT_A_REFERENCE}" in lenient.stderr


def test_brackets_from_data_text_fail_a_strict_build_at_the_data_line(cli, starter):
    data = starter / "site_src/data/branches.yaml"
    data.write_text(data.read_text().replace("summary: The main building,", "summary: The main building ([[central.visits]] visits),"))
    result = cli("build", "--root", starter, "--strict")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "site_src/data/branches.yaml:9:31: error: '[[central.visits]]' is shown as typed on branches/central/index.html: figure "
        "references are resolved only in explainers and pages, written [[record-id]] or [[record-id.field]]\nBuild failed: 1 error.\n")
    assert not (starter / "output").exists()


def test_check_names_the_source_line_of_brackets_left_in_a_built_page(cli, starter):
    line = append(starter, "Central had [[Central]] visits.")
    assert cli("build", "--root", starter).exit_code == 0
    result = cli("check", "--root", starter)
    assert result.exit_code == 1
    assert result.stderr == (
        f"{WELCOME}:{line}:13: error: '[[Central]]' is shown as typed on explainers/welcome/index.html: it is not a figure "
        "reference, written [[record-id]] or [[record-id.field]]\nCheck failed: 1 error.\n")
