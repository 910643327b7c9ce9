"""The `rustcoder.ask` command: a question answered from the shipped base's docs, opened
as a document (or shown as a message where the client cannot show documents)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from rustcoder.docs.passages import docs_root
from rustcoder.kb import locate
from tests.lsp.helpers import CLIENTS

SERVER = [sys.executable, "-m", "rustcoder", "serve"]
pytestmark = pytest.mark.skipif(
    docs_root() is None, reason="the toolchain's docs are not installed (rust-docs)"
)


@pytest.fixture
def show_document(request: pytest.FixtureRequest) -> bool:
    return bool(getattr(request, "param", True))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS)
async def client(
    lsp_client: LanguageClient, request: pytest.FixtureRequest, tmp_path: Path, show_document: bool
) -> AsyncIterator[None]:
    capabilities = client_capabilities(request.param)
    if not show_document:
        assert capabilities.window is not None
        capabilities.window.show_document = None
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=capabilities,
            root_uri=tmp_path.as_uri(),
            initialization_options={"kb": {"path": str(locate.base_path())}},
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_ask_opens_the_answer_with_its_sources(client: LanguageClient) -> None:
    markdown = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(
            command="rustcoder.ask", arguments=["How do I read a file line by line?"]
        )
    )
    assert isinstance(markdown, str)
    assert markdown.startswith("# How do I read a file line by line?")
    assert "## [1] [" in markdown and "file://" in markdown
    shown = client.shown_documents  # type: ignore[attr-defined]
    assert len(shown) == 1 and shown[0].uri.endswith(".md")
    assert Path(unquote(urlparse(shown[0].uri).path)).read_text() == markdown


@pytest.mark.parametrize("show_document", [False], indirect=True)
async def test_ask_without_show_document_shows_the_best_page(
    client: LanguageClient, show_document: bool
) -> None:
    markdown = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="rustcoder.ask", arguments=["What does E0502 mean?"])
    )
    assert isinstance(markdown, str) and "error_codes/E0502.html" in markdown
    assert client.shown_documents == []  # type: ignore[attr-defined]
    assert any("E0502.html" in m.message for m in client.messages)


async def test_ask_rejects_a_missing_question(client: LanguageClient) -> None:
    with pytest.raises(Exception, match="expects a question"):
        await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="rustcoder.ask", arguments=[""])
        )
