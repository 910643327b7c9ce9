"""Contained runs of untrusted builds and programs.

Submitted or generated code may loop forever, allocate without bound or
fork without end, in `build.rs` as much as in `main`. Every such run gets a
fresh process group, CPU-time, memory, file-size and process-count limits,
a wall-clock limit after which the whole group is killed, a cap on the
output kept, and `--offline` for cargo. Runs are admitted through a bounded
queue so a burst of requests gets a clear "busy" rather than a pile-up.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import resource
import signal
import time
from collections.abc import AsyncIterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 120.0
    cpu_seconds: int = 300
    #: Address-space limit per process; rustc and LLVM reserve a lot of it.
    memory_bytes: int = 6 * 1024**3
    file_bytes: int = 512 * 1024**2
    processes: int = 512
    output_bytes: int = 256 * 1024


BUILD_LIMITS = Limits()

#: Running a compiled program: much tighter than building it.
RUN_LIMITS = Limits(
    wall_seconds=10.0,
    # Above the wall clock, so a busy loop is reported as the time limit it is.
    cpu_seconds=20,
    memory_bytes=512 * 1024**2,
    file_bytes=16 * 1024**2,
    processes=64,
    output_bytes=64 * 1024,
)


@dataclass
class RunResult:
    returncode: int | None
    stdout: str
    stderr: str
    timed_out: bool = False
    truncated: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    def describe_failure(self) -> str:
        if self.timed_out:
            return "killed: time limit reached"
        if self.returncode == -signal.SIGXCPU:
            return "killed: CPU time limit reached"
        if self.returncode is not None and self.returncode < 0:
            name = signal.Signals(-self.returncode).name
            return f"killed by {name} (a CPU, memory or file-size limit, or a crash)"
        return f"exit status {self.returncode}"


class BusyError(RuntimeError):
    """Too many runs are queued; the caller should retry later (HTTP 429)."""


def _limit(kind: int, value: int, hard_value: int | None = None) -> None:
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(kind)
        ceiling = hard_value if hard_value is not None else value
        if hard != resource.RLIM_INFINITY:
            value, ceiling = min(value, hard), min(ceiling, hard)
        resource.setrlimit(kind, (value, ceiling))


class PidsCgroup:
    """A pids cgroup capping the process count of one run, where the system lets us make one.

    RLIMIT_NPROC counts per user and does not bind root (containers, CI), so a
    fork bomb is best stopped by a cgroup; where none can be made, the rlimit
    and the wall-clock kill of the process group are what is left.
    """

    _counter = 0

    def __init__(self, path: Path) -> None:
        self.path = path

    @classmethod
    def create(cls, max_pids: int) -> PidsCgroup | None:
        for base in (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup")):
            procs = base / "cgroup.procs"
            if not procs.exists() or not os.access(base, os.W_OK):
                continue
            if base == Path("/sys/fs/cgroup") and "pids" not in _read(base / "cgroup.controllers"):
                continue
            cls._counter += 1
            path = base / f"rustcoder-{os.getpid()}-{cls._counter}"
            try:
                path.mkdir()
                (path / "pids.max").write_text(str(max_pids))
            except OSError:
                with contextlib.suppress(OSError):
                    path.rmdir()
                continue
            return cls(path)
        return None

    def enter(self) -> None:  # pragma: no cover - runs in the child
        with contextlib.suppress(OSError):
            (self.path / "cgroup.procs").write_text(str(os.getpid()))

    def pids(self) -> list[int]:
        return [int(p) for p in _read(self.path / "cgroup.procs").split()]

    def destroy(self) -> None:
        for _ in range(100):
            pids = self.pids()
            if not pids:
                break
            for pid in pids:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.02)
        with contextlib.suppress(OSError):
            self.path.rmdir()


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


def _preexec(limits: Limits, cgroup: PidsCgroup | None) -> None:  # pragma: no cover - child
    if cgroup is not None:
        cgroup.enter()
    # Soft below hard: SIGXCPU first, which says what happened (hard: SIGKILL).
    _limit(resource.RLIMIT_CPU, limits.cpu_seconds, limits.cpu_seconds + 2)
    _limit(resource.RLIMIT_AS, limits.memory_bytes)
    _limit(resource.RLIMIT_FSIZE, limits.file_bytes)
    _limit(resource.RLIMIT_NPROC, limits.processes)
    _limit(resource.RLIMIT_CORE, 0)


def _kill_group(pgid: int) -> None:
    """Kill every process of the group until none is left (a fork bomb keeps forking)."""
    for _ in range(50):
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            return
        except PermissionError:
            return
        time.sleep(0.02)


async def _read_capped(stream: asyncio.StreamReader | None, cap: int) -> tuple[bytes, bool]:
    if stream is None:
        return b"", False
    kept = bytearray()
    truncated = False
    while chunk := await stream.read(65536):
        room = cap - len(kept)
        if room > 0:
            kept += chunk[:room]
        if len(chunk) > room:
            truncated = True  # keep draining so the child never blocks on a full pipe
    return bytes(kept), truncated


def _decode(data: bytes, truncated: bool) -> str:
    text = data.decode("utf-8", "replace")
    return text + "\n[output truncated]\n" if truncated else text


async def run_contained(
    argv: Sequence[str],
    cwd: Path,
    limits: Limits = BUILD_LIMITS,
    env: Mapping[str, str] | None = None,
    stdin: bytes = b"",
) -> RunResult:
    """Run `argv` in `cwd` under `limits`; the process group never outlives the call."""
    started = time.monotonic()
    cgroup = await asyncio.to_thread(PidsCgroup.create, limits.processes)
    try:
        return await _run(argv, cwd, limits, env, stdin, cgroup, started)
    finally:
        if cgroup is not None:
            await asyncio.to_thread(cgroup.destroy)


async def _run(
    argv: Sequence[str],
    cwd: Path,
    limits: Limits,
    env: Mapping[str, str] | None,
    stdin: bytes,
    cgroup: PidsCgroup | None,
    started: float,
) -> RunResult:
    process = await asyncio.create_subprocess_exec(
        *argv,
        cwd=cwd,
        env=dict(env) if env is not None else None,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: _preexec(limits, cgroup),
    )
    pgid = process.pid
    readers = asyncio.gather(
        _read_capped(process.stdout, limits.output_bytes),
        _read_capped(process.stderr, limits.output_bytes),
    )
    timed_out = False
    try:
        if process.stdin is not None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                process.stdin.write(stdin)
                await process.stdin.drain()
            process.stdin.close()
        try:
            async with asyncio.timeout(limits.wall_seconds):
                await process.wait()
        except TimeoutError:
            timed_out = True
    finally:
        # Whatever happened (timeout, cancellation), nothing of the group survives.
        await asyncio.to_thread(_kill_group, pgid)
        if cgroup is not None:  # also what left the group (setsid, double fork)
            await asyncio.to_thread(cgroup.destroy)
        if process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                process.kill()
            await process.wait()
    try:
        async with asyncio.timeout(5):
            (out, out_cut), (err, err_cut) = await readers
    except TimeoutError:  # a grandchild kept the pipe open; it is dead now
        readers.cancel()
        out, out_cut, err, err_cut = b"", True, b"", True
    return RunResult(
        returncode=process.returncode,
        stdout=_decode(out, out_cut),
        stderr=_decode(err, err_cut),
        timed_out=timed_out,
        truncated=out_cut or err_cut,
        seconds=time.monotonic() - started,
    )


@dataclass
class RunQueue:
    """At most `concurrency` runs at once and `capacity` waiting; beyond that, BusyError."""

    concurrency: int = max(1, (os.cpu_count() or 2) // 2)
    capacity: int = 16
    _waiting: int = field(default=0, init=False)
    _semaphore: asyncio.Semaphore | None = field(default=None, init=False)

    @contextlib.asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        if self._semaphore is None:
            self._semaphore = asyncio.Semaphore(self.concurrency)
        if self._waiting >= self.capacity:
            raise BusyError(
                f"busy: {self._waiting} builds are queued (limit {self.capacity}); retry later"
            )
        self._waiting += 1
        try:
            async with self._semaphore:
                yield
        finally:
            self._waiting -= 1
