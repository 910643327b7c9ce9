"""The one way out of the sandbox: chat completions at the configured model endpoint.

The contained `rustcoder fix` asks the model for fixes, but its sandbox has
no network. The relay listens on a Unix socket in the job dir and forwards
`POST <chat path>` requests, and nothing else, to the endpoint the server
was configured with, adding the API key itself so that the key never
enters the sandbox. Code in the same job could use the socket too; all it
reaches is the model the service already offers to its clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from collections.abc import AsyncIterator
from pathlib import Path

from rustcoder.models.openai_backend import chat_path

MAX_HEAD_BYTES = 64 * 1024
MAX_BODY_BYTES = 8 * 1024 * 1024
_DROPPED = (b"authorization", b"host", b"connection", b"proxy-authorization")


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    with contextlib.suppress(ConnectionError, OSError):
        while chunk := await reader.read(65536):
            writer.write(chunk)
            await writer.drain()
    with contextlib.suppress(ConnectionError, OSError, RuntimeError):
        if writer.can_write_eof():
            writer.write_eof()


class ModelRelay:
    def __init__(self, endpoint: str, api_key: str | None, socket_path: Path) -> None:
        self.parts, self.path = chat_path(endpoint)
        self.api_key = api_key
        self.socket_path = socket_path

    def _head(self, request: bytes) -> tuple[bytes, int] | None:
        """The request head as sent upstream and its body's length, or None if not allowed.

        Only `POST <chat path>` with a Content-Length body passes; the body
        is forwarded to that length and no further, so nothing can ride
        behind it on the connection.
        """
        lines = request.split(b"\r\n")
        method, _, rest = lines[0].partition(b" ")
        target = rest.rpartition(b" ")[0]
        if method != b"POST" or target.decode("latin-1") != self.path:
            return None
        fields = [(line.split(b":", 1)[0].strip().lower(), line) for line in lines[1:] if line]
        lengths = [
            line.split(b":", 1)[1].strip() for name, line in fields if name == b"content-length"
        ]
        if len(lengths) != 1 or not lengths[0].isdigit() or int(lengths[0]) > MAX_BODY_BYTES:
            return None
        if any(name == b"transfer-encoding" for name, _ in fields):
            return None
        host = self.parts.netloc.rpartition("@")[2]
        headers = [line for name, line in fields if name not in _DROPPED]
        headers += [f"Host: {host}".encode(), b"Connection: close"]
        if self.api_key:
            headers.append(f"Authorization: Bearer {self.api_key}".encode())
        return b"\r\n".join([lines[0], *headers]) + b"\r\n\r\n", int(lengths[0])

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                request = await reader.readuntil(b"\r\n\r\n")
                allowed = self._head(request[:-4])
                body = await reader.readexactly(allowed[1]) if allowed else b""
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return
            if allowed is None:
                writer.write(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")
                await writer.drain()
                return
            secure = self.parts.scheme == "https"
            port = self.parts.port or (443 if secure else 80)
            try:
                up_reader, up_writer = await asyncio.open_connection(
                    self.parts.hostname,
                    port,
                    ssl=ssl.create_default_context() if secure else None,
                )
            except OSError as exc:
                message = f"model relay: cannot reach the endpoint: {exc}".encode()
                writer.write(
                    b"HTTP/1.1 502 Bad Gateway\r\nContent-Length: %d\r\n\r\n%s"
                    % (len(message), message)
                )
                await writer.drain()
                return
            up_writer.write(allowed[0] + body)
            await up_writer.drain()
            await _pipe(up_reader, writer)
            up_writer.close()
        finally:
            writer.close()

    @contextlib.asynccontextmanager
    async def serving(self) -> AsyncIterator[Path]:
        server = await asyncio.start_unix_server(
            self._handle, path=str(self.socket_path), limit=MAX_HEAD_BYTES
        )
        try:
            yield self.socket_path
        finally:
            server.close()
            with contextlib.suppress(OSError):
                self.socket_path.unlink()
