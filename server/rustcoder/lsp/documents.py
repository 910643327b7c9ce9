"""Document lifecycle: find the file's Cargo workspace and schedule checks."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp
from pygls.uris import to_fs_path

from rustcoder.cargo.workspace import CargoNotFoundError, CargoWorkspace, locate_workspace

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

CHECKED_SUFFIXES = (".rs", "Cargo.toml", "Cargo.lock", "build.rs")


def _file_path(uri: str) -> Path | None:
    if not uri.startswith("file:"):
        return None
    path = to_fs_path(uri)
    return Path(path) if path else None


async def workspace_for(ls: RustcoderServer, uri: str) -> CargoWorkspace | None:
    """The Cargo workspace of `uri`, with a clear message when there is none."""
    if uri in ls.session.file_workspaces:
        return ls.session.file_workspaces[uri]
    path = _file_path(uri)
    if path is None:
        return None
    try:
        cargo = ls.session.settings.check.cargo_path
        workspace = await asyncio.to_thread(locate_workspace, path, cargo)
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
        workspace = ls.session.workspaces.setdefault(workspace.root, workspace)
    ls.session.file_workspaces[uri] = workspace
    return workspace


def register(server: RustcoderServer) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
    async def did_open(ls: RustcoderServer, params: lsp.DidOpenTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.session.unsaved.discard(uri)
        workspace = await workspace_for(ls, uri)
        if workspace is None or not ls.session.settings.check.on_open:
            return
        # A workspace already checked needs no new run because another file opened.
        session = ls.session
        if workspace.root in session.store.workspaces() or session.scheduler.is_busy(
            workspace.root
        ):
            return
        session.scheduler.request(workspace)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: RustcoderServer, params: lsp.DidChangeTextDocumentParams) -> None:
        ls.session.unsaved.add(params.text_document.uri)

    @server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
    async def did_save(ls: RustcoderServer, params: lsp.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls.session.unsaved.discard(uri)
        if not uri.endswith(CHECKED_SUFFIXES):
            return
        if uri.endswith("Cargo.toml"):
            # The workspace layout may have changed.
            ls.session.file_workspaces.pop(uri, None)
        workspace = await workspace_for(ls, uri)
        if workspace is None or not ls.session.settings.check.on_save:
            return
        ls.session.scheduler.request(workspace, ls.session.settings.check.debounce_ms / 1000)

    @server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: RustcoderServer, params: lsp.DidCloseTextDocumentParams) -> None:
        # Diagnostics stay: cargo's view of the file on disk is still true.
        ls.session.unsaved.discard(params.text_document.uri)
