"""Compile-and-fix rounds with a code model, for `rustcoder fix`.

After the rule-based rounds stall, each model round feeds the remaining errors
of a file to the model (all at once, then one diagnostic at a time), and
compiles every proposal in a shadow copy. A proposal is taken only if it
introduces no error and removes at least one, so a wrong or garbage model can
cost time but never makes the crate worse.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rustcoder.cargo.flycheck import CheckOutcome
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.compare import ErrorSet, is_error
from rustcoder.fix.engine import FixEngine, Verification
from rustcoder.fix.model_source import ModelSource
from rustcoder.models.backend import CancelToken

log = logging.getLogger(__name__)

#: Diagnostics of one file asked about one at a time, when the whole-file fix fails.
PER_FILE_SINGLE = 3


@dataclass
class ModelFix:
    candidate: Candidate
    verification: Verification
    #: The diagnostic the fix was asked for (the file's first error for whole-file fixes).
    target: RustDiagnostic
    #: "file" (all errors of a file at once) or "diagnostic".
    scope: str


def improves(verification: Verification, baseline: ErrorSet) -> bool:
    """No error introduced, and the target or some other error gone."""
    comparison = verification.comparison
    if verification.outcome is None or comparison is None or comparison.introduced:
        return False
    if verification.status in ("timeout", "failed"):
        return False
    return comparison.target_gone or comparison.remaining < baseline.total


def _primary_path(diagnostic: RustDiagnostic, root: Path) -> Path | None:
    primary = next((s for s in diagnostic.spans if s.is_primary), None)
    if primary is None:
        return None
    path = Path(primary.file_name)
    return path if path.is_absolute() else root / path


def errors_by_file(
    diagnostics: list[RustDiagnostic], root: Path
) -> dict[Path, list[RustDiagnostic]]:
    """Errors per file, each once (`--all-targets` reports a lib's errors again for its tests)."""
    result: dict[Path, list[RustDiagnostic]] = {}
    seen: set[tuple[Path, str | None, str, int, int]] = set()
    for diagnostic in diagnostics:
        path = _primary_path(diagnostic, root)
        if not is_error(diagnostic) or path is None or not path.is_relative_to(root):
            continue
        primary = next(s for s in diagnostic.spans if s.is_primary)
        key = (path, diagnostic.code, diagnostic.message, primary.byte_start, primary.byte_end)
        if key in seen:
            continue
        seen.add(key)
        result.setdefault(path, []).append(diagnostic)
    return result


def _refused(engine: FixEngine, candidate: Candidate, say: Callable[[str], None] | None) -> bool:
    """A placeholder from the model is not a fix (unless the run allows stubs)."""
    placeholder = engine.refused_stub(candidate)
    if placeholder is not None and say:
        say(f"model: proposal adds {placeholder}, a placeholder: not applied")
    return placeholder is not None


async def model_round(
    engine: FixEngine,
    source: ModelSource,
    outcome: CheckOutcome,
    only_file: Path | None = None,
    say: Callable[[str], None] | None = None,
    cancel: CancelToken | None = None,
) -> ModelFix | None:
    """One round: the first model proposal that verifiably improves the crate, or None.

    `ModelError` (server down, model missing) propagates: the caller reports it.
    """
    root = engine.workspace.root
    baseline = ErrorSet.of(outcome.diagnostics, outcome.workspace.root)
    state = await asyncio.to_thread(engine.state_key)
    token = cancel or CancelToken()
    for path, file_errors in errors_by_file(outcome.diagnostics, root).items():
        if only_file is not None and path != only_file:
            continue
        text = engine.read_text(path)
        if text is None:
            continue
        try:
            whole = await asyncio.to_thread(
                source.generate_file, path, text, file_errors, root, token
            )
        except asyncio.CancelledError:
            token.cancel()
            raise
        if whole is not None and _refused(engine, whole, say):
            whole = None
        if whole is not None:
            verification = await engine.verify(whole, file_errors[0], baseline, state)
            if say:
                say(f"model: whole-file fix of {path.name}: {verification.status}")
            if improves(verification, baseline):
                return ModelFix(whole, verification, file_errors[0], "file")
        for target in file_errors[:PER_FILE_SINGLE]:
            ctx = FixContext(root, target, engine.read_text, list(outcome.diagnostics))
            for candidate in await source.agenerate(ctx, token):
                if _refused(engine, candidate, say):
                    continue
                verification = await engine.verify(candidate, target, baseline, state)
                if say:
                    say(f"model: fix of {target.code} {target.message!r}: {verification.status}")
                if verification.ok and improves(verification, baseline):
                    return ModelFix(candidate, verification, target, "diagnostic")
    return None
