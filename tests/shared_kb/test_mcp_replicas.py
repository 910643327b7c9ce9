"""Two `rustcoder mcp` processes (stdio) on one shared base: learn in one, find in the other."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.shared_kb.conftest import NO_BASE, example, psql


def _params(url: str, user: Path) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "rustcoder", "mcp", "--kb", str(NO_BASE), "--shared-kb", url],
        env={**os.environ, "RUSTCODER_USER_KB": str(user)},
    )


def _json(result: object) -> dict[str, object]:
    structured = getattr(result, "structured_content", None)
    if isinstance(structured, dict):
        return structured.get("result", structured)  # type: ignore[return-value]
    text = "".join(getattr(c, "text", "") for c in getattr(result, "content", []))
    return dict(json.loads(text))


async def test_learn_fix_in_one_mcp_replica_is_found_by_another(
    shared_url: str, tmp_path: Path
) -> None:
    ex = example(11)
    async with Client(_params(shared_url, tmp_path / "a.sqlite")) as first:
        learned = await first.call_tool(
            "learn_fix",
            {"code": ex.code, "message": ex.message, "before": ex.before, "after": ex.after,
             "title": ex.title, "edition": "2021"},
        )  # fmt: skip
        assert not learned.is_error, learned
        assert _json(learned)["shared"] == "queued"
        deadline = time.monotonic() + 60
        while psql(shared_url, "SELECT count(*) FROM kb_learned")[0][0] == 0:
            assert time.monotonic() < deadline, "the first replica did not send its event"
            time.sleep(0.2)
    async with Client(_params(shared_url, tmp_path / "b.sqlite")) as second:
        found = await second.call_tool("search_kb", {"query": ex.message, "limit": 3})
        assert not found.is_error, found
        hits = _json(found)["hits"]
        assert isinstance(hits, list) and hits[0]["origin"] == "shared"
        assert hits[0]["details"]["after"] == ex.after
        assert hits[0]["details"]["edition"] == "2021"
