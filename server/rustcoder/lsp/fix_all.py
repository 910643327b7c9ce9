"""The "Fix all verified errors in file" source action and its command.

The rounds are the fix service's (`FixService.fix_rounds`): the same sources
and model as the quick fixes, verified in shadow copies.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.edits import Edit
from rustcoder.lsp.workspace_edits import workspace_edit

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

FIX_ALL_COMMAND = "rustcoder.fixAllInFile"


async def fix_all_edit(
    ls: RustcoderServer, workspace: CargoWorkspace, uri: str
) -> lsp.WorkspaceEdit | None:
    """Run fix rounds for this file's errors; one edit replacing the file's text."""
    path = Path(to_fs_path(uri) or "")
    report = await ls.runtime.fixes.fix_rounds(workspace, only_file=path)
    if path not in report.changed:
        return None
    before, after = report.changed[path]
    whole_file = Edit(path, 0, len(before), after)
    return workspace_edit(ls, [whole_file], lambda _path: before)


def register(server: RustcoderServer) -> None:
    # pygls resolves a command handler's annotations at run time, and features name the
    # server class only for type checking: the handler takes pygls' base class and
    # works on `server`, the same object.
    @server.command(FIX_ALL_COMMAND)
    async def fix_all_in_file(ls: LanguageServer, uri: str) -> bool:
        workspace = server.session.file_workspaces.get(uri)
        if workspace is None:
            server.show_message_once(
                f"rustcoder: {uri} is not in a checked crate", lsp.MessageType.Info
            )
            return False
        edit = await fix_all_edit(server, workspace, uri)
        if edit is None:
            server.window_show_message(
                lsp.ShowMessageParams(
                    type=lsp.MessageType.Info, message="rustcoder: no verified fix for this file"
                )
            )
            return False
        result = await server.workspace_apply_edit_async(
            lsp.ApplyWorkspaceEditParams(edit=edit, label="Fix all verified errors")
        )
        return bool(result.applied)
