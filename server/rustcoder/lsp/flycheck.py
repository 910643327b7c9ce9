"""Run the workspace check with work-done progress and publish what it found."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from lsprotocol import types as lsp

from rustcoder.cargo.diagnostic_store import FileDiagnostics
from rustcoder.cargo.flycheck import CheckOutcome, run_check
from rustcoder.cargo.scheduler import CheckScheduler
from rustcoder.cargo.to_lsp import DiagnosticMapper
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.lsp.progress import WorkDoneProgress
from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)


def publish(ls: RustcoderServer, files: list[FileDiagnostics]) -> None:
    enabled = ls.settings.diagnostics.enable
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
    progress = WorkDoneProgress(ls, f"cargo {ls.settings.check.command}", "check")
    await progress.begin(workspace.root.name)
    versions = _open_documents_under(ls, workspace.root)
    unsaved = frozenset(uri for uri in versions if uri in ls.unsaved)
    mapper = DiagnosticMapper(
        workspace.root, ls.position_encoding, ls.settings.diagnostics.hints_for_children
    )
    try:
        outcome = await run_check(workspace, ls.settings.check, mapper.add)
    except asyncio.CancelledError:
        progress.end("cancelled")
        raise
    if outcome.error and not outcome.diagnostics:
        progress.end("failed")
        ls.show_message_once(outcome.error, lsp.MessageType.Error)
        return
    if outcome.error:
        ls.show_message_once(outcome.error, lsp.MessageType.Warning)
    publish(ls, ls.store.replace(workspace.root, mapper.by_uri, versions, unsaved))
    ls.learning.on_check(workspace, outcome)
    await ls.fixes.on_check(workspace, outcome)
    log.info("checked %s in %.2fs: %s", workspace.root, outcome.duration_s, summary(outcome))
    progress.end(summary(outcome))


def forget_workspace(ls: RustcoderServer, workspace: CargoWorkspace, why: str) -> None:
    """Drop a workspace that vanished; clear what was published for it."""
    ls.scheduler.cancel(workspace.root)
    ls.workspaces.pop(workspace.root, None)
    ls.fixes.forget(workspace.root)
    for uri, ws in list(ls.file_workspaces.items()):
        if ws is not None and ws.root == workspace.root:
            del ls.file_workspaces[uri]
    publish(ls, ls.store.clear_workspace(workspace.root))
    ls.window_log_message(
        lsp.LogMessageParams(
            type=lsp.MessageType.Info,
            message=f"rustcoder stopped checking {workspace.root}: {why}",
        )
    )


def register(server: RustcoderServer) -> None:
    async def run(workspace: CargoWorkspace) -> None:
        await check_workspace(server, workspace)

    server.scheduler = CheckScheduler(run)

    @server.feature(lsp.SHUTDOWN)
    def shutdown(ls: RustcoderServer, params: None) -> None:
        ls.scheduler.cancel_all()
        ls.fixes.shutdown()
