"""API-index figures: one-time cost and disk size for the 13 crates, lookup p50.

A scratch workspace depends on serde, serde_json, chrono, tokio (full), uuid
(v4, serde), rand, anyhow, thiserror, regex, itertools, csv, futures and url,
resolved offline from Debian's `librust-*-dev` sources through a cargo
directory source (install them with bench/llm-corpus/install.sh). Every package
of the dependency graph is indexed into an empty cache (cold), then again
(warm: every crate a cache hit). Lookups: exact paths, `Type::name` suffixes,
bare names and nearest-name queries for names that do not exist.

std comes from the toolchain's rustdoc pages (the rust-docs component) and is
timed on its own too.

Usage: .venv/bin/python bench/api_index.py [--rounds 200]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from pathlib import Path

from rustcoder.apiindex.index_store import ApiIndex

DEPS = """serde = { version = "1", features = ["derive"] }
serde_json = "1"
chrono = { version = "0.4", features = ["serde"] }
tokio = { version = "1", features = ["full"] }
uuid = { version = "1", features = ["v4", "serde"] }
rand = "0.8"
anyhow = "1"
thiserror = "1"
regex = "1"
itertools = "0.10"
csv = "1"
futures = "0.3"
url = "2"
"""
CONFIG = """[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "/usr/share/cargo/registry"
[net]
offline = true
"""
LOOKUPS = [
    "chrono::Duration::seconds",
    "Uuid::new_v4",
    "tokio::time::sleep",
    "serde_json::from_str",
    "Duration::seconds",
    "time::sleep",
    "from_str",
    "Regex::new",
    "Itertools::join",
    "Url::parse",
    "thread_rng",
    "ReaderBuilder::has_headers",
    "futures::StreamExt::next",
    "thiserror::Error",
    "Vec::extend_from_slice",
    "std::fs::read_to_string",
    "String::push_str",
]
NEAREST = ["Duration::from_secs", "Uuid::new_random", "Regex::compile", "serde_json::parse_str"]


def _workspace(root: Path) -> Path:
    (root / ".cargo").mkdir()
    (root / ".cargo" / "config.toml").write_text(CONFIG)
    crate = root / "bench_ws"
    (crate / "src").mkdir(parents=True)
    (crate / "src" / "main.rs").write_text("fn main() {}\n")
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "bench_ws"\nversion = "0.1.0"\nedition = "2021"\n\n[dependencies]\n'
        + DEPS
    )
    return crate


def _p50_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    print(
        f"machine: {platform.machine()}, {platform.platform()}, python {platform.python_version()}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        crate = _workspace(Path(tmp))
        cache = Path(tmp) / "api.sqlite"
        with ApiIndex(cache) as index:
            cold = index.index_workspace(crate)
        size = cache.stat().st_size  # after close: the WAL is checkpointed
        print(
            f"cold: {len(cold.crate_ids)} crates, {cold.files_parsed} files, {cold.items} items"
            f" in {cold.seconds:.2f} s; cache {size / 1e6:.1f} MB"
        )
        std_cache = Path(tmp) / "std.sqlite"
        with ApiIndex(std_cache) as index:
            start = time.perf_counter()
            label, std_id, _parsed = index.ensure_std()
            took = time.perf_counter() - start
            n_std = index.stats()["items"]
        if std_id is not None:
            print(
                f"std ({label}, from the rustdoc pages) alone: {n_std} items in {took:.2f} s;"
                f" {std_cache.stat().st_size / 1e6:.1f} MB"
            )
        with ApiIndex(cache) as index:
            warm = index.index_workspace(crate)
            reused, parsed = len(warm.reused), index.parse_count
            print(f"warm: {reused} crates from the cache, {parsed} parsed, {warm.seconds:.3f} s")
            ids = list(warm.crate_ids.values())
            found = {q: len(index.lookup(q, ids)) for q in LOOKUPS}
            missing = [q for q, n in found.items() if n == 0]
            times: list[float] = []
            for _ in range(args.rounds):
                for q in LOOKUPS:
                    start = time.perf_counter()
                    index.lookup(q, ids)
                    times.append(time.perf_counter() - start)
            near_times: list[float] = []
            for _ in range(max(1, args.rounds // 10)):
                for q in NEAREST:
                    start = time.perf_counter()
                    index.nearest(q, ids)
                    near_times.append(time.perf_counter() - start)
            note = f"; missing {missing}" if missing else ""
            print(
                f"lookup: p50 {_p50_ms(times):.3f} ms, max {max(times) * 1000:.2f} ms"
                f" over {len(times)} ({len(LOOKUPS) - len(missing)}/{len(LOOKUPS)} found{note})"
            )
            print(f"nearest: p50 {_p50_ms(near_times):.2f} ms over {len(near_times)}")
            for q in NEAREST[:2]:
                print(f"  {q} -> {[n.item.path for n in index.nearest(q, ids)[:3]]}")


if __name__ == "__main__":
    main()
