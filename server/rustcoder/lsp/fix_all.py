"""The "Fix all verified errors in file" source action and its command."""

from __future__ import annotations

from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import to_fs_path

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.engine import FixSettings
from rustcoder.fix.fix_command import fix_workspace
from rustcoder.lsp.server import RustcoderServer


async def fix_all_edit(
    ls: RustcoderServer, workspace: CargoWorkspace, uri: str
) -> lsp.WorkspaceEdit | None:
    """Run fix rounds for this file's errors; one edit replacing the file's text."""
    path = Path(to_fs_path(uri) or "")
    report = await fix_workspace(
        workspace,
        check_settings=ls.settings_check(),
        fix_settings=FixSettings(parallel=1, timeout_seconds=ls.settings.fix.timeout_seconds),
        only_file=path,
    )
    if path not in report.changed:
        return None
    before, after = report.changed[path]
    lines = before.split("\n")
    end = lsp.Position(line=len(lines) - 1, character=len(lines[-1].encode("utf-16-le")) // 2)
    if ls.position_encoding == "utf-8":
        end = lsp.Position(line=len(lines) - 1, character=len(lines[-1].encode("utf-8")))
    elif ls.position_encoding == "utf-32":
        end = lsp.Position(line=len(lines) - 1, character=len(lines[-1]))
    edit = lsp.TextEdit(
        range=lsp.Range(start=lsp.Position(line=0, character=0), end=end), new_text=after
    )
    doc = ls.workspace.text_documents.get(uri)
    if ls.supports_document_changes():
        return lsp.WorkspaceEdit(
            document_changes=[
                lsp.TextDocumentEdit(
                    text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                        uri=uri, version=doc.version if doc else None
                    ),
                    edits=[edit],
                )
            ]
        )
    return lsp.WorkspaceEdit(changes={uri: [edit]})


def register(server: RustcoderServer) -> None:
    @server.command("rustcoder.fixAllInFile")
    async def fix_all_in_file(ls: RustcoderServer, uri: str) -> bool:
        workspace = ls.file_workspaces.get(uri)
        if workspace is None:
            ls.show_message_once(
                f"rustcoder: {uri} is not in a checked crate", lsp.MessageType.Info
            )
            return False
        edit = await fix_all_edit(ls, workspace, uri)
        if edit is None:
            ls.window_show_message(
                lsp.ShowMessageParams(
                    type=lsp.MessageType.Info, message="rustcoder: no verified fix for this file"
                )
            )
            return False
        result = await ls.workspace_apply_edit_async(
            lsp.ApplyWorkspaceEditParams(edit=edit, label="Fix all verified errors")
        )
        return bool(result.applied)
