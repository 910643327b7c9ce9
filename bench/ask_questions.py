"""How well `rustcoder ask` finds the doc page that answers a learn-Rust question.

For each question in bench/ask_questions.toml (written before the search was tuned),
a question counts as answered when one of its pages is among the top 3 passages.
Also prints the search and API-lookup latencies (goal: lookup p50 < 5 ms).

Usage: .venv/bin/python bench/ask_questions.py [--kb kb.sqlite] [--top 3] [--verbose]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tomllib
from pathlib import Path

from rustcoder.docs.index import DocIndex
from rustcoder.kb import locate
from rustcoder.kb.store import KbStore

QUESTIONS = Path(__file__).with_name("ask_questions.toml")
LOOKUPS = [
    "std::fs::File::open",
    "File::open",
    "read_to_string",
    "Vec::sort_by",
    "total_cmp",
    "HashMap::entry",
    "BufRead::lines",
    "Arc",
    "Mutex::lock",
    "String::from_utf8",
]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--kb", default="")
    parser.add_argument("--top", type=int, default=3)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    store = KbStore.open(locate.base_path(args.kb), readonly=True)
    index = DocIndex(store.conn)
    print(f"passages indexed: {index.count()}")
    questions = tomllib.loads(QUESTIONS.read_text())["question"]
    answered = 0
    times: list[float] = []
    for q in questions:
        started = time.perf_counter()
        hits = index.search(q["q"], limit=args.top)
        times.append(time.perf_counter() - started)
        ok = any(h.passage.path in q["pages"] for h in hits)
        answered += ok
        print(f"{'ok ' if ok else '-- '} {q['q']}")
        if args.verbose or not ok:
            for h in hits:
                print(f"       {h.passage.link}  ({h.passage.title[:70]})")
    print(f"answered in the top {args.top}: {answered}/{len(questions)} (goal >= 20/25)")
    print(f"search p50 {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms")
    lookups: list[float] = []
    for _ in range(20):
        for name in LOOKUPS:
            started = time.perf_counter()
            index.lookup(name)
            lookups.append(time.perf_counter() - started)
    lookups.sort()
    p50 = statistics.median(lookups) * 1000
    p99 = lookups[int(len(lookups) * 0.99)] * 1000
    print(
        f"API lookup by name, {len(lookups)} lookups: p50 {p50:.2f} ms, p99 {p99:.2f} ms",
        "(goal p50 < 5 ms)",
    )
    store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
