"""The knowledge base as the server, the CLI and the fix engine use it.

Opening never raises: a missing, corrupt or too-new base, or an unwritable
user file, is recorded in `problems` (with the command that fixes it) and the
features that need it are simply absent, so the server keeps running. The fix
engine reaches it through `fix/knowledge.py`; nothing here knows the engine.
With a shared PostgreSQL base (`kb.shared`, `kb/shared.py`) its learned
examples are searched too and every learned fix is also queued for it.
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
from rustcoder.kb.normalize import keywords, normalize_message
from rustcoder.kb.recipe_data import RecipeSpec
from rustcoder.kb.rustc_explain import explanation_excerpt
from rustcoder.kb.search import HybridSearch, SearchHit, SearchResult
from rustcoder.kb.shared import SharedBase, SharedSettingError, shared_url
from rustcoder.kb.shared_pg import SharedKb
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
        shared: SharedBase | None = None,
    ) -> None:
        self.base = base
        self.learning = learning
        self.shared = shared
        self.embedder = embedder
        self.problems = problems or []
        #: The base path this KB was opened for (the server reopens when it changes).
        self.opened_from: Path | None = None
        #: The `kb.shared` setting it was opened with (reopened when that changes).
        self.shared_setting = ""
        stores: list[tuple[str, KbStore | SharedKb]] = []
        if base is not None:
            stores.append(("base", base))
        if learning is not None:
            stores.append(("user", learning.store))
        if shared is not None:
            stores.append(("shared", shared.kb))
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
        shared: str | None = None,
        send: bool = True,
    ) -> KnowledgeBase:
        """Open what can be opened; `problems` says what could not and how to fix it.

        `shared`: the shared base's URL (None: `$RUSTCODER_KB_SHARED`); it is
        opened with the learned file, whose outbox queues its learn events.
        `send=False` leaves sending them to `flush_shared` (one-shot commands).
        """
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
        team: SharedBase | None = None
        if learning is not None:
            try:
                url = shared_url(shared or "")
            except SharedSettingError as exc:
                problems.append(str(exc))
                url = ""
            if url:
                team, trouble = SharedBase.open(url, learning.store.path, send=send)
                problems += trouble
        for problem in problems:
            log.info("%s", problem)
        kb = cls(base, learning, embedder, problems, team)
        kb.opened_from = base_path
        kb.shared_setting = shared or ""
        return kb

    @property
    def available(self) -> bool:
        return self.base is not None or self.learning is not None

    def close(self) -> None:
        self.searcher.close()
        if self.shared is not None:
            self.shared.close()
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

    def record(self, entry: LearnedEntry, edition: str = "") -> None:
        """Store a fix that made an error disappear; a fault costs only this entry.

        `edition`: the fixed crate's edition, recorded with a shared example."""
        if self.learning is None or not entry.code:
            return
        try:
            self.learn_entry(entry, edition=edition)
        except RECOVERABLE as exc:
            log.warning("could not store a learned fix: %s", exc)

    def learn_entry(
        self,
        entry: LearnedEntry,
        *,
        edition: str = "",
        rustc: str | None = None,
        event_key: str | None = None,
    ) -> tuple[int, bool, str | None]:
        """Store in the learned file and queue for the shared base (when there is one).

        Returns (local id, created locally, the shared event's key or None).
        Raises ValueError for an entry that is not an example, `KbError` without a file.
        """
        if self.learning is None:
            raise KbError("; ".join(self.problems) or "no learned-examples file")
        vector = self.embedder.embed_one(normalize_message(entry.message))
        with self._lock:
            learned_id, created = self.learning.record(entry, vector=vector)
        key = None
        if self.shared is not None:
            provenance = self.shared.provenance(edition, rustc)
            key = self.shared.submit(entry, vector, provenance, event_key)
        return learned_id, created, key

    def team_recipes(self, code: str | None) -> list[RecipeSpec]:
        """The team's own recipes for an error code, from the shared base (none without one)."""
        if self.shared is None:
            return []
        return self.shared.recipes.for_code(code)

    def flush_shared(self) -> tuple[int, str | None]:
        """Send queued learn events now: (sent, why others stay queued or None)."""
        if self.shared is None:
            return 0, None
        return self.shared.flush()


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
