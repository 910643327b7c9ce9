"""The process groups of running checks, so a server that is told to stop can end them.

Each cargo check runs in its own session (process group). A language server
killed with SIGTERM, or told to exit, must not leave cargo, rustc and build
scripts running behind it, so every check registers its group here while it
runs.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading

_groups: set[int] = set()
_lock = threading.Lock()


def register(pgid: int) -> None:
    with _lock:
        _groups.add(pgid)


def unregister(pgid: int) -> None:
    with _lock:
        _groups.discard(pgid)


def running() -> list[int]:
    with _lock:
        return sorted(_groups)


def kill_all() -> int:
    """SIGKILL every registered group; returns how many were signalled."""
    with _lock:
        groups = list(_groups)
        _groups.clear()
    for pgid in groups:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)
    return len(groups)
