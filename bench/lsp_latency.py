"""codeAction latency over stdio, and our flycheck's cost against plain cargo check.

Prints p50/p99 of `textDocument/codeAction` on a generated crate with 60
diagnostics (each with a rustc fix), measured from a real client over stdio,
and the ratio of our check (JSON parsing and mapping included) to a plain
`cargo check` of the same crate, both warm and incremental (one file touched).

Usage: .venv/bin/python bench/lsp_latency.py [--requests 600] [--rounds 7]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from lsprotocol import types as lsp
from pygls.lsp.client import LanguageClient

from rustcoder.cargo.flycheck import run_check
from rustcoder.cargo.to_lsp import DiagnosticMapper
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings

N_ERRORS = 60


def make_crate(root: Path) -> Path:
    crate = root / "bench-crate"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "bench-crate"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n'
    )
    body = ["pub fn shout(text: &str) -> String {\n    text.to_uppercase()\n}\n"]
    for i in range(N_ERRORS):
        body.append(f"pub fn greet_{i}(name: String) -> String {{\n    shout(name)\n}}\n")
    (crate / "src" / "lib.rs").write_text("\n".join(body))
    return crate


def rss_mb(pid: int) -> float:
    """Resident memory of a process, from /proc (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, round(pct / 100 * (len(ordered) - 1)))
    return ordered[index]


async def code_action_latency(crate: Path, requests: int) -> tuple[list[float], int]:
    client = LanguageClient("bench", "1")
    published: dict[str, list[lsp.Diagnostic]] = {}

    @client.feature(lsp.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    def on_diagnostics(params: lsp.PublishDiagnosticsParams) -> None:
        published[params.uri] = list(params.diagnostics)

    await client.start_io(sys.executable, "-m", "rustcoder", "serve")
    await client.initialize_async(
        lsp.InitializeParams(capabilities=lsp.ClientCapabilities(), root_uri=crate.as_uri())
    )
    client.initialized(lsp.InitializedParams())
    lib = crate / "src" / "lib.rs"
    uri = lib.as_uri()
    client.text_document_did_open(
        lsp.DidOpenTextDocumentParams(
            text_document=lsp.TextDocumentItem(
                uri=uri, language_id="rust", version=1, text=lib.read_text()
            )
        )
    )
    deadline = time.monotonic() + 300
    while len([d for d in published.get(uri, []) if d.code == "E0308"]) < N_ERRORS:
        if time.monotonic() > deadline:
            raise SystemExit("no diagnostics within 300 s")
        await asyncio.sleep(0.05)
    diagnostics = published[uri]
    errors = [d for d in diagnostics if d.severity == lsp.DiagnosticSeverity.Error]
    timings: list[float] = []
    for i in range(requests):
        diagnostic = errors[i % len(errors)]
        started = time.perf_counter()
        result = await client.text_document_code_action_async(
            lsp.CodeActionParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                range=diagnostic.range,
                context=lsp.CodeActionContext(diagnostics=[diagnostic]),
            )
        )
        timings.append((time.perf_counter() - started) * 1000)
        assert result, "every diagnostic here has a fix"
    # A hover searches the knowledge base (embedder loaded): the server at its fullest.
    await client.text_document_hover_async(
        lsp.HoverParams(
            text_document=lsp.TextDocumentIdentifier(uri=uri), position=errors[0].range.start
        )
    )
    server = client._server
    if server is not None:
        print(f"server RSS, no code model, KB open: {rss_mb(server.pid):.0f} MB (goal < 150 MB)")
    # Hover on a std method: the API index (std from the rustdoc pages) is built in the
    # server's background on first use, then answers; RSS with the index loaded.
    api_hover = None
    deadline = time.monotonic() + 300
    while api_hover is None and time.monotonic() < deadline:
        api_hover = await client.text_document_hover_async(
            lsp.HoverParams(
                text_document=lsp.TextDocumentIdentifier(uri=uri),
                position=lsp.Position(line=1, character=12),  # text.to_uppercase()
            )
        )
        await asyncio.sleep(0.2)
    if server is not None and api_hover is not None:
        print(
            f"server RSS, API index loaded (hover on a std method answered): "
            f"{rss_mb(server.pid):.0f} MB (goal < 150 MB)"
        )
    await client.shutdown_async(None)
    client.exit(None)
    await client.stop()
    return timings, len(diagnostics)


def plain_check(crate: Path, target: Path) -> float:
    started = time.perf_counter()
    subprocess.run(
        ["cargo", "check", "--all-targets", "--target-dir", str(target)],
        cwd=crate,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - started


def our_check(crate: Path, settings: CheckSettings) -> float:
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    started = time.perf_counter()
    mapper = DiagnosticMapper(crate)
    asyncio.run(run_check(workspace, settings, mapper.add))
    return time.perf_counter() - started


def touch(path: Path) -> None:
    now = time.time()
    os.utime(path, (now, now))


def check_overhead(crate: Path, rounds: int) -> tuple[float, float, float]:
    settings = CheckSettings(target_dir=str(crate / "target" / "ours"))
    plain_target = crate / "target" / "plain"
    lib = crate / "src" / "lib.rs"
    plain_check(crate, plain_target)  # warm both target dirs
    our_check(crate, settings)
    plain: list[float] = []
    ours: list[float] = []
    for _ in range(rounds):
        touch(lib)
        plain.append(plain_check(crate, plain_target))
        touch(lib)
        ours.append(our_check(crate, settings))
    p, o = statistics.median(plain), statistics.median(ours)
    return p, o, o / p


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=600)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        crate = make_crate(Path(tmp))
        timings, n_diags = asyncio.run(code_action_latency(crate, args.requests))
        plain, ours, ratio = check_overhead(crate, args.rounds)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"diagnostics published: {n_diags} ({N_ERRORS} errors with fixes)")
    print(
        f"codeAction over stdio, {len(timings)} requests: "
        f"p50 {percentile(timings, 50):.2f} ms, p99 {percentile(timings, 99):.2f} ms "
        f"(goal p50 < 20 ms, p99 < 50 ms)"
    )
    print(
        f"incremental check (one file touched), median of {args.rounds}: "
        f"plain cargo check {plain * 1000:.0f} ms, rustcoder {ours * 1000:.0f} ms, "
        f"ratio {ratio:.2f} (goal <= 1.1)"
    )


if __name__ == "__main__":
    main()
