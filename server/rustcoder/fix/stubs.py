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

_RAW_STRING = re.compile(r'b?r(#*)"')
_CHAR = re.compile(r"'(?:[^'\\\n]|\\(?:u\{[0-9a-fA-F_]{1,8}\}|x[0-9a-fA-F]{2}|.))'")


def code_only(text: str) -> str:
    """`text` with comments and string/char literals replaced by spaces (same length)."""
    out = list(text)
    i, n = 0, len(text)

    def blank(start: int, end: int) -> None:
        for k in range(start, min(end, n)):
            if out[k] != "\n":
                out[k] = " "

    while i < n:
        ch = text[i]
        if text.startswith("//", i):
            end = text.find("\n", i)
            end = n if end < 0 else end
            blank(i, end)
            i = end
        elif text.startswith("/*", i):
            depth, j = 1, i + 2
            while j < n and depth:
                if text.startswith("/*", j):
                    depth, j = depth + 1, j + 2
                elif text.startswith("*/", j):
                    depth, j = depth - 1, j + 2
                else:
                    j += 1
            blank(i, j)
            i = j
        elif (raw := _RAW_STRING.match(text, i)) is not None and not _ident_before(text, i):
            closing = '"' + raw.group(1)
            end = text.find(closing, raw.end())
            end = n if end < 0 else end + len(closing)
            blank(i, end)
            i = end
        elif ch == '"':
            j = i + 1
            while j < n and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            blank(i, j + 1)
            i = j + 1
        elif ch == "'" and (char := _CHAR.match(text, i)) is not None:
            blank(i, char.end())
            i = char.end()
        else:
            i += 1
    return "".join(out)


def _ident_before(text: str, index: int) -> bool:
    """`r"` inside an identifier (`bar"`) is not a raw string."""
    return index > 0 and (text[index - 1].isalnum() or text[index - 1] == "_")


def count_placeholders(text: str) -> dict[str, int]:
    code = code_only(text)
    return {name: len(pattern.findall(code)) for name, pattern in PLACEHOLDERS}


def added_placeholder(before: str, after: str) -> str | None:
    """The first kind of placeholder `after` has more of than `before`, or None."""
    old, new = count_placeholders(before), count_placeholders(after)
    return next((name for name, _ in PLACEHOLDERS if new[name] > old[name]), None)


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
