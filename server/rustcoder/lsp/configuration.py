"""Settings from initializationOptions and workspace/didChangeConfiguration."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp

from rustcoder.config import parse_settings
from rustcoder.lsp.capabilities import ResolvedClientCapabilities

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer


def apply_settings(ls: RustcoderServer, raw: Any, origin: str) -> None:
    settings, problems = parse_settings(raw)
    ls.configure(settings)
    for problem in problems:
        ls.show_message_once(f"rustcoder settings ({origin}): {problem}", lsp.MessageType.Warning)


def register(server: RustcoderServer) -> None:
    @server.feature(lsp.INITIALIZE)
    def initialize(ls: RustcoderServer, params: lsp.InitializeParams) -> None:
        ls.session.init_options = params.initialization_options
        ls.session.capabilities = ResolvedClientCapabilities.of(params.capabilities)

    @server.feature(lsp.INITIALIZED)
    def initialized(ls: RustcoderServer, params: lsp.InitializedParams) -> None:
        # Always: this also opens the knowledge base, so background verification
        # and the first resolve already use it.
        apply_settings(ls, ls.session.init_options or {}, "initializationOptions")

    @server.feature(lsp.WORKSPACE_DID_CHANGE_CONFIGURATION)
    async def did_change_configuration(
        ls: RustcoderServer, params: lsp.DidChangeConfigurationParams
    ) -> None:
        raw = params.settings
        if isinstance(raw, dict) and "rustcoder" in raw:
            raw = raw["rustcoder"]
        if not raw and ls.session.capabilities.pull_configuration:
            pulled = await ls.workspace_configuration_async(
                lsp.ConfigurationParams(items=[lsp.ConfigurationItem(section="rustcoder")])
            )
            raw = pulled[0] if pulled else None
        apply_settings(ls, raw or {}, "didChangeConfiguration")
        for workspace in list(ls.session.workspaces.values()):
            ls.session.scheduler.request(workspace)
