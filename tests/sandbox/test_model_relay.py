"""Model rounds of compile-and-fix reach the endpoint from inside the sandbox, and only it."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rustcoder.generate.compile_fix import ModelChoice, compile_and_fix
from rustcoder.sandbox.model_relay import ModelRelay
from tests.fix.test_model_source_cli import BROKEN, one_fix_per_round
from tests.models.openai_server import FakeOpenAI

MANIFEST = '[package]\nname = "stats"\nversion = "0.1.0"\nedition = "2021"\n'


async def test_fix_rounds_use_the_model_through_the_relay_with_the_key_added() -> None:
    with FakeOpenAI(responder=one_fix_per_round) as server:
        model = ModelChoice("fake-coder", server.url, api_key="sk-relay-only-7d1")
        files = {"Cargo.toml": MANIFEST, "src/lib.rs": BROKEN}
        outcome = await compile_and_fix(files, max_attempts=3, model=model, run=False)
    assert outcome.success, [a.output for a in outcome.attempts]
    assert "arithmetic_mean" not in outcome.build.files["src/lib.rs"]
    asked = server.chat_requests()
    assert asked, "the model was never asked"
    assert {r.headers.get("Authorization") for r in asked} == {"Bearer sk-relay-only-7d1"}


async def _ask(path: Path, request: bytes) -> bytes:
    reader, writer = await asyncio.open_unix_connection(str(path))
    writer.write(request)
    await writer.drain()
    answer = await reader.read()
    writer.close()
    return answer


async def test_relay_forwards_chat_completions_only(tmp_path: Path) -> None:
    with FakeOpenAI() as server:
        relay = ModelRelay(server.url, "sk-outside", tmp_path / "model.sock")
        async with relay.serving() as path:
            other = await _ask(path, b"GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n")
            chunked = await _ask(
                path,
                b"POST /v1/chat/completions HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                b"0\r\n\r\n",
            )
            body = b'{"model": "m", "messages": [{"role": "user", "content": "hi"}]}'
            smuggled = b"GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n"
            chat = await _ask(
                path,
                b"POST /v1/chat/completions HTTP/1.1\r\nHost: sandbox\r\n"
                b"Authorization: Bearer stolen\r\nContent-Type: application/json\r\n"
                b"Content-Length: %d\r\n\r\n%s%s" % (len(body), body, smuggled),
            )
    assert other.startswith(b"HTTP/1.1 403") and chunked.startswith(b"HTTP/1.1 403")
    assert chat.startswith(b"HTTP/1.0 200") or chat.startswith(b"HTTP/1.1 200"), chat[:200]
    assert [r.path for r in server.requests] == ["/v1/chat/completions"]
    assert server.requests[0].headers["Authorization"] == "Bearer sk-outside"
