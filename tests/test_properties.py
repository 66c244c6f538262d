"""Property tests: whatever text a person saves, the readers answer with a result or
located problems (`BuildFailed`), never with another exception."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.data import Data, load_data
from generator.errors import BuildFailed
from generator.markdown import MarkdownConverter, split_front_matter
from support import minimal_schema
from generator.sources import TextFile, parse_csv, parse_yaml

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Pieces that send the parsers down their interesting paths, mixed with any text.
YAML_PIECES = [
    "- ", "  ", "id: ", "a", "b", "1", "-1", "2025-04-31", "2025-04-04", "2025-04-04 25:00:00",
    ":", ": ", "[", "]", "{", "}", ",", "&x ", "*x", "&a [*a]", "&a {b: *a}",
    "!!binary ", "!!timestamp ", "!!int ", "!!float ", "!!bool ", "!!python/name:os.system",
    "? ", "|", ">", "'", '"', "#", "---", "...", "\n", "\t", "%YAML 1.1\n", "<<: ", "~", ".inf", ".nan",
    "0x1F", "1e400", "\ufeff", "\x00", "\x85", "\u2028", "é",
]
CSV_PIECES = ["id", "value", ",", '"', '""', "\n", "\r", "a", "1", "-", " ", "x,y", "\x00", ";", "2025-04-04"]
MD_PIECES = [
    "---\n", "title: T\n", "```chart x\n", "```\n", "~~~\n", "~~~chart \n", "[[", "]]", "[[a]]", "[[a.value]]",
    "[[lane2.nope]]", "$5 billion", "28 missions", "#", "\n", "caption: c\n", "<div>", "</div>", "*", "_", "[^1]",
    "[^1]: note\n", "|a|b|\n|-|-|\n", "{: #id }", "\x02", "\x03", "\u2028", "    code\n", "> quote\n",
]


def pieces(choices: list[str]) -> st.SearchStrategy[str]:
    """Text built from meaningful fragments and arbitrary characters."""
    return st.lists(st.sampled_from(choices) | st.text(max_size=6), max_size=40).map("".join)


TAGS = ["", "!!int ", "!!float ", "!!bool ", "!!null ", "!!str ", "!!timestamp ", "!!binary ", "!!set ", "!!omap ", "!!x ", "&a ", "*a"]
yaml_lines = st.lists(
    st.tuples(st.sampled_from(["", "  ", "- ", "  - ", "? "]), st.sampled_from(["id", "a", "<<", "1", "2025-01-01", "[a]", "*a", ""]),
              st.sampled_from([": ", ":", " "]), st.sampled_from(TAGS), st.sampled_from(YAML_PIECES) | st.text(max_size=5)).map("".join),
    max_size=12,
).map("\n".join)
any_yaml = st.text() | pieces(YAML_PIECES) | yaml_lines
any_csv = st.text() | pieces(CSV_PIECES)
any_markdown = st.text() | pieces(MD_PIECES)

# Records that are nearly right: real field names (and a few wrong ones) with odd values.
SCHEMA = minimal_schema()
FIELD_NAMES = sorted({name for spec in SCHEMA.collections.values() for name in spec.model.model_fields} | {"sumary", "Id", "1"})
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12) | st.dates() | st.sampled_from(
    ["wire-2025-04-04", "spacex", "../x", "javascript:alert(1)", "https://example.com/", "2025-02-30", "many", "-5"])
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(FIELD_NAMES), inner, max_size=3), max_leaves=6)
records = st.dictionaries(st.sampled_from(FIELD_NAMES), values, max_size=8)
record_files = st.lists(records, max_size=4).map(lambda rows: yaml.safe_dump(rows, allow_unicode=True)) | any_yaml


def assert_located(failed: BuildFailed, shown: str) -> None:
    assert failed.problems, "BuildFailed without a problem"
    for problem in failed.problems:
        assert problem.path == shown
        assert problem.line >= 0 and problem.col >= 0
        assert isinstance(problem.message, str) and problem.message.strip()


def outcome(action, shown: str):
    """Run `action`; a BuildFailed must be located, anything else propagates."""
    try:
        return action()
    except BuildFailed as failed:
        assert_located(failed, shown)
        return failed


@SETTINGS
@given(any_yaml)
def test_parse_yaml_returns_a_document_or_located_problems(text: str) -> None:
    result = outcome(lambda: parse_yaml(text, "f.yaml"), "f.yaml")
    if not isinstance(result, BuildFailed):
        assert all(line >= 1 and col >= 1 for line, col in result.locations.values())


@SETTINGS
@given(any_csv)
def test_parse_csv_returns_a_document_or_located_problems(text: str) -> None:
    result = outcome(lambda: parse_csv(text, "f.csv"), "f.csv")
    if not isinstance(result, BuildFailed):
        assert isinstance(result.value, list)


@SETTINGS
@given(st.text() | pieces(MD_PIECES + YAML_PIECES) | st.builds("---\n{}".format, any_yaml))
def test_split_front_matter_returns_parts_or_located_problems(text: str) -> None:
    source = TextFile(Path("site_src/explainers/a.md"), "site_src/explainers/a.md", text)
    result = outcome(lambda: split_front_matter(source), source.shown)
    if not isinstance(result, BuildFailed):
        _, body, offset = result
        assert offset >= 2 and body in text


@pytest.fixture(scope="module")
def converter() -> MarkdownConverter:
    return MarkdownConverter({"NSSL": "National Security Space Launch"})


@SETTINGS
@given(text=any_markdown)
def test_markdown_converts_or_reports_located_problems(converter: MarkdownConverter, text: str) -> None:
    result = outcome(lambda: converter.convert(text, Data(SCHEMA), "a.md", 3), "a.md")
    if not isinstance(result, BuildFailed):
        assert isinstance(result.html, str)
        for problem in result.warnings:
            assert problem.path == "a.md" and problem.line >= 0
        assert all(block.line >= 1 for block in result.blocks)


@SETTINGS
@given(
    name=st.sampled_from(sorted(SCHEMA.collections) + ["nonsense"]),
    suffix=st.sampled_from([".yaml", ".csv"]),
    text=record_files | any_csv,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "utf-16"]),
)
def test_load_data_returns_data_or_located_problems(name: str, suffix: str, text: str, encoding: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder) / "data"
        data_dir.mkdir()
        path = data_dir / f"{name}{suffix}"
        path.write_bytes(text.encode(encoding, errors="replace"))
        shown = f"data/{path.name}"
        result = outcome(lambda: load_data([path], data_dir, lambda p: f"data/{p.name}", SCHEMA), shown)
    if not isinstance(result, BuildFailed):
        assert isinstance(result, Data)


def test_the_strategies_reach_valid_records() -> None:
    """A sanity check on the generators: a sourced, valid file loads."""
    rows = [{"id": "wire", "outlet": "O", "title": "T", "url": "https://example.com/", "date": "2025-04-04"}]
    with tempfile.TemporaryDirectory() as folder:
        data_dir = Path(folder)
        path = data_dir / "sources.yaml"
        path.write_text(yaml.safe_dump(rows))
        assert load_data([path], data_dir, lambda p: p.name, SCHEMA).sources[0].id == "wire"

