"""The latest mapped diagnostics of every workspace, and which text they belong to.

Quick fixes carry byte-exact edits for the text cargo compiled. The store
remembers, per file, the document version that text had when the check
started (None when the buffer had unsaved changes), so a code action request
against a newer version gets no edits rather than edits against stale text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from lsprotocol import types as lsp

from rustcoder.cargo.to_lsp import MappedDiagnostic


@dataclass
class FileDiagnostics:
    uri: str
    #: Version of the open document the diagnostics apply to; None when it was not open.
    version: int | None
    mapped: list[MappedDiagnostic] = field(default_factory=list)
    #: The buffer had unsaved changes when the check started: cargo saw other text.
    unsaved_at_check: bool = False

    def edits_valid_for(self, current_version: int | None, unsaved_now: bool) -> bool:
        """Whether rustc's byte-exact edits still apply to the document as it is now."""
        if self.unsaved_at_check or unsaved_now:
            return False
        return self.version is None or current_version is None or self.version == current_version

    @property
    def lsp_diagnostics(self) -> list[lsp.Diagnostic]:
        return [m.diagnostic for m in self.mapped]


class DiagnosticStore:
    def __init__(self) -> None:
        self._by_workspace: dict[Path, dict[str, FileDiagnostics]] = {}

    def replace(
        self,
        root: Path,
        mapped_by_uri: dict[str, list[MappedDiagnostic]],
        versions: dict[str, int | None],
        unsaved: frozenset[str] = frozenset(),
    ) -> list[FileDiagnostics]:
        """Install a new check result; returns every file to publish, cleared ones empty.

        `versions` are the open documents' versions when the check started and
        `unsaved` the open documents whose buffers differed from disk then.
        """
        previous = self._by_workspace.get(root, {})
        current = {
            uri: FileDiagnostics(
                uri=uri, version=versions.get(uri), mapped=mapped, unsaved_at_check=uri in unsaved
            )
            for uri, mapped in mapped_by_uri.items()
        }
        self._by_workspace[root] = current
        cleared = [
            FileDiagnostics(uri=uri, version=versions.get(uri))
            for uri in previous
            if uri not in current
        ]
        return [*current.values(), *cleared]

    def clear_workspace(self, root: Path) -> list[FileDiagnostics]:
        previous = self._by_workspace.pop(root, {})
        return [FileDiagnostics(uri=uri, version=None) for uri in previous]

    def for_uri(self, uri: str) -> list[FileDiagnostics]:
        return [files[uri] for files in self._by_workspace.values() if uri in files]

    def workspaces(self) -> list[Path]:
        return list(self._by_workspace)

    def all_files(self) -> list[FileDiagnostics]:
        return [f for files in self._by_workspace.values() for f in files.values()]
