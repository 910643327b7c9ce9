"""Writing fixed files: exact bytes, mode kept, compare-and-swap, all or none (real files)."""

from __future__ import annotations

import os
from pathlib import Path

from rustcoder.fix.safe_write import FileChange, write_files


def crate(tmp_path: Path) -> Path:
    root = tmp_path / "crate"
    (root / "src").mkdir(parents=True)
    return root


def test_bytes_mode_and_line_endings_are_kept(tmp_path: Path) -> None:
    root = crate(tmp_path)
    lib = root / "src" / "lib.rs"
    lib.write_bytes(b"fn a() {\r\n    x\r\n}\r\n")
    lib.chmod(0o640)
    after = "fn a() {\r\n    y\r\n}\r\n"
    [result] = write_files([FileChange(lib, "fn a() {\r\n    x\r\n}\r\n", after)], root)
    assert result.written and result.reason is None
    assert lib.read_bytes() == after.encode()
    assert lib.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in (root / "src").iterdir()) == ["lib.rs"]  # no temp file left


def test_a_symlink_inside_the_crate_is_written_through_and_kept(tmp_path: Path) -> None:
    root = crate(tmp_path)
    real = root / "shared.rs"
    real.write_text("a\n")
    link = root / "src" / "lib.rs"
    link.symlink_to("../shared.rs")
    [result] = write_files([FileChange(link, "a\n", "b\n")], root)
    assert result.written
    assert link.is_symlink() and real.read_text() == "b\n"


def test_changed_file_stops_every_write(tmp_path: Path) -> None:
    root = crate(tmp_path)
    one, two = root / "src" / "one.rs", root / "src" / "two.rs"
    one.write_text("1\n")
    two.write_text("2 edited by the user\n")
    results = write_files([FileChange(one, "1\n", "one\n"), FileChange(two, "2\n", "two\n")], root)
    assert [r.written for r in results] == [False, False]
    assert "src/two.rs" in (results[0].reason or "")
    assert "changed since" in (results[1].reason or "")
    assert one.read_text() == "1\n" and two.read_text() == "2 edited by the user\n"


def test_outside_the_workspace_and_not_a_file_are_refused(tmp_path: Path) -> None:
    root = crate(tmp_path)
    outside = tmp_path / "other.rs"
    outside.write_text("x\n")
    (root / "src" / "dir.rs").mkdir()
    results = write_files(
        [FileChange(outside, "x\n", "y\n"), FileChange(root / "src" / "dir.rs", "", "y\n")], root
    )
    assert [r.reason for r in results] == ["outside the workspace", "not a regular file"]
    assert outside.read_text() == "x\n"


def test_read_only_even_for_root(tmp_path: Path) -> None:
    root = crate(tmp_path)
    lib = root / "src" / "lib.rs"
    lib.write_text("x\n")
    lib.chmod(0o444)
    try:
        [result] = write_files([FileChange(lib, "x\n", "y\n")], root)
    finally:
        os.chmod(lib, 0o644)
    assert not result.written and "read-only (mode 0444)" in (result.reason or "")
    assert lib.read_text() == "x\n"
