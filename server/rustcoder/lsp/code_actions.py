"""textDocument/codeAction: rustc's suggestions as quick fixes.

No compile happens on this path: titles and edits come from the stored check
result, so the reply is immediate. Edits are withheld when the document has
changed since the check (they were computed for other text).
"""

from __future__ import annotations

import logging

from lsprotocol import types as lsp

from rustcoder.cargo.to_lsp import QuickFix
from rustcoder.fix.rustc_suggestions import fixes_for_request
from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)


def workspace_edit(ls: RustcoderServer, fix: QuickFix) -> lsp.WorkspaceEdit:
    by_uri: dict[str, list[lsp.TextEdit]] = {}
    for edit in fix.edits:
        by_uri.setdefault(edit.uri, []).append(
            lsp.TextEdit(range=edit.range, new_text=edit.new_text)
        )
    if not ls.supports_document_changes():
        return lsp.WorkspaceEdit(changes=by_uri)
    changes: list[lsp.TextDocumentEdit] = []
    for uri, edits in by_uri.items():
        doc = ls.workspace.text_documents.get(uri)
        changes.append(
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=doc.version if doc is not None else None
                ),
                edits=list(edits),
            )
        )
    return lsp.WorkspaceEdit(document_changes=changes)


def code_actions(ls: RustcoderServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    only = params.context.only
    if only and not any(str(kind).startswith(str(lsp.CodeActionKind.QuickFix)) for kind in only):
        return []
    doc = ls.workspace.text_documents.get(uri)
    current_version = doc.version if doc is not None else None
    actions: list[lsp.CodeAction] = []
    for file_diags in ls.store.for_uri(uri):
        if not file_diags.edits_valid_for(current_version, uri in ls.unsaved):
            log.info("code action for %s skipped: document changed since the last check", uri)
            continue
        for item in fixes_for_request(
            file_diags.mapped, params.range, list(params.context.diagnostics)
        ):
            actions.append(
                lsp.CodeAction(
                    title=item.fix.title,
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=item.diagnostics,
                    is_preferred=item.fix.is_preferred or None,
                    edit=workspace_edit(ls, item.fix),
                )
            )
    return actions


def register(server: RustcoderServer) -> None:
    @server.feature(
        lsp.TEXT_DOCUMENT_CODE_ACTION,
        lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix]),
    )
    def on_code_action(
        ls: RustcoderServer, params: lsp.CodeActionParams
    ) -> list[lsp.CodeAction] | None:
        return code_actions(ls, params) or None
