"""The `rustcoder.generateCrate` command: progress, applyEdit with CreateFile, cancellation."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsprotocol import types as lsp
from pygls.uris import to_fs_path
from pytest_lsp import LanguageClient

from tests.generate.conftest import BROKEN_CRATE, DESCRIPTION
from tests.lsp.helpers import cargo_check_passes, wait_until
from tests.models.openai_server import FakeOpenAI, Reply


def configure(client: LanguageClient, endpoint: str) -> None:
    client.workspace_did_change_configuration(
        lsp.DidChangeConfigurationParams(settings={"rustcoder": {"model": {"endpoint": endpoint}}})
    )


def apply_creation(edit: lsp.WorkspaceEdit) -> list[Path]:
    """What an editor does with the edit: create each file, then insert its text."""
    created = []
    for change in edit.document_changes or []:
        if isinstance(change, lsp.CreateFile):
            path = Path(to_fs_path(change.uri) or "")
            assert not path.exists()
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text("")
            created.append(path)
        elif isinstance(change, lsp.TextDocumentEdit):
            path = Path(to_fs_path(change.text_document.uri) or "")
            (edit_,) = change.edits
            assert isinstance(edit_, lsp.TextEdit)
            path.write_text(path.read_text() + edit_.new_text)
    return created


async def run_generate(client: LanguageClient, folder: Path) -> object:
    return await client.workspace_execute_command_async(
        lsp.ExecuteCommandParams(
            command="rustcoder.generateCrate", arguments=[DESCRIPTION, folder.as_uri()]
        )
    )


async def test_generates_through_apply_edit_with_progress(
    client: LanguageClient, workspace_dir: Path
) -> None:
    edits: list[lsp.WorkspaceEdit] = []

    @client.feature(lsp.WORKSPACE_APPLY_EDIT)
    def apply_edit(params: lsp.ApplyWorkspaceEditParams) -> lsp.ApplyWorkspaceEditResult:
        edits.append(params.edit)
        apply_creation(params.edit)
        return lsp.ApplyWorkspaceEditResult(applied=True)

    folder = workspace_dir / "greeter"
    with FakeOpenAI() as fake:
        fake.script(BROKEN_CRATE)
        configure(client, fake.url)
        result = await run_generate(client, folder)
    assert isinstance(result, dict) and result["success"], result
    assert len(edits) == 1
    kinds = [type(c).__name__ for c in edits[0].document_changes or []]
    assert kinds == ["CreateFile", "TextDocumentEdit", "CreateFile", "TextDocumentEdit"]
    check = cargo_check_passes(folder, workspace_dir / "target")
    assert check.returncode == 0, check.stderr
    assert [d.uri for d in client.shown_documents][-1].endswith("greeter/src/main.rs")
    reports = [
        value
        for values in client.progress_reports.values()
        for value in values
        if isinstance(value, lsp.WorkDoneProgressReport)
    ]
    stages = " | ".join(r.message or "" for r in reports)
    assert "asking" in stages and "attempt 1: building" in stages and "fixing" in stages


@pytest.mark.no_resource_operations
async def test_without_resource_operations_files_are_written_and_shown(
    client: LanguageClient, workspace_dir: Path
) -> None:
    folder = workspace_dir / "plain"
    with FakeOpenAI() as fake:
        fake.script(BROKEN_CRATE)
        configure(client, fake.url)
        result = await run_generate(client, folder)
    assert isinstance(result, dict) and result["success"], result
    assert (folder / "src" / "main.rs").is_file() and (folder / "Cargo.toml").is_file()
    assert client.shown_documents[-1].uri == (folder / "src" / "main.rs").as_uri()


async def test_without_a_model_says_how_to_configure_one(
    client: LanguageClient, workspace_dir: Path
) -> None:
    result = await run_generate(client, workspace_dir / "x")
    assert isinstance(result, dict) and not result["success"]
    await wait_until(lambda: bool(client.messages), "a message")
    assert "rustcoder.model.endpoint" in client.messages[-1].message
    assert not (workspace_dir / "x").exists()


async def test_refuses_a_folder_that_has_files(client: LanguageClient, workspace_dir: Path) -> None:
    (workspace_dir / "keep.txt").write_text("mine")
    with FakeOpenAI() as fake:
        configure(client, fake.url)
        result = await run_generate(client, workspace_dir)
        assert fake.chat_requests() == []
    assert isinstance(result, dict) and "not an empty folder" in result["message"]


async def test_cancelling_the_progress_stops_generation(
    client: LanguageClient, workspace_dir: Path
) -> None:
    folder = workspace_dir / "never"
    with FakeOpenAI() as fake:
        fake.script(Reply(hang=True))
        configure(client, fake.url)
        task = asyncio.ensure_future(run_generate(client, folder))
        await wait_until(lambda: bool(fake.chat_requests()), "the model request", timeout=60)
        (token,) = [t for t in client.progress_reports if "generate" in str(t)]
        client.window_work_done_progress_cancel(lsp.WorkDoneProgressCancelParams(token=token))
        result = await asyncio.wait_for(task, 60)
    assert isinstance(result, dict) and result["message"] == "cancelled"
    assert not folder.exists()


async def test_an_empty_or_huge_description_is_refused(
    client: LanguageClient, workspace_dir: Path
) -> None:
    with FakeOpenAI() as fake:
        configure(client, fake.url)
        for description in ("  ", "x" * 50_000):
            result = await client.workspace_execute_command_async(
                lsp.ExecuteCommandParams(
                    command="rustcoder.generateCrate",
                    arguments=[description, (workspace_dir / "y").as_uri()],
                )
            )
            assert isinstance(result, dict) and "1 to 20000 characters" in result["message"]
        assert fake.chat_requests() == []
