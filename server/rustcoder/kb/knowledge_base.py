"""The knowledge base as the server, the CLI and the fix engine use it.

Opening never raises: a missing, corrupt or too-new base, or an unwritable
user file, is recorded in `problems` (with the command that fixes it) and the
features that need it are simply absent, so the server keeps running. The fix
engine reaches it through `fix/knowledge.py`; nothing here knows the engine.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from rustcoder.kb import locate
from rustcoder.kb.db import DatabaseError, KbError
from rustcoder.kb.learn import LearnedEntry, LearningStore
from rustcoder.kb.normalize import keywords
from rustcoder.kb.rustc_explain import explanation_excerpt
from rustcoder.kb.search import HybridSearch, SearchHit, SearchResult
from rustcoder.kb.store import KbStore
from rustcoder.models.embedder import Embedder, EmbedderError, shared_embedder

log = logging.getLogger(__name__)

#: Faults that cost one query or one learned example, never the caller.
RECOVERABLE: tuple[type[Exception], ...] = (KbError, EmbedderError, ValueError, *DatabaseError)


@dataclass(frozen=True)
class CodeExplanation:
    code: str
    title: str
    explanation: str
    erroneous: list[str]
    corrected: list[str]

    def excerpt(self, limit: int = 600) -> str:
        return explanation_excerpt(self.explanation, limit)


class KnowledgeBase:
    def __init__(
        self,
        base: KbStore | None,
        learning: LearningStore | None,
        embedder: Embedder,
        problems: list[str] | None = None,
    ) -> None:
        self.base = base
        self.learning = learning
        self.embedder = embedder
        self.problems = problems or []
        #: The base path this KB was opened for (the server reopens when it changes).
        self.opened_from: Path | None = None
        stores = []
        if base is not None:
            stores.append(("base", base))
        if learning is not None:
            stores.append(("user", learning.store))
        self.searcher = HybridSearch(stores, embedder)
        self._lock = threading.Lock()

    @classmethod
    def open(
        cls,
        base_path: Path | None = None,
        user_path: Path | None = None,
        embedder: Embedder | None = None,
        *,
        learn: bool = True,
    ) -> KnowledgeBase:
        """Open what can be opened; `problems` says what could not and how to fix it."""
        embedder = embedder or shared_embedder()
        problems: list[str] = []
        base_path = base_path or locate.base_path()
        base: KbStore | None = None
        if not base_path.is_file():
            problems.append(
                f"no knowledge base at {base_path}; {locate.build_hint(base_path)} "
                "(quick fixes work without it)"
            )
        else:
            try:
                base = KbStore.open(base_path, readonly=True)
            except KbError as exc:
                problems.append(str(exc))
            else:
                stale = _stale(base)
                if stale:
                    problems.append(stale)
        learning: LearningStore | None = None
        if learn:
            user = user_path or locate.user_path()
            try:
                learning = LearningStore.open(user, embedder)
            except (KbError, OSError) as exc:
                problems.append(f"learned examples unavailable: {exc}")
        for problem in problems:
            log.info("%s", problem)
        kb = cls(base, learning, embedder, problems)
        kb.opened_from = base_path
        return kb

    @property
    def available(self) -> bool:
        return self.base is not None or self.learning is not None

    def close(self) -> None:
        for store in (self.base, self.learning.store if self.learning else None):
            if store is not None:
                store.close()

    # --- queries -------------------------------------------------------------

    def search(
        self,
        text: str,
        code: str | None = None,
        limit: int = 10,
        filter_code: bool = False,
    ) -> SearchResult:
        with self._lock:  # one connection per file: queries take turns
            return self.searcher.search(text, code, limit, filter_code)

    def search_templates(self, description: str, limit: int = 3) -> list[SearchHit]:
        """Project templates for a description; keywords alone when the embedder cannot run."""
        keyword_text = keywords(description)
        with self._lock:
            try:
                return self.searcher.search_kind("template", description, keyword_text, limit)
            except EmbedderError as exc:
                log.info("template search without embeddings: %s", exc)
                return self.searcher.search_kind(
                    "template", description, keyword_text, limit, vectors=False
                )

    def explain(self, code: str) -> CodeExplanation | None:
        if self.base is None:
            return None
        with self._lock:
            row = self.base.conn.execute(
                "SELECT code, title, explanation, erroneous, corrected FROM error_codes "
                "WHERE code = ?",
                (code.upper(),),
            ).fetchone()
        if row is None:
            return None
        return CodeExplanation(
            str(row[0]), str(row[1]), str(row[2]), json.loads(row[3]), json.loads(row[4])
        )

    # --- learning -------------------------------------------------------------

    def record(self, entry: LearnedEntry) -> None:
        """Store a fix that made an error disappear; a fault costs only this entry."""
        if self.learning is None or not entry.code:
            return
        try:
            with self._lock:
                self.learning.record(entry)
        except RECOVERABLE as exc:
            log.warning("could not store a learned fix: %s", exc)


def _stale(base: KbStore) -> str | None:
    """A note when the base was built from other recipes than the shipped ones."""
    from rustcoder.kb.builder import recipes_digest
    from rustcoder.kb.recipe_data import RecipeDataError, load_recipes

    built = base.meta().get("recipes_sha256")
    try:
        current = recipes_digest(load_recipes())
    except RecipeDataError:
        return None
    if built is None or built == current:
        return None
    return (
        f"knowledge base {base.path} is out of date (built from other recipes); "
        f"{locate.build_hint(base.path)}"
    )
