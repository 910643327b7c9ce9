"""Pick rustc's own suggestions for a code action request.

Matching is by position and code rather than object identity: the request's
`context.diagnostics` may come from another server (VS Code passes
rust-analyzer's along), and those should get the same fixes as ours.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from lsprotocol import types as lsp

from rustcoder.cargo.to_lsp import MappedDiagnostic, QuickFix


@dataclass
class FixForDiagnostics:
    fix: QuickFix
    diagnostics: list[lsp.Diagnostic] = field(default_factory=list)


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


def fixes_for_request(
    mapped: list[MappedDiagnostic],
    request_range: lsp.Range,
    context: list[lsp.Diagnostic],
) -> list[FixForDiagnostics]:
    """Every distinct rustc fix for the diagnostics under the cursor or in the context."""
    selected: list[tuple[MappedDiagnostic, lsp.Diagnostic]] = []
    for m in mapped:
        twin = next((c for c in context if matches(m.diagnostic, c)), None)
        if twin is not None:
            selected.append((m, twin))
        elif ranges_intersect(m.diagnostic.range, request_range):
            selected.append((m, m.diagnostic))
    result: dict[str, FixForDiagnostics] = {}
    for m, shown in selected:
        for fix in m.fixes:
            key = json.dumps(fix.to_json(), sort_keys=True)
            entry = result.setdefault(key, FixForDiagnostics(fix=fix))
            if shown not in entry.diagnostics:
                entry.diagnostics.append(shown)
    # Preferred first, then in rustc's order.
    return sorted(result.values(), key=lambda f: not f.fix.is_preferred)
