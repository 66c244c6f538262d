"""`explainer new`: skeleton explainers and charts that build as written, never overwriting."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from generator.scaffold import explainer_text, slugify


def front_matter(path: Path) -> dict:
    return yaml.safe_load(path.read_text().split("---\n")[1])


def build(cli, root: Path, *flags: str):
    result = cli("build", "--root", root, "--out", root / "output", *flags)
    assert result.exit_code == 0, result.stderr
    return root / "output"


def test_new_explainer_writes_a_draft_that_builds(cli, make_site):
    root = make_site()
    result = cli("new", "explainer", "The Lane 2 protest", "--root", root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Wrote site_src/explainers/the-lane-2-protest.md: a draft, so preview it with `explainer serve --drafts`.\n"
    path = root / "site_src/explainers/the-lane-2-protest.md"
    meta = front_matter(path)
    assert meta["title"] == "The Lane 2 protest"
    assert meta["summary"].startswith("Replace this with one or two plain sentences")
    assert meta["date"] == dt.date.today()
    assert meta["order"] == 2  # after lane2.md's order 1
    assert meta["draft"] is True
    assert "```chart lane2-missions\ncaption: " in path.read_text()

    output = build(cli, root, "--drafts")
    assert "The Lane 2 protest" in (output / "explainers/the-lane-2-protest/index.html").read_text()
    assert not (build(cli, root) / "explainers/the-lane-2-protest").exists()  # a draft until the editor says so


def test_new_explainer_refuses_to_overwrite(cli, make_site):
    root = make_site()
    assert cli("new", "explainer", "Second look", "--root", root).exit_code == 0
    path = root / "site_src/explainers/second-look.md"
    path.write_text("edited by hand")
    result = cli("new", "explainer", "Second look", "--root", root)
    assert result.exit_code == 1
    assert result.stderr == "error: site_src/explainers/second-look.md already exists; not overwriting it (pick another name)\n"
    assert path.read_text() == "edited by hand"
    result = cli("new", "explainer", "Lane 2 again", "--slug", "lane2", "--root", root)
    assert result.exit_code == 1 and "site_src/explainers/lane2.md already exists" in result.stderr


@pytest.mark.parametrize("args, message", [
    (["Title", "--slug", "Bad Slug"], "error: 'Bad Slug' is not a valid slug: use lowercase letters, digits and hyphens (pass one with --slug)\n"),
    (["Title", "--slug", "../escape"], "error: '../escape' is not a valid slug: use lowercase letters, digits and hyphens (pass one with --slug)\n"),
    (["!!!"], "error: cannot make a file name from the title '!!!': pass one with --slug\n"),
    (["   "], "error: the title is empty\n"),
])
def test_new_explainer_validates_the_slug(cli, make_site, args, message):
    root = make_site()
    result = cli("new", "explainer", *args, "--root", root)
    assert result.exit_code == 1
    assert result.stderr == message
    assert sorted(p.name for p in (root / "site_src/explainers").iterdir()) == ["lane2.md"]


def test_slugs_are_ascii_words_joined_by_hyphens():
    assert slugify("Blue Origin's “New Glenn”: année 1") == "blue-origins-new-glenn-annee-1"
    assert slugify("  SpaceX -- and   the Moon!  ") == "spacex-and-the-moon"
    assert len(slugify("word " * 40)) <= 80


def test_titles_with_quotes_and_colons_survive_the_front_matter(cli, make_site):
    root = make_site()
    title = 'Blue Origin\'s "New Glenn": year one'
    assert cli("new", "explainer", title, "--root", root).exit_code == 0
    assert front_matter(root / "site_src/explainers/blue-origins-new-glenn-year-one.md")["title"] == title


def test_order_follows_the_last_explainer(cli, make_site):
    lane2 = (Path(__file__).parent / "sites/minimal/site_src/explainers/lane2.md").read_text()
    root = make_site({"site_src/explainers/later.md": lane2.replace("order: 1", "order: 7").replace("title: The Lane 2 awards", "title: Later")})
    assert cli("new", "explainer", "Even later", "--root", root).exit_code == 0
    assert front_matter(root / "site_src/explainers/even-later.md")["order"] == 8


def test_without_charts_the_explainer_explains_how_to_add_one(cli, make_site):
    text = explainer_text("A title", dt.date(2025, 6, 1), 1, [])
    assert "```chart" not in text and "explainer new chart" in text
    lane2 = (Path(__file__).parent / "sites/minimal/site_src/explainers/lane2.md").read_text()
    plain = lane2.replace("lead_chart: lane2-missions\n", "").split("```chart")[0]
    root = make_site({"site_src/charts/awards.py": None, "site_src/explainers/lane2.md": plain})
    assert cli("new", "explainer", "No charts yet", "--root", root).exit_code == 0
    assert (build(cli, root, "--drafts") / "explainers/no-charts-yet/index.html").is_file()


def test_new_chart_writes_a_chart_that_builds(cli, make_site):
    root = make_site()
    result = cli("new", "chart", "contracts-per-awardee", "--root", root)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == "Wrote site_src/charts/contracts-per-awardee.py: place it in an explainer with a ```chart contracts-per-awardee fence.\n"
    code = (root / "site_src/charts/contracts-per-awardee.py").read_text()
    assert '@chart(\n    "contracts-per-awardee",' in code and "def contracts_per_awardee(data):" in code
    # the first collection with records (organizations), and the sources its records cite
    assert "        'wire-2025-04-04',\n    ]," in code and "data.items()" in code
    output = build(cli, root)
    assert (output / "embed/contracts-per-awardee/index.html").is_file()
    assert "Records per collection" in (output / "embed/contracts-per-awardee/index.html").read_text()
    listed = cli("charts", "--root", root).stdout
    assert "contracts-per-awardee\tRecords per collection\tsite_src/charts/contracts-per-awardee.py:" in listed


STATIONS = """
from generator import Count, Record, collection


@collection("stations", figure="riders")
class Station(Record):
    name: str
    riders: Count
"""


def test_new_chart_draws_the_main_figure_of_a_collection_that_has_one(cli, make_site):
    root = make_site({"site_src/models.py": STATIONS, "site_src/data/stations.yaml": "- {id: main-st, name: Main St, riders: 120, sources: [wire-2025-04-04]}\n",
                      **{f"site_src/data/{n}.yaml": None for n in ("organizations", "events", "glossary")}, "site_src/data/contracts.csv": None})
    assert cli("new", "chart", "riders", "--root", root).exit_code == 0
    code = (root / "site_src/charts/riders.py").read_text()
    assert 'title="Stations: riders"' in code and '"value": r.riders} for r in data.stations' in code


def test_a_chart_id_starting_with_a_digit_gets_a_valid_function_name(cli, make_site):
    root = make_site()
    assert cli("new", "chart", "2025-awards", "--root", root).exit_code == 0
    assert "def chart_2025_awards(data):" in (root / "site_src/charts/2025-awards.py").read_text()
    build(cli, root)


@pytest.mark.parametrize("chart_id, message", [
    ("Bad_ID", "error: 'Bad_ID' is not a valid chart id: use lowercase letters, digits and hyphens\n"),
    ("../../escape", "error: '../../escape' is not a valid chart id: use lowercase letters, digits and hyphens\n"),
    ("lane2-missions", "error: a chart with id 'lane2-missions' already exists in site_src/charts/\n"),
    ("awards", "error: site_src/charts/awards.py already exists; not overwriting it (pick another name)\n"),
])
def test_new_chart_validates_the_id_and_refuses_to_overwrite(cli, make_site, chart_id, message):
    root = make_site()
    before = (root / "site_src/charts/awards.py").read_text()
    result = cli("new", "chart", chart_id, "--root", root)
    assert result.exit_code == 1
    assert result.stderr == message
    assert (root / "site_src/charts/awards.py").read_text() == before
    assert sorted(p.name for p in (root / "site_src/charts").iterdir()) == ["awards.py"]
