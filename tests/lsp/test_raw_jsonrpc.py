"""Malformed JSON-RPC, sent as raw bytes: a typed client cannot even build it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import IO, Any

SERVER = [sys.executable, "-m", "rustcoder", "serve"]


def send(stdin: IO[bytes], payload: dict[str, Any] | bytes) -> None:
    body = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
    stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
    stdin.flush()


def receive(stdout: IO[bytes]) -> dict[str, Any]:
    length = 0
    while True:
        line = stdout.readline()
        if not line:
            raise EOFError("server closed its output")
        if line in (b"\r\n", b"\n"):
            break
        name, _, value = line.decode().partition(":")
        if name.lower() == "content-length":
            length = int(value)
    message: dict[str, Any] = json.loads(stdout.read(length))
    return message


def reply_to(stdout: IO[bytes], request_id: int) -> dict[str, Any]:
    while True:
        message = receive(stdout)
        if message.get("id") == request_id and "method" not in message:
            return message


def initialize(stdin: IO[bytes], stdout: IO[bytes], root: Path) -> None:
    """initialize + initialized with no client capabilities."""
    send(
        stdin,
        {
            "jsonrpc": "2.0",
            "id": 1,
            "method": "initialize",
            "params": {"processId": None, "rootUri": root.as_uri(), "capabilities": {}},
        },
    )
    assert "capabilities" in reply_to(stdout, 1)["result"]
    send(stdin, {"jsonrpc": "2.0", "method": "initialized", "params": {}})


def test_malformed_requests_get_errors_and_the_server_keeps_serving(tmp_path: Path) -> None:
    proc = subprocess.Popen(
        SERVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        initialize(proc.stdin, proc.stdout, tmp_path)

        bad_params = {"textDocument": 5, "range": "everything"}
        send(
            proc.stdin,
            {"jsonrpc": "2.0", "id": 2, "method": "textDocument/codeAction", "params": bad_params},
        )
        assert "error" in reply_to(proc.stdout, 2)

        send(proc.stdin, {"jsonrpc": "2.0", "id": 3, "method": "rustcoder/nope", "params": {}})
        assert reply_to(proc.stdout, 3)["error"]["code"] == -32601  # method not found

        # A notification with bad params and a body that is not JSON at all.
        send(proc.stdin, {"jsonrpc": "2.0", "method": "textDocument/didSave", "params": {"x": 1}})
        send(proc.stdin, b"{this is not json")

        code_action = {
            "textDocument": {"uri": (tmp_path / "lib.rs").as_uri()},
            "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
            "context": {"diagnostics": []},
        }
        send(
            proc.stdin,
            {"jsonrpc": "2.0", "id": 4, "method": "textDocument/codeAction", "params": code_action},
        )
        assert reply_to(proc.stdout, 4)["result"] is None

        send(proc.stdin, {"jsonrpc": "2.0", "id": 5, "method": "shutdown"})
        assert reply_to(proc.stdout, 5)["result"] is None
        send(proc.stdin, {"jsonrpc": "2.0", "method": "exit"})
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
