"""Score a fixer on the frozen corpus of LLM-written programs (bench/llm-corpus/).

Why: fixbench holds tidy one-error crates; the code users really have is long,
written by language models, uses real crates and has many errors at once. This
scorer judges a fixer on such programs the way the private set is judged:

* the program is **fixed** when, after the fixer ran, `cargo build` passes,
  every top-level item (fn / struct / enum / trait / impl header) is still
  there, `src/main.rs` shrank by no more than 30 % (bytes), and no placeholder
  was added (`todo!`, `unimplemented!`, `panic!`, `unreachable!`, `unsafe`,
  `#[allow` / `#![allow` counted before and after);
* only programs that fail `cargo build` as written are scored (the others are
  listed as "builds as written");
* the corpus is split in two fixed halves by task number: odd = "tune",
  even = "heldback". Tune on the first, report both.

Each program is copied into a scratch directory whose `.cargo/config.toml`
(above the crate, as on an offline laptop) replaces crates.io with the Debian
directory source `/usr/share/cargo/registry` (bench/llm-corpus/install.sh).

Usage:
  python bench/llm_corpus.py --fixer 'rustcoder fix {dir} --apply' [--half tune|heldback|all]
                             [--jobs N] [--timeout S] [--json out.json] [--filter REGEX]
  python bench/llm_corpus.py --fixer none      # only classify: which programs fail to build
  python bench/llm_corpus.py --fixer cargo-fix # cargo fix --broken-code (rustc's own fixes)
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "llm-corpus"
PROGRAMS = CORPUS / "programs"
REGISTRY = Path(os.environ.get("LLM_CORPUS_REGISTRY", "/usr/share/cargo/registry"))
CARGO_FIX = "cargo fix --broken-code --allow-no-vcs --allow-dirty"
PLACEHOLDERS = {
    "todo!": re.compile(r"\btodo!\s*\("),
    "unimplemented!": re.compile(r"\bunimplemented!\s*\("),
    "panic!": re.compile(r"\bpanic!\s*\("),
    "unreachable!": re.compile(r"\bunreachable!\s*\("),
    "unsafe": re.compile(r"\bunsafe\b"),
    "#[allow": re.compile(r"#!?\[\s*allow\s*\("),
}
MAX_SHRINK = 0.30
VERSION_KEY = re.compile(r'version\s*=\s*"[^"]*"')
ITEM = re.compile(
    r"^(?:pub(?:\([^)]*\))?\s+)?(?:async\s+|const\s+|unsafe\s+|extern\s+\"[^\"]*\"\s+)*"
    r"(fn|struct|enum|trait|union|type)\s+([A-Za-z_][A-Za-z0-9_]*)"
)
IMPL = re.compile(r"^(?:unsafe\s+)?impl\b(.*?)(?:\{|$)")


@dataclass
class Outcome:
    """One program's result, as printed and written to --json."""

    id: str
    half: str
    status: str  # "fixed", "not fixed", "builds as written"
    reason: str = ""
    errors_before: list[str] = field(default_factory=list)
    seconds: float = 0.0


def half_of(program_id: str) -> str:
    """The fixed split rule: odd task numbers tune, even ones are held back."""
    return "tune" if int(program_id[:3]) % 2 == 1 else "heldback"


def top_level_items(source: str) -> set[str]:
    """Names of the items at column 0 (an LLM's top-level items), impl headers normalised.

    Generic parameters, bounds and lifetime bounds are dropped from impl headers
    so that adding a bound (`impl<T: Clone> ...`, `impl dyn Trait + '_`) keeps the item.
    """
    items: set[str] = set()
    for line in source.splitlines():
        if not line or line[0].isspace():
            continue
        if m := ITEM.match(line):
            items.add(f"{m.group(1)} {m.group(2)}")
        elif m := IMPL.match(line):
            header = re.sub(r"<[^<>]*(?:<[^<>]*>[^<>]*)*>", "", m.group(1))
            header = re.sub(r"\bwhere\b.*", "", header)
            header = re.sub(r"\+\s*'[A-Za-z_]\w*", "", header)
            items.add("impl " + " ".join(header.split()))
    return items


def placeholder_counts(source: str) -> dict[str, int]:
    """How often each placeholder appears: a fixer must not add any."""
    return {name: len(rx.findall(source)) for name, rx in PLACEHOLDERS.items()}


def cargo_build(crate: Path, env: dict[str, str], timeout: float) -> tuple[bool, list[str], str]:
    """Build the crate; return (ok, error codes, first error line)."""
    proc = run(["cargo", "build", "--message-format=json"], crate, env, timeout)
    codes: list[str] = []
    first = ""
    for line in proc.stdout.splitlines():
        try:
            msg = json.loads(line)
        except json.JSONDecodeError:
            continue
        if msg.get("reason") != "compiler-message":
            continue
        diag = msg["message"]
        if diag.get("level") != "error":
            continue
        code = (diag.get("code") or {}).get("code") or "error"
        if not code.startswith("E") and diag["message"].startswith("aborting"):
            continue
        codes.append(code)
        first = first or diag["message"]
    if proc.returncode != 0 and not codes:
        first = (proc.stderr.strip().splitlines() or ["cargo failed"])[-1]
    return proc.returncode == 0, codes, first


def run(
    cmd: list[str] | str, cwd: Path, env: dict[str, str], timeout: float
) -> subprocess.CompletedProcess[str]:
    """Run in its own process group, killed whole on timeout."""
    proc = subprocess.Popen(
        cmd,
        cwd=cwd,
        env=env,
        shell=isinstance(cmd, str),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
        start_new_session=True,
    )
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
        return subprocess.CompletedProcess(cmd, 124, out, err + "\ntimed out")
    return subprocess.CompletedProcess(cmd, proc.returncode, out, err)


def write_cargo_config(scratch: Path) -> None:
    """The directory source lives in a config *above* the crate, as users have it."""
    config = scratch / ".cargo" / "config.toml"
    config.parent.mkdir(parents=True, exist_ok=True)
    config.write_text(
        '[source.crates-io]\nreplace-with = "debian"\n\n'
        f'[source.debian]\ndirectory = "{REGISTRY}"\n\n[net]\noffline = true\n'
    )


def registry_versions(registry: Path = REGISTRY) -> dict[str, str]:
    """The one version of each crate the offline directory source holds."""
    versions: dict[str, str] = {}
    for entry in registry.iterdir() if registry.is_dir() else []:
        name, _, version = entry.name.rpartition("-")
        if name and version[:1].isdigit():
            versions[name] = version
    return versions


def pin_to_registry(manifest: str, versions: dict[str, str]) -> str:
    """Version requirements as the offline registry can meet them, features as written.

    A model asks for the versions it remembers (`rand = "0.9"`); an offline laptop
    has one version of each crate, so the requirement is pinned to it. The code is
    not touched: an API that version lacks stays an error to fix.
    """

    def pin(m: re.Match[str]) -> str:
        name, rest = m.group(1), m.group(2)
        have = versions.get(name.replace("_", "-")) or versions.get(name)
        if have is None:
            return m.group(0)
        if rest.lstrip().startswith("{"):
            pinned = VERSION_KEY.sub(f'version = "{have}"', rest)
            return f"{name} = {pinned}"
        return f'{name} = "{have}"'

    return re.sub(r'^([A-Za-z0-9_-]+)\s*=\s*(".*?"|\{.*\})\s*$', pin, manifest, flags=re.M)


def score_one(program: Path, fixer: str, scratch: Path, target: Path, timeout: float) -> Outcome:
    """Copy, classify, run the fixer, judge."""
    started = time.monotonic()
    pid = program.name
    crate = scratch / pid
    # Fresh mtimes: the target dirs are kept between runs, and copies keeping the
    # original mtimes would look older than artifacts an earlier fixer run built.
    shutil.copytree(program, crate, copy_function=shutil.copy)
    manifest = crate / "Cargo.toml"
    manifest.write_text(pin_to_registry(manifest.read_text(), registry_versions()))
    env = {**os.environ, "CARGO_TARGET_DIR": str(target), "CARGO_TERM_COLOR": "never"}
    env.pop("RUSTFLAGS", None)
    outcome = Outcome(pid, half_of(pid), "not fixed")
    ok, codes, first = cargo_build(crate, env, timeout)
    outcome.errors_before = codes
    if ok:
        outcome.status = "builds as written"
        outcome.seconds = time.monotonic() - started
        return outcome
    if fixer == "none":
        outcome.reason = first
        outcome.seconds = time.monotonic() - started
        return outcome
    main_rs = crate / "src" / "main.rs"
    before = main_rs.read_text(errors="replace")
    command = CARGO_FIX if fixer == "cargo-fix" else fixer
    name = re.search(r'^name\s*=\s*"([^"]+)"', (crate / "Cargo.toml").read_text(), re.M)
    command = command.format(dir=str(crate), id=pid, name=name.group(1) if name else pid)
    fix_env = {**env, "LLM_CORPUS_ID": pid}
    proc = run(command, crate, fix_env, timeout)
    if proc.returncode == 124:
        outcome.reason = f"fixer timed out after {timeout:.0f}s"
    after = main_rs.read_text(errors="replace") if main_rs.exists() else ""
    ok, codes, first = cargo_build(crate, env, timeout)
    lost = top_level_items(before) - top_level_items(after)
    added = {
        k: v - placeholder_counts(before)[k]
        for k, v in placeholder_counts(after).items()
        if v > placeholder_counts(before)[k]
    }
    shrink = 1 - len(after.encode()) / max(1, len(before.encode()))
    if not ok:
        outcome.reason = outcome.reason or f"does not build: {' '.join(sorted(set(codes)))} {first}"
    elif lost:
        outcome.reason = f"items removed: {', '.join(sorted(lost))}"
    elif shrink > MAX_SHRINK:
        outcome.reason = f"main.rs shrank by {shrink:.0%}"
    elif added:
        outcome.reason = "placeholder added: " + ", ".join(f"{k} x{v}" for k, v in added.items())
    else:
        outcome.status = "fixed"
    outcome.seconds = time.monotonic() - started
    return outcome


def summarise(outcomes: list[Outcome]) -> dict[str, dict[str, int]]:
    """Per half: programs, failing as written, fixed."""
    summary: dict[str, dict[str, int]] = {}
    for half in ("tune", "heldback", "all"):
        rows = [o for o in outcomes if half in (o.half, "all")]
        failing = [o for o in rows if o.status != "builds as written"]
        summary[half] = {
            "programs": len(rows),
            "failing": len(failing),
            "fixed": sum(o.status == "fixed" for o in failing),
        }
    return summary


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--fixer", required=True, help="command with {dir}; 'none' or 'cargo-fix'")
    parser.add_argument("--half", choices=["tune", "heldback", "all"], default="all")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--filter", default="", help="regex on program names (e.g. '^1[6-9]|^200')")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--keep", action="store_true", help="keep the scratch directory")
    parser.add_argument(
        "--target-dir",
        type=Path,
        default=Path.home() / ".cache" / "rustcoder-llm-corpus",
        help="cargo target dirs, one per job, kept between runs (dependencies build once)",
    )
    args = parser.parse_args()

    programs = sorted(p for p in PROGRAMS.iterdir() if (p / "Cargo.toml").exists())
    programs = [
        p
        for p in programs
        if args.half in ("all", half_of(p.name)) and re.search(args.filter, p.name)
    ]
    scratch = Path(tempfile.mkdtemp(prefix="llm-corpus-"))
    write_cargo_config(scratch)
    targets = [args.target_dir / f"target-{i}" for i in range(args.jobs)]
    free = list(targets)

    def job(program: Path) -> Outcome:
        target = free.pop()
        try:
            result = score_one(program, args.fixer, scratch, target, args.timeout)
        finally:
            free.append(target)
        extra = f" [{' '.join(result.errors_before)}]" if result.errors_before else ""
        print(
            f"{result.id:32} {result.half:8} {result.status:17} {result.reason[:110]}{extra}",
            f"{result.seconds:.0f}s",
            flush=True,
        )
        return result

    with ThreadPoolExecutor(args.jobs) as pool:
        outcomes = list(pool.map(job, programs))
    summary = summarise(outcomes)
    for half, row in summary.items():
        rate = row["fixed"] / row["failing"] if row["failing"] else 0.0
        print(
            f"{half:8}: {row['programs']} programs, {row['failing']} fail to build as written, "
            f"fixed {row['fixed']}/{row['failing']} ({rate:.1%})"
        )
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "summary": summary,
                    "fixer": args.fixer,
                    "outcomes": [asdict(o) for o in outcomes],
                },
                indent=1,
            )
        )
    if not args.keep:
        shutil.rmtree(scratch, ignore_errors=True)
    else:
        print(f"kept: {scratch}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
