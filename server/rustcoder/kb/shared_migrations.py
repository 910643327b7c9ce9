"""Versioned schema of the shared PostgreSQL base: numbered SQL files, applied at start.

Every server that opens the shared base brings it up to the newest version it
knows, each version in its own transaction under an advisory lock, so replicas
starting together apply each file once. A base whose version is newer than
this rustcoder knows is refused with a message that says to upgrade: an old
server must never write rows a newer schema does not expect.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

#: pg_advisory_xact_lock key: "rustcoder" folded into a bigint.
LOCK_KEY = 0x72757374636F6472
_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


class SharedSchemaError(RuntimeError):
    """The shared base's schema is newer than this server (or unreadable)."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """The shipped migrations in version order (1, 2, …, with no gaps)."""
    folder = resources.files("rustcoder.kb") / "migrations_pg"
    found: list[Migration] = []
    for entry in folder.iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text("utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise SharedSchemaError(f"migrations are not numbered 1..n: {[m.name for m in found]}")
    return found


def latest_version() -> int:
    return len(migrations())


def current_version(conn: Any) -> int:
    """The version the database is at (0: a database rustcoder never used)."""
    exists = conn.execute("SELECT to_regclass('rustcoder_schema') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    row = conn.execute("SELECT coalesce(max(version), 0) FROM rustcoder_schema").fetchone()
    return int(row[0])


def migrate(conn: Any, target: int | None = None, where: str = "the shared base") -> int:
    """Bring the database to `target` (default: newest); returns the version it is at.

    `conn` must be in autocommit mode: each version is its own transaction.
    """
    known = migrations()
    target = len(known) if target is None else target
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS rustcoder_schema ("
            "version integer PRIMARY KEY, name text NOT NULL, "
            "applied_at timestamptz NOT NULL DEFAULT now())"
        )
    version = current_version(conn)
    if version > len(known):
        raise SharedSchemaError(
            f"{where} has schema version {version}, newer than this rustcoder understands "
            f"({len(known)}); upgrade rustcoder on this machine (the shared base is left as it is)"
        )
    for migration in known[version:target]:
        with conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_KEY,))
            if current_version(conn) >= migration.version:
                continue  # another replica applied it while we waited for the lock
            conn.execute(migration.sql)
            conn.execute(
                "INSERT INTO rustcoder_schema (version, name) VALUES (%s, %s)",
                (migration.version, migration.name),
            )
    return max(version, min(target, len(known)))
