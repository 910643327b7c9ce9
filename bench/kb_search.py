"""Knowledge-base figures: build time, embedding throughput, search latency, recall@3.

- Build: a cold build (empty cache: every `rustc --explain`, every recipe example
  compiled, every text embedded) and a warm one (same cache).
- Embedding: texts per second in batches, and one short query.
- Search latency at 1k, 10k and 100k indexed texts. The real base holds about 900;
  the rest is SYNTHETIC filler: texts made of real indexed words, with vectors
  near real ones (a real vector plus noise, normalised), inserted as entries of
  their own kind that take part in ranking but are never returned. Reported
  twice: search with the query's vector already computed (the service caches
  query vectors), and end to end with a new query embedded first.
- Recall@3 over the public fixbench cases: `cargo check` each broken crate; for
  every error one of the curated recipes applies to (its code matches and its
  pattern matches the message, a label or a note), does an applicable recipe
  appear among the top 3 search results? (fixbench is read only here.)

- With `--shared`: the same searches against the shipped base fused with a
  shared PostgreSQL base of 100k synthetic learned examples (`bench/kb_shared.py`),
  printed beside the SQLite figure at the same size.

Usage: .venv/bin/python bench/kb_search.py [--sizes 1000,10000,100000] [--no-cold]
                                           [--fixbench ../shared/fixbench]
                                           [--shared [--shared-size 100000]]

The filled shared base is kept between runs (under
`$XDG_CACHE_HOME/rustcoder/bench`, as root /var/tmp/rustcoder-bench;
`--shared-fresh` fills a throwaway one), and
with `--no-cold` so is the build cache (or `--cache`), so a repeated run takes a
few minutes; without `--no-cold` the build starts from an empty cache.
`--shared-only` times the shared base (and SQLite at the same size) alone.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from rustcoder.cargo.messages import CargoMessages, RustDiagnostic, parse_cargo_line
from rustcoder.kb import db
from rustcoder.kb.builder import build
from rustcoder.kb.normalize import normalize_message
from rustcoder.kb.recipe_data import RecipeSpec, load_recipes
from rustcoder.kb.search import HybridSearch
from rustcoder.kb.store import KbStore
from rustcoder.models.embedder import Embedder

REPO = Path(__file__).resolve().parents[1]

QUERIES = [
    ("cannot borrow `counter` as mutable, as it is not declared as mutable", "E0596"),
    ("borrow of moved value: `settings`", "E0382"),
    ("cannot move out of index of `Vec<Ticket>`", "E0507"),
    ("cannot return reference to local variable `joined`", "E0515"),
    ("failed to resolve: use of undeclared type `HashMap`", "E0433"),
    ("field `secret` of struct `Vault` is private", "E0616"),
    ("missing fields `port` and `host` in initializer of `ServerConfig`", "E0063"),
    ("non-exhaustive patterns: `Shape::Triangle` not covered", "E0004"),
    ("missing lifetime specifier", "E0106"),
    ("cannot borrow `grid` as mutable more than once at a time", "E0499"),
    ("`line` does not live long enough", "E0597"),
    ("the trait bound `Invoice: Clone` is not satisfied", "E0277"),
    ("binary operation `==` cannot be applied to type `Token`", "E0369"),
    ("expected `u64`, found `Option<u64>`", "E0308"),
    ("this function takes 3 arguments but 2 arguments were supplied", "E0061"),
    ("type annotations needed", "E0282"),
]


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.array(values), q))


def timed_build(out: Path, cache: Path, embedder: Embedder) -> float:
    started = time.perf_counter()
    build(out, cache_dir=cache, embedder=embedder)
    return time.perf_counter() - started


def embedding_figures(embedder: Embedder, store: KbStore) -> dict[str, float]:
    texts = [r[0] for r in store.conn.execute("SELECT text FROM docs ORDER BY id LIMIT 512")]
    embedder.embed(["warm up"])
    started = time.perf_counter()
    embedder.embed(texts)
    batch_rate = len(texts) / (time.perf_counter() - started)
    short = [normalize_message(q) for q, _ in QUERIES]
    started = time.perf_counter()
    embedder.embed(short * 8)
    short_rate = len(short) * 8 / (time.perf_counter() - started)
    singles = []
    for q in short:
        t = time.perf_counter()
        embedder.embed_one(q)
        singles.append((time.perf_counter() - t) * 1000)
    return {
        "batch_texts_per_s": batch_rate,
        "short_messages_per_s": short_rate,
        "one_query_ms_p50": statistics.median(singles),
        "mean_text_chars": sum(map(len, texts)) / len(texts),
    }


def add_filler(store: KbStore, target_docs: int, seed: int = 1) -> int:
    """Synthetic filler up to `target_docs` indexed texts (see the module docstring)."""
    rng = random.Random(seed)
    nprng = np.random.default_rng(seed)
    have = store.count("docs")
    need = max(0, target_docs - have)
    if need == 0:
        return 0
    words = [
        w
        for (text,) in store.conn.execute("SELECT text FROM docs")
        for w in text.split()
        if w.isalpha()
    ]
    base = np.frombuffer(
        b"".join(r[0] for r in store.conn.execute("SELECT embedding FROM docs_vec")),
        dtype=np.float32,
    ).reshape(-1, 384)
    codes = [r[0] for r in store.conn.execute("SELECT code FROM error_codes")]
    with db.transaction(store.conn):
        for i in range(need):
            vec = base[rng.randrange(len(base))] + nprng.normal(0, 0.35 / np.sqrt(384), 384)
            vec = (vec / np.linalg.norm(vec)).astype(np.float32)
            text = " ".join(rng.choice(words) for _ in range(rng.randint(6, 24)))
            store.add_doc("filler", str(i), (rng.choice(codes),), text, vec)
    return need


#: Words that make each repeat's "new query" texts new (an embedding is cached per text).
SALTS = ("amber", "birch", "cedar", "delta", "ember", "fjord", "grove", "heron", "inlet", "juniper")


def search_latency(
    search: HybridSearch, queries: list[tuple[str, str | None]], rounds: int, repeat: int = 0
) -> dict[str, float]:
    for q, code in queries:  # embed each query once (cached afterwards) and warm up
        search.search(q, code)
    cached: list[float] = []
    for _ in range(rounds):
        for q, code in queries:
            t = time.perf_counter()
            search.search(q, code)
            cached.append((time.perf_counter() - t) * 1000)
    fresh: list[float] = []
    for i, (q, code) in enumerate(queries):
        t = time.perf_counter()
        search.search(f"{q} (variant {i} {SALTS[repeat % len(SALTS)]})", code)
        fresh.append((time.perf_counter() - t) * 1000)
    no_code: list[float] = []
    for _ in range(rounds):
        for q, _code in queries:
            t = time.perf_counter()
            search.search(q, None)
            no_code.append((time.perf_counter() - t) * 1000)
    return {
        "p50_ms": pct(cached, 50),
        "p99_ms": pct(cached, 99),
        "no_code_p50_ms": pct(no_code, 50),
        "no_code_p99_ms": pct(no_code, 99),
        "with_embedding_p50_ms": pct(fresh, 50),
        "with_embedding_p99_ms": pct(fresh, 99),
    }


def fixbench_diagnostics(fixbench: Path, target: Path) -> list[RustDiagnostic]:
    found: list[RustDiagnostic] = []
    for case in sorted(p for p in fixbench.iterdir() if (p / "Cargo.toml").is_file()):
        work = target / "cases" / case.name
        shutil.copytree(case, work, ignore=shutil.ignore_patterns("reference", "target"))
        done = subprocess.run(
            ["cargo", "check", "--all-targets", "--message-format=json", "--offline",
             "--target-dir", str(target / "target")],
            cwd=work, capture_output=True, text=True, check=False, timeout=600,
        )  # fmt: skip
        messages = CargoMessages()
        for line in done.stdout.splitlines():
            parse_cargo_line(line, messages)
        found.extend(d for d in messages.diagnostics if d.level == "error" and d.code)
    return found


def _texts(d: RustDiagnostic) -> list[str]:
    texts = [d.message]
    texts += [s.label for s in d.spans if s.label]
    for child in d.children:
        texts.append(child.message)
        texts += [s.label for s in child.spans if s.label]
    return texts


def applicable(specs: list[RecipeSpec], d: RustDiagnostic) -> set[str]:
    return {
        s.id for s in specs if d.code in s.codes and any(s.match(t) is not None for t in _texts(d))
    }


def recall_at_3(search: HybridSearch, diags: list[RustDiagnostic]) -> dict[str, Any]:
    specs = load_recipes()
    covered = hits = hits_no_code = 0
    for d in diags:
        right = applicable(specs, d)
        if not right:
            continue
        covered += 1
        label = next((s.label for s in d.spans if s.is_primary and s.label), None)
        query = f"{d.message}: {label}" if label else d.message
        top = [h.id for h in search.search(query, d.code, limit=3).hits]
        hits += bool(right & set(top))
        top = [h.id for h in search.search(query, None, limit=3).hits]
        hits_no_code += bool(right & set(top))
    return {
        "errors": len(diags),
        "with_an_applicable_recipe": covered,
        "recall_at_3": hits / covered if covered else 0.0,
        "recall_at_3_without_code": hits_no_code / covered if covered else 0.0,
    }


def shared_run(
    args: argparse.Namespace,
    base: KbStore,
    sqlite: KbStore | None,
    embedder: Embedder,
    queries: list[tuple[str, str | None]],
) -> dict[str, Any]:
    """SQLite at the shared size and shipped + shared base, interleaved `--repeats` times.

    The machine may be shared: interleaving gives both the same conditions, and the
    medians over repeats (with the load average beside them) are what is reported.
    """
    from kb_shared import cluster_root, shared_base

    cache = None if args.shared_fresh else cluster_root()
    runs: dict[str, list[dict[str, float]]] = {"sqlite": [], "shared": []}
    loads: list[float] = []
    with shared_base(base, embedder, queries, args.shared_size, cache) as (search, info):
        local = HybridSearch([("base", sqlite)], embedder) if sqlite is not None else None
        for repeat in range(args.repeats):
            loads.append(os.getloadavg()[0])
            if local is not None:
                runs["sqlite"].append(search_latency(local, queries, args.rounds, repeat))
            runs["shared"].append(search_latency(search, queries, args.rounds, repeat))
            p50 = {name: round(done[-1]["p50_ms"], 2) for name, done in runs.items() if done}
            print(
                f"repeat {repeat + 1}/{args.repeats}, load {loads[-1]:.1f}: p50 {p50}", flush=True
            )
        loads.append(os.getloadavg()[0])
    medians = {
        name: {key: statistics.median(run[key] for run in done) for key in done[0]}
        for name, done in runs.items()
        if done
    }
    return {**info, "medians": medians, "load_average": loads, "repeats": runs}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--no-cold", action="store_true", help="skip the cold build")
    parser.add_argument("--fixbench", type=Path, default=REPO.parent / "shared" / "fixbench")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--cache", type=Path, help="build cache to reuse (default: a fresh one)")
    parser.add_argument(
        "--shared", action="store_true", help="also search a shared PostgreSQL base of examples"
    )
    parser.add_argument("--shared-size", type=int, default=100_000)
    parser.add_argument(
        "--shared-only",
        action="store_true",
        help="skip embedding and recall figures and the other sizes: SQLite at the shared "
        "size, then the shared base",
    )
    parser.add_argument(
        "--shared-fresh", action="store_true", help="fill a throwaway shared base, keep none"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="shared runs: SQLite and shared searches interleaved this many times (medians)",
    )
    args = parser.parse_args()
    if args.shared_only:
        args.shared = True
        args.sizes = str(args.shared_size)
    embedder = Embedder()
    figures: dict[str, Any] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}",
    }
    with tempfile.TemporaryDirectory(prefix="kb-bench-") as tmp_name:
        tmp = Path(tmp_name)
        from kb_shared import cache_root

        cache = args.cache or (cache_root() / "build" if args.no_cold else tmp / "cache")
        if not args.no_cold:
            figures["build_cold_s"] = timed_build(tmp / "cold.sqlite", cache, embedder)
        else:
            build(tmp / "cold.sqlite", cache_dir=cache, embedder=embedder)
        figures["build_warm_s"] = timed_build(tmp / "kb.sqlite", cache, embedder)
        base = KbStore.open(tmp / "kb.sqlite", readonly=True)
        figures["base_docs"] = base.count("docs")
        if not args.shared_only:
            figures["embedding"] = embedding_figures(embedder, base)
        print(json.dumps(figures, indent=2), flush=True)

        if args.fixbench.is_dir() and not args.shared_only:
            diags = fixbench_diagnostics(args.fixbench, tmp / "fixbench")
            figures["fixbench"] = recall_at_3(HybridSearch([("base", base)], embedder), diags)
            print(json.dumps(figures["fixbench"], indent=2), flush=True)

        queries: list[tuple[str, str | None]] = list(QUERIES)
        figures["search"] = {}
        kept: KbStore | None = None  # the SQLite store of the shared base's size
        for size in [int(s) for s in args.sizes.split(",")]:
            path = tmp / f"size-{size}.sqlite"
            shutil.copyfile(tmp / "kb.sqlite", path)
            store = KbStore.open(path)
            added = add_filler(store, size)
            started = time.perf_counter()
            store.refresh()
            load_s = time.perf_counter() - started
            result = search_latency(HybridSearch([("base", store)], embedder), queries, args.rounds)
            result.update({"docs": store.count("docs"), "filler": added, "index_load_s": load_s})
            figures["search"][size] = result
            print(size, json.dumps(result), flush=True)
            if args.shared and size == args.shared_size:
                kept = store
            else:
                store.close()
        if args.shared:
            figures["shared"] = shared_run(args, base, kept, embedder, queries)
            print("shared", json.dumps(figures["shared"], indent=2), flush=True)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
