"""Input that used to cost time or reach the wrong place: long digit lines, odd chart data."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.figures import find_hand_typed
from support import copy_site

TIMING_CHILD = textwrap.dedent("""
    import sys, time
    from generator.figures import find_hand_typed
    line = sys.argv[1] * (300_000 // len(sys.argv[1]))
    started = time.perf_counter()
    find_hand_typed(line, ("missions", "riders"))
    print(time.perf_counter() - started)
""")


@pytest.mark.parametrize("unit", ["1,", "1."])
def test_a_300_kb_line_of_digits_is_checked_in_linear_time(unit: str) -> None:
    # The quadratic pattern took 23 s on 30 KB (about 40 minutes on this line): it is run in a
    # child so that a regression fails at the timeout instead of hanging the suite.
    done = subprocess.run([sys.executable, "-c", TIMING_CHILD, unit], capture_output=True, text=True, timeout=30, check=True)
    assert float(done.stdout) < 2.0


def test_the_linear_patterns_find_what_they_found() -> None:
    line = "It cost $1,200 million, or 5.9 billion dollars, for 28 missions and 1,204 riders"
    found = [text for _, text in find_hand_typed(line, ("missions", "riders"))]
    assert found == ["$1,200 million", "5.9 billion", "28 missions", "1,204 riders"]


def _plain_values_chart(chart_id: str, data: dict) -> str:
    spec = {"title": chart_id, "description": "Bar chart of three plain numbers.", "mark": "bar",
            "usermeta": {"explainer": {"sources": ["wire-2025-04-04"]}}, **data,
            "encoding": {"x": {"field": "data", "type": "quantitative"}, "y": {"field": "data", "type": "nominal"}}}
    return json.dumps(spec)


def test_charts_of_plain_values_build_and_their_data_is_the_rows_vega_draws(tmp_path: Path) -> None:
    # Vega wraps a value that is not an object as {"data": value}; the build used to stop
    # with "internal failure: TypeError: 'int' object is not iterable".
    root = copy_site("minimal", tmp_path / "project")
    charts = root / "site_src" / "charts"
    (charts / "named.vl.json").write_text(_plain_values_chart("named", {"datasets": {"d": [1, 2, 3]}, "data": {"name": "d"}}))
    (charts / "inline.vl.json").write_text(_plain_values_chart("inline", {"data": {"values": [1, 2, 3]}}))
    (charts / "one-object.vl.json").write_text(_plain_values_chart("one-object", {"data": {"values": {"data": 4}}}))
    result = CliRunner().invoke(main, ["build", "--root", str(root), "-q"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    out = root / "output" / "embed"
    assert (out / "named" / "data.csv").read_bytes() == (out / "inline" / "data.csv").read_bytes() == b"data\r\n1\r\n2\r\n3\r\n"
    assert (out / "one-object" / "data.csv").read_bytes() == b"data\r\n4\r\n"


def test_snippets_escape_their_urls() -> None:
    from types import SimpleNamespace

    from generator.chartfiles import ChartProvenance, ChartSizes
    from generator.chartoutputs import plan_chart
    from generator.snippets import snippets_for

    site = SimpleNamespace(absolute=lambda path: "https://example.org/a'b&c\"/" + path, settings=SimpleNamespace(title="T"))
    info = ChartProvenance("Title", "Description.", "Sources: Wire (April 4, 2025)", "2025-06-30")
    snippets = snippets_for(site, plan_chart("lane2"), info, ChartSizes((600, 300), (300, 400), (1200, 600), 0))
    for kind, snippet in snippets.items():
        assert "a'b" not in snippet and 'c"' not in snippet and "&c" not in snippet, kind
        assert "https://example.org/a&#x27;b&amp;c&quot;/embed/lane2/chart.png" in snippet, kind


def test_embed_with_an_unknown_id_says_so_and_suggests_whatever_the_case(tmp_path: Path) -> None:
    root = copy_site("minimal", tmp_path / "project")
    result = CliRunner().invoke(main, ["embed", "LANE2-Missions", "--root", str(root)])
    assert result.exit_code == 1
    assert result.stderr == "error: no chart 'LANE2-Missions' in site_src/charts/ (did you mean 'lane2-missions'?); `explainer charts` lists them\n"


def test_embeds_guide_gives_the_hash_of_the_current_resize_script() -> None:
    import base64
    import hashlib

    from generator.snippets import resize_script
    from support import REPO

    digest = base64.b64encode(hashlib.sha256(resize_script().encode()).digest()).decode()
    assert f"'sha256-{digest}'" in (REPO / "docs" / "guide" / "embeds.md").read_text()


def test_a_chart_error_is_not_cut_at_a_line_separator(tmp_path: Path) -> None:
    # str.splitlines() splits at U+2028: the message used to stop inside Vega's expression.
    root = copy_site("minimal", tmp_path / "project")
    chart = root / "site_src" / "charts" / "awards.py"
    chart.write_text(chart.read_text().replace('title="Missions"', 'title="Mis\\u2028sions"'))
    result = CliRunner().invoke(main, ["build", "--root", str(root)], catch_exceptions=False)
    assert result.exit_code == 1
    first = next(line for line in result.stderr.split("\n") if ": error: " in line)
    assert first.startswith("site_src/charts/awards.py:6: error: chart 'lane2-missions' could not be drawn: Expression parse error: (\"Mis\u2028sions: ")
    assert first.endswith('datum["company"] : ""+datum["company"]))')


@pytest.mark.parametrize(("text", "rows"), [
    ("a,b\n1,2\n", [{"a": "1", "b": "2"}]),  # one final line end is not a row
    ("a,b\n1\n\n", [{"a": "1", "b": ""}]),  # a missing cell is ""
    ("a,b\n1,2\n\n\n", [{"a": "1", "b": "2"}, {"a": "", "b": ""}]),  # a blank line is a row of ""
    ('a,b\n"x, ""y""",2,3\n', [{"a": 'x, "y"', "b": "2"}]),  # quotes as RFC 4180; an extra cell is dropped
    ("a\n", []),
    ("", []),
])
def test_delimited_text_becomes_the_rows_d3_dsv_makes(text: str, rows: list) -> None:
    from generator.charts import delimited_as_values

    spec = {"layer": [{"data": {"values": text, "format": {"type": "csv", "parse": {"a": "number"}}}}]}
    assert delimited_as_values(spec) == {"layer": [{"data": {"values": rows, "format": {"parse": {"a": "number"}}}}]}
    tsv = {"data": {"values": text.replace(",", "\t"), "format": {"type": "tsv"}}}
    assert delimited_as_values(tsv) == {"data": {"values": [{k: v.replace(",", "\t") for k, v in row.items()} for row in rows]}}
