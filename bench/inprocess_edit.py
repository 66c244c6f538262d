"""One explainer edited, rebuilt in process as `explainer serve` does (load_config + build,
one Cache for the process's life, so pages whose inputs did not change are remembered).

Run with the project's Python: `python bench/inprocess_edit.py ROOT OUT REPEATS`.
Prints one JSON line: seconds per rebuild and files changed per rebuild. The
edited file is restored afterwards.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from generator.build import build, default_cache
from generator.cache import Cache
from generator.config import load_config


def rebuild(root: Path, out: Path, cache: Cache) -> tuple[float, int]:
    started = time.perf_counter()
    config = load_config(root, out)
    report = build(config, cache)
    return time.perf_counter() - started, report.changes.count


def main() -> None:
    root, out, repeats = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    target = sorted((root / "site_src" / "explainers").glob("*.md"))[0]
    original = target.read_text(encoding="utf-8")
    cache = default_cache(load_config(root, out))  # as serve.Preview keeps one
    rebuild(root, out, cache)  # warm: imports, cache, output folder
    rebuild(root, out, cache)
    seconds, changed = [], []
    try:
        for k in range(repeats):
            target.write_text(original + f"\nBench edit number {k + 1}.\n", encoding="utf-8")
            took, count = rebuild(root, out, cache)
            seconds.append(took)
            changed.append(count)
    finally:
        target.write_text(original, encoding="utf-8")
    print(json.dumps({"seconds": seconds, "changed": changed, "file": target.name}))


if __name__ == "__main__":
    main()
