"""In the editor: a fix that reveals later errors says so; a placeholder is only an assist."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.fix.test_staged_rounds import MATCH, STAGED, make_crate
from tests.lsp.helpers import code_actions, open_file, wait_for_diagnostics

STAGED_TITLE = "✓ compiles through type checking (reveals 2 borrow-check errors)"


async def test_staged_fix_title_and_placeholder_assist(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = make_crate(workspace_dir, STAGED + "\n" + MATCH)
    uri = open_file(client, crate / "src" / "lib.rs")
    diags = await wait_for_diagnostics(client, uri, bool, "diagnostics")
    mismatch = next(d for d in diags if d.code == "E0308")
    match = next(d for d in diags if d.code == "E0004")

    titles: list[str] = []
    for _ in range(600):  # background verification runs after the check
        titles = [a.title for a in await code_actions(client, uri, mismatch)]
        if any(t.endswith(STAGED_TITLE) for t in titles):
            break
        await asyncio.sleep(0.1)
    assert any(t.endswith(STAGED_TITLE) for t in titles), titles

    actions = await code_actions(client, uri, match)
    stubs = [a for a in actions if "todo!()" in a.title]
    assert stubs, [a.title for a in actions]
    for action in stubs:
        assert action.kind == lsp.CodeActionKind.RefactorRewrite
        assert action.title.endswith("(adds todo!(): a placeholder, not a fix)")
        assert not action.is_preferred
    only_fixes = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=match.range,
            context=lsp.CodeActionContext(diagnostics=[match], only=[lsp.CodeActionKind.QuickFix]),
        )
    )
    assert not [a for a in only_fixes or [] if "todo!()" in a.title]
