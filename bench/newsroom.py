"""Newsroom-shaped benchmarks: the real site plus N synthetic explainers, social cards on, against Hugo.

    python bench/newsroom.py [--sizes 0,1000,10000] [--repeat 3] [--slow-repeat N] [--charts real,200]
                             [--skip-hugo] [--synthetic] [--no-profile] [--no-doc] [--report-only]

The shapes (issue #28): a copy of the project's site_src/ and templates/ (its
settings, so social cards are on) plus N explainers of ~600 words whose bodies
come from make_site.py, as in bench/run.py. Each synthetic explainer has a
`lead_chart` and one chart fence naming the same chart, round robin over the
real site's chart ids (read from its `@chart(...)` declarations), the topics of
one of the real explainers (round robin), and no [[references]], so it builds
without a warning under the real site's schema. Chart variants: `real` (the
site's own charts) and `200` (plus 200 synthetic bar charts drawn from the real
contracts, make_site.chart_files; the fences go round robin over all charts).

Hugo gets the same bodies (and the real explainers' Markdown as written) in a
site from make_site.write_hugo, built in the same run, cold (fresh --cacheDir).

For each shape we measure our `explainer build --jobs 0 -v` cold (no .cache/,
fresh output) and warm (a .cache/ copied from a cold build, fresh output), and
Hugo cold; the real site alone also cold with `--jobs 1` (what the second core
buys). Then: per card (the largest size up to 1,000 with `social_cards: false`
against the same site with cards; difference ÷ cards drawn), per chart (the
`-v` stages naming charts ÷ the charts the build reports; and the 200-chart
variant against the real one, difference ÷ 200), and a cProfile of the parent
process of a cold build of that size (workers are other processes: the `-v`
stage table is where the time goes, the profile is the parent's share).

Every number is a whole process, wall clock, median of --repeat runs, with its
user+system CPU (workers included) and peak memory two ways: the largest single
process (os.wait4) and the sum over the build's process tree (PSS, sampled
every 0.1 s; a build shorter than that may show less). Results are merged into bench/work/newsroom.json and written to
docs/performance.md between the newsroom markers (the rest of the file is kept).
`--synthetic` also runs run.py's 10,000-explainer size run (ours and Hugo) for
that target; without it the target reads bench/work/results.json.
"""

from __future__ import annotations

import argparse
import ast
import os
import pstats
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_site  # noqa: E402  (stdlib only)
import run  # noqa: E402  (measuring, Hugo, machine facts, doc helpers)
from run import fmt_s, log, median, today, verdict  # noqa: E402

WORK = run.WORK / "newsroom"
RESULTS = run.WORK / "newsroom.json"
START, END = "<!-- newsroom:start -->", "<!-- newsroom:end -->"
HEADING = "## Newsroom-shaped builds"
SYNTHETIC_CHARTS = 200
CARD_SIZE = 1000  # per-card and profile runs: the largest measured size up to this
STAGE = re.compile(r"^  ([a-z][a-z ,]+): ([\d.]+) s$", re.M)
DRAWINGS = re.compile(r"^Drawing charts \d+/(\d+)", re.M)
PROBLEM = run.PROBLEM_LINE
SLOW_SIZE = 10_000  # from this size on, shapes run --slow-repeat times (a cold build with cards takes many minutes)


# --- the real site, read (not imported: this script runs with any Python) ---------------------------

def real_chart_ids(src: Path) -> tuple[str, ...]:
    """Ids of the charts the site declares: the first argument of each `@chart("id", ...)`."""
    ids = []
    for path in sorted((src / "charts").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "chart" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    ids.append(first.value)
    return tuple(ids)


def real_topics(src: Path) -> list[str]:
    """Each real explainer's `topics: [...]` line, as written (a flow list is all the site uses)."""
    found = [re.search(r"^topics: (\[.*\])$", p.read_text(encoding="utf-8"), re.M) for p in sorted((src / "explainers").glob("*.md"))]
    return [m.group(1) for m in found if m] or ["[]"]


def first_source(src: Path) -> str:
    """A source id the real data has, for the synthetic charts to cite."""
    return re.search(r"^- id: (\S+)$", (src / "data" / "sources.yaml").read_text(encoding="utf-8"), re.M).group(1)


# --- writing a shape ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Shape:
    size: int  # synthetic explainers added to the real site
    charts: str  # "real" or "200"

    @property
    def name(self) -> str:
        return f"n{self.size}-{self.charts}"


def synthetic_posts(shape: Shape, chart_ids: tuple[str, ...]) -> list[make_site.Explainer]:
    return make_site.explainers(shape.size, [], 0, chart_ids)


def all_chart_ids(shape: Shape) -> tuple[str, ...]:
    real = real_chart_ids(run.ROOT / "site_src")
    extra = tuple(f"chart-{k:04d}" for k in range(1, SYNTHETIC_CHARTS + 1)) if shape.charts != "real" else ()
    return real + extra


def front_matter(post: make_site.Explainer, chart_id: str, topics: str) -> str:
    return (f"---\ntitle: \"{post.title}\"\nsummary: \"{post.summary}\"\ndate: {post.date.isoformat()}\norder: {1000 + post.order}\n"
            f"lead_chart: {chart_id}\ntopics: {topics}\n---\n\n")


def write_ours(root: Path, shape: Shape) -> None:
    """The real site_src/ and templates/, plus the shape's explainers (and synthetic charts)."""
    if root.exists():
        shutil.rmtree(root)
    for name in ("site_src", "templates"):
        shutil.copytree(run.ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__"))
    src = root / "site_src"
    ids, topics = all_chart_ids(shape), real_topics(src)
    for i, post in enumerate(synthetic_posts(shape, ids), start=1):
        chart_id = make_site.fence_chart(i, 0, ids)
        make_site.write(src / "explainers" / f"{post.slug}.md", front_matter(post, chart_id, topics[(i - 1) % len(topics)]) + post.body)
    if shape.charts != "real":
        for number, text in enumerate(make_site.chart_files(SYNTHETIC_CHARTS, first_source(src))):
            make_site.write(src / "charts" / f"bench_{number:03d}.py", text)


def write_hugo(root: Path, shape: Shape) -> None:
    """make_site's Hugo site with the same synthetic bodies, and the real explainers as written."""
    if root.exists():
        shutil.rmtree(root)
    make_site.write_hugo(root, synthetic_posts(shape, all_chart_ids(shape)), [])
    for path in sorted((run.ROOT / "site_src" / "explainers").glob("*.md")):
        make_site.write(root / "content" / "explainers" / path.name, path.read_text(encoding="utf-8"))


def set_cards(root: Path, on: bool) -> None:
    """Social cards on (the real site's setting: the default) or off (one card for the whole site)."""
    path = root / "site_src" / "site.yaml"
    text = re.sub(r"\n# bench: cards off\nsocial_cards: false\n$", "\n", path.read_text(encoding="utf-8"))
    path.write_text(text if on else text.rstrip("\n") + "\n# bench: cards off\nsocial_cards: false\n", encoding="utf-8")


# --- measuring ------------------------------------------------------------------------------------

class TreeMemory:
    """Peak of the summed PSS of every process below this one (the build and its workers), sampled
    while a build runs: wait4's max RSS is one process's, and the workers are others."""

    def __init__(self, every: float = 0.1) -> None:
        self.every, self.peak_mb = every, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def __enter__(self) -> "TreeMemory":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def _sample(self) -> None:
        while True:  # a first sample at once: a short build (Hugo's) may be over before the first wait ends
            self.peak_mb = max(self.peak_mb, sum(_pss_kb(pid) for pid in _descendants(os.getpid())) / 1024)
            if self._stop.wait(self.every):
                return


def _descendants(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], list(children.get(root, []))
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0
    found = re.search(r"^Pss:\s+(\d+) kB", text, re.M)
    return int(found.group(1)) if found else 0


@dataclass
class Build:
    """One measured process: the run, the machine's load when it started, its tree's memory peak."""

    run: run.Run
    load: float
    tree_mb: float
    stages: dict[str, float] = field(default_factory=dict)

    def problem(self) -> Optional[str]:
        if self.run.rc != 0:
            return f"exit {self.run.rc}: {self.run.tail()}"
        bad = [line for line in self.run.stderr.splitlines() if PROBLEM.search(line)]
        return f"warnings or errors: {bad[:3]}" if bad else None


def measured(cmd: list[str], cwd: Optional[Path] = None) -> Build:
    load = os.getloadavg()[0]
    with TreeMemory() as memory:
        done = run.run_measured(cmd, cwd)
    return Build(done, load, memory.peak_mb, {name: float(s) for name, s in STAGE.findall(done.stderr)})


def ours_cmd(site: Path, out: Path, jobs: int = 0) -> list[str]:
    return run.ours_command(site, out) + ["--jobs", str(jobs), "-v"]


def cold_ours(site: Path, out: Path, jobs: int = 0) -> Build:
    run.make_cold("ours", site, out)
    return measured(ours_cmd(site, out, jobs))


def warm_ours(site: Path, out: Path, saved_cache: Path) -> Build:
    """A deploy with its cache restored: the cache of a cold build copied in, a fresh output folder."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".cache", ignore_errors=True)
    shutil.copytree(saved_cache, site / ".cache")
    os.sync()
    return measured(ours_cmd(site, out))


def cold_hugo(site: Path, out: Path) -> Build:
    run.make_cold("hugo", site, out)
    return measured(run.tool_command("hugo", site, out)[0])


def series(label: str, repeat: int, once) -> dict:
    """`once()` --repeat times: medians of wall, CPU and stages; the worst memory and load."""
    builds: list[Build] = []
    for index in range(repeat):
        build = once()
        problem = build.problem()
        log(f"  {label} {index + 1}/{repeat}: {build.run.seconds:.2f} s wall, {build.run.cpu_s:.2f} s CPU, "
            f"{build.run.max_rss_mb:.0f} MB largest process, {build.tree_mb:.0f} MB tree, load {build.load:.1f}" + (f"  FAILED {problem}" if problem else ""))
        if problem:
            return {"measured": today(), "failed": problem}
        builds.append(build)
    last = builds[-1]
    stages = {name: round(median([b.stages.get(name, float("nan")) for b in builds]), 3) for name in last.stages}
    drawings = DRAWINGS.search(last.run.stderr)
    return {"measured": today(), "runs_s": [round(b.run.seconds, 3) for b in builds], "median_s": round(median([b.run.seconds for b in builds]), 3),
            "cpu_median_s": round(median([b.run.cpu_s for b in builds]), 3), "max_rss_mb": round(max(b.run.max_rss_mb for b in builds), 1),
            "tree_pss_mb": round(max(b.tree_mb for b in builds), 1), "load": round(max(b.load for b in builds), 1),
            "summary": run.summary_of(last.run), "stages": stages, "drawings": int(drawings.group(1)) if drawings else None}


def cards_drawn(out: Path) -> int:
    return sum(1 for _ in (out / "assets" / "social").glob("*.png"))


def measure_shape(shape: Shape, repeat: int, hugo: bool, results: dict) -> None:
    folder = WORK / "sites" / shape.name
    site, hugo_site, out = folder / "ours", folder / "hugo", WORK / "out" / shape.name
    log(f"{shape.name}: writing the sites ({shape.size:,} synthetic explainers, {shape.charts} charts)")
    write_ours(site, shape)
    entry: dict[str, Any] = {"size": shape.size, "charts_variant": shape.charts, "explainers": len(list((site / "site_src" / "explainers").glob("*.md")))}
    entry["cold"] = series(f"{shape.name} ours cold", repeat, lambda: cold_ours(site, out))
    entry["cold"]["cards"] = cards_drawn(out)
    if "failed" not in entry["cold"]:
        saved = WORK / "out" / f"{shape.name}.cache"
        shutil.rmtree(saved, ignore_errors=True)
        shutil.copytree(site / ".cache", saved)
        entry["warm"] = series(f"{shape.name} ours warm", repeat, lambda: warm_ours(site, out, saved))
        shutil.rmtree(saved, ignore_errors=True)
    if shape.size == 0 and shape.charts == "real":
        entry["cold_jobs1"] = series(f"{shape.name} ours cold --jobs 1", repeat, lambda: cold_ours(site, out, jobs=1))
    if hugo:
        write_hugo(hugo_site, shape)
        entry["hugo"] = series(f"{shape.name} Hugo cold", repeat, lambda: cold_hugo(hugo_site, WORK / "out" / f"{shape.name}-hugo"))
        entry["hugo"]["pages"] = run.count_html(WORK / "out" / f"{shape.name}-hugo")
        shutil.rmtree(WORK / "out" / f"{shape.name}-hugo", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    results["shapes"][shape.name] = entry
    save(results)


def card_run(shape: Shape, repeat: int, results: dict) -> None:
    """The shape's cold build with social cards off: what the cards cost, per card drawn."""
    site, out = WORK / "sites" / shape.name / "ours", WORK / "out" / f"{shape.name}-nocards"
    set_cards(site, False)
    try:
        off = series(f"{shape.name} ours cold, cards off", repeat, lambda: cold_ours(site, out))
        off["cards"] = cards_drawn(out)
    finally:
        set_cards(site, True)
        shutil.rmtree(out, ignore_errors=True)
    results["cards"] = {"shape": shape.name, "off": off, "measured": today()}
    save(results)


def profile_run(shape: Shape, results: dict) -> None:
    """cProfile of the parent process of one cold build (workers are not in it)."""
    site, out = WORK / "sites" / shape.name / "ours", WORK / "out" / f"{shape.name}-profile"
    prof = WORK / f"profile-{shape.name}.prof"
    run.make_cold("ours", site, out)
    log(f"{shape.name}: one cold build under cProfile (parent process)")
    cmd = [str(run.ours_python()), "-m", "cProfile", "-o", str(prof), "-m", "generator"] + run.ours_command(site, out)[-5:] + ["--jobs", "0", "-v"]
    build = measured(cmd)
    shutil.rmtree(out, ignore_errors=True)
    if build.problem():
        results["profile"] = {"shape": shape.name, "measured": today(), "failed": build.problem()}
    else:
        results["profile"] = {"shape": shape.name, "measured": today(), "wall_s": round(build.run.seconds, 2), "stages": build.stages, **profile_summary(prof)}
    save(results)


def profile_summary(prof: Path, top: int = 12) -> dict:
    entries = pstats.Stats(str(prof)).stats  # {(file, line, func): (cc, nc, tottime, cumtime, callers)}
    stages = []
    for suffix, func in run.STAGES:
        found = [v for (f, _, name), v in entries.items() if f.endswith(suffix) and name == func]
        if found:
            stages.append({"stage": f"{suffix.split('/')[-1][:-3]}.{func}", "calls": found[0][1], "cum_s": round(found[0][3], 2)})
    ranked = sorted(entries.items(), key=lambda kv: kv[1][2], reverse=True)[:top]
    return {"profiled_total_s": round(max(v[3] for v in entries.values()), 2), "parent_stages": stages,
            "top_self": [{"function": f"{run.shown_file(f)}:{line}({name})", "calls": v[1], "self_s": round(v[2], 2), "cum_s": round(v[3], 2)}
                         for (f, line, name), v in ranked]}


# --- results --------------------------------------------------------------------------------------

def load_results() -> dict:
    return run.read_results(RESULTS, "shapes")


def save(results: dict) -> None:
    run.write_results(RESULTS, results)


def stage_seconds(stages: dict[str, float], word: str) -> Optional[float]:
    """The -v stages whose name has `word` ("chart", "card"), summed: the stage names may change
    as the pipeline does ("drawing charts", "making feeds, search, downloads and social cards")."""
    found = [seconds for name, seconds in stages.items() if word in name]
    return sum(found) if found else None


def derived(r: dict) -> dict:
    """Per chart and per card, from the measured shapes."""
    shapes = r["shapes"]
    out: dict[str, Any] = {"per_chart_stage": {}, "per_chart_200": {}}
    for name, s in shapes.items():
        cold = s.get("cold", {})
        charts = cold.get("summary", {}).get("charts")
        drawing = stage_seconds(cold.get("stages", {}), "chart")
        if charts and drawing is not None:
            out["per_chart_stage"][name] = {"charts": charts, "drawings": cold.get("drawings"), "ms": round(drawing * 1000 / charts, 1)}
    for name, s in shapes.items():
        if s.get("charts_variant") == "200":
            base = shapes.get(f"n{s['size']}-real", {}).get("cold", {})
            many = s.get("cold", {})
            added = many.get("summary", {}).get("charts", 0) - base.get("summary", {}).get("charts", 0)
            if "median_s" in base and "median_s" in many and added > 0:
                out["per_chart_200"][s["size"]] = {"charts_added": added, "wall_ms": round((many["median_s"] - base["median_s"]) * 1000 / added, 1),
                                                   "cpu_ms": round((many["cpu_median_s"] - base["cpu_median_s"]) * 1000 / added, 1)}
    cards = r.get("cards", {})
    on = shapes.get(cards.get("shape", ""), {}).get("cold", {})
    off = cards.get("off", {})
    if "median_s" in on and "median_s" in off and on.get("cards", 0) > off.get("cards", 0):
        n = on["cards"] - off["cards"]
        stage_on, stage_off = stage_seconds(on.get("stages", {}), "card"), stage_seconds(off.get("stages", {}), "card")
        out["per_card"] = {"cards": n, "wall_ms": round((on["median_s"] - off["median_s"]) * 1000 / n, 1),
                           "cpu_ms": round((on["cpu_median_s"] - off["cpu_median_s"]) * 1000 / n, 1),
                           "stages": sorted(name for name in on.get("stages", {}) if "card" in name),
                           "stage_ms": round((stage_on - stage_off) * 1000 / n, 1) if stage_on is not None and stage_off is not None else None}
    return out


# --- the doc section ------------------------------------------------------------------------------

def ratio_row(target: str, ours: dict, hugo: dict, budget: float) -> str:
    if "median_s" not in ours or "median_s" not in hugo:
        return f"| {target} | {ours.get('failed') or hugo.get('failed') or '–'} | {verdict(None)} |"
    ratio = ours["median_s"] / hugo["median_s"]
    return f"| {target} | ours {fmt_s(ours['median_s'])}, Hugo {fmt_s(hugo['median_s'])}: {ratio:.2f}× | {verdict(ratio <= budget, f'{ratio / budget:.1f}× the budget')} |"


def budget_row(target: str, value: Optional[float], budget: float, shown: str) -> str:
    if value is None:
        return f"| {target} | – | {verdict(None)} |"
    return f"| {target} | {shown} | {verdict(value <= budget, run.over(value, budget))} |"


def targets_table(r: dict, d: dict) -> list[str]:
    s = r["shapes"]
    thousand, real = s.get("n1000-real", {}), s.get("n0-real", {})
    rows = ["| target | measured | verdict |", "|---|---|---|",
            ratio_row("real site + 1,000 explainers, cold, cards on: ≤ 3× Hugo on the same pages", thousand.get("cold", {}), thousand.get("hugo", {}), 3),
            ratio_row("same, warm (restored cache, fresh output): ≤ 0.5× Hugo cold", thousand.get("warm", {}), thousand.get("hugo", {}), 0.5)]
    cold = real.get("cold", {})
    rows.append(budget_row("real site alone, cold: ≤ 8 s", cold.get("median_s"), 8, fmt_s(cold.get("median_s"))))
    chart = d["per_chart_stage"].get("n0-real")
    rows.append(budget_row("per chart with all its drawings (real site, `drawing charts` ÷ charts): ≤ 400 ms wall", chart and chart["ms"] / 1000, 0.4,
                           chart and f"{chart['ms']:.0f} ms ({chart['charts']} charts, {chart['drawings']} drawings)"))
    synthetic = run.load_results()["sizes"].get("10000", {})
    rows.append(ratio_row("10,000 synthetic explainers (bench/run.py's size run, from bench/work/results.json), cold: ≤ 1.5× Hugo",
                          synthetic.get("ours", {}), synthetic.get("hugo", {}), 1.5))
    big = s.get("n10000-real", {}).get("cold", {})
    peak = big.get("tree_pss_mb")
    rows.append(budget_row("peak memory, real site + 10,000 explainers, cold: < 1 GB (summed over the build's processes)", peak and peak / 1000, 1,
                           peak and f"{peak:.0f} MB summed PSS; largest process {big['max_rss_mb']:.0f} MB"))
    return rows


def shape_table(r: dict) -> list[str]:
    lines = ["| shape | explainers | pages | charts | cards | build | median wall | runs (s) | median CPU | cores busy (CPU ÷ wall) | largest process | process tree (PSS) | load | measured |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for name, s in sorted(r["shapes"].items(), key=lambda kv: (kv[1]["size"], kv[1]["charts_variant"])):
        label = shape_label(name, r)
        for key, what in (("cold", "ours cold"), ("warm", "ours warm"), ("cold_jobs1", "ours cold `--jobs 1`"), ("hugo", "Hugo cold")):
            e = s.get(key)
            if not e:
                continue
            if "median_s" not in e:
                lines.append(f"| {label} | {s['explainers']:,} | | | | {what} | failed: {e.get('failed', '?')[:120]} | | | | | | | {e['measured']} |")
                continue
            summary = e.get("summary", {})
            pages = summary.get("pages", e.get("pages", 0))
            lines.append(f"| {label} | {s['explainers']:,} | {pages:,} | {summary.get('charts', '')} | {e.get('cards', '')} | {what} | {fmt_s(e['median_s'])} | "
                         f"{', '.join(f'{x:.2f}' for x in e['runs_s'])} | {fmt_s(e['cpu_median_s'])} | {e['cpu_median_s'] / e['median_s']:.2f} | {e['max_rss_mb']:.0f} MB | {e['tree_pss_mb']:.0f} MB | {e['load']} | {e['measured']} |")
    return lines


def stage_table(r: dict) -> list[str]:
    shapes = sorted(r["shapes"].items(), key=lambda kv: (kv[1]["size"], kv[1]["charts_variant"]))
    names = list(dict.fromkeys(stage for _, s in shapes for stage in s.get("cold", {}).get("stages", {})))
    if not names:
        return []
    lines = ["| stage (cold, `--jobs 0`) | " + " | ".join(f"+{s['size']:,}, {s['charts_variant']}" for _, s in shapes) + " |", "|---" * (len(shapes) + 1) + "|"]
    for stage in names:
        lines.append(f"| {stage} | " + " | ".join(fmt_s(s.get("cold", {}).get("stages", {}).get(stage)) for _, s in shapes) + " |")
    return lines


def shape_label(name: str, r: dict) -> str:
    s = r["shapes"].get(name, {})
    return f"real site + {s['size']:,}, {s['charts_variant']} charts" if s else name


def unit_lines(d: dict, r: dict) -> list[str]:
    lines = ["| what | measured how | wall | CPU |", "|---|---|---|---|"]
    for name, c in sorted(d["per_chart_stage"].items()):
        lines.append(f"| a chart with all its drawings, {shape_label(name, r)} | `drawing charts` stage ÷ {c['charts']} charts ({c['drawings']} drawings) | {c['ms']:.0f} ms | – |")
    for size, c in sorted(d["per_chart_200"].items()):
        lines.append(f"| a synthetic bar chart, real site + {size:,} | (200-chart cold − real-chart cold) ÷ {c['charts_added']} | {c['wall_ms']:.0f} ms | {c['cpu_ms']:.0f} ms |")
    card = d.get("per_card")
    if card:
        lines.append(f"| a social card, {shape_label(r['cards']['shape'], r)} | (cards on − `social_cards: false`) cold ÷ {card['cards']:,} cards | {card['wall_ms']:.1f} ms | {card['cpu_ms']:.1f} ms |")
        if card.get("stage_ms") is not None:
            names = ", ".join(f"`{name}`" for name in card["stages"])
            lines.append(f"| same, its stage alone | {names} stage difference ÷ {card['cards']:,} | {card['stage_ms']:.1f} ms | – |")
    return lines


def profile_lines(r: dict) -> list[str]:
    p = r.get("profile")
    if not p:
        return []
    if "failed" in p:
        return ["", f"Profile of {p['shape']}: failed: {p['failed'][:200]}"]
    lines = ["", f"#### Where the cold build of the {shape_label(p['shape'], r)} shape spends its time ({p['measured']}, {fmt_s(p['wall_s'])} under cProfile)", "",
             "Primary: the `-v` stage table of that run (workers included): " + ", ".join(f"{k} {fmt_s(v)}" for k, v in p["stages"].items()) + ".", "",
             f"Secondary: cProfile of the parent process alone ({p['profiled_total_s']} s profiled; time the parent spends waiting for workers shows as waits). "
             "The pipeline's functions in the parent, cumulative: " + ", ".join(f"`{t['stage']}` {t['cum_s']:.2f} s" for t in p.get("parent_stages", [])) + ".", "",
             "| function (parent process) | calls | own | cumulative |", "|---|---|---|---|"]
    lines += [f"| `{t['function']}` | {t['calls']:,} | {t['self_s']:.2f} s | {t['cum_s']:.2f} s |" for t in p["top_self"]]
    return lines


def render_section(r: dict) -> str:
    d = derived(r)
    m = r.get("machine", {})
    lines = [HEADING, "", START, "",
             "Generated by bench/newsroom.py; the rows come from these runs (each row keeps the date it was measured): "
             + "; ".join(f"{when}: `{cmd}`" for when, cmd in r.get("commands", [])[-4:]) + ". Shapes: the real site (site_src/, templates/, its settings: social cards on) "
             f"plus N synthetic explainers of ~600 words (bench/make_site.py's bodies), each with a lead chart and one chart fence "
             f"round robin over the site's charts; `200` adds {SYNTHETIC_CHARTS} synthetic bar charts. Hugo builds the same explainer bodies "
             "and the real explainers' Markdown in the same run. Whole process, wall clock, median of the runs; cold = no `.cache/`, "
             "fresh output (Hugo: fresh `--cacheDir`); warm = a cold build's `.cache/` copied in, fresh output; ours with `--jobs 0`.", "",
             f"Machine: {m.get('nproc', '?')} cores ({m.get('cpu', '?')}), {m.get('memory_gib', '?')} GiB, {m.get('os', '?')}; "
             f"load average {r.get('load_at_start', '?')} at the start. Ours: explainer at {m.get('ours', '?')}, Python {m.get('python', '?')}. "
             f"Hugo: `{m.get('hugo_version', 'not run')}`.", "", "### Newsroom targets", ""]
    lines += targets_table(r, d)
    lines += ["", "The 10,000-synthetic row is bench/run.py's size run (no social cards, no charts), read from bench/work/results.json "
              "(`--synthetic` re-measures it in this run); the newsroom +10,000 shape is in the table below.", "",
              "### Builds", ""]
    lines += shape_table(r)
    stages = stage_table(r)
    if stages:
        lines += ["", "### Where the time goes: `explainer build -v` stages (medians)", ""] + stages
    lines += ["", "### Per chart and per card", ""] + unit_lines(d, r)
    lines += profile_lines(r)
    lines += ["", END]
    return "\n".join(lines) + "\n"


def write_doc(section: str) -> None:
    """Replace our section of docs/performance.md (heading and markers), or append it; keep the rest."""
    text = run.DOC.read_text(encoding="utf-8") if run.DOC.exists() else "# Performance\n\n"
    found = re.search(rf"^{re.escape(HEADING)}\n.*?{re.escape(END)}\n?", text, re.S | re.M)
    if found:
        text = text[:found.start()] + section + text[found.end():]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    run.DOC.write_text(text, encoding="utf-8")


# --- main -----------------------------------------------------------------------------------------

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0,1000,10000", help="synthetic explainers added to the real site, comma-separated")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument("--charts", default="real,200", help="chart variants: real (the site's own) and/or 200 (plus 200 synthetic)")
    parser.add_argument("--slow-repeat", type=int, default=None, help=f"runs per measurement from {SLOW_SIZE:,} explainers on [default: --repeat]")
    parser.add_argument("--skip-hugo", action="store_true", help="do not build Hugo's copy")
    parser.add_argument("--synthetic", action="store_true", help="also run bench/run.py's 10,000-explainer size run (ours and Hugo)")
    parser.add_argument("--no-profile", action="store_true", help="skip the cards-off and cProfile runs")
    parser.add_argument("--no-doc", action="store_true", help="do not touch docs/performance.md")
    parser.add_argument("--report-only", action="store_true", help="measure nothing: rewrite the doc section from bench/work/newsroom.json")
    args = parser.parse_args()
    args.slow_repeat = args.slow_repeat or args.repeat
    if args.report_only:
        write_doc(render_section(load_results()))
        log("docs/performance.md rewritten from bench/work/newsroom.json")
        return
    variants = [v.strip() for v in args.charts.split(",") if v.strip()]
    unknown = set(variants) - {"real", str(SYNTHETIC_CHARTS)}
    if unknown:
        parser.error(f"unknown chart variant(s) {', '.join(sorted(unknown))}: use real and/or {SYNTHETIC_CHARTS}")
    sizes = [int(s) for s in args.sizes.split(",") if s.strip()]
    if not args.skip_hugo or args.synthetic:
        run.ensure_peers()
    results = load_results()
    command = "python bench/newsroom.py " + " ".join(sys.argv[1:])
    results.update(machine=run.machine_facts(("ours",) if args.skip_hugo else ("ours", "hugo")), load_at_start=round(os.getloadavg()[0], 1),
                   commands=[c for c in results.get("commands", []) if c[1] != command] + [[today(), command]])
    for size in sizes:
        for variant in variants:
            measure_shape(Shape(size, variant), args.slow_repeat if size >= SLOW_SIZE else args.repeat, not args.skip_hugo, results)
    probe = [s for s in sizes if 0 < s <= CARD_SIZE]
    if probe and "real" in variants and not args.no_profile:
        card_run(Shape(max(probe), "real"), args.repeat, results)
        profile_run(Shape(max(probe), "real"), results)
    if args.synthetic:
        synthetic = run.load_results()
        run.size_runs([10_000], ("ours", "hugo"), args.repeat, args.slow_repeat, False, synthetic)
        run.save(synthetic)
    section = render_section(results)
    print(section)
    if not args.no_doc:
        write_doc(section)
        log("docs/performance.md updated")


if __name__ == "__main__":
    main()
