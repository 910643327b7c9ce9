"""Learn events on their way to the shared base, kept in the local learned file first.

A learned fix is written to the outbox (a table in the per-user SQLite file)
before anything is sent, so a shared base that is down, slow or restarting
loses nothing: a sender thread sends the queue when the base answers and
deletes each event only after the base acknowledged it. An acknowledgement
lost to a crash means the event is sent again, which the base ignores (its
key is recorded with the example), so nothing is counted twice either.
"""

from __future__ import annotations

import base64
import json
import logging
import threading
from pathlib import Path
from typing import Any

import numpy as np

from rustcoder.kb import db
from rustcoder.kb.learn import LearnedEntry, _now
from rustcoder.kb.provenance import Provenance
from rustcoder.kb.shared_pg import LearnEvent, SharedKb, SharedUnavailable
from rustcoder.models.embedder import DIM

log = logging.getLogger(__name__)

BATCH = 50
RETRY_S = 1.0
RETRY_MAX_S = 30.0

_TABLE = """CREATE TABLE IF NOT EXISTS shared_outbox (
    event_key TEXT PRIMARY KEY,
    payload TEXT NOT NULL,
    queued_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    broken TEXT  -- why it is kept aside (unreadable, or refused by the base): never retried
)"""


def encode(event: LearnEvent) -> str:
    entry = event.entry
    return json.dumps(
        {
            "entry": {
                "code": entry.code,
                "message": entry.message,
                "before": entry.before,
                "after": entry.after,
                "source": entry.source,
                "title": entry.title,
                "success_count": entry.success_count,
                "created_at": entry.created_at,
                "updated_at": entry.updated_at,
            },
            "vector": base64.b64encode(np.asarray(event.vector, np.float32).tobytes()).decode(),
            "provenance": event.provenance.__dict__,
        },
        ensure_ascii=False,
    )


def decode(key: str, payload: str) -> LearnEvent:
    raw = json.loads(payload)
    vector = np.frombuffer(base64.b64decode(raw["vector"]), dtype=np.float32)
    if vector.shape != (DIM,):
        raise ValueError(f"vector of {vector.shape[0]} numbers, expected {DIM}")
    return LearnEvent(
        entry=LearnedEntry(**raw["entry"]),
        vector=vector,
        provenance=Provenance(**raw["provenance"]),
        key=key,
    )


class Outbox:
    """The queue table plus the thread that empties it into the shared base."""

    def __init__(self, path: Path, shared: SharedKb) -> None:
        self.path = path
        self.shared = shared
        self.conn = db.connect(path, create=True)
        self.conn.execute(_TABLE)
        self._db_lock = threading.Lock()
        self._flush_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # --- the queue ---------------------------------------------------------------

    def put(self, event: LearnEvent) -> None:
        """Queue `event` durably (the same key twice is queued once) and wake the sender."""
        with self._db_lock:
            self.conn.execute(
                "INSERT OR IGNORE INTO shared_outbox (event_key, payload, queued_at) "
                "VALUES (?, ?, ?)",
                (event.key, encode(event), _now()),
            )
        self._wake.set()

    def pending(self) -> int:
        with self._db_lock:
            row = self.conn.execute(
                "SELECT count(*) FROM shared_outbox WHERE broken IS NULL"
            ).fetchone()
        return int(row[0])

    def _batch(self) -> list[LearnEvent]:
        with self._db_lock:
            rows = self.conn.execute(
                "SELECT event_key, payload FROM shared_outbox WHERE broken IS NULL "
                "ORDER BY queued_at, rowid LIMIT ?",
                (BATCH,),
            ).fetchall()
        events = []
        for key, payload in rows:
            try:
                events.append(decode(str(key), str(payload)))
            except (ValueError, KeyError, TypeError) as exc:
                log.error("queued learn event %s is unreadable, kept aside: %s", key, exc)
                self._set_aside({str(key): f"unreadable: {exc}"})
        return events

    def _set_aside(self, why: dict[str, str]) -> None:
        """Keep these events in the outbox for a person to look at, never sent again."""
        with self._db_lock, db.transaction(self.conn):
            self.conn.executemany(
                "UPDATE shared_outbox SET broken = ? WHERE event_key = ?",
                [(reason, key) for key, reason in why.items()],
            )

    def flush(self) -> int:
        """Send everything queued; returns how many were acknowledged.

        Raises `SharedUnavailable` when the base cannot take them now (they stay queued).
        """
        sent = 0
        with self._flush_lock:
            while True:
                events = self._batch()
                if not events:
                    return sent
                try:
                    done, refused = self.shared.apply(events)
                except SharedUnavailable:
                    with self._db_lock:
                        self.conn.executemany(
                            "UPDATE shared_outbox SET attempts = attempts + 1 WHERE event_key = ?",
                            [(e.key,) for e in events],
                        )
                    raise
                with self._db_lock, db.transaction(self.conn):
                    self.conn.executemany(
                        "DELETE FROM shared_outbox WHERE event_key = ?", [(k,) for k in done]
                    )
                if refused:
                    self._set_aside(
                        {k: f"refused by the shared base: {r}" for k, r in refused.items()}
                    )
                sent += len(done)

    # --- the sender thread ---------------------------------------------------

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="rustcoder-shared-kb-sender", daemon=True
            )
            self._thread.start()
            self.shared.probed_elsewhere = True
            self.shared.on_failure = self._wake.set
            self._wake.set()  # send what earlier runs left queued

    def _run(self) -> None:
        """Send when woken (a new event) or when the base's back-off ends; idle otherwise."""
        delay = 0.0
        while not self._stop.is_set():
            self._wake.wait(delay if delay > 0 else None)
            self._wake.clear()
            if self._stop.is_set() or self.shared.refused is not None:
                return
            wait = self.shared.down_for()
            if wait > 0:
                delay = wait  # a put during an outage: try when the back-off ends
                continue
            try:
                down = self.shared.last_error is not None
                if down and self.pending() == 0 and not self.shared.probe():
                    raise SharedUnavailable(str(self.shared.last_error))
                self.flush()
                delay = 0.0
            except SharedUnavailable as exc:
                delay = max(self.shared.down_for(), RETRY_S)
                log.info("learn events stay queued: %s", exc)
            except Exception:  # the thread must survive anything a send throws
                log.exception("sending learn events failed")
                delay = RETRY_MAX_S

    def kept_aside(self) -> int:
        with self._db_lock:
            row = self.conn.execute(
                "SELECT count(*) FROM shared_outbox WHERE broken IS NOT NULL"
            ).fetchone()
        return int(row[0])

    def status(self) -> dict[str, Any]:
        return {"queued": self.pending(), "kept_aside": self.kept_aside(), "outbox": str(self.path)}

    def close(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
        self.conn.close()
