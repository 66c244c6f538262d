"""Corrections of any field: a name, a place, a date or an explainer's text, shown where they were made and told truthfully."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ATOM = "{http://www.w3.org/2005/Atom}"
CHANGES_PAGE = """  - url: changes/
    template: changes.html
    title: What changed
    description: Corrections and updates.
"""
CHANGELOG = """- date: 2026-02-10
  title: Central Library's neighbourhood corrected
  changed:
    - record: central
      field: neighbourhood
      was: Old Town
      now: Downtown
    - record: hilltop
      field: opened
      was: 2011-10-02
      now: 2011-10-03
  note: We had the neighbourhood of the old building.
- date: 2026-02-12
  title: Visits corrected
  changed:
    - record: central
      was: 182000
      now: 182400
- date: 2026-02-14
  title: Welcome text corrected
  changed:
    - explainer: welcome
      was: three branches together
      now: the other two branches together
"""


@pytest.fixture
def starter(cli, tmp_path) -> Path:
    """The starter with a What changed page and a changelog correcting a name, a date, a figure and an explainer."""
    folder = tmp_path / "site"
    assert cli("new", "site", folder).exit_code == 0
    site_yaml = folder / "site_src/site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("nav:\n", CHANGES_PAGE + "nav:\n", 1).replace("pages:\n", "pages:\n", 1))
    (folder / "site_src/changelog.yaml").write_text(CHANGELOG)
    return folder


def test_a_name_and_a_date_are_corrections_not_figure_changes(cli, starter):
    result = cli("build", "--root", starter, "--strict")
    assert result.exit_code == 0, result.stderr
    page = (starter / "output/changes/index.html").read_text()
    start = page.index('id="2026-02-10-central-library-s-neighbourhood-corrected"')
    first = page[start:page.find('<li id="', start)]
    assert "change-figures" not in first  # no figures table: nothing numeric changed
    assert ('<ul class="change-fields"><li><a href="/branches/central/">Central Library (neighbourhood)</a>: was <del>Old Town</del>, '
            'now <ins>Downtown</ins></li><li><a href="/branches/hilltop/">Hilltop Branch (opened)</a>: was <del>October 2, 2011</del>, '
            'now <ins>October 3, 2011</ins></li></ul>') in first
    start = page.index('id="2026-02-12-visits-corrected"')
    figures = page[start:page.find('<li id="', start)]
    assert '<td class="num"><del>182,000</del></td><td class="num"><ins>182,400</ins></td>' in figures
    assert ('<ul class="change-fields"><li><a href="/explainers/welcome/">How this starter site works</a>: was <del>three branches '
            'together</del>, now <ins>the other two branches together</ins></li></ul>') in page
    feed = {e.findtext(f"{ATOM}title"): e.findtext(f"{ATOM}summary")
            for e in ET.fromstring((starter / "output/changes.xml").read_bytes()).findall(f"{ATOM}entry")}
    assert feed["Central Library's neighbourhood corrected"] == (
        "Corrected Central Library (neighbourhood): was “Old Town”, now “Downtown”. "
        "Corrected Hilltop Branch (opened): was “October 2, 2011”, now “October 3, 2011”. We had the neighbourhood of the old building.")
    assert feed["Visits corrected"] == "Central Library: was 182,000, now 182,400."


def test_the_corrected_record_and_explainer_say_so_on_their_own_pages(cli, starter):
    assert cli("build", "--root", starter, "--strict").exit_code == 0
    central = (starter / "output/branches/central/index.html").read_text()
    assert ('<p class="correction note"><strong>Corrected on <time datetime="2026-02-10">February 10, 2026</time>:</strong> '
            'Neighbourhood: was Old Town, now Downtown. We had the neighbourhood of the old building.</p>') in central
    assert ('<strong>Corrected on <time datetime="2026-02-12">February 12, 2026</time>:</strong> Visits: was 182,000, now 182,400. </p>') in central
    assert central.index("February 10, 2026") < central.index("February 12, 2026")
    assert "Corrected on" not in (starter / "output/branches/riverside/index.html").read_text()
    welcome = (starter / "output/explainers/welcome/index.html").read_text()
    assert ('<strong>Corrected on <time datetime="2026-02-14">February 14, 2026</time>:</strong> It said “three branches together”; '
            'it now says “the other two branches together”. </p>') in welcome


@pytest.mark.parametrize("change, message", [
    ("    - record: central\n      field: neighbourhod\n", "5:14: error: 'central' (branches) has no field 'neighbourhod' (did you mean "
     "'neighbourhood'?); it has: name, neighbourhood, opened, visits, summary, sources"),
    ("    - explainer: welcom\n", "4:18: error: unknown explainer 'welcom' (did you mean 'welcome'?)"),
])
def test_an_unknown_field_or_explainer_is_a_located_error(cli, starter, change, message):
    (starter / "site_src/changelog.yaml").write_text(f"- date: 2026-02-10\n  title: A fix\n  changed:\n{change}      was: a\n      now: b\n".replace(
        "  changed:\n", "  changed:\n", 1))
    result = cli("build", "--root", starter)
    assert result.stderr == f"site_src/changelog.yaml:{message}\nBuild failed: 1 error.\n"


@pytest.mark.parametrize("change, message", [
    ("    - record: central\n      explainer: welcome\n",
     "4:7: error: name what was corrected: either 'record' (a data record id) or 'explainer' (a file name without .md)"),
    ("    - explainer: welcome\n      field: title\n",
     "5:14: error: 'field' belongs with 'record': an explainer correction says what the text was and is"),
])
def test_a_change_names_one_record_or_one_explainer(cli, starter, change, message):
    (starter / "site_src/changelog.yaml").write_text(f"- date: 2026-02-10\n  title: A fix\n  changed:\n{change}      was: a\n      now: b\n")
    result = cli("build", "--root", starter)
    assert result.stderr == f"site_src/changelog.yaml:{message}\nBuild failed: 1 error.\n"


def test_a_record_without_a_main_figure_needs_the_field(cli, starter):
    models = starter / "site_src/models.py"
    models.write_text(models.read_text().replace('    figure="visits",  # what [[branch-id]] shows in prose\n', ""))
    welcome = starter / "site_src/explainers/welcome.md"
    welcome.write_text(welcome.read_text().replace("[[central]]", "[[central.visits]]").replace("[[riverside]]", "[[riverside.visits]]")
                       .replace("[[hilltop]]", "[[hilltop.visits]]").replace("ref: central\n", "ref: central.visits\n"))
    (starter / "site_src/changelog.yaml").write_text("- date: 2026-02-10\n  title: A fix\n  changed:\n    - record: central\n      was: 1\n      now: 2\n")
    result = cli("build", "--root", starter)
    assert result.stderr == ("site_src/changelog.yaml:4:15: error: 'central' (branches) has no main figure: say which field was corrected "
                             "(field: ...); it has: name, neighbourhood, opened, visits, summary, sources\nBuild failed: 1 error.\n")


def test_the_project_s_contract_and_organization_pages_show_their_corrections(make_site, cli):
    root = make_site({"site_src/changelog.yaml": (
        "- date: 2025-07-02\n  title: Program name corrected\n  changed:\n    - record: lane2-spacex\n      field: program\n"
        "      was: NSSL Lane 2\n      now: NSSL Phase 3 Lane 2\n    - record: spacex\n      field: name\n      was: Space X\n      now: SpaceX\n")})
    result = cli("build", "--root", root)
    assert result.exit_code == 0, result.stderr
    note = '<p class="correction note"><strong>Corrected on <time datetime="2025-07-02">July 2, 2025</time>:</strong> {} </p>'
    assert note.format("Program: was NSSL Lane 2, now NSSL Phase 3 Lane 2.") in (root / "output/contracts/lane2-spacex/index.html").read_text()
    assert note.format("Name: was Space X, now SpaceX.") in (root / "output/organizations/spacex/index.html").read_text()
