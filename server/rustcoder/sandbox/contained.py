"""Contained runs of untrusted builds and programs.

Submitted or generated code may loop forever, allocate without bound,
fork without end or fill the disk, in `build.rs` as much as in `main`.
Every run goes into the bubblewrap sandbox where one can be made
(`rustcoder.sandbox.bwrap`), in a fresh process group and a job cgroup,
with CPU-time, memory, file-size and process-count rlimits, a cap on the
bytes the job dir may hold, a wall-clock limit after which everything is
killed, a cap on the output kept, and an environment built from nothing.
Runs are admitted through a bounded queue so a burst of requests gets a
clear "busy" rather than a pile-up.
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

from rustcoder.sandbox import cargo_sources, seccomp
from rustcoder.sandbox.bwrap import inside, isolation, sandbox_argv
from rustcoder.sandbox.cgroup import JobCgroup
from rustcoder.sandbox.job import Job, tree_bytes
from rustcoder.sandbox.limits import BUILD_LIMITS, Limits, RunResult

#: How often the job dir's size is measured while a run goes on.
DISK_POLL_SECONDS = 0.25


class BusyError(RuntimeError):
    """Too many runs are queued; the caller should retry later (HTTP 429)."""


def _limit(kind: int, value: int, hard_value: int | None = None) -> None:
    with contextlib.suppress(ValueError, OSError):
        _soft, hard = resource.getrlimit(kind)
        ceiling = hard_value if hard_value is not None else value
        if hard != resource.RLIM_INFINITY:
            value, ceiling = min(value, hard), min(ceiling, hard)
        resource.setrlimit(kind, (value, ceiling))


def _preexec(limits: Limits, cgroup: JobCgroup | None) -> None:  # pragma: no cover - child
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


def start_job() -> Job:
    """A new job dir, with the cargo set-up its builds may use."""
    job = Job.create()
    try:
        cargo_sources.prepare(job, cargo_sources.job_sources(job), isolation().sandboxed)
    except OSError:
        job.remove()
        raise
    return job


@dataclass
class _Command:
    argv: list[str]
    env: dict[str, str]
    #: Descriptors the sandbox reads at start (the seccomp filter); closed once it runs.
    fds: list[int] = field(default_factory=list)

    def close_fds(self) -> None:
        for fd in self.fds:
            with contextlib.suppress(OSError):
                os.close(fd)
        self.fds = []


def _command(
    argv: Sequence[str],
    job: Job,
    cwd: Path,
    readable: Sequence[Path],
    env: Mapping[str, str] | None,
    network: bool,
) -> _Command:
    """The command line and environment of one run, sandboxed where that is possible."""
    found = isolation()
    if not found.sandboxed:
        return _Command(list(argv), job.env(job.tmp, env))
    sources = cargo_sources.job_sources(job)
    fd = seccomp.program_fd() if found.seccomp else None
    prefix = sandbox_argv(
        found.tool, job, cwd, [*readable, *sources.readable], sources.mounts, network, fd
    )
    full_env = {k: inside(v, job) for k, v in job.env(Path("/tmp"), env).items()}
    argv = [*prefix, *(inside(arg, job) for arg in argv)]
    return _Command(argv, full_env, [fd] if fd is not None else [])


async def run_contained(
    argv: Sequence[str],
    job: Job,
    cwd: Path | None = None,
    limits: Limits = BUILD_LIMITS,
    env: Mapping[str, str] | None = None,
    stdin: bytes = b"",
    readable: Sequence[Path] = (),
    network: bool = False,
) -> RunResult:
    """Run `argv` in `cwd` (default: the crate) as `job`'s code; nothing of it outlives the call.

    `env` adds to the job's explicit environment; `readable` are further
    paths the run may read (the sandbox shows nothing else of the host).
    """
    started = time.monotonic()
    cgroup = await asyncio.to_thread(JobCgroup.create, limits.processes, limits.memory_bytes)
    command = _command(argv, job, cwd or job.root, readable, env, network)
    try:
        return await _run(
            command, cwd or job.root, job, limits, stdin, cgroup, started, isolation().sandboxed
        )
    finally:
        command.close_fds()
        if cgroup is not None:
            await asyncio.to_thread(cgroup.destroy)


def _signal_code(returncode: int | None, sandboxed: bool) -> int | None:
    """bwrap reports a command killed by signal N as 128+N; say it as Python does (-N)."""
    if sandboxed and returncode is not None and 128 < returncode <= 128 + 64:
        return -(returncode - 128)
    return returncode


async def _watch_disk(job: Job, cap: int, kill: asyncio.Event) -> int:
    """The job dir's size once it passes `cap` (then `kill` is set); runs until cancelled."""
    while True:
        size = await asyncio.to_thread(tree_bytes, job.dir)
        if size > cap:
            kill.set()
            return cap
        await asyncio.sleep(DISK_POLL_SECONDS)


async def _run(
    command: _Command,
    cwd: Path,
    job: Job,
    limits: Limits,
    stdin: bytes,
    cgroup: JobCgroup | None,
    started: float,
    sandboxed: bool,
) -> RunResult:
    process = await asyncio.create_subprocess_exec(
        *command.argv,
        cwd=cwd,
        env=command.env,
        pass_fds=command.fds,
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        start_new_session=True,
        preexec_fn=lambda: _preexec(limits, cgroup),
    )
    command.close_fds()
    pgid = process.pid
    readers = asyncio.gather(
        _read_capped(process.stdout, limits.output_bytes),
        _read_capped(process.stderr, limits.output_bytes),
    )
    timed_out = False
    too_big = asyncio.Event()
    watcher = asyncio.create_task(_watch_disk(job, limits.disk_bytes, too_big))
    over = asyncio.create_task(too_big.wait())
    try:
        if process.stdin is not None:
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                process.stdin.write(stdin)
                await process.stdin.drain()
            process.stdin.close()
        exited = asyncio.create_task(process.wait())
        done, _ = await asyncio.wait(
            {exited, over}, timeout=limits.wall_seconds, return_when=asyncio.FIRST_COMPLETED
        )
        timed_out = not done
    finally:
        watcher.cancel()
        over.cancel()
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
        returncode=_signal_code(process.returncode, sandboxed),
        stdout=_decode(out, out_cut),
        stderr=_decode(err, err_cut),
        timed_out=timed_out,
        truncated=out_cut or err_cut,
        seconds=time.monotonic() - started,
        disk_exceeded=limits.disk_bytes if too_big.is_set() else 0,
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
