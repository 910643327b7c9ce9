"""Fixture workspaces over Debian's crate sources (a cargo directory source).

`bench/llm-corpus/install.sh` (run by scripts/test.sh as root) installs the
`librust-*-dev` packages into /usr/share/cargo/registry; the `.cargo/config.toml`
written above each workspace makes cargo resolve crates.io from there, offline.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REGISTRY = Path("/usr/share/cargo/registry")
NEEDED = ("uuid-1.2.1", "chrono-0.4.23", "serde_json-1.0.87", "tokio-1.24.2", "anyhow-1.0.69")
CARGO_CONFIG = f"""[source.crates-io]
replace-with = "debian"

[source.debian]
directory = "{REGISTRY}"

[net]
offline = true
"""
FIXTURES = Path(__file__).parent / "fixtures"


def write_workspace(root: Path, deps: str) -> Path:
    """A binary crate (no lib target, so only its dependencies are indexed) under `root`."""
    (root / ".cargo").mkdir(parents=True, exist_ok=True)
    (root / ".cargo" / "config.toml").write_text(CARGO_CONFIG)
    crate = root / "ws"
    (crate / "src").mkdir(parents=True, exist_ok=True)
    (crate / "src" / "main.rs").write_text("fn main() {}\n")
    (crate / "Cargo.toml").write_text(
        f'[package]\nname = "ws"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n{deps}'
    )
    return crate


@pytest.fixture(scope="session")
def debian_crates() -> Path:
    missing = [name for name in NEEDED if not (REGISTRY / name).is_dir()]
    if missing or shutil.which("cargo") is None:
        pytest.skip(
            f"needs cargo and Debian's crate sources (bench/llm-corpus/install.sh): {missing}"
        )
    return REGISTRY
