"""`rustcoder fix PATH`: check, apply the best verified fix per error, repeat.

All rounds happen in shadow copies; the crate is written only with `--apply`,
only inside the crate, and only when at least one fix verified. Without
`--apply` the result is printed as a unified diff. Placeholders (todo!(),
unsafe, #[allow]) are applied only with `--allow-stubs` and never counted as
fixed; `--json` says for each error left what was tried and why it was refused.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import sys
from pathlib import Path
from typing import Any

from rustcoder.cargo.workspace import CargoNotFoundError, CargoWorkspace, locate_workspace
from rustcoder.config import CheckSettings, FixOptions, ModelSettings, Settings
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.rounds import FixReport, errors_of
from rustcoder.fix.safe_write import FileChange, write_files
from rustcoder.fix.stages import describe_errors
from rustcoder.models.backend import ModelError
from rustcoder.runtime import Runtime


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
    errors = errors_of(outcome.diagnostics)
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
    parser.add_argument(
        "--time-budget",
        type=_positive,
        default=300.0,
        metavar="SECONDS",
        help="start no new fix after this long; the run keeps its best state (300)",
    )
    parser.add_argument(
        "--error-budget",
        type=_positive,
        default=60.0,
        metavar="SECONDS",
        help="time spent on one error over all rounds at most (60)",
    )
    parser.add_argument(
        "--batch-size",
        type=int,
        default=8,
        metavar="N",
        help="independent fixes verified together in one build; 1: one at a time (8)",
    )
    parser.add_argument(
        "--allow-stubs",
        action="store_true",
        help="also apply placeholders (todo!(), unimplemented!(), panic!, unreachable!, "
        "new unsafe or #[allow]); they are reported apart and never count as fixed",
    )
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


def _positive(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be more than 0: {text}")
    return value


def _settings(args: argparse.Namespace) -> Settings:
    """The command line as settings, so the runtime builds the engine as for the editor."""
    endpoint = getattr(args, "endpoint", None)
    name = getattr(args, "model_name", None) or getattr(args, "model", None)
    return Settings(
        fix=FixOptions(
            timeout_seconds=args.timeout,
            run_budget_seconds=args.time_budget,
            error_budget_seconds=args.error_budget,
            batch_size=max(1, args.batch_size),
        ),
        model=ModelSettings(
            name=name or "",
            endpoint=endpoint or "",
            timeout_seconds=args.model_timeout,
            max_tokens=args.max_tokens,
        ),
    )


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
    try:
        runtime = Runtime.open(_settings(args), use_kb=not args.no_kb, parallel=args.parallel)
    except ModelError as exc:
        print(f"rustcoder fix: {exc}", file=sys.stderr)
        return 2
    if log and runtime.kb is not None:
        for problem in runtime.kb.problems:
            log(f"knowledge base: {problem}")
    fixes = runtime.fixes
    if args.allow_stubs:
        fixes.fix_settings = dataclasses.replace(fixes.fix_settings, allow_stubs=True)

    async def fix_then_write() -> FixReport:
        report = await fixes.fix_rounds(
            workspace, max_rounds=args.max_rounds, model_rounds=args.model_rounds, log=log
        )
        if args.apply and report.changed and not report.error:
            await write_back(report, workspace, fixes.check_settings, fixes.fix_settings)
        return report

    try:
        report = asyncio.run(fix_then_write())
    finally:
        runtime.close()
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
        verb = f"placeholder {fix.stub} (not a fix) for" if fix.stub else "fixed"
        line = f"{verb} {fix.code}: {fix.message} — {fix.title} ({fix.source}, {fix.status}"
        if fix.batch > 1:
            line += f", verified with {fix.batch - 1} other(s) in one build"
        line += ")"
        if fix.revealed:
            line += f"; reveals {_revealed(fix.revealed)}"
        if fix.written is False:
            line += f" — not written: {fix.reason}"
        print(line, file=sys.stderr)
    for fix in report.rolled_back:
        print(
            f"rolled back {fix.code}: {fix.message} — {fix.title} "
            "(the run ended worse than it started)",
            file=sys.stderr,
        )
    for path, reason in sorted(report.not_written.items()):
        print(f"not written: {report._rel(path)}: {reason}", file=sys.stderr)
    for remaining in report.remaining:
        print(f"not fixed: {remaining.summary}", file=sys.stderr)
    if report.recheck_error:
        print(f"could not check the crate after writing: {report.recheck_error}", file=sys.stderr)
    stubs = f", {len(report.stubbed)} placeholder(s)" if report.stubbed else ""
    print(
        f"{report.workspace}: {report.errors_before} error(s) before, "
        f"{report.errors_after} after; "
        f"{len(report.fixed)} fix(es){stubs} in {report.seconds:.1f}s"
        + ("; time budget used up" if report.budget_exhausted else "")
        + (f"; wrote {len(report.written)} file(s)" if report.written else "")
        + ("; nothing written" if report.not_written else ""),
        file=sys.stderr,
    )


def _revealed(lines: list[str]) -> str:
    """ "2 borrow-check errors" from the report's "E0382: message" lines."""
    pairs = [line.split(": ", 1) for line in lines]
    return describe_errors((None if p[0] == "error" else p[0], p[-1]) for p in pairs)
