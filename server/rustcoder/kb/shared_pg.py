"""The team's shared base on PostgreSQL + pgvector: learned examples every replica sees.

Connections, timeouts, the breaker and migrations are `SharedDb`'s
(`shared_conn`); the search statement is `shared_search`'s. What is here is
what is stored: learn events, each with an idempotency key recorded in
`kb_events` in the same transaction as the example it adds to, so an event
sent twice (an acknowledgement lost to a crash or a network cut) counts once;
imports, removals and the export form.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from rustcoder.kb import shared_search
from rustcoder.kb.learn import EXPORT_FIELDS, STORED_FIELDS, LearnedEntry, stored_values
from rustcoder.kb.provenance import Provenance
from rustcoder.kb.shared_conn import (
    SEARCH_WAIT_S,
    SharedDb,
    SharedUnavailable,
    close_pools,
    redact,
)
from rustcoder.kb.shared_search import Ranked, row, row_select

__all__ = ["LearnEvent", "SharedKb", "SharedUnavailable", "close_pools", "redact"]

log = logging.getLogger(__name__)

#: How long the row-count estimate (which decides the keyword strategy) is trusted.
COUNT_TTL_S = 30.0


@dataclass(frozen=True)
class LearnEvent:
    """One learned fix on its way to the shared base; `key` makes resending harmless."""

    entry: LearnedEntry
    vector: npt.NDArray[np.float32]
    provenance: Provenance = field(default_factory=Provenance)
    key: str = field(default_factory=lambda: str(uuid.uuid4()))


class SharedKb(SharedDb):
    """Search lists and learn events against one shared database."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self._count = 0
        self._count_at = -COUNT_TTL_S

    # --- search --------------------------------------------------------------

    def size(self, conn: Any) -> int:
        """About how many examples there are (the planner's estimate, else a count)."""
        now = time.monotonic()
        if now - self._count_at > COUNT_TTL_S:
            estimate = conn.execute(
                "SELECT reltuples FROM pg_class WHERE oid = 'kb_learned'::regclass"
            ).fetchone()[0]
            if estimate < 0:  # never analysed yet
                estimate = conn.execute("SELECT count(*) FROM kb_learned").fetchone()[0]
            self._count = int(estimate)
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

        query = shared_search.Query(normalized, vector, code, filter_code, limit)

        def search(conn: Any) -> Ranked:
            return shared_search.ranked(conn, query, large=self.size(conn) > shared_search.LARGE)

        try:
            return self.run(search, SEARCH_WAIT_S)
        except SharedUnavailable:
            return [], {}, {}

    # --- writing -------------------------------------------------------------

    def apply(self, events: Sequence[LearnEvent]) -> tuple[list[str], dict[str, str]]:
        """Store each event once: (keys the base now holds, new or not; keys it refused, why).

        Each event is its own transaction, so one the base refuses (a constraint,
        a type) does not hold back the others; the outbox keeps it aside.
        Raises `SharedUnavailable` when the base cannot be reached.
        """
        import psycopg

        def send(conn: Any) -> tuple[list[str], dict[str, str]]:
            done: list[str] = []
            refused: dict[str, str] = {}
            for event in events:
                try:
                    with conn.transaction():
                        self._apply_one(conn, event)
                except psycopg.OperationalError:
                    raise
                except (psycopg.DatabaseError, ValueError) as exc:
                    log.error("%s refused learn event %s: %s", self.where, event.key, exc)
                    refused[event.key] = f"{type(exc).__name__}: {exc}"
                else:
                    done.append(event.key)
            return done, refused

        return self.run(send)  # repeatable: the keys make a resend harmless

    def _apply_one(self, conn: Any, event: LearnEvent) -> None:
        prov = event.provenance
        fresh = conn.execute(
            "INSERT INTO kb_events (event_key, contributor, rustc, edition) "
            "VALUES (%s, %s, %s, %s) ON CONFLICT (event_key) DO NOTHING RETURNING event_key",
            (event.key, prov.contributor, prov.rustc, prov.edition),
        ).fetchone()
        if fresh is None:
            return  # sent before: already counted
        learned_id, _ = _upsert(conn, event.entry, event.vector, prov, add_counts=True)
        conn.execute(
            "UPDATE kb_events SET learned_id = %s WHERE event_key = %s", (learned_id, event.key)
        )

    def import_entries(
        self,
        entries: Sequence[LearnedEntry],
        vectors: npt.NDArray[np.float32],
        prov: Provenance,
    ) -> tuple[int, int]:
        """All or nothing, in one transaction; counts merge by maximum (re-import is a no-op).

        Returns (examples created, examples merged into existing ones).
        """

        def load(conn: Any) -> tuple[int, int]:
            created = merged = 0
            with conn.transaction():
                for entry, vector in zip(entries, vectors, strict=True):
                    _, new = _upsert(conn, entry, vector, prov, add_counts=False)
                    created += new
                    merged += not new
            return created, merged

        return self.run(load, repeatable=False)  # its counts must say what it wrote

    def forget(self, learned_id: int) -> dict[str, Any] | None:
        """Remove one example; returns what was removed (None: no such id)."""
        found = self.run(
            lambda conn: conn.execute(
                f"DELETE FROM kb_learned WHERE id = %s RETURNING {row_select()}", (learned_id,)
            ).fetchone(),
            repeatable=False,
        )
        return row(found) if found is not None else None

    def entries(self) -> list[dict[str, Any]]:
        """Every example in `kb export`'s form."""
        rows = self.run(
            lambda conn: conn.execute(
                f"SELECT {row_select()} FROM kb_learned ORDER BY id"
            ).fetchall()
        )
        return [{k: example[k] for k in EXPORT_FIELDS} for example in map(row, rows)]

    def stats(self) -> dict[str, Any]:
        def count(conn: Any) -> tuple[Any, ...]:
            learned = conn.execute(
                "SELECT count(*), coalesce(sum(success_count), 0), count(DISTINCT contributor) "
                "FROM kb_learned"
            ).fetchone()
            events = conn.execute("SELECT count(*) FROM kb_events").fetchone()
            recipes = conn.execute("SELECT count(*) FROM kb_recipes").fetchone()
            return (*learned, *events, *recipes)

        learned, successes, contributors, events, recipes = self.run(count)
        return {
            "url": redact(self.url),
            "schema_version": self.version,
            "learned": int(learned),
            "successes": int(successes),
            "contributors": int(contributors),
            "events": int(events),
            "team_recipes": int(recipes),
        }


def _upsert(
    conn: Any,
    entry: LearnedEntry,
    vector: npt.NDArray[np.float32],
    prov: Provenance,
    *,
    add_counts: bool,
) -> tuple[int, bool]:
    """Insert one example or merge it into the same fix; returns (id, created).

    `add_counts`: a new success adds to the count (learn events); an import of
    the same example keeps the larger count, so importing twice changes nothing.
    """
    if not entry.code or not entry.message or entry.before == entry.after:
        raise ValueError("a learned example needs a code, a message and a change")
    count = (
        "kb_learned.success_count + EXCLUDED.success_count"
        if add_counts
        else "greatest(kb_learned.success_count, EXCLUDED.success_count)"
    )
    columns: tuple[str, ...] = (*STORED_FIELDS, "embedding", "contributor", "rustc", "edition")
    values: tuple[Any, ...] = (
        *stored_values(entry),
        np.asarray(vector, dtype=np.float32),
        prov.contributor,
        prov.rustc,
        prov.edition,
    )
    if entry.created_at:
        columns += ("created_at", "updated_at")
        values += (entry.created_at, entry.updated_at or entry.created_at)
    marks = ["%b::vector" if c == "embedding" else "%s" for c in columns]
    found = conn.execute(
        f"INSERT INTO kb_learned ({', '.join(columns)}) VALUES ({', '.join(marks)}) "
        f"ON CONFLICT (fingerprint) DO UPDATE SET success_count = {count}, "
        "updated_at = greatest(kb_learned.updated_at, EXCLUDED.updated_at) "
        "RETURNING id, (xmax = 0) AS created",
        values,
    ).fetchone()
    return int(found[0]), bool(found[1])
