"""Verification builds what the user's cargo builds: the shadow copy sees the workspace's
`.cargo/config.toml` and its ancestors', the environment with cargo's precedence, the
toolchain file, and paths outside the workspace (real cargo, real files)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from rustcoder.fix.shadow import remove_shadows, slot_target_dirs
from tests.fix.real_cargo import real_errors
from tests.fix.test_fix_command import run_fix

REGISTRY = Path("/usr/share/cargo/registry")
TYPO = """pub fn total(items: &[u32]) -> u32 {
    let running_total: u32 = items.iter().sum();
    runing_total
}
"""


def write_crate(root: Path, deps: str = "", lib: str = TYPO) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(
        f'[package]\nname = "cfg_case"\nversion = "0.1.0"\nedition = "2021"\n\n'
        f"[dependencies]\n{deps}\n[workspace]\n"
    )
    (root / "src" / "lib.rs").write_text(lib)
    return root


def fixed(crate: Path) -> dict[str, object]:
    result = run_fix(crate, "--apply", "--json", "--no-kb")
    report: dict[str, object] = json.loads(result.stdout)
    return report


@pytest.mark.skipif(
    not (REGISTRY / "anyhow-1.0.69").is_dir(),
    reason="Debian's librust-anyhow-dev is missing (bench/llm-corpus/install.sh installs it)",
)
def test_a_directory_source_configured_above_the_crate_reaches_the_shadow(
    tmp_path: Path,
) -> None:
    above = tmp_path / "projects"
    (above / ".cargo").mkdir(parents=True)
    (above / ".cargo" / "config.toml").write_text(
        '[source.crates-io]\nreplace-with = "debian"\n\n'
        f'[source.debian]\ndirectory = "{REGISTRY}"\n\n[net]\noffline = true\n'
    )
    lib = "use anyhow::Result;\n\npub fn ok() -> Result<()> {\n    Ok(())\n}\n\n" + TYPO
    crate = write_crate(above / "app", deps='anyhow = "1"', lib=lib)
    report = fixed(crate)
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report
    assert "running_total\n}" in (crate / "src" / "lib.rs").read_text()


@pytest.mark.skipif(
    not (REGISTRY / "anyhow-1.0.69").is_dir(),
    reason="Debian's librust-anyhow-dev is missing (bench/llm-corpus/install.sh installs it)",
)
def test_a_vendored_directory_in_the_workspace_is_read_in_place(tmp_path: Path) -> None:
    lib = "use anyhow::Result;\n\npub fn ok() -> Result<()> {\n    Ok(())\n}\n\n" + TYPO
    crate = write_crate(tmp_path / "app", deps='anyhow = "1"', lib=lib)
    shutil.copytree(REGISTRY / "anyhow-1.0.69", crate / "vendor" / "anyhow-1.0.69")
    (crate / ".cargo").mkdir()
    (crate / ".cargo" / "config.toml").write_text(
        '[source.crates-io]\nreplace-with = "vendored"\n\n'
        '[source.vendored]\ndirectory = "vendor"\n\n[net]\noffline = true\n'
    )
    report = fixed(crate)
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report
    copies = [d.parent / "fs" / crate.relative_to(crate.anchor) for d in slot_target_dirs(crate)]
    vendored = [c / "vendor" / "anyhow-1.0.69" for c in copies if c.is_dir()]
    assert vendored and all(v.is_symlink() for v in vendored)  # linked, not copied
    remove_shadows(crate)


def test_an_env_table_in_the_workspace_config_reaches_the_shadow(tmp_path: Path) -> None:
    crate = write_crate(
        tmp_path / "app", lib='pub const GREETING: &str = env!("GREETING");\n\n' + TYPO
    )
    (crate / ".cargo").mkdir()
    (crate / ".cargo" / "config.toml").write_text('[env]\nGREETING = "hello"\n')
    report = fixed(crate)
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report


UNUSED = "pub fn shown() {\n    let unused = 1;\n}\n\n" + TYPO
DENY_WARNINGS = '[build]\nrustflags = ["-D", "warnings"]\n'


def test_build_rustflags_of_an_ancestor_config_turn_a_warning_into_an_error(
    tmp_path: Path,
) -> None:
    (tmp_path / ".cargo").mkdir()
    (tmp_path / ".cargo" / "config.toml").write_text(DENY_WARNINGS)
    crate = write_crate(tmp_path / "app", lib=UNUSED)
    assert real_errors(crate, tmp_path / "real-target") == 2
    report = fixed(crate)
    assert report["errorsBefore"] == 2, report
    assert "running_total\n}" in (crate / "src" / "lib.rs").read_text()


def test_the_environment_outranks_config_files_as_in_the_users_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`CARGO_PROFILE_DEV_DEBUG_ASSERTIONS` beats a discovered config file's profile
    (a `--config FILE` argument would beat the environment instead)."""
    (tmp_path / ".cargo").mkdir()
    (tmp_path / ".cargo" / "config.toml").write_text("[profile.dev]\ndebug-assertions = false\n")
    lib = '#[cfg(not(debug_assertions))]\ncompile_error!("no debug assertions");\n\n' + TYPO
    crate = write_crate(tmp_path / "app", lib=lib)
    monkeypatch.setenv("CARGO_PROFILE_DEV_DEBUG_ASSERTIONS", "true")
    assert real_errors(crate, tmp_path / "real-target") == 1
    report = fixed(crate)
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report


def test_the_shadow_never_builds_in_the_users_target_or_build_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    crate = write_crate(tmp_path / "app")
    (crate / ".cargo").mkdir()
    user_build = tmp_path / "user-build"
    (crate / ".cargo" / "config.toml").write_text(f'[build]\nbuild-dir = "{user_build}"\n')
    monkeypatch.setenv("CARGO_TARGET_DIR", str(tmp_path / "user-target"))
    report = fixed(crate)
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report
    assert not user_build.exists()
    assert not (tmp_path / "user-target").exists()


def test_relative_paths_out_of_the_workspace_mean_what_they_mean_for_the_real_crate(
    tmp_path: Path,
) -> None:
    """A path dependency beside the workspace (with its own relative dependency) and an
    `include_str!` reaching above it are the real files, read in place."""
    util = write_crate(tmp_path / "libs" / "util", lib="pub fn base() -> u32 {\n    40\n}\n")
    (util / "Cargo.toml").write_text(
        (util / "Cargo.toml").read_text().replace("cfg_case", "util").replace("[workspace]", "")
    )
    mylib = write_crate(
        tmp_path / "libs" / "mylib",
        deps='util = { path = "../util" }',
        lib="pub fn helper() -> u32 {\n    util::base() + 2\n}\n",
    )
    (mylib / "Cargo.toml").write_text(
        (mylib / "Cargo.toml").read_text().replace("cfg_case", "mylib").replace("[workspace]", "")
    )
    (tmp_path / "shared.txt").write_text("shared text")
    lib = (
        'pub const SHARED: &str = include_str!("../../shared.txt");\n\n'
        "pub fn answer() -> u32 {\n    mylib::helper()\n}\n\n" + TYPO
    )
    crate = write_crate(tmp_path / "app", deps='mylib = { path = "../libs/mylib" }', lib=lib)
    before = {p: p.read_bytes() for p in (tmp_path / "libs").rglob("*") if p.is_file()}
    report = fixed(crate)
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report
    assert "running_total\n}" in (crate / "src" / "lib.rs").read_text()
    after = {p: p.read_bytes() for p in (tmp_path / "libs").rglob("*") if p.is_file()}
    assert after == before  # nothing written beside the workspace (no Cargo.lock, no target)


@pytest.mark.skipif(shutil.which("rustup") is None, reason="toolchain files are rustup's")
def test_a_toolchain_file_above_the_workspace_picks_the_shadows_toolchain(tmp_path: Path) -> None:
    """A custom toolchain (the active one's cargo, a rustc that sets a cfg) named by a
    `rust-toolchain.toml` above the crate: the crate only builds with that toolchain."""
    sysroot = Path(
        subprocess.run(
            ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    toolchain = tmp_path / "marked-toolchain"
    (toolchain / "bin").mkdir(parents=True)
    (toolchain / "bin" / "cargo").symlink_to(sysroot / "bin" / "cargo")
    (toolchain / "lib").symlink_to(sysroot / "lib")
    rustc = toolchain / "bin" / "rustc"
    rustc.write_text(f'#!/bin/sh\nexec "{sysroot}/bin/rustc" "$@" --cfg marked_toolchain\n')
    rustc.chmod(0o755)
    projects = tmp_path / "projects"
    projects.mkdir()
    (projects / "rust-toolchain.toml").write_text(f'[toolchain]\npath = "{toolchain}"\n')
    lib = (
        "#[cfg(not(marked_toolchain))]\n"
        'compile_error!("built without the workspace\'s toolchain");\n\n' + TYPO
    )
    crate = write_crate(projects / "app", lib=lib)
    assert real_errors(crate, tmp_path / "real-target") == 1
    report = fixed(crate)
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report
