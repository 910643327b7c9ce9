"""Source text exactly as the user has it, and every offset conversion over it.

rustc reports byte offsets into the file *as it is on disk* (it normalizes
`\\r\\n` and drops a BOM internally, then maps positions back). So the engine
decodes files without newline translation and keeps a BOM as the character
U+FEFF: a byte offset then maps to a character offset by plain UTF-8 counting.

Editors count differently: LSP lines end at `\\r\\n`, `\\r` or `\\n`, columns
are in the negotiated encoding (UTF-16 by default), and a BOM is not part of
the document. `LineIndex` does that arithmetic in one place.

Edits keep the file's line-ending style: replacement text (rustc's and ours is
written with `\\n`) is converted to the file's dominant ending, and an edit
boundary never splits a `\\r\\n` pair.
"""

from __future__ import annotations

import bisect
import functools
from collections.abc import Sequence
from pathlib import Path

BOM = "\ufeff"


def decode_source(data: bytes) -> str:
    """Bytes of a source file as text, byte for byte (no newline translation, BOM kept)."""
    return data.decode("utf-8")


def encode_source(text: str) -> bytes:
    return text.encode("utf-8")


def read_source(path: Path) -> str | None:
    """The file's exact text, or None when it is unreadable or not UTF-8."""
    try:
        return decode_source(path.read_bytes())
    except (OSError, UnicodeDecodeError):
        return None


def byte_to_char(text: str, byte_offset: int) -> int:
    """Character offset of a UTF-8 byte offset in `text` (clamped; mid-character rounds down)."""
    if byte_offset <= 0:
        return 0
    if text.isascii():
        return min(byte_offset, len(text))
    return len(text.encode("utf-8")[:byte_offset].decode("utf-8", errors="ignore"))


def char_to_byte(text: str, char_offset: int) -> int:
    """UTF-8 byte offset of a character offset in `text` (clamped)."""
    char_offset = max(0, min(char_offset, len(text)))
    prefix = text[:char_offset]
    return char_offset if prefix.isascii() else len(prefix.encode("utf-8"))


def line_ending(text: str) -> str:
    """The file's dominant line ending: `\\r\\n`, `\\n` or (old Mac) `\\r`; `\\n` if none."""
    crlf = text.count("\r\n")
    lf = text.count("\n") - crlf
    cr = text.count("\r") - crlf
    if crlf == lf == cr == 0:
        return "\n"
    best = max((crlf, "\r\n"), (lf, "\n"), (cr, "\r"), key=lambda pair: pair[0])
    # Ties go to `\n`, which rustc and every editor read.
    return "\n" if best[0] == lf else best[1]


def adapt_newlines(new_text: str, eol: str) -> str:
    """Replacement text with the file's line ending (`\\n`-written text in a CRLF file)."""
    if eol == "\n" or "\n" not in new_text:
        return new_text
    return new_text.replace("\r\n", "\n").replace("\n", eol)


def snap_offset(text: str, offset: int) -> int:
    """An offset that does not split a `\\r\\n` pair (between them means end of line)."""
    if 0 < offset < len(text) and text[offset] == "\n" and text[offset - 1] == "\r":
        return offset - 1
    return offset


class LineIndex:
    """LSP positions of one text: lines end at CRLF, CR or LF; a leading BOM is invisible."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.skip = 1 if text.startswith(BOM) else 0
        starts = [self.skip]
        i, n = self.skip, len(text)
        while i < n:
            c = text[i]
            if c == "\n":
                starts.append(i + 1)
            elif c == "\r":
                if i + 1 < n and text[i + 1] == "\n":
                    i += 1
                starts.append(i + 1)
            i += 1
        self.starts: Sequence[int] = starts

    def line_end(self, line: int) -> int:
        """Offset of the end of a line's content (before its line break)."""
        if line + 1 < len(self.starts):
            end = self.starts[line + 1] - 1
            if end > self.starts[line] and self.text[end] == "\n" and self.text[end - 1] == "\r":
                end -= 1
            return end
        return len(self.text)

    def position(self, offset: int, encoding: str = "utf-16") -> tuple[int, int]:
        """(line, column in `encoding` units) of a character offset."""
        offset = max(self.skip, min(snap_offset(self.text, offset), len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        start = self.starts[line]
        offset = min(offset, self.line_end(line))
        return line, units(self.text[start:offset], encoding)

    def offset(self, line: int, column: int, encoding: str = "utf-16") -> int:
        """Character offset of an LSP position, clamped to its line as the spec asks."""
        if line < 0:
            return self.skip
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self.line_end(line)
        content = self.text[start:end]
        if encoding == "utf-32" or content.isascii():
            return start + min(column, len(content))
        count = 0
        for i, ch in enumerate(content):
            if count >= column:
                return start + i
            count += units(ch, encoding)
        return end


def units(text: str, encoding: str) -> int:
    """Length of `text` in code units of an LSP position encoding."""
    if encoding == "utf-32" or text.isascii():
        return len(text)
    if encoding == "utf-8":
        return len(text.encode("utf-8"))
    return len(text.encode("utf-16-le")) // 2


def has_lone_cr(text: str) -> bool:
    """A CR not followed by LF: a line break to editors, not to rustc."""
    return "\r" in text and text.count("\r") != text.count("\r\n")


def lone_cr_index(path: Path) -> LineIndex | None:
    """The LineIndex of a file that has a lone CR (cached by mtime), else None."""
    try:
        st = path.stat()
    except OSError:
        return None
    return _lone_cr_index(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=512)
def _lone_cr_index(path: str, mtime_ns: int, size: int) -> LineIndex | None:
    text = read_source(Path(path))
    return LineIndex(text) if text is not None and has_lone_cr(text) else None
