"""One job's directory and the explicit environment its code sees.

A job dir holds the crate (`crate/`), an empty `$HOME` (`home/`, with
`CARGO_HOME` under it) and the private `/tmp` (`tmp/`); it is the only
place the job's code may write, and everything it writes counts against
the job's disk cap. The environment is built from nothing: the server's
own variables (API keys, tokens, proxies) never reach submitted code.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

JOB_PREFIX = "rustcoder-crate-"


@dataclass(frozen=True)
class Toolchain:
    """The Rust toolchain jobs use: run directly, not through rustup's proxies."""

    sysroot: Path | None

    @property
    def bin(self) -> Path | None:
        return self.sysroot / "bin" if self.sysroot else None


@functools.cache
def toolchain() -> Toolchain:
    """The server's default toolchain (`rustc --print sysroot`), looked up once."""
    try:
        out = subprocess.run(
            ["rustc", "--print", "sysroot"], capture_output=True, text=True, timeout=60
        )
    except (OSError, subprocess.TimeoutExpired):
        return Toolchain(None)
    path = Path(out.stdout.strip()) if out.returncode == 0 else None
    return Toolchain(path if path and (path / "bin").is_dir() else None)


@dataclass(frozen=True)
class Job:
    dir: Path

    @property
    def root(self) -> Path:
        """The crate."""
        return self.dir / "crate"

    @property
    def home(self) -> Path:
        return self.dir / "home"

    @property
    def tmp(self) -> Path:
        return self.dir / "tmp"

    @classmethod
    def create(cls) -> Job:
        job = cls(Path(tempfile.mkdtemp(prefix=JOB_PREFIX)).resolve())
        for path in (job.root, job.home / ".cargo", job.tmp):
            path.mkdir(parents=True)
        return job

    def remove(self) -> None:
        shutil.rmtree(self.dir, ignore_errors=True)

    def env(self, tmp: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The whole environment of the job's processes; `tmp` is /tmp as they see it."""
        tools = toolchain().bin
        path = ":".join([*([str(tools)] if tools else []), "/usr/local/bin", "/usr/bin", "/bin"])
        env = {
            "PATH": path,
            "HOME": str(self.home),
            "CARGO_HOME": str(self.home / ".cargo"),
            "TMPDIR": str(tmp),
            "LANG": "C.UTF-8",
            "CARGO_TERM_COLOR": "never",
            "CARGO_TERM_PROGRESS_WHEN": "never",
            "CARGO_NET_OFFLINE": "true",
            "RUST_BACKTRACE": "0",
        }
        env.update(extra or {})
        return env


def tree_bytes(path: Path) -> int:
    """Bytes on disk under `path` (hard links once), without following symlinks."""
    total = 0
    seen: set[tuple[int, int]] = set()
    stack = [str(path)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            key = (info.st_dev, info.st_ino)
            if key not in seen:
                seen.add(key)
                total += info.st_blocks * 512
    return total
