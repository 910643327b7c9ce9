"""The command line: version, check (text and JSON), serve over TCP."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from pathlib import Path

from rustcoder import __version__
from tests.lsp.helpers import copy_crate

RUSTCODER = [sys.executable, "-m", "rustcoder"]


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*RUSTCODER, *args], capture_output=True, text=True, timeout=300, check=False
    )


def test_version() -> None:
    result = run("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"rustcoder {__version__}"


def test_check_prints_diagnostics_and_fixes(tmp_path: Path) -> None:
    crate = copy_crate("fix_borrow", tmp_path)
    result = run("check", str(crate))
    assert result.returncode == 1, result.stderr
    assert "src/lib.rs:6:11: error[E0308]: mismatched types" in result.stdout
    assert "* fix: consider borrowing here: `&` [MachineApplicable]" in result.stdout
    assert "insert at src/lib.rs:6:11: '&'" in result.stdout
    assert "1 error(s), 0 warning(s)" in result.stdout


def test_check_json(tmp_path: Path) -> None:
    crate = copy_crate("fix_typo", tmp_path)
    result = run("check", str(crate), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert report["errors"] == 1
    (diagnostic,) = report["diagnostics"]
    assert diagnostic["file"] == "src/lib.rs"
    assert diagnostic["code"] == "E0425"
    assert diagnostic["range"]["start"] == {"line": 2, "character": 4}
    (fix,) = diagnostic["fixes"]
    assert fix["edits"][0]["newText"] == "running_total"
    assert fix["isPreferred"] is False


def test_check_clean_crate_and_bad_paths(tmp_path: Path) -> None:
    crate = copy_crate("clean", tmp_path)
    assert run("check", str(crate)).returncode == 0
    missing = run("check", str(tmp_path / "nope"))
    assert missing.returncode == 2
    assert "does not exist" in missing.stderr
    loose = tmp_path / "loose"
    loose.mkdir()
    outside = run("check", str(loose))
    assert outside.returncode == 2
    assert "no Cargo.toml" in outside.stderr


def test_serve_over_tcp() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    proc = subprocess.Popen(
        [*RUSTCODER, "serve", "--tcp", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        with conn:
            body = json.dumps(
                {
                    "jsonrpc": "2.0",
                    "id": 1,
                    "method": "initialize",
                    "params": {"processId": None, "rootUri": None, "capabilities": {}},
                }
            ).encode()
            conn.sendall(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
            reply = b""
            while b'"capabilities"' not in reply:
                chunk = conn.recv(65536)
                assert chunk, "connection closed before the initialize reply"
                reply += chunk
        assert b'"codeActionProvider"' in reply
    finally:
        proc.kill()
        proc.wait()
