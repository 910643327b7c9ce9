"""The `ask` tool over MCP (stdio, the official SDK client) on the shipped base."""

from __future__ import annotations

import json
import os
import sys

from mcp import Client
from mcp.client.stdio import StdioServerParameters

from rustcoder.kb import locate


def _params() -> StdioServerParameters:
    env = {**os.environ, "RUSTCODER_KB": str(locate.base_path())}
    return StdioServerParameters(command=sys.executable, args=["-m", "rustcoder", "mcp"], env=env)


def _text(result: object) -> str:
    return "".join(getattr(c, "text", "") for c in getattr(result, "content", []))


async def test_ask_tool_returns_passages_with_local_links(html_root: object) -> None:
    async with Client(_params()) as client:
        tools = {tool.name for tool in (await client.list_tools()).tools}
        assert "ask" in tools
        result = await client.call_tool(
            "ask", {"question": "How do I send messages between threads with channels?"}
        )
        empty = await client.call_tool("ask", {"question": ""})
    assert not result.is_error, _text(result)
    answer = json.loads(_text(result))
    pages = [p["page"] for p in answer["passages"]]
    assert "book/ch16-02-message-passing.html" in pages or any("mpsc" in p for p in pages), pages
    assert all(p["link"].startswith("file://") for p in answer["passages"])
    assert empty.is_error
