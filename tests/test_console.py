"""What the CLI says while it works: progress after a second, -q, -v, colour and NO_COLOR."""

import io
import os
import pty
import re
import subprocess
import sys

from generator.console import DELAY, LOG_EVERY, Console
from generator.errors import Problem
from support import REPO


class Clock:
    """A clock the test moves by hand."""

    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


class Terminal(io.StringIO):
    def isatty(self):
        return True


def screen(written: str) -> str:
    """What a terminal shows after `written`: each carriage return rewrites the line."""
    lines = []
    for line in written.split("\n"):
        shown = ""
        for part in line.split("\r"):
            shown = part + shown[len(part):]
        lines.append(shown.rstrip())
    return "\n".join(lines)


def run_stages(console, clock, stream, plan):
    """plan: (stage name, total, seconds per step); steps advance the clock."""
    with console.progress(clock, stream) as progress:
        for name, total, seconds in plan:
            progress.stage(name, total)
            for _ in range(total):
                clock.now += seconds
                progress.step()


def test_a_build_under_a_second_says_nothing_while_it_runs():
    clock, log = Clock(), io.StringIO()
    run_stages(Console(), clock, log, [("reading sources", 0, 0), ("drawing charts", 3, DELAY / 4)])
    assert log.getvalue() == ""


def test_a_long_build_in_a_log_prints_plain_lines_per_stage_and_every_few_seconds():
    clock, log = Clock(), io.StringIO()
    run_stages(Console(), clock, log, [("reading sources", 0, 0), ("drawing charts", 12, 0.7), ("rendering pages", 80, 0.01)])
    # the first step after a second of silence, the next LOG_EVERY s later, then each new stage
    assert LOG_EVERY == 5.0
    assert log.getvalue().splitlines() == ["Drawing charts 2/12", "Drawing charts 10/12", "Rendering pages 0/80…"]


def test_on_a_terminal_one_live_line_is_redrawn_then_erased():
    clock, tty = Clock(), Terminal()
    console = Console(live=True)
    with console.progress(clock, tty) as progress:
        progress.stage("drawing charts", 12)
        for done in range(1, 13):
            clock.now += 0.7
            progress.step()
            if done == 6:
                assert screen(tty.getvalue()) == "Drawing charts 6/12 · 4 s"
    assert "\n" not in tty.getvalue()
    assert screen(tty.getvalue()) == ""  # erased, so the summary starts on a clean line


def test_verbose_adds_each_stage_time_and_quiet_shows_no_progress():
    clock, log = Clock(), io.StringIO()
    run_stages(Console(verbosity=1), clock, log, [("reading sources", 1, 0.25), ("writing files", 1, 0.5)])
    assert log.getvalue().splitlines() == ["  reading sources: 0.25 s", "  writing files: 0.50 s"]
    clock, log = Clock(), io.StringIO()
    run_stages(Console(verbosity=-1), clock, log, [("drawing charts", 12, 0.7)])
    assert log.getvalue() == ""


def test_colour_only_on_a_terminal_and_never_with_no_color():
    assert Console.for_streams(environ={}, stderr=Terminal()).colour
    assert not Console.for_streams(environ={"NO_COLOR": "1"}, stderr=Terminal()).colour
    assert not Console.for_streams(environ={}, stderr=io.StringIO()).colour
    assert Console.for_streams(quiet=True).verbosity == -1 and Console.for_streams(verbose=True).verbosity == 1


def test_problems_are_coloured_by_severity(capsys):
    Console(colour=True).problem(Problem("site_src/a.md", 3, 7, "figure typed by hand", "warning"))
    err = capsys.readouterr().err
    assert "\x1b[33m" in err and re.sub(r"\x1b\[[0-9;]*m", "", err) == "site_src/a.md:3:7: warning: figure typed by hand\n"


def test_quiet_build_prints_nothing_and_verbose_prints_stage_times(make_site, cli):
    root = make_site()
    quiet = cli("build", "--root", root, "-q")
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""
    verbose = cli("build", "--root", root, "--clean", "-v")
    assert re.search(r"^  drawing charts: \d+\.\d\d s$", verbose.stderr, re.M), verbose.stderr
    assert re.fullmatch(r"Built 11 pages and 1 chart in \d+\.\d\d s \(\d+ files changed\)\n", verbose.stdout)


def run_in_terminal(args, env):
    """Run a command with a pseudo-terminal as stdout and stderr; return all it wrote."""
    leader, follower = pty.openpty()
    process = subprocess.Popen(args, stdout=follower, stderr=follower, env=env, cwd=REPO)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0, b"".join(chunks)
    return b"".join(chunks).decode()


def test_a_terminal_gets_colour_unless_no_color_is_set(make_site):
    root = make_site()
    explainer = [sys.executable, "-m", "generator", "build", "--root", str(root)]
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    coloured = run_in_terminal(explainer, env)
    assert "\x1b[32m\x1b[1mBuilt\x1b[0m 11 pages" in coloured
    plain = run_in_terminal(explainer, env | {"NO_COLOR": "1"})
    assert "\x1b[" not in plain and re.search(r"^Built 11 pages and 1 chart in \d+\.\d\d s", plain, re.M)
