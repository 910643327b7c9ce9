"""Which diagnostics a code-action request is about.

Matching is by position and code rather than object identity: the request's
`context.diagnostics` may come from another server (VS Code passes
rust-analyzer's along), and those should get the same fixes as ours.
"""

from __future__ import annotations

from lsprotocol import types as lsp


def _pos_le(a: lsp.Position, b: lsp.Position) -> bool:
    return (a.line, a.character) <= (b.line, b.character)


def ranges_intersect(a: lsp.Range, b: lsp.Range) -> bool:
    return _pos_le(a.start, b.end) and _pos_le(b.start, a.end)


def same_code(a: lsp.Diagnostic, b: lsp.Diagnostic) -> bool:
    if a.code is None or b.code is None:
        return a.message.split("\n", 1)[0] == b.message.split("\n", 1)[0]
    return str(a.code) == str(b.code)


def matches(ours: lsp.Diagnostic, theirs: lsp.Diagnostic) -> bool:
    """Same diagnostic reported by another server: same range and same code."""
    return ours.range == theirs.range and same_code(ours, theirs)
