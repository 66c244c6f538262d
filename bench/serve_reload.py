"""Live preview, save to reload: from saving an explainer to the reloaded page, on the real site.

Copies the project's site_src/, templates/ and warm .cache/ into bench/work/serve-reload/
(so the real sources are never edited while people work on them), runs `explainer serve`
on the copy in its own process, connects to livereload's websocket the way livereload.js
does, then saves one explainer N times, each time with a new sentence, and times

  1. the save -> livereload's reload message reaching the page, and
  2. the save -> the page with the new sentence served (what the reloaded browser gets).

Prints median and p90 and, unless --no-write, puts them under "Live preview: save to
reload" in docs/performance.md (only that section is added or replaced).

    .venv/bin/python bench/serve_reload.py [--runs 20] [--explainer SLUG] [--no-write]
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import json
import math
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tornado.websocket import websocket_connect

PROJECT = Path(__file__).resolve().parent.parent
WORK = PROJECT / "bench" / "work" / "serve-reload"
DOC = PROJECT / "docs" / "performance.md"
HEADING = "## Live preview: save to reload"
TARGET_MS = 300
PAUSE = 0.3  # between saves: longer than the debounce, so each save is its own rebuild

sys.path.insert(0, str(PROJECT))
from generator.config import load_config  # noqa: E402
from generator.serve import DEBOUNCE_SECONDS  # noqa: E402
from generator.watch import STEP_MS  # noqa: E402
from generator.site import site_root  # noqa: E402


def copy_project() -> Path:
    shutil.rmtree(WORK, ignore_errors=True)
    for name in ("site_src", "templates", ".cache"):
        if (PROJECT / name).exists():
            shutil.copytree(PROJECT / name, WORK / name)
    return WORK


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def status(port: int) -> dict:
    return json.loads(get(port, "/__explainer__/status.json")[1])


def wait_for(condition, what: str, server: subprocess.Popen, log: Path, timeout: float = 300.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            if condition():
                return
        except OSError:
            pass  # not listening yet
        if server.poll() is not None or time.monotonic() > deadline:
            sys.exit(f"serve_reload: gave up waiting for {what}; server log:\n{log.read_text()}")
        time.sleep(0.05)


def pick_explainer(root: Path, slug: str | None) -> tuple[Path, str]:
    """The explainer to edit (the first published one unless named) and its page's URL path."""
    config = load_config(root)
    folder = root / "site_src" / "explainers"
    candidates = [folder / f"{slug}.md"] if slug else sorted(folder.glob("*.md"))
    for path in candidates:
        if path.is_file() and not re.search(r"^draft:\s*true\s*$", path.read_text().split("\n---", 1)[0], re.M):
            return path, f"{site_root(config.settings.base_url)}{config.settings.explainers_url}{path.stem}/"
    sys.exit("serve_reload: no published explainer to edit")


async def connect(port: int, page: str):
    """Connect and handshake as livereload.js does."""
    conn = await websocket_connect(f"ws://127.0.0.1:{port}/livereload")
    await conn.write_message(json.dumps({"command": "hello", "protocols": ["http://livereload.com/protocols/official-7"]}))
    await conn.read_message()
    await conn.write_message(json.dumps({"command": "info", "url": f"http://127.0.0.1:{port}{page}", "plugins": {}}))
    return conn


async def one_save(conn, port: int, source: Path, original: str, page: str, marker: str) -> tuple[float, ...]:
    """Seconds from the save to the reload message, to the new page served; and the rebuild's own time."""
    started = time.perf_counter()
    source.write_text(f"{original.rstrip()}\n\nBenchmark sentence {marker}.\n")
    message = json.loads(await asyncio.wait_for(conn.read_message(), 30))
    reloaded = time.perf_counter()
    served, body = get(port, page)
    fetched = time.perf_counter()
    if message.get("command") != "reload" or served != 200 or marker.encode() not in body:
        sys.exit(f"serve_reload: run {marker}: expected a reload and the new sentence, got {message} and HTTP {served}")
    built = status(port)
    return reloaded - started, fetched - started, built["seconds"], built["cpu_seconds"]


async def measure(port: int, source: Path, page: str, runs: int) -> list[tuple[float, ...]]:
    conn = await connect(port, page)
    while status(port)["clients"] < 1:
        await asyncio.sleep(0.01)
    original = source.read_text()
    results = []
    try:
        for run in range(runs + 1):  # run 0 warms up (first rebuild after start)
            result = await one_save(conn, port, source, original, page, f"run-{run}-{time.time_ns()}")
            results += [result] if run else []
            await asyncio.sleep(PAUSE)
    finally:
        source.write_text(original)
        conn.close()
    return results


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def section(results: list[tuple[float, ...]], source: str, site: dict) -> str:
    rows = []
    labels = ("livereload's reload message", "the new page served", "(of which the rebuild, `build()`)", "(the rebuild's processor time)")
    for column, label in enumerate(labels):
        values = [r[column] * 1000 for r in results]
        rows.append(f"| {label} | {statistics.median(values):.0f} ms | {percentile(values, 0.9):.0f} ms |")
    served = statistics.median(r[1] * 1000 for r in results)
    verdict = "met" if served < TARGET_MS else f"not met ({served:.0f} ms)"
    overhead = STEP_MS + DEBOUNCE_SECONDS * 1000
    return f"""Measured by `bench/serve_reload.py` on {dt.date.today().isoformat()}: {len(results)} saves of one
explainer (`{source}`, a new sentence each time, after one warm-up save) in a copy of
the real site ({site['pages']} pages, {site['charts']} charts), with `explainer serve` in its own process on a
{os.cpu_count()}-core machine (load average {site['load']:.1f} when the runs began). Each save is timed to the
two things a browser waits for: livereload's reload message, and the page with the new
sentence. Wall-clock times grow with the machine's load; the processor time does not.

| from saving the file to | median | p90 |
|---|---:|---:|
{chr(10).join(rows)}

Target: under {TARGET_MS} ms to the new page served: {verdict}. The preview itself adds at most
{overhead:.0f} ms (up to {STEP_MS} ms until watchfiles hands over the inotify events, then {DEBOUNCE_SECONDS * 1000:.0f} ms of quiet, the debounce
that turns a burst of saves into one rebuild); the rest is the full `build()`, so rebuild
time is where any further speed has to come from.
"""


def write_section(body: str, heading: str = HEADING) -> None:
    """Add or replace only one section (this script's unless told) of docs/performance.md."""
    text = DOC.read_text() if DOC.exists() else "# Performance\n\nMeasured numbers; each section is written by the script named in it.\n"
    block = f"{heading}\n\n{body.strip()}\n\n"
    pattern = re.compile(rf"^{re.escape(heading)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = pattern.sub(lambda _: block, text, count=1) if pattern.search(text) else f"{text.rstrip()}\n\n{block}"
    DOC.parent.mkdir(parents=True, exist_ok=True)
    DOC.write_text(text.rstrip() + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--explainer", help="slug of the explainer to edit [default: the first published one]")
    parser.add_argument("--no-write", action="store_true", help="print only; leave docs/performance.md alone")
    args = parser.parse_args()

    root = copy_project()
    source, page = pick_explainer(root, args.explainer)
    port, log = free_port(), WORK / "serve.log"
    command = [sys.executable, "-m", "generator", "serve", "--root", str(root), "--port", str(port)]
    with log.open("w") as out:
        server = subprocess.Popen(command, cwd=PROJECT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        wait_for(lambda: status(port)["build"] >= 1, "the first build", server, log)
        if not status(port)["ok"]:
            sys.exit(f"serve_reload: the site does not build, so there is no reload to time:\n{log.read_text()}")
        load = os.getloadavg()[0]  # other work on the machine shows in every wall-clock number
        results = asyncio.run(measure(port, source, page, args.runs))
    finally:
        server.terminate()
        server.wait(30)
    built = re.search(r"Built (\d+) pages? and (\d+) charts?", log.read_text())
    site = {"pages": built.group(1) if built else "?", "charts": built.group(2) if built else "?", "load": load}
    body = section(results, source.relative_to(root).as_posix(), site)
    print(body)
    if not args.no_write:
        write_section(body)
        print(f"Wrote the section to {DOC.relative_to(PROJECT)}")


if __name__ == "__main__":
    main()
