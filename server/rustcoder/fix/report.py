"""What a fix run did, and for each error it left, what it tried and why it refused.

The report is the contract of `rustcoder fix --json` (and, through it, of
compile-and-fix): applied fixes, placeholders kept apart from fixes, fixes
rolled back because the run ended worse than it started, and per remaining
error the candidates tried with the reason each was refused.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import ErrorKey, error_key
from rustcoder.fix.edits import unified_diff
from rustcoder.fix.engine import Verification
from rustcoder.fix.stages import describe_errors, stage_of

#: Why an error is still there (one word each, stable for `--json` readers).
Reason = Literal[
    "introduced-errors",  # every candidate that removed it added errors of its stage or earlier
    "not-removed",  # no candidate removed it
    "no-candidate",  # nothing proposed a fix
    "stub",  # only placeholders were proposed (applied only with --allow-stubs)
    "could-not-verify",  # the shadow build could not run or timed out
    "budget",  # the run's or the error's time budget ran out
    "round-limit",  # --max-rounds was reached before it was tried
    "rolled-back",  # fixed, but the run ended worse than it started and was rolled back
    "not-targeted",  # outside the file the run was asked to fix
]

#: An error's identity across rounds: its key and the text of its line (offsets move).
ErrorId = tuple[str, str, str, str]


def error_id(diagnostic: RustDiagnostic, root: Path) -> ErrorId:
    primary = next((s for s in diagnostic.spans if s.is_primary), None)
    line = primary.text[0].text.strip() if primary is not None and primary.text else ""
    return (*error_key(diagnostic, root), line)


def primary_line(diagnostic: RustDiagnostic) -> int:
    primary = next((s for s in diagnostic.spans if s.is_primary), None)
    return primary.line_start if primary is not None else 0


@dataclass
class Attempt:
    """One candidate tried for an error, and why it was not taken."""

    title: str
    source: str
    result: str
    detail: str = ""
    introduced: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, candidate: Candidate, verification: Verification) -> Attempt:
        comparison = verification.comparison
        if verification.status in ("failed", "timeout"):
            result = "could-not-verify"
        elif comparison is not None and comparison.target_gone and comparison.introduced:
            result = "introduced-errors"
        elif verification.ok:
            result = "verified"
        else:
            result = "not-removed"
        introduced = [
            f"{code or 'error'}: {message} ({file})"
            for code, message, file in (comparison.introduced if comparison else [])
        ]
        return cls(candidate.title, candidate.source, result, verification.detail, introduced[:10])

    @classmethod
    def stub(cls, candidate: Candidate, placeholder: str) -> Attempt:
        return cls(
            candidate.title,
            candidate.source,
            "stub",
            f"adds {placeholder}: a placeholder, applied only with --allow-stubs",
        )


@dataclass
class ErrorLog:
    """What was tried for one error in the last state it was tried in."""

    attempts: dict[str, Attempt] = field(default_factory=dict)
    no_candidate: bool = False
    budget: bool = False
    tried: bool = False

    def restart(self) -> None:
        self.attempts.clear()
        self.no_candidate = self.budget = False
        self.tried = True

    def reason(self, run_out_of_time: bool = False) -> Reason:
        """The one reason to show; `run_out_of_time`: the run's budget ended it."""
        results = {a.result for a in self.attempts.values()}
        if self.budget:
            return "budget"
        if not self.tried or not (results or self.no_candidate):
            # Never judged: the run stopped first.
            return "budget" if run_out_of_time else "round-limit"
        if not results:
            return "no-candidate"
        if "introduced-errors" in results:
            return "introduced-errors"
        if "not-removed" in results:
            return "not-removed"
        if "could-not-verify" in results:
            return "could-not-verify"
        if results == {"stub"}:
            return "stub"
        return "not-removed"


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
    #: Errors of a later stage that appeared once it was fixed ("E0382: ...").
    revealed: list[str] = field(default_factory=list)
    #: The placeholder it adds (only with --allow-stubs): then it is not counted as fixed.
    stub: str | None = None
    #: How many fixes were verified together in its build (1: on its own).
    batch: int = 1


@dataclass
class RemainingError:
    code: str
    message: str
    file: str
    line: int
    stage: str
    reason: Reason
    tried: list[Attempt] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {**vars(self), "tried": [vars(a) for a in self.tried]}

    @property
    def summary(self) -> str:
        text = f"{self.code or 'error'}: {self.message} ({self.file}:{self.line}) — {self.reason}"
        return text + (f", {len(self.tried)} tried" if self.tried else "")


def remaining_error(
    diagnostic: RustDiagnostic,
    root: Path,
    log: ErrorLog | None,
    reason: Reason | None = None,
    run_out_of_time: bool = False,
) -> RemainingError:
    code, message, file = error_key(diagnostic, root)
    stage = stage_of(code or None, message)
    return RemainingError(
        code=code,
        message=message,
        file=file,
        line=primary_line(diagnostic),
        stage=stage.name.lower() if stage is not None else "unknown",
        reason=reason or (log or ErrorLog()).reason(run_out_of_time),
        tried=list(log.attempts.values()) if log is not None else [],
    )


def describe_revealed(keys: list[ErrorKey]) -> str:
    return describe_errors((code, message) for code, message, _ in keys)


@dataclass
class FixReport:
    workspace: Path
    applied: list[AppliedFix] = field(default_factory=list)
    errors_before: int = 0
    errors_after: int = 0
    unfixed: list[str] = field(default_factory=list)
    #: Each error left, with what was tried and why it was refused.
    remaining: list[RemainingError] = field(default_factory=list)
    #: Fixes undone because the run ended worse than it started (stage, then count).
    rolled_back: list[AppliedFix] = field(default_factory=list)
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
    #: The run stopped because its time budget ran out.
    budget_exhausted: bool = False

    @property
    def fixed(self) -> list[AppliedFix]:
        """Applied fixes that count as fixes: placeholders never do."""
        return [a for a in self.applied if a.stub is None]

    @property
    def stubbed(self) -> list[AppliedFix]:
        return [a for a in self.applied if a.stub is not None]

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
            "fixed": len(self.fixed),
            "stubbed": len(self.stubbed),
            "rounds": self.rounds,
            "seconds": round(self.seconds, 2),
            "budgetExhausted": self.budget_exhausted,
            "applied": [vars(a) for a in self.applied],
            "rolledBack": [vars(a) for a in self.rolled_back],
            "unfixed": self.unfixed,
            "remaining": [r.to_json() for r in self.remaining],
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
