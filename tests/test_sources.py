"""Reading sources: line maps for YAML and CSV, and text normalisation."""

import pytest

from generator.errors import BuildFailed
from generator.sources import parse_csv, parse_yaml, read_text


def test_yaml_keys_and_items_keep_their_lines():
    doc = parse_yaml("- id: a\n  value: 1\n- id: b\n  value: 2\n", "f.yaml")
    assert doc.value == [{"id": "a", "value": 1}, {"id": "b", "value": 2}]
    assert doc.locate((1, "value")) == (4, 10)
    assert doc.locate((1,)) == (3, 3)
    assert doc.locate((1, "missing", "deeper")) == (3, 3)


def test_yaml_line_offset_applies_to_front_matter():
    doc = parse_yaml("title: x\ndate: 2025-01-01\n", "a.md", line_offset=1)
    assert doc.locate(("date",)) == (3, 7)


def test_yaml_syntax_error_is_located():
    with pytest.raises(BuildFailed) as failed:
        parse_yaml("a: 1\nb: [1, 2\n", "f.yaml")
    problem = failed.value.problems[0]
    assert (problem.path, problem.line) == ("f.yaml", 3)
    assert problem.message.startswith("YAML syntax: ")


def test_duplicate_yaml_key_is_an_error():
    with pytest.raises(BuildFailed) as failed:
        parse_yaml("id: a\nid: b\n", "f.yaml")
    assert failed.value.problems[0].format() == "f.yaml:2:1: error: key 'id' appears twice"


def test_csv_rows_keep_line_and_column_and_drop_empty_cells():
    doc = parse_csv("id,value,note\na,1,\nb,2,x\n", "f.csv")
    assert doc.value == [{"id": "a", "value": "1"}, {"id": "b", "value": "2", "note": "x"}]
    assert doc.locate((1, "value")) == (3, 2)


def test_csv_with_too_many_cells_is_an_error():
    with pytest.raises(BuildFailed) as failed:
        parse_csv("id,value\na,1,2\n", "f.csv")
    assert failed.value.problems[0].format() == "f.csv:2:3: error: row has 3 cells but the header names 2"


def test_bom_and_crlf_are_accepted(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: a\r\nvalue: 1\r\n")
    assert read_text(path, "f.yaml").text == "id: a\nvalue: 1\n"


def test_non_utf8_is_located(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"id: a\nname: caf\xe9\n")
    with pytest.raises(BuildFailed) as failed:
        read_text(path, "f.yaml")
    assert failed.value.problems[0].format() == "f.yaml:2:10: error: file is not UTF-8 text (byte 0xe9)"
