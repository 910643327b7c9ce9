"""`rustcoder fix PATH`: check, apply the best verified fix per error, repeat.

All rounds happen in shadow copies; the crate is written only with `--apply`,
only inside the crate, and only when at least one fix verified. Without
`--apply` the result is printed as a unified diff.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rustcoder.cargo.flycheck import CheckOutcome
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.workspace import CargoNotFoundError, CargoWorkspace, locate_workspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import ErrorSet, error_key, is_error
from rustcoder.fix.edits import unified_diff
from rustcoder.fix.engine import FixEngine, FixSettings, Verification
from rustcoder.fix.model_source import ModelSource
from rustcoder.fix.safe_write import FileChange, write_files
from rustcoder.fix.sources import default_sources
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


def _errors(diagnostics: list[RustDiagnostic]) -> list[RustDiagnostic]:
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
) -> FixReport:
    """Fix rounds in shadow copies; `only_file` limits the targets to one file's errors.

    With `model`, up to `model_rounds` compile-and-fix rounds with the model follow
    whenever the rule-based rounds stall (each verified, never making things worse).
    """
    started = time.perf_counter()
    engine = FixEngine(
        workspace=workspace,
        check_settings=check_settings or CheckSettings(),
        settings=fix_settings or FixSettings(),
        sources=default_sources(),
        pin_reads=True,
    )
    report = FixReport(workspace=workspace.root)
    outcome = await engine.check_base()
    if outcome.error and not outcome.diagnostics:
        report.error = outcome.error
        return report
    errors = _errors(outcome.diagnostics)
    report.errors_before = len(errors)
    hopeless: set[tuple[str, tuple[str, str, str]]] = set()
    model_left = model_rounds if model is not None else 0
    while True:
        outcome = await _rule_rounds(engine, report, outcome, hopeless, max_rounds, log, only_file)
        if model is None or model_left <= 0 or not _errors(outcome.diagnostics):
            break
        model_left -= 1
        found = await _one_model_round(engine, report, outcome, model, log, only_file)
        if found is None:
            break
        outcome = found
    errors = _errors(outcome.diagnostics)
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
    errors = _errors(outcome.diagnostics)
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
            errors = _errors(outcome.diagnostics)
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
    from rustcoder.fix.model_rounds import model_round

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


async def write_back(
    report: FixReport,
    workspace: CargoWorkspace,
    check_settings: CheckSettings,
    fix_settings: FixSettings,
) -> None:
    """Write the fixed files (all or none, compare-and-swap), then count errors on disk again.

    The summary must describe the files as they are after writing, whatever
    was or was not written, so the crate is checked once more.
    """
    changes = [FileChange(path, before, after) for path, (before, after) in report.changed.items()]
    results = await asyncio.to_thread(
        write_files, sorted(changes, key=lambda c: c.path), report.workspace
    )
    report.written = [r.path for r in results if r.written]
    report.not_written = {r.path: r.reason or "not written" for r in results if not r.written}
    for fix in report.applied:
        reasons = [
            report.not_written[report.workspace / f]
            for f in fix.files
            if report.workspace / f in report.not_written
        ]
        fix.written = not reasons
        fix.reason = reasons[0] if reasons else None
    outcome = await FixEngine(workspace, check_settings, fix_settings).check_base()
    if outcome.error and not outcome.diagnostics:
        report.recheck_error = outcome.error
        return
    errors = _errors(outcome.diagnostics)
    report.errors_after = len(errors)
    report.unfixed = [f"{d.code or 'error'}: {d.message}" for d in errors]


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "fix", help="fix a crate's errors with verified fixes (prints a diff unless --apply)"
    )
    parser.add_argument("path", type=Path, help="a crate or workspace directory")
    parser.add_argument("--apply", action="store_true", help="write the fixes to the files")
    parser.add_argument("--max-rounds", type=int, default=25, help="fix rounds at most (25)")
    parser.add_argument("--json", action="store_true", help="print a JSON report")
    parser.add_argument(
        "--timeout", type=float, default=120.0, help="time limit of one check, seconds (120)"
    )
    parser.add_argument("--parallel", type=int, default=0, help="concurrent checks (core count)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log each round")
    parser.add_argument(
        "--no-kb", action="store_true", help="ignore the knowledge base (recipes still apply)"
    )
    model = parser.add_argument_group("model-backed rounds (compile-and-fix)")
    model.add_argument("--model", metavar="NAME", help="a local model (see `rustcoder model list`)")
    model.add_argument(
        "--endpoint",
        metavar="URL",
        help="an OpenAI-compatible server, e.g. http://127.0.0.1:11434/v1",
    )
    model.add_argument("--model-name", metavar="NAME", help="the model to ask at --endpoint")
    model.add_argument(
        "--model-rounds", type=int, default=3, metavar="N", help="model rounds at most (3)"
    )
    model.add_argument(
        "--model-timeout", type=float, default=120.0, help="time limit of one generation (120)"
    )
    model.add_argument("--max-tokens", type=int, default=2048, help="reply length limit (2048)")
    parser.set_defaults(handler=run)


def _model_source(args: argparse.Namespace) -> ModelSource | None:
    """The model of `--model` / `--endpoint`; ModelError when it cannot be used."""
    from rustcoder.models.backend import GenerationParams
    from rustcoder.models.factory import model_from_args

    endpoint = getattr(args, "endpoint", None)
    name = getattr(args, "model_name", None) or getattr(args, "model", None)
    model = model_from_args(name, endpoint, timeout_s=args.model_timeout)
    if model is None:
        return None
    params = GenerationParams(max_tokens=args.max_tokens, timeout_s=args.model_timeout)
    return ModelSource(model, params)


def _activate_knowledge_base(log: Any) -> None:
    """Recipe scores and learned examples from the KB, as in the editor; absent KB: rules only."""
    from rustcoder.kb.hooks import set_active
    from rustcoder.kb.service import KnowledgeBase

    kb = KnowledgeBase.open()
    if log:
        for problem in kb.problems:
            log(f"knowledge base: {problem}")
    set_active(kb if kb.available else None)


def run(args: argparse.Namespace) -> int:
    path = args.path.resolve()
    if not path.exists():
        print(f"rustcoder fix: {args.path} does not exist", file=sys.stderr)
        return 2
    try:
        workspace = locate_workspace(path)
    except CargoNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    if workspace is None:
        print(f"rustcoder fix: no Cargo.toml at or above {path}", file=sys.stderr)
        return 2
    log = (lambda line: print(line, file=sys.stderr)) if args.verbose else None
    if not args.no_kb:
        _activate_knowledge_base(log)
    try:
        model = _model_source(args)
    except ModelError as exc:
        print(f"rustcoder fix: {exc}", file=sys.stderr)
        return 2
    fix_settings = FixSettings(parallel=args.parallel, timeout_seconds=args.timeout)

    async def fix_then_write() -> FixReport:
        report = await fix_workspace(
            workspace,
            max_rounds=args.max_rounds,
            fix_settings=fix_settings,
            log=log,
            model=model,
            model_rounds=args.model_rounds,
        )
        if args.apply and report.changed and not report.error:
            await write_back(report, workspace, CheckSettings(), fix_settings)
        return report

    report = asyncio.run(fix_then_write())
    if report.error:
        print(f"rustcoder fix: {report.error}", file=sys.stderr)
        return 2
    if report.model_error:
        print(f"rustcoder fix: model not used: {report.model_error}", file=sys.stderr)
    if args.json:
        json.dump(report.to_json(), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        _print_report(report, args.apply)
    if report.not_written:
        return EXIT_NOT_WRITTEN
    return 0 if report.errors_after == 0 else 1


#: Exit status when a verified fix could not be written (see the report for why).
EXIT_NOT_WRITTEN = 3


def _print_report(report: FixReport, applied: bool) -> None:
    if not applied:
        sys.stdout.write(report.diff())
    for fix in report.applied:
        line = f"fixed {fix.code}: {fix.message} — {fix.title} ({fix.source}, {fix.status})"
        if fix.written is False:
            line += f" — not written: {fix.reason}"
        print(line, file=sys.stderr)
    for path, reason in sorted(report.not_written.items()):
        print(f"not written: {report._rel(path)}: {reason}", file=sys.stderr)
    for line in report.unfixed:
        print(f"not fixed: {line}", file=sys.stderr)
    if report.recheck_error:
        print(f"could not check the crate after writing: {report.recheck_error}", file=sys.stderr)
    print(
        f"{report.workspace}: {report.errors_before} error(s) before, "
        f"{report.errors_after} after; "
        f"{len(report.applied)} fix(es) in {report.seconds:.1f}s"
        + (f"; wrote {len(report.written)} file(s)" if report.written else "")
        + ("; nothing written" if report.not_written else ""),
        file=sys.stderr,
    )
