"""Connections to the team's shared PostgreSQL base: one pool per process, a circuit breaker.

Every `SharedDb` of a process on one URL shares one psycopg pool, opened
without waiting (the server may be down). Timeouts are short, and after a
failure the base counts as down for a few seconds (doubling up to a limit):
searches skip it at once instead of waiting on a dead server, so the
editor's path stays fast while the local base answers. The schema is
migrated on first contact (`shared_migrations`); a base newer than this
server is refused for good with a message that says to upgrade.

A pooled connection is not pinged before each use (that would cost a round
trip per search); one the server dropped since it was opened (a restart)
fails at its first use and the work is run once more on a fresh connection
when the caller says it may be repeated.
"""

from __future__ import annotations

import logging
import struct
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt

from rustcoder.kb.shared_migrations import SharedSchemaError, migrate

log = logging.getLogger(__name__)

CONNECT_TIMEOUT_S = 3
STATEMENT_TIMEOUT_MS = 5_000
#: How long a search waits for a pooled connection before answering without the shared base.
SEARCH_WAIT_S = 0.5
WRITE_WAIT_S = 5.0
#: After a failure, searches skip the shared base this long (doubling up to the max).
BREAKER_S = 2.0
BREAKER_MAX_S = 15.0
POOL_MAX = 8

T = TypeVar("T")

_pools: dict[str, Any] = {}
_users: dict[str, int] = {}
_pools_lock = threading.Lock()


class SharedUnavailable(RuntimeError):
    """The shared base cannot be reached (or was refused); the message says why."""


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def vector_text(vector: npt.NDArray[np.float32]) -> str:
    """pgvector's text form, exact for float32 (for COPY; queries send vectors in binary)."""
    return str(np.asarray(vector, dtype=np.float32).tolist())


def _vector_dumper() -> type[Any]:
    from psycopg.adapt import Dumper
    from psycopg.pq import Format

    class VectorDumper(Dumper):
        """numpy float32 vectors in pgvector's binary form (`%b` placeholders, cast `::vector`).

        The binary form costs neither the client's formatting nor the server's
        parsing of 384 decimals, and keeps every bit of the float32 values.
        """

        format = Format.BINARY

        def dump(self, obj: Any) -> bytes:
            values = np.asarray(obj, dtype=">f4")
            return struct.pack(">HH", values.shape[0], 0) + values.tobytes()

    return VectorDumper


def _configure(conn: Any) -> None:
    conn.adapters.register_dumper(np.ndarray, _vector_dumper())


def _acquire(url: str) -> Any:
    """The process's pool for `url`, shared by every `SharedDb` on it (the last closes it)."""
    from psycopg_pool import ConnectionPool

    with _pools_lock:
        _users[url] = _users.get(url, 0) + 1
        pool = _pools.get(url)
        if pool is None or pool.closed:
            pool = ConnectionPool(
                url,
                min_size=1,
                max_size=POOL_MAX,
                open=False,
                timeout=WRITE_WAIT_S,
                configure=_configure,
                reconnect_timeout=BREAKER_MAX_S,
                name="rustcoder-shared-kb",
                kwargs={
                    "autocommit": True,
                    "connect_timeout": CONNECT_TIMEOUT_S,
                    "application_name": "rustcoder",
                    "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
                },
            )
            pool.open(wait=False)
            _pools[url] = pool
        return pool


def _release(url: str) -> None:
    with _pools_lock:
        _users[url] = _users.get(url, 1) - 1
        if _users[url] <= 0:
            _users.pop(url, None)
            pool = _pools.pop(url, None)
            if pool is not None:
                pool.close(timeout=1.0)


def close_pools() -> None:
    """Close every pool (process exit, tests)."""
    with _pools_lock:
        for pool in _pools.values():
            pool.close(timeout=1.0)
        _pools.clear()
        _users.clear()


class SharedDb:
    """One shared database as seen from this process: its pool, schema and health."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.where = f"shared knowledge base {redact(url)}"
        self.pool = _acquire(url)
        self._closed = False
        self.version = 0
        #: Set when the base was refused for good (schema newer than this server).
        self.refused: str | None = None
        self.last_error: str | None = None
        #: A sender thread probes the base while it is down: searches then never wait on it.
        self.probed_elsewhere = False
        #: Called after a failure (the sender's wake-up: it probes until the base is back).
        self.on_failure: Callable[[], None] | None = None
        self._ready = False
        self._lock = threading.Lock()
        self._down_until = 0.0
        self._backoff = BREAKER_S

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _release(self.url)

    @property
    def up(self) -> bool:
        if self.refused is not None or (self.probed_elsewhere and self.last_error is not None):
            return False
        return time.monotonic() >= self._down_until

    def down_for(self) -> float:
        """Seconds until the next attempt after a failure (0: try now)."""
        return max(0.0, self._down_until - time.monotonic())

    def _failed(self, exc: BaseException) -> None:
        self.last_error = f"{type(exc).__name__}: {exc}".strip()
        self._down_until = time.monotonic() + self._backoff
        self._backoff = min(self._backoff * 2, BREAKER_MAX_S)
        log.warning("%s unavailable (%s); serving from the local base", self.where, exc)
        if self.on_failure is not None:
            self.on_failure()

    def too_slow(self, what: str) -> None:
        """The base answers, but not in time for the editor: skip it for a moment too."""
        self._failed(TimeoutError(what))

    def _succeeded(self) -> None:
        if self.last_error is not None:
            log.info("%s reachable again", self.where)
        self.last_error = None
        self._backoff = BREAKER_S

    def run(
        self, work: Callable[[Any], T], wait: float = WRITE_WAIT_S, *, repeatable: bool = True
    ) -> T:
        """`work(conn)` on a pooled connection to the migrated base.

        Raises `SharedUnavailable` when the base cannot be reached or does not
        answer in time (and opens the breaker), or refuses the statement (a
        schema changed by hand, a value it cannot store). `repeatable`: `work` may run a
        second time when its pooled connection turns out to be one the server
        dropped (reads, idempotent writes); otherwise that failure is reported.
        """
        import psycopg
        from psycopg_pool import PoolTimeout

        if self.refused is not None:
            raise SharedUnavailable(self.refused)
        if self.down_for() > 0:  # failed a moment ago: answer now rather than wait again
            raise SharedUnavailable(f"{self.where} is unreachable: {self.last_error}")
        attempts = 2 if repeatable else 1
        for attempt in range(1, attempts + 1):
            dropped = False
            try:
                with self.pool.connection(timeout=wait) as conn:
                    try:
                        if not self._ready:
                            self._migrate(conn)
                        result = work(conn)
                    except psycopg.OperationalError:
                        if attempt == attempts or not conn.broken:
                            raise
                        dropped = True  # the server dropped it since (a restart)
            except (psycopg.OperationalError, PoolTimeout) as exc:
                self._failed(exc)
                raise SharedUnavailable(f"{self.where} is unreachable: {exc}") from exc
            except psycopg.Error as exc:  # it answered, but refused the statement
                log.warning("%s refused a statement: %s", self.where, exc)
                raise SharedUnavailable(f"{self.where} refused it: {exc}") from exc
            if dropped:
                self.pool.check()  # the pool discarded that one; its idle siblings too
                continue
            self._succeeded()
            return result
        raise AssertionError("unreachable")  # pragma: no cover

    def _migrate(self, conn: Any) -> None:
        with self._lock:
            if self._ready:
                return
            try:
                self.version = migrate(conn, where=self.where)
            except SharedSchemaError as exc:
                self.refused = str(exc)
                raise SharedUnavailable(self.refused) from exc
            self._ready = True

    def probe(self, wait: float = WRITE_WAIT_S) -> bool:
        """Reach the base now (migrating it if needed); True when it answered."""
        try:
            self.run(lambda conn: conn.execute("SELECT 1"), wait)
        except SharedUnavailable:
            return False
        self._down_until = 0.0
        return True
