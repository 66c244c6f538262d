"""A build killed at any moment leaves output/ either exactly the old site or exactly the new one.

generator/output.py stages the new tree beside the output folder and swaps it in
with one renameat2(RENAME_EXCHANGE). Here a child process writes a large site
(3,000 files, so the write phase lasts a tenth of a second or more) over an output
folder holding the previous version, and is SIGKILLed at points spread over its
write phase (measured by a calibration run). After every kill the output folder,
manifest included, must be byte for byte the old tree or the new tree, never a
mix; and the next normal build must finish the job and leave no staging folder.

Run as a script (`python tests/test_kill.py OUT VERSION`) this file is the child.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from generator.output import MANIFEST, STAGING_PREFIX, write_outputs
from support import tree_bytes

HERE = Path(__file__).resolve().parent
FOREIGN = "notes/keep-me.txt"  # a file someone else put in the output folder: carried over, never deleted
# Kill points: fractions of the calibrated staging time (from 'ready' to the swap), and fractions
# of the time the child then spends deleting the old tree (from 'swapped' to its exit).
STAGING_FRACTIONS = (0.0, 0.15, 0.35, 0.55, 0.75, 0.95)
DELETING_FRACTIONS = (0.0, 0.5)


def site_version(name: str, files: int = 3000) -> dict[str, bytes]:
    """Two versions of a large site: 'new' changes two thirds of the files, drops some, adds some."""
    outputs = {}
    for i in range(files):
        if name == "new" and i % 15 == 0:
            continue  # removed in the new version
        tag = name if i % 3 else "same"  # a third of the files are equal in both: hard-linked, not rewritten
        outputs[f"pages/{i // 10:03d}/{i:04d}.html"] = (f"<p>{tag} page {i}</p>\n" * 20).encode()
    if name == "new":
        outputs.update({f"added/{i:03d}.txt": f"new file {i}\n".encode() * 20 for i in range(200)})
    return outputs


def child(out: Path, name: str) -> None:
    """Build `name` into `out`: 'ready' just before writing, 'swapped' once the new tree is in."""
    outputs = site_version(name)
    print("ready", flush=True)
    write_outputs(outputs, out)
    print("swapped", flush=True)
    # Exiting waits for the thread that deletes the old tree: a kill now lands during that.


def settle() -> None:
    """Wait for this process's background deletion of an old tree (write_outputs starts it)."""
    for thread in threading.enumerate():
        if thread.name == "remove-old-output":
            thread.join()


def normal_build(outputs: dict[str, bytes], out: Path) -> dict[str, bytes]:
    write_outputs(outputs, out)
    settle()
    return tree_bytes(out)


def staging_folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}{STAGING_PREFIX}*"))


def run_child(out: Path, name: str, kill_after: float | None = None, anchor: str = "ready") -> tuple[float | None, float]:
    """Run a child build of `name` over `out`; SIGKILL it `kill_after` s after it reports `anchor`
    ('ready': it starts writing; 'swapped': the new tree is in), or never (None).

    Returns (seconds from 'ready' to 'swapped', or None; seconds from 'ready' to its exit or kill).
    """
    proc = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(out), name],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=HERE.parent, text=True)
    try:
        line = proc.stdout.readline()
        assert line == "ready\n", f"child did not start: {line!r} {proc.stderr.read()}"
        started = swapped = time.perf_counter()
        if kill_after is None or anchor == "swapped":
            line = proc.stdout.readline()
            assert line == "swapped\n", f"child did not finish writing: {line!r} {proc.stderr.read()}"
            swapped = time.perf_counter()
            if kill_after is None:
                assert proc.wait(60) == 0, proc.stderr.read()
                return swapped - started, time.perf_counter() - started
        deadline = swapped + kill_after
        while time.perf_counter() < deadline:
            pass  # spin: sleep() can overshoot by more than the spacing of the early kill points
        proc.send_signal(signal.SIGKILL)
        proc.wait(60)
        return (swapped - started if anchor == "swapped" else None), time.perf_counter() - started
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_a_killed_build_leaves_exactly_the_old_or_the_new_site(tmp_path):
    out = tmp_path / "output"
    old_outputs, new_outputs = site_version("old"), site_version("new")
    (out / "notes").mkdir(parents=True)
    (out / FOREIGN).write_text("put here by hand\n")

    old_tree = normal_build(old_outputs, out)
    assert set(old_tree) == set(old_outputs) | {MANIFEST, FOREIGN}
    assert all(old_tree[p] == c for p, c in old_outputs.items())
    # Calibration: unkilled child builds of the new version over the old site. The faster of two
    # (the first may pay for a cold page cache), so kill points do not overshoot the staging phase.
    swap_at, exit_at = run_child(out, "new", None)
    settle()
    assert normal_build(old_outputs, out) == old_tree
    swap_at, exit_at = min((swap_at, exit_at), run_child(out, "new", None))
    settle()
    new_tree = tree_bytes(out)
    assert set(new_tree) == set(new_outputs) | {MANIFEST, FOREIGN}
    assert all(new_tree[p] == c for p, c in new_outputs.items())
    assert new_tree[MANIFEST] != old_tree[MANIFEST]
    assert not staging_folders(out)
    assert swap_at is not None and exit_at > swap_at

    plan = [(f"{f:.0%} of staging", swap_at * f, "ready") for f in STAGING_FRACTIONS]
    plan += [(f"{f:.0%} into deleting the old tree", (exit_at - swap_at) * f, "swapped") for f in DELETING_FRACTIONS]
    outcomes: list[tuple[str, str, bool]] = []
    for label, delay, anchor in plan:
        assert normal_build(old_outputs, out) == old_tree  # the site holds the old version again
        _, killed_at = run_child(out, "new", delay, anchor)
        after_kill = tree_bytes(out)
        if after_kill == old_tree:
            ended = "old"
        elif after_kill == new_tree:
            ended = "new"
        else:
            mixed = sorted(p for p in set(after_kill) | set(old_tree) | set(new_tree)
                           if (p in after_kill, after_kill.get(p)) not in ((p in old_tree, old_tree.get(p)), (p in new_tree, new_tree.get(p))))
            manifest = {old_tree[MANIFEST]: "old", new_tree[MANIFEST]: "new"}.get(after_kill.get(MANIFEST, b""), "neither")
            raise AssertionError(f"killed {killed_at * 1000:.0f} ms into writing ({label}), output/ is neither the old nor "
                                 f"the new site: {len(after_kill)} files, {len(mixed)} differ from both, e.g. {mixed[:5]}; "
                                 f"the manifest is {manifest}")
        outcomes.append((f"{label} ({killed_at * 1000:.0f} ms)", ended, bool(staging_folders(out))))
        # The next normal build finishes the job and clears what the killed one left.
        assert normal_build(new_outputs, out) == new_tree
        assert not staging_folders(out), f"staging folders left after the next build: {staging_folders(out)}"

    summary = "; ".join(f"{label}: {e}{' (staging folder left)' if s else ''}" for label, e, s in outcomes)
    print(f"\nwrite phase {swap_at * 1000:.0f} ms to swap, {exit_at * 1000:.0f} ms to exit; kills -> {summary}")
    ended = [e for _, e, _ in outcomes]
    assert "old" in ended and "new" in ended, f"kills did not land on both sides of the swap: {summary}"
    mid_staging = sum(1 for _, e, s in outcomes if e == "old" and s)  # the staging folder shows the kill landed mid-write
    assert mid_staging >= 2, f"too few kills landed while the new tree was being staged: {summary}"


if __name__ == "__main__":
    child(Path(sys.argv[1]), sys.argv[2])
