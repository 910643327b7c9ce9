"""Schema migrations of the shared base: fresh, from an older version, and refused when newer."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.shared_conn import vector_text
from rustcoder.kb.shared_migrations import latest_version, migrate
from rustcoder.kb.shared_pg import SharedKb
from rustcoder.models.embedder import Embedder
from tests.shared_kb.conftest import example, problems, psql


def test_a_fresh_database_gets_every_version_with_hnsw_and_keyword_indexes(shared_url: str) -> None:
    kb = SharedKb(shared_url)
    assert kb.probe()
    assert kb.version == latest_version() >= 2
    kb.close()
    versions = [r[0] for r in psql(shared_url, "SELECT version FROM rustcoder_schema ORDER BY 1")]
    assert versions == list(range(1, latest_version() + 1))
    indexes = {r[0]: r[1] for r in psql(shared_url, "SELECT indexname, indexdef FROM pg_indexes")}
    assert "USING hnsw (embedding vector_cosine_ops)" in indexes["kb_learned_embedding"]
    assert "USING gin (keywords)" in indexes["kb_learned_keywords"]
    assert "INCLUDE (id, signs)" in indexes["kb_learned_code_signs"]
    assert psql(shared_url, "SELECT extversion FROM pg_extension WHERE extname = 'vector'")


def test_replicas_starting_together_apply_each_migration_once(shared_url: str) -> None:
    def start(_: int) -> int:
        with psycopg.connect(shared_url, autocommit=True) as conn:
            return migrate(conn)

    with ThreadPoolExecutor(6) as pool:
        assert set(pool.map(start, range(6))) == {latest_version()}
    assert psql(shared_url, "SELECT count(*) FROM rustcoder_schema")[0][0] == latest_version()


def test_an_older_schema_is_migrated_and_keeps_its_examples(
    shared_url: str, embedder: Embedder, open_kb: Callable[..., KnowledgeBase]
) -> None:
    with psycopg.connect(shared_url, autocommit=True) as conn:
        assert migrate(conn, target=1) == 1
        old = example(1)
        vector = embedder.embed_one(old.message)
        conn.execute(
            "INSERT INTO kb_learned (fingerprint, code, message, normalized, before, after, diff, "
            "source, title, embedding) VALUES ('fp-old', %s, %s, %s, %s, %s, '', 'user', '', "
            "%s::vector)",
            (old.code, old.message, old.message, old.before, old.after, vector_text(vector)),
        )
    kb = open_kb("a", shared_url)
    assert not problems(kb), kb.problems
    assert kb.shared is not None and kb.shared.kb.version == latest_version()
    rows = psql(shared_url, "SELECT fingerprint, contributor, edition FROM kb_learned")
    assert rows == [("fp-old", "", "")]  # the new provenance columns default to empty
    kb.learn_entry(example(2), edition="2021")
    assert kb.flush_shared() == (1, None)
    hits = kb.search(example(1).message, "E0596", filter_code=True).of_kind("learned")
    assert {h.origin for h in hits} == {"shared", "user"}
    assert psql(shared_url, "SELECT count(*) FROM kb_events")[0][0] == 1


def test_a_newer_schema_is_refused_clearly_and_the_local_base_keeps_serving(
    shared_url: str, open_kb: Callable[..., KnowledgeBase]
) -> None:
    first = SharedKb(shared_url)
    first.probe()
    first.close()
    psql(shared_url, "INSERT INTO rustcoder_schema (version, name) VALUES (99, 'from the future')")
    kb = open_kb("a", shared_url)
    assert any(
        "schema version 99, newer than this rustcoder understands" in p and "upgrade rustcoder" in p
        for p in kb.problems
    ), kb.problems
    learned_id, created, key = kb.learn_entry(example(3))
    assert created and key is not None
    sent, why = kb.flush_shared()
    assert sent == 0 and why is not None and "newer" in why
    assert kb.shared is not None and kb.shared.outbox.pending() == 1  # kept, not lost
    hits = kb.search(example(3).message, "E0596").of_kind("learned")
    assert [h.id for h in hits] == [f"user:{learned_id}"]
    assert psql(shared_url, "SELECT count(*) FROM kb_learned")[0][0] == 0


@pytest.mark.parametrize("bad", ["mysql://x@y/z", "kb.sqlite"])
def test_a_shared_setting_that_is_not_a_postgresql_url_is_reported(
    bad: str, open_kb: Callable[..., KnowledgeBase]
) -> None:
    kb = open_kb("a", bad)
    assert kb.shared is None
    assert any("must be a PostgreSQL URL" in p for p in kb.problems), kb.problems
    assert kb.learning is not None  # learning locally still works
