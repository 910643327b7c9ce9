"""The engine's edits (paths, character offsets) as an LSP `WorkspaceEdit`.

One place converts for every feature that hands the client an edit (quick
fixes, "Fix all"): ranges in the negotiated position encoding, and versioned
`documentChanges` when the client takes them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from rustcoder.fix.edits import Edit, edit_range, group_by_file, lsp_new_text

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

#: The text the edits' offsets refer to (the engine's view of a file).
TextOf = Callable[[Path], str | None]


def workspace_edit(
    ls: RustcoderServer, edits: Iterable[Edit], read_text: TextOf
) -> lsp.WorkspaceEdit:
    """`edits` as LSP edits in the negotiated encoding."""
    encoding = ls.position_encoding
    by_uri: dict[str, list[lsp.TextEdit]] = {}
    for path, file_edits in group_by_file(edits).items():
        text = read_text(path) or ""
        uri = path.as_uri()
        for edit in file_edits:
            (sl, sc), (el, ec) = edit_range(text, edit, encoding)
            by_uri.setdefault(uri, []).append(
                lsp.TextEdit(
                    range=lsp.Range(
                        start=lsp.Position(line=sl, character=sc),
                        end=lsp.Position(line=el, character=ec),
                    ),
                    new_text=lsp_new_text(text, edit),
                )
            )
    if not ls.session.capabilities.document_changes:
        return lsp.WorkspaceEdit(changes=by_uri)
    changes: list[lsp.TextDocumentEdit] = []
    for uri, text_edits in by_uri.items():
        doc = ls.workspace.text_documents.get(uri)
        changes.append(
            lsp.TextDocumentEdit(
                text_document=lsp.OptionalVersionedTextDocumentIdentifier(
                    uri=uri, version=doc.version if doc is not None else None
                ),
                edits=list(text_edits),
            )
        )
    return lsp.WorkspaceEdit(document_changes=changes)
