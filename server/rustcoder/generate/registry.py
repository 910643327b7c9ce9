"""Crates available offline: a cargo directory source (`cargo vendor` mirror, Debian's crates)."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

_DIR = re.compile(r"^(?P<name>[A-Za-z0-9_-]+?)-(?P<version>\d+\.\d+\.\d+[^/]*)$")


def available_crates(registry_dir: Path | None) -> dict[str, str]:
    """Crate name → newest version held by the directory source (empty without one)."""
    if registry_dir is None or not registry_dir.is_dir():
        return {}
    found: dict[str, tuple[tuple[int, ...], str]] = {}
    for entry in registry_dir.iterdir():
        match = _DIR.match(entry.name)
        if not match or not (entry / "Cargo.toml").is_file():
            continue
        version = match.group("version")
        key = tuple(int(x) for x in re.findall(r"\d+", version)[:3])
        name = match.group("name")
        if name not in found or key > found[name][0]:
            found[name] = (key, version)
    return {name: version for name, (_, version) in found.items()}


def unavailable_dependencies(manifest: str, available: dict[str, str]) -> list[str]:
    """Dependencies of a Cargo.toml that the offline registry cannot provide."""
    try:
        data = tomllib.loads(manifest)
    except tomllib.TOMLDecodeError as exc:
        return [f"Cargo.toml does not parse: {exc}"]
    missing = []
    for section in ("dependencies", "dev-dependencies", "build-dependencies"):
        for name, spec in (data.get(section) or {}).items():
            if isinstance(spec, dict) and "path" in spec:
                continue
            if name not in available:
                missing.append(name)
    return missing
