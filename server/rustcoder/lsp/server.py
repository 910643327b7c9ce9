"""The pygls server object and the state the features share.

Features live in their own modules and register themselves on the server in
`create_server`, as in esbonio; this module only holds shared state.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from rustcoder import __version__
from rustcoder.cargo.diagnostic_store import DiagnosticStore
from rustcoder.cargo.scheduler import CheckScheduler
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings, Settings
from rustcoder.fix.engine import FixSettings
from rustcoder.fix.learning_tracker import LearningTracker
from rustcoder.fix.service import FixService
from rustcoder.lsp.protocol import RustcoderProtocol

log = logging.getLogger(__name__)


class RustcoderServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "rustcoder",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=RustcoderProtocol,
        )
        self.settings = Settings()
        self.store = DiagnosticStore()
        #: Workspace of each file URI seen so far (None: not in a Cargo package).
        self.file_workspaces: dict[str, CargoWorkspace | None] = {}
        self.workspaces: dict[Path, CargoWorkspace] = {}
        #: Open documents whose buffer differs from disk (changed since open/save).
        self.unsaved: set[str] = set()
        #: Messages already shown once, so a repeated problem does not nag.
        self.shown_messages: set[str] = set()
        self.scheduler: CheckScheduler
        #: initializationOptions, applied once the client says `initialized`.
        self.init_options: Any = None
        self.fixes = FixService()
        self.learning = LearningTracker()
        #: (kind, function) pairs whose actions join every code-action answer.
        self.code_action_contributors: list[tuple[str, Any]] = []
        #: The knowledge base (`rustcoder.kb.service.KnowledgeBase`); opened with the settings.
        self.kb: Any = None

    def settings_check(self) -> CheckSettings:
        return self.settings.check

    def configure_fixes(self) -> None:
        """Push the current settings into the fix service."""
        self.fixes.check_settings = self.settings.check
        self.fixes.fix_settings = FixSettings(
            parallel=1, timeout_seconds=self.settings.fix.timeout_seconds
        )
        self.fixes.verify_enabled = self.settings.fix.verify
        self.fixes.background_enabled = self.settings.fix.background_verify
        self.fixes.max_actions = self.settings.fix.max_actions
        self.fixes.configure_model(
            self.settings.model, lambda m: self.show_message_once(m, lsp.MessageType.Warning)
        )
        from rustcoder.lsp.explain import open_knowledge_base

        open_knowledge_base(self)  # before engines are rebuilt: their sources use it
        for root in list(self.workspaces):
            self.fixes.forget(root)

    # --- helpers used by several features ---------------------------------

    def show_message_once(self, message: str, kind: lsp.MessageType) -> None:
        """Show a message to the user once per session; always log it."""
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))
        if message in self.shown_messages:
            return
        self.shown_messages.add(message)
        self.window_show_message(lsp.ShowMessageParams(type=kind, message=message))

    @property
    def position_encoding(self) -> str:
        try:
            return str(self.workspace.position_encoding or "utf-16")
        except RuntimeError:
            return "utf-16"

    def supports_work_done_progress(self) -> bool:
        caps = self.client_capabilities
        return bool(caps and caps.window and caps.window.work_done_progress)

    def supports_document_changes(self) -> bool:
        caps = self.client_capabilities
        return bool(
            caps
            and caps.workspace
            and caps.workspace.workspace_edit
            and caps.workspace.workspace_edit.document_changes
        )


def create_server() -> RustcoderServer:
    # Imported here: each feature module registers handlers on the server.
    from rustcoder.lsp import (
        code_actions,
        configuration,
        documents,
        explain,
        fix_all,
        flycheck,
        generate_crate,
        hover,
    )

    server = RustcoderServer()
    configuration.register(server)
    flycheck.register(server)
    documents.register(server)
    code_actions.register(server)
    fix_all.register(server)
    explain.register(server)  # after code_actions: its actions join the quick fixes
    hover.register(server)
    generate_crate.register(server)
    return server
