"""A code model behind any OpenAI-compatible server (`/v1/chat/completions`).

LlamaEdge/Gaia nodes, Ollama, llama.cpp's server and vLLM all speak this
protocol. Plain `http.client` keeps the dependency list short and gives what
an editor needs: a connect time limit separate from the read limit, a
watchdog that closes the socket when the user cancels (a blocked read returns
at once), retries with backoff on 429/5xx that honour Retry-After, and errors
that say what to fix (server not running, not an OpenAI server, bad key).
"""

from __future__ import annotations

import contextlib
import email.utils
import http.client
import json
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Iterator
from typing import Any

from rustcoder.models.backend import (
    CancelToken,
    ChatMessage,
    Completion,
    GenerationParams,
    ModelError,
)

#: Statuses worth retrying: rate limits and server-side trouble.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: A reply body larger than this is not a chat completion.
MAX_BODY_BYTES = 8 * 1024 * 1024
API_KEY_ENV = ("RUSTCODER_API_KEY", "OPENAI_API_KEY")
#: A Unix socket to reach the endpoint through (the sandbox's model relay), if set.
SOCKET_ENV = "RUSTCODER_MODEL_SOCKET"


class _Stopped(Exception):
    """The watchdog closed the connection (cancelled or past the deadline)."""


def api_key_from_env() -> str | None:
    for name in API_KEY_ENV:
        value = os.environ.get(name)
        if value:
            return value
    return None


def chat_path(base_url: str) -> tuple[urllib.parse.SplitResult, str]:
    """The server and path of chat completions for a base URL given with or without /v1."""
    try:
        parts = urllib.parse.urlsplit(base_url.strip())
    except ValueError as exc:
        raise ModelError(f"model endpoint {base_url!r} is not a URL: {exc}") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ModelError(
            f"model endpoint {base_url!r} is not an http(s) URL "
            "(e.g. http://127.0.0.1:11434/v1 for Ollama)"
        )
    path = parts.path.rstrip("/")
    if not path.endswith("/chat/completions"):
        path = path + "/chat/completions" if path.endswith("/v1") else path + "/v1/chat/completions"
    return parts, path


def retry_delay(header: str | None, attempt: int, backoff_s: float) -> float:
    """Seconds to wait: Retry-After (seconds or an HTTP date) when given, else exponential."""
    if header:
        header = header.strip()
        with contextlib.suppress(ValueError):
            return max(0.0, float(header))
        with contextlib.suppress(TypeError, ValueError):
            when = email.utils.parsedate_to_datetime(header)
            return max(0.0, when.timestamp() - time.time())
    return backoff_s * (2**attempt)


def _snippet(data: bytes | str, limit: int = 200) -> str:
    text = data.decode("utf-8", errors="replace") if isinstance(data, bytes) else data
    text = " ".join(text.split())
    return text[:limit] + ("…" if len(text) > limit else "")


def _error_message(data: bytes) -> str:
    """The server's own explanation from an OpenAI-style error body, if there is one."""
    with contextlib.suppress(ValueError):
        body = json.loads(data)
        if isinstance(body, dict):
            error = body.get("error")
            if isinstance(error, dict) and isinstance(error.get("message"), str):
                return str(error["message"])
            if isinstance(error, str):
                return error
    return _snippet(data)


class _Watchdog:
    """Closes a connection's socket when the generation is cancelled or out of time."""

    def __init__(
        self, conn: http.client.HTTPConnection, cancel: CancelToken | None, deadline: float
    ):
        self.conn = conn
        self.cancel = cancel
        self.deadline = deadline
        self.reason: str | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="model-watchdog", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.05):
            if self.cancel is not None and self.cancel.cancelled:
                self.reason = "cancelled"
            elif time.monotonic() > self.deadline:
                self.reason = "timeout"
            else:
                continue
            sock = self.conn.sock
            if sock is not None:
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
            return

    def stop(self) -> None:
        self._done.set()


class _UnixHTTPConnection(http.client.HTTPConnection):
    """HTTP over a Unix socket: how a sandboxed process reaches the model without a network."""

    def __init__(self, path: str, host: str, timeout: float) -> None:
        super().__init__(host, timeout=timeout)
        self.socket_path = path

    def connect(self) -> None:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(self.timeout)
        try:
            sock.connect(self.socket_path)
        except OSError:
            sock.close()
            raise
        self.sock = sock


class OpenAIBackend:
    """A `CodeModel` served by an OpenAI-compatible HTTP server."""

    def __init__(
        self,
        base_url: str,
        model: str = "",
        api_key: str | None = None,
        *,
        connect_timeout_s: float = 5.0,
        read_timeout_s: float = 60.0,
        max_retries: int = 3,
        backoff_s: float = 0.5,
        max_retry_after_s: float = 30.0,
        display_name: str = "",
    ) -> None:
        self.base_url = base_url
        self._parts, self._path = chat_path(base_url)
        self.model = model
        self.api_key = api_key if api_key else api_key_from_env()
        self.connect_timeout_s = connect_timeout_s
        self.read_timeout_s = read_timeout_s
        self.max_retries = max_retries
        self.backoff_s = backoff_s
        self.max_retry_after_s = max_retry_after_s
        host = self._parts.hostname or ""
        self.name = display_name or model or f"{host}:{self._parts.port or ''}".rstrip(":")
        #: Gemma-family chat templates have no system role.
        self.prompt_style = "chat-no-system" if "gemma" in model.lower() else "chat"

    # --- public API (CodeModel) ---------------------------------------------------

    def chat(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Completion:
        deadline = time.monotonic() + params.timeout_s
        try:
            conn, response, watchdog = self._open(messages, params, cancel, deadline, stream=False)
        except _Stopped as stopped:
            return Completion(text="", finish_reason=str(stopped))
        try:
            data = self._read_body(response, watchdog)
        except _Stopped as stopped:
            return Completion(text="", finish_reason=str(stopped))
        finally:
            watchdog.stop()
            conn.close()
        return self._parse_completion(data)

    def stream(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]:
        deadline = time.monotonic() + params.timeout_s
        try:
            conn, response, watchdog = self._open(messages, params, cancel, deadline, stream=True)
        except _Stopped:
            return
        try:
            yield from self._read_events(response, watchdog)
        except _Stopped:
            return
        finally:
            watchdog.stop()
            conn.close()

    # --- requests ----------------------------------------------------------------

    def _connection(self) -> http.client.HTTPConnection:
        host = self._parts.hostname or ""
        port = self._parts.port
        relay = os.environ.get(SOCKET_ENV)
        if relay:
            return _UnixHTTPConnection(relay, host, self.connect_timeout_s)
        if self._parts.scheme == "https":
            return http.client.HTTPSConnection(host, port, timeout=self.connect_timeout_s)
        return http.client.HTTPConnection(host, port, timeout=self.connect_timeout_s)

    def _headers(self) -> dict[str, str]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json, text/event-stream",
            "User-Agent": "rustcoder",
        }
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers

    def _body(self, messages: list[ChatMessage], params: GenerationParams, stream: bool) -> bytes:
        body: dict[str, Any] = {
            "model": self.model or "default",
            "messages": [{"role": m.role, "content": m.content} for m in messages],
            "max_tokens": params.max_tokens,
            "temperature": params.temperature,
            "top_p": params.top_p,
            "stream": stream,
        }
        if params.stop:
            body["stop"] = list(params.stop)
        if params.seed is not None:
            body["seed"] = params.seed
        return json.dumps(body).encode()

    def _connect(self, conn: http.client.HTTPConnection) -> None:
        where = self.base_url
        try:
            conn.connect()
        except ConnectionRefusedError:
            raise ModelError(
                f"cannot reach the model server at {where}: connection refused "
                "(is it running, and is this its address and port?)"
            ) from None
        except TimeoutError:
            raise ModelError(
                f"the model server at {where} did not accept a connection "
                f"within {self.connect_timeout_s:g} s"
            ) from None
        except OSError as exc:
            raise ModelError(f"cannot reach the model server at {where}: {exc}") from None
        if conn.sock is not None:
            conn.sock.settimeout(self.read_timeout_s)

    def _open(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None,
        deadline: float,
        stream: bool,
    ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse, _Watchdog]:
        """Send the request, retrying 429/5xx; the open response of a 200 reply."""
        body = self._body(messages, params, stream)
        for attempt in range(self.max_retries + 1):
            conn = self._connection()
            self._connect(conn)
            watchdog = _Watchdog(conn, cancel, deadline)
            try:
                conn.request("POST", self._path, body=body, headers=self._headers())
                response = conn.getresponse()
            except (OSError, http.client.HTTPException) as exc:
                watchdog.stop()
                conn.close()
                if watchdog.reason:
                    raise _Stopped(watchdog.reason) from None
                if isinstance(exc, TimeoutError):
                    raise ModelError(
                        f"the model server at {self.base_url} sent no reply "
                        f"within {self.read_timeout_s:g} s"
                    ) from None
                raise ModelError(
                    f"the model server at {self.base_url} closed the connection "
                    f"without a reply ({exc or type(exc).__name__})"
                ) from None
            if response.status == 200:
                return conn, response, watchdog
            try:
                data = response.read(64 * 1024)
            except (OSError, http.client.HTTPException):
                data = b""
            finally:
                watchdog.stop()
                conn.close()
            if response.status in RETRY_STATUSES and attempt < self.max_retries:
                delay = retry_delay(response.getheader("Retry-After"), attempt, self.backoff_s)
                delay = min(delay, self.max_retry_after_s)
                if time.monotonic() + delay > deadline:
                    raise ModelError(
                        f"the model server at {self.base_url} is busy (HTTP {response.status}) "
                        "and asked to wait past the time limit"
                    )
                self._sleep(delay, cancel)
                continue
            raise ModelError(self._describe_status(response.status, data))
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _sleep(delay: float, cancel: CancelToken | None) -> None:
        end = time.monotonic() + delay
        while (left := end - time.monotonic()) > 0:
            if cancel is not None and cancel.cancelled:
                raise _Stopped("cancelled")
            time.sleep(min(left, 0.05))

    def _describe_status(self, status: int, data: bytes) -> str:
        where = f"the model server at {self.base_url}"
        detail = _error_message(data)
        if status in (401, 403):
            return (
                f"{where} refused the request (HTTP {status}: {detail}); set model.apiKey "
                f"or {API_KEY_ENV[0]}"
            )
        if status == 404:
            return (
                f"{where} has no {self._path} (HTTP 404: {detail}); is it an OpenAI-compatible "
                "server, and is the model name right?"
            )
        if status in RETRY_STATUSES:
            return f"{where} failed after {self.max_retries + 1} tries (HTTP {status}: {detail})"
        return f"{where} answered HTTP {status}: {detail}"

    # --- replies -------------------------------------------------------------------

    def _read_body(self, response: http.client.HTTPResponse, watchdog: _Watchdog) -> bytes:
        try:
            data = response.read(MAX_BODY_BYTES + 1)
        except (OSError, http.client.HTTPException) as exc:
            if watchdog.reason:
                raise _Stopped(watchdog.reason) from None
            raise ModelError(f"the reply of {self.base_url} broke off: {exc}") from None
        if watchdog.reason:
            raise _Stopped(watchdog.reason)
        if len(data) > MAX_BODY_BYTES:
            raise ModelError(f"the reply of {self.base_url} is too large for a chat completion")
        return data

    def _not_openai(self, data: bytes | str) -> ModelError:
        return ModelError(
            f"{self.base_url} did not reply like an OpenAI-compatible server: {_snippet(data)!r}"
        )

    def _parse_completion(self, data: bytes) -> Completion:
        try:
            body = json.loads(data)
        except ValueError:
            raise self._not_openai(data) from None
        choice = self._first_choice(body, data)
        message = choice.get("message")
        content: Any = message.get("content") if isinstance(message, dict) else choice.get("text")
        if content is None:
            content = ""
        if not isinstance(content, str):
            raise self._not_openai(data)
        usage = body.get("usage") if isinstance(body.get("usage"), dict) else {}
        return Completion(
            text=content,
            finish_reason="length" if choice.get("finish_reason") == "length" else "stop",
            prompt_tokens=_int(usage.get("prompt_tokens")),
            completion_tokens=_int(usage.get("completion_tokens")),
        )

    def _first_choice(self, body: Any, data: bytes | str) -> dict[str, Any]:
        if isinstance(body, dict) and "error" in body and "choices" not in body:
            raise ModelError(
                f"the model server at {self.base_url} reported an error: "
                f"{_error_message(json.dumps(body).encode())}"
            )
        choices = body.get("choices") if isinstance(body, dict) else None
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            raise self._not_openai(data)
        first: dict[str, Any] = choices[0]
        return first

    def _read_events(
        self, response: http.client.HTTPResponse, watchdog: _Watchdog
    ) -> Iterator[str]:
        """Text pieces of a server-sent-events stream (`data: {...}` lines, `[DONE]`)."""
        content_type = (response.getheader("Content-Type") or "").lower()
        if "application/json" in content_type:
            # The server ignored `stream: true` and sent one completion.
            yield self._parse_completion(self._read_body(response, watchdog)).text
            return
        got_event = False
        while True:
            try:
                raw = response.readline(MAX_BODY_BYTES)
            except (OSError, http.client.HTTPException) as exc:
                if watchdog.reason:
                    raise _Stopped(watchdog.reason) from None
                raise ModelError(f"the reply stream of {self.base_url} broke off: {exc}") from None
            if watchdog.reason:
                raise _Stopped(watchdog.reason)
            if not raw:
                if not got_event:
                    raise ModelError(f"{self.base_url} closed the stream without sending anything")
                return
            line = raw.decode("utf-8", errors="replace").strip()
            if not line or line.startswith(":") or line.startswith(("event:", "id:", "retry:")):
                continue
            if not line.startswith("data:"):
                raise self._not_openai(line)
            payload = line[5:].strip()
            if payload == "[DONE]":
                return
            try:
                event = json.loads(payload)
            except ValueError:
                raise self._not_openai(payload) from None
            got_event = True
            if isinstance(event, dict) and event.get("choices") == []:
                continue  # e.g. a final usage-only chunk
            choice = self._first_choice(event, payload)
            delta = choice.get("delta")
            piece = delta.get("content") if isinstance(delta, dict) else choice.get("text")
            if isinstance(piece, str) and piece:
                yield piece


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0
