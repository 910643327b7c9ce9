"""The user's own `cargo check`, run as the user would, for tests to compare against."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any


def cargo_check(crate: Path, target: Path) -> list[dict[str, Any]]:
    """`cargo check` started in the crate (its configs, its toolchain): the JSON messages."""
    proc = subprocess.run(
        ["cargo", "check", "--message-format=json", "--target-dir", str(target)],
        cwd=crate,
        capture_output=True,
        text=True,
        check=False,
    )
    return [json.loads(line) for line in proc.stdout.splitlines() if line.startswith("{")]


def error_count(messages: list[dict[str, Any]]) -> int:
    return sum(
        1
        for m in messages
        if m.get("reason") == "compiler-message" and m["message"]["level"] == "error"
    )


def real_errors(crate: Path, target: Path) -> int:
    return error_count(cargo_check(crate, target))
