"""Explain E0xxx actions and hover on diagnostics, end to end with a real server and KB."""

from __future__ import annotations

import os
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Union

import pytest
import pytest_lsp
from lsprotocol import types as lsp
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from rustcoder.kb.builder import build
from rustcoder.kb.learn import LearningStore
from rustcoder.kb.recipe_data import load_recipes
from rustcoder.kb.store import KbStore
from tests.kb.conftest import cache_dir_for
from tests.lsp.helpers import (
    CLIENTS,
    code_actions,
    copy_crate,
    open_file,
    save_file,
    wait_for_diagnostics,
    wait_until,
)

SERVER = [sys.executable, "-m", "rustcoder", "serve"]
CODES = ["E0308", "E0382", "E0425", "E0433", "E0599"]


@pytest.fixture(scope="module")
def small_kb(tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest) -> Path:
    """A real base over a few codes (the real rustc, asked only about these) and their recipes."""
    folder = tmp_path_factory.mktemp("kb")
    rustc = folder / "rustc"
    rustc.write_text(
        "#!/bin/sh\n"
        f'if [ "$1" = "--explain" ]; then case " {" ".join(CODES)} " in *" $2 "*) ;; '
        "*) exit 1;; esac; fi\n"
        'exec rustc "$@"\n'
    )
    rustc.chmod(0o755)
    recipes = [r for r in load_recipes() if r.code in CODES]
    out = folder / "kb.sqlite"
    build(out, rustc=str(rustc), recipes=recipes,
          cache_dir=cache_dir_for(request.config, tmp_path_factory))  # fmt: skip
    return out


@pytest.fixture(autouse=True)
def hermetic_user_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The server learns into this test's own file (the env is read when it starts)."""
    monkeypatch.setenv("RUSTCODER_USER_KB", str(tmp_path / "learned.sqlite"))


@pytest.fixture
def workspace_dir(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    return root


@pytest.fixture
def kb_setting(small_kb: Path, tmp_path: Path, request: pytest.FixtureRequest) -> str:
    """The `kb.path` setting: the small real base, or (parametrized "corrupt") a broken file."""
    if getattr(request, "param", None) == "corrupt":
        broken = tmp_path / "broken-kb.sqlite"
        broken.write_bytes(small_kb.read_bytes()[:3000])
        return str(broken)
    return str(small_kb)


@pytest.fixture
def show_document(request: pytest.FixtureRequest) -> bool:
    """Whether the client can show documents (parametrize indirectly with False to drop it)."""
    return bool(getattr(request, "param", True))


@pytest_lsp.fixture(config=ClientServerConfig(server_command=SERVER), params=CLIENTS)
async def client(
    lsp_client: LanguageClient,
    request: pytest.FixtureRequest,
    workspace_dir: Path,
    kb_setting: str,
    show_document: bool,
) -> AsyncIterator[None]:
    _read_code_actions_as_editors_do(lsp_client)
    capabilities = client_capabilities(request.param)
    if not show_document:
        assert capabilities.window is not None
        capabilities.window.show_document = None
    await lsp_client.initialize_session(
        lsp.InitializeParams(
            capabilities=capabilities,
            root_uri=workspace_dir.as_uri(),
            workspace_folders=[lsp.WorkspaceFolder(uri=workspace_dir.as_uri(), name="ws")],
            initialization_options={"kb": {"path": kb_setting}},
        )
    )
    yield
    await lsp_client.shutdown_session()


def _read_code_actions_as_editors_do(client: LanguageClient) -> None:
    """lsprotocol reads any code action that has a `command` as a `Command`; editors
    (VS Code, Neovim) tell them apart by whether `command` is a string."""
    converter = client.protocol._converter

    def hook(obj: Any, _: type) -> lsp.Command | lsp.CodeAction:
        if isinstance(obj.get("command"), str):
            return converter.structure(obj, lsp.Command)
        return converter.structure(obj, lsp.CodeAction)

    converter.register_structure_hook(Union[lsp.Command, lsp.CodeAction], hook)  # noqa: UP007


async def _typo_diagnostic(
    client: LanguageClient, workspace_dir: Path
) -> tuple[str, lsp.Diagnostic]:
    crate = copy_crate("fix_typo", workspace_dir)
    uri = open_file(client, crate / "src" / "lib.rs")
    diags = await wait_for_diagnostics(
        client, uri, lambda ds: any(d.code == "E0425" for d in ds), "E0425"
    )
    return uri, next(
        d for d in diags if d.code == "E0425" and d.severity == lsp.DiagnosticSeverity.Error
    )


async def test_explain_action_opens_the_explanation(
    client: LanguageClient, workspace_dir: Path
) -> None:
    uri, target = await _typo_diagnostic(client, workspace_dir)
    actions = await code_actions(client, uri, target)
    explain = [a for a in actions if a.kind == "rustcoder.explain"]
    assert [a.title for a in explain] == ["Explain E0425"]
    assert explain[0].command is not None
    assert explain[0].command.command == "rustcoder.explainError"
    # The quick fixes are still there, and come first.
    assert actions[0].kind == lsp.CodeActionKind.QuickFix
    markdown = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(
            command=explain[0].command.command, arguments=explain[0].command.arguments
        )
    )
    assert isinstance(markdown, str)
    assert markdown.startswith("# E0425: An unresolved name was used.")
    assert "```rust" in markdown
    shown = client.shown_documents  # type: ignore[attr-defined]
    assert len(shown) == 1 and shown[0].uri.endswith("E0425.md")
    assert Path(lsp_path(shown[0].uri)).read_text() == markdown


def lsp_path(uri: str) -> str:
    from urllib.parse import unquote, urlparse

    return unquote(urlparse(uri).path)


@pytest.mark.parametrize("show_document", [False], indirect=True)
async def test_explain_without_show_document_shows_a_message(
    client: LanguageClient, workspace_dir: Path, show_document: bool
) -> None:
    assert not show_document
    await _typo_diagnostic(client, workspace_dir)
    markdown = await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(command="rustcoder.explainError", arguments=["E0425"])
    )
    assert isinstance(markdown, str) and markdown.startswith("# E0425")
    assert client.shown_documents == []  # type: ignore[attr-defined]
    (message,) = [m for m in client.messages if m.message.startswith("E0425:")]
    assert message.type == lsp.MessageType.Info
    assert "unresolved name" in message.message


async def test_kinds_asked_for_decide_whether_explain_comes(
    client: LanguageClient, workspace_dir: Path
) -> None:
    uri, target = await _typo_diagnostic(client, workspace_dir)

    async def kinds(only: list[str]) -> list[str]:
        result = await client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=target.range,
                context=lsp.CodeActionContext(diagnostics=[target], only=only),
            )
        )
        return [str(a.kind) for a in result or [] if isinstance(a, lsp.CodeAction)]

    assert await kinds(["rustcoder.explain"]) == ["rustcoder.explain"]
    assert await kinds(["rustcoder"]) == ["rustcoder.explain"]
    assert "rustcoder.explain" not in await kinds(["quickfix"])
    assert "rustcoder.explain" not in await kinds(["source"])


async def test_a_fix_the_user_makes_is_learned(
    client: LanguageClient, workspace_dir: Path, tmp_path: Path
) -> None:
    uri, _ = await _typo_diagnostic(client, workspace_dir)
    lib = workspace_dir / "fix_typo" / "src" / "lib.rs"
    fixed = lib.read_text().replace("    runing_total\n", "    running_total\n")
    save_file(client, lib, fixed, version=2)
    await wait_for_diagnostics(client, uri, lambda ds: not any(d.code == "E0425" for d in ds),
                               "E0425 to disappear")  # fmt: skip
    store_path = Path(os.environ["RUSTCODER_USER_KB"])

    def learned() -> list[dict[str, Any]]:
        if not store_path.exists():
            return []
        store = LearningStore(KbStore.open(store_path), embedder=None)  # type: ignore[arg-type]
        try:
            return store.entries()
        finally:
            store.close()

    await wait_until(lambda: bool(learned()), "the fix to be learned")
    (entry,) = learned()
    assert entry["code"] == "E0425" and entry["source"] == "user"
    assert "-    runing_total" in entry["diff"] and "+    running_total" in entry["diff"]


async def test_explain_command_rejects_bad_arguments(client: LanguageClient) -> None:
    with pytest.raises(Exception, match="expects an error code"):
        await client.workspace_execute_command_async(
            lsp.ExecuteCommandParams(command="rustcoder.explainError", arguments=["rm -rf"])
        )


async def test_hover_on_a_diagnostic_shows_explanation_and_matches(
    client: LanguageClient, workspace_dir: Path
) -> None:
    uri, target = await _typo_diagnostic(client, workspace_dir)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=target.range.start
        )
    )
    assert hover is not None
    assert isinstance(hover.contents, lsp.MarkupContent)
    assert hover.contents.kind == lsp.MarkupKind.Markdown
    text = hover.contents.value
    assert text.startswith("**E0425**: An unresolved name was used.")
    assert "**Known fixes**" in text
    assert "error_codes/E0425.html" in text
    assert hover.range == target.range
    # Away from any diagnostic: no hover.
    nothing = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri),
            position=lsp.Position(line=0, character=0),
        )
    )
    assert nothing is None


@pytest.mark.parametrize("kb_setting", ["corrupt"], indirect=True)
async def test_corrupt_kb_leaves_the_server_working(
    client: LanguageClient, workspace_dir: Path, kb_setting: str
) -> None:
    assert kb_setting.endswith("broken-kb.sqlite")
    uri, target = await _typo_diagnostic(client, workspace_dir)
    await wait_until(lambda: any("rustcoder kb build" in m.message for m in client.messages),
                     "a message naming the rebuild command")  # fmt: skip
    warning = next(m for m in client.messages if "rustcoder kb build" in m.message)
    assert warning.type == lsp.MessageType.Warning
    assert "corrupt" in warning.message
    actions = await code_actions(client, uri, target)
    assert actions and all(a.kind != "rustcoder.explain" for a in actions)
    hover = await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=target.range.start
        )
    )
    assert hover is None
