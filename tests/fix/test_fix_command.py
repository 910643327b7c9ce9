"""`rustcoder fix` end to end, as a user runs it."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from tests.lsp.helpers import cargo_check_passes, copy_crate

RUSTCODER = [sys.executable, "-m", "rustcoder"]


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and "target" not in p.relative_to(root).parts
    }


def run_fix(crate: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUSTCODER, "fix", str(crate), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def test_clean_crate_is_left_byte_for_byte_unchanged(tmp_path: Path) -> None:
    crate = copy_crate("clean", tmp_path)
    before = tree_digest(crate)
    result = run_fix(crate, "--apply")
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert tree_digest(crate) == before


def test_without_apply_prints_a_diff_and_writes_nothing(tmp_path: Path) -> None:
    crate = copy_crate("fix_borrow", tmp_path)
    before = tree_digest(crate)
    result = run_fix(crate)
    assert result.returncode == 0, result.stderr
    assert "-    shout(name)" in result.stdout
    assert "+    shout(&name)" in result.stdout
    assert tree_digest(crate) == before


def test_apply_fixes_several_errors_in_rounds(tmp_path: Path) -> None:
    crate = tmp_path / "broken-inventory"
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "broken-inventory", crate)
    result = run_fix(crate, "--apply", "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["errorsBefore"] == 4
    assert report["errorsAfter"] == 0
    assert report["written"] == ["src/lib.rs"]
    # One `use` fixes both HashMap errors (E0425 and E0433): each is reported as fixed.
    assert {fix["code"] for fix in report["applied"]} == {"E0425", "E0433", "E0308"}
    check = cargo_check_passes(crate, tmp_path / "plain-target")
    assert check.returncode == 0, check.stderr


def test_nothing_verified_writes_nothing(tmp_path: Path) -> None:
    crate = copy_crate("two_crates", tmp_path) / "alpha"  # E0308 with no rustc fix
    before = tree_digest(crate)
    result = run_fix(crate, "--apply", "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["applied"] == []
    assert report["written"] == []
    assert tree_digest(crate) == before


def test_hanging_check_gives_a_clear_message(tmp_path: Path) -> None:
    crate = copy_crate("check_hangs", tmp_path)
    result = run_fix(crate, "--timeout", "3")
    assert result.returncode == 2
    assert "did not finish within 3 s" in result.stderr
