"""Verification builds what the user's cargo builds: the shadow copy sees the workspace's
`.cargo/config.toml` and those of its ancestor directories (real cargo, real files)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rustcoder.cargo.config_files import config_args, config_files
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


def test_config_files_are_ordered_deepest_last(tmp_path: Path) -> None:
    (tmp_path / ".cargo").mkdir()
    (tmp_path / ".cargo" / "config.toml").write_text("")
    inner = tmp_path / "a" / "b"
    (inner / ".cargo").mkdir(parents=True)
    (inner / ".cargo" / "config").write_text("")
    (inner / ".cargo" / "config.toml").write_text("")  # cargo reads `config` when both exist
    files = config_files(inner)
    assert files[-2:] == [tmp_path / ".cargo" / "config.toml", inner / ".cargo" / "config"]
    assert config_args(inner)[-2:] == ["--config", str(inner / ".cargo" / "config")]


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


def test_an_env_table_in_the_workspace_config_reaches_the_shadow(tmp_path: Path) -> None:
    crate = write_crate(
        tmp_path / "app", lib='pub const GREETING: &str = env!("GREETING");\n\n' + TYPO
    )
    (crate / ".cargo").mkdir()
    (crate / ".cargo" / "config.toml").write_text('[env]\nGREETING = "hello"\n')
    report = fixed(crate)
    assert report["errorsBefore"] == 1 and report["errorsAfter"] == 0, report
