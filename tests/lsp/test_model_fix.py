""" "Fix with <model>" end to end: real server, real cargo, a real HTTP endpoint on 127.0.0.1.

The fixture crate's error (a method that does not exist) has no rustc
suggestion and no recipe; only the model can fix it. The title is offered at
once without asking the model; resolve asks it, verifies the reply by
compiling it, and returns the edit only if it compiles.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pytest_lsp import LanguageClient

from tests.fix.test_model_source import GOOD_ITEM, WRONG_ITEM
from tests.lsp.helpers import (
    apply_text_edits,
    cargo_check_passes,
    code_actions,
    copy_crate,
    edits_for,
    open_file,
    wait_for_diagnostics,
    wait_until,
)
from tests.models.openai_server import FakeOpenAI, Reply

TITLE = "Fix with fake-coder"


@pytest.fixture
def endpoint() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def configure(client: LanguageClient, url: str, timeout: float = 60) -> None:
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(
            settings={
                "rustcoder": {
                    "model": {"endpoint": url, "name": "fake-coder", "timeoutSeconds": timeout}
                }
            }
        )
    )


async def model_action(
    client: LanguageClient, crate: Path
) -> tuple[str, lsp.Diagnostic, list[lsp.CodeAction]]:
    uri = open_file(client, crate / "src" / "lib.rs")
    diags = await wait_for_diagnostics(
        client, uri, lambda ds: any(d.code == "E0599" for d in ds), "E0599"
    )
    target = next(d for d in diags if d.code == "E0599")
    actions = [a for a in await code_actions(client, uri, target) if a.kind == "quickfix"]
    return uri, target, actions


async def test_fix_with_model_resolves_to_a_verified_edit(
    client: LanguageClient, workspace_dir: Path, endpoint: FakeOpenAI
) -> None:
    endpoint.responder = lambda request: GOOD_ITEM
    configure(client, endpoint.url)
    crate = copy_crate("model_fix", workspace_dir)
    uri, _, actions = await model_action(client, crate)
    assert [a.title for a in actions] == [TITLE], "no rustc or recipe fix exists for this error"
    assert endpoint.chat_requests() == [], "titles never ask the model"
    action = actions[0]
    assert action.edit is None
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is not None, client.messages
    assert len(endpoint.chat_requests()) == 1
    lib = crate / "src" / "lib.rs"
    fixed = apply_text_edits(lib.read_text(), edits_for(resolved.edit, uri))
    assert "values.iter().sum::<f64>() / values.len() as f64" in fixed
    assert "/// The mean of the values (0 for none)." in fixed
    assert "pub fn describe" in fixed
    lib.write_text(fixed)
    check = cargo_check_passes(crate, workspace_dir / "t")
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    "reply",
    [WRONG_ITEM, "I would rewrite it in Python.", Reply(body=b"<html>oops</html>")],
    ids=["does-not-compile", "no-code", "not-openai"],
)
async def test_a_wrong_model_reply_is_not_offered(
    client: LanguageClient, workspace_dir: Path, endpoint: FakeOpenAI, reply: Reply | str
) -> None:
    endpoint.responder = lambda request: reply
    configure(client, endpoint.url)
    crate = copy_crate("model_fix", workspace_dir)
    _, _, actions = await model_action(client, crate)
    action = next(a for a in actions if a.title == TITLE)
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is None
    await wait_until(lambda: bool(client.messages), "a message saying why")
    message = client.messages[-1].message
    assert "fake-coder" in message or "OpenAI-compatible" in message, message


async def test_a_newer_document_version_cancels_the_generation(
    client: LanguageClient, workspace_dir: Path, endpoint: FakeOpenAI
) -> None:
    endpoint.responder = lambda request: Reply(hang=True)
    configure(client, endpoint.url, timeout=300)
    crate = copy_crate("model_fix", workspace_dir)
    uri, _, actions = await model_action(client, crate)
    action = next(a for a in actions if a.title == TITLE)
    pending = asyncio.ensure_future(client.code_action_resolve_async(action))
    await wait_until(lambda: bool(endpoint.chat_requests()), "the model request")
    client.text_document_did_change(
        lsp.DidChangeTextDocumentParams(
            text_document=lsp.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[lsp.TextDocumentContentChangeWholeDocument(text="// typing\n")],
        )
    )
    # The model would hang for 300 s; the edit cancels it and resolve answers without an edit.
    resolved = await asyncio.wait_for(pending, timeout=60)
    assert resolved.edit is None


async def test_an_unreachable_endpoint_is_reported_and_diagnostics_still_flow(
    client: LanguageClient, workspace_dir: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    configure(client, f"http://127.0.0.1:{port}/v1")
    crate = copy_crate("model_fix", workspace_dir)
    _, _, actions = await model_action(client, crate)
    resolved = await client.code_action_resolve_async(next(a for a in actions if a.title == TITLE))
    assert resolved.edit is None
    await wait_until(lambda: bool(client.messages), "a message saying why")
    assert "connection refused" in client.messages[-1].message


@pytest.mark.no_resolve
async def test_clients_without_resolve_get_no_model_action(
    client: LanguageClient, workspace_dir: Path, endpoint: FakeOpenAI
) -> None:
    configure(client, endpoint.url)
    crate = copy_crate("model_fix", workspace_dir)
    _, _, actions = await model_action(client, crate)
    assert all(a.title != TITLE for a in actions)
    assert endpoint.chat_requests() == []
