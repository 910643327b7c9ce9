"""Learning: fixes that made an error disappear become searchable examples.

Each example is fingerprinted by its error (code + normalised message) and by
the lines the fix changed, so seeing the same fix again only raises its
success count. Writes run in `BEGIN IMMEDIATE` transactions on a WAL file
with a busy timeout, so several editors (processes) can learn at once without
losing an example.
"""

from __future__ import annotations

import difflib
import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from rustcoder.kb import db
from rustcoder.kb.normalize import normalize_message
from rustcoder.kb.store import KbStore
from rustcoder.models.embedder import Embedder

SOURCES = ("applied", "user", "manual", "import", "api")
#: The columns a learned example is stored with, locally and in the shared base.
STORED_FIELDS = (
    "fingerprint",
    "code",
    "message",
    "normalized",
    "before",
    "after",
    "diff",
    "source",
    "title",
    "success_count",
)
#: A learned example as `kb export` writes it (and the shared base exports it).
EXPORT_FIELDS = (
    *(f for f in STORED_FIELDS if f != "normalized"),
    "created_at",
    "updated_at",
)
#: A learned example as search reads it (from the user file or the shared base).
ROW_FIELDS = ("id", *STORED_FIELDS, "created_at", "updated_at")


@dataclass(frozen=True)
class LearnedEntry:
    code: str
    message: str
    before: str
    after: str
    source: str = "user"
    title: str = ""
    success_count: int = 1
    created_at: str = ""
    updated_at: str = ""


def unified_hunk(before: str, after: str) -> str:
    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            "before",
            "after",
            n=1,
        )
    )


def fingerprint(code: str, message: str, before: str, after: str) -> str:
    """Same error, same changed lines: the same learned fix (context lines ignored)."""
    changed = [
        line[0] + line[1:].strip()
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), n=0)
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ]
    payload = "\0".join([code, normalize_message(message), *changed])
    return hashlib.sha256(payload.encode()).hexdigest()


def stored_values(entry: LearnedEntry) -> tuple[str | int, ...]:
    """`entry`'s values for `STORED_FIELDS` (what is derived from it computed once, here)."""
    return (
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
    )


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class LearningStore:
    """The per-user learned examples (a KB file holding only `learned` entries)."""

    def __init__(self, store: KbStore, embedder: Embedder) -> None:
        self.store = store
        self.embedder = embedder

    @classmethod
    def open(cls, path: Path, embedder: Embedder) -> LearningStore:
        return cls(KbStore.open(path, create=True), embedder)

    def record(
        self,
        entry: LearnedEntry,
        merge: str = "add",
        vector: npt.NDArray[np.float32] | None = None,
    ) -> tuple[int, bool]:
        """Store `entry`; returns (id, created). An existing one gets its count raised.

        `merge="add"` adds the entry's count (a fix seen again); `"max"` keeps
        the larger count (importing the same export twice changes nothing).
        """
        return self.record_many([entry], merge, None if vector is None else [vector])[0]

    def record_many(
        self,
        entries: list[LearnedEntry],
        merge: str = "add",
        vectors: list[npt.NDArray[np.float32]] | None = None,
    ) -> list[tuple[int, bool]]:
        """Store all entries in one transaction: all of them or, on any error, none."""
        for entry in entries:
            if not entry.code or not entry.message:
                raise ValueError("a learned example needs an error code and a message")
            if entry.before == entry.after:
                raise ValueError("a learned example needs a change (before == after)")
        normalized = [normalize_message(e.message) for e in entries]
        if vectors is None:  # before the lock: embedding is the slow part
            vectors = [self.embedder.embed_one(text) for text in normalized]
        now = _now()
        with db.transaction(self.store.conn):
            return [
                self._write(entry, norm, vector, merge, now)
                for entry, norm, vector in zip(entries, normalized, vectors, strict=True)
            ]

    def _write(
        self, entry: LearnedEntry, normalized: str, vector: Any, merge: str, now: str
    ) -> tuple[int, bool]:
        """One entry, inside the caller's transaction."""
        conn = self.store.conn
        fp = fingerprint(entry.code, entry.message, entry.before, entry.after)
        row = conn.execute(
            "SELECT id, success_count FROM learned WHERE fingerprint = ?", (fp,)
        ).fetchone()
        if row is not None:
            count = int(row[1])
            new_count = (
                count + entry.success_count if merge == "add" else max(count, entry.success_count)
            )
            conn.execute(
                "UPDATE learned SET success_count = ?, updated_at = ? WHERE id = ?",
                (new_count, entry.updated_at or now, row[0]),
            )
            return int(row[0]), False
        cur = conn.execute(
            f"INSERT INTO learned ({', '.join(STORED_FIELDS)}, created_at, updated_at) "
            f"VALUES ({', '.join('?' * (len(STORED_FIELDS) + 2))})",
            (*stored_values(entry), entry.created_at or now, entry.updated_at or now),
        )
        learned_id = int(cur.lastrowid)
        self.store.add_doc("learned", str(learned_id), (entry.code,), normalized, vector)
        return learned_id, True

    def entries(self) -> list[dict[str, Any]]:
        rows = self.store.conn.execute(
            f"SELECT {', '.join(EXPORT_FIELDS)} FROM learned ORDER BY id"
        ).fetchall()
        return [dict(zip(EXPORT_FIELDS, row, strict=True)) for row in rows]

    def forget(self, learned_id: int) -> dict[str, Any] | None:
        """Remove one example and its searchable text; returns it (None: no such id)."""
        conn = self.store.conn
        with db.transaction(conn):
            row = conn.execute(
                "SELECT code, message FROM learned WHERE id = ?", (learned_id,)
            ).fetchone()
            if row is None:
                return None
            for doc_id, codes, text in conn.execute(
                "SELECT id, codes, text FROM docs WHERE entry_kind = 'learned' AND entry_id = ?",
                (str(learned_id),),
            ).fetchall():
                # docs_fts is an external-content index: a row leaves it by a 'delete' insert
                conn.execute(
                    "INSERT INTO docs_fts (docs_fts, rowid, text) VALUES ('delete', ?, ?)",
                    (doc_id, f"{codes} {text}"),
                )
                conn.execute("DELETE FROM docs_vec WHERE rowid = ?", (doc_id,))
                conn.execute("DELETE FROM docs WHERE id = ?", (doc_id,))
            conn.execute("DELETE FROM learned WHERE id = ?", (learned_id,))
        return {"code": row[0], "message": row[1]}

    def close(self) -> None:
        self.store.close()
