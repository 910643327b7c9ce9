"""Re-apply a learned before/after hunk to new code.

A learned fix is a hunk of code before and after the fix. To reuse it where
the names differ, the token-level change is cut out with a little context,
identifiers become variables (bound consistently), and the pattern is
searched near the new error: `takes(name)` → `takes(&name)` learned once
applies to `shout(title)` → `shout(&title)`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
      |(?P<comment>//[^\n]*)
      |(?P<string>b?"(?:\\.|[^"\\])*")
      |(?P<char>'(?:\\.|[^'\\])')
      |(?P<lifetime>'[A-Za-z_]\w*)
      |(?P<ident>[A-Za-z_]\w*)
      |(?P<number>\d[\w.]*)
      |(?P<punct>::|->|=>|==|!=|<=|>=|&&|\|\||\+=|-=|\.\.=?|[^\s\w])""",
    re.VERBOSE,
)

KEYWORDS = {
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum",
    "extern", "false", "fn", "for", "if", "impl", "in", "let", "loop", "match", "mod", "move",
    "mut", "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true",
    "type", "unsafe", "use", "where", "while", "Some", "None", "Ok", "Err", "String", "Vec",
    "Option", "Result", "Box", "str", "clone", "to_string", "to_owned", "iter", "unwrap",
}  # fmt: skip

CONTEXT = 2


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    @property
    def variable(self) -> bool:
        return self.kind == "ident" and self.text not in KEYWORDS


def tokenize(text: str) -> list[Token]:
    tokens = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "punct"
        if kind in ("ws", "comment"):
            continue
        tokens.append(Token(kind, match.group(), match.start(), match.end()))
    return tokens


@dataclass(frozen=True)
class HunkPattern:
    """Tokens to find (with context) and the tokens that replace them."""

    find: tuple[Token, ...]
    replace: tuple[Token, ...]

    @classmethod
    def learn(cls, before: str, after: str) -> HunkPattern | None:
        old, new = tokenize(before), tokenize(after)
        if [t.text for t in old] == [t.text for t in new]:
            return None
        prefix = 0
        while prefix < min(len(old), len(new)) and old[prefix].text == new[prefix].text:
            prefix += 1
        suffix = 0
        while (
            suffix < min(len(old), len(new)) - prefix
            and old[len(old) - 1 - suffix].text == new[len(new) - 1 - suffix].text
        ):
            suffix += 1
        lo = max(0, prefix - CONTEXT)
        old_hi = min(len(old), len(old) - suffix + CONTEXT)
        new_hi = min(len(new), len(new) - suffix + CONTEXT)
        find = tuple(old[lo:old_hi])
        if len(find) < 2:
            return None
        return cls(find=find, replace=tuple(new[lo:new_hi]))

    def apply(self, text: str, near_start: int, near_end: int) -> tuple[int, int, str] | None:
        """(start, end, new text) of the first match overlapping [near_start, near_end)."""
        tokens = tokenize(text)
        n = len(self.find)
        for i in range(len(tokens) - n + 1):
            window = tokens[i : i + n]
            if window[-1].end < near_start or window[0].start > near_end:
                continue
            binding: dict[str, str] = {}
            if all(_match(p, t, binding) for p, t in zip(self.find, window, strict=True)):
                return window[0].start, window[-1].end, self._render(binding)
        return None

    def _render(self, binding: dict[str, str]) -> str:
        parts: list[str] = []
        previous: Token | None = None
        for token in self.replace:
            word = binding.get(token.text, token.text) if token.variable else token.text
            if previous is not None and _needs_space(previous, token):
                parts.append(" ")
            parts.append(word)
            previous = token
        return "".join(parts)


def _match(pattern: Token, token: Token, binding: dict[str, str]) -> bool:
    if pattern.variable and token.kind == "ident":
        bound = binding.setdefault(pattern.text, token.text)
        return bound == token.text
    return pattern.kind == token.kind and pattern.text == token.text


def _needs_space(previous: Token, token: Token) -> bool:
    """Keep the learned spacing: tokens that were apart stay apart."""
    return token.start > previous.end
