"""The shared base's half of a hybrid search: keyword and vector rankings in one statement.

The lists are those the SQLite stores give (`search._local_lists`): keywords
(GIN over a tsvector) and nearest vectors (HNSW), and within the query's
error code a vector list that does not use HNSW (see `NEAREST_IN_CODE`). They
come back in one statement, one round trip: each list tagged with its number,
each hit joined with its example, which the boosts and hits need anyway.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from rustcoder.kb.learn import ROW_FIELDS
from rustcoder.kb.store import DocInfo, fts_terms

#: Rows of the query's code re-ranked exactly after the sign-bit pass (100: the exact
#: top 10 within the code every time on the benchmark's base, top 40 at 94%).
SHORTLIST = 100
#: Above this many examples a query with a code matches keywords within its code only.
LARGE = 5_000

#: Ranked lists of (id, score), the docs they name, and the examples behind them.
Ranked = tuple[list[list[tuple[int, float]]], dict[int, DocInfo], dict[int, dict[str, Any]]]

#: A learned example's columns as `kb export` and the hits name them.
ROW_COLUMNS = (*ROW_FIELDS, "contributor", "rustc", "edition")


def utc_text(column: str) -> str:
    """SQL for a timestamptz as the UTC text SQLite stores (formatted by the server)."""
    return f"""to_char({column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"""


def row_select(alias: str = "") -> str:
    """The SELECT list of `ROW_COLUMNS` (timestamps as the UTC text SQLite stores)."""
    prefix = f"{alias}." if alias else ""
    return ", ".join(
        utc_text(prefix + c) if c in ("created_at", "updated_at") else prefix + c
        for c in ROW_COLUMNS
    )


def row(values: Sequence[Any]) -> dict[str, Any]:
    return dict(zip(ROW_COLUMNS, values, strict=True))


KEYWORDS = (
    "SELECT {list} AS list, id, ts_rank_cd(keywords, to_tsquery('simple', %({q})s)) AS s "
    "FROM kb_learned WHERE keywords @@ to_tsquery('simple', %({q})s) {extra} "
    "ORDER BY s DESC, id LIMIT %(n)s"
)
NEAREST = (
    "SELECT {list} AS list, id, 1 - (embedding <=> %(v)b::vector) AS s "
    "FROM kb_learned ORDER BY embedding <=> %(v)b::vector LIMIT %(n)s"
)
# Within one code: Hamming distance over the code's sign bits, read from the
# covering index kb_learned_code_signs alone, picks a shortlist that is then
# ranked exactly (as VectorIndex does locally). "+ 0" keeps the planner off
# HNSW, which would walk the whole graph discarding other codes' rows.
NEAREST_IN_CODE = (
    "SELECT {list} AS list, id, 1 - (embedding <=> %(v)b::vector) AS s "
    "FROM kb_learned WHERE id IN (SELECT id FROM kb_learned WHERE code = %(code)s "
    "ORDER BY (signs <~> binary_quantize(%(v)b::vector)) + 0 LIMIT %(short)s) "
    "ORDER BY embedding <=> %(v)b::vector LIMIT %(n)s"
)


@dataclass(frozen=True)
class Query:
    """One search as `HybridSearch` asks it of every store."""

    normalized: str
    vector: npt.NDArray[np.float32]
    code: str | None
    #: Only the lists within `code` (the learned examples of the same error).
    filter_code: bool
    limit: int


def statement(query: Query, large: bool) -> tuple[str, dict[str, Any], int]:
    """The SQL of one search, its parameters and how many lists it returns.

    `large`: the base holds more than `LARGE` examples (cheaper keyword lists).
    """
    code, filter_code = query.code, query.filter_code
    terms = fts_terms(query.normalized)
    params: dict[str, Any] = {
        # Ranking every example that shares one common word costs far more than the
        # budget on a large base: there a query without a code needs all its words.
        "any": (" & " if large else " | ").join(terms),
        "v": np.asarray(query.vector, dtype=np.float32),
        "code": code,
        "n": query.limit,
        "short": SHORTLIST,
    }
    if code is not None and terms:
        # The code is a word of every example's keywords: GIN intersects it first.
        params["coded"] = f"{code.lower()} & ({' | '.join(terms)})"
    parts: list[str] = []
    if not filter_code or code is None:
        if terms and (code is None or not large):
            parts.append(KEYWORDS.format(list=len(parts), q="any", extra=""))
        parts.append(NEAREST.format(list=len(parts)))
    if code is not None:
        # On a large base the code's keyword list costs more than the budget (every
        # row of a common code shares its words) and adds little: an example of the
        # same error has the same normalised message, so the same vector.
        if terms and not large:
            parts.append(KEYWORDS.format(list=len(parts), q="coded", extra="AND code = %(code)s"))
        parts.append(NEAREST_IN_CODE.format(list=len(parts)))
    union = " UNION ALL ".join(f"({part})" for part in parts)
    sql = f"SELECT h.list, h.s, {row_select('l')} FROM ({union}) h JOIN kb_learned l ON l.id = h.id"
    return sql, params, len(parts)


def ranked(conn: Any, query: Query, large: bool) -> Ranked:
    """Run one search on `conn`: its lists, their docs and the examples they name."""
    sql, params, count = statement(query, large)
    lists: list[list[tuple[int, float]]] = [[] for _ in range(count)]
    info: dict[int, DocInfo] = {}
    rows: dict[int, dict[str, Any]] = {}
    for number, score, *values in conn.execute(sql, params).fetchall():
        example = rows.get(values[0])
        if example is None:
            example = rows[values[0]] = row(values)
            info[values[0]] = DocInfo(values[0], "learned", str(values[0]), (str(example["code"]),))
        lists[number].append((values[0], float(score)))
    for each in lists:  # a join keeps no order: restore each list's
        each.sort(key=lambda pair: (-pair[1], pair[0]))
    return lists, info, rows
