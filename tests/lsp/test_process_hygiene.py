"""The server as a process: exit codes, signals, framing errors, a client that goes away.

Raw bytes over a real stdio process (a typed client cannot send broken frames),
and a crate whose build script blocks, so a check is reliably running when the
server is told to stop.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO, Any

import pytest

from tests.lsp.test_raw_jsonrpc import initialize, receive, reply_to, send

SERVER = [sys.executable, "-m", "rustcoder", "serve"]
BLOCKING_BUILD_RS = """
use std::{env, fs, thread, time::Duration};
fn main() {
    let pid_file = env::var("RUSTCODER_TEST_PID_FILE").unwrap();
    fs::write(pid_file, std::process::id().to_string()).unwrap();
    thread::sleep(Duration::from_secs(300));
}
"""


def start(tmp_path: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(
        SERVER,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=open(tmp_path / "stderr.log", "wb"),  # noqa: SIM115 - closed with the process
        env={**os.environ, **(env or {})},
    )
    assert proc.stdin is not None and proc.stdout is not None
    initialize(proc.stdin, proc.stdout, tmp_path)
    return proc


def stop(proc: subprocess.Popen[bytes]) -> None:
    if proc.poll() is None:
        proc.kill()
        proc.wait()


def request(stdin: IO[bytes], request_id: int, method: str, params: Any = None) -> None:
    message: dict[str, Any] = {"jsonrpc": "2.0", "id": request_id, "method": method}
    if params is not None:
        message["params"] = params
    send(stdin, message)


def test_exit_without_shutdown_is_exit_code_1(tmp_path: Path) -> None:
    proc = start(tmp_path)
    try:
        assert proc.stdin is not None
        send(proc.stdin, {"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(timeout=30) == 1
    finally:
        stop(proc)


def test_a_frame_without_content_length_does_not_swallow_the_next_requests(
    tmp_path: Path,
) -> None:
    proc = start(tmp_path)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(
            b"Content-Type: application/vscode-jsonrpc\r\n\r\n"
            b'{"jsonrpc":"2.0","id":20,"method":"shutdown"}'
        )
        request(proc.stdin, 21, "rustcoder/nope", {})
        request(proc.stdin, 22, "rustcoder/nope", {})
        assert reply_to(proc.stdout, 20)["error"]["code"] == -32600
        assert reply_to(proc.stdout, 21)["error"]["code"] == -32601
        assert reply_to(proc.stdout, 22)["error"]["code"] == -32601
        request(proc.stdin, 23, "shutdown")
        assert reply_to(proc.stdout, 23)["result"] is None
        send(proc.stdin, {"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(timeout=30) == 0
    finally:
        stop(proc)


MALFORMED: list[dict[str, Any]] = [
    {"jsonrpc": "2.0", "id": 30, "method": 42},
    {"jsonrpc": "2.0", "id": 31},
    {"id": 32, "method": "textDocument/hover", "params": {}},
    {"jsonrpc": "1.0", "id": 33, "method": "shutdown"},
    {"jsonrpc": "2.0", "id": 34, "method": "textDocument/hover", "params": None},
    {"jsonrpc": "2.0", "id": 35, "method": "textDocument/hover", "params": [1, 2]},
    {"jsonrpc": "2.0", "id": 36, "method": "textDocument/codeAction", "params": {"range": 1}},
]


def test_every_malformed_message_with_an_id_gets_an_error(tmp_path: Path) -> None:
    proc = start(tmp_path)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        for message in MALFORMED:
            send(proc.stdin, message)
        send(proc.stdin, b'{"jsonrpc": "2.0", "id": 37, "method": ')  # cut short: no id known
        replies = [receive(proc.stdout) for _ in range(len(MALFORMED) + 1)]
        by_id = {r.get("id"): r for r in replies}
        for message in MALFORMED:
            assert "error" in by_id[message["id"]], message
        assert by_id[None]["error"]["code"] == -32700
        request(proc.stdin, 38, "shutdown")
        assert reply_to(proc.stdout, 38)["result"] is None
    finally:
        stop(proc)


def blocking_crate(tmp_path: Path) -> Path:
    crate = tmp_path / "slow"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "slow"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n'
    )
    (crate / "build.rs").write_text(BLOCKING_BUILD_RS)
    (crate / "src" / "lib.rs").write_text("pub fn f() -> u32 { 1 }\n")
    return crate


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    stat = Path(f"/proc/{pid}/stat")
    return stat.exists() and stat.read_text().split(")")[-1].split()[0] != "Z"


def wait_for(predicate: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.1)
    return bool(predicate())


def check_running(tmp_path: Path) -> tuple[subprocess.Popen[bytes], int]:
    """A server whose check is stuck in a build script; returns it and the script's pid."""
    crate = blocking_crate(tmp_path)
    pid_file = tmp_path / "build-script.pid"
    proc = start(crate, {"RUSTCODER_TEST_PID_FILE": str(pid_file)})
    assert proc.stdin is not None
    lib = crate / "src" / "lib.rs"
    send(
        proc.stdin,
        {
            "jsonrpc": "2.0",
            "method": "textDocument/didOpen",
            "params": {
                "textDocument": {
                    "uri": lib.as_uri(),
                    "languageId": "rust",
                    "version": 1,
                    "text": lib.read_text(),
                }
            },
        },
    )
    assert wait_for(lambda: pid_file.exists() and pid_file.read_text(), 240), "no check started"
    return proc, int(pid_file.read_text())


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_stops_the_running_check_too(tmp_path: Path, signum: int) -> None:
    proc, script = check_running(tmp_path)
    try:
        assert alive(script)
        proc.send_signal(signum)
        proc.wait(timeout=30)
        assert wait_for(lambda: not alive(script), 10), "the build script outlived the server"
    finally:
        stop(proc)
        if alive(script):
            os.kill(script, signal.SIGKILL)


def test_shutdown_during_a_check_is_quiet_and_stops_it(tmp_path: Path) -> None:
    proc, script = check_running(tmp_path)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        request(proc.stdin, 40, "shutdown")
        assert reply_to(proc.stdout, 40)["result"] is None
        send(proc.stdin, {"jsonrpc": "2.0", "method": "exit"})
        proc.stdout.close()  # the client goes away at once, as editors do
        assert proc.wait(timeout=30) == 0
        assert wait_for(lambda: not alive(script), 10), "the build script outlived the server"
        stderr = (tmp_path / "slow" / "stderr.log").read_bytes()
        assert len(stderr) < 20_000, stderr[-2000:]
        assert b"Traceback" not in stderr, stderr[-2000:]
    finally:
        stop(proc)
        if alive(script):
            os.kill(script, signal.SIGKILL)
