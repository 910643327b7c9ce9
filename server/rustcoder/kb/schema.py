"""The knowledge-base schema and its migrations, versioned by `PRAGMA user_version`.

One schema serves the shipped base (error codes, recipes, project templates) and the per-user
file (learned examples): each `docs` row is one searchable text of an entry,
indexed by FTS5 (`docs_fts`, same rowid) and by sqlite-vec (`docs_vec`, same
rowid). A migration only ever moves forward; a file from a newer rustcoder is
refused by `db.connect`.
"""

from __future__ import annotations

from typing import Any

from rustcoder.models.embedder import DIM

MIGRATIONS: list[list[str]] = [
    # version 1
    [
        "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE error_codes (
            code TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            explanation TEXT NOT NULL,
            erroneous TEXT NOT NULL,  -- JSON list of code blocks
            corrected TEXT NOT NULL,  -- JSON list of code blocks
            emitted INTEGER NOT NULL  -- 0: no longer emitted by the compiler
        )""",
        """CREATE TABLE recipes (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL,
            codes TEXT NOT NULL,  -- JSON list: code and extra codes
            pattern TEXT NOT NULL,
            kind TEXT NOT NULL,
            params TEXT NOT NULL,  -- JSON object: the structured edit's parameters
            title TEXT NOT NULL,
            explanation TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            example_messages TEXT NOT NULL,  -- JSON list: what rustc says on `before`
            source_file TEXT NOT NULL
        )""",
        """CREATE TABLE learned (
            id INTEGER PRIMARY KEY,
            fingerprint TEXT NOT NULL UNIQUE,
            code TEXT NOT NULL,
            message TEXT NOT NULL,
            normalized TEXT NOT NULL,
            before TEXT NOT NULL,
            after TEXT NOT NULL,
            diff TEXT NOT NULL,
            source TEXT NOT NULL,
            title TEXT NOT NULL,
            success_count INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )""",
        """CREATE TABLE docs (
            id INTEGER PRIMARY KEY,
            entry_kind TEXT NOT NULL,  -- code | recipe | learned | template
            entry_id TEXT NOT NULL,
            codes TEXT NOT NULL,  -- space-separated error codes of the entry
            text TEXT NOT NULL
        )""",
        "CREATE INDEX docs_entry ON docs (entry_kind, entry_id)",
        "CREATE VIRTUAL TABLE docs_fts USING fts5(text, content='docs', content_rowid='id')",
        f"CREATE VIRTUAL TABLE docs_vec USING vec0(embedding float[{DIM}])",
    ],
    # version 2: project templates for generation, found by the same hybrid search
    [
        """CREATE TABLE templates (
            name TEXT PRIMARY KEY,
            description TEXT NOT NULL,
            tags TEXT NOT NULL,  -- JSON list
            files TEXT NOT NULL  -- JSON object: path -> text
        )""",
    ],
    # version 3: the toolchain's documentation (books, Reference, std API), see rustcoder.docs
    [
        """CREATE TABLE doc_passages (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,  -- book | rust-by-example | reference | cargo | error_codes | std
            title TEXT NOT NULL,
            path TEXT NOT NULL,  -- page under the toolchain's share/doc/rust/html
            anchor TEXT NOT NULL,
            item TEXT NOT NULL,  -- API passages: the item path, e.g. std::fs::File::open
            leaf TEXT NOT NULL,  -- its last segment, for lookups by name
            signature TEXT NOT NULL,
            text TEXT NOT NULL
        )""",
        "CREATE INDEX doc_passages_leaf ON doc_passages (leaf)",
        "CREATE VIRTUAL TABLE doc_passages_fts USING fts5(title, text, "
        "content='doc_passages', content_rowid='id', tokenize='porter unicode61')",
    ],
]

SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: Any, current: int) -> None:
    """Apply every migration after `current` (inside the caller's transaction)."""
    for version in range(current, SCHEMA_VERSION):
        for statement in MIGRATIONS[version]:
            conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {version + 1}")
