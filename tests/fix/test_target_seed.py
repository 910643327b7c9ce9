"""A fresh shadow slot starts from dependencies already compiled, and cargo's
fingerprints stay honest about the workspace's own crates (real cargo)."""

from __future__ import annotations

import asyncio
import fcntl
import os
from pathlib import Path

import pytest

from rustcoder.cargo.flycheck import run_check
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.shadow import remove_shadows, slot_target_dirs
from rustcoder.fix.target_seed import package_names, seed_target_dir
from tests.fix.real_cargo import real_errors

REGISTRY = Path("/usr/share/cargo/registry")
CLEAN = "pub fn total(items: &[u32]) -> u32 {\n    items.iter().sum()\n}\n"
BROKEN = "pub fn total(items: &[u32]) -> u32 {\n    items.iter().sum::<u32>() + missing\n}\n"


def write_crate(root: Path, lib: str, deps: str = "") -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(
        '[package]\nname = "seeded"\nversion = "0.1.0"\nedition = "2021"\n\n'
        f"[dependencies]\n{deps}\n[workspace]\n"
    )
    (root / "src" / "lib.rs").write_text(lib)
    return root


def test_the_workspaces_own_fingerprints_are_not_copied(tmp_path: Path) -> None:
    """The copy's `lib.rs` differs from what the donor compiled but looks older: only
    a rebuild from the copy's files reports its error."""
    donor_crate = write_crate(tmp_path / "real" / "app", CLEAN)
    donor = tmp_path / "donor-target"
    assert real_errors(donor_crate, donor) == 0
    copy = write_crate(tmp_path / "copy" / "app", BROKEN)
    old = 1_000_000_000
    os.utime(copy / "src" / "lib.rs", (old, old))
    own = package_names([copy / "Cargo.toml"])
    assert own == {"seeded"}

    assert seed_target_dir(tmp_path / "honest", [donor], own) == donor
    assert real_errors(copy, tmp_path / "honest") == 1
    # The hazard the exclusion avoids: with the fingerprints copied, cargo trusts them.
    assert seed_target_dir(tmp_path / "naive", [donor], set()) == donor
    assert real_errors(copy, tmp_path / "naive") == 0


def test_a_donor_that_cargo_is_building_in_is_not_copied(tmp_path: Path) -> None:
    donor = tmp_path / "donor-target"
    (donor / "debug" / ".fingerprint").mkdir(parents=True)
    with open(donor / "debug" / ".cargo-lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # as cargo holds it while it builds
        assert seed_target_dir(tmp_path / "slot", [donor], set(), wait_s=0.2) is None
    assert not (tmp_path / "slot").exists()
    assert not (tmp_path / "slot.seeding").exists()
    assert seed_target_dir(tmp_path / "slot", [donor], set(), wait_s=0.2) == donor


@pytest.mark.skipif(
    not (REGISTRY / "anyhow-1.0.69").is_dir(),
    reason="Debian's librust-anyhow-dev is missing (bench/llm-corpus/install.sh installs it)",
)
def test_the_first_verification_reuses_the_flychecks_dependencies(tmp_path: Path) -> None:
    """anyhow (with a build script) compiled by the flycheck is not compiled again in a
    fresh shadow slot; the crate itself is checked from the copy."""
    (tmp_path / ".cargo").mkdir()
    (tmp_path / ".cargo" / "config.toml").write_text(
        '[source.crates-io]\nreplace-with = "debian"\n\n'
        f'[source.debian]\ndirectory = "{REGISTRY}"\n\n[net]\noffline = true\n'
    )
    lib = "pub fn ok() -> anyhow::Result<()> {\n    Ok(())\n}\n\n" + BROKEN
    crate = write_crate(tmp_path / "app", lib, deps='anyhow = "1"')
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    flycheck = asyncio.run(run_check(workspace, CheckSettings()))
    assert flycheck.error_count == 1, flycheck.stderr
    donor_rmeta = {p.name: p.stat().st_mtime_ns for p in crate.glob("target/*/debug/deps/*")}
    assert any(name.startswith("libanyhow-") for name in donor_rmeta)
    try:
        engine = FixEngine(workspace, settings=FixSettings(parallel=1))
        outcome = asyncio.run(engine.check_base())
        assert outcome.error_count == 1, outcome.stderr
        (slot_target,) = [d for d in slot_target_dirs(crate) if d.exists()]
        reused = {
            p.name: p.stat().st_mtime_ns
            for p in (slot_target / "debug" / "deps").iterdir()
            if p.name.startswith("libanyhow-")
        }
        assert reused and all(donor_rmeta[name] == stamp for name, stamp in reused.items())
        assert "anyhow v" not in outcome.stderr  # neither "Compiling" nor "Checking" it
    finally:
        remove_shadows(crate)
