"""The team's shared base on PostgreSQL + pgvector: learned examples every replica sees.

One connection pool per process and URL (psycopg-pool), short connect and
statement timeouts, and a circuit breaker: after a failure the base counts as
down for a few seconds and searches skip it at once instead of waiting on a
dead server, so the editor's path stays fast while the local base answers.
The schema is migrated on first contact (`shared_migrations`); a base newer
than this server is refused for good with a clear message.

Writes are learn events, each with an idempotency key recorded in `kb_events`
in the same transaction as the example it adds to, so an event sent twice
(an acknowledgement lost to a crash or a network cut) counts once.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import numpy as np
import numpy.typing as npt

from rustcoder.kb.learn import (
    EXPORT_FIELDS,
    ROW_FIELDS,
    LearnedEntry,
    fingerprint,
    unified_hunk,
)
from rustcoder.kb.normalize import normalize_message
from rustcoder.kb.provenance import Provenance
from rustcoder.kb.shared_migrations import SharedSchemaError, migrate
from rustcoder.kb.store import DocInfo, fts_terms

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
#: How long the cached row count (which decides the keyword strategy) is trusted.
COUNT_TTL_S = 30.0
#: Rows of the query's code re-ranked exactly after the sign-bit pass.
SHORTLIST = 200
#: Above this many examples a query with a code matches keywords within its code only.
LARGE = 5_000

_pools: dict[str, Any] = {}
_users: dict[str, int] = {}
_pools_lock = threading.Lock()


#: Ranked lists of (id, score), the docs they name, and the examples behind them.
Ranked = tuple[list[list[tuple[int, float]]], dict[int, DocInfo], dict[int, dict[str, Any]]]


class SharedUnavailable(RuntimeError):
    """The shared base cannot be reached (or was refused); the message says why."""


@dataclass(frozen=True)
class LearnEvent:
    """One learned fix on its way to the shared base; `key` makes resending harmless."""

    entry: LearnedEntry
    vector: npt.NDArray[np.float32]
    provenance: Provenance = field(default_factory=Provenance)
    key: str = field(default_factory=lambda: str(uuid.uuid4()))


def redact(url: str) -> str:
    """The URL without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def _vector_text(vector: npt.NDArray[np.float32]) -> str:
    return "[" + ",".join(f"{v:.7g}" for v in np.asarray(vector, dtype=np.float32)) + "]"


def _acquire(url: str) -> Any:
    """The process's pool for `url`, opened without waiting (the server may be down).

    Every `SharedKb` of the process on one URL shares it; the last `_release` closes it.
    """
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
                check=ConnectionPool.check_connection,
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


class SharedKb:
    """Search lists and learn events against one shared database."""

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
        self._count = 0
        self._count_at = -COUNT_TTL_S

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            _release(self.url)

    # --- connection state --------------------------------------------------------

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
        log.warning("%s unreachable (%s); serving from the local base", self.where, exc)
        if self.on_failure is not None:
            self.on_failure()

    def _succeeded(self) -> None:
        if self.last_error is not None:
            log.info("%s reachable again", self.where)
        self.last_error = None
        self._backoff = BREAKER_S

    @contextmanager
    def connection(self, wait: float = WRITE_WAIT_S) -> Iterator[Any]:
        """A pooled connection to a migrated base; `SharedUnavailable` when there is none."""
        import psycopg
        from psycopg_pool import PoolTimeout

        if self.refused is not None:
            raise SharedUnavailable(self.refused)
        if self.down_for() > 0:  # failed a moment ago: answer now rather than wait again
            raise SharedUnavailable(f"{self.where} is unreachable: {self.last_error}")
        try:
            with self.pool.connection(timeout=wait) as conn:
                if not self._ready:
                    self._migrate(conn)
                yield conn
        except (psycopg.OperationalError, PoolTimeout) as exc:
            self._failed(exc)
            raise SharedUnavailable(f"{self.where} is unreachable: {exc}") from exc
        self._succeeded()

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
            with self.connection(wait) as conn:
                conn.execute("SELECT 1")
        except SharedUnavailable:
            return False
        self._down_until = 0.0
        return True

    # --- search --------------------------------------------------------------

    def size(self, conn: Any) -> int:
        now = time.monotonic()
        if now - self._count_at > COUNT_TTL_S:
            self._count = int(conn.execute("SELECT count(*) FROM kb_learned").fetchone()[0])
            self._count_at = now
        return self._count

    def ranked(
        self,
        normalized: str,
        vector: npt.NDArray[np.float32],
        code: str | None,
        filter_code: bool,
        limit: int,
    ) -> Ranked:
        """Keyword and vector rankings (as the SQLite stores give), their docs and rows.

        Empty when the base is down: the caller fuses what the local stores found.
        """
        if not self.up:
            return [], {}, {}
        try:
            with self.connection(SEARCH_WAIT_S) as conn:
                return self._ranked(conn, normalized, vector, code, filter_code, limit)
        except SharedUnavailable:
            return [], {}, {}

    def _ranked(
        self,
        conn: Any,
        normalized: str,
        vector: npt.NDArray[np.float32],
        code: str | None,
        filter_code: bool,
        limit: int,
    ) -> Ranked:
        terms = fts_terms(normalized)
        large = self.size(conn) > LARGE
        params: dict[str, Any] = {
            # Ranking every example that shares one common word costs far more than the
            # budget on a large base: there a query without a code needs all its words.
            "any": (" & " if large else " | ").join(terms),
            "v": _vector_text(vector),
            "code": code,
            "n": limit,
            "short": SHORTLIST,
        }
        if code is not None and terms:
            # The code is a word of every example's keywords: GIN intersects it first.
            params["coded"] = f"{code.lower()} & ({' | '.join(terms)})"
        keywords = (
            "SELECT {list} AS list, id, ts_rank_cd(keywords, to_tsquery('simple', %({q})s)) AS s "
            "FROM kb_learned WHERE keywords @@ to_tsquery('simple', %({q})s) {extra} "
            "ORDER BY s DESC, id LIMIT %(n)s"
        )
        nearest = (
            "SELECT {list} AS list, id, 1 - (embedding <=> %(v)s::vector) AS s "
            "FROM kb_learned ORDER BY embedding <=> %(v)s::vector LIMIT %(n)s"
        )
        # Within one code: Hamming distance over the code's sign bits, read from the
        # covering index kb_learned_code_signs alone, picks a shortlist that is then
        # ranked exactly (as VectorIndex does locally). "+ 0" keeps the planner off
        # HNSW, which would walk the whole graph discarding other codes' rows.
        nearest_in_code = (
            "SELECT {list} AS list, id, 1 - (embedding <=> %(v)s::vector) AS s "
            "FROM kb_learned WHERE id IN (SELECT id FROM kb_learned WHERE code = %(code)s "
            "ORDER BY (signs <~> binary_quantize(%(v)s::vector)) + 0 LIMIT %(short)s) "
            "ORDER BY embedding <=> %(v)s::vector LIMIT %(n)s"
        )
        parts: list[str] = []
        if not filter_code or code is None:
            if terms and (code is None or not large):
                parts.append(keywords.format(list=len(parts), q="any", extra=""))
            parts.append(nearest.format(list=len(parts)))
        if code is not None:
            # On a large base the code's keyword list costs more than the budget (every
            # row of a common code shares its words) and adds little: an example of the
            # same error has the same normalised message, so the same vector.
            if terms and not large:
                extra = "AND code = %(code)s"
                parts.append(keywords.format(list=len(parts), q="coded", extra=extra))
            parts.append(nearest_in_code.format(list=len(parts)))
        # One statement, one round trip: the lists come back tagged with their number,
        # each hit with its example (boosts and hits need them anyway).
        union = " UNION ALL ".join(f"({part})" for part in parts)
        columns = ", ".join(f"l.{c}" for c in ROW_COLUMNS)
        sql = f"SELECT h.list, h.s, {columns} FROM ({union}) h JOIN kb_learned l ON l.id = h.id"
        lists: list[list[tuple[int, float]]] = [[] for _ in parts]
        info: dict[int, DocInfo] = {}
        rows: dict[int, dict[str, Any]] = {}
        for number, score, *values in conn.execute(sql, params).fetchall():
            row = _row(values)
            doc_id = int(row["id"])
            lists[int(number)].append((doc_id, float(score)))
            info[doc_id] = DocInfo(doc_id, "learned", str(doc_id), (str(row["code"]),))
            rows[doc_id] = row
        for ranked in lists:  # a join keeps no order: restore each list's
            ranked.sort(key=lambda pair: (-pair[1], pair[0]))
        return lists, info, rows

    # --- writing -------------------------------------------------------------

    def apply(self, events: Sequence[LearnEvent]) -> list[str]:
        """Store each event once; returns the keys now known to the base (new or not).

        Each event is its own transaction: a bad one (refused by a constraint)
        is logged and acknowledged rather than blocking every later event.
        """
        import psycopg

        done: list[str] = []
        with self.connection() as conn:
            for event in events:
                try:
                    with conn.transaction():
                        self._apply_one(conn, event)
                except psycopg.OperationalError:
                    raise
                except psycopg.DatabaseError as exc:
                    log.error("%s refused learn event %s: %s", self.where, event.key, exc)
                done.append(event.key)
        return done

    def _apply_one(self, conn: Any, event: LearnEvent) -> None:
        prov = event.provenance
        fresh = conn.execute(
            "INSERT INTO kb_events (event_key, contributor, rustc, edition) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (event_key) DO NOTHING RETURNING event_key",
            (event.key, prov.contributor, prov.rustc, prov.edition),
        ).fetchone()
        if fresh is None:
            return  # sent before: already counted
        learned_id, _ = self._upsert(conn, event.entry, event.vector, prov, "add")
        conn.execute(
            "UPDATE kb_events SET learned_id = %s WHERE event_key = %s", (learned_id, event.key)
        )

    def _upsert(
        self,
        conn: Any,
        entry: LearnedEntry,
        vector: npt.NDArray[np.float32],
        prov: Provenance,
        merge: str,
    ) -> tuple[int, bool]:
        if not entry.code or not entry.message or entry.before == entry.after:
            raise ValueError("a learned example needs a code, a message and a change")
        count = (
            "kb_learned.success_count + EXCLUDED.success_count"
            if merge == "add"
            else "greatest(kb_learned.success_count, EXCLUDED.success_count)"
        )
        stamps: tuple[str, ...] = ()
        if entry.created_at:
            stamps = (entry.created_at, entry.updated_at or entry.created_at)
        row = conn.execute(
            "INSERT INTO kb_learned (fingerprint, code, message, normalized, before, after, diff, "
            "source, title, success_count, embedding, contributor, rustc, edition"
            + (", created_at, updated_at" if entry.created_at else "")
            + ") VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s::vector, %s, %s, %s"
            + (", %s, %s" if entry.created_at else "")
            + ") ON CONFLICT (fingerprint) DO UPDATE SET "
            f"success_count = {count}, updated_at = greatest(kb_learned.updated_at, "
            "EXCLUDED.updated_at) RETURNING id, (xmax = 0) AS created",
            (
                fingerprint(entry.code, entry.message, entry.before, entry.after),
                entry.code,
                entry.message,
                normalize_message(entry.message),
                entry.before,
                entry.after,
                unified_hunk(entry.before, entry.after),
                entry.source,
                entry.title,
                max(1, entry.success_count),
                _vector_text(vector),
                prov.contributor,
                prov.rustc,
                prov.edition,
                *stamps,
            ),
        ).fetchone()
        return int(row[0]), bool(row[1])

    def import_entries(
        self,
        entries: Sequence[LearnedEntry],
        vectors: npt.NDArray[np.float32],
        prov: Provenance,
    ) -> tuple[int, int]:
        """All or nothing, in one transaction; counts merge by maximum (re-import is a no-op)."""
        created = merged = 0
        with self.connection() as conn, conn.transaction():
            for entry, vector in zip(entries, vectors, strict=True):
                _, new = self._upsert(conn, entry, vector, prov, "max")
                created += new
                merged += not new
        return created, merged

    def forget(self, learned_id: int) -> dict[str, Any] | None:
        """Remove one example; returns what was removed (None: no such id)."""
        with self.connection() as conn:
            row = conn.execute(
                f"DELETE FROM kb_learned WHERE id = %s RETURNING {', '.join(ROW_COLUMNS)}",
                (learned_id,),
            ).fetchone()
        return _row(row) if row is not None else None

    def entries(self) -> list[dict[str, Any]]:
        """Every example in `kb export`'s form."""
        with self.connection() as conn:
            rows = conn.execute(
                f"SELECT {', '.join(ROW_COLUMNS)} FROM kb_learned ORDER BY id"
            ).fetchall()
        out = []
        for r in rows:
            row = _row(r)
            out.append({k: row[k] for k in EXPORT_FIELDS})
        return out

    def stats(self) -> dict[str, Any]:
        with self.connection() as conn:
            learned, successes, contributors = conn.execute(
                "SELECT count(*), coalesce(sum(success_count), 0), count(DISTINCT contributor) "
                "FROM kb_learned"
            ).fetchone()
            events = conn.execute("SELECT count(*) FROM kb_events").fetchone()[0]
        return {
            "url": redact(self.url),
            "schema_version": self.version,
            "learned": int(learned),
            "successes": int(successes),
            "contributors": int(contributors),
            "events": int(events),
        }


ROW_COLUMNS = (*ROW_FIELDS, "contributor", "rustc", "edition")


def _row(r: Sequence[Any]) -> dict[str, Any]:
    row = dict(zip(ROW_COLUMNS, r, strict=True))
    for stamp in ("created_at", "updated_at"):
        row[stamp] = row[stamp].astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return row
