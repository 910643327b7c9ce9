"""`rustcoder mcp` over stdio, driven by the official MCP SDK client."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters

from tests.generate.conftest import BROKEN_CRATE, DESCRIPTION
from tests.models.openai_server import FakeOpenAI

HELLO = (
    '[filename: Cargo.toml]\n[package]\nname = "hello"\nversion = "0.1.0"\nedition = "2021"\n\n'
    '[dependencies]\n\n[filename: src/main.rs]\nfn main() {\n    println!("Hello, MCP!");\n}\n'
)
BROKEN = HELLO.replace(
    'println!("Hello, MCP!");',
    'let n: i32 = 5;\n    let mut m = n;\n    println!("{m}");\n    n = 6;',
)


def _params(*extra: str) -> StdioServerParameters:
    return StdioServerParameters(
        command=sys.executable,
        args=["-m", "rustcoder", "mcp", *extra],
        env={**os.environ, "RUSTCODER_KB": str(Path("/nonexistent/kb.sqlite"))},
    )


def _text(result: object) -> str:
    return "".join(getattr(c, "text", "") for c in getattr(result, "content", []))


async def test_tools_are_listed_with_rust_coder_names() -> None:
    async with Client(_params()) as client:
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
    assert {"generate", "compile", "compile_and_fix", "explain", "search_kb"} <= tools.keys()
    assert "max_attempts" in tools["compile_and_fix"].input_schema["properties"]


async def test_compile_and_fix_and_bad_input_keep_the_server_serving() -> None:
    async with Client(_params()) as client:
        ok = await client.call_tool("compile", {"code": HELLO})
        assert not ok.is_error and "Hello, MCP!" in _text(ok)

        fixed = await client.call_tool("compile_and_fix", {"code": BROKEN, "max_attempts": 3})
        assert not fixed.is_error, _text(fixed)
        assert "let mut n: i32 = 5;" in _text(fixed)
        assert "[filename: src/main.rs]" in _text(fixed)

        escape = await client.call_tool(
            "compile", {"code": "[filename: ../../x.rs]\nfn main() {}\n"}
        )
        assert escape.is_error and "not allowed" in _text(escape)
        garbage = await client.call_tool("compile", {"code": "just prose, no files"})
        assert garbage.is_error
        collision = await client.call_tool(
            "compile", {"code": "[filename: src]\nx\n[filename: src/main.rs]\nfn main() {}\n"}
        )
        assert collision.is_error
        assert "'src' is given as a file and as the directory of 'src/main.rs'" in _text(collision)
        missing = await client.call_tool("compile", {})
        assert missing.is_error
        huge = await client.call_tool(
            "compile", {"code": "[filename: src/main.rs]\n" + "x" * 3_000_000}
        )
        assert huge.is_error and "too long" in _text(huge)

        no_model = await client.call_tool("generate", {"description": DESCRIPTION})
        assert no_model.is_error and "no code model is configured" in _text(no_model)

        no_kb = await client.call_tool("explain", {"error_code": "E0382"})
        assert no_kb.is_error and "rustcoder kb build" in _text(no_kb)

        again = await client.call_tool("compile", {"code": HELLO})
        assert not again.is_error


@pytest.mark.timeout(300)
async def test_generate_through_a_model_endpoint() -> None:
    with FakeOpenAI() as fake:
        fake.script(BROKEN_CRATE)
        async with Client(_params("--endpoint", fake.url)) as client:
            result = await client.call_tool("generate", {"description": DESCRIPTION})
        assert not result.is_error, _text(result)
        text = _text(result)
        assert "[filename: Cargo.toml]" in text and "[filename: src/main.rs]" in text
        assert "names.clone()" in text or "&names" in text
