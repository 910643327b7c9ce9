"""Run the workspace check with work-done progress and publish what it found."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from rustcoder.cargo.diagnostic_store import FileDiagnostics
from rustcoder.cargo.flycheck import CheckOutcome, run_check
from rustcoder.cargo.to_lsp import DiagnosticMapper
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.lsp.progress import WorkDoneProgress

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)


def publish(ls: RustcoderServer, files: list[FileDiagnostics]) -> None:
    enabled = ls.session.settings.diagnostics.enable
    for f in files:
        ls.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(
                uri=f.uri,
                diagnostics=f.lsp_diagnostics if enabled else [],
                version=f.version,
            )
        )


def _open_documents_under(ls: RustcoderServer, root: Path) -> dict[str, int | None]:
    versions: dict[str, int | None] = {}
    for uri, doc in ls.workspace.text_documents.items():
        path = doc.path
        if path and Path(path).is_relative_to(root):
            versions[uri] = doc.version
    return versions


def summary(outcome: CheckOutcome) -> str:
    errors = outcome.error_count
    warnings = sum(1 for d in outcome.diagnostics if d.level == "warning")
    return f"{_plural(errors, 'error')}, {_plural(warnings, 'warning')}"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


async def check_workspace(ls: RustcoderServer, workspace: CargoWorkspace) -> None:
    if not workspace.root.is_dir() or not workspace.manifest.is_file():
        forget_workspace(ls, workspace, "its folder or Cargo.toml no longer exists")
        return
    session = ls.session
    progress = WorkDoneProgress(ls, f"cargo {session.settings.check.command}", "check")
    await progress.begin(workspace.root.name)
    versions = _open_documents_under(ls, workspace.root)
    unsaved = frozenset(uri for uri in versions if uri in session.unsaved)
    mapper = DiagnosticMapper(
        workspace.root, ls.position_encoding, session.settings.diagnostics.hints_for_children
    )
    try:
        outcome = await run_check(workspace, session.settings.check, mapper.add)
    except asyncio.CancelledError:
        progress.end("cancelled")
        raise
    if outcome.error and not outcome.diagnostics:
        progress.end("failed")
        ls.show_message_once(outcome.error, lsp.MessageType.Error)
        return
    if outcome.error:
        ls.show_message_once(outcome.error, lsp.MessageType.Warning)
    publish(ls, session.store.replace(workspace.root, mapper.by_uri, versions, unsaved))
    runtime = ls.runtime
    runtime.learning.on_check(workspace, outcome)
    await runtime.fixes.on_check(workspace, outcome)
    log.info("checked %s in %.2fs: %s", workspace.root, outcome.duration_s, summary(outcome))
    progress.end(summary(outcome))
    runtime.index_api_after_check(workspace)


def forget_workspace(ls: RustcoderServer, workspace: CargoWorkspace, why: str) -> None:
    """Drop a workspace that vanished; clear what was published for it."""
    session = ls.session
    session.scheduler.cancel(workspace.root)
    session.workspaces.pop(workspace.root, None)
    ls.runtime.fixes.forget(workspace.root)
    for uri, ws in list(session.file_workspaces.items()):
        if ws is not None and ws.root == workspace.root:
            del session.file_workspaces[uri]
    publish(ls, session.store.clear_workspace(workspace.root))
    ls.window_log_message(
        lsp.LogMessageParams(
            type=lsp.MessageType.Info,
            message=f"rustcoder stopped checking {workspace.root}: {why}",
        )
    )


def register(server: RustcoderServer) -> None:
    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: RustcoderServer, params: None) -> None:
        ls.session.scheduler.cancel_all()
        if ls.session.runtime is not None:
            ls.session.runtime.fixes.shutdown()
