"""The command line: exit codes, the summary line, errors in compiler form."""

import re
import subprocess
import sys

from support import REPO


def test_build_prints_one_summary_line(make_site, cli):
    root = make_site()
    result = cli("build", "--root", root)
    assert result.exit_code == 0, result.stderr
    assert re.fullmatch(r"Built 11 pages and 1 chart in \d+\.\d\d s \(\d+ files changed\)\n", result.stdout)
    again = cli("build", "--root", root)
    assert again.stdout.endswith("(0 files changed)\n")


def test_a_malformed_front_matter_value_exits_1_with_its_line(make_site, cli):
    root = make_site()
    page = root / "site_src/explainers/lane2.md"
    page.write_text(page.read_text().replace("date: 2025-05-01", "date: someday"))
    result = cli("build", "--root", root)
    assert result.exit_code == 1
    assert result.stderr == (
        "site_src/explainers/lane2.md:4:7: error: field 'date': 'someday' is not a date (expected YYYY-MM-DD)\n"
        "Build failed: 1 error.\n")
    assert "Traceback" not in result.output


def test_strict_fails_on_a_hand_typed_figure(make_site, cli):
    root = make_site()
    page = root / "site_src/explainers/lane2.md"
    page.write_text(page.read_text() + "\nSpaceX was promised $5.9 billion.\n")
    relaxed = cli("build", "--root", root)
    assert relaxed.exit_code == 0
    assert "site_src/explainers/lane2.md:23:21: warning: figure typed by hand: '$5.9 billion'" in relaxed.stderr
    strict = cli("build", "--root", root, "--strict")
    assert strict.exit_code == 1
    assert strict.stderr.splitlines()[0] == (
        "site_src/explainers/lane2.md:23:21: error: figure typed by hand: '$5.9 billion' (use a [[record-id]] reference into the data)")


def test_bad_usage_exits_2(cli):
    assert cli("build", "--no-such-option").exit_code == 2


def test_charts_lists_every_chart(make_site, cli):
    result = cli("charts", "--root", make_site())
    assert result.stdout.splitlines() == ["lane2-missions\tLane 2 missions by company\tsite_src/charts/awards.py:6\tlane2", "1 chart."]


def test_embed_prints_a_snippet_for_the_base_url(make_site, cli):
    root = make_site()
    iframe = cli("embed", "lane2-missions", "--root", root).stdout
    assert iframe.startswith('<iframe src="https://example.org/embed/lane2-missions/" title="Lane 2 missions by company" data-explainer-embed')
    assert "<noscript><img src=\"https://example.org/embed/lane2-missions/chart.png\" alt=\"Lane 2 missions by company. Bar chart:" in iframe
    png = cli("embed", "lane2-missions", "--root", root, "--format", "png").stdout
    assert png.startswith('<img src="https://example.org/embed/lane2-missions/chart.png"')
    unknown = cli("embed", "lane2-mission", "--root", root)
    assert unknown.exit_code == 1
    assert "no chart 'lane2-mission' in site_src/charts/ (did you mean 'lane2-missions'?)" in unknown.stderr


def test_python_dash_m_generator_runs_the_cli():
    result = subprocess.run([sys.executable, "-m", "generator", "--help"], cwd=REPO, capture_output=True, text=True, check=True)
    assert "Usage: explainer" in result.stdout and "build" in result.stdout


def test_debug_shows_a_traceback_for_internal_failures(make_site, cli, monkeypatch):
    import generator.cli as cli_module

    def explode(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(cli_module, "run_build", explode)
    root = make_site()
    quiet = cli("build", "--root", root)
    assert quiet.exit_code == 1
    assert quiet.stderr == "error: internal failure: RuntimeError: boom (run with --debug for details)\n"
    loud = cli("build", "--root", root, "--debug")
    assert "Traceback (most recent call last)" in loud.stderr
