"""Bad input gets an error or nothing, and the server keeps serving."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.lsp.helpers import (
    code_actions,
    copy_crate,
    open_file,
    save_file,
    wait_for_diagnostics,
    wait_until,
)


async def assert_still_serving(client: LanguageClient, workspace_dir: Path) -> None:
    """A full round trip after the bad input: the server answers and still checks."""
    crate = copy_crate("fix_borrow", workspace_dir / "after")
    uri = open_file(client, crate / "src" / "lib.rs")
    diags = await wait_for_diagnostics(client, uri, bool, "diagnostics after bad input")
    assert await code_actions(client, uri, next(d for d in diags if d.code == "E0308"))


async def test_unknown_uris(client: LanguageClient, workspace_dir: Path) -> None:
    ghost = workspace_dir / "ghost" / "src" / "lib.rs"
    client.text_document_did_save(
        lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=ghost.as_uri()))
    )
    client.text_document_did_save(
        lsp.DidSaveTextDocumentParams(
            text_document=lsp.TextDocumentIdentifier(uri="untitled:Untitled-1")
        )
    )
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri="untitled:Untitled-1"),
            range=lsp.Range(
                start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)
            ),
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )
    assert not result
    await assert_still_serving(client, workspace_dir)


async def test_five_megabyte_file(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("fix_borrow", workspace_dir)
    lib = crate / "src" / "lib.rs"
    filler = "// filler line to make this file large .........................\n" * 80_000
    text = lib.read_text() + filler
    assert len(text.encode()) > 5_000_000
    lib.write_text(text)
    uri = open_file(client, lib)
    diags = await wait_for_diagnostics(client, uri, bool, "diagnostics on the big file")
    actions = await code_actions(client, uri, next(d for d in diags if d.code == "E0308"))
    assert actions and actions[0].title.startswith("consider borrowing here: `&`")


async def test_non_utf8_file(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("clean", workspace_dir)
    lib = crate / "src" / "lib.rs"
    lib.write_bytes(lib.read_bytes() + b"// caf\xe9\n")
    uri = lib.as_uri()
    # An editor decodes with replacement characters; the server must cope.
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri,
                language_id="rust",
                version=1,
                text=lib.read_bytes().decode("utf-8", errors="replace"),
            )
        )
    )
    diags = await wait_for_diagnostics(client, uri, bool, "the UTF-8 error")
    assert "valid UTF-8" in diags[0].message
    await assert_still_serving(client, workspace_dir)


async def test_deleted_workspace_folder(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    await wait_for_diagnostics(client, uri, bool, "diagnostics")
    text = lib.read_text()
    shutil.rmtree(crate)
    client.text_document_did_save(
        lsp.DidSaveTextDocumentParams(text_document=lsp.TextDocumentIdentifier(uri=uri))
    )
    await wait_for_diagnostics(client, uri, lambda d: d == [], "diagnostics to be cleared")
    assert not crate.exists(), "the server must not recreate a deleted folder"
    del text
    await assert_still_serving(client, workspace_dir)


@pytest.mark.init_options({"check": {"cargoPath": "/nonexistent/bin/cargo"}})
async def test_missing_cargo(client: LanguageClient, workspace_dir: Path) -> None:
    crate = copy_crate("fix_typo", workspace_dir)
    uri = open_file(client, crate / "src" / "lib.rs")
    await wait_until(
        lambda: any(
            m.type == lsp.MessageType.Error and "/nonexistent/bin/cargo" in m.message
            for m in client.messages
        ),
        "an error message naming the missing cargo",
    )
    message = next(m for m in client.messages if m.type == lsp.MessageType.Error)
    assert "rustup" in message.message
    result = await client.text_document_code_action_async(
        lsp.CodeActionParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            range=lsp.Range(
                start=lsp.Position(line=0, character=0), end=lsp.Position(line=0, character=0)
            ),
            context=lsp.CodeActionContext(diagnostics=[]),
        )
    )
    assert not result


async def test_edit_during_check_is_saved_again(
    client: LanguageClient, workspace_dir: Path
) -> None:
    """A newer save cancels the running check; the final diagnostics match the last save."""
    crate = copy_crate("fix_typo", workspace_dir)
    lib = crate / "src" / "lib.rs"
    uri = open_file(client, lib)
    original = lib.read_text()
    for version in range(2, 7):
        broken = original.replace("runing_total", f"wrong_{version}")
        save_file(client, lib, broken, version=version)
    await wait_for_diagnostics(
        client,
        uri,
        lambda ds: any("wrong_6" in d.message for d in ds),
        "diagnostics of the last save",
    )
    assert not any("wrong_5" in d.message for d in client.diagnostics[uri])
