"""rustc's suggestions as quick fixes: applied edits make cargo check pass."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.helpers import (
    apply_text_edits,
    cargo_check_passes,
    code_actions,
    copy_crate,
    edits_for,
    open_file,
    quick_fixes,
    save_file,
    wait_for_diagnostics,
)

CASES = [
    # crate, code of the diagnostic, preferred (MachineApplicable)
    ("fix_unused_mut", "unused_mut", True),
    ("fix_borrow", "E0308", True),
    ("fix_typo", "E0425", False),
]


@pytest.mark.parametrize(("crate_name", "code", "preferred"), CASES)
async def test_quick_fix_makes_cargo_check_pass(
    client: LanguageClient, workspace_dir: Path, crate_name: str, code: str, preferred: bool
) -> None:
    crate = copy_crate(crate_name, workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    diags = await wait_for_diagnostics(
        client, uri, lambda ds: any(d.code == code for d in ds), f"a {code} diagnostic"
    )
    target = next(d for d in diags if d.code == code and d.severity != lsp.DiagnosticSeverity.Hint)
    actions = await quick_fixes(client, uri, target)
    assert actions, f"no quick fix for {code}"
    action = actions[0]
    assert action.kind == lsp.CodeActionKind.QuickFix
    assert bool(action.is_preferred) is preferred
    assert action.edit is not None
    if client.capabilities and client.capabilities.workspace.workspace_edit.document_changes:
        assert action.edit.document_changes, "versioned edits expected for this client"
    fixed = apply_text_edits(lib.read_text(), edits_for(action.edit, uri))
    save_file(client, lib, fixed, version=2)
    await wait_for_diagnostics(
        client, uri, lambda ds: not any(d.code == code for d in ds), f"{code} to disappear"
    )
    check = cargo_check_passes(crate, workspace_dir / "plain-target")
    assert check.returncode == 0, check.stderr
    assert code not in check.stderr


async def test_stale_version_gets_no_edits(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("fix_borrow", workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    diags = await wait_for_diagnostics(client, uri, bool, "diagnostics")
    target = next(d for d in diags if d.code == "E0308")
    assert await code_actions(client, uri, target), "fix expected before the edit"
    # The user types (unsaved): the check's byte offsets no longer hold.
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[
                lsp.TextDocumentContentChangeWholeDocument(text="// moved\n" + lib.read_text())
            ],
        )
    )
    assert await code_actions(client, uri, target) == []


async def test_other_servers_diagnostics_get_our_fixes(
    client: LanguageClient, workspace_dir: Path
) -> None:
    """VS Code passes rust-analyzer's diagnostics in the context; match them by range + code."""
    crate = copy_crate("fix_borrow", workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    diags = await wait_for_diagnostics(client, uri, bool, "diagnostics")
    ours = next(d for d in diags if d.code == "E0308")
    theirs = lsp.Diagnostic(
        range=ours.range,
        message="mismatched types\nexpected &str, found String",
        severity=lsp.DiagnosticSeverity.Error,
        code="E0308",
        source="rustc",
    )
    # A request whose range is elsewhere: only the context can lead to the fix.
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(
                start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)
            ),
            context=lsp.CodeActionContext(diagnostics=[theirs]),
        )
    )
    actions = [a for a in result or [] if isinstance(a, lsp.CodeAction) and a.kind == "quickfix"]
    assert len(actions) == 1
    assert actions[0].title.startswith("consider borrowing here: `&`")
    assert list(actions[0].diagnostics or []) == [theirs]


async def test_unknown_uri_gets_no_actions(client: LanguageClient, workspace_dir: Path) -> None:
    uri = (workspace_dir / "nowhere" / "lib.rs").as_uri()
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(
                start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=1)
            ),
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )
    assert not result
