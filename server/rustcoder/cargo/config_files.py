"""The cargo configuration files a build of the user's workspace reads.

A shadow copy lives in the temp dir, so cargo started there would not see the
`.cargo/config.toml` files of the workspace and of its ancestor directories
(source replacement, vendored or offline registries, `[env]`, `[build]`
rustflags). They are passed to the shadow's cargo with `--config FILE`: cargo
resolves relative paths in a config file against the directory that holds its
`.cargo/`, so they keep meaning what they mean for the real crate.
"""

from __future__ import annotations

import os
from pathlib import Path

#: cargo reads `config` when both exist in one directory (and warns).
CONFIG_NAMES = ("config", "config.toml")


def cargo_home() -> Path:
    return Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")


def config_files(start: Path) -> list[Path]:
    """Config files cargo reads for a build started in `start`, lowest precedence first.

    `$CARGO_HOME`'s own config is left out: cargo reads it wherever it runs.
    """
    home = cargo_home().resolve()
    found: list[Path] = []
    for directory in [start.resolve(), *start.resolve().parents]:
        dot_cargo = directory / ".cargo"
        if dot_cargo.resolve() == home:
            continue
        for name in CONFIG_NAMES:
            candidate = dot_cargo / name
            if candidate.is_file():
                found.append(candidate)
                break
    return list(reversed(found))


def config_args(start: Path) -> list[str]:
    """`--config FILE` for each, in the order that keeps cargo's precedence (deepest last)."""
    args: list[str] = []
    for path in config_files(start):
        args += ["--config", str(path)]
    return args
