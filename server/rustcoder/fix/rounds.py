"""Fix rounds: check, fix independent errors together, repeat; model rounds when stuck.

The core of `rustcoder fix`, the editor's "Fix all" and compile-and-fix. All
rounds happen in shadow copies (the engine's overlays); the report says what
changed, and the caller decides whether anything is written.

A round takes root causes first (name resolution, then types, then borrows:
`stages.root_cause_order`). It first verifies the top candidates of several
errors of the earliest stage in one build (`batch.py`); when that build fails
it falls back to one error at a time. A fix that removes its error and whose
only new errors are of a later stage is kept, and the next round goes on to
those. Placeholders are refused unless `allow_stubs`. At the end the crate
must be no worse than it started (earliest stage with an error, then count),
or the run goes back to the best state it saw. Time budgets bound the run and
each error.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.cargo.flycheck import CheckOutcome, unique_diagnostics
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.batch import BatchMember, independent, merged, still_there
from rustcoder.fix.budget import Budget
from rustcoder.fix.candidate import Candidate, CandidateSource
from rustcoder.fix.compare import ErrorSet, error_key, is_error
from rustcoder.fix.engine import FixEngine, FixSettings, Verification
from rustcoder.fix.model_rounds import model_round
from rustcoder.fix.model_source import ModelSource
from rustcoder.fix.report import (
    AppliedFix,
    Attempt,
    ErrorId,
    ErrorLog,
    FixReport,
    Reason,
    describe_revealed,
    error_id,
    remaining_error,
)
from rustcoder.fix.sources import rule_sources
from rustcoder.fix.stages import CrateRank, crate_rank, root_cause_order, stage_of
from rustcoder.models.backend import ModelError

__all__ = ["AppliedFix", "FixReport", "errors_of", "fix_workspace"]

Say = Callable[[str], None]


def errors_of(diagnostics: list[RustDiagnostic]) -> list[RustDiagnostic]:
    return [d for d in diagnostics if is_error(d)]


def targets_of(diagnostics: list[RustDiagnostic]) -> list[RustDiagnostic]:
    """Errors to fix, each once (`--all-targets` repeats a lib's), root causes first."""
    errors = errors_of(unique_diagnostics(diagnostics))
    return sorted(errors, key=lambda d: root_cause_order(d.code, d.message))


def rank_of(outcome: CheckOutcome) -> CrateRank:
    return crate_rank((d.code, d.message) for d in targets_of(outcome.diagnostics))


@dataclass
class SavedState:
    """A state the run reached, to go back to if it ends worse than it started."""

    rank: CrateRank
    overlays: dict[Path, str]
    outcome: CheckOutcome
    applied: int


@dataclass
class FixRun:
    engine: FixEngine
    report: FixReport
    budget: Budget
    say: Say | None = None
    only_file: Path | None = None
    logs: dict[ErrorId, ErrorLog] = field(default_factory=dict)
    #: (state, error, offset) with no verified fix: not tried again in that state.
    hopeless: set[tuple[str, ErrorId, int]] = field(default_factory=set)
    #: (error, candidate) that failed in a batch or on its own: kept out of later batches.
    batch_blocked: set[tuple[ErrorId, str]] = field(default_factory=set)
    history: list[SavedState] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.batch_size = max(1, self.engine.settings.batch_size)

    @property
    def root(self) -> Path:
        return self.engine.workspace.root

    def log_for(self, target: RustDiagnostic) -> ErrorLog:
        return self.logs.setdefault(error_id(target, self.root), ErrorLog())

    def remember(self, outcome: CheckOutcome) -> None:
        self.history.append(
            SavedState(
                rank_of(outcome), dict(self.engine.overlays), outcome, len(self.report.applied)
            )
        )

    # --- candidates --------------------------------------------------------------

    def usable(self, target: RustDiagnostic, outcome: CheckOutcome) -> list[Candidate]:
        """The target's candidates the rounds may apply; placeholders are logged as refused."""
        log = self.log_for(target)
        result: list[Candidate] = []
        for candidate in self.engine.candidates(target, outcome.diagnostics):
            placeholder = self.engine.refused_stub(candidate)
            if placeholder is not None:
                log.attempts[candidate.key] = Attempt.stub(candidate, placeholder)
            else:
                result.append(candidate)
        return result[: self.engine.settings.max_candidates]

    def wanted(self, target: RustDiagnostic) -> bool:
        if self.only_file is None:
            return True
        primary = next((s for s in target.spans if s.is_primary), None)
        if primary is None:
            return False
        path = Path(primary.file_name)
        return (path if path.is_absolute() else self.root / path) == self.only_file

    # --- rounds ------------------------------------------------------------------

    async def rule_rounds(self, outcome: CheckOutcome, max_rounds: int) -> CheckOutcome:
        """Rounds of verified rule-based fixes, until none verifies or a limit is reached."""
        while self.report.rounds < max_rounds:
            if self.budget.run_over:
                self.report.budget_exhausted = True
                break
            targets = [t for t in targets_of(outcome.diagnostics) if self.wanted(t)]
            if not targets:
                break
            round_no = self.report.rounds + 1
            baseline = ErrorSet.of(outcome.diagnostics, outcome.workspace.root)
            state = await asyncio.to_thread(self.engine.state_key)
            plans: dict[int, list[Candidate]] = {}
            found = None
            if self.batch_size > 1:
                found = await self.batch_round(targets, plans, outcome, baseline, round_no)
            if found is None:
                found = await self.single_round(targets, plans, outcome, baseline, state, round_no)
            if found is None:
                break
            self.report.rounds = round_no
            outcome = found
            self.remember(outcome)
        return outcome

    def _candidates(
        self,
        index: int,
        target: RustDiagnostic,
        plans: dict[int, list[Candidate]],
        outcome: CheckOutcome,
    ) -> list[Candidate]:
        if index not in plans:
            self.log_for(target).restart()
            plans[index] = self.usable(target, outcome)
        return plans[index]

    async def batch_round(
        self,
        targets: list[RustDiagnostic],
        plans: dict[int, list[Candidate]],
        outcome: CheckOutcome,
        baseline: ErrorSet,
        round_no: int,
    ) -> CheckOutcome | None:
        """The top candidates of independent errors of the earliest stage, in one build.

        If the build fails and the members whose errors stayed can be named, one
        more build without them; otherwise None (the round goes one by one).
        """
        members = self._batch_members(targets, plans, outcome)
        for attempt in range(2):
            if len(members) < 2 or self.budget.run_over:
                return None
            combined = merged(members)
            keys = [k for m in members for k in m.target_keys]
            ids = [error_id(t, self.root) for m in members for t in m.targets]
            started = time.monotonic()
            try:
                async with asyncio.timeout(max(0.0, self.budget.remaining())):
                    verification = await self.engine.verify_batch(combined, keys, baseline)
            except TimeoutError:
                self.report.budget_exhausted = True
                return None
            finally:
                self.budget.charge(list(ids), time.monotonic() - started)
            if self.say:
                self.say(
                    f"round {round_no}: {len(members)} fixes in one build: {verification.status}"
                    + (f" ({verification.detail})" if verification.detail else "")
                )
            if verification.ok and verification.outcome is not None:
                self._take(round_no, members, combined, verification)
                return verification.outcome
            comparison = verification.comparison
            if comparison is None:
                self.batch_size = max(1, self.batch_size // 2)
                return None
            checked = verification.outcome
            after = ErrorSet.of(checked.diagnostics, checked.workspace.root) if checked else None
            blamed = [m for m in members if after is not None and still_there(m, baseline, after)]
            for member in blamed:
                for target in member.targets:
                    self.batch_blocked.add((error_id(target, self.root), member.candidate.key))
            if not blamed or attempt == 1:
                # Not one member to blame (an introduced error): smaller batches from now on.
                self.batch_size = max(1, self.batch_size // 2)
                return None
            members = [m for m in members if m not in blamed]
        return None

    def _batch_members(
        self,
        targets: list[RustDiagnostic],
        plans: dict[int, list[Candidate]],
        outcome: CheckOutcome,
    ) -> list[BatchMember]:
        members: list[BatchMember] = []
        by_key: dict[str, BatchMember] = {}
        stage = None
        for index, target in enumerate(targets):
            if len(members) >= self.batch_size:
                break
            target_stage = stage_of(target.code, target.message)
            if target_stage is None or (stage is not None and target_stage != stage):
                continue
            ident = error_id(target, self.root)
            if self.budget.error_over(ident):
                continue
            candidates = [
                c
                for c in self._candidates(index, target, plans, outcome)
                if (ident, c.key) not in self.batch_blocked
            ]
            if not candidates:
                continue
            top = candidates[0]
            member = by_key.get(top.key)
            if member is not None:
                member.targets.append(target)
                member.target_keys.append(error_key(target, self.root))
                continue
            if not independent(top, members):
                continue
            stage = target_stage
            member = BatchMember(top, [target], [error_key(target, self.root)])
            by_key[top.key] = member
            members.append(member)
        return members

    async def single_round(
        self,
        targets: list[RustDiagnostic],
        plans: dict[int, list[Candidate]],
        outcome: CheckOutcome,
        baseline: ErrorSet,
        state: str,
        round_no: int,
    ) -> CheckOutcome | None:
        """The first error (root causes first) with a verified fix: that fix, alone."""
        for index, target in enumerate(targets):
            ident = error_id(target, self.root)
            primary = next((s for s in target.spans if s.is_primary), None)
            hopeless_key = (state, ident, primary.byte_start if primary else -1)
            if hopeless_key in self.hopeless:
                continue
            log = self.log_for(target)
            if self.budget.run_over:
                self.report.budget_exhausted = True
                log.budget = True
                return None
            if self.budget.error_over(ident):
                log.budget = True
                continue
            candidates = self._candidates(index, target, plans, outcome)
            if not candidates:
                log.no_candidate = True
                self.hopeless.add(hopeless_key)
                continue

            heard = self._listener(ident, log)
            started = time.monotonic()
            try:
                async with asyncio.timeout(self.budget.limit_for(ident)):
                    found = await self.engine.best_fix(target, candidates, baseline, heard)
            except TimeoutError:
                log.budget = True
                if self.budget.run_over:
                    self.report.budget_exhausted = True
                    return None
                continue
            finally:
                self.budget.charge([ident], time.monotonic() - started)
            if found is None:
                self.hopeless.add(hopeless_key)
                continue
            candidate, verification = found
            self._take(round_no, [BatchMember(candidate, [target])], candidate, verification)
            return verification.outcome
        return None

    def _listener(self, ident: ErrorId, log: ErrorLog) -> Callable[[Candidate, Verification], None]:
        """Logs each refused candidate of an error, and keeps it out of later batches."""

        def heard(candidate: Candidate, verification: Verification) -> None:
            if not verification.ok:
                log.attempts[candidate.key] = Attempt.of(candidate, verification)
                self.batch_blocked.add((ident, candidate.key))

        return heard

    def _take(
        self,
        round_no: int,
        members: list[BatchMember],
        candidate: Candidate,
        verification: Verification,
    ) -> None:
        """Make the verified edit part of the base, and report each fix it holds."""
        allow = self.engine.settings.allow_stubs
        # Placeholders are judged against the text the edits were computed from.
        stubs = {
            m.candidate.key: self.engine.stub_of(m.candidate) if allow else None for m in members
        }
        self.engine.accept(candidate)
        self._record(round_no, members, verification, stubs)

    def _record(
        self,
        round_no: int,
        members: list[BatchMember],
        verification: Verification,
        stubs: dict[str, str | None],
    ) -> None:
        comparison = verification.comparison
        revealed = comparison.revealed if comparison is not None else []
        for index, member in enumerate(members):
            candidate = member.candidate
            for target in member.targets:
                fix = AppliedFix(
                    round=round_no,
                    code=target.code or "",
                    message=target.message,
                    title=candidate.title,
                    source=candidate.source,
                    status=verification.status,
                    files=sorted({str(e.path.relative_to(self.root)) for e in candidate.edits}),
                    # What one build revealed belongs to all its fixes: listed once.
                    revealed=[f"{c or 'error'}: {m}" for c, m, _ in revealed] if index == 0 else [],
                    stub=stubs.get(candidate.key),
                    batch=len(members),
                )
                self.report.applied.append(fix)
                if self.say:
                    extra = (
                        f"; reveals {describe_revealed(revealed)}"
                        if revealed and index == 0
                        else ""
                    )
                    kind = f"placeholder {fix.stub}" if fix.stub else verification.status
                    self.say(
                        f"round {round_no}: {target.code} {target.message!r}: {candidate.title} "
                        f"[{candidate.source}, {kind}{extra}]"
                    )

    # --- model rounds --------------------------------------------------------------

    async def model_rounds(
        self, outcome: CheckOutcome, model: ModelSource, rounds: int, max_rounds: int
    ) -> CheckOutcome:
        """Rule rounds, and whenever they stall a model round, up to `rounds` of them."""
        left = rounds
        while True:
            outcome = await self.rule_rounds(outcome, max_rounds)
            if left <= 0 or not errors_of(outcome.diagnostics) or self.budget.run_over:
                return outcome
            left -= 1
            try:
                async with asyncio.timeout(max(0.0, self.budget.remaining())):
                    found = await model_round(
                        self.engine, model, outcome, self.only_file, say=self.say
                    )
            except ModelError as exc:
                self.report.model_error = str(exc)
                return outcome
            except TimeoutError:
                self.report.budget_exhausted = True
                return outcome
            if found is None:
                return outcome
            self.report.rounds += 1
            member = BatchMember(found.candidate, [found.target])
            self._take(self.report.rounds, [member], found.candidate, found.verification)
            assert found.verification.outcome is not None
            outcome = found.verification.outcome
            self.remember(outcome)

    # --- the end -----------------------------------------------------------------

    def never_worse(self, outcome: CheckOutcome) -> CheckOutcome:
        """Go back to the best state seen if the run ends worse than it started."""
        start = self.history[0]
        if rank_of(outcome) <= start.rank:
            return outcome
        best = min(self.history, key=lambda s: s.rank)  # the first of the best
        self.engine.overlays.clear()
        self.engine.overlays.update(best.overlays)
        undone = self.report.applied[best.applied :]
        del self.report.applied[best.applied :]
        self.report.rolled_back.extend(undone)
        if self.say:
            self.say(f"the run ended worse than it started: {len(undone)} fix(es) rolled back")
        return best.outcome


async def fix_workspace(
    workspace: CargoWorkspace,
    max_rounds: int = 25,
    check_settings: CheckSettings | None = None,
    fix_settings: FixSettings | None = None,
    log: Say | None = None,
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
    settings = fix_settings or FixSettings()
    engine = FixEngine(
        workspace=workspace,
        check_settings=check_settings or CheckSettings(),
        settings=settings,
        sources=sources if sources is not None else rule_sources(),
        pin_reads=True,
    )
    report = FixReport(workspace=workspace.root)
    outcome = await engine.check_base()
    if outcome.error and not outcome.diagnostics:
        report.error = outcome.error
        return report
    report.errors_before = len(errors_of(outcome.diagnostics))
    run = FixRun(
        engine,
        report,
        Budget(settings.run_budget_seconds, settings.error_budget_seconds),
        say=log,
        only_file=only_file,
    )
    run.remember(outcome)
    if model is not None and model_rounds > 0:
        outcome = await run.model_rounds(outcome, model, model_rounds, max_rounds)
    else:
        outcome = await run.rule_rounds(outcome, max_rounds)
    outcome = run.never_worse(outcome)
    _finish(run, outcome)
    report.seconds = time.perf_counter() - started
    return report


def _finish(run: FixRun, outcome: CheckOutcome) -> None:
    """Counts, what is left with why, and the changed files."""
    report, engine = run.report, run.engine
    errors = errors_of(outcome.diagnostics)
    report.errors_after = len(errors)
    report.unfixed = [f"{d.code or 'error'}: {d.message}" for d in errors]
    undone = {(a.code, a.message) for a in report.rolled_back}
    for target in targets_of(outcome.diagnostics):
        log = run.logs.get(error_id(target, run.root))
        reason: Reason | None = None
        if not run.wanted(target):
            reason = "not-targeted"
        elif ((target.code or ""), target.message) in undone:
            reason = "rolled-back"
        report.remaining.append(
            remaining_error(target, run.root, log, reason, report.budget_exhausted)
        )
    for path, text in engine.overlays.items():
        before = engine.read_text.original(path)
        if before is not None and before != text:
            report.changed[path] = (before, text)
