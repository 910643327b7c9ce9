"""Document lifecycle: find the file's Cargo workspace and schedule checks."""

from __future__ import annotations

import asyncio
from pathlib import Path

from lsprotocol import types as lsp
from pygls.uris import to_fs_path

from rustcoder.cargo.workspace import CargoNotFoundError, CargoWorkspace, locate_workspace
from rustcoder.lsp.server import RustcoderServer

CHECKED_SUFFIXES = (".rs", "Cargo.toml", "Cargo.lock", "build.rs")


def _file_path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


async def workspace_for(ls: RustcoderServer, uri: str) -> CargoWorkspace | None:
    """The Cargo workspace of `uri`, with a clear message when there is none."""
    if uri in ls.file_workspaces:
        return ls.file_workspaces[uri]
    path = _file_path(uri)
    if path is None:
        return None
    try:
        workspace = await asyncio.to_thread(locate_workspace, path, ls.settings.check.cargo_path)
    except CargoNotFoundError as exc:
        ls.show_message_once(str(exc), lsp.MessageType.Error)
        return None
    if workspace is None:
        ls.show_message_once(
            f"rustcoder: {path.name} is not inside a Cargo package (no Cargo.toml above "
            f"{path.parent}); it gets no diagnostics from rustcoder.",
            lsp.MessageType.Info,
        )
    else:
        workspace = ls.workspaces.setdefault(workspace.root, workspace)
    ls.file_workspaces[uri] = workspace
    return workspace


def register(server: RustcoderServer) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: RustcoderServer, params: lsp.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.unsaved.discard(uri)
        workspace = await workspace_for(ls, uri)
        if workspace is None or not ls.settings.check.on_open:
            return
        # A workspace already checked needs no new run because another file opened.
        if workspace.root in ls.store.workspaces() or ls.scheduler.is_busy(workspace.root):
            return
        ls.scheduler.request(workspace)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: RustcoderServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.unsaved.add(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: RustcoderServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.unsaved.discard(uri)
        if not uri.endswith(CHECKED_SUFFIXES):
            return
        if uri.endswith("Cargo.toml"):
            # The workspace layout may have changed.
            ls.file_workspaces.pop(uri, None)
        workspace = await workspace_for(ls, uri)
        if workspace is None or not ls.settings.check.on_save:
            return
        ls.scheduler.request(workspace, ls.settings.check.debounce_ms / 1000)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: RustcoderServer, params: lsp.DidCloseTextDocumentParams) -> None:
        # Diagnostics stay: cargo's view of the file on disk is still true.
        ls.unsaved.discard(params.text_document.uri)
