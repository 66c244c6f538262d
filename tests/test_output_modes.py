"""The output folder as a web server and a full disk see it (generator/output.py).

- Modes: the built tree gets what mkdir and open would give under the user's umask,
  whatever the staging folder was made with, and hard links from the cache never
  make a file less readable than that.
- Failed writes: a full or read-only disk, or a file where a folder should be, gives
  one error in compiler form naming the output folder as the user gave it, exit 1,
  the old output untouched and no staging folder left (also after a no-change build).
- Foreign entries: folders (empty ones too) and symbolic links someone else put in the
  output folder are carried over as they are, like foreign files.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from generator.build import build
from generator.cache import Cache
from generator.config import load_config
from generator.output import STAGING_PREFIX, current_umask
from support import tree_bytes


@pytest.fixture
def umask():
    """umask(value): set the process umask for this test; the old one is put back after."""
    saved = os.umask(0o022)
    os.umask(saved)
    yield os.umask
    os.umask(saved)


def modes(folder: Path) -> dict[str, int]:
    """Permission bits of the folder itself and of every folder and file under it (links not followed)."""
    found = {".": stat.S_IMODE(folder.stat().st_mode)}
    for path in folder.rglob("*"):
        if not path.is_symlink():
            found[path.relative_to(folder).as_posix()] = stat.S_IMODE(path.lstat().st_mode)
    return found


def staging_folders(out: Path) -> list[str]:
    return sorted(p.name for p in out.parent.glob(f".{out.name}{STAGING_PREFIX}*"))


@pytest.mark.parametrize("mask, folder_mode, file_mode", [(0o022, 0o755, 0o644), (0o027, 0o750, 0o640)])
def test_the_output_folder_gets_the_modes_of_the_umask(make_site, umask, mask, folder_mode, file_mode):
    root = make_site()
    umask(mask)
    build(load_config(root), Cache(root / ".cache"))
    found = modes(root / "output")
    assert found["."] == folder_mode  # mkdtemp made the staging folder 0700
    folders = {path: mode for path, mode in found.items() if (root / "output" / path).is_dir()}
    files = {path: mode for path, mode in found.items() if path not in folders}
    assert set(folders.values()) == {folder_mode}, folders
    assert set(files.values()) == {file_mode}, files
    assert len(files) > 20


def test_files_linked_from_a_cache_written_under_a_stricter_umask_are_readable(make_site, umask):
    root = make_site()
    umask(0o077)  # the cache (chart images) is written while the umask is strict
    build(load_config(root, root / "private"), Cache(root / ".cache"))
    strict = [p for p in (root / ".cache" / "chart-files").rglob("*") if p.is_file()]
    umask(0o022)
    build(load_config(root), Cache(root / ".cache"))  # chart images come from the cache
    images = [path for path in modes(root / "output") if path.endswith((".svg", ".png"))]
    assert images
    assert {modes(root / "output")[path] for path in images} == {0o644}
    # What could be linked still is: the 0600 cache files were written afresh, not re-moded.
    assert strict and {stat.S_IMODE(p.stat().st_mode) for p in strict} == {0o600}


def test_the_umask_is_read_without_changing_it(umask):
    umask(0o027)
    assert current_umask() == 0o027
    assert os.umask(0o027) == 0o027  # it was left as it was


def failing_write(original, error: int):
    """Path.write_bytes that fails with `error` inside any staging folder (the cache still writes)."""
    def write_bytes(self: Path, data: bytes) -> int:
        if STAGING_PREFIX in str(self):
            raise OSError(error, os.strerror(error), str(self))
        return original(self, data)
    return write_bytes


def test_a_full_disk_is_a_located_error_and_leaves_nothing_behind(make_site, cli, monkeypatch):
    root = make_site()
    assert cli("build", "--root", root).exit_code == 0
    before = tree_bytes(root / "output")
    (root / "site_src/explainers/lane2.md").write_text((root / "site_src/explainers/lane2.md").read_text() + "\nMore.\n")
    monkeypatch.setattr(Path, "write_bytes", failing_write(Path.write_bytes, errno.ENOSPC))
    result = cli("build", "--quiet", "--root", root, "--clean")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["output: error: cannot write the output folder: No space left on device",
                                          "Build failed: 1 error."]
    assert staging_folders(root / "output") == []
    assert tree_bytes(root / "output") == before


def test_a_read_only_disk_names_the_output_folder_as_given(make_site, cli, monkeypatch, tmp_path):
    root = make_site()
    monkeypatch.chdir(tmp_path)

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(tmp_path / ".site.staging-x"))

    monkeypatch.setattr(tempfile, "mkdtemp", read_only)
    result = cli("build", "--quiet", "--root", root, "--out", "site")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [f"{tmp_path / 'site'}: error: cannot write the output folder: Read-only file system",
                                          "Build failed: 1 error."]
    assert not (tmp_path / "site").exists()


def test_a_file_where_a_folder_should_be_is_a_located_error(make_site, cli):
    root = make_site()
    (root / "blocked").write_text("a file, not a folder\n")
    result = cli("build", "--quiet", "--root", root, "--out", root / "blocked" / "site" / "output")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["blocked/site/output: error: cannot write the output folder: Not a directory",
                                          "Build failed: 1 error."]
    assert (root / "blocked").read_text() == "a file, not a folder\n"


def test_a_build_with_nothing_to_do_still_removes_stale_staging_folders(make_site):
    root = make_site()
    config, cache = load_config(root), Cache(root / ".cache")
    build(config, cache)
    stale = root / f".output{STAGING_PREFIX}left-by-a-full-disk"
    (stale / "explainers").mkdir(parents=True)
    (stale / "explainers" / "big.bin").write_bytes(b"\0" * 1000)
    report = build(config, cache)
    assert report.changes.count == 0  # the no-change fast path
    assert staging_folders(root / "output") == []


def test_foreign_folders_and_links_are_carried_over(make_site, tmp_path):
    root = make_site()
    out, cache = root / "output", Cache(root / ".cache")
    build(load_config(root), cache)
    media = tmp_path / "media-elsewhere"
    (media / "photos").mkdir(parents=True)
    (media / "photos" / "a.jpg").write_bytes(b"jpeg")
    (out / "media").symlink_to(media)                               # a folder link, e.g. to a media server's share
    (out / "empty" / "nested").mkdir(parents=True)                  # empty folders
    (out / "explainers" / "uploads").mkdir()                        # an empty folder inside one of ours
    (out / "terms.txt").symlink_to("legal/terms-2026.txt")          # a broken relative link, kept as it is
    (out / ".well-known").mkdir()
    (out / ".well-known" / "acme.txt").write_text("token\n")
    os.chmod(out / "empty", 0o700)
    (root / "site_src/explainers/lane2.md").write_text((root / "site_src/explainers/lane2.md").read_text() + "\nMore.\n")
    report = build(load_config(root), cache)
    assert report.changes.written  # a real rebuild, not the no-change path
    assert (out / "media").is_symlink() and os.readlink(out / "media") == str(media)
    assert (out / "media" / "photos" / "a.jpg").read_bytes() == b"jpeg"
    assert (out / "empty" / "nested").is_dir() and not any((out / "empty" / "nested").iterdir())
    assert stat.S_IMODE((out / "empty").stat().st_mode) == 0o700
    assert (out / "explainers" / "uploads").is_dir()
    assert (out / "terms.txt").is_symlink() and os.readlink(out / "terms.txt") == "legal/terms-2026.txt"
    assert (out / ".well-known" / "acme.txt").read_text() == "token\n"


def test_a_folder_only_we_filled_goes_when_its_pages_go(make_site):
    root = make_site()
    out, cache = root / "output", Cache(root / ".cache")
    (root / "site_src/explainers/second.md").write_text(
        (root / "site_src/explainers/lane2.md").read_text())
    build(load_config(root), cache)
    assert (out / "explainers" / "second").is_dir()
    (root / "site_src/explainers/second.md").unlink()
    build(load_config(root), cache)
    assert not (out / "explainers" / "second").exists()


def test_a_swap_that_fails_halfway_puts_the_old_site_back(make_site, cli, monkeypatch):
    """Where renameat2 is missing the swap is two renames; if the second fails, the first is undone."""
    import generator.output as output

    root = make_site()
    assert cli("build", "--quiet", "--root", root).exit_code == 0
    before = tree_bytes(root / "output")
    rename = os.rename

    def second_rename_fails(source, target):
        if STAGING_PREFIX in str(source) and not str(source).endswith("-old"):
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        return rename(source, target)

    monkeypatch.setattr(output, "_exchange", lambda a, b: False)
    monkeypatch.setattr(os, "rename", second_rename_fails)
    result = cli("build", "--quiet", "--root", root, "--clean")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["output: error: cannot write the output folder: Input/output error",
                                          "Build failed: 1 error."]
    assert tree_bytes(root / "output") == before
    assert staging_folders(root / "output") == []
