"""The stdio transport: robust framing, an answer for every request, a clean exit.

pygls' own loop reads headers line by line and trusts every frame: a frame
without Content-Length makes it read the body as a header line, glued to the
next frame's header, and the next requests are lost. Here a frame is a block
of header lines and a body of exactly Content-Length bytes; anything else is
skipped up to the next `Content-Length:` header, and a skipped message that
carries an id still gets an error reply.

Process hygiene lives here too: `exit` ends the process with the code the
spec asks for (0 after `shutdown`, 1 without), SIGTERM/SIGINT kill the
running checks' process groups first, and writing to a client that has gone
away is dropped quietly instead of logging a traceback per message.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import sys
import threading
from dataclasses import dataclass
from typing import IO, Any

from pygls.exceptions import JsonRpcInvalidRequest, JsonRpcParseError
from pygls.lsp.server import LanguageServer

from rustcoder.cargo import process_groups

log = logging.getLogger(__name__)

_HEADER = re.compile(rb"^([A-Za-z][A-Za-z0-9-]*):[ \t]*(.*?)\r?\n$")
_CONTENT_LENGTH = b"content-length:"
#: A frame larger than this is not a message anyone should send; it is skipped.
MAX_BODY = 256 * 1024 * 1024


@dataclass
class Frame:
    """A body read with its Content-Length, or bytes skipped because they were no frame."""

    body: bytes
    skipped: bool = False


class FrameReader:
    """Reads LSP frames from a file descriptor, resynchronising on damaged input.

    It reads the descriptor itself (os.read), never through sys.stdin's buffer:
    a thread blocked inside a buffered reader at interpreter exit aborts Python.
    """

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.buffer = b""
        self.eof = False
        self.pending: bytes | None = None

    def _fill(self) -> bool:
        if self.eof:
            return False
        chunk = os.read(self.fd, 65536)
        if not chunk:
            self.eof = True
            return False
        self.buffer += chunk
        return True

    def readline(self) -> bytes:
        while b"\n" not in self.buffer:
            if not self._fill():
                line, self.buffer = self.buffer, b""
                return line
        at = self.buffer.index(b"\n") + 1
        line, self.buffer = self.buffer[:at], self.buffer[at:]
        return line

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            if not self._fill():
                break
        data, self.buffer = self.buffer[:size], self.buffer[size:]
        return data

    def _line(self) -> bytes:
        if self.pending is not None:
            line, self.pending = self.pending, None
            return line
        return self.readline()

    def next(self) -> Frame | None:
        """The next frame or skipped chunk; None at the end of the stream."""
        headers: dict[bytes, bytes] = {}
        garbage = b""
        while True:
            line = self._line()
            if not line:
                return Frame(garbage, skipped=True) if garbage.strip() else None
            if line.strip() == b"" and not garbage:
                if b"content-length" in headers:
                    break
                # A blank line after headers without Content-Length: a body of unknown
                # length follows; it is skipped up to the next header.
                headers = {}
                continue
            match = _HEADER.match(line)
            if match and not garbage:
                headers[match.group(1).lower()] = match.group(2)
                continue
            if match and garbage:
                self.pending = line
                return Frame(garbage, skipped=True)
            at = line.lower().find(_CONTENT_LENGTH)
            if at > 0:
                # A body without its header, glued to the next frame's Content-Length.
                self.pending = line[at:]
                return Frame(garbage + line[:at], skipped=True)
            garbage += line
        try:
            length = int(headers[b"content-length"])
        except ValueError:
            return Frame(b"", skipped=True)
        if not 0 <= length <= MAX_BODY:
            return Frame(b"", skipped=True)
        body = self.read(length)
        if len(body) < length:
            return None
        return Frame(body)


class SafeWriter:
    """stdout for pygls: once the client is gone, writes are dropped (logged once)."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.closed = False
        self._lock = threading.Lock()

    def write(self, data: bytes) -> None:
        with self._lock:
            if self.closed:
                return
            try:
                self.stream.write(data)
                self.stream.flush()
            except (BrokenPipeError, ValueError, OSError) as exc:
                self.closed = True
                log.info("the client is gone (%s); further output is dropped", exc)

    def close(self) -> None:
        with self._lock:
            self.closed = True
            with contextlib.suppress(OSError, ValueError):
                self.stream.close()


def _request_id(raw: Any) -> Any:
    """The id of something that looks like a request, else None."""
    if isinstance(raw, dict) and "id" in raw and "result" not in raw and "error" not in raw:
        return raw["id"]
    return None


def _id_in(text: bytes) -> Any:
    """The id of a skipped message, if it is JSON with one."""
    try:
        raw = json.loads(text)
    except ValueError:
        return None
    return _request_id(raw)


class StdioSession:
    """One LSP conversation over stdin/stdout."""

    def __init__(self, server: LanguageServer, stdin_fd: int, stdout: IO[bytes]) -> None:
        self.server = server
        self.protocol = server.protocol
        self.reader = FrameReader(stdin_fd)
        self.writer = SafeWriter(stdout)
        self.exit_code: int | None = None

    def _error(self, request_id: Any, error: Exception, message: str) -> None:
        """An error response; `id` is null when the message's id could not be read."""
        assert isinstance(error, JsonRpcInvalidRequest | JsonRpcParseError)
        payload = {
            "jsonrpc": "2.0",
            "id": request_id,
            "error": {"code": error.code, "message": message},
        }
        body = json.dumps(payload).encode()
        self.writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))

    def handle(self, frame: Frame) -> None:
        if frame.skipped:
            request_id = _id_in(frame.body.strip())
            log.warning("skipped %d bytes that were not an LSP frame", len(frame.body))
            if request_id is not None:
                self._error(request_id, JsonRpcInvalidRequest(), "message without Content-Length")
            return
        try:
            raw = json.loads(frame.body)
        except ValueError as exc:
            self._error(None, JsonRpcParseError(), f"not JSON: {exc}")
            return
        request_id = _request_id(raw)
        if not isinstance(raw, dict):
            self._error(None, JsonRpcInvalidRequest(), "a message must be a JSON object")
            return
        is_response = "id" in raw and ("result" in raw or "error" in raw)
        if not is_response and not isinstance(raw.get("method"), str):
            if request_id is not None:
                self._error(request_id, JsonRpcInvalidRequest(), "`method` must be a string")
            return
        if request_id is not None and not isinstance(request_id, int | str):
            self._error(None, JsonRpcInvalidRequest(), "`id` must be a number or a string")
            return
        if raw.get("jsonrpc") != "2.0":
            if request_id is not None:
                self._error(request_id, JsonRpcInvalidRequest(), '`jsonrpc` must be "2.0"')
            return
        if request_id is not None and raw.get("method") != "exit" and self._shut_down():
            self._error(request_id, JsonRpcInvalidRequest(), "the server is shutting down")
            return
        try:
            message = json.loads(frame.body, object_hook=self.protocol.structure_message)
            self.protocol.handle_message(message)
        except SystemExit as exc:
            self.exit_code = int(exc.code or 0) if not isinstance(exc.code, str) else 1
        except Exception as exc:
            log.exception("cannot handle %r", raw.get("method"))
            if request_id is not None:
                self._error(request_id, JsonRpcInvalidRequest(), f"cannot handle: {exc}")

    def _shut_down(self) -> bool:
        return bool(getattr(self.protocol, "_shutdown", False))

    async def run(self) -> int:
        loop = asyncio.get_running_loop()
        frames: asyncio.Queue[Frame | None] = asyncio.Queue()

        def pump() -> None:
            # A daemon thread: a client that never closes stdin cannot keep us alive.
            while True:
                try:
                    frame = self.reader.next()
                except (OSError, ValueError):
                    frame = None
                loop.call_soon_threadsafe(frames.put_nowait, frame)
                if frame is None:
                    return

        threading.Thread(target=pump, name="lsp-stdin", daemon=True).start()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, _die_by, signum)
        self.server._stop_event = threading.Event()
        self.protocol.set_writer(self.writer)
        while self.exit_code is None:
            frame = await frames.get()
            if frame is None:
                # The client went away without `exit`: an error unless it said shutdown.
                self.exit_code = 0 if self._shut_down() else 1
                break
            self.handle(frame)
        return self.exit_code


def _die_by(signum: int) -> None:
    """Kill the checks' process groups, then die of the same signal."""
    killed = process_groups.kill_all()
    log.info("signal %d: stopped %d running check(s)", signum, killed)
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def serve_stdio(server: LanguageServer) -> int:
    """Serve one client on stdin/stdout; the process exit status per the LSP spec."""
    session = StdioSession(server, sys.stdin.fileno(), sys.stdout.buffer)
    try:
        code = asyncio.run(session.run())
    finally:
        process_groups.kill_all()
        session.writer.closed = True
    return code
