"""Property: a rustc suggestion applied through our offset mapping gives rustfix's bytes.

rustfix applies `suggested_replacement` at `byte_start..byte_end` of the file
as it is on disk. We decode the file, map bytes to characters, apply the edit
in characters and encode again; and an editor applies our LSP TextEdit (UTF-16
or UTF-8 columns, lines ending at CRLF, CR or LF, BOM not in the document).
All three must give the same bytes, for files mixing CRLF, lone CR, LF, a BOM,
and non-ASCII text (astral characters included, which UTF-16 counts twice).

The one deliberate difference from a naive splice: replacement text written
with `\\n` is converted to the file's dominant line ending, so the reference
does the same (rustc's suggestions are built from its `\\n`-normalized copy).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rustcoder.cargo.offsets import (
    BOM,
    LineIndex,
    adapt_newlines,
    byte_to_char,
    char_to_byte,
    decode_source,
    line_ending,
)
from rustcoder.fix.edits import Edit, apply_edits, edit_range, lsp_new_text

FILES_PER_RUN = 600
PATH = Path("/crate/src/lib.rs")

FRAGMENTS = [
    "fn",
    " ",
    "let x = 1;",
    "é",
    "日本",
    "🦀",
    "\t",
    "{",
    "}",
    "// ü",
    '"ß"',
    "a",
    "\U0001d54f",
    "ǅ",
]
ENDINGS = ["\r\n", "\n", "\r"]


@dataclass
class Case:
    raw: bytes
    #: (byte_start, byte_end, replacement), sorted and disjoint, as rustc gives them.
    spans: list[tuple[int, int, str]]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    bom = draw(st.booleans())
    lines = draw(
        st.lists(
            st.tuples(
                st.lists(st.sampled_from(FRAGMENTS), max_size=6).map("".join),
                st.sampled_from(ENDINGS),
            ),
            min_size=1,
            max_size=8,
        )
    )
    last_ending = draw(st.booleans())
    text = "".join(content + ending for content, ending in lines)
    if not last_ending:
        text = text.rstrip("\r\n")
    if bom:
        text = BOM + text
    raw = text.encode("utf-8")
    # rustc's offsets: character boundaries of the real text, never inside a CRLF
    # pair and never inside the BOM (its positions map to after the BOM).
    lowest = 3 if bom else 0
    boundaries = sorted(
        {lowest}
        | {
            len(text[:i].encode("utf-8"))
            for i in range(len(text) + 1)
            if len(text[:i].encode("utf-8")) >= lowest
            and not (0 < i < len(text) and text[i - 1] == "\r" and text[i] == "\n")
        }
    )
    count = draw(st.integers(min_value=1, max_value=3))
    picks = sorted(
        draw(st.lists(st.sampled_from(boundaries), min_size=2 * count, max_size=2 * count))
    )
    spans: list[tuple[int, int, str]] = []
    for i in range(0, len(picks), 2):
        start, end = picks[i], picks[i + 1]
        if spans and start < spans[-1][1]:
            continue
        replacement = draw(
            st.lists(st.sampled_from(["x", "é", "🦀", "\n", "    ", "&mut ", "}"]), max_size=4).map(
                "".join
            )
        )
        spans.append((start, end, replacement))
    return Case(raw=raw, spans=spans)


def rustfix_apply(raw: bytes, spans: list[tuple[int, int, str]]) -> bytes:
    """rustfix on the raw bytes (replacements in the file's line ending)."""
    eol = line_ending(raw.decode("utf-8"))
    out = raw
    for start, end, replacement in sorted(spans, reverse=True):
        out = out[:start] + adapt_newlines(replacement, eol).encode("utf-8") + out[end:]
    return out


def editor_apply(
    document: str, edits: list[tuple[tuple[int, int], tuple[int, int], str]], encoding: str
) -> str:
    """An editor applying LSP TextEdits, written independently of LineIndex."""
    pieces = re.split(r"(\r\n|\r|\n)", document)
    lines = [
        (pieces[i], pieces[i + 1] if i + 1 < len(pieces) else "") for i in range(0, len(pieces), 2)
    ]

    def to_offset(line: int, column: int) -> int:
        offset = sum(len(c) + len(e) for c, e in lines[:line])
        count = 0
        for ch in lines[line][0]:
            if count >= column:
                break
            count += len(ch.encode("utf-16-le")) // 2 if encoding == "utf-16" else len(ch.encode())
            offset += 1
        return offset

    resolved = sorted(((to_offset(*s), to_offset(*e), t) for s, e, t in edits), reverse=True)
    for start, end, new_text in resolved:
        document = document[:start] + new_text + document[end:]
    return document


def check(case: Case) -> None:
    text = decode_source(case.raw)
    edits = [
        Edit(PATH, byte_to_char(text, start), byte_to_char(text, end), replacement)
        for start, end, replacement in case.spans
    ]
    expected = rustfix_apply(case.raw, case.spans)
    # The engine (shadow copies, `rustcoder fix`).
    assert apply_edits(text, edits).encode("utf-8") == expected
    # Offsets map back to the same bytes.
    for edit, (start, end, _) in zip(edits, case.spans, strict=True):
        assert (char_to_byte(text, edit.start), char_to_byte(text, edit.end)) == (start, end)
    # The editor: a document without the BOM, positions in UTF-16 and UTF-8.
    has_bom = text.startswith(BOM)
    document = text[1:] if has_bom else text
    for encoding in ("utf-16", "utf-8"):
        lsp_edits = []
        for edit in edits:
            start, end = edit_range(text, edit, encoding)
            lsp_edits.append((start, end, lsp_new_text(text, edit)))
        applied = editor_apply(document, lsp_edits, encoding)
        assert ((BOM if has_bom else "") + applied).encode("utf-8") == expected
    # LSP positions round-trip to the same character offsets.
    index = LineIndex(text)
    for edit in edits:
        for offset in (edit.start, edit.end):
            line, column = index.position(offset, "utf-16")
            assert index.offset(line, column, "utf-16") == offset


def test_rustc_suggestions_apply_like_rustfix_on_raw_bytes() -> None:
    seen: list[int] = []

    @settings(
        max_examples=FILES_PER_RUN,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(cases())
    def run(case: Case) -> None:
        seen.append(len(case.raw))
        check(case)

    run()
    assert len(seen) >= 500


def test_crlf_finding_offsets() -> None:
    """The issue's file: rustc's span of `runing_total` (bytes 82..94) is that word."""
    raw = (
        b"pub fn total(items: &[u32]) -> u32 {\r\n"
        b"    let running_total: u32 = items.iter().sum();\r\n"
        b"    runing_total\r\n}\r\n"
    )
    text = decode_source(raw)
    start = raw.index(b"runing_total")
    edit = Edit(PATH, byte_to_char(text, start), byte_to_char(text, start + 12), "running_total")
    assert edit_range(text, edit, "utf-16") == ((2, 4), (2, 16))
    fixed = apply_edits(text, [edit]).encode()
    assert fixed == raw.replace(b"runing_total", b"running_total")
    assert fixed.count(b"\r\n") == 4


def test_line_ending_style_kept() -> None:
    text = "fn a() {\r\n}\r\n"
    edit = Edit(PATH, 8, 8, "\n    body();")
    assert apply_edits(text, [edit]) == "fn a() {\r\n    body();\r\n}\r\n"
    # An edit boundary between CR and LF means the end of the line.
    assert apply_edits(text, [Edit(PATH, 9, 9, ";")]) == "fn a() {;\r\n}\r\n"
    assert line_ending("a\rb\rc\n") == "\r"
    assert line_ending("a\r\nb\nc\n") == "\n"


def test_lone_cr_and_bom_positions() -> None:
    text = BOM + "a\rb🦀c\r\nd"
    index = LineIndex(text)
    assert index.position(0) == (0, 0)
    assert index.position(1) == (0, 0)
    assert index.position(3) == (1, 0)
    assert index.position(5, "utf-16") == (1, 3)
    assert index.position(5, "utf-8") == (1, 5)
    assert index.position(5, "utf-32") == (1, 2)
    assert index.position(7) == (1, 4)  # between CR and LF: end of line 1
    assert index.position(8) == (2, 0)
    assert index.offset(1, 99) == 6
    assert index.offset(7, 0) == len(text)
