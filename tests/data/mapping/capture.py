"""Regenerate the mapping snapshot fixtures in this directory.

Each subdirectory with a Cargo.toml is a tiny std-only crate (its own
workspace) that makes rustc report a few specific errors or lints. For each:

- `cargo-check.jsonl`: cargo's JSON stream from
  `cargo check --message-format=json --all-targets -j1`, made portable and
  deterministic: `compiler-artifact` lines (and any other non-diagnostic line
  except `build-finished`) are dropped and the crate's absolute path is
  rewritten to `/WORKSPACE` (in `package_id`, `manifest_path`,
  `target.src_path`, ...). rustc itself reports span paths relative to the
  workspace root, so spans need no rewriting.
- `expected.json`: what `rustcoder.cargo.to_lsp.map_diagnostics` makes of that
  capture with the workspace root `/WORKSPACE`, in a stable readable form (see
  `snapshot`).

Usage (from the repository root):

    .venv/bin/python tests/data/mapping/capture.py                 # run cargo, rewrite both
    .venv/bin/python tests/data/mapping/capture.py --only-expected # expected.json only, no cargo
    .venv/bin/python tests/data/mapping/capture.py unused typo     # just these fixtures

`-j1` keeps the order of cargo's messages stable: with `--all-targets` a
library is compiled twice (lib and its unit tests) and, in parallel, the two
rustc processes' messages would interleave differently from run to run.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

from lsprotocol.converters import get_converter

from rustcoder.cargo.messages import parse_cargo_output
from rustcoder.cargo.to_lsp import MappedDiagnostic, map_diagnostics

FIXTURES_DIR = Path(__file__).resolve().parent
WORKSPACE = Path("/WORKSPACE")
CAPTURE_NAME = "cargo-check.jsonl"
EXPECTED_NAME = "expected.json"
#: cargo reasons kept in a capture; everything else is build noise.
KEPT_REASONS = {"compiler-message", "build-finished"}

_converter = get_converter()


def fixture_names() -> list[str]:
    """The fixture crates, sorted by name."""
    return sorted(p.parent.name for p in FIXTURES_DIR.glob("*/Cargo.toml"))


def cargo_command() -> list[str]:
    return ["cargo", "check", "--message-format=json", "--all-targets", "-j1", "--offline"]


def run_cargo_check(crate_dir: Path, target_dir: Path, timeout: float = 120.0) -> str:
    """Run cargo check on one fixture crate; returns cargo's stdout (JSON lines)."""
    env = dict(os.environ)
    env.update(
        CARGO_TARGET_DIR=str(target_dir),
        CARGO_TERM_COLOR="never",
        CARGO_INCREMENTAL="0",
    )
    env.pop("RUSTFLAGS", None)
    env.pop("CARGO_BUILD_RUSTFLAGS", None)
    proc = subprocess.run(
        cargo_command(),
        cwd=crate_dir,
        env=env,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
        check=False,
    )
    if not proc.stdout.strip():
        raise RuntimeError(f"cargo check printed nothing in {crate_dir}:\n{proc.stderr}")
    return proc.stdout


def _rewrite(value: Any, replacements: list[tuple[str, str]]) -> Any:
    if isinstance(value, str):
        for old, new in replacements:
            value = value.replace(old, new)
        return value
    if isinstance(value, list):
        return [_rewrite(v, replacements) for v in value]
    if isinstance(value, dict):
        return {k: _rewrite(v, replacements) for k, v in value.items()}
    return value


def normalize_capture(stdout: str, crate_dir: Path, target_dir: Path | None = None) -> str:
    """Make cargo's JSON stream portable and deterministic (see the module docstring)."""
    roots = {str(crate_dir), str(crate_dir.resolve())}
    # Longest first, so a resolved path is not half-rewritten by a shorter alias.
    replacements = [(root, str(WORKSPACE)) for root in sorted(roots, key=len, reverse=True)]
    leftovers = [*roots, *([str(target_dir)] if target_dir else [])]
    lines: list[str] = []
    for raw in stdout.splitlines():
        raw = raw.strip()
        if not raw.startswith("{"):
            continue
        obj = json.loads(raw)
        if obj.get("reason") not in KEPT_REASONS:
            continue
        line = json.dumps(_rewrite(obj, replacements), ensure_ascii=False)
        for path in leftovers:
            if path in line:
                raise ValueError(f"machine-specific path {path} left in capture line: {line}")
        lines.append(line)
    return "\n".join(lines) + "\n"


def capture(name: str, target_dir: Path) -> str:
    crate_dir = FIXTURES_DIR / name
    return normalize_capture(run_cargo_check(crate_dir, target_dir), crate_dir, target_dir)


def map_capture(jsonl: str) -> dict[str, list[MappedDiagnostic]]:
    """Map a stored capture the way the server does, with the root `/WORKSPACE`."""
    return map_diagnostics(parse_cargo_output(jsonl).diagnostics, WORKSPACE)


def snapshot_entry(mapped: MappedDiagnostic) -> dict[str, Any]:
    """One mapped diagnostic in the snapshot's form.

    The Diagnostic is unstructured by lsprotocol's converter (camelCase, enums
    as numbers) except for `data`: its `fixes` are the entry's `fixes` (a test
    checks that they agree) and `rendered` is split into lines to stay readable.
    """
    diagnostic: dict[str, Any] = _converter.unstructure(mapped.diagnostic)
    data = diagnostic.pop("data", None) or {}
    return {
        "diagnostic": diagnostic,
        "level": data.get("level"),
        "rendered": str(data.get("rendered", "")).splitlines(),
        "isChildHint": mapped.is_child_hint,
        "fixes": [fix.to_json() for fix in mapped.fixes],
    }


def snapshot(by_uri: dict[str, list[MappedDiagnostic]]) -> dict[str, list[dict[str, Any]]]:
    """The whole mapping result, grouped by URI in the mapper's order."""
    return {uri: [snapshot_entry(m) for m in items] for uri, items in by_uri.items()}


def dump_json(value: Any) -> str:
    """Indented JSON, with each value that fits in one short line kept on one line."""
    return _dump(value, 0) + "\n"


def _dump(value: Any, level: int, width: int = 96) -> str:
    flat = json.dumps(value, ensure_ascii=False)
    if not isinstance(value, (dict, list)) or not value or len(flat) + 2 * level <= width:
        return flat
    pad = "  " * (level + 1)
    if isinstance(value, dict):
        items = [
            f"{pad}{json.dumps(k, ensure_ascii=False)}: {_dump(v, level + 1, width)}"
            for k, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    items = [f"{pad}{_dump(v, level + 1, width)}" for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"


def expected_text(jsonl: str) -> str:
    return dump_json(snapshot(map_capture(jsonl)))


def regenerate(names: list[str], only_expected: bool) -> None:
    with tempfile.TemporaryDirectory(prefix="rustcoder-capture-") as tmp:
        target_dir = Path(tmp) / "target"
        for name in names:
            crate_dir = FIXTURES_DIR / name
            capture_path = crate_dir / CAPTURE_NAME
            if not only_expected:
                capture_path.write_text(capture(name, target_dir), encoding="utf-8")
            jsonl = capture_path.read_text(encoding="utf-8")
            (crate_dir / EXPECTED_NAME).write_text(expected_text(jsonl), encoding="utf-8")
            count = sum(len(v) for v in map_capture(jsonl).values())
            print(f"{name}: {count} mapped diagnostics")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("names", nargs="*", help="fixtures to regenerate (default: all)")
    parser.add_argument(
        "--only-expected",
        action="store_true",
        help="rebuild expected.json from the stored captures without running cargo",
    )
    args = parser.parse_args(argv)
    known = fixture_names()
    unknown = sorted(set(args.names) - set(known))
    if unknown:
        parser.error(f"unknown fixtures: {', '.join(unknown)} (known: {', '.join(known)})")
    regenerate(args.names or known, args.only_expected)
    return 0


if __name__ == "__main__":
    sys.exit(main())
