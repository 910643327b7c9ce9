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
    TAGGED_PROBES,
    Aftermath,
    aftermath,
    assert_contained,
    assert_resource_probe,
    crate_name,
    server_env,
)
from tests.sandbox.probes import Traps, probe_results, resource_crate


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


@pytest.mark.parametrize("probe", TAGGED_PROBES)
def test_probe_does_not_escape(
    runs: dict[str, tuple[dict[str, Any], Aftermath]], probe: str
) -> None:
    body, _ = runs["escape"]
    assert body["success"], body["build_output"]
    result = probe_results(body["run_output"]).get(probe)
    assert result is not None, body["run_output"]
    assert not result.startswith("ESCAPED"), result


def test_escape_probes_left_nothing_outside(
    runs: dict[str, tuple[dict[str, Any], Aftermath]],
) -> None:
    assert_contained(runs["escape"][1])


@pytest.mark.parametrize("probe", RESOURCE_PROBES)
def test_resource_probe_is_contained(
    runs: dict[str, tuple[dict[str, Any], Aftermath]], probe: str
) -> None:
    body, after = runs[probe]
    assert body["success"], body["build_output"]
    assert_resource_probe(probe, after, body["run_output"])
