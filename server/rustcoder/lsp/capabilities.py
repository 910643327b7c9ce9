"""What the client can do, resolved once at `initialize` (as ruff's server does).

Features ask these flags instead of walking the optional tree of
`ClientCapabilities` each time, so every feature reads a capability the same
way and a client that omits a section simply gets False.
"""

from __future__ import annotations

from dataclasses import dataclass

from lsprotocol import types as lsp


@dataclass(frozen=True)
class ResolvedClientCapabilities:
    #: Server-initiated `window/workDoneProgress/create`.
    work_done_progress: bool = False
    #: `documentChanges` (versioned edits) in workspace edits.
    document_changes: bool = False
    #: `CreateFile` resource operations in workspace edits.
    create_files: bool = False
    #: codeAction/resolve can fill in an action's edit (and actions carry data).
    resolve_code_action_edits: bool = False
    #: `window/showDocument`.
    show_document: bool = False
    #: `workspace/configuration` (settings can be pulled).
    pull_configuration: bool = False

    @classmethod
    def of(cls, caps: lsp.ClientCapabilities | None) -> ResolvedClientCapabilities:
        if caps is None:
            return cls()
        window = caps.window
        workspace = caps.workspace
        edit = workspace.workspace_edit if workspace else None
        text_document = caps.text_document
        action = text_document.code_action if text_document else None
        resolve = action.resolve_support if action else None
        show = window.show_document if window else None
        return cls(
            work_done_progress=bool(window and window.work_done_progress),
            document_changes=bool(edit and edit.document_changes),
            # Resource operations exist only inside `documentChanges`, so a client that
            # declares `create` handles them (Neovim declares it without documentChanges).
            create_files=bool(
                edit and lsp.ResourceOperationKind.Create in (edit.resource_operations or [])
            ),
            resolve_code_action_edits=bool(
                resolve and "edit" in resolve.properties and action and action.data_support
            ),
            show_document=bool(show and show.support),
            pull_configuration=bool(workspace and workspace.configuration),
        )
