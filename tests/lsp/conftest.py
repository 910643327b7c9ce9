"""A real rustcoder server over stdio per test, for each client capability set."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from tests.lsp.helpers import CLIENTS

SERVER = [sys.executable, "-m", "rustcoder", "serve"]


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS)
async def client(lsp_client: LanguageClient, request: pytest.FixtureRequest, workspace_dir: Path):
    marker = request.node.get_closest_marker("init_options")
    options = marker.args[0] if marker else None
    capabilities = client_capabilities(request.param)
    if request.node.get_closest_marker("no_resolve"):
        # A client that cannot resolve code actions (as older editors).
        assert capabilities.text_document and capabilities.text_document.code_action
        capabilities.text_document.code_action.resolve_support = None
    if request.node.get_closest_marker("no_resource_operations"):
        # A client that cannot create files through workspace edits.
        assert capabilities.workspace and capabilities.workspace.workspace_edit
        capabilities.workspace.workspace_edit.resource_operations = None
    result = await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=capabilities,
            root_uri=workspace_dir.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=workspace_dir.as_uri(), name="ws")],
            initialization_options=options,
        )
    )
    # The negotiated position encoding, for tests that check columns.
    lsp_client.position_encoding = str(result.capabilities.position_encoding or "utf-16")  # type: ignore[attr-defined]
    yield
    await lsp_client.shutdown_session()
