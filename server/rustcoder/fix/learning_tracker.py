"""Notice when an error disappears, to learn from the fix that removed it.

Two ways an error goes away: the user applied one of our fixes (resolve told us
which), or the user edited the code themselves. Either way, once the next check
shows the error gone, the before/after hunk around it is handed to a sink (the
knowledge base's learning API) so the fix can be offered next time.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.cargo.flycheck import CheckOutcome
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.offsets import read_source
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import ErrorKey, ErrorSet, error_key, is_error
from rustcoder.fix.edits import byte_to_char_offset

log = logging.getLogger(__name__)

CONTEXT_LINES = 3


@dataclass(frozen=True)
class LearnedFix:
    """What disappeared and how the code around it changed."""

    code: str
    message: str
    rendered: str
    file: Path
    before: str
    after: str
    source: str  # "applied" (one of our fixes) or "user" (the user's own edit)
    title: str = ""


Sink = Callable[[LearnedFix], None]


def _hunk(text: str, start: int, end: int, context: int = CONTEXT_LINES) -> tuple[int, int]:
    """Line-aligned character range around [start, end) with `context` lines each side."""
    lo = start
    for _ in range(context + 1):
        lo = text.rfind("\n", 0, max(lo - 1, 0)) + 1 if lo > 0 else 0
    hi = end
    for _ in range(context + 1):
        nl = text.find("\n", hi)
        hi = len(text) if nl < 0 else nl + 1
    return lo, hi


@dataclass
class _Snapshot:
    diagnostics: list[RustDiagnostic]
    texts: dict[Path, str] = field(default_factory=dict)


class LearningTracker:
    def __init__(self, sink: Sink | None = None) -> None:
        self.sink = sink
        self._expected: dict[tuple[Path, ErrorKey], Candidate] = {}
        self._previous: dict[Path, _Snapshot] = {}
        self.learned: list[LearnedFix] = []

    def expect(self, workspace: CargoWorkspace, candidate: Candidate, target: ErrorKey) -> None:
        """A fix was resolved for the user: if the error disappears, credit it."""
        self._expected[(workspace.root, target)] = candidate

    def on_check(self, workspace: CargoWorkspace, outcome: CheckOutcome) -> list[LearnedFix]:
        root = workspace.root
        previous = self._previous.get(root)
        current = _Snapshot(diagnostics=[d for d in outcome.diagnostics if is_error(d)])
        for d in current.diagnostics:
            path = _primary_path(d, root)
            if path is not None and path not in current.texts:
                current.texts[path] = _read(path)
        self._previous[root] = current
        if previous is None:
            return []
        after = ErrorSet.of(current.diagnostics, root)
        before = ErrorSet.of(previous.diagnostics, root)
        learned: list[LearnedFix] = []
        for d in previous.diagnostics:
            key = error_key(d, root)
            if after.counts[key] >= before.counts[key]:
                continue
            path = _primary_path(d, root)
            primary = next(s for s in d.spans if s.is_primary)
            old_text = previous.texts.get(path) if path else None
            new_text = _read(path) if path else None
            if path is None or old_text is None or new_text is None or old_text == new_text:
                continue
            start = byte_to_char_offset(old_text, primary.byte_start)
            end = byte_to_char_offset(old_text, primary.byte_end)
            lo, hi = _hunk(old_text, start, end)
            # The same region in the new text: same prefix before it, same suffix after.
            suffix_len = len(old_text) - hi
            new_hi = len(new_text) - suffix_len
            if new_text[:lo] != old_text[:lo] or new_text[new_hi:] != old_text[hi:] or new_hi < lo:
                continue  # changes elsewhere too: not a clean hunk to learn from
            candidate = self._expected.pop((root, key), None)
            fix = LearnedFix(
                code=d.code or "",
                message=d.message,
                rendered=d.rendered or d.message,
                file=path,
                before=old_text[lo:hi],
                after=new_text[lo:new_hi],
                source="applied" if candidate else "user",
                title=candidate.title if candidate else "",
            )
            learned.append(fix)
            if self.sink is not None:
                try:
                    self.sink(fix)
                except Exception:
                    log.exception("could not store a learned fix")
        self.learned.extend(learned)
        return learned


def _primary_path(d: RustDiagnostic, root: Path) -> Path | None:
    primary = next((s for s in d.spans if s.is_primary), None)
    if primary is None:
        return None
    path = Path(primary.file_name)
    return path if path.is_absolute() else root / path


def _read(path: Path) -> str:
    return read_source(path) or ""
