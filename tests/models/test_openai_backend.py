"""The OpenAI-compatible backend against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from rustcoder.models.backend import CancelToken, ChatMessage, GenerationParams, ModelError
from rustcoder.models.openai_backend import OpenAIBackend, chat_path, retry_delay
from tests.models.openai_server import FakeOpenAI, Reply

MESSAGES = [ChatMessage("system", "You fix Rust."), ChatMessage("user", "fix this")]


@pytest.fixture
def server() -> Iterator[FakeOpenAI]:
    with FakeOpenAI() as fake:
        yield fake


def backend(server: FakeOpenAI, **kwargs: object) -> OpenAIBackend:
    options: dict[str, object] = {"backoff_s": 0.01, **kwargs}
    return OpenAIBackend(server.url, "fake-coder", **options)  # type: ignore[arg-type]


def test_chat_returns_the_completion_and_sends_an_openai_request(server: FakeOpenAI) -> None:
    server.script("```rust\nfn main() {}\n```")
    params = GenerationParams(max_tokens=77, temperature=0.2, stop=["</s>"], seed=3)
    completion = backend(server, api_key="sk-test").chat(MESSAGES, params)
    assert completion.text == "```rust\nfn main() {}\n```"
    assert completion.finish_reason == "stop"
    assert (completion.prompt_tokens, completion.completion_tokens) == (11, 7)
    (request,) = server.chat_requests()
    assert request.path == "/v1/chat/completions"
    assert request.headers["Authorization"] == "Bearer sk-test"
    assert request.body["model"] == "fake-coder"
    assert request.body["messages"] == [
        {"role": "system", "content": "You fix Rust."},
        {"role": "user", "content": "fix this"},
    ]
    assert request.body["max_tokens"] == 77
    assert request.body["temperature"] == 0.2
    assert request.body["stop"] == ["</s>"]
    assert request.body["seed"] == 3
    assert request.body["stream"] is False


def test_stream_yields_the_pieces_in_order(server: FakeOpenAI) -> None:
    server.script(Reply(pieces=["fn ", "main", "() {}"]))
    pieces = list(backend(server).stream(MESSAGES, GenerationParams()))
    assert pieces == ["fn ", "main", "() {}"]
    assert server.chat_requests()[0].body["stream"] is True


def test_stream_of_a_server_that_ignores_stream_true(server: FakeOpenAI) -> None:
    server.script(Reply(body=b'{"choices": [{"message": {"content": "whole"}}]}'))
    assert list(backend(server).stream(MESSAGES, GenerationParams())) == ["whole"]


def test_api_key_comes_from_the_environment(
    server: FakeOpenAI, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.setenv("RUSTCODER_API_KEY", "from-env")
    backend(server).chat(MESSAGES, GenerationParams())
    assert server.chat_requests()[0].headers["Authorization"] == "Bearer from-env"
    monkeypatch.delenv("RUSTCODER_API_KEY")
    backend(server).chat(MESSAGES, GenerationParams())
    assert "Authorization" not in server.chat_requests()[1].headers


def test_429_is_retried_after_the_time_the_server_asks(server: FakeOpenAI) -> None:
    server.script(Reply(status=429, headers={"Retry-After": "1"}, body=b"{}"), "done")
    started = time.monotonic()
    completion = backend(server).chat(MESSAGES, GenerationParams())
    assert completion.text == "done"
    assert len(server.chat_requests()) == 2
    assert time.monotonic() - started >= 0.9, "Retry-After: 1 was honoured"


def test_5xx_is_retried_with_backoff_then_reported(server: FakeOpenAI) -> None:
    server.script(Reply(status=503, body=b"busy"), Reply(status=500, body=b"oops"), "fine")
    assert backend(server).chat(MESSAGES, GenerationParams()).text == "fine"
    assert len(server.chat_requests()) == 3
    error = b'{"error": {"message": "model crashed"}}'
    server.script(*[Reply(status=500, body=error)] * 3)
    with pytest.raises(ModelError, match=r"failed after 3 tries \(HTTP 500: model crashed\)"):
        backend(server, max_retries=2).chat(MESSAGES, GenerationParams())


def test_retry_delay_reads_seconds_dates_and_falls_back_to_backoff() -> None:
    assert retry_delay("3", 0, 0.5) == 3.0
    assert retry_delay(None, 0, 0.5) == 0.5
    assert retry_delay(None, 3, 0.5) == 4.0
    assert retry_delay("Wed, 21 Oct 2015 07:28:00 GMT", 0, 0.5) == 0.0
    assert retry_delay("soon", 1, 0.5) == 1.0


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(body=b"<html>hello</html>"), "did not reply like an OpenAI-compatible server"),
        (Reply(body=b'{"result": "fn main() {}"}'), "did not reply like an OpenAI-compatible"),
        (Reply(body=b'{"choices": []}'), "did not reply like an OpenAI-compatible server"),
        (Reply(body=b'{"choices": [{"message": {"content": 5}}]}'), "did not reply like"),
        (Reply(body=b'{"error": {"message": "bad prompt"}}'), "reported an error: bad prompt"),
        (Reply(status=404, body=b"no such route"), "has no /v1/chat/completions"),
        (Reply(status=401, body=b'{"error": "bad key"}'), "set model.apiKey or RUSTCODER_API_KEY"),
        (Reply(status=400, body=b'{"error": {"message": "too long"}}'), "HTTP 400: too long"),
    ],
)
def test_garbage_and_errors_become_clear_model_errors(
    server: FakeOpenAI, reply: Reply, message: str
) -> None:
    server.script(reply)
    with pytest.raises(ModelError, match=message):
        backend(server).chat(MESSAGES, GenerationParams())


def test_garbage_in_a_stream_is_a_model_error(server: FakeOpenAI) -> None:
    server.script(
        Reply(body=b"this is not an event stream", headers={"Content-Type": "text/plain"})
    )
    with pytest.raises(ModelError, match="did not reply like an OpenAI-compatible server"):
        list(backend(server).stream(MESSAGES, GenerationParams()))


def test_connection_refused_names_the_server() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    model = OpenAIBackend(f"http://127.0.0.1:{port}", "m")
    with pytest.raises(ModelError, match=rf"127\.0\.0\.1:{port}: connection refused"):
        model.chat(MESSAGES, GenerationParams())


def test_cancel_stops_a_hanging_request_promptly(server: FakeOpenAI) -> None:
    server.script(Reply(hang=True))
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    started = time.monotonic()
    completion = backend(server).chat(MESSAGES, GenerationParams(timeout_s=30), cancel)
    assert completion.finish_reason == "cancelled"
    assert completion.text == ""
    assert time.monotonic() - started < 10


def test_cancel_ends_a_stream_between_pieces(server: FakeOpenAI) -> None:
    server.script(Reply(pieces=["a"] * 100, piece_delay_s=0.05))
    cancel = CancelToken()
    received: list[str] = []
    for piece in backend(server).stream(MESSAGES, GenerationParams(timeout_s=30), cancel):
        received.append(piece)
        if len(received) == 3:
            cancel.cancel()
    assert 3 <= len(received) < 100


def test_time_limit_ends_a_hanging_request(server: FakeOpenAI) -> None:
    server.script(Reply(hang=True))
    completion = backend(server).chat(MESSAGES, GenerationParams(timeout_s=0.5))
    assert completion.finish_reason == "timeout"


def test_read_time_limit_is_a_model_error(server: FakeOpenAI) -> None:
    server.script(Reply(hang=True))
    with pytest.raises(ModelError, match=r"sent no reply within 0\.3 s"):
        backend(server, read_timeout_s=0.3).chat(MESSAGES, GenerationParams(timeout_s=30))


@pytest.mark.parametrize(
    ("base", "path"),
    [
        ("http://h:1", "/v1/chat/completions"),
        ("http://h:1/", "/v1/chat/completions"),
        ("http://h:1/v1", "/v1/chat/completions"),
        ("http://h:1/v1/", "/v1/chat/completions"),
        ("http://h:1/api/v1/chat/completions", "/api/v1/chat/completions"),
        ("https://node.gaia.domains/v1", "/v1/chat/completions"),
    ],
)
def test_base_url_with_or_without_v1(base: str, path: str) -> None:
    assert chat_path(base)[1] == path


@pytest.mark.parametrize("base", ["127.0.0.1:8080", "ftp://h/v1", "", "http://"])
def test_a_bad_endpoint_is_a_clear_error(base: str) -> None:
    with pytest.raises(ModelError, match="not an http"):
        OpenAIBackend(base, "m")


def test_display_name_and_prompt_style() -> None:
    assert OpenAIBackend("http://h:1/v1", "qwen2.5-coder:7b").name == "qwen2.5-coder:7b"
    assert OpenAIBackend("http://h:1/v1", "").name == "h:1"
    assert OpenAIBackend("http://h:1/v1", "gemma-3-4b-it").prompt_style == "chat-no-system"
    assert OpenAIBackend("http://h:1/v1", "Qwen2.5-Coder").prompt_style == "chat"
