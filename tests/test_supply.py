"""What the project downloads is pinned, and what it publishes from a cache is checked.

The Python locks (requirements/*.txt), the npm locks (tools/*/package-lock.json), the
Makefile's Debian packages, Netlify's build command, the Vega bundle's recorded digests
and the cache's checks of what it reads back (review L5 and L6).
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import tomllib

import pytest
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from generator import vegabundle
from generator.assets import vega_bundle
from generator.cache import Cache
from generator.errors import BuildFailed
from support import REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
LOCKS = REPO / "requirements"


def locked(name: str) -> dict[str, tuple[str, frozenset[str]]]:
    """{package: (version, hashes)} of a lock file, every entry `name==version` with hashes."""
    text = (LOCKS / name).read_text().replace("\\\n", " ")
    pins = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            match = re.fullmatch(r"([A-Za-z0-9._-]+)==(\S+)((?:\s+--hash=sha256:[0-9a-f]{64})+)\s*", line)
            assert match, f"{name}: not a pin with hashes: {line[:120]}"
            pins[canonicalize_name(match[1])] = (match[2], frozenset(re.findall(r"[0-9a-f]{64}", match[3])))
    return pins


def wanted(requirements: list[str]) -> dict[str, Requirement]:
    return {canonicalize_name(req.name): req for req in map(Requirement, requirements)}


def test_the_locks_pin_every_dependency_pyproject_names_within_its_range():
    build = wanted(PYPROJECT["build-system"]["requires"])
    runtime = wanted(PYPROJECT["project"]["dependencies"]) | build
    test = runtime | wanted(PYPROJECT["project"]["optional-dependencies"]["test"])
    for lock, needed in (("deploy.txt", runtime), ("test.txt", test)):
        pins = locked(lock)
        for name, requirement in needed.items():
            assert name in pins, f"{lock} lacks {name}: run `make lock`"
            assert requirement.specifier.contains(pins[name][0], prereleases=True), (lock, name, pins[name][0])


def test_the_deploy_lock_is_the_test_lock_less_the_test_tools():
    deploy, test = locked("deploy.txt"), locked("test.txt")
    assert {name: deploy[name] for name in deploy} == {name: test[name] for name in deploy}
    assert "pytest" in test and "playwright" in test
    assert "pytest" not in deploy and "playwright" not in deploy


def test_the_build_requirement_is_locked_as_pyproject_states_it():
    stated = [line.split("#")[0].strip() for line in (LOCKS / "build.in").read_text().splitlines()]
    assert [line for line in stated if line] == PYPROJECT["build-system"]["requires"]


def test_the_locks_are_for_python_3_11_on_linux_x86_64_and_name_no_index():
    for lock in ("deploy.txt", "test.txt", "uv.txt"):
        text = (LOCKS / lock).read_text()
        command = text.splitlines()[1]
        assert "--generate-hashes --python-version 3.11 --python-platform x86_64-manylinux_2_28" in command, lock
        assert command.endswith(f"-o requirements/{lock}"), lock
        assert "--index-url" not in text and "--find-links" not in text and "://" not in text, lock


def test_the_locked_vl_convert_has_a_recorded_bundle_digest():
    version = locked("deploy.txt")["vl-convert-python"][0]
    assert version in vegabundle.recorded_digests(), f"run `make vega-digest` for vl-convert-python {version}"


def test_installs_and_deploys_take_only_locked_files():
    command = tomllib.loads((REPO / "netlify.toml").read_text())["build"]["command"]
    assert command.startswith("pip install --require-hashes -r requirements/deploy.txt && "
                              "pip install --no-deps --no-build-isolation . && ")
    dry = make("-n", "-B", ".venv/.test-installed", ".venv/.runtime-installed")
    pip_lines = [line for line in dry.splitlines() if " pip " in line]
    assert [line.split(" install ", 1)[1] for line in pip_lines] == [
        "--quiet --require-hashes -r requirements/test.txt", "--quiet --no-deps --no-build-isolation -e .",
        "--quiet --require-hashes -r requirements/deploy.txt", "--quiet --no-deps --no-build-isolation -e ."]


def test_the_npm_tools_are_pinned_exactly_and_installed_from_their_locks_without_scripts():
    for tool in ("html-check", "audit"):
        folder = REPO / "tools" / tool
        declared = json.loads((folder / "package.json").read_text())["dependencies"]
        lock = json.loads((folder / "package-lock.json").read_text())
        assert all(re.fullmatch(r"\d+\.\d+\.\d+", version) for version in declared.values()), declared
        assert lock["packages"][""]["dependencies"] == declared
        for path, entry in lock["packages"].items():
            if path:
                assert entry["integrity"].startswith("sha512-"), path
                assert "resolved" not in entry, path  # installs from the configured registry, checked by integrity
        installed = {"html-check": "vnu-jar/build/dist/vnu.jar", "audit": ".bin/lighthouse"}[tool]
        dry = make("-n", "-B", f"tools/{tool}/node_modules/{installed}")
        assert f"npm ci --ignore-scripts --no-audit --no-fund --silent --prefix tools/{tool}" in dry


def make(*args: str) -> str:
    done = subprocess.run(["make", "--no-print-directory", "-C", str(REPO), *args], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


PRESENT = ("CHROMIUM=/bin/sh", "JAVA=sh", "NPM=sh", "PDFTOTEXT=sh")


def apt_commands(target: str, *overrides: str) -> list[str]:
    dry = make("-n", target, *PRESENT, *overrides)
    return [line for line in dry.splitlines() if line.startswith(("apt-get", "DEBIAN_FRONTEND"))]


def installs(packages: str) -> list[str]:
    return ["apt-get update -qq", f"DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends {packages} >/dev/null"]


@pytest.mark.parametrize(("missing", "expected"), [
    ((), []),
    (("CHROMIUM=/nonexistent/chromium",), installs("chromium")),
    (("JAVA=no-such-java",), installs("default-jre-headless")),
    (("NPM=no-such-npm",), installs("npm")),
    (("PDFTOTEXT=no-such-pdftotext",), installs("poppler-utils")),
    (("CHROMIUM=/nonexistent/chromium", "JAVA=no-such-java", "NPM=no-such-npm", "PDFTOTEXT=no-such-pdftotext"),
     installs("chromium npm default-jre-headless poppler-utils")),
])
def test_the_tests_debian_packages_are_each_installed_only_when_missing_with_one_update(missing, expected):
    assert apt_commands("test-packages", *missing) == expected


def test_the_build_and_the_audit_install_only_what_they_use():
    assert apt_commands("build-deps") == [] and apt_commands("audit-packages") == []
    nothing = ("CHROMIUM=/nonexistent/chromium", "JAVA=no-such-java", "NPM=no-such-npm", "PDFTOTEXT=no-such-pdftotext")
    # The build needs no Debian package: its fonts ship in generator/fonts/.
    assert apt_commands("build-deps", *nothing) == []
    assert apt_commands("audit-packages", *nothing) == installs("chromium npm")


# --- The Vega bundle --------------------------------------------------------------------------

GENUINE = b"/* vega bundle */"


@pytest.fixture
def known_bundle(monkeypatch, tmp_path):
    """vl-convert 9.9.9 makes GENUINE, whose digest is recorded; the machine cache is in tmp_path."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    monkeypatch.setattr(vegabundle, "vl_convert_version", lambda: "9.9.9")
    monkeypatch.setattr(vegabundle, "recorded_digests", lambda: {"9.9.9": {"sha256": hashlib.sha256(GENUINE).hexdigest()}})
    monkeypatch.setattr(vegabundle, "make_bundle", lambda: GENUINE)
    return tmp_path


def test_a_bundle_vl_convert_makes_unlike_the_recorded_one_is_refused(known_bundle, monkeypatch):
    monkeypatch.setattr(vegabundle, "make_bundle", lambda: GENUINE + b"alert(1)")
    with pytest.raises(BuildFailed) as failed:
        vega_bundle(Cache(known_bundle / "project-cache"))
    digest = hashlib.sha256(GENUINE + b"alert(1)").hexdigest()
    assert str(failed.value) == (
        f"generator/vega_bundles.json: error: the Vega bundle made by vl-convert-python 9.9.9 has sha256 {digest}, "
        f"not the recorded {hashlib.sha256(GENUINE).hexdigest()}; not publishing it (reinstall vl-convert-python "
        "from the lock: `pip install --force-reinstall --require-hashes -r requirements/deploy.txt`)")
    assert not list((known_bundle / "user-cache").rglob("*.bin")) and not list((known_bundle / "project-cache").rglob("*.bin"))


def test_a_vl_convert_without_a_recorded_digest_is_refused_and_told_how_to_record_one(known_bundle, monkeypatch):
    monkeypatch.setattr(vegabundle, "vl_convert_version", lambda: "10.0.0")
    with pytest.raises(BuildFailed) as failed:
        vega_bundle(Cache(None))
    assert str(failed.value) == (
        "generator/vega_bundles.json: error: no digest recorded for the Vega bundle of vl-convert-python 10.0.0 "
        "(recorded: 9.9.9); install the locked version (`make build`, or "
        "`pip install --require-hashes -r requirements/deploy.txt`), or lock this one and record its bundle with `make vega-digest`")


def test_tampered_cached_bundles_are_made_again_and_replaced(known_bundle):
    project = Cache(known_bundle / "project-cache")
    assert vega_bundle(project) == GENUINE
    entries = sorted(known_bundle.rglob("*.bin"))
    assert len(entries) == 2  # the project's cache and the machine-wide one
    for entry in entries:
        entry.write_bytes(GENUINE + b";document.title='poisoned'")
    assert vega_bundle(project) == GENUINE
    assert all(GENUINE in entry.read_bytes() and b"poisoned" not in entry.read_bytes() for entry in entries)  # replaced


def test_a_poisoned_machine_wide_bundle_is_not_published(tmp_path, monkeypatch):
    """Review row 117, with the real vl-convert: JavaScript appended to the machine-wide cached
    bundle, then a project with no cache of its own builds. (Makes the bundle once: ~7 s.)"""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "user-cache"))
    genuine = vega_bundle(Cache(None))  # cold: vl-convert makes it, and the machine cache keeps it
    recorded = vegabundle.recorded_digests()[vegabundle.vl_convert_version()]["sha256"]
    assert hashlib.sha256(genuine).hexdigest() == recorded
    entries = list((tmp_path / "user-cache" / "explainer").rglob("*.bin"))
    assert entries
    for entry in entries:
        entry.write_bytes(entry.read_bytes() + b"\n;window.__poisoned=1;\n")
    assert vega_bundle(Cache(tmp_path / "fresh-project-cache")) == genuine


# --- Cached file sets -------------------------------------------------------------------------

def test_a_cached_file_edited_in_place_is_a_miss_and_its_set_is_stored_again(tmp_path):
    cache = Cache(tmp_path / "cache")
    cache.put_files("chart-files", "cd" * 32, {"chart.svg": b"<svg/>", "data.csv": b"a,b\n"})
    files = cache.get_files("chart-files", "cd" * 32)
    files["chart.svg"].source.write_bytes(b"<svg><script>alert(1)</script></svg>")  # as through a hard link in output/
    assert cache.get_files("chart-files", "cd" * 32) is None
    cache.put_files("chart-files", "cd" * 32, {"chart.svg": b"<svg/>", "data.csv": b"a,b\n"})
    assert cache.get_files("chart-files", "cd" * 32) == {"chart.svg": b"<svg/>", "data.csv": b"a,b\n"}
