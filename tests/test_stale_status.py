"""A record whose status the data date contradicts: a warning at the field, an error under --strict.

The hook is generic (`Record.check_as_of`, called with site.yaml's `data_as_of`); these tests use the
project's own models (a flight still "planned" on a passed day, a watch item not re-checked since the
data date moved) on the minimal site, whose data date is June 30, 2025.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from generator.cli import main

TESTS = Path(__file__).resolve().parent

FLIGHT = """\
- id: ng-9
  name: NG-9
  vehicle: New Glenn
  provider: blue-origin
  date: {date}
  mission: A test payload
  outcome: {outcome}
  sources: [wire-2025-04-04]
"""

WATCH = """\
- id: watch-ng-9
  title: NG-9
  topic: launches
  status: Expected soon.
  last_checked: {checked}
  checked_against: wire-2025-04-04
  sources: [wire-2025-04-04]
"""


def site_with(tmp_path: Path, name: str, text: str) -> Path:
    root = tmp_path / "project"
    shutil.copytree(TESTS / "sites" / "minimal", root)
    shutil.copytree(TESTS.parent / "templates", root / "templates")
    shutil.copy2(TESTS.parent / "site_src" / "models.py", root / "site_src" / "models.py")
    (root / "site_src" / "data" / name).write_text(text, encoding="utf-8")
    return root


def build(root: Path, *flags: str):
    return CliRunner().invoke(main, ["build", "--root", str(root), *flags], catch_exceptions=False)


def test_a_flight_planned_before_the_data_date_fails_a_strict_build_at_its_field(tmp_path):
    root = site_with(tmp_path, "flights.yaml", FLIGHT.format(date="2025-06-01", outcome="planned"))
    result = build(root, "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "site_src/data/flights.yaml:7:12: error: 'ng-9' field 'outcome': planned for 2025-06-01, before the data date "
        "2025-06-30: say what happened (a flight that never launched is an event, not a flight)",
        "Build failed: 1 error.",
    ]
    assert not (root / "output").exists()


def test_without_strict_the_stale_status_is_a_located_warning(tmp_path):
    root = site_with(tmp_path, "flights.yaml", FLIGHT.format(date="2025-06-01", outcome="planned"))
    result = build(root)
    assert result.exit_code == 0
    assert "site_src/data/flights.yaml:7:12: warning: 'ng-9' field 'outcome': planned for 2025-06-01" in result.stderr


def test_a_planned_flight_after_the_data_date_or_a_flown_one_builds_strictly(tmp_path):
    for date, outcome in (("2025-07-15", "planned"), ("2025-06-01", "failure")):
        root = site_with(tmp_path / outcome, "flights.yaml", FLIGHT.format(date=date, outcome=outcome))
        result = build(root, "--strict")
        assert result.exit_code == 0, result.stderr


def test_a_watch_item_not_rechecked_since_the_data_date_moved_fails_a_strict_build(tmp_path):
    root = site_with(tmp_path, "watch.yaml", WATCH.format(checked="2025-05-31"))
    result = build(root, "--strict")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "site_src/data/watch.yaml:5:17: error: 'watch-ng-9' field 'last_checked': last checked 2025-05-31, before the "
        "data date 2025-06-30: check the status again and say against which source",
        "Build failed: 1 error.",
    ]


def test_a_watch_item_checked_on_the_data_date_builds_strictly(tmp_path):
    root = site_with(tmp_path, "watch.yaml", WATCH.format(checked="2025-06-30"))
    result = build(root, "--strict")
    assert result.exit_code == 0, result.stderr
