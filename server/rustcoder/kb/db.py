"""Opening knowledge-base files: an SQLite that loads sqlite-vec, WAL, clear faults.

The stdlib `sqlite3` of some Python builds cannot load extensions, so
`pysqlite3` (a wheel with a recent SQLite and FTS5) is used when installed and
the stdlib module otherwise, if it can load extensions. Every way a file can
be unusable (not SQLite, truncated, from a newer rustcoder, locked) becomes a
`KbError` whose message says what to do, so callers show it and carry on.
"""

from __future__ import annotations

import contextlib
import sqlite3 as _stdlib_sqlite3
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from rustcoder.kb.schema import SCHEMA_VERSION, migrate

REBUILD_HINT = "rebuild it with `rustcoder kb build`"
BUSY_TIMEOUT_MS = 15_000


class KbError(RuntimeError):
    """A knowledge base that cannot be used; the message says why and what to do."""


class KbCorruptError(KbError):
    pass


class KbSchemaError(KbError):
    pass


def _sqlite_module() -> ModuleType:
    try:
        from pysqlite3 import dbapi2

        return dbapi2
    except ImportError:
        return _stdlib_sqlite3


sqlite: Any = _sqlite_module()

#: Exceptions raised by whichever SQLite module is in use (plus the stdlib's).
DatabaseError: tuple[type[Exception], ...] = (sqlite.DatabaseError, _stdlib_sqlite3.DatabaseError)


def _load_vec(conn: Any) -> None:
    try:
        import sqlite_vec
    except ImportError as exc:
        raise KbError("the sqlite-vec package is missing: pip install sqlite-vec") from exc
    if not hasattr(conn, "enable_load_extension"):
        raise KbError("this Python's sqlite3 cannot load extensions; install pysqlite3-binary")
    conn.enable_load_extension(True)
    try:
        sqlite_vec.load(conn)
    finally:
        conn.enable_load_extension(False)


def connect(path: Path | str, *, create: bool = False, readonly: bool = False) -> Any:
    """A connection with sqlite-vec loaded and the schema checked (or created).

    `create`: make the file (and migrate it) when missing; otherwise a missing
    file is a `KbError`. `readonly` opens without write access (the shipped base).
    """
    target = Path(path)
    if not create and not target.is_file():
        raise KbError(f"knowledge base {target} does not exist; {REBUILD_HINT}")
    if create:
        target.parent.mkdir(parents=True, exist_ok=True)
    uri = f"{target.resolve().as_uri()}?mode={'ro' if readonly else 'rwc'}"
    try:
        conn = sqlite.connect(
            uri, uri=True, timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False
        )
    except DatabaseError as exc:
        raise KbError(f"cannot open knowledge base {target}: {exc}") from exc
    conn.isolation_level = None  # autocommit: transactions are explicit (`transaction`)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        _load_vec(conn)
        version = _user_version(conn, target)
        if version > SCHEMA_VERSION:
            raise KbSchemaError(
                f"knowledge base {target} has schema version {version}, newer than this "
                f"rustcoder understands ({SCHEMA_VERSION}); upgrade rustcoder or {REBUILD_HINT}"
            )
        if not readonly:
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
        if version < SCHEMA_VERSION:
            if readonly:
                raise KbSchemaError(
                    f"knowledge base {target} has old schema version {version}; {REBUILD_HINT}"
                )
            if version == 0 and not create and _has_tables(conn):
                raise KbCorruptError(f"{target} is not a rustcoder knowledge base; {REBUILD_HINT}")
            with transaction(conn):
                # Read again under the write lock: another process may have just created it.
                migrate(conn, _user_version(conn, target))
        _check_integrity(conn, target)
    except DatabaseError as exc:
        conn.close()
        raise KbCorruptError(
            f"knowledge base {target} is corrupt or unreadable ({exc}); {REBUILD_HINT}"
        ) from exc
    except KbError:
        conn.close()
        raise
    return conn


def _user_version(conn: Any, target: Path) -> int:
    row = conn.execute("PRAGMA user_version").fetchone()
    return int(row[0])


def _has_tables(conn: Any) -> bool:
    return conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] > 0


def _check_integrity(conn: Any, target: Path) -> None:
    """Catch truncated or damaged files now rather than halfway through a search."""
    row = conn.execute("PRAGMA quick_check(1)").fetchone()
    if row is None or row[0] != "ok":
        raise KbCorruptError(
            f"knowledge base {target} is corrupt ({row[0] if row else 'no answer'}); {REBUILD_HINT}"
        )
    present = {str(r[0]) for r in conn.execute("SELECT name FROM sqlite_master")}
    missing = sorted(expected_tables() - present)
    if missing:
        raise KbCorruptError(
            f"knowledge base {target} is damaged (missing table {', '.join(missing)}); "
            f"{REBUILD_HINT}"
        )
    conn.execute("SELECT count(*) FROM docs").fetchone()


def expected_tables() -> set[str]:
    """Every table the current schema creates: a file lacking one is damaged."""
    import re

    from rustcoder.kb.schema import MIGRATIONS

    pattern = re.compile(r"^\s*CREATE (?:VIRTUAL )?TABLE (\w+)", re.IGNORECASE)
    return {m.group(1) for step in MIGRATIONS for sql in step if (m := pattern.match(sql))}


@contextlib.contextmanager
def transaction(conn: Any) -> Iterator[Any]:
    """BEGIN IMMEDIATE … COMMIT: writers queue on the busy timeout instead of failing."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
