"""The pygls server object: the session it serves and the features it fans requests out to.

Features live in their own modules and register themselves on the server in
`create_server`, as in esbonio; they import this class only for type checking,
so `lsp/` has no import circle. State lives in the typed `Session`; the engine
comes from the one composition root, `rustcoder.runtime`.
"""

from __future__ import annotations

import logging
from functools import partial

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from rustcoder import __version__
from rustcoder.cargo.scheduler import CheckScheduler
from rustcoder.config import Settings
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.lsp import (
    ask,
    code_actions,
    configuration,
    documents,
    explain,
    fix_all,
    flycheck,
    generate_crate,
    hover,
)
from rustcoder.lsp.action_registry import CodeActionRegistry
from rustcoder.lsp.protocol import RustcoderProtocol
from rustcoder.lsp.session import Session
from rustcoder.runtime import Runtime

log = logging.getLogger(__name__)


class RustcoderServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "rustcoder",
            __version__,
            text_document_sync_kind=lsp.TextDocumentSyncKind.Incremental,
            protocol_cls=RustcoderProtocol,
        )
        self.session = Session(scheduler=CheckScheduler(partial(flycheck.check_workspace, self)))
        self.action_registry = CodeActionRegistry()

    @property
    def runtime(self) -> Runtime:
        """The session's engine, opened with the settings so far on first use."""
        runtime = self.session.runtime
        if runtime is None:
            runtime = self.configure(self.session.settings)
        return runtime

    def configure(self, settings: Settings) -> Runtime:
        """Open the runtime, or reconfigure it for new settings (the KB reopens when its
        path changed; engines are rebuilt so their sources use it)."""
        self.session.settings = settings
        runtime = self.session.runtime
        before = runtime.kb if runtime is not None else None
        if runtime is None:
            runtime = self.session.runtime = Runtime.open(settings, warn=self._warn, api_wait=0.0)
        else:
            runtime.reconfigure(settings, warn=self._warn)
        if runtime.kb is not None and runtime.kb is not before:
            self._report_kb_problems(runtime.kb)
        return runtime

    def _warn(self, message: str) -> None:
        self.show_message_once(message, lsp.MessageType.Warning)

    def _report_kb_problems(self, kb: KnowledgeBase) -> None:
        """Say once how to get a usable knowledge base; every other feature works without."""
        for problem in kb.problems:
            if "no knowledge base" in problem or "out of date" in problem:
                # Not faults (everything still works): logged, not popped up.
                self.window_log_message(
                    lsp.LogMessageParams(type=lsp.MessageType.Info, message=f"rustcoder: {problem}")
                )
            else:
                self.show_message_once(f"rustcoder: {problem}", lsp.MessageType.Warning)

    # --- helpers used by several features ---------------------------------

    def show_message_once(self, message: str, kind: lsp.MessageType) -> None:
        """Show a message to the user once per session; always log it."""
        self.window_log_message(lsp.LogMessageParams(type=kind, message=message))
        if message in self.session.shown_messages:
            return
        self.session.shown_messages.add(message)
        self.window_show_message(lsp.ShowMessageParams(type=kind, message=message))

    @property
    def position_encoding(self) -> str:
        try:
            return str(self.workspace.position_encoding or "utf-16")
        except RuntimeError:
            return "utf-16"


def create_server() -> RustcoderServer:
    server = RustcoderServer()
    configuration.register(server)
    flycheck.register(server)
    documents.register(server)
    code_actions.register(server)
    fix_all.register(server)
    explain.register(server)  # after code_actions: its actions join the quick fixes
    hover.register(server)
    generate_crate.register(server)
    ask.register(server)
    return server
