"""`rustcoder check PATH`: the server's diagnostics and fixes on the terminal.

Runs the same check and the same mapping as the language server, so what a
user sees here is exactly what the editor would show.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from lsprotocol import types as lsp
from lsprotocol.converters import get_converter

from rustcoder.cargo.flycheck import CheckOutcome, run_check
from rustcoder.cargo.to_lsp import MappedDiagnostic, QuickFix, map_diagnostics
from rustcoder.cargo.workspace import CargoNotFoundError, locate_workspace
from rustcoder.config import CheckSettings

SEVERITY_NAMES = {
    lsp.DiagnosticSeverity.Error: "error",
    lsp.DiagnosticSeverity.Warning: "warning",
    lsp.DiagnosticSeverity.Information: "info",
    lsp.DiagnosticSeverity.Hint: "hint",
}


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "check", help="check a crate and print diagnostics with their quick fixes"
    )
    parser.add_argument("path", type=Path, help="a crate or workspace directory, or a file in one")
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    parser.add_argument(
        "--clippy", action="store_true", help="run `cargo clippy` instead of `cargo check`"
    )
    parser.add_argument("--target-dir", help="cargo target dir (default: target/rustcoder)")
    parser.add_argument("--hints", action="store_true", help="also list Hint diagnostics")
    parser.add_argument(
        "--position-encoding",
        choices=["utf-16", "utf-8", "utf-32"],
        default="utf-16",
        help="column unit of JSON ranges (LSP default utf-16)",
    )
    parser.set_defaults(handler=run)


def _relative(uri: str, root: Path) -> str:
    path = Path(lsp_uri_to_path(uri))
    try:
        return str(path.relative_to(root))
    except ValueError:
        return str(path)


def lsp_uri_to_path(uri: str) -> str:
    from pygls.uris import to_fs_path

    return to_fs_path(uri) or uri


def _fix_json(fix: QuickFix, root: Path) -> dict[str, Any]:
    raw = fix.to_json()
    for edit in raw["edits"]:
        edit["file"] = _relative(edit.pop("uri"), root)
    return raw


def to_json(outcome: CheckOutcome, mapped: dict[str, list[MappedDiagnostic]]) -> dict[str, Any]:
    converter = get_converter()
    root = outcome.workspace.root
    diagnostics = []
    for uri, items in mapped.items():
        for item in items:
            raw = converter.unstructure(item.diagnostic)
            raw.pop("data", None)
            diagnostics.append(
                {
                    "file": _relative(uri, root),
                    "uri": uri,
                    **raw,
                    "rendered": (item.diagnostic.data or {}).get("rendered", ""),
                    "fixes": [_fix_json(f, root) for f in item.fixes],
                }
            )
    return {
        "workspace": str(root),
        "command": outcome.command,
        "success": outcome.exit_code == 0,
        "error": outcome.error,
        "durationSeconds": round(outcome.duration_s, 3),
        "errors": outcome.error_count,
        "warnings": sum(1 for d in outcome.diagnostics if d.level == "warning"),
        "diagnostics": diagnostics,
    }


def print_human(
    outcome: CheckOutcome, mapped: dict[str, list[MappedDiagnostic]], out: TextIO, hints: bool
) -> None:
    root = outcome.workspace.root
    shown = 0
    for uri, items in sorted(mapped.items()):
        for item in sorted(
            items, key=lambda m: (m.diagnostic.range.start.line, m.diagnostic.range.start.character)
        ):
            d = item.diagnostic
            if d.severity == lsp.DiagnosticSeverity.Hint and not hints:
                continue
            shown += 1
            severity = SEVERITY_NAMES.get(d.severity or lsp.DiagnosticSeverity.Error, "error")
            code = f"[{d.code}]" if d.code else ""
            first, *rest = d.message.split("\n")
            out.write(
                f"{_relative(uri, root)}:{d.range.start.line + 1}:{d.range.start.character + 1}: "
                f"{severity}{code}: {first}\n"
            )
            for line in rest:
                out.write(f"    {line}\n")
            for fix in item.fixes:
                marker = "*" if fix.is_preferred else "-"
                out.write(f"  {marker} fix: {fix.title} [{fix.applicability}]\n")
                for edit in fix.edits:
                    r = edit.range
                    where = (
                        f"{_relative(edit.uri, root)}:{r.start.line + 1}:{r.start.character + 1}"
                    )
                    if edit.new_text and r.start == r.end:
                        out.write(f"      insert at {where}: {edit.new_text!r}\n")
                    elif edit.new_text:
                        out.write(
                            f"      replace at {where}-{r.end.line + 1}:{r.end.character + 1}"
                            f" with {edit.new_text!r}\n"
                        )
                    else:
                        out.write(f"      delete {where}-{r.end.line + 1}:{r.end.character + 1}\n")
    warnings = sum(1 for d in outcome.diagnostics if d.level == "warning")
    status = "ok" if outcome.exit_code == 0 else "failed"
    out.write(
        f"\n{root}: {outcome.error_count} error(s), {warnings} warning(s), "
        f"{shown} diagnostic(s) shown; cargo {status} in {outcome.duration_s:.2f}s\n"
    )


def run(args: argparse.Namespace) -> int:
    path = args.path.resolve()
    if not path.exists():
        print(f"rustcoder check: {args.path} does not exist", file=sys.stderr)
        return 2
    settings = CheckSettings(command="clippy" if args.clippy else "check")
    if args.target_dir:
        settings.target_dir = args.target_dir
    try:
        workspace = locate_workspace(path, settings.cargo_path)
    except CargoNotFoundError as exc:
        print(exc, file=sys.stderr)
        return 2
    if workspace is None:
        print(f"rustcoder check: no Cargo.toml at or above {path}", file=sys.stderr)
        return 2
    outcome = asyncio.run(run_check(workspace, settings))
    if outcome.error and not outcome.diagnostics:
        print(f"rustcoder check: {outcome.error}", file=sys.stderr)
        return 2
    encoding = args.position_encoding if args.json else "utf-32"
    mapped = map_diagnostics(outcome.diagnostics, workspace.root, encoding, child_hints=args.hints)
    if args.json:
        json.dump(to_json(outcome, mapped), sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        print_human(outcome, mapped, sys.stdout, args.hints)
    return 1 if outcome.error_count else 0
