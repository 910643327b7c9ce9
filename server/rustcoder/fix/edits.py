"""Edits as the fix engine holds them: absolute path plus character offsets.

Character offsets into the decoded file text are exact and independent of any
editor's position encoding; conversion to LSP ranges happens at the protocol
edge. rustc reports byte offsets, converted here once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Edit:
    path: Path
    start: int
    end: int
    new_text: str


class EditConflictError(ValueError):
    """Two edits of one candidate overlap."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply edits of one file (offsets into `text`), last first."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end))
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            raise EditConflictError(f"overlapping edits at {before.start}..{before.end}")
    for edit in reversed(ordered):
        if not 0 <= edit.start <= edit.end <= len(text):
            raise EditConflictError(f"edit {edit.start}..{edit.end} outside the file")
        text = text[: edit.start] + edit.new_text + text[edit.end :]
    return text


def group_by_file(edits: Iterable[Edit]) -> dict[Path, list[Edit]]:
    result: dict[Path, list[Edit]] = {}
    for edit in edits:
        result.setdefault(edit.path, []).append(edit)
    return result


def byte_to_char_offset(text: str, byte_offset: int) -> int:
    """Character offset of a UTF-8 byte offset in `text`."""
    if text.isascii():
        return min(byte_offset, len(text))
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def offset_to_position(text: str, offset: int) -> tuple[int, int]:
    """(line, character column) of a character offset, both 0-based."""
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    return line, offset - line_start


def position_to_offset(text: str, line: int, column: int) -> int:
    """Character offset of a (line, column) position, clamped to the text."""
    start = 0
    for _ in range(line):
        nl = text.find("\n", start)
        if nl < 0:
            return len(text)
        start = nl + 1
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    return min(start + column, end)


def column_in_encoding(line_text: str, char_column: int, encoding: str) -> int:
    prefix = line_text[:char_column]
    if encoding == "utf-32" or prefix.isascii():
        return len(prefix)
    if encoding == "utf-8":
        return len(prefix.encode("utf-8"))
    return len(prefix.encode("utf-16-le")) // 2


def edit_range(text: str, edit: Edit, encoding: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """LSP-style ((line, col), (line, col)) of an edit in the given encoding."""
    lines = text.split("\n")
    result = []
    for offset in (edit.start, edit.end):
        line, col = offset_to_position(text, offset)
        line_text = lines[line] if line < len(lines) else ""
        result.append((line, column_in_encoding(line_text, col, encoding)))
    return result[0], result[1]


def unified_diff(path_label: str, before: str, after: str) -> str:
    import difflib

    return "".join(
        difflib.unified_diff(
            before.splitlines(keepends=True),
            after.splitlines(keepends=True),
            fromfile=f"a/{path_label}",
            tofile=f"b/{path_label}",
        )
    )


def sorted_edits(edits: Sequence[Edit]) -> list[Edit]:
    return sorted(edits, key=lambda e: (str(e.path), e.start, e.end))
