"""One knowledge-base file: its documents, their FTS5 index and their vectors.

The shipped base and the per-user file are both a `KbStore`; hybrid search
(`kb/search.py`) queries each and fuses the rankings. Vectors live in the
sqlite-vec `vec0` table and, for speed, in a `VectorIndex` loaded once and
topped up when another process adds rows (learned examples).
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from rustcoder.kb import db
from rustcoder.kb.vector_index import VectorIndex

#: Words that match nearly every document: they cost time and add no ranking signal.
_STOP_TEXT = "a an the of in on to is are was be this that it its for with as by at or and but from"
STOPWORDS = frozenset(_STOP_TEXT.split())
MAX_QUERY_TERMS = 24
#: Keyword search uses the rarest few words, skipping those in more than this share of texts.
MAX_FTS_TERMS = 6
COMMON_FRACTION = 0.2
#: Up to this many texts (the shipped base has ~1,000) every query word is used.
SMALL_STORE = 5_000


@dataclass(frozen=True)
class DocInfo:
    id: int
    entry_kind: str
    entry_id: str
    codes: tuple[str, ...]


def fts_terms(text: str) -> list[str]:
    """Distinct lower-case words worth matching, in order of appearance."""
    seen: list[str] = []
    for word in re.findall(r"[A-Za-z0-9_]+", text.lower()):
        if word in STOPWORDS or len(word) < 2 or word in seen:
            continue
        seen.append(word)
    return seen[:MAX_QUERY_TERMS]


class KbStore:
    """A connection to one KB file plus its in-memory vector index."""

    def __init__(self, conn: Any, path: Path) -> None:
        self.conn = conn
        self.path = path
        self.index = VectorIndex()
        self._codes_by_row: dict[str, list[int]] = {}
        #: Index rows of each entry kind, for searches within one kind (templates).
        self._kinds_by_row: dict[str, list[int]] = {}
        self._lock = threading.RLock()
        self._loaded = False
        self._df: dict[str, int] = {}
        self._vocab_ready = False
        self._count: int | None = None
        self._count_at = -1

    @classmethod
    def open(cls, path: Path, *, create: bool = False, readonly: bool = False) -> KbStore:
        return cls(db.connect(path, create=create, readonly=readonly), path)

    def close(self) -> None:
        self.conn.close()

    # --- writing -----------------------------------------------------------

    def add_doc(
        self,
        entry_kind: str,
        entry_id: str,
        codes: tuple[str, ...],
        text: str,
        vector: npt.NDArray[np.float32],
    ) -> int:
        """Insert one searchable text (inside the caller's transaction)."""
        code_text = " ".join(codes)
        cur = self.conn.execute(
            "INSERT INTO docs (entry_kind, entry_id, codes, text) VALUES (?, ?, ?, ?)",
            (entry_kind, entry_id, code_text, text),
        )
        doc_id = int(cur.lastrowid)
        self.conn.execute(
            "INSERT INTO docs_fts (rowid, text) VALUES (?, ?)", (doc_id, f"{code_text} {text}")
        )
        self.conn.execute(
            "INSERT INTO docs_vec (rowid, embedding) VALUES (?, ?)",
            (doc_id, np.asarray(vector, dtype=np.float32).tobytes()),
        )
        return doc_id

    # --- reading -----------------------------------------------------------

    def refresh(self) -> None:
        """Load vectors added since the last call (by this or another process)."""
        with self._lock:
            start = self.index.max_id
            rows = self.conn.execute(
                "SELECT id, codes, entry_kind FROM docs WHERE id > ? ORDER BY id", (start,)
            ).fetchall()
            if not rows:
                self._loaded = True
                return
            if not self._loaded and start == 0:
                vec_rows = self.conn.execute("SELECT rowid, embedding FROM docs_vec").fetchall()
                vectors = {int(r[0]): r[1] for r in vec_rows}
            else:
                vectors = {}
                for doc_id, _, _ in rows:
                    got = self.conn.execute(
                        "SELECT embedding FROM docs_vec WHERE rowid = ?", (doc_id,)
                    ).fetchone()
                    if got is not None:
                        vectors[int(doc_id)] = got[0]
            ids = [int(r[0]) for r in rows if int(r[0]) in vectors]
            base = len(self.index)
            matrix = np.frombuffer(b"".join(vectors[i] for i in ids), dtype=np.float32)
            self.index.add(ids, matrix)
            codes_of = {int(r[0]): str(r[1]) for r in rows}
            kind_of = {int(r[0]): str(r[2]) for r in rows}
            for pos, doc_id in enumerate(ids, start=base):
                for code in codes_of[doc_id].split():
                    self._codes_by_row.setdefault(code, []).append(pos)
                self._kinds_by_row.setdefault(kind_of[doc_id], []).append(pos)
            self._loaded = True

    @property
    def size(self) -> int:
        """Indexed texts (loading the index if needed)."""
        self.refresh()
        return len(self.index)

    def knn(
        self,
        vector: npt.NDArray[np.float32],
        limit: int,
        code: str | None = None,
        kind: str | None = None,
    ) -> list[tuple[int, float]]:
        """(doc id, cosine similarity) of the nearest documents (of `code`, or of the entry
        kind `kind`), best first."""
        self.refresh()
        rows = None
        if code is not None:
            rows = np.asarray(self._codes_by_row.get(code, []), dtype=np.int64)
        elif kind is not None:
            rows = np.asarray(self._kinds_by_row.get(kind, []), dtype=np.int64)
        ids, sims = self.index.search(vector, limit, rows)
        return [(int(i), float(s)) for i, s in zip(ids, sims, strict=True)]

    def knn_vec0(self, vector: npt.NDArray[np.float32], limit: int) -> list[tuple[int, float]]:
        """The same query answered by sqlite-vec itself (cosine = 1 - L2²/2 for unit vectors)."""
        rows = self.conn.execute(
            "SELECT rowid, distance FROM docs_vec WHERE embedding MATCH ? AND k = ? "
            "ORDER BY distance",
            (np.asarray(vector, dtype=np.float32).tobytes(), limit),
        ).fetchall()
        return [(int(r[0]), 1.0 - float(r[1]) ** 2 / 2.0) for r in rows]

    def _doc_freq(self, terms: list[str]) -> dict[str, int]:
        """How many documents hold each term (cached; read from an fts5vocab view)."""
        missing = [t for t in terms if t not in self._df]
        if missing:
            if not self._vocab_ready:
                self.conn.execute(
                    "CREATE VIRTUAL TABLE IF NOT EXISTS temp.docs_vocab "
                    "USING fts5vocab(main, docs_fts, row)"
                )
                self._vocab_ready = True
            for term in missing:
                row = self.conn.execute(
                    "SELECT doc FROM temp.docs_vocab WHERE term = ?", (term,)
                ).fetchone()
                self._df[term] = int(row[0]) if row else 0
        return {t: self._df[t] for t in terms}

    def selective_terms(self, text: str) -> list[str]:
        """The query's words that narrow the search: known, and not in most documents.

        Ranking every document that shares a common word is what makes BM25 slow
        on a large base; the rarest few words carry the ranking anyway.
        """
        terms = fts_terms(text)
        if not terms:
            return []
        total = max(1, self._doc_count())
        if total <= SMALL_STORE:
            return terms  # cheap either way: keep every word's signal
        df = self._doc_freq(terms)
        known = sorted((t for t in terms if df[t] > 0), key=lambda t: df[t])
        selective = [t for t in known if df[t] <= COMMON_FRACTION * total]
        return (selective or known)[:MAX_FTS_TERMS]

    def _doc_count(self) -> int:
        if self._count is None or self.index.max_id != self._count_at:
            self._count = self.count("docs")
            self._count_at = self.index.max_id
            self._df.clear()  # documents were added: frequencies moved
        return self._count

    def fts(
        self, text: str, limit: int, code: str | None = None, kind: str | None = None
    ) -> list[tuple[int, float]]:
        """(doc id, BM25 score, higher is better) of the best keyword matches (of `code`,
        or of the entry kind `kind`)."""
        terms = self.selective_terms(text)
        if not terms:
            return []
        query = " OR ".join(f'"{t}"' for t in terms)
        if code is not None:
            query = f'"{code.lower()}" AND ({query})'
        if kind is not None:
            rows = self.conn.execute(
                "SELECT docs_fts.rowid, bm25(docs_fts) AS s FROM docs_fts "
                "JOIN docs ON docs.id = docs_fts.rowid "
                "WHERE docs_fts MATCH ? AND docs.entry_kind = ? ORDER BY s LIMIT ?",
                (query, kind, limit),
            ).fetchall()
            return [(int(r[0]), -float(r[1])) for r in rows]
        rows = self.conn.execute(
            "SELECT rowid, bm25(docs_fts) AS s FROM docs_fts WHERE docs_fts MATCH ? "
            "ORDER BY s LIMIT ?",
            (query, limit),
        ).fetchall()
        return [(int(r[0]), -float(r[1])) for r in rows]

    def doc_info(self, ids: list[int]) -> dict[int, DocInfo]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.conn.execute(
            f"SELECT id, entry_kind, entry_id, codes FROM docs WHERE id IN ({marks})", ids
        ).fetchall()
        return {
            int(r[0]): DocInfo(int(r[0]), str(r[1]), str(r[2]), tuple(str(r[3]).split()))
            for r in rows
        }

    def meta(self) -> dict[str, str]:
        return {str(k): str(v) for k, v in self.conn.execute("SELECT key, value FROM meta")}

    def count(self, table: str) -> int:
        assert table in {"error_codes", "recipes", "learned", "docs", "templates"}
        return int(self.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
