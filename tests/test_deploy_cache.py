"""Warm deploys: the cache restored into a fresh clone, as Netlify and GitHub Actions would.

Issue 28's "Done when": a deploy after one that kept its cache draws nothing it drew
before; one after a commit that retitles one explainer draws only that explainer's card.
The deploys run tools/deploy-check/restore_and_build.py's steps on the starter site, each
in a new folder, so nothing in the cache may depend on mtimes or on where the project is.
One cold deploy (a few seconds) is shared by every test.
"""

from __future__ import annotations

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.newsite import new_site
from support import REPO, tree_bytes

PLUGIN = "netlify/plugins/explainer-cache"


def _load_deploy_check():
    spec = importlib.util.spec_from_file_location("restore_and_build", REPO / "tools/deploy-check/restore_and_build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


deploy_check = _load_deploy_check()


@pytest.fixture(scope="module")
def site_repo(tmp_path_factory) -> Path:
    """The starter site, committed to a git repository."""
    repo = tmp_path_factory.mktemp("site") / "repo"
    new_site(repo)
    deploy_check.git("init", "--quiet", cwd=repo)
    deploy_check.git("add", "--all", cwd=repo)
    deploy_check.git("commit", "--quiet", "-m", "The starter", cwd=repo)
    return repo


@pytest.fixture(scope="module")
def cold(site_repo, tmp_path_factory):
    """The first deploy: nothing to restore, so everything is drawn; its cache kept both ways."""
    work = tmp_path_factory.mktemp("cold")
    made = deploy_check.deploy(site_repo, work / "kept-netlify", work / "deploy-1", "netlify")
    deploy_check.save(work / "deploy-1", work / "kept-github", "github")
    return made, work


def kept_copy(cold, style: str, into: Path) -> Path:
    """A copy of the cold deploy's kept cache, so each test's deploy saves into its own."""
    return Path(shutil.copytree(cold[1] / f"kept-{style}", into / "kept"))


def test_the_cold_deploy_draws_every_chart_and_card(cold):
    made, _ = cold
    assert (made.charts, made.cached) == (6, 0) and made.cards > 0  # 3 charts and 3 scrolly step views


@pytest.mark.parametrize("style", deploy_check.STYLES)
def test_a_deploy_with_the_restored_cache_draws_nothing_and_writes_the_same_bytes(cold, site_repo, tmp_path, style):
    first, _ = cold
    again = deploy_check.deploy(site_repo, kept_copy(cold, style, tmp_path), tmp_path / "elsewhere" / "deploy-2", style)
    assert (again.charts, again.cards, again.cached) == (0, 0, first.charts + first.cards)
    assert tree_bytes(again.output) == tree_bytes(first.output)


def test_a_retitled_explainer_redraws_its_card_and_nothing_else(cold, site_repo, tmp_path):
    first, _ = cold
    upstream = deploy_check.clone(site_repo, tmp_path / "upstream")
    deploy_check.change_title(upstream, "site_src/explainers/welcome.md")
    again = deploy_check.deploy(upstream, kept_copy(cold, "netlify", tmp_path), tmp_path / "deploy-2", "netlify")
    assert (again.charts, again.cards) == (0, 1)
    cards = [name for name in deploy_check.differing_files(first.output, again.output) if name.startswith("assets/social/")]
    assert len(cards) == 2 and all(name.startswith("assets/social/explainers-welcome.") for name in cards)  # the old name gone, the new one made
    assert "How this starter site works (updated)" in (again.output / "explainers/welcome/index.html").read_text()


def test_no_cache_entry_depends_on_the_project_folder_or_file_dates(cold, tmp_path):
    """Every lookup of a build in another folder, with new file dates, finds its entry, but the
    no-change record, which belongs to one output folder (and a new clone has none)."""
    _, work = cold
    moved = tmp_path / "another" / "place"
    shutil.copytree(work / "deploy-1" / "site_src", moved / "site_src", copy_function=shutil.copyfile)
    shutil.copytree(work / "kept-netlify" / ".cache", moved / ".cache", copy_function=shutil.copyfile)
    config = load_config(moved)
    cache = Cache(config.cache_dir)
    build(config, cache, strict=True)
    assert {namespace for (namespace, found), count in cache.lookups.items() if not found} == {"builds"}
    assert cache.lookups[("markdown", True)] and cache.lookups[("chart-specs", True)] and cache.lookups[("data", True)]


def test_damaged_and_foreign_cache_entries_are_made_again_not_published(cold, site_repo, tmp_path):
    """A restored cache is storage the build does not control: a chart file edited in the
    cache, a truncated social card and a damaged data entry are each redrawn or re-read; an
    entry no key names is never read. The output is the cold deploy's, byte for byte."""
    first, _ = cold
    cache = kept_copy(cold, "netlify", tmp_path) / ".cache"
    svg = sorted((cache / "chart-files").rglob("*.svg"))[0]
    svg.write_bytes(svg.read_bytes().replace(b"</svg>", b"<script>alert(1)</script></svg>"))
    card = sorted((cache / "social-cards").rglob("*.bin"))[0]
    card.write_bytes(card.read_bytes()[:-100])
    data = sorted((cache / "data").rglob("*.bin"))[0]
    data.write_bytes(b"\x80\x05garbage" + data.read_bytes()[9:])
    foreign = cache / "social-cards" / "ff" / ("f" * 64 + ".bin")
    foreign.parent.mkdir(exist_ok=True)
    foreign.write_bytes(b"not a card")
    again = deploy_check.deploy(site_repo, cache.parent, tmp_path / "deploy-2", "netlify")
    assert (again.charts, again.cards) == (1, 1)
    assert tree_bytes(again.output) == tree_bytes(first.output)


# --- Where the cache lives ------------------------------------------------------------------

@pytest.fixture
def starter(tmp_path) -> Path:
    new_site(tmp_path / "site")
    return tmp_path / "site"


def test_cache_dir_wins_over_the_environment_and_the_environment_over_the_default(cli, starter, tmp_path, monkeypatch):
    monkeypatch.setenv("EXPLAINER_CACHE_DIR", str(tmp_path / "from-env"))
    assert cli("charts", "--root", starter, "--cache-dir", tmp_path / "from-option").exit_code == 0
    assert (tmp_path / "from-option/chart-specs").is_dir() and not (tmp_path / "from-env").exists()
    assert cli("charts", "--root", starter).exit_code == 0
    assert (tmp_path / "from-env/chart-specs").is_dir() and not (starter / ".cache").exists()
    monkeypatch.delenv("EXPLAINER_CACHE_DIR")
    assert cli("charts", "--root", starter).exit_code == 0
    assert (starter / ".cache/chart-specs").is_dir()


def test_a_relative_cache_dir_is_relative_to_the_current_folder(cli, starter, tmp_path, monkeypatch):
    (tmp_path / "ci").mkdir()
    monkeypatch.chdir(tmp_path / "ci")
    monkeypatch.delenv("EXPLAINER_CACHE_DIR", raising=False)
    assert cli("charts", "--root", starter, "--cache-dir", "kept").exit_code == 0
    assert (tmp_path / "ci/kept/chart-specs").is_dir() and not (starter / "kept").exists()


def test_build_v_says_what_it_drew_and_what_it_took_from_the_cache(cli, starter, tmp_path, monkeypatch):
    monkeypatch.delenv("EXPLAINER_CACHE_DIR", raising=False)
    cold = cli("build", "--root", starter, "-v", "--cache-dir", tmp_path / "kept")
    assert "Drew 6 chart image sets and 7 social cards (0 from the cache)\n" in cold.stderr
    shutil.rmtree(starter / "output")
    warm = cli("build", "--root", starter, "-v", "--cache-dir", tmp_path / "kept")
    assert "Drew 0 chart image sets and 0 social cards (13 from the cache)\n" in warm.stderr
    quiet = cli("build", "--root", starter, "--cache-dir", tmp_path / "kept")
    assert "Drew" not in quiet.stdout + quiet.stderr  # only with -v


# --- The Netlify plugin ---------------------------------------------------------------------

HARNESS = """
const plugin = require(process.argv[2]);
const calls = [];
const utils = { cache: {
  restore: async (path) => { calls.push(["restore", path]); return true; },
  save: async (path) => { calls.push(["save", path]); return true; },
} };
(async () => {
  await plugin.onPreBuild({ utils });
  calls.push(["build"]);
  await plugin.onPostBuild({ utils });
  console.log(JSON.stringify(calls));
})();
"""


def run_plugin(tmp_path: Path, env: dict[str, str]) -> list:
    node = shutil.which("node")
    assert node, "node is needed to run the Netlify plugin (make test installs npm, which brings it)"
    harness = tmp_path / "harness.js"
    harness.write_text(HARNESS)
    base = {k: v for k, v in os.environ.items() if k != "EXPLAINER_CACHE_DIR"}
    done = subprocess.run((node, str(harness), str(REPO / "generator/starter" / PLUGIN / "index.js")), env=base | env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_the_netlify_plugin_restores_before_the_build_and_saves_after(tmp_path):
    assert run_plugin(tmp_path, {}) == [["restore", ".cache"], ["build"], ["save", ".cache"]]
    assert run_plugin(tmp_path, {"EXPLAINER_CACHE_DIR": "/opt/kept"}) == [["restore", "/opt/kept"], ["build"], ["save", "/opt/kept"]]


def test_the_repository_deploys_with_the_plugin_the_starter_ships():
    starter = REPO / "generator/starter"
    assert {"package": f"./{PLUGIN}"} in tomllib.loads((starter / "netlify.toml").read_text())["plugins"]
    assert {"package": f"./generator/starter/{PLUGIN}"} in tomllib.loads((REPO / "netlify.toml").read_text())["plugins"]
    assert (starter / PLUGIN / "manifest.yml").is_file() and (starter / PLUGIN / "index.js").is_file()
