"""Placeholders are not fixes: find the candidates whose edit adds one.

A body of `todo!()`, `unimplemented!()`, a `panic!`, an `unreachable!`, a new
`unsafe` or a new `#[allow(...)]`/`#[expect(...)]` makes rustc quiet without
making the program right. Whatever proposed it (a recipe, rustc, a learned
example, a model), such a candidate is offered in the editor only as an assist,
applied by `rustcoder fix` only with `--allow-stubs`, and never counted as fixed.

The check compares the code of each edited file before and after the edit,
with comments and string/char literals blanked, so a placeholder the file
already had (or one that the edit merely moves) does not count, and neither
does the word in a comment or a message.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from pathlib import Path

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import EditConflictError, apply_edits, group_by_file

#: (what the report calls it, the pattern in code with comments and literals blanked).
PLACEHOLDERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("todo!()", re.compile(r"\btodo\s*!")),
    ("unimplemented!()", re.compile(r"\bunimplemented\s*!")),
    ("panic!", re.compile(r"\bpanic\s*!")),
    ("unreachable!()", re.compile(r"\bunreachable\s*!")),
    ("unsafe", re.compile(r"\bunsafe\b")),
    ("#[allow(...)]", re.compile(r"#\s*!?\s*\[[^\]]*?\b(?:allow|expect)\s*\(")),
)

#: The start of anything that is not code: comments, strings, raw strings, char literals.
_NOT_CODE = re.compile(
    r"//[^\n]*"  # a line comment
    r"|/\*"  # a block comment (nested: scanned by hand)
    r'|(?<![A-Za-z0-9_])b?r(?P<hashes>#*)".*?"(?P=hashes)'  # a raw string
    r'|(?<![A-Za-z0-9_])b?"(?:[^"\\]|\\.)*"'  # a string
    r"|'(?:[^'\\\n]|\\(?:u\{[0-9a-fA-F_]{1,8}\}|x[0-9a-fA-F]{2}|.))'",  # a char, not a lifetime
    re.DOTALL,
)
_BLOCK = re.compile(r"/\*|\*/")


def code_only(text: str) -> str:
    """`text` with comments and string/char literals replaced by spaces (same length)."""
    parts: list[str] = []
    pos = 0
    while (found := _NOT_CODE.search(text, pos)) is not None:
        start, end = found.start(), found.end()
        if found.group() == "/*":
            end = _block_comment_end(text, start)
        parts.append(text[pos:start])
        parts.append(re.sub(r"[^\n]", " ", text[start:end]))
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _block_comment_end(text: str, start: int) -> int:
    """Where a (nested) block comment opened at `start` ends; the text's end if never."""
    depth, pos = 0, start
    while (mark := _BLOCK.search(text, pos)) is not None:
        depth += 1 if mark.group() == "/*" else -1
        pos = mark.end()
        if depth == 0:
            return pos
    return len(text)


@functools.lru_cache(maxsize=64)
def count_placeholders(text: str) -> tuple[int, ...]:
    """Placeholders of each kind in `text`'s code, in `PLACEHOLDERS` order (a file's
    text before an edit is the same for all its candidates: counted once)."""
    code = code_only(text)
    return tuple(len(pattern.findall(code)) for _, pattern in PLACEHOLDERS)


def added_placeholder(before: str, after: str) -> str | None:
    """The first kind of placeholder `after` has more of than `before`, or None."""
    old, new = count_placeholders(before), count_placeholders(after)
    return next(
        (name for (name, _), o, n in zip(PLACEHOLDERS, old, new, strict=True) if n > o), None
    )


def stub_of(candidate: Candidate, read_text: Callable[[Path], str | None]) -> str | None:
    """What placeholder the candidate adds ("todo!()", "unsafe", ...), or None for a real fix.

    A candidate whose edits cannot be applied adds nothing (verification will say so).
    """
    for path, edits in group_by_file(candidate.edits).items():
        before = read_text(path)
        if before is None:
            continue
        try:
            after = apply_edits(before, edits)
        except EditConflictError:
            continue
        found = added_placeholder(before, after)
        if found is not None:
            return found
    return None
