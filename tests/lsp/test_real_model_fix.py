""" "Fix with <model>" through the LSP with a real local model (SmolLM2-135M from its GGUF).

The server loads the imported model (named by its folder) on first resolve; whatever the
135M model answers, resolve returns within the configured time limit, and only
with an edit that compiles (else no edit and a message saying why).
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.conftest import SERVER
from tests.lsp.helpers import (
    CLIENTS,
    apply_text_edits,
    cargo_check_passes,
    copy_crate,
    edits_for,
    wait_until,
)
from tests.lsp.test_model_fix import model_action
from tests.real_model import NAME

TIMEOUT_S = 90


# One client kind is enough here: the other tests cover the capability sets.
@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS[-1:])
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, workspace_dir: Path):
    workspace = workspace_dir
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=client_capabilities(request.param),
            root_uri=workspace.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=workspace.as_uri(), name="ws")],
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_fix_with_a_real_local_model(
    client: LanguageClient, workspace_dir: Path, smollm2_models: Path
) -> None:
    # The server started before the test: the model is named by its folder, as a user may.
    model = str(smollm2_models / NAME)
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(
            settings={
                "rustcoder": {
                    "model": {"name": model, "timeoutSeconds": TIMEOUT_S, "maxTokens": 160}
                }
            }
        )
    )
    crate = copy_crate("model_fix", workspace_dir)
    lib = crate / "src" / "lib.rs"
    original = lib.read_text()
    uri, _, actions = await model_action(client, crate)
    action = next(a for a in actions if a.title == f"Fix with {model}")
    assert action.edit is None, "the title comes at once; the model runs on resolve"
    resolved = await asyncio.wait_for(
        client.code_action_resolve_async(action), timeout=TIMEOUT_S * 3
    )
    assert lib.read_text() == original, "resolve never writes the user's file"
    if resolved.edit is None:
        await wait_until(lambda: bool(client.messages), "a message saying why")
        message = client.messages[-1].message
        assert f"Fix with {model}" in message, message
        assert "unknown model" not in message and "not available" not in message, message
        assert "Traceback" not in message
    else:
        fixed = apply_text_edits(original, edits_for(resolved.edit, uri))
        lib.write_text(fixed)
        check = cargo_check_passes(crate, workspace_dir / "t")
        assert check.returncode == 0, check.stderr
