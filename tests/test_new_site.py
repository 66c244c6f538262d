"""`explainer new site`: a starter that builds strictly and passes the checks, from the package alone."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from support import REPO


def test_the_starter_builds_strictly_and_passes_check(cli, tmp_path):
    folder = tmp_path / "mysite"
    result = cli("new", "site", folder)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"Wrote a starter site in {folder} (14 files). Next:\n")
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        ".github/workflows/pages.yml", ".gitignore", "netlify.toml", "netlify/plugins/explainer-cache/index.js",
        "netlify/plugins/explainer-cache/manifest.yml", "site_src/charts/loans_map.py", "site_src/charts/opening-years.vl.json", "site_src/charts/visits.py", "site_src/data/branches.yaml",
        "site_src/data/loans.yaml", "site_src/data/sources.yaml", "site_src/explainers/welcome.md", "site_src/models.py", "site_src/site.yaml"]
    built = cli("build", "--root", folder, "--strict")
    assert built.exit_code == 0, built.stderr
    assert cli("check", "--root", folder).exit_code == 0
    out = folder / "output"
    assert (out / "branches/central/index.html").is_file() and (out / "embed/opening-years/chart.png").is_file()
    assert "182,400" in (out / "explainers/welcome/index.html").read_text()  # a figure reference, from the data
    assert (out / "favicon.svg").is_file()  # the theme's fallback


def test_a_title_is_written_into_site_yaml_safely(cli, tmp_path):
    folder = tmp_path / "x"
    assert cli("new", "site", folder, "--title", 'The "Riverton" desk: buses').exit_code == 0
    assert 'title: "The \\"Riverton\\" desk: buses"\n' in (folder / "site_src/site.yaml").read_text()
    assert cli("build", "--root", folder, "--strict").exit_code == 0
    assert "<title>The &#34;Riverton&#34; desk: buses" in (folder / "output/index.html").read_text()


def test_a_folder_that_is_not_empty_is_refused_and_left_alone(cli, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = cli("new", "site", tmp_path)
    assert result.exit_code == 1
    assert result.stderr == f"error: {tmp_path} already exists and is not empty; not writing a site into it (pick a new folder)\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def run_ok(*args: str, cwd: Path) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=900)
    assert done.returncode == 0, f"{' '.join(args)}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    """The wheel pip builds from this checkout, with the locked setuptools (a few seconds)."""
    dist = tmp_path_factory.mktemp("dist")
    run_ok(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--quiet", "-w", str(dist), str(REPO), cwd=dist)
    [built] = dist.glob("*.whl")
    return built


def test_the_wheel_is_named_explainer_press_and_installs_the_explainer_command(wheel):
    """`pip install explainer` installs somebody else's 2019 package: ours is explainer-press."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    assert wheel.name == f"explainer_press-{project['version']}-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as archive:
        info = f"explainer_press-{project['version']}.dist-info"
        metadata = archive.read(f"{info}/METADATA").decode()
        entry_points = archive.read(f"{info}/entry_points.txt").decode()
    assert "\nName: explainer-press\n" in metadata
    assert f"\nVersion: {project['version']}\n" in metadata
    assert "\nRequires-Python: >=3.11\n" in metadata
    assert "[console_scripts]\nexplainer = generator.cli:main\n" in entry_points


def test_the_wheel_carries_the_starters_deploy_files_hidden_ones_too(wheel):
    """setuptools' package-data glob skips dot-names: `explainer new site` from the wheel must
    still write the GitHub Pages workflow and .gitignore."""
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    starter = {p.relative_to(REPO).as_posix() for p in (REPO / "generator/starter").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert {"generator/starter/.github/workflows/pages.yml", "generator/starter/.gitignore", "generator/starter/netlify.toml"} <= starter
    assert starter <= names


def test_the_starter_installs_the_version_it_was_made_with():
    """The starter's deploys pin explainer-press: the pin is this package's version."""
    version = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"]
    starter = REPO / "generator/starter"
    assert f'pip install explainer-press=={version} && explainer build --strict' in (starter / "netlify.toml").read_text()
    workflow = (starter / ".github/workflows/pages.yml").read_text()
    assert f'EXPLAINER_VERSION: "{version}"' in workflow and 'pip install "explainer-press==${{ env.EXPLAINER_VERSION }}"' in workflow


def test_the_built_wheel_alone_makes_checks_and_builds_a_new_site(tmp_path, wheel):
    """Done when for issue 13: a fresh venv, the wheel, and nothing from this repository.

    Takes about a minute: pip installs the wheel (built with the locked setuptools) into a
    new virtual environment with its dependencies from requirements/deploy.txt, hashes
    checked, as the deploying guide says to (pip's own cache makes reruns faster). The lock
    keeps a newer release on the package index, with a Vega bundle nobody recorded, out.
    """
    run = functools.partial(run_ok, cwd=tmp_path)

    run(sys.executable, "-m", "venv", str(tmp_path / "venv"))
    pip = (str(tmp_path / "venv/bin/python"), "-m", "pip", "install", "--quiet")
    run(*pip, "--require-hashes", "-r", str(REPO / "requirements" / "deploy.txt"))
    run(*pip, "--no-deps", str(wheel))
    run(str(tmp_path / "venv/bin/python"), "-m", "pip", "check")  # the lock holds every dependency the wheel names
    explainer = str(tmp_path / "venv/bin/explainer")
    run(explainer, "new", "site", "x")
    assert (tmp_path / "x/.github/workflows/pages.yml").is_file()  # a hidden folder, from the wheel
    assert "Built 12 pages and 3 charts" in run(explainer, "build", "--root", "x", "--strict")  # the map: a basemap from the wheel
    assert "no problems" in run(explainer, "check", "--root", "x")
    site_packages = next((tmp_path / "venv/lib").glob("python3*/site-packages"))
    assert (site_packages / "generator/theme/base.html").is_file() and not (site_packages / "generator/starter/__init__.py").exists()
    shipped = {p.name for p in (site_packages / "generator/basemaps").iterdir()}
    assert {"states-10m.json", "counties-10m.json", "countries-110m.json", "countries-50m.json", "README.md", "LICENSE-us-atlas",
            "LICENSE-world-atlas"} <= shipped
