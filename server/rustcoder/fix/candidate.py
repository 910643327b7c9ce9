"""A candidate fix and the interface every source of candidates implements.

rustc's suggestions, knowledge-base recipes, learned examples and (later) a
code model all produce `Candidate`s for a target diagnostic; the engine ranks
and verifies them the same way whatever their source.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from rustcoder.cargo.messages import RustDiagnostic, Span
from rustcoder.fix.edits import Edit, byte_to_char_offset, sorted_edits

#: Source names, also the order of preference when nothing else decides.
SOURCE_RANK = {"rustc": 0, "kb": 1, "api": 1, "learned": 2, "model": 3}


@dataclass(frozen=True)
class Candidate:
    title: str
    source: str
    edits: tuple[Edit, ...]
    #: rustc's applicability for rustc suggestions; recipes say MaybeIncorrect.
    applicability: str = "MaybeIncorrect"
    #: The source's own confidence in [0, 1] (KB search score, ...).
    score: float = 0.0
    recipe_id: str | None = None

    @property
    def key(self) -> str:
        """Identity for caching and de-duplication: the edits, not the title."""
        payload = json.dumps(
            [[str(e.path), e.start, e.end, e.new_text] for e in sorted_edits(list(self.edits))]
        )
        return hashlib.sha256(payload.encode()).hexdigest()[:24]

    @property
    def files(self) -> set[Path]:
        return {e.path for e in self.edits}


@dataclass
class FixContext:
    """What a source needs to propose fixes for one diagnostic."""

    workspace_root: Path
    diagnostic: RustDiagnostic
    #: Reads a workspace file's current text (the engine's view, with overlays).
    read_text: Callable[[Path], str | None]
    #: Other diagnostics of the same check, for sources that look at context.
    others: list[RustDiagnostic] = field(default_factory=list)

    def primary_path(self) -> Path | None:
        for span in self.diagnostic.spans:
            if span.is_primary:
                path = Path(span.file_name)
                return path if path.is_absolute() else self.workspace_root / path
        return None

    def primary_location(self) -> PrimaryLocation | None:
        """The primary span in its file's current text (None: no span or unreadable file)."""
        span = next((s for s in self.diagnostic.spans if s.is_primary), None)
        path = self.primary_path()
        if span is None or path is None:
            return None
        text = self.read_text(path)
        if text is None:
            return None
        start = byte_to_char_offset(text, span.byte_start)
        return PrimaryLocation(span, path, text, start, byte_to_char_offset(text, span.byte_end))


@dataclass(frozen=True)
class PrimaryLocation:
    """Where a diagnostic points, as character offsets into the text sources edit."""

    span: Span
    path: Path
    text: str
    start: int
    end: int


class CandidateSource(Protocol):
    name: str

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        """Candidate fixes for `ctx.diagnostic`; never raises for odd input."""
        ...
