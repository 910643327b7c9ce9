"""The escape suite through `rustcoder mcp` (stdio, the official SDK client)."""

from __future__ import annotations

import asyncio
import json
import sys
from collections.abc import Iterator
from typing import Any

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.mcp_server.test_mcp_stdio import _text
from tests.sandbox.conftest import (
    RESOURCE_PROBES,
    Aftermath,
    aftermath,
    crate_name,
    server_env,
)
from tests.sandbox.escape_checks import EscapeChecks
from tests.sandbox.probes import Traps, resource_crate


async def _all_runs(traps: Traps) -> dict[str, tuple[dict[str, Any], Aftermath]]:
    params = StdioServerParameters(
        command=sys.executable,
        args=["-m", "rustcoder", "mcp"],
        env={**server_env(traps), "RUSTCODER_KB": "/nonexistent/kb.sqlite"},
    )
    done: dict[str, tuple[dict[str, Any], Aftermath]] = {}
    async with Client(params) as client:
        jobs = {"escape": traps.escape_crate(crate_name("mcp_escape"))}
        jobs |= {p: resource_crate(p, crate_name(f"mcp_{p}")) for p in RESOURCE_PROBES}
        for key, code in jobs.items():
            result = await client.call_tool("compile", {"code": code})
            text = _text(result)
            assert not result.is_error, text
            # The server still answers: another call right after.
            alive = bool((await client.list_tools()).tools)
            after = aftermath(traps, text, crate_name(f"mcp_{key}"), 200 if alive else 0)
            done[key] = (json.loads(text), after)
    return done


@pytest.fixture(scope="module")
def runs(traps: Traps) -> Iterator[dict[str, tuple[dict[str, Any], Aftermath]]]:
    yield asyncio.run(_all_runs(traps))


class TestEscapeThroughMcp(EscapeChecks):
    built = "success"
