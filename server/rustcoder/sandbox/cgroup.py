"""A cgroup per job capping its processes and memory, where the system lets us make one.

RLIMIT_NPROC counts per user and does not bind root (containers, CI), and
RLIMIT_AS is per process, so a fork bomb or a swarm of allocating children
is best stopped by a cgroup. cgroup v2 is used where our own cgroup
delegates `pids`/`memory` to children; else the v1 `pids` and `memory`
hierarchies; else nothing, and the rlimits and the wall-clock kill are
what is left (`rustcoder doctor` says which).
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path("/sys/fs/cgroup")
_counter = itertools.count(1)


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _own_paths() -> dict[str, str]:
    """Our cgroup per hierarchy: '' for v2, else the v1 controller name."""
    paths: dict[str, str] = {}
    for line in _read(Path("/proc/self/cgroup")).splitlines():
        _id, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            paths[controller] = path
    return paths


def _mkdir(path: Path, settings: dict[str, str]) -> bool:
    """Create `path` and write `settings` into it; on any failure leave nothing behind."""
    try:
        path.mkdir()
    except OSError:
        return False
    try:
        for name, value in settings.items():
            if (path / name).exists():
                (path / name).write_text(value)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            path.rmdir()
        return False


@dataclass
class JobCgroup:
    paths: list[Path]
    kind: str

    @classmethod
    def create(cls, max_pids: int, max_memory: int) -> JobCgroup | None:
        """A fresh cgroup (v2, else v1 pids + memory), or None where none can be made."""
        name = f"rustcoder-{os.getpid()}-{next(_counter)}"
        own = _own_paths()
        v2 = cls._create_v2(own.get(""), name, max_pids, max_memory)
        return v2 if v2 is not None else cls._create_v1(own, name, max_pids, max_memory)

    @classmethod
    def _create_v2(
        cls, own: str | None, name: str, max_pids: int, max_memory: int
    ) -> JobCgroup | None:
        if own is None:
            return None
        for mount in (ROOT, ROOT / "unified"):
            base = mount / own.lstrip("/")
            controllers = _read(base / "cgroup.subtree_control").split()
            if "pids" not in controllers:
                with contextlib.suppress(OSError):  # delegated to us but not yet enabled
                    (base / "cgroup.subtree_control").write_text("+pids +memory")
                controllers = _read(base / "cgroup.subtree_control").split()
            if "pids" not in controllers:
                continue
            settings = {"pids.max": str(max_pids)}
            if "memory" in controllers:
                settings |= {"memory.max": str(max_memory), "memory.swap.max": "0"}
            path = base / name
            if _mkdir(path, settings):
                kind = "cgroup v2 (" + ", ".join(c for c in ("pids", "memory") if c in controllers)
                return cls([path], kind + ")")
        return None

    @classmethod
    def _create_v1(
        cls, own: dict[str, str], name: str, max_pids: int, max_memory: int
    ) -> JobCgroup | None:
        wanted = {
            "pids": {"pids.max": str(max_pids)},
            "memory": {
                "memory.limit_in_bytes": str(max_memory),
                "memory.memsw.limit_in_bytes": str(max_memory),
            },
        }
        made: list[Path] = []
        names: list[str] = []
        for controller, settings in wanted.items():
            if controller not in own:
                continue
            path = ROOT / controller / own[controller].lstrip("/") / name
            if _mkdir(path, settings):
                made.append(path)
                names.append(controller)
        return cls(made, f"cgroup v1 ({', '.join(names)})") if made else None

    def enter(self) -> None:  # pragma: no cover - runs in the child before exec
        for path in self.paths:
            with contextlib.suppress(OSError):
                (path / "cgroup.procs").write_text(str(os.getpid()))

    def pids(self) -> list[int]:
        found: set[int] = set()
        for path in self.paths:
            found.update(int(p) for p in _read(path / "cgroup.procs").split())
        return sorted(found)

    def kill_all(self) -> None:
        """SIGKILL every member until none is left (a fork bomb keeps forking)."""
        for _ in range(200):
            pids = self.pids()
            if not pids:
                return
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)

    def destroy(self) -> None:
        self.kill_all()
        for path in self.paths:
            for _ in range(50):
                try:
                    path.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:  # members still exiting
                    time.sleep(0.02)


def describe() -> str:
    """Which cgroup limits a job gets here (for `rustcoder doctor` and /health)."""
    probe = JobCgroup.create(64, 64 * 1024**2)
    if probe is None:
        return "none (process and memory limits by rlimit only)"
    probe.destroy()
    return probe.kind
