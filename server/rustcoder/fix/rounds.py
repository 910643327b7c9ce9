"""Fix rounds: check, take the best verified fix per error, repeat; model rounds when stuck.

The core of `rustcoder fix`, the editor's "Fix all" and compile-and-fix. All
rounds happen in shadow copies (the engine's overlays); the report says what
changed, and the caller decides whether anything is written.
"""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rustcoder.cargo.flycheck import CheckOutcome
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate, CandidateSource
from rustcoder.fix.compare import ErrorSet, error_key, is_error
from rustcoder.fix.edits import unified_diff
from rustcoder.fix.engine import FixEngine, FixSettings, Verification
from rustcoder.fix.model_rounds import model_round
from rustcoder.fix.model_source import ModelSource
from rustcoder.fix.sources import rule_sources
from rustcoder.models.backend import ModelError


@dataclass
class AppliedFix:
    round: int
    code: str
    message: str
    title: str
    source: str
    status: str
    #: The files the fix edits, relative to the workspace.
    files: list[str] = field(default_factory=list)
    #: With --apply: whether its files were written, and if not, why.
    written: bool | None = None
    reason: str | None = None


@dataclass
class FixReport:
    workspace: Path
    applied: list[AppliedFix] = field(default_factory=list)
    errors_before: int = 0
    errors_after: int = 0
    unfixed: list[str] = field(default_factory=list)
    changed: dict[Path, tuple[str, str]] = field(default_factory=dict)
    rounds: int = 0
    seconds: float = 0.0
    error: str | None = None
    #: Why the model could not be used (the rule-based fixes still count).
    model_error: str | None = None
    #: With --apply: files written, files not written with the reason.
    written: list[Path] = field(default_factory=list)
    not_written: dict[Path, str] = field(default_factory=dict)
    #: Why the crate could not be checked again after writing (counts are then the shadow's).
    recheck_error: str | None = None

    def diff(self) -> str:
        return "".join(
            unified_diff(str(path.relative_to(self.workspace)), before, after)
            for path, (before, after) in sorted(self.changed.items())
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "workspace": str(self.workspace),
            "errorsBefore": self.errors_before,
            "errorsAfter": self.errors_after,
            "rounds": self.rounds,
            "seconds": round(self.seconds, 2),
            "applied": [vars(a) for a in self.applied],
            "unfixed": self.unfixed,
            "files": [str(p.relative_to(self.workspace)) for p in sorted(self.changed)],
            "diff": self.diff(),
            "error": self.error,
            "modelError": self.model_error,
            "written": [self._rel(p) for p in self.written],
            "notWritten": {self._rel(p): reason for p, reason in self.not_written.items()},
            "recheckError": self.recheck_error,
        }

    def _rel(self, path: Path) -> str:
        return (
            str(path.relative_to(self.workspace))
            if path.is_relative_to(self.workspace)
            else str(path)
        )


def errors_of(diagnostics: list[RustDiagnostic]) -> list[RustDiagnostic]:
    return [d for d in diagnostics if is_error(d)]


async def fix_workspace(
    workspace: CargoWorkspace,
    max_rounds: int = 25,
    check_settings: CheckSettings | None = None,
    fix_settings: FixSettings | None = None,
    log: Any = None,
    only_file: Path | None = None,
    model: ModelSource | None = None,
    model_rounds: int = 3,
    sources: list[CandidateSource] | None = None,
) -> FixReport:
    """Fix rounds in shadow copies; `only_file` limits the targets to one file's errors.

    `sources` default to rustc's suggestions and the recipes. With `model`, up to
    `model_rounds` compile-and-fix rounds with the model follow whenever the
    rule-based rounds stall (each verified, never making things worse).
    """
    started = time.perf_counter()
    engine = FixEngine(
        workspace=workspace,
        check_settings=check_settings or CheckSettings(),
        settings=fix_settings or FixSettings(),
        sources=sources if sources is not None else rule_sources(),
        pin_reads=True,
    )
    report = FixReport(workspace=workspace.root)
    outcome = await engine.check_base()
    if outcome.error and not outcome.diagnostics:
        report.error = outcome.error
        return report
    errors = errors_of(outcome.diagnostics)
    report.errors_before = len(errors)
    hopeless: set[tuple[str, tuple[str, str, str]]] = set()
    model_left = model_rounds if model is not None else 0
    while True:
        outcome = await _rule_rounds(engine, report, outcome, hopeless, max_rounds, log, only_file)
        if model is None or model_left <= 0 or not errors_of(outcome.diagnostics):
            break
        model_left -= 1
        found = await _one_model_round(engine, report, outcome, model, log, only_file)
        if found is None:
            break
        outcome = found
    errors = errors_of(outcome.diagnostics)
    report.errors_after = len(errors)
    report.unfixed = [f"{d.code or 'error'}: {d.message}" for d in errors]
    for path, text in engine.overlays.items():
        before = engine.read_text.original(path)
        if before is not None and before != text:
            report.changed[path] = (before, text)
    report.seconds = time.perf_counter() - started
    return report


async def _rule_rounds(
    engine: FixEngine,
    report: FixReport,
    outcome: CheckOutcome,
    hopeless: set[tuple[str, tuple[str, str, str]]],
    max_rounds: int,
    log: Any,
    only_file: Path | None,
) -> CheckOutcome:
    """Rounds of the best verified rule-based fix per error, until none verifies."""
    workspace = engine.workspace
    errors = errors_of(outcome.diagnostics)
    while report.rounds < max_rounds:
        if not errors:
            break
        round_no = report.rounds = report.rounds + 1
        baseline = ErrorSet.of(outcome.diagnostics, outcome.workspace.root)
        state = await asyncio.to_thread(engine.state_key)
        progress = False
        for target in errors:
            if only_file is not None and not _in_file(target, workspace.root, only_file):
                continue
            key = (state, error_key(target, workspace.root))
            if key in hopeless:
                continue
            candidates = engine.candidates(target, outcome.diagnostics)
            found = await engine.best_fix(target, candidates, baseline)
            if found is None:
                hopeless.add(key)
                continue
            candidate, verification = found
            engine.accept(candidate)
            _record(report, round_no, target, candidate, verification, log)
            assert verification.outcome is not None
            outcome = verification.outcome
            errors = errors_of(outcome.diagnostics)
            progress = True
            break
        if not progress:
            report.rounds -= 1
            break
    return outcome


def _record(
    report: FixReport,
    round_no: int,
    target: RustDiagnostic,
    candidate: Candidate,
    verification: Verification,
    log: Any,
) -> None:
    report.applied.append(
        AppliedFix(
            round=round_no,
            code=target.code or "",
            message=target.message,
            title=candidate.title,
            source=candidate.source,
            status=verification.status,
            files=sorted({str(e.path.relative_to(report.workspace)) for e in candidate.edits}),
        )
    )
    if log:
        log(
            f"round {round_no}: {target.code} {target.message!r}: {candidate.title} "
            f"[{candidate.source}, {verification.status}]"
        )


async def _one_model_round(
    engine: FixEngine,
    report: FixReport,
    outcome: CheckOutcome,
    model: ModelSource,
    log: Any,
    only_file: Path | None,
) -> CheckOutcome | None:
    """A compile-and-fix round with the model; the new base outcome if a fix was taken."""
    try:
        found = await model_round(engine, model, outcome, only_file, say=log)
    except ModelError as exc:
        report.model_error = str(exc)
        return None
    if found is None:
        return None
    engine.accept(found.candidate)
    report.rounds += 1
    _record(report, report.rounds, found.target, found.candidate, found.verification, log)
    assert found.verification.outcome is not None
    return found.verification.outcome


def _in_file(diagnostic: RustDiagnostic, root: Path, path: Path) -> bool:
    primary = next((s for s in diagnostic.spans if s.is_primary), None)
    if primary is None:
        return False
    file_path = Path(primary.file_name)
    return (file_path if file_path.is_absolute() else root / file_path) == path
