"""Where the knowledge-base files are.

The shipped base: the `kb.path` setting, else `$RUSTCODER_KB`, else `kb.sqlite`
at the repository root (a source checkout, where `scripts/bootstrap.sh` builds
it) or inside the installed package. The per-user learned file:
`$RUSTCODER_USER_KB`, else `$XDG_DATA_HOME/rustcoder/learned.sqlite`, kept
apart from the base so rebuilding or upgrading the base never loses it.
"""

from __future__ import annotations

import os
from pathlib import Path

KB_FILE = "kb.sqlite"
_PACKAGE_DIR = Path(__file__).resolve().parents[1]
_REPO_ROOT = Path(__file__).resolve().parents[3]


def base_candidates(setting: str = "") -> list[Path]:
    if setting:
        return [Path(setting).expanduser()]
    env = os.environ.get("RUSTCODER_KB")
    if env:
        return [Path(env).expanduser()]
    return [_REPO_ROOT / KB_FILE, _PACKAGE_DIR / KB_FILE]


def base_path(setting: str = "") -> Path:
    """The base to use: the first candidate that exists, else the first (to build there)."""
    candidates = base_candidates(setting)
    return next((p for p in candidates if p.is_file()), candidates[0])


def user_path() -> Path:
    env = os.environ.get("RUSTCODER_USER_KB")
    if env:
        return Path(env).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data) / "rustcoder" / "learned.sqlite"


def build_hint(path: Path) -> str:
    return f"build it with `rustcoder kb build --out {path}`"
