"""`kb export` / `kb import`: learned examples as JSON Lines, so a team can share them.

An import is checked whole before anything is written: a bad line is reported
with its number and nothing is imported, and the rows are written in one
transaction, so a failure midway leaves the file as it was. Importing the same
export twice changes nothing (counts merge by maximum).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO, Any

from rustcoder.kb.learn import LearnedEntry, LearningStore

FIELDS = ("code", "message", "before", "after", "source", "title", "success_count")
#: SQLite's INTEGER is 64-bit signed.
MAX_COUNT = 2**63 - 1


class TransferError(ValueError):
    """A JSONL line that is not a learned example; the message names the line."""


def export_jsonl(store: LearningStore, out: IO[str]) -> int:
    count = 0
    for entry in store.entries():
        out.write(json.dumps(entry, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def _entry(raw: Any, where: str) -> LearnedEntry:
    if not isinstance(raw, dict):
        raise TransferError(f"{where}: expected a JSON object")
    for name in ("code", "message", "before", "after"):
        if not isinstance(raw.get(name), str) or not raw[name]:
            raise TransferError(f"{where}: `{name}` must be a non-empty string")
    count = raw.get("success_count", 1)
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise TransferError(f"{where}: `success_count` must be an integer from 1 to {MAX_COUNT}")
    for name in (*FIELDS, "created_at", "updated_at"):
        value = raw.get(name)
        if name != "success_count" and value is not None and not isinstance(value, str):
            raise TransferError(f"{where}: `{name}` must be a string")
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise TransferError(
                    f"{where}: `{name}` is not valid Unicode (a lone surrogate at {exc.start})"
                ) from exc
    if raw["before"] == raw["after"]:
        raise TransferError(f"{where}: `before` and `after` are the same")
    return LearnedEntry(
        code=raw["code"],
        message=raw["message"],
        before=raw["before"],
        after=raw["after"],
        source=str(raw.get("source") or "import"),
        title=str(raw.get("title") or ""),
        success_count=count,
        created_at=str(raw.get("created_at") or ""),
        updated_at=str(raw.get("updated_at") or ""),
    )


def parse_jsonl(lines: Iterable[str], name: str = "input") -> list[LearnedEntry]:
    entries: list[LearnedEntry] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        where = f"{name}:{number}"
        try:
            raw = json.loads(line)
        except ValueError as exc:
            raise TransferError(f"{where}: not JSON ({exc})") from exc
        entries.append(_entry(raw, where))
    return entries


def import_entries(store: LearningStore, entries: list[LearnedEntry]) -> tuple[int, int]:
    """Returns (new entries, entries merged into existing ones); all in one transaction."""
    results = store.record_many(entries, merge="max")
    created = sum(1 for _, new in results if new)
    return created, len(results) - created
