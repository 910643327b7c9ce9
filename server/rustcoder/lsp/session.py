"""What one editor session knows across requests, in one typed object.

Features read and change the session, never module globals: the settings,
the engine (`Runtime`), the diagnostics of the last checks, the workspaces
found so far, which buffers differ from disk, and the client's resolved
capabilities.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rustcoder.cargo.diagnostic_store import DiagnosticStore
from rustcoder.cargo.scheduler import CheckScheduler
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import Settings
from rustcoder.lsp.capabilities import ResolvedClientCapabilities
from rustcoder.runtime import Runtime


@dataclass
class Session:
    #: Runs the workspace checks (debounced, one at a time per workspace).
    scheduler: CheckScheduler
    settings: Settings = field(default_factory=Settings)
    #: The engine: knowledge base, fix service, learning; opened with the settings.
    runtime: Runtime | None = None
    store: DiagnosticStore = field(default_factory=DiagnosticStore)
    #: Workspace of each file URI seen so far (None: not in a Cargo package).
    file_workspaces: dict[str, CargoWorkspace | None] = field(default_factory=dict)
    workspaces: dict[Path, CargoWorkspace] = field(default_factory=dict)
    #: Open documents whose buffer differs from disk (changed since open/save).
    unsaved: set[str] = field(default_factory=set)
    #: Messages already shown once, so a repeated problem does not nag.
    shown_messages: set[str] = field(default_factory=set)
    capabilities: ResolvedClientCapabilities = field(default_factory=ResolvedClientCapabilities)
    #: initializationOptions, applied once the client says `initialized`.
    init_options: Any = None
