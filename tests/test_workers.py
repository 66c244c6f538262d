"""Chart work in worker processes (generator/workers.py): time limits, native crashes, order, cache.

A chart function that never returns, or one that kills its process the way a Rust panic
in vl-convert does (SIGABRT), must become a located error while the build fails cleanly:
exit 1, output/ untouched, no staging folder and no worker process left. The CLI tests run
`explainer build` in a child process: an abort in the build's own process (as before
workers) must not take the test run down with it.
"""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from generator import workers as workers_module
from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.console import LOG_EVERY, Console
from generator.errors import BuildFailed, Problem
from generator.workers import ANNOUNCE, SHARED, Cancelled, Label, Task, Workers, drawing_engine
from support import tree_bytes
from test_console import Clock, Terminal, screen

REPO = Path(__file__).resolve().parent.parent
LOOP = """from generator import chart


@chart("loops", title="Loops", description="Never returns.", sources=["wire-2025-04-04"])
def loops(data):
    while True:
        pass
"""
ABORT = """import os

from generator import chart


@chart("boom", title="Boom", description="Kills its process.", sources=["wire-2025-04-04"])
def boom(data):
    os.abort()
"""
SECOND_CHART = """import altair as alt

from generator import chart


@chart("lane2-dollars", title="Lane 2 dollars", description="Dollars by company.", sources=["wire-2025-04-04"])
def lane2_dollars(data):
    rows = [{"company": c.awardee, "missions": c.missions} for c in data.contracts]
    return alt.Chart(alt.Data(values=rows)).mark_point().encode(x="missions:Q", y="company:N")
"""


def explainer(*args: str, prelude: str = "", timeout: float = 180) -> subprocess.CompletedProcess:
    """`explainer ARGS` in a child process; `prelude` is Python run first (to break something)."""
    code = f"{prelude}\nfrom generator.cli import main\nmain()"
    return subprocess.run([sys.executable, "-c", code, *map(str, args)], cwd=REPO, capture_output=True, text=True, timeout=timeout)


def processes_naming(text: str) -> list[int]:
    """Processes whose command line holds `text` (workers are forks: they keep their parent's)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and text in (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace"):
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def built_then_broken(make_site, files: dict[str, str]) -> tuple[Path, dict[str, bytes]]:
    """A project built once (its output kept), then given `files`."""
    root = make_site()
    assert explainer("build", "--root", root, "-q").returncode == 0
    for relative, text in files.items():
        (root / relative).write_text(text)
    return root, tree_bytes(root / "output")


def assert_failed_cleanly(done: subprocess.CompletedProcess, root: Path, before: dict[str, bytes], lines: list[str]) -> None:
    assert done.returncode == 1, done.stderr
    assert done.stderr.splitlines() == lines
    assert tree_bytes(root / "output") == before  # output/ untouched
    assert not [p.name for p in root.iterdir() if ".staging-" in p.name]
    assert processes_naming(str(root)) == []  # no worker left behind


def test_a_chart_that_never_returns_is_stopped_at_its_time_limit(make_site):
    root, before = built_then_broken(make_site, {"site_src/charts/loop.py": LOOP})
    started = time.monotonic()
    done = explainer("build", "--root", root, "--chart-timeout", "2", "-q")
    assert time.monotonic() - started < 60
    assert_failed_cleanly(done, root, before, [
        "site_src/charts/loop.py:4: error: chart 'loops' did not finish within 2 s (--chart-timeout)", "Build failed: 1 error."])


def test_the_time_limit_can_be_set_in_site_yaml_and_the_option_wins(make_site):
    root, before = built_then_broken(make_site, {"site_src/charts/loop.py": LOOP})
    settings = root / "site_src/site.yaml"
    settings.write_text(settings.read_text() + "chart_timeout: 1.5\n")
    done = explainer("build", "--root", root, "-q")
    assert_failed_cleanly(done, root, before, [
        "site_src/charts/loop.py:4: error: chart 'loops' did not finish within 1.5 s (--chart-timeout)", "Build failed: 1 error."])
    assert load_config(root, timeout=3).chart_timeout == 3 and load_config(root).chart_timeout == 1.5


def test_a_chart_that_kills_its_process_is_a_located_error(make_site):
    root, before = built_then_broken(make_site, {"site_src/charts/boom.py": ABORT})
    done = explainer("build", "--root", root, "-q")
    assert_failed_cleanly(done, root, before, [
        "site_src/charts/boom.py:6: error: chart 'boom' crashed the worker running it (SIGABRT)", "Build failed: 1 error."])


# A native crash while drawing, as vl-convert's Rust panic on a control character in text:
# it prints the panic, then a backtrace, then aborts. The error quotes the panic's message only.
PANIC = """import os
from generator import chartfiles

def panic(*args):
    os.write(2, b"thread '<unnamed>' (1) panicked at vl-convert-rs/src/text.rs:370:50:\\n"
                b"Failed to parse text SVG: ParsingFailed(NonXmlChar('\\\\u{b}', TextPos { row: 3, col: 66 }))\\n"
                b"stack backtrace:\\n   0:     0x7f946e2fc412 - <unknown>\\nthread caused non-unwinding panic. aborting.\\n")
    os.abort()

chartfiles._chart_files = panic
"""


def test_a_drawing_that_crashes_the_engine_is_a_located_error_without_the_backtrace(make_site):
    root, before = built_then_broken(make_site, {})
    done = explainer("build", "--root", root, "--clean", "-q", prelude=PANIC)  # --clean: drawn again, not read from the cache
    assert_failed_cleanly(done, root, before, [
        "site_src/charts/awards.py:6: error: drawing chart 'lane2-missions' crashed the drawing engine (SIGABRT): "
        "Failed to parse text SVG: ParsingFailed(NonXmlChar('\\u{b}', TextPos { row: 3, col: 66 }))",
        "Build failed: 1 error."])


def test_a_killed_build_leaves_no_worker_running(make_site):
    root = make_site({"site_src/charts/loop.py": LOOP})
    build = subprocess.Popen([sys.executable, "-m", "generator", "build", "--root", str(root), "-q"], cwd=REPO,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while len(processes_naming(str(root))) < 2:  # the build and its worker, spinning in the chart
            assert time.monotonic() < deadline and build.poll() is None, "no worker started"
            time.sleep(0.1)
        build.send_signal(signal.SIGKILL)
        build.wait(10)
        deadline = time.monotonic() + 5
        while processes_naming(str(root)):
            assert time.monotonic() < deadline, "a worker outlived its killed build"
            time.sleep(0.1)
    finally:
        if build.poll() is None:
            build.kill()


def test_a_parallel_build_draws_the_same_bytes_as_a_serial_one(make_site, tmp_path):
    root = make_site({"site_src/charts/dollars.py": SECOND_CHART})
    build(load_config(root, tmp_path / "serial", jobs=1), Cache(None))
    build(load_config(root, tmp_path / "parallel", jobs=2), Cache(tmp_path / "cache"))
    assert tree_bytes(tmp_path / "serial") == tree_bytes(tmp_path / "parallel")
    assert (tmp_path / "parallel/embed/lane2-dollars/chart.png").is_file()


def test_the_build_process_never_imports_vl_convert(make_site):
    root = make_site()
    done = subprocess.run([sys.executable, "-c", "import sys\nfrom pathlib import Path\nfrom generator.build import build, default_cache\n"
                           "from generator.config import load_config\nconfig = load_config(Path(sys.argv[1]))\n"
                           "build(config, default_cache(config))\nprint('vl_convert' in sys.modules, 'altair' in sys.modules)", str(root)],
                          cwd=REPO, capture_output=True, text=True, timeout=180)
    assert done.stdout == "False True\n", done.stderr  # altair: imported before forking, so workers inherit it
    with pytest.raises(RuntimeError, match="vl-convert runs only in worker processes"):
        drawing_engine()


QUITS = """import os
import sys

from generator import chart


@chart("quits", title="Quits", description="Ends its process.", sources=["wire-2025-04-04"])
def quits(data):
    {how}(3)
"""


def test_a_chart_that_exits_is_a_located_error(make_site):
    from generator.build import load_data_and_charts

    for how, message in (("sys.exit", "site_src/charts/quits.py:9: error: chart 'quits' failed: SystemExit: 3"),
                         ("os._exit", "site_src/charts/quits.py:7: error: chart 'quits' ended the worker running it (exit status 3)")):
        root = make_site({"site_src/charts/quits.py": QUITS.format(how=how)})
        with pytest.raises(BuildFailed) as failed:
            load_data_and_charts(load_config(root), Cache(None))
        assert [p.format() for p in failed.value.problems] == [message]


def test_a_chart_file_that_never_finishes_loading_is_stopped(make_site):
    from generator.build import load_data_and_charts

    root = make_site({"site_src/charts/slow.py": "while True:\n    pass\n"})
    with Workers(timeout=1) as pool, pytest.raises(BuildFailed) as failed:
        load_data_and_charts(load_config(root), Cache(None), pool)
    assert [p.format() for p in failed.value.problems] == [
        "site_src/charts/slow.py: error: loading the chart file did not finish within 1 s (--chart-timeout)"]


# The pool itself ------------------------------------------------------------------

def label(name: str) -> Label:
    return Label(f"doing {name}", name, f"site_src/charts/{name}.py", 7)


def square(value: int) -> int:
    time.sleep(0.05 * (value % 3))  # finish out of order
    return value * value


def fail(name: str) -> None:
    raise BuildFailed([Problem(f"site_src/charts/{name}.py", 2, 0, "it failed")])


def raise_value_error() -> None:
    raise ValueError("bad value")


def exit_3() -> None:
    sys.exit(3)


def steps(announce, seconds: float) -> str:
    announce(label("second step"))
    time.sleep(seconds)
    return "done"


def read_shared(shared: dict, name: str) -> str:
    return shared[name]


def spin() -> None:
    while True:
        pass


def store(folder: Path, index: int) -> bytes:
    """Every worker writes the same keys into one cache at once."""
    cache = Cache(folder)
    value = f"value {index % 2}".encode() * 1000
    cache.put_bytes("images", f"{index % 2:064x}", value)
    cache.put_files("sets", f"{index % 2:064x}", {"a.txt": value, "b.txt": value[::-1]})
    return value


def test_results_come_back_in_input_order_whatever_order_they_finish_in():
    with Workers(jobs=3) as pool:
        assert pool.map([Task(square, (n,), label("square")) for n in range(12)]) == [n * n for n in range(12)]


def test_problems_stay_with_their_task_and_other_exceptions_are_raised():
    with Workers(jobs=2) as pool:
        first, second = pool.map([Task(fail, ("a",), label("a")), Task(square, (3,), label("b"))])
        assert isinstance(first, BuildFailed) and first.problems == [Problem("site_src/charts/a.py", 2, 0, "it failed")]
        assert second == 9
        with pytest.raises(ValueError, match="bad value") as raised:
            pool.map([Task(raise_value_error, (), label("c"))])
        assert "raise ValueError" in str(raised.value.__cause__)  # the worker's traceback, for --debug
        with pytest.raises(workers_module.WorkerError, match="^SystemExit: 3$"):  # never raised as SystemExit here
            pool.map([Task(exit_3, (), label("d"))])


def test_a_task_past_its_limit_is_killed_and_the_pool_goes_on():
    with Workers(jobs=1, timeout=0.5) as pool:
        stuck, after = pool.map([Task(spin, (), label("spinner")), Task(square, (4,), label("next"))])
        assert stuck.problems == [Problem("site_src/charts/spinner.py", 7, 0, "spinner did not finish within 0.5 s (--chart-timeout)")]
        assert after == 16


def test_a_drawing_gets_at_least_its_floor_whatever_the_chart_limit():
    with Workers(jobs=1, timeout=0.2) as pool:
        drawing = Task(steps, (ANNOUNCE, 0.6), label("drawing"), floor=5)
        assert pool.map([drawing]) == ["done"]


def test_each_announced_step_has_its_own_clock_and_label():
    with Workers(jobs=1, timeout=0.6) as pool:
        assert pool.map([Task(steps, (ANNOUNCE, 0.3), label("first step"))]) == ["done"]
        (late,) = pool.map([Task(steps, (ANNOUNCE, 5), label("first step"))])
        assert late.problems[0].message == "second step did not finish within 0.6 s (--chart-timeout)"


def test_workers_inherit_the_shared_object_and_are_replaced_when_it_changes():
    with Workers(jobs=1) as pool:
        assert pool.map([Task(read_shared, (SHARED, "a"), label("x"))], shared={"a": "first"}, shared_key="1") == ["first"]
        assert pool.map([Task(read_shared, (SHARED, "a"), label("x"))], shared={"a": "second"}, shared_key="2") == ["second"]


def test_a_slow_task_is_named_in_progress(monkeypatch):
    monkeypatch.setattr(workers_module, "SLOW", 0.2)
    heard = []

    class Heard:
        def step(self, count=1):
            heard.append("step")

        def running(self, doing, seconds):
            heard.append((doing, round(seconds)))

    with Workers(jobs=1) as pool:
        pool.map([Task(steps, (ANNOUNCE, 1.6), label("first"))], Heard())
    assert ("doing second step", 1) in heard and heard[-1] == "step"


def test_closing_the_pool_from_another_thread_stops_a_running_task_at_once():
    pool = Workers(jobs=1)
    threading.Timer(0.5, pool.close).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        pool.map([Task(spin, (), label("spinner"))])
    assert time.monotonic() - started < 3


def test_workers_writing_the_same_cache_keys_at_once_leave_whole_entries(tmp_path):
    with Workers(jobs=2) as pool:
        values = pool.map([Task(store, (tmp_path, i), label("store")) for i in range(16)])
    cache = Cache(tmp_path)
    for i in range(2):
        assert cache.get_bytes("images", f"{i:064x}") == values[i]
        assert cache.get_files("sets", f"{i:064x}") == {"a.txt": values[i], "b.txt": values[i][::-1]}
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".tmp-")]


# What the console shows --------------------------------------------------------------

def test_a_long_task_is_named_on_the_live_line_with_its_own_time():
    clock, tty = Clock(), Terminal()
    with Console(live=True).progress(clock, tty) as progress:
        progress.stage("reading sources")
        clock.now += 31
        progress.running("running chart 'loops'", 30)
        assert screen(tty.getvalue()) == "Running chart 'loops' · 30 s"


def test_a_long_task_is_named_in_a_log_every_few_seconds():
    clock, log = Clock(), io.StringIO()
    with Console().progress(clock, log) as progress:
        progress.stage("reading sources")
        for second in range(2, 13):
            clock.now = 100 + second
            progress.running("running chart 'loops'", second)
    assert LOG_EVERY == 5.0
    assert log.getvalue().splitlines() == ["Running chart 'loops' · 2 s", "Running chart 'loops' · 7 s", "Running chart 'loops' · 12 s"]


def test_the_longest_drawings_start_first(monkeypatch):
    """Full charts before step views, maps first, then the biggest specs; results keep their order."""
    from generator import chartfiles
    from generator.chartoutputs import plan_chart, plan_step
    from generator.charts import ChartSpec

    def spec(chart_id: str, body: dict) -> ChartSpec:
        return ChartSpec(chart_id=chart_id, title=chart_id, description="d", sources=("s",), as_of=None, note="", spec=body, shown="c.py", line=1)

    bar = {"mark": "bar", "data": {"values": [{"a": 1}]}}
    big = {"mark": "bar", "data": {"values": [{"a": n} for n in range(300)]}}
    shape = {"mark": "geoshape", "data": {"values": []}}
    charts = [(spec("bar", bar), None), (spec("step", big), None), (spec("big", big), None), (spec("map", shape), None)]
    plans = [plan_chart("bar"), plan_step("bar--step-1"), plan_chart("big"), plan_chart("map")]
    started: list[str] = []

    class Pool:
        def map(self, tasks, progress):
            started.extend(task.args[0].chart_id for task in tasks)
            return [{} for _ in tasks]

    monkeypatch.setattr(chartfiles, "_store_files", lambda cache, key, plan, made: {plan.chart_id: b""})
    found = chartfiles.render_charts_files(charts, Cache(None), "v", "site", workers=Pool(), plans=plans)
    assert started == ["map", "big", "bar", "step"]
    assert found == [{"bar": b""}, {"bar--step-1": b""}, {"big": b""}, {"map": b""}]
