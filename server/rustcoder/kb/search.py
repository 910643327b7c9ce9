"""Hybrid search: FTS5 BM25 and vector KNN fused by reciprocal rank.

Each store (the shipped base, the user's learned file) answers a keyword and a
vector query over the normalised message; when the query has an error code,
two more lists restricted to that code are added (or used alone with
`filter_code`). A shared PostgreSQL base (`kb/shared_pg.py`) answers the same
lists in its own SQL and takes part as one more origin, "shared". Ranks are
fused per entry with reciprocal-rank fusion, then entries of the query's code
are boosted, and learned examples are boosted by how often they worked (and
strongly when they are the very same error).
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from concurrent.futures import TimeoutError as NoAnswerYet
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from rustcoder.kb.learn import ROW_FIELDS
from rustcoder.kb.normalize import find_code, normalize_message
from rustcoder.kb.rustc_explain import explanation_excerpt
from rustcoder.kb.shared_conn import SEARCH_WAIT_S
from rustcoder.kb.shared_pg import SharedKb
from rustcoder.kb.shared_search import Ranked
from rustcoder.kb.store import DocInfo, KbStore
from rustcoder.models.embedder import Embedder

RRF_K = 10
LIST_LIMIT = 40
CODE_BOOST = 1.5
SAME_ERROR_BOOST = 2.0
#: Texts above which a query with a code skips the global keyword list.
LARGE_STORE = 5_000
#: Entry kinds only a search within that kind returns (templates are not answers to errors).
SEPARATE_KINDS = frozenset({"template"})
LEARNED_COLUMNS = ROW_FIELDS
#: Who learned a shared example: shown with its hits.
PROVENANCE = ("contributor", "rustc", "edition")


@dataclass(frozen=True)
class SearchHit:
    kind: str  # recipe | code | learned | template
    id: str
    code: str
    title: str
    score: float
    excerpt: str
    origin: str  # base | user
    details: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class SearchResult:
    query: str
    normalized: str
    code: str | None
    hits: list[SearchHit]
    #: The explanation excerpt of the query's code (or of the best hit's code).
    explanation: str = ""

    def of_kind(self, kind: str) -> list[SearchHit]:
        return [h for h in self.hits if h.kind == kind]

    def to_json(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "normalized": self.normalized,
            "code": self.code,
            "explanation": self.explanation,
            "hits": [h.to_json() for h in self.hits],
        }


Key = tuple[str, str, str]  # origin, entry kind, entry id


def _fuse(
    origin: str,
    info: dict[int, DocInfo],
    lists: list[list[tuple[int, float]]],
    scores: dict[Key, float],
    kinds: set[str] | None,
) -> list[tuple[Key, DocInfo]]:
    """Add each ranked list's reciprocal ranks to `scores`, per entry (an entry's several
    texts count once per list, at its best rank); returns what it counted.

    `kinds`: only entries of these kinds (None: every kind but the separate ones)."""
    counted: list[tuple[Key, DocInfo]] = []
    for ranked in lists:
        seen: set[Key] = set()
        for doc_id, _ in ranked:
            doc = info.get(doc_id)
            if doc is None:
                continue
            key = (origin, doc.entry_kind, doc.entry_id)
            if key in seen:
                continue
            if kinds is None and doc.entry_kind in SEPARATE_KINDS:
                continue
            if kinds is not None and doc.entry_kind not in kinds:
                continue
            seen.add(key)
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + len(seen))
            counted.append((key, doc))
    return counted


class HybridSearch:
    def __init__(
        self, stores: Sequence[tuple[str, KbStore | SharedKb]], embedder: Embedder
    ) -> None:
        self.stores = list(stores)
        self.embedder = embedder
        self._embed_cached = functools.lru_cache(maxsize=512)(self._embed)
        #: Runs the shared base's statement while the local stores are searched: the
        #: database works on one core while this process ranks the SQLite lists.
        self._remote: ThreadPoolExecutor | None = None
        if any(isinstance(store, SharedKb) for _, store in self.stores):
            self._remote = ThreadPoolExecutor(4, thread_name_prefix="rustcoder-shared-search")

    def close(self) -> None:
        if self._remote is not None:
            self._remote.shutdown(wait=False)

    def _embed(self, text: str) -> npt.NDArray[np.float32]:
        return self.embedder.embed_one(text)

    def search(
        self,
        text: str,
        code: str | None = None,
        limit: int = 10,
        filter_code: bool = False,
        kinds: Sequence[str] | None = None,
    ) -> SearchResult:
        code = (code or find_code(text) or "").upper() or None
        normalized = normalize_message(text)
        vector = self._embed_cached(normalized)
        scores: dict[Key, float] = {}
        codes_of: dict[Key, tuple[str, ...]] = {}
        prefetched: dict[Key, dict[str, Any]] = {}
        remote: dict[str, Future[Ranked]] = {}
        for origin, store in self.stores:
            if isinstance(store, SharedKb) and self._remote is not None and store.up:
                remote[origin] = self._remote.submit(
                    store.ranked, normalized, vector, code, filter_code, LIST_LIMIT
                )
        for origin, store in self.stores:
            if isinstance(store, SharedKb):
                lists, info, rows = _answer(store, remote.get(origin))
                prefetched.update(((origin, "learned", str(i)), row) for i, row in rows.items())
            else:
                lists, info = _local_lists(store, normalized, vector, code, filter_code)
            wanted = set(kinds) if kinds is not None else None
            for key, doc in _fuse(origin, info, lists, scores, wanted):
                codes_of[key] = doc.codes
        if code is not None:
            for key in scores:
                if code in codes_of[key]:
                    scores[key] *= CODE_BOOST
        learned = self._learned_rows(
            [k for k in scores if k[1] == "learned" and k not in prefetched]
        )
        learned.update((k, row) for k, row in prefetched.items() if k in scores)
        for key, row in learned.items():
            scores[key] *= 1.0 + 0.25 * math.log2(1 + int(row["success_count"]))
            if row["normalized"] == normalized and (code is None or row["code"] == code):
                scores[key] *= SAME_ERROR_BOOST
        _drop_copies(scores, learned)
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        found = (self._hit(key, score, learned.get(key)) for key, score in best)
        hits = [h for h in found if h is not None]
        explain_code = code or (hits[0].code if hits else None)
        return SearchResult(
            query=text,
            normalized=normalized,
            code=code,
            hits=hits,
            explanation=self.explanation_excerpt(explain_code) if explain_code else "",
        )

    def search_kind(
        self,
        kind: str,
        text: str,
        keyword_text: str,
        limit: int = 3,
        vectors: bool = True,
    ) -> list[SearchHit]:
        """Entries of one kind only (templates for a description), ranked as `search` ranks:
        a keyword list (over `keyword_text`) and, with `vectors`, a vector list (over
        `text`), fused by reciprocal rank."""
        scores: dict[Key, float] = {}
        vector = self._embed_cached(text) if vectors else None
        for origin, store in self.stores:
            if not isinstance(store, KbStore):
                continue  # the shared base holds learned examples only
            lists = [store.fts(keyword_text, LIST_LIMIT, kind=kind)]
            if vector is not None:
                lists.append(store.knn(vector, LIST_LIMIT, kind=kind))
            info = store.doc_info(sorted({doc for ranked in lists for doc, _ in ranked}))
            _fuse(origin, info, lists, scores, {kind})
        best = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]
        found = (self._hit(key, score, None) for key, score in best)
        return [h for h in found if h is not None]

    # --- entries ---------------------------------------------------------------

    def _store(self, origin: str) -> KbStore:
        store = next(store for name, store in self.stores if name == origin)
        assert isinstance(store, KbStore), origin
        return store

    def _learned_rows(self, keys: list[Key]) -> dict[Key, dict[str, Any]]:
        result: dict[Key, dict[str, Any]] = {}
        for origin, _, entry_id in keys:
            row = (
                self._store(origin)
                .conn.execute(
                    f"SELECT {', '.join(LEARNED_COLUMNS)} FROM learned WHERE id = ?",
                    (int(entry_id),),
                )
                .fetchone()
            )
            if row is not None:
                result[(origin, "learned", entry_id)] = dict(zip(LEARNED_COLUMNS, row, strict=True))
        return result

    def _hit(self, key: Key, score: float, learned: dict[str, Any] | None) -> SearchHit | None:
        origin, kind, entry_id = key
        if kind == "learned":
            if learned is None:
                return None
            return SearchHit(
                kind="learned",
                id=f"{origin}:{entry_id}",
                code=str(learned["code"]),
                title=str(learned["title"] or f"Learned fix for {learned['code']}"),
                score=score,
                excerpt=str(learned["message"]),
                origin=origin,
                details={
                    k: learned[k]
                    for k in (
                        "before",
                        "after",
                        "diff",
                        "source",
                        "success_count",
                        "message",
                        *PROVENANCE,
                    )
                    if k in learned
                },
            )
        conn = self._store(origin).conn
        if kind == "template":
            row = conn.execute(
                "SELECT description, tags, files FROM templates WHERE name = ?", (entry_id,)
            ).fetchone()
            if row is None:
                return None
            return SearchHit(
                kind="template",
                id=entry_id,
                code="",
                title=entry_id,
                score=score,
                excerpt=str(row[0]),
                origin=origin,
                details={"tags": json.loads(row[1]), "files": json.loads(row[2])},
            )
        if kind == "recipe":
            row = conn.execute(
                "SELECT code, codes, pattern, kind, params, title, explanation, before, after, "
                "example_messages FROM recipes WHERE id = ?",
                (entry_id,),
            ).fetchone()
            if row is None:
                return None
            return SearchHit(
                kind="recipe",
                id=entry_id,
                code=str(row[0]),
                title=str(row[5]),
                score=score,
                excerpt=str(row[6]),
                origin=origin,
                details={
                    "codes": json.loads(row[1]),
                    "pattern": row[2],
                    "edit_kind": row[3],
                    "params": json.loads(row[4]),
                    "before": row[7],
                    "after": row[8],
                    "example_messages": json.loads(row[9]),
                },
            )
        row = conn.execute(
            "SELECT title, explanation FROM error_codes WHERE code = ?", (entry_id,)
        ).fetchone()
        if row is None:
            return None
        return SearchHit(
            kind="code",
            id=entry_id,
            code=entry_id,
            title=str(row[0]),
            score=score,
            excerpt=explanation_excerpt(str(row[1]), 400),
            origin=origin,
        )

    def explanation_excerpt(self, code: str, limit: int = 600) -> str:
        for _, store in self.stores:
            if not isinstance(store, KbStore):
                continue
            row = store.conn.execute(
                "SELECT explanation FROM error_codes WHERE code = ?", (code,)
            ).fetchone()
            if row is not None:
                return explanation_excerpt(str(row[0]), limit)
        return ""


def _local_lists(
    store: KbStore,
    normalized: str,
    vector: npt.NDArray[np.float32],
    code: str | None,
    filter_code: bool,
) -> tuple[list[list[tuple[int, float]]], dict[int, DocInfo]]:
    """One SQLite store's keyword and vector rankings, and the docs they name."""
    lists: list[list[tuple[int, float]]] = []
    if not filter_code or code is None:
        # On a large store with a code, keywords are matched within the code only:
        # ranking every text sharing a word costs more than the budget, and
        # other codes' entries still come in through the vector list.
        if code is None or store.size <= LARGE_STORE:
            lists.append(store.fts(normalized, LIST_LIMIT))
        lists.append(store.knn(vector, LIST_LIMIT))
    if code is not None:
        lists += [
            store.fts(normalized, LIST_LIMIT, code),
            store.knn(vector, LIST_LIMIT, code),
        ]
    return lists, store.doc_info(sorted({doc for ranked in lists for doc, _ in ranked}))


def _answer(store: SharedKb, pending: Future[Ranked] | None) -> Ranked:
    """The shared base's lists, or none when it is down or slower than `SEARCH_WAIT_S`.

    A slow base counts as down for a moment (its breaker opens), so the editor
    waits on it once, not on every search; the statement finishes or hits its
    timeout in the background.
    """
    if pending is None:
        return [], {}, {}
    try:
        return pending.result(timeout=SEARCH_WAIT_S)
    except NoAnswerYet:
        store.too_slow(f"a search took longer than {SEARCH_WAIT_S} s")
        return [], {}, {}


def _drop_copies(scores: dict[Key, float], learned: dict[Key, dict[str, Any]]) -> None:
    """One hit per learned fix: the user's copy and the shared one are the same example.

    The copy that ranked higher stays (ties: the shared one, which counts the team's
    successes); the others leave `scores`.
    """
    best: dict[str, Key] = {}
    for key, row in learned.items():
        kept = best.get(row["fingerprint"])
        rank = (scores[key], key[0] == "shared")
        if kept is None or rank > (scores[kept], kept[0] == "shared"):
            if kept is not None:
                scores.pop(kept, None)
            best[row["fingerprint"]] = key
        else:
            scores.pop(key, None)
