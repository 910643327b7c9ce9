"""The dependency sources a job's cargo may read, without the user's cargo secrets.

A job's `CARGO_HOME` is an empty directory in the job. What it may use of
the user's is copied or bound read-only: the downloaded registry and git
checkouts (for offline builds of crates already fetched), and the source
replacement tables of the user's cargo config (e.g. a directory source at
/usr/share/cargo/registry) with the directories they name. Nothing else
of `~/.cargo` (credentials.toml, tokens in config) is visible.
"""

from __future__ import annotations

import json
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.sandbox.job import Job


def host_cargo_home() -> Path:
    return Path(os.environ.get("CARGO_HOME") or Path.home() / ".cargo")


@dataclass
class CargoSources:
    #: (host path, path in the job) bound read-only.
    mounts: list[tuple[Path, Path]] = field(default_factory=list)
    #: Directory sources named by the copied config, bound at their own path.
    readable: list[Path] = field(default_factory=list)
    config: str = ""


def _source_tables(home: Path) -> dict[str, dict[str, object]]:
    for name in ("config.toml", "config"):
        path = home / name
        if path.is_file():
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                return {}
            source = data.get("source")
            return source if isinstance(source, dict) else {}
    return {}


def _toml_value(value: object) -> str | None:
    if isinstance(value, str | bool | int):
        return json.dumps(value)
    return None


def job_sources(job: Job) -> CargoSources:
    """What of the user's cargo set-up the job gets, by the job's own paths."""
    home = host_cargo_home()
    found = CargoSources()
    for part in ("registry", "git"):
        if (home / part).is_dir():
            found.mounts.append((home / part, job.home / ".cargo" / part))
    lines: list[str] = []
    for name, table in _source_tables(home).items():
        if not isinstance(table, dict):
            continue
        lines.append(f"[source.{json.dumps(name)}]")
        for key, value in table.items():
            text = _toml_value(value)
            if text is not None:
                lines.append(f"{key} = {text}")
            if key in ("directory", "local-registry") and isinstance(value, str):
                found.readable.append(Path(value).expanduser())
        lines.append("")
    found.config = "\n".join(lines)
    return found


def prepare(job: Job, sources: CargoSources, bind: bool) -> None:
    """Write the job's cargo config; without bind mounts, link the registry instead."""
    cargo_home = job.home / ".cargo"
    if sources.config:
        (cargo_home / "config.toml").write_text(sources.config, encoding="utf-8")
    for host, inside in sources.mounts:
        if bind:
            inside.mkdir(parents=True, exist_ok=True)
        elif not inside.exists():
            inside.symlink_to(host)
