"""Real time of `rustcoder fix` on crates with many errors: one fix per build vs batches.

Runs the command as a user does (`rustcoder fix DIR --json --no-kb`, nothing
written) on fresh copies of two crates, with `--batch-size 1` (every fix
verified in its own build, as before batching) and with the default batches,
and prints the median wall time, rounds and errors fixed of each.

- `fix_many`: tests/data/crates/fix_many, 8 independent errors of all stages.
- `fix_many x4`: the same file as four modules, 32 errors.

`--before DIR` adds a row for another checkout's `server/` directory (e.g. an
export of the commit before batching), run the same way without `--batch-size`.

Usage: .venv/bin/python bench/fix_batching.py [--repeat N] [--before DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

RUSTCODER_FIX = [sys.executable, "-m", "rustcoder", "fix"]
FIX_MANY = Path(__file__).resolve().parents[1] / "tests" / "data" / "crates" / "fix_many"


def crate_fix_many(root: Path) -> Path:
    crate = root / "fix_many"
    shutil.copytree(FIX_MANY, crate)
    return crate


def crate_fix_many_x4(root: Path) -> Path:
    crate = root / "fix_many_x4"
    shutil.copytree(FIX_MANY, crate)
    text = (FIX_MANY / "src" / "lib.rs").read_text()
    lib = crate / "src" / "lib.rs"
    lib.write_text("".join(f"pub mod m{i};\n" for i in range(4)))
    for i in range(4):
        (crate / "src" / f"m{i}.rs").write_text(text.replace("//!", "//"))
    return crate


def run_once(
    make: Callable[[Path], Path], args: list[str], server: str | None = None
) -> tuple[float, dict[str, object]]:
    env = {**os.environ, "PYTHONPATH": server} if server else None
    with tempfile.TemporaryDirectory(prefix="rustcoder-batch-bench-") as tmp:
        crate = make(Path(tmp))
        started = time.perf_counter()
        result = subprocess.run(
            [*RUSTCODER_FIX, str(crate), "--json", "--no-kb", *args],
            capture_output=True,
            text=True,
            check=False,
            env=env,
        )
        elapsed = time.perf_counter() - started
    if result.returncode not in (0, 1):
        raise SystemExit(f"rustcoder fix failed ({result.returncode}): {result.stderr[-2000:]}")
    return elapsed, json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per setting (3)")
    parser.add_argument("--before", metavar="DIR", help="another checkout's server/ directory")
    args = parser.parse_args()
    rustc = subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{platform.machine()}, {platform.system()}, {rustc}, repeat {args.repeat}")
    print(f"{'crate':<12} {'mode':<16} {'median s':>9} {'min s':>7} {'rounds':>7} {'errors':>9}")
    modes: list[tuple[str, list[str], str | None]] = []
    if args.before:
        modes.append(("before (--before)", [], args.before))
    modes += [("one per build", ["--batch-size", "1"], None), ("batches of 8", [], None)]
    for name, make in (("fix_many", crate_fix_many), ("fix_many x4", crate_fix_many_x4)):
        for label, extra, server in modes:
            times = []
            report: dict[str, object] = {}
            for _ in range(args.repeat):
                elapsed, report = run_once(make, extra, server)
                times.append(elapsed)
            errors = f"{report['errorsBefore']} -> {report['errorsAfter']}"
            print(
                f"{name:<12} {label:<16} {statistics.median(times):>9.1f} {min(times):>7.1f} "
                f"{report['rounds']!s:>7} {errors:>9}"
            )


if __name__ == "__main__":
    main()
