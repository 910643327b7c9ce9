"""The API index for one workspace at a time: what the API-aware fixes and prompts ask.

Lookups need the crate ids of the workspace's dependency graph (and std),
which `index_workspace` gives once per Cargo.toml/Cargo.lock state; the first
time a workspace is seen its crates may need parsing (seconds), so that runs in
a thread and a caller waits at most `wait_seconds` (the CLI waits, the language
server does not: its next check finds the index ready). One lock guards the
SQLite connection, shared by that thread and the callers.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from rustcoder.apiindex.crate_sources import CrateSourceError, gates_missing
from rustcoder.apiindex.index_store import ApiIndex, IndexReport, StoredItem

log = logging.getLogger(__name__)

_StateKey = tuple[Path, tuple[tuple[str, int, int], ...]]


def _state(root: Path) -> _StateKey:
    """The manifest and lock file stamps: when they change, the crate set may have too."""
    stamps = []
    for name in ("Cargo.toml", "Cargo.lock"):
        try:
            st = (root / name).stat()
            stamps.append((name, st.st_size, st.st_mtime_ns))
        except OSError:
            stamps.append((name, -1, -1))
    return root, tuple(stamps)


class WorkspaceApi:
    """Lookups scoped to a workspace's crates; satisfies `fix.api_source.ApiLookup`."""

    def __init__(
        self, open_index: Callable[[], ApiIndex] = ApiIndex, wait_seconds: float = 120.0
    ) -> None:
        self._open_index = open_index
        self._index: ApiIndex | None = None
        self.wait_seconds = wait_seconds
        self._lock = threading.RLock()
        self._reports: dict[_StateKey, IndexReport | None] = {}
        self._pending: dict[_StateKey, threading.Thread] = {}

    def close(self, wait_seconds: float = 5.0) -> None:
        """Close the cache; an indexing thread still running gets `wait_seconds` to finish
        (it is a daemon: a server that exits does not wait for it)."""
        for thread in list(self._pending.values()):
            thread.join(timeout=wait_seconds)
        if self._pending:
            return  # still indexing: its connection closes with the process
        with self._lock:
            if self._index is not None:
                self._index.close()
                self._index = None

    def _db(self) -> ApiIndex:
        if self._index is None:
            self._index = self._open_index()
        return self._index

    def ready(self, root: Path) -> bool:
        """Whether this workspace's index (for its current Cargo.toml/lock) is built."""
        return _state(root) in self._reports

    def report(self, root: Path, wait: float | None = None) -> IndexReport | None:
        """The workspace's index report; None while it is being built or when cargo failed."""
        key = _state(root)
        if key in self._reports:
            return self._reports[key]
        with self._lock:
            thread = self._pending.get(key)
            if thread is None:
                thread = threading.Thread(
                    target=self._build, args=(key,), name="api-index", daemon=True
                )
                self._pending[key] = thread
                thread.start()
        thread.join(timeout=self.wait_seconds if wait is None else wait)
        return self._reports.get(key)

    def _build(self, key: _StateKey) -> None:
        report: IndexReport | None
        try:
            with self._lock:
                report = self._db().index_workspace(key[0])
        except (CrateSourceError, OSError) as exc:
            log.info("API index unavailable for %s: %s", key[0], exc)
            report = None
        except Exception:  # an index bug must not break fixes
            log.exception("indexing %s failed", key[0])
            report = None
        self._reports[key] = report
        self._pending.pop(key, None)

    def _ids(self, root: Path) -> list[int] | None:
        report = self.report(root)
        return list(report.crate_ids.values()) if report is not None else None

    # --- ApiLookup -----------------------------------------------------------------

    def lookup(self, root: Path, query: str) -> list[StoredItem]:
        ids = self._ids(root)
        if ids is None:
            return []
        with self._lock:
            return self._db().lookup(query, ids)

    def members(self, root: Path, owner: str) -> list[StoredItem]:
        ids = self._ids(root)
        if ids is None:
            return []
        with self._lock:
            return self._db().members(owner, ids)

    def traits_of(self, root: Path, type_path: str) -> list[str]:
        ids = self._ids(root)
        if ids is None:
            return []
        with self._lock:
            return [trait for trait, _derived in self._db().traits_of(type_path, ids)]

    def module_items(self, root: Path, module: str) -> list[StoredItem]:
        ids = self._ids(root)
        if ids is None:
            return []
        with self._lock:
            return self._db().in_module(module, ids)

    def named(self, root: Path, name: str) -> list[StoredItem]:
        ids = self._ids(root)
        if ids is None:
            return []
        with self._lock:
            return self._db().by_name(name, None, ids)

    def disabled(self, root: Path, hit: StoredItem) -> list[str]:
        report = self.report(root)
        if report is None:
            return []
        enabled = report.enabled.get(f"{hit.crate}@{hit.version}")
        if enabled is None:
            return []  # std, or a crate outside this workspace's graph
        return gates_missing(hit.item.features, enabled)
