"""Collections are site input: @collection declarations in site_src/models.py, and their errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.data import load_site_data
from generator.errors import BuildFailed

GENERATOR = Path(__file__).resolve().parent.parent / "generator"

PEOPLE = '''

@collection("people", label="People", item="Person", title="{name}", url="people/{id}/", template="record.html",
            figure="age", references={"employer": "organizations"}, search=("name", "role", "employer"))
class Person(Record):
    """Someone the explainers quote."""
    name: str
    role: str = ""
    employer: Slug
    age: Count
'''
PEOPLE_DATA = "- {id: jane-doe, name: Jane Doe, role: Analyst, employer: spacex, age: 41, sources: [wire-2025-04-04]}\n"


def build_messages(cli, root: Path) -> list[str]:
    result = cli("build", "--root", root)
    assert result.exit_code == 1, result.stdout
    return result.stderr.splitlines()


def with_models(make_site, extra: str, old: str = "", new: str = "", **files: str) -> Path:
    root = make_site()
    models = root / "site_src/models.py"
    models.write_text(models.read_text().replace(old, new) + extra)
    for relative, text in files.items():
        (root / relative).write_text(text)
    return root


def line_of(root: Path, needle: str) -> int:
    lines = (root / "site_src/models.py").read_text().splitlines()
    return next(i for i, line in enumerate(lines, 1) if needle in line)


def test_a_new_collection_with_record_pages_needs_only_files_under_site_src(cli, make_site, tmp_path):
    root = with_models(make_site, PEOPLE, **{"site_src/data/people.yaml": PEOPLE_DATA})
    result = cli("build", "--root", root, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    page = (tmp_path / "out/people/jane-doe/index.html").read_text()
    assert "<h1>Jane Doe</h1>" in page and '<p class="kicker">Person</p>' in page
    assert '<a href="/organizations/spacex/">Space Exploration Technologies</a>' in page  # the reference, linked
    assert "<dd>41</dd>" in page
    assert "https://example.org/people/jane-doe/" in (tmp_path / "out/sitemap.xml").read_text()


def test_figure_references_use_the_declared_main_field(make_site):
    root = with_models(make_site, PEOPLE, **{"site_src/data/people.yaml": PEOPLE_DATA})
    from generator.figures import resolve

    data = load_site_data(root / "site_src", lambda p: p.relative_to(root).as_posix())
    assert resolve(data, "jane-doe", None).text == "41"
    assert data.people.get("jane-doe").name == "Jane Doe" and data.title_of("jane-doe") == "Jane Doe"


def test_an_unknown_field_in_a_title_pattern_is_reported_at_the_decorator(cli, make_site):
    root = with_models(make_site, PEOPLE.replace('title="{name}"', 'title="{nmae} ({employer.label})"'))
    line = line_of(root, '@collection("people"')
    assert build_messages(cli, root) == [
        f"site_src/models.py:{line}: error: collection 'people': title pattern '{{nmae}} ({{employer.label}})': unknown field 'nmae' (did you mean 'name'?)",
        "Build failed: 1 error.",
    ]


def test_a_title_pattern_reads_a_referenced_record(make_site):
    root = with_models(make_site, PEOPLE.replace('title="{name}"', 'title="{name} of {employer.label}"'), **{"site_src/data/people.yaml": PEOPLE_DATA})
    data = load_site_data(root / "site_src", lambda p: p.name)
    assert data.title_of("jane-doe") == "Jane Doe of SpaceX"


def test_an_unknown_reference_target_is_reported(cli, make_site):
    root = with_models(make_site, PEOPLE.replace('{"employer": "organizations"}', '{"employer": "organisations"}'))
    line = line_of(root, '@collection("people"')
    assert build_messages(cli, root) == [
        f"site_src/models.py:{line}: error: collection 'people': references: field 'employer' names unknown collection 'organisations' (did you mean 'organizations'?)",
        "Build failed: 1 error.",
    ]


def test_a_record_naming_a_missing_target_is_reported_at_its_field(cli, make_site):
    root = with_models(make_site, PEOPLE, **{"site_src/data/people.yaml": PEOPLE_DATA.replace("employer: spacex", "employer: spacx")})
    assert build_messages(cli, root) == [
        "site_src/data/people.yaml:1:59: error: 'jane-doe' field 'employer': unknown organization 'spacx' (did you mean 'spacex'?)",
        "Build failed: 1 error.",
    ]


def test_a_models_file_with_a_syntax_error_is_located(cli, make_site):
    root = with_models(make_site, "\nclass Broken(Record:\n    pass\n")
    line = line_of(root, "class Broken(Record:")
    messages = build_messages(cli, root)
    assert re.fullmatch(rf"site_src/models\.py:{line}:\d+: error: models\.py does not import: syntax error: .+", messages[0]), messages
    assert messages[1:] == ["Build failed: 1 error."]


def test_a_models_file_that_raises_is_located(cli, make_site):
    root = with_models(make_site, "\nimport no_such_module_here\n")
    line = line_of(root, "import no_such_module_here")
    assert build_messages(cli, root) == [
        f"site_src/models.py:{line}: error: models.py does not import: ModuleNotFoundError: No module named 'no_such_module_here'",
        "Build failed: 1 error.",
    ]


def test_an_undeclared_data_file_says_how_to_declare_it(cli, make_site):
    root = make_site({"site_src/data/ridership.csv": "id,riders\nx,1\n"})
    message = build_messages(cli, root)[0]
    assert message.startswith("site_src/data/ridership.csv:1:1: error: unknown data collection 'ridership'; known: sources, organizations,")
    assert message.endswith('(declare it in site_src/models.py with @collection("ridership"))')


def test_collections_in_site_yaml_is_an_error_that_says_where_they_moved(cli, make_site):
    root = make_site()
    site_yaml = root / "site_src/site.yaml"
    site_yaml.write_text(site_yaml.read_text() + "collections:\n  contracts: {template: contract.html, url: 'contracts/{id}/'}\n")
    line = len(site_yaml.read_text().splitlines()) - 1
    assert build_messages(cli, root)[0] == (
        f"site_src/site.yaml:{line}:1: error: 'collections' moved out of site.yaml: declare record pages in site_src/models.py, "
        'e.g. @collection("stations", url="stations/{id}/", template="record.html")')


def test_a_data_typo_names_the_collections_there_are(make_site):
    root = make_site()
    data = load_site_data(root / "site_src", lambda p: p.name)
    with pytest.raises(AttributeError, match=r"Data has no collection 'contract' \(did you mean 'contracts'\?\)"):
        data.contract


def test_the_data_cache_survives_a_fresh_process_reading_the_schema_again(make_site, tmp_path):
    from generator.cache import Cache

    root = with_models(make_site, PEOPLE, **{"site_src/data/people.yaml": PEOPLE_DATA})
    first = load_site_data(root / "site_src", lambda p: p.name, Cache(tmp_path / "cache"))
    again = load_site_data(root / "site_src", lambda p: p.name, Cache(tmp_path / "cache"))  # from the pickle
    assert again.people.get("jane-doe") == first.people.get("jane-doe")
    with pytest.raises(BuildFailed):  # an edited schema is a new cache key: the bad title is seen
        (root / "site_src/models.py").write_text((root / "site_src/models.py").read_text().replace('title="{name}"', 'title="{nope}"'))
        load_site_data(root / "site_src", lambda p: p.name, Cache(tmp_path / "cache"))


STORY_WORDS = re.compile(r"spacex|blue origin|nasa\b|space force|starship|new glenn|falcon|musk|bezos|trump|\bula\b|nssl|lunar|"
                         r"contested|orbit|contracts?\b|awardee|launch|\bmissions?\b|rocket", re.IGNORECASE)


def test_no_word_of_the_story_appears_in_the_generator_or_its_default_theme():
    found = []
    for path in sorted(GENERATOR.rglob("*")):
        if path == GENERATOR / "fonts" / "OFL.txt":
            continue  # the fonts' licence, shipped word for word ("permission", "contract")
        if path.parent == GENERATOR / "basemaps" and path.suffix == ".json":
            continue  # the shipped geometry, word for word: its place names are the Census Bureau's (Muskegon County)
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".html", ".css", ".js", ".svg", ".txt", ".md", ".yaml", ".json"):
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                found += [f"{path.relative_to(GENERATOR)}:{number}: {m.group(0)}" for m in STORY_WORDS.finditer(line)]
    assert found == []


def test_a_missing_record_template_is_one_problem_at_the_declaration(cli, make_site):
    root = with_models(make_site, PEOPLE.replace('template="record.html"', 'template="recrd.html"'), **{"site_src/data/people.yaml": PEOPLE_DATA})
    line = line_of(root, '@collection("people"')
    assert build_messages(cli, root) == [
        f"site_src/models.py:{line}: error: collection 'people': template 'recrd.html' not found in templates/ or the default theme (did you mean 'record.html'?)",
        "Build failed: 1 error.",
    ]


def test_a_figure_reference_to_a_collection_without_a_main_figure_says_what_to_write(make_site):
    from generator.figures import UnknownReference, resolve

    root = with_models(make_site, PEOPLE.replace('figure="age", ', ""), **{"site_src/data/people.yaml": PEOPLE_DATA})
    data = load_site_data(root / "site_src", lambda p: p.name)
    with pytest.raises(UnknownReference, match=r"'jane-doe' \(people\) has no main figure: name a field, e\.g\. \[\[jane-doe\.age\]\], or declare figure= on the collection; it has: age"):
        resolve(data, "jane-doe", None)


def test_the_generator_s_own_classes_cannot_be_marked(cli, make_site):
    root = with_models(make_site, '\nfrom generator import Source\ncollection("sources")(Source)\n')
    line = line_of(root, 'collection("sources")(Source)')
    assert build_messages(cli, root)[0] == (f"site_src/models.py:{line}: error: models.py does not import: TypeError: "
                                            '@collection("sources") needs a class of your own: class Source(generator.Source): ...')
