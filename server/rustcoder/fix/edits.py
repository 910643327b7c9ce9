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

from rustcoder.cargo.offsets import (
    LineIndex,
    adapt_newlines,
    byte_to_char,
    line_ending,
    snap_offset,
)


@dataclass(frozen=True, order=True)
class Edit:
    path: Path
    start: int
    end: int
    new_text: str


class EditConflictError(ValueError):
    """Two edits of one candidate overlap."""


def apply_edits(text: str, edits: Iterable[Edit]) -> str:
    """Apply edits of one file (offsets into `text`), last first, in its line-ending style."""
    eol = line_ending(text)
    ordered = sorted(
        (
            Edit(e.path, snap_offset(text, e.start), snap_offset(text, e.end), e.new_text)
            for e in edits
        ),
        key=lambda e: (e.start, e.end),
    )
    for before, after in itertools.pairwise(ordered):
        if after.start < before.end:
            raise EditConflictError(f"overlapping edits at {before.start}..{before.end}")
    for edit in reversed(ordered):
        if not 0 <= edit.start <= edit.end <= len(text):
            raise EditConflictError(f"edit {edit.start}..{edit.end} outside the file")
        text = text[: edit.start] + adapt_newlines(edit.new_text, eol) + text[edit.end :]
    return text


def group_by_file(edits: Iterable[Edit]) -> dict[Path, list[Edit]]:
    result: dict[Path, list[Edit]] = {}
    for edit in edits:
        result.setdefault(edit.path, []).append(edit)
    return result


def byte_to_char_offset(text: str, byte_offset: int) -> int:
    """Character offset of a UTF-8 byte offset in `text` (the file's exact text)."""
    return byte_to_char(text, byte_offset)


def offset_to_position(text: str, offset: int, encoding: str = "utf-32") -> tuple[int, int]:
    """(line, column) of a character offset, LSP line breaks, both 0-based."""
    return LineIndex(text).position(offset, encoding)


def edit_range(text: str, edit: Edit, encoding: str) -> tuple[tuple[int, int], tuple[int, int]]:
    """LSP-style ((line, col), (line, col)) of an edit in the given encoding."""
    index = LineIndex(text)
    return index.position(edit.start, encoding), index.position(edit.end, encoding)


def lsp_new_text(text: str, edit: Edit) -> str:
    """The edit's replacement as the editor should insert it: in the file's line endings."""
    return adapt_newlines(edit.new_text, line_ending(text))


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
