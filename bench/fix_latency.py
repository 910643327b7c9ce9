"""Time from codeAction/resolve to a verified edit, and what a verification costs.

Generates a medium crate (8 modules, about 2,400 lines) with 24 errors that
each have a fix, starts the server over stdio with background verification
off (so every resolve compiles its candidate in a shadow copy), resolves the
first quick fix of every error and reports p50/p95. Then compares one
verification check (shadow copy + incremental check) with a plain
incremental `cargo check` of the same crate.

Last, the first verification in a workspace: a crate using tokio (full) and
serde (derive) from Debian's directory source (bench/llm-corpus/install.sh),
configured in a `.cargo/config.toml` above it. The flycheck compiles it once;
then the first verification in a fresh shadow slot (which starts from the
flycheck's dependencies) is compared with an incremental check of the real
crate (goal: at most 2x), and with a first verification that has no build to
start from (every dependency compiled again, as before seeding).

Usage: .venv/bin/python bench/fix_latency.py [--first-only]
"""

from __future__ import annotations

import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from rustcoder.cargo.flycheck import run_check
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import ErrorSet, is_error
from rustcoder.fix.edits import Edit
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.shadow import remove_shadows

MODULES = 8
FUNCTIONS_PER_MODULE = 60
ERRORS_PER_MODULE = 3


def make_crate(root: Path) -> Path:
    crate = root / "medium-crate"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "medium-crate"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n'
    )
    lib = [f"pub mod m{m};\n" for m in range(MODULES)]
    (crate / "src" / "lib.rs").write_text("".join(lib))
    for m in range(MODULES):
        body = ["pub fn shout(text: &str) -> String {\n    text.to_uppercase()\n}\n"]
        for f in range(FUNCTIONS_PER_MODULE):
            if f < ERRORS_PER_MODULE:
                body.append(f"pub fn greet_{f}(name: String) -> String {{\n    shout(name)\n}}\n")
            else:
                body.append(
                    f"pub fn calc_{f}(values: &[i64]) -> i64 {{\n"
                    f"    values.iter().map(|v| v * {f} + 1).filter(|v| v % 3 != 0).sum()\n}}\n"
                )
        (crate / "src" / f"m{m}.rs").write_text("\n".join(body))
    return crate


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))]


async def resolve_latency(crate: Path) -> list[float]:
    client = LanguageClient("bench", "1")
    published: dict[str, list[lsp.Diagnostic]] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        published[params.uri] = list(params.diagnostics)

    await client.start_io(sys.executable, "-m", "rustcoder", "serve")
    caps = lsp.ClientCapabilities(
        text_document=lsp.TextDocumentClientCapabilities(
            code_action=lsp.CodeActionClientCapabilities(
                data_support=True,
                resolve_support=lsp.ClientCodeActionResolveOptions(properties=["edit"]),
            )
        )
    )
    await client.initialize_async(
        lsp.InitializeParams(
            capabilities=caps,
            root_uri=crate.as_uri(),
            initialization_options={"fix": {"backgroundVerify": False}},
        )
    )
    client.initialized(lsp.InitializedParams())
    uris = []
    for m in range(MODULES):
        path = crate / "src" / f"m{m}.rs"
        uris.append(path.as_uri())
        client.text_document_did_open(
            lsp.DidOpenTextDocumentParams(
                text_document=lsp.TextDocumentItem(
                    uri=path.as_uri(), language_id="rust", version=1, text=path.read_text()
                )
            )
        )
    deadline = time.monotonic() + 300
    while sum(len(published.get(u, [])) for u in uris) < MODULES * ERRORS_PER_MODULE:
        if time.monotonic() > deadline:
            raise SystemExit("no diagnostics within 300 s")
        await asyncio.sleep(0.05)
    timings: list[float] = []
    for uri in uris:
        for diagnostic in published[uri]:
            if diagnostic.severity != lsp.DiagnosticSeverity.Error:
                continue
            result = await client.text_document_code_action_async(
                lsp.CodeActionParams(
                    text_document=lsp.TextDocumentIdentifier(uri=uri),
                    range=diagnostic.range,
                    context=lsp.CodeActionContext(diagnostics=[diagnostic]),
                )
            )
            action = next(a for a in result or [] if isinstance(a, lsp.CodeAction))
            started = time.perf_counter()
            resolved = await client.code_action_resolve_async(action)
            timings.append((time.perf_counter() - started) * 1000)
            assert resolved.edit is not None, "every error here has a verified fix"
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return timings


def touch(path: Path) -> None:
    now = time.time()
    os.utime(path, (now, now))


def borrow_candidate(path: Path, text: str, index: int) -> Candidate:
    """`shout(name)` -> `shout(&name)`, distinct per index so nothing comes from the cache."""
    start = text.index("shout(name)")
    return Candidate(
        f"borrow {index}",
        "kb",
        (Edit(path, start, start + len("shout(name)"), f"shout(&name{' ' * index})"),),
    )


def verification_cost(crate: Path, rounds: int = 7) -> tuple[float, float]:
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    engine = FixEngine(workspace=workspace, settings=FixSettings(parallel=1))
    outcome = asyncio.run(engine.check_base())
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    target = next(d for d in outcome.diagnostics if is_error(d))
    module = crate / "src" / "m0.rs"
    text = module.read_text()
    verify_times: list[float] = []
    for i in range(rounds):
        candidate = borrow_candidate(module, text, i)
        t0 = time.perf_counter()
        verification = asyncio.run(engine.verify(candidate, target, baseline))
        verify_times.append(time.perf_counter() - t0)
        assert verification.ok
    plain_target = crate / "target" / "plain"
    subprocess.run(
        ["cargo", "check", "--all-targets", "--target-dir", str(plain_target)],
        cwd=crate,
        capture_output=True,
        check=False,
    )
    plain_times: list[float] = []
    for _ in range(rounds):
        touch(module)
        t0 = time.perf_counter()
        subprocess.run(
            ["cargo", "check", "--all-targets", "--target-dir", str(plain_target)],
            cwd=crate,
            capture_output=True,
            check=False,
        )
        plain_times.append(time.perf_counter() - t0)
    return statistics.median(verify_times), statistics.median(plain_times)


REGISTRY = Path("/usr/share/cargo/registry")
ASYNC_MAIN = """use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use tokio::sync::mpsc;

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Job {
    id: u32,
    name: String,
}

fn shout(text: &str) -> String {
    text.to_uppercase()
}

async fn worker(mut rx: mpsc::Receiver<Job>) -> HashMap<u32, String> {
    let mut done = HashMap::new();
    while let Some(job) = rx.recv().await {
        done.insert(job.id, job.name);
    }
    done
}

#[tokio::main]
async fn main() {
    let (tx, rx) = mpsc::channel(8);
    let handle = tokio::spawn(worker(rx));
    for id in 0..4 {
        tx.send(Job { id, name: format!("job-{id}") }).await.unwrap();
    }
    drop(tx);
    let done = handle.await.unwrap();
    let name = String::from("done");
    println!("{} {}", shout(name), done.len());
}
"""


def make_async_crate(root: Path) -> Path:
    """tokio + serde from the offline directory source, configured above the crate."""
    (root / ".cargo").mkdir(parents=True)
    (root / ".cargo" / "config.toml").write_text(
        '[source.crates-io]\nreplace-with = "debian"\n\n'
        f'[source.debian]\ndirectory = "{REGISTRY}"\n\n[net]\noffline = true\n'
    )
    crate = root / "async-crate"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "async-crate"\nversion = "0.1.0"\nedition = "2021"\n\n'
        '[dependencies]\ntokio = { version = "1", features = ["full"] }\n'
        'serde = { version = "1", features = ["derive"] }\n\n[workspace]\n'
    )
    (crate / "src" / "main.rs").write_text(ASYNC_MAIN)
    return crate


def first_verification(
    engine: FixEngine, baseline: ErrorSet, target: RustDiagnostic, index: int
) -> float:
    """One verification in a fresh slot (no shadow of this workspace exists)."""
    remove_shadows(engine.workspace.root)
    main_rs = engine.workspace.root / "src" / "main.rs"
    candidate = borrow_candidate(main_rs, main_rs.read_text(), index)
    t0 = time.perf_counter()
    verification = asyncio.run(engine.verify(candidate, target, baseline))
    elapsed = time.perf_counter() - t0
    assert verification.status == "compiles", verification
    return elapsed


def first_verification_cost(rounds: int = 3) -> dict[str, float]:
    """Cold flycheck, incremental flycheck, first verification with and without a donor."""
    with tempfile.TemporaryDirectory() as tmp:
        crate = make_async_crate(Path(tmp))
        workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
        settings = CheckSettings()
        t0 = time.perf_counter()
        outcome = asyncio.run(run_check(workspace, settings))
        cold = time.perf_counter() - t0
        if outcome.error_count != 1:
            raise SystemExit(f"the tokio + serde crate did not check: {outcome.stderr[-2000:]}")
        incremental: list[float] = []
        for _ in range(rounds):
            touch(crate / "src" / "main.rs")
            t0 = time.perf_counter()
            asyncio.run(run_check(workspace, settings))
            incremental.append(time.perf_counter() - t0)
        engine = FixEngine(workspace=workspace, settings=FixSettings(parallel=1))
        baseline = ErrorSet.of(outcome.diagnostics, crate)
        target = next(d for d in outcome.diagnostics if is_error(d))
        seeded = [first_verification(engine, baseline, target, i) for i in range(rounds)]
        # The same with nothing to start from: the flycheck's build moved away.
        flycheck_dir = crate / settings.target_dir
        shutil.move(flycheck_dir, crate / "target" / "moved-away")
        unseeded = first_verification(engine, baseline, target, rounds)
        remove_shadows(crate)
    return {
        "cold": cold,
        "incremental": statistics.median(incremental),
        "first": statistics.median(seeded),
        "unseeded": unseeded,
    }


def print_first_verification(figures: dict[str, float]) -> None:
    ratio = figures["first"] / figures["incremental"]
    print(
        f"tokio + serde crate: cold flycheck {figures['cold']:.1f} s; "
        f"incremental check {figures['incremental'] * 1000:.0f} ms"
    )
    print(
        f"first verification vs incremental check: {figures['first'] * 1000:.0f} ms vs "
        f"{figures['incremental'] * 1000:.0f} ms, ratio {ratio:.2f} (goal <= 2); "
        f"without a build to start from {figures['unseeded']:.1f} s"
    )


def main() -> None:
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    if not (REGISTRY / "tokio-1.24.2").is_dir():
        raise SystemExit("Debian's tokio is missing: run bench/llm-corpus/install.sh")
    if "--first-only" in sys.argv[1:]:
        print_first_verification(first_verification_cost())
        return
    with tempfile.TemporaryDirectory() as tmp:
        crate = make_crate(Path(tmp))
        lines = sum(len(p.read_text().splitlines()) for p in (crate / "src").glob("*.rs"))
        timings = asyncio.run(resolve_latency(crate))
        verify, plain = verification_cost(crate)
    print(
        f"crate: {MODULES} modules, {lines} lines, {MODULES * ERRORS_PER_MODULE} errors with fixes"
    )
    print(
        f"codeAction/resolve to a verified edit, {len(timings)} resolves: "
        f"p50 {percentile(timings, 50):.0f} ms, p95 {percentile(timings, 95):.0f} ms"
    )
    print(
        f"one verification (shadow sync + incremental check + compare): {verify * 1000:.0f} ms; "
        f"plain incremental cargo check: {plain * 1000:.0f} ms; ratio {verify / plain:.2f}"
    )
    print_first_verification(first_verification_cost())


if __name__ == "__main__":
    main()
