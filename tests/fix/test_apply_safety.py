"""`rustcoder fix --apply` never loses the user's text and reports what it really wrote.

Each test is one finding of issue 13, run as a user runs it: a real crate on
disk, the real CLI in a subprocess, real cargo.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

RUSTCODER = [sys.executable, "-m", "rustcoder"]
MANIFEST = '[package]\nname = "c"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n'
TYPO = (
    "pub fn total(items: &[u32]) -> u32 {\n"
    "    let running_total: u32 = items.iter().sum();\n"
    "    runing_total\n"
    "}\n"
)
EXIT_NOT_WRITTEN = 3


def make_crate(root: Path, lib: bytes, extra: dict[str, str] | None = None) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(MANIFEST)
    (root / "src" / "lib.rs").write_bytes(lib)
    for name, text in (extra or {}).items():
        (root / name).write_text(text)
    return root


def fix(
    crate: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUSTCODER, "fix", str(crate), "--apply", "--json", "--no-kb", *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        env={**os.environ, **(env or {})},
    )


def test_crlf_file_is_fixed_in_place_with_its_line_endings(tmp_path: Path) -> None:
    crlf = TYPO.replace("\n", "\r\n").encode()
    crate = make_crate(tmp_path / "crlf", crlf)
    result = fix(crate)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["written"] == ["src/lib.rs"]
    assert report["errorsAfter"] == 0
    assert (crate / "src" / "lib.rs").read_bytes() == crlf.replace(
        b"runing_total", b"running_total"
    )


def test_bom_and_non_ascii_file_is_fixed_byte_exactly(tmp_path: Path) -> None:
    text = "\ufeff// Größe: 🦀\r\n" + TYPO.replace("items", "élém").replace("\n", "\r\n")
    crate = make_crate(tmp_path / "bom", text.encode())
    result = fix(crate)
    assert result.returncode == 0, result.stderr
    expected = text.replace("runing_total", "running_total").encode()
    assert (crate / "src" / "lib.rs").read_bytes() == expected


def _assert_not_written(result: subprocess.CompletedProcess[str], reason: str) -> dict[str, object]:
    assert result.returncode == EXIT_NOT_WRITTEN, result.stderr
    report = json.loads(result.stdout)
    assert report["written"] == []
    assert list(report["notWritten"]) == ["src/lib.rs"]
    assert reason in report["notWritten"]["src/lib.rs"]
    assert report["applied"] and all(a["written"] is False for a in report["applied"])
    # The summary describes the disk: the error is still there.
    assert report["errorsBefore"] == 1
    assert report["errorsAfter"] == 1
    return report


def test_symlink_to_outside_the_crate_is_not_written_and_reported(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere" / "lib.rs"
    outside.parent.mkdir()
    outside.write_text(TYPO)
    crate = make_crate(tmp_path / "linked", b"")
    (crate / "src" / "lib.rs").unlink()
    (crate / "src" / "lib.rs").symlink_to(outside)
    _assert_not_written(fix(crate), "outside the crate")
    assert outside.read_text() == TYPO
    assert (crate / "src" / "lib.rs").is_symlink()


def test_read_only_file_is_not_written_even_as_root(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "ro", TYPO.encode())
    lib = crate / "src" / "lib.rs"
    lib.chmod(0o444)
    try:
        _assert_not_written(fix(crate), "read-only")
        assert lib.read_text() == TYPO
        assert (lib.stat().st_mode & 0o777) == 0o444
    finally:
        lib.chmod(0o644)


def test_immutable_file_is_not_written(tmp_path: Path) -> None:
    crate = make_crate(tmp_path / "immutable", TYPO.encode())
    lib = crate / "src" / "lib.rs"
    chattr = shutil.which("chattr")
    if chattr is None or subprocess.run([chattr, "+i", str(lib)], capture_output=True).returncode:
        pytest.skip("chattr +i is not available on this file system")
    try:
        _assert_not_written(fix(crate), "immutable")
        assert lib.read_text() == TYPO
    finally:
        subprocess.run([chattr, "-i", str(lib)], check=True)


def test_one_unwritable_file_stops_the_whole_run(tmp_path: Path) -> None:
    """Fixes in two files were verified together: both are written or neither."""
    lib = "mod other;\n" + TYPO
    other = "pub fn twice(x: u32) -> u32 {\n    let doubled = x * 2;\n    dubled\n}\n"
    crate = make_crate(tmp_path / "two", lib.encode())
    (crate / "src" / "other.rs").write_text(other)
    (crate / "src" / "other.rs").chmod(0o444)
    try:
        result = fix(crate)
    finally:
        (crate / "src" / "other.rs").chmod(0o644)
    assert result.returncode == EXIT_NOT_WRITTEN, result.stderr
    report = json.loads(result.stdout)
    assert report["written"] == []
    assert "read-only" in report["notWritten"]["src/other.rs"]
    assert "src/other.rs" in report["notWritten"]["src/lib.rs"]
    assert (crate / "src" / "lib.rs").read_text() == lib
    assert (crate / "src" / "other.rs").read_text() == other
    assert report["errorsAfter"] == 2


BLOCKING_BUILD_RS = """
use std::{env, fs, path::Path, thread, time::Duration};
fn main() {
    let dir = env::var("RUSTCODER_TEST_SYNC").unwrap();
    fs::write(Path::new(&dir).join("started"), "").unwrap();
    for _ in 0..600 {
        if Path::new(&dir).join("go").exists() { return; }
        thread::sleep(Duration::from_millis(100));
    }
}
"""


def test_text_saved_during_the_run_is_never_lost(tmp_path: Path) -> None:
    """The user saves while the fix run is checking: that file is skipped, not overwritten."""
    sync = tmp_path / "sync"
    sync.mkdir()
    crate = make_crate(tmp_path / "busy", TYPO.encode(), {"build.rs": BLOCKING_BUILD_RS})
    lib = crate / "src" / "lib.rs"
    proc = subprocess.Popen(
        [*RUSTCODER, "fix", str(crate), "--apply", "--json", "--no-kb"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "RUSTCODER_TEST_SYNC": str(sync)},
    )
    try:
        deadline = time.monotonic() + 300
        while not (sync / "started").exists():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline
            time.sleep(0.1)
        saved = TYPO + "// the user's new line\n"
        lib.write_text(saved)
        (sync / "go").write_text("")
        stdout, stderr = proc.communicate(timeout=600)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == EXIT_NOT_WRITTEN, stderr
    report = json.loads(stdout)
    assert "changed since the fixes were computed" in report["notWritten"]["src/lib.rs"]
    assert lib.read_text() == saved
