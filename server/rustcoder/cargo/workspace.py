"""Find the Cargo workspace that owns a file.

The nearest `Cargo.toml` is found by walking up (no subprocess, works even when
the manifest is broken); `cargo locate-project --workspace` then names the
workspace root, so members of one workspace share one check. A manifest cargo
cannot read falls back to its own directory: the check will then report the
manifest error as a diagnostic on that Cargo.toml.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass
from pathlib import Path

LOCATE_TIMEOUT_S = 20.0


@dataclass(frozen=True)
class CargoWorkspace:
    root: Path
    manifest: Path


class CargoNotFoundError(RuntimeError):
    """The cargo executable is not on PATH (or not where settings say)."""


def nearest_manifest(path: Path) -> Path | None:
    start = path if path.is_dir() else path.parent
    for directory in (start, *start.parents):
        candidate = directory / "Cargo.toml"
        if candidate.is_file():
            return candidate
    return None


def locate_workspace(path: Path, cargo: str = "cargo") -> CargoWorkspace | None:
    """The workspace holding `path`, or None when it is not inside a Cargo package."""
    manifest = nearest_manifest(path)
    if manifest is None:
        return None
    try:
        proc = subprocess.run(
            [cargo, "locate-project", "--workspace", "--message-format", "plain", "--offline"],
            cwd=manifest.parent,
            capture_output=True,
            text=True,
            timeout=LOCATE_TIMEOUT_S,
            check=False,
        )
    except FileNotFoundError as exc:
        raise CargoNotFoundError(_cargo_missing_message(cargo)) from exc
    except (OSError, subprocess.TimeoutExpired):
        return CargoWorkspace(root=manifest.parent, manifest=manifest)
    located = proc.stdout.strip()
    if proc.returncode == 0 and located:
        ws_manifest = Path(located)
        return CargoWorkspace(root=ws_manifest.parent, manifest=ws_manifest)
    return CargoWorkspace(root=manifest.parent, manifest=manifest)


def _cargo_missing_message(cargo: str) -> str:
    return (
        f"rustcoder could not run `{cargo}`: it is not installed or not on PATH. "
        "Install Rust with rustup (https://rustup.rs) or set `rustcoder.check.cargoPath`."
    )


def cargo_missing_message(cargo: str) -> str:
    return _cargo_missing_message(cargo)
