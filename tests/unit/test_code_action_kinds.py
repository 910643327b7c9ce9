"""`context.only` matching: kinds are hierarchical and arrive as enums or plain strings."""

from __future__ import annotations

import pytest
from lsprotocol import types as lsp

from rustcoder.lsp.action_registry import kind_requested
from rustcoder.lsp.code_actions import FIX_ALL_KIND


@pytest.mark.parametrize(
    ("kind", "only", "expected"),
    [
        (lsp.CodeActionKind.QuickFix, None, True),
        (lsp.CodeActionKind.QuickFix, [], True),
        (lsp.CodeActionKind.QuickFix, [lsp.CodeActionKind.QuickFix], True),
        (lsp.CodeActionKind.QuickFix, ["quickfix"], True),
        (lsp.CodeActionKind.QuickFix, ["quickfix.rustcoder"], False),
        (lsp.CodeActionKind.QuickFix, ["refactor", "source"], False),
        (FIX_ALL_KIND, ["source"], True),
        (FIX_ALL_KIND, [lsp.CodeActionKind.SourceFixAll], True),
        (FIX_ALL_KIND, ["source.fix"], False),
        (FIX_ALL_KIND, [lsp.CodeActionKind.QuickFix], False),
    ],
)
def test_kind_requested(
    kind: str | lsp.CodeActionKind, only: list[str] | None, expected: bool
) -> None:
    assert kind_requested(kind, only) is expected
