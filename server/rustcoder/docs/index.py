"""Writing passages into the knowledge base, and reading them back by keyword or by name.

Passages sit in `doc_passages` with an FTS5 index (Porter-stemmed, so "borrowing"
finds "borrow") over their title and text. Titles weigh most: a section called
"Shared-State Concurrency" answers "share state between threads" better than a
page that mentions threads in passing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rustcoder.docs.passages import Passage
from rustcoder.kb.db import DatabaseError

TITLE_WEIGHT = 10.0
#: Words that say nothing about the topic of a learn-Rust question.
STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "can",
        "could",
        "do",
        "does",
        "for",
        "from",
        "how",
        "i",
        "in",
        "into",
        "is",
        "it",
        "its",
        "me",
        "mean",
        "means",
        "my",
        "of",
        "on",
        "or",
        "so",
        "that",
        "the",
        "their",
        "them",
        "there",
        "this",
        "to",
        "use",
        "using",
        "what",
        "when",
        "where",
        "which",
        "why",
        "with",
        "without",
        "we",
        "you",
        "your",
        "own",
        "same",
        "should",
        "would",
        "between",
        "instead",
    ]
)


@dataclass(frozen=True)
class DocHit:
    passage: Passage
    score: float

    def url(self, html_root: Path | None) -> str:
        """A link a reader can open: the local file and anchor when the docs are installed."""
        if html_root is None:
            return self.passage.link
        return (html_root / self.passage.path).as_uri() + (
            f"#{self.passage.anchor}" if self.passage.anchor else ""
        )


def write_passages(conn: Any, passages: Iterable[Passage]) -> int:
    """Store passages (inside the caller's transaction); returns how many."""
    rows = [
        (
            p.source,
            p.title,
            p.path,
            p.anchor,
            p.item,
            p.item.rsplit("::", 1)[-1],
            p.signature,
            p.text,
        )
        for p in passages
    ]
    conn.executemany(
        "INSERT INTO doc_passages (source, title, path, anchor, item, leaf, signature, text) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    conn.execute("INSERT INTO doc_passages_fts (doc_passages_fts) VALUES ('rebuild')")
    return len(rows)


def query_terms(question: str) -> list[str]:
    """The question's topic words, in order, without duplicates."""
    words = re.findall(r"[A-Za-z_][A-Za-z0-9_]*|\d+", question.lower())
    return list(dict.fromkeys(w for w in words if w not in STOPWORDS and len(w) > 1))


class DocIndex:
    """Read access to the passages of one knowledge-base connection."""

    def __init__(self, conn: Any) -> None:
        self.conn = conn

    def count(self) -> int:
        try:
            return int(self.conn.execute("SELECT count(*) FROM doc_passages").fetchone()[0])
        except DatabaseError:  # a base built before docs were indexed
            return 0

    def search(self, question: str, limit: int = 5, sources: Iterable[str] = ()) -> list[DocHit]:
        """BM25 over titles and texts; any topic word may match, more matches rank higher."""
        terms = query_terms(question)
        if not terms:
            return []
        match = " OR ".join(f'"{t}"' for t in terms)
        wanted = list(sources)
        where = f" AND p.source IN ({','.join('?' * len(wanted))})" if wanted else ""
        rows = self.conn.execute(
            "SELECT p.source, p.title, p.path, p.anchor, p.text, p.item, p.signature, "
            f"bm25(doc_passages_fts, {TITLE_WEIGHT}, 1.0) AS rank "
            "FROM doc_passages_fts JOIN doc_passages p ON p.id = doc_passages_fts.rowid "
            f"WHERE doc_passages_fts MATCH ?{where} ORDER BY rank LIMIT ?",
            (match, *wanted, limit),
        ).fetchall()
        return [DocHit(_passage(r), -float(r[7])) for r in rows]

    def lookup(self, name: str, limit: int = 5) -> list[Passage]:
        """API passages whose item path ends with `name` (`open`, `File::open`, full paths)."""
        leaf = name.rsplit("::", 1)[-1]
        rows = self.conn.execute(
            "SELECT source, title, path, anchor, text, item, signature FROM doc_passages "
            "WHERE leaf = ? AND item != '' ORDER BY length(item), item LIMIT 200",
            (leaf,),
        ).fetchall()
        suffix = "::" + name.lstrip(":")
        found = [_passage(r) for r in rows if r[5] == name or r[5].endswith(suffix)]
        return found[:limit]


def _passage(row: Any) -> Passage:
    return Passage(
        source=row[0],
        title=row[1],
        path=row[2],
        anchor=row[3],
        text=row[4],
        item=row[5],
        signature=row[6],
    )
