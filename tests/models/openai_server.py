"""A real OpenAI-compatible HTTP server on 127.0.0.1 for tests.

Replies are scripted (`FakeOpenAI.script(...)`) or computed from the request
by a responder; each can be a plain completion, an SSE stream, an error
status with headers (429 with Retry-After), garbage, or a reply that hangs
until the client gives up. Every request is recorded so tests can check what
was sent, and that nothing was sent when nothing should be.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    #: The assistant's text (sent as one completion, or as SSE pieces when streaming).
    content: str | None = None
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    #: Raw body instead of a completion (garbage, error objects).
    body: bytes | None = None
    #: For streaming requests: the pieces to send (default: `content` in 3-char pieces).
    pieces: list[str] | None = None
    #: Seconds to wait before replying.
    delay_s: float = 0.0
    #: Never reply; hold the connection until the client closes it or the server stops.
    hang: bool = False
    #: Seconds between SSE pieces.
    piece_delay_s: float = 0.0


Responder = Callable[[dict[str, Any]], Reply | str]


@dataclass
class Recorded:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def completion_body(content: str, model: str = "fake-coder") -> bytes:
    return json.dumps(
        {
            "id": "chatcmpl-test",
            "object": "chat.completion",
            "model": model,
            "choices": [
                {
                    "index": 0,
                    "message": {"role": "assistant", "content": content},
                    "finish_reason": "stop",
                }
            ],
            "usage": {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18},
        }
    ).encode()


def sse_event(piece: str) -> bytes:
    chunk = {
        "object": "chat.completion.chunk",
        "choices": [{"index": 0, "delta": {"content": piece}}],
    }
    return f"data: {json.dumps(chunk)}\n\n".encode()


class FakeOpenAI:
    """Start with `with FakeOpenAI() as server:`; `server.url` is the base URL (…/v1)."""

    def __init__(self, responder: Responder | None = None) -> None:
        self.responder = responder
        self.replies: deque[Reply | str] = deque()
        self.requests: list[Recorded] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply | str) -> None:
        with self._lock:
            self.replies.extend(replies)

    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    def __enter__(self) -> FakeOpenAI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def _next_reply(self, body: dict[str, Any]) -> Reply:
        with self._lock:
            scripted = self.replies.popleft() if self.replies else None
        if scripted is None:
            scripted = self.responder(body) if self.responder else Reply(content="ok")
        return Reply(content=scripted) if isinstance(scripted, str) else scripted

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake.requests.append(Recorded(self.path, dict(self.headers), {}))
                if self.path.rstrip("/").endswith("/models"):
                    self._send(200, json.dumps({"data": [{"id": "fake-coder"}]}).encode())
                else:
                    self._send(404, b'{"error": {"message": "not found"}}')

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body = {"_raw": raw.decode("utf-8", "replace")}
                fake.requests.append(Recorded(self.path, dict(self.headers), body))
                if not self.path.endswith("/chat/completions"):
                    self._send(404, b'{"error": {"message": "unknown path"}}')
                    return
                reply = fake._next_reply(body)
                if reply.hang:
                    fake.stopping.wait(60)
                    return
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.body is not None or reply.status != 200:
                    self._send(reply.status, reply.body or b"", reply.headers)
                elif body.get("stream"):
                    self._stream(reply)
                else:
                    self._send(200, completion_body(reply.content or ""), reply.headers)

            def _send(
                self, status: int, data: bytes, headers: dict[str, str] | None = None
            ) -> None:
                self.send_response(status)
                merged = {"Content-Type": "application/json", **(headers or {})}
                for key, value in merged.items():
                    self.send_header(key, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _stream(self, reply: Reply) -> None:
                content = reply.content or ""
                pieces = reply.pieces
                if pieces is None:
                    pieces = [content[i : i + 3] for i in range(0, len(content), 3)]
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                self.wfile.write(b": keep-alive\n\n")
                for piece in pieces:
                    if reply.piece_delay_s:
                        time.sleep(reply.piece_delay_s)
                    if fake.stopping.is_set():
                        return
                    try:
                        self.wfile.write(sse_event(piece))
                        self.wfile.flush()
                    except OSError:
                        return  # the client closed the stream (cancelled)
                self.wfile.write(b"data: [DONE]\n\n")

        return Handler
