"""The shadow mirror links the real surroundings of a workspace and never writes or
removes anything outside itself (real files under tmp_path)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from rustcoder.fix.shadow import acquire_slot, link_surroundings, real_dir_under


def mirror_of(fs_root: Path, path: Path) -> Path:
    return fs_root / path.relative_to(path.anchor)


def make_tree(real: Path) -> None:
    (real / "a" / "app" / "src").mkdir(parents=True)
    (real / "a" / "app" / "src" / "lib.rs").write_text("pub fn f() {}\n")
    (real / "b" / "other").mkdir(parents=True)
    (real / "b" / "other" / "data.txt").write_text("data")
    (real / "b" / "file.txt").write_text("beside")


def test_entries_beside_the_workspace_and_its_ancestors_are_links_to_the_real_ones(
    tmp_path: Path,
) -> None:
    real, fs = tmp_path / "real", tmp_path / "fs"
    make_tree(real)
    link_surroundings(fs, real / "a" / "app")
    b = mirror_of(fs, real / "b")
    assert b.is_symlink() and b.resolve() == (real / "b").resolve()
    assert (b / "other" / "data.txt").read_text() == "data"
    assert not mirror_of(fs, real / "a" / "app").exists()  # the copy's place: not a link
    (real / "b").rename(real / "c")
    link_surroundings(fs, real / "a" / "app")
    assert not b.is_symlink() and mirror_of(fs, real / "c").is_symlink()


def test_a_link_on_the_way_is_replaced_never_followed(tmp_path: Path) -> None:
    """The mirror of another workspace's surroundings holds a link where this one needs
    a directory: writing through it would change the user's real files."""
    real, fs = tmp_path / "real", tmp_path / "fs"
    make_tree(real)
    link_surroundings(fs, real / "a" / "app")
    link_surroundings(fs, real / "b" / "other")
    assert (real / "b" / "file.txt").read_text() == "beside"
    assert (real / "b" / "other" / "data.txt").read_text() == "data"
    assert not (real / "b" / "file.txt").is_symlink()
    assert not mirror_of(fs, real / "b").is_symlink()
    assert mirror_of(fs, real / "b" / "file.txt").is_symlink()
    root = real_dir_under(fs, (real / "b" / "other").relative_to("/"))
    assert root.is_dir() and not root.is_symlink()
    assert list(root.iterdir()) == []  # the real directory's files were not reached


def test_something_real_in_the_mirror_is_left_alone(tmp_path: Path) -> None:
    real, fs = tmp_path / "real", tmp_path / "fs"
    make_tree(real)
    mirror_a = real_dir_under(fs, (real / "a").relative_to("/"))
    (mirror_a / "notes.txt").write_text("kept")
    (real / "a" / "notes.txt").write_text("real")
    link_surroundings(fs, real / "a" / "app")
    assert not (mirror_a / "notes.txt").is_symlink()
    assert (mirror_a / "notes.txt").read_text() == "kept"
    assert (real / "a" / "notes.txt").read_text() == "real"


def test_an_overlay_inside_a_linked_directory_never_reaches_the_real_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dot directories and vendored crates are linked into the copy: an unsaved buffer
    or an edit of a file in one must not be written through the link."""
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    tempfile.tempdir = None
    ws = tmp_path / "ws"
    vendored = ws / "vendor" / "dep"
    (vendored / "src").mkdir(parents=True)
    (vendored / ".cargo-checksum.json").write_text("{}")
    (vendored / "src" / "lib.rs").write_text("pub fn real() {}\n")
    (ws / ".tool").mkdir()
    (ws / ".tool" / "gen.rs").write_text("// real\n")
    (ws / "src").mkdir()
    (ws / "src" / "main.rs").write_text("fn main() {}\n")
    slot = acquire_slot(ws)
    try:
        overlays = {
            vendored / "src" / "lib.rs": "pub fn edited() {}\n",
            ws / ".tool" / "gen.rs": "// edited\n",
            ws / "src" / "main.rs": "fn main() { let _x = 1; }\n",
        }
        slot.sync(ws, overlays)
        slot.sync(ws, overlays)
        assert (vendored / "src" / "lib.rs").read_text() == "pub fn real() {}\n"
        assert (ws / ".tool" / "gen.rs").read_text() == "// real\n"
        assert (slot.root / "src" / "main.rs").read_text() == "fn main() { let _x = 1; }\n"
        assert (ws / "src" / "main.rs").read_text() == "fn main() {}\n"
    finally:
        slot.release()
        tempfile.tempdir = None
