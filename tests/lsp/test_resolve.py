"""Verified quick fixes: titles at once, edits from codeAction/resolve."""

from __future__ import annotations

import asyncio
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
    save_file,
    wait_for_diagnostics,
    wait_until,
)


async def _typo_diagnostic(client: LanguageClient, crate: Path) -> tuple[str, lsp.Diagnostic]:
    uri = open_file(client, crate / "src" / "lib.rs")
    diags = await wait_for_diagnostics(client, uri, bool, "diagnostics")
    return uri, next(d for d in diags if d.code == "E0425")


async def test_resolve_returns_a_verified_edit(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    uri, target = await _typo_diagnostic(client, crate)
    actions = [a for a in await code_actions(client, uri, target) if a.kind == "quickfix"]
    assert actions, "a quick fix for the misspelled name"
    action = actions[0]
    assert action.edit is None, "clients that resolve get the edit only after verification"
    assert action.data is not None
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is not None
    lib = crate / "src" / "lib.rs"
    fixed = apply_text_edits(lib.read_text(), edits_for(resolved.edit, uri))
    assert "    running_total\n" in fixed
    save_file(client, lib, fixed, version=2)
    await wait_for_diagnostics(client, uri, lambda d: d == [], "a clean check")
    assert cargo_check_passes(crate, workspace_dir / "t").returncode == 0


async def test_titles_say_compiles_once_verified_in_background(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    uri, target = await _typo_diagnostic(client, crate)
    titles: list[str] = []

    async def verified() -> bool:
        nonlocal titles
        titles = [a.title for a in await code_actions(client, uri, target)]
        return any(t.endswith("✓ compiles") for t in titles)

    for _ in range(600):
        if await verified():
            break
        await asyncio.sleep(0.1)
    assert any(
        t == "a local variable with a similar name exists: `running_total` ✓ compiles"
        for t in titles
    ), titles


@pytest.mark.no_resolve
async def test_clients_without_resolve_get_labelled_edits_at_once(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    uri, target = await _typo_diagnostic(client, crate)
    actions = [a for a in await code_actions(client, uri, target) if a.kind == "quickfix"]
    assert actions and all(a.edit is not None for a in actions)
    title = actions[0].title
    assert title.endswith("(unverified)") or title.endswith("✓ compiles"), title


@pytest.mark.no_resolve
async def test_fix_all_command_applies_through_apply_edit(
    client: LanguageClient, workspace_dir: Path
) -> None:
    """Clients without resolve run "Fix all" as a command; the edit comes by applyEdit."""
    crate = copy_crate("fix_typo", workspace_dir)
    uri, _ = await _typo_diagnostic(client, crate)
    received: list[lsp.ApplyWorkspaceEditParams] = []

    @client.feature(lsp.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        received.append(params)
        return lsp.ApplyWorkspaceEditResult(applied=True)

    applied = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="rustcoder.fixAllInFile", arguments=[uri])
    )
    assert applied is True
    assert len(received) == 1
    lib = crate / "src" / "lib.rs"
    fixed = apply_text_edits(lib.read_text(), edits_for(received[0].edit, uri))
    assert "    running_total\n" in fixed


async def test_fix_all_in_file(client: LanguageClient, workspace_dir: Path) -> None:
    crate = workspace_dir / "inventory"
    import shutil

    shutil.copytree(Path(__file__).resolve().parents[2] / "examples" / "broken-inventory", crate)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    diags = await wait_for_diagnostics(client, uri, bool, "diagnostics")
    target = next(d for d in diags if d.severity == lsp.DiagnosticSeverity.Error)
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=target.range,
            context=lsp.CodeActionContext(diagnostics=[], only=[lsp.CodeActionKind.SourceFixAll]),
        )
    )
    actions = [a for a in result or [] if isinstance(a, lsp.CodeAction)]
    assert [a.title for a in actions] == ["Fix all verified errors in file"]
    resolved = await client.code_action_resolve_async(actions[0])
    assert resolved.edit is not None
    fixed = apply_text_edits(lib.read_text(), edits_for(resolved.edit, uri))
    lib.write_text(fixed)
    check = cargo_check_passes(crate, workspace_dir / "t")
    assert check.returncode == 0, check.stderr


@pytest.mark.init_options({"fix": {"backgroundVerify": False}})
async def test_edit_during_verification_drops_the_result(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    uri, target = await _typo_diagnostic(client, crate)
    action = next(a for a in await code_actions(client, uri, target) if a.kind == "quickfix")
    pending = asyncio.ensure_future(client.code_action_resolve_async(action))
    await asyncio.sleep(0)  # the request is on its way; now the user types
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="// typing\n")],
        )
    )
    resolved = await pending
    assert resolved.edit is None


async def test_five_hundred_errors_keep_the_server_responsive(
    client: LanguageClient, workspace_dir: Path
) -> None:
    crate = copy_crate("clean", workspace_dir)
    lib = crate / "src" / "lib.rs"
    lib.write_text(
        "pub fn shout(t: &str) -> String { t.to_uppercase() }\n"
        + "".join(f"pub fn g{i}(n: String) -> String {{ shout(n) }}\n" for i in range(500))
    )
    uri = open_file(client, lib)
    diags = await wait_for_diagnostics(
        client, uri, lambda d: sum(x.code == "E0308" for x in d) >= 500, "500 errors"
    )
    last = [d for d in diags if d.code == "E0308"][-1]
    actions = await code_actions(client, uri, last)
    assert any(a.title.startswith("consider borrowing here") for a in actions)
    await wait_until(lambda: True, "nothing")
