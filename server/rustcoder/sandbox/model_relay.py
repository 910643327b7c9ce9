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

    def _head(self, request: bytes) -> bytes | None:
        """The request head as sent upstream, or None when it is not a chat completion."""
        lines = request.split(b"\r\n")
        method, _, rest = lines[0].partition(b" ")
        target = rest.rpartition(b" ")[0]
        if method != b"POST" or target.decode("latin-1") != self.path:
            return None
        host = self.parts.netloc.rpartition("@")[2]
        headers = [
            line
            for line in lines[1:]
            if line and line.split(b":")[0].strip().lower() not in _DROPPED
        ]
        headers += [f"Host: {host}".encode(), b"Connection: close"]
        if self.api_key:
            headers.append(f"Authorization: Bearer {self.api_key}".encode())
        return b"\r\n".join([lines[0], *headers]) + b"\r\n\r\n"

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            try:
                request = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
                return
            head = self._head(request[:-4])
            if head is None:
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
            up_writer.write(head)
            await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
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
