"""Simulate a deploy host: a fresh clone, the kept cache restored into it, a build, the cache saved.

Netlify and GitHub Actions start every deploy from a clean clone. With the cache kept
(netlify/plugins/explainer-cache, or actions/cache in the starter's Pages workflow), the
second deploy should draw only what its commit changed. This script does two deploys of a
site repository the way those hosts do and prints what each build drew:

    python tools/deploy-check/restore_and_build.py SITE_REPO [--style netlify|github]
        [--change site_src/explainers/welcome.md] [--work DIR]

Between the two deploys it commits a change to a scratch copy of the repository (never to
SITE_REPO): with --change, the title of that explainer gets " (updated)". Each deploy clones
into a new folder, so nothing the cache holds may depend on where the project is.

The two styles restore the cache as those hosts do:
  netlify  the plugin's utils.cache copies the folder back: files with fresh mtimes;
  github   actions/cache packs the folder with tar and unpacks it at the same path
           before the build: mtimes kept.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

CACHE = ".cache"  # where `explainer build` keeps its cache in a clone (the default)
DREW = re.compile(r"^Drew (\d+) chart image sets? and (\d+) social cards? \((\d+) from the cache\)$", re.MULTILINE)
STYLES = ("netlify", "github")


@dataclass(frozen=True)
class Deploy:
    """One simulated deploy: what its build drew, how long it took, and where its output is."""

    charts: int  # chart file sets drawn
    cards: int  # social cards drawn
    cached: int  # chart file sets and cards taken from the restored cache
    seconds: float
    output: Path

    def line(self) -> str:
        return (f"drew {self.charts} chart image set{'s' * (self.charts != 1)} and {self.cards} social card{'s' * (self.cards != 1)} "
                f"({self.cached} from the cache) in {self.seconds:.2f} s")


def git(*args: str, cwd: Path) -> None:
    identity = ("-c", "user.name=deploy-check", "-c", "user.email=deploy-check@example.invalid")
    subprocess.run(("git", *identity, *args), cwd=cwd, check=True, capture_output=True)


def clone(repo: Path, into: Path) -> Path:
    git("clone", "--quiet", str(repo), str(into), cwd=repo)
    return into


def restore(saved: Path, project: Path, style: str) -> None:
    """Put the saved cache into a fresh clone, as the host would (nothing saved: nothing restored)."""
    if style == "netlify" and (saved / CACHE).is_dir():
        shutil.copytree(saved / CACHE, project / CACHE, copy_function=shutil.copyfile)  # contents only: new mtimes
    elif style == "github" and (saved / "cache.tar").is_file():
        with tarfile.open(saved / "cache.tar") as archive:
            archive.extractall(project, filter="tar")  # mtimes as packed


def save(project: Path, saved: Path, style: str) -> None:
    """Keep the clone's cache for the next deploy, replacing what was kept."""
    saved.mkdir(parents=True, exist_ok=True)
    if style == "netlify":
        shutil.rmtree(saved / CACHE, ignore_errors=True)
        shutil.copytree(project / CACHE, saved / CACHE, copy_function=shutil.copyfile)
    else:
        with tarfile.open(saved / "cache.tar", "w") as archive:
            archive.add(project / CACHE, arcname=CACHE)


def build(project: Path) -> Deploy:
    """`explainer build --strict -v` in the clone, with this interpreter's generator."""
    started = time.perf_counter()
    done = subprocess.run((sys.executable, "-m", "generator", "build", "--strict", "-v"), cwd=project, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"the build in {project.name} failed:\n{done.stdout}{done.stderr}")
    found = DREW.search(done.stderr)
    if found is None:
        raise RuntimeError(f"the build in {project.name} did not say what it drew:\n{done.stderr}")
    charts, cards, cached = (int(n) for n in found.groups())
    return Deploy(charts, cards, cached, seconds, project / "output")


def deploy(repo: Path, saved: Path, into: Path, style: str) -> Deploy:
    """Clone, restore the kept cache, build, keep the cache: one deploy."""
    project = clone(repo, into)
    restore(saved, project, style)
    made = build(project)
    save(project, saved, style)
    return made


def change_title(repo: Path, explainer: str) -> None:
    """Commit a new title for one explainer: its page and its social card change, nothing else."""
    path = repo / explainer
    text = path.read_text(encoding="utf-8")
    changed = re.sub(r'^title: "?(.*?)"?$', lambda m: f'title: "{m.group(1)} (updated)"', text, count=1, flags=re.MULTILINE)
    if changed == text:
        raise ValueError(f"{explainer} has no title line in its front matter")
    path.write_text(changed, encoding="utf-8")
    git("commit", "--quiet", "-am", f"Retitle {explainer}", cwd=repo)


def differing_files(first: Path, second: Path) -> list[str]:
    """Files whose bytes differ between two output folders, or that only one has."""
    def tree(folder: Path) -> dict[str, bytes]:
        return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    a, b = tree(first), tree(second)
    return sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a site's git repository (holds site_src/)")
    parser.add_argument("--style", choices=STYLES, default="netlify")
    parser.add_argument("--change", metavar="EXPLAINER", help="retitle this explainer between the deploys (path in the repository)")
    parser.add_argument("--work", type=Path, default=None, help="scratch folder [default: a new temporary one]")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="deploy-check-"))
    upstream = clone(args.repo.resolve(), work / "upstream")
    first = deploy(upstream, work / "kept", work / "deploy-1", args.style)
    print(f"deploy 1 (cold): {first.line()}")
    if args.change:
        change_title(upstream, args.change)
    second = deploy(upstream, work / "kept", work / "deploy-2", args.style)
    print(f"deploy 2 ({args.style}-style restore{', ' + args.change + ' retitled' if args.change else ''}): {second.line()}")
    changed = differing_files(first.output, second.output)
    print(f"output files that differ: {len(changed)}" + "".join(f"\n  {name}" for name in changed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
