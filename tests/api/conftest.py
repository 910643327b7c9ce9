"""A real `rustcoder api` server on 127.0.0.1, with a scripted model endpoint."""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.models.openai_server import FakeOpenAI


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Api:
    port: int
    model: FakeOpenAI
    process: subprocess.Popen[bytes]
    token: str | None = None

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        raw: bytes | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 300,
    ) -> tuple[int, Any]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        all_headers = {"Content-Type": "application/json", **(headers or {})}
        if self.token:
            all_headers.setdefault("Authorization", f"Bearer {self.token}")
        conn.request(method, path, body=data, headers=all_headers)
        response = conn.getresponse()
        payload = response.read()
        conn.close()
        try:
            return response.status, json.loads(payload)
        except ValueError:
            return response.status, payload.decode(errors="replace")


def start_api(
    model: FakeOpenAI, *extra: str, token: str | None = None, env: dict[str, str] | None = None
) -> Api:
    port = free_port()
    argv = [sys.executable, "-m", "rustcoder", "api", "--port", str(port), "--endpoint", model.url]
    if token:
        argv += ["--token", token]
    env = {**(env or os.environ), "RUSTCODER_KB": "/nonexistent/kb.sqlite"}
    process = subprocess.Popen([*argv, *extra], env=env, stderr=subprocess.PIPE)
    api = Api(port, model, process, token)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if api.request("GET", "/health", timeout=2)[0] == 200:
                return api
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"api did not start: {process.stderr.read() if process.stderr else ''}")


def stop_api(api: Api) -> None:
    api.process.terminate()
    try:
        api.process.wait(10)
    except subprocess.TimeoutExpired:
        api.process.kill()


@pytest.fixture(scope="module")
def api() -> Iterator[Api]:
    with FakeOpenAI() as model:
        server = start_api(model, "--concurrency", "2", "--queue", "6")
        yield server
        stop_api(server)
        assert server.process.returncode is not None
