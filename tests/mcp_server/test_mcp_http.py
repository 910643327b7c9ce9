"""`rustcoder mcp --http PORT`: streamable HTTP on 127.0.0.1 with the SDK client."""

from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time

from mcp import Client

from tests.api.conftest import free_port
from tests.mcp_server.test_mcp_stdio import HELLO, _text


async def test_streamable_http_serves_the_tools() -> None:
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "rustcoder", "mcp", "--http", str(port)],
        env={**os.environ, "RUSTCODER_KB": "/nonexistent/kb.sqlite"},
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/mcp"
        deadline = time.monotonic() + 30
        while True:
            try:
                async with Client(url) as client:
                    tools = {t.name for t in (await client.list_tools()).tools}
                    result = await client.call_tool("compile", {"code": HELLO})
                break
            except Exception:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        assert "compile_and_fix" in tools
        assert not result.is_error and "Hello, MCP!" in _text(result)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/health")
        health = json.loads(conn.getresponse().read())
        assert health["status"] == "ok" and health["isolation"]["sandbox"] == "bubblewrap"
    finally:
        process.terminate()
        process.wait(10)


def test_http_off_loopback_is_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "rustcoder", "mcp", "--http", "0.0.0.0:9"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2 and "loopback" in result.stderr
