"""Contained runs: limits hold and nothing is left running (in the sandbox where there is one)."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

from rustcoder.sandbox import BusyError, Job, Limits, RunQueue, RunResult, run_contained, start_job
from rustcoder.sandbox.python_env import rustcoder_command


def _alive(marker: str) -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if marker in cmdline:
            found.append(entry.name)
    return found


@pytest.fixture
def job() -> Iterator[Job]:
    made = start_job()
    yield made
    made.remove()


async def python(job: Job, args: Sequence[str], limits: Limits) -> RunResult:
    """This interpreter run as the job's code (it may read the Python installation)."""
    _argv, _env, readable = rustcoder_command()
    return await run_contained([sys.executable, *args], job, limits=limits, readable=readable)


async def test_wall_clock_limit_kills_the_whole_group(job: Job) -> None:
    marker = f"sleeper-{os.getpid()}"
    script = (
        f"import subprocess, time; subprocess.Popen(['sleep', '300', '{marker}']); time.sleep(300)"
    )
    result = await python(job, ["-c", script, marker], Limits(wall_seconds=1.0))
    assert result.timed_out
    assert "time limit" in result.describe_failure()
    await asyncio.sleep(0.2)
    assert _alive(marker) == []


async def test_memory_limit_stops_a_huge_allocation(job: Job) -> None:
    script = "x = bytearray(4 * 1024**3); print('allocated')"
    result = await python(job, ["-c", script], Limits(memory_bytes=512 * 1024**2))
    assert not result.ok
    assert "allocated" not in result.stdout


async def test_output_is_capped(job: Job) -> None:
    script = "import sys; sys.stdout.write('y' * 5_000_000)"
    result = await python(job, ["-c", script], Limits(output_bytes=10_000))
    assert result.ok and result.truncated
    assert len(result.stdout) < 11_000 and result.stdout.endswith("[output truncated]\n")


async def test_queue_refuses_past_its_capacity() -> None:
    queue = RunQueue(concurrency=1, capacity=2)
    release = asyncio.Event()

    async def hold() -> None:
        async with queue.slot():
            await release.wait()

    holders = [asyncio.create_task(hold()) for _ in range(2)]
    await asyncio.sleep(0.05)
    with pytest.raises(BusyError, match="busy"):
        async with queue.slot():
            pass
    release.set()
    await asyncio.gather(*holders)
    async with queue.slot():  # free again
        pass


async def test_fork_bomb_is_contained(job: Job) -> None:
    marker = f"forkbomb-{os.getpid()}"
    script = (
        "import os, time\n"
        "while True:\n"
        "    try:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(300)\n"
        "    except OSError:\n"
        "        time.sleep(0.01)\n"
    )
    result = await python(job, ["-c", script, marker], Limits(wall_seconds=2.0, processes=32))
    assert result.timed_out
    await asyncio.sleep(0.2)
    assert _alive(marker) == []


async def test_cpu_limit_is_reported_as_such(job: Job) -> None:
    result = await python(job, ["-c", "while True: pass"], Limits(cpu_seconds=1))
    assert not result.ok and not result.timed_out
    assert result.describe_failure() == "killed: CPU time limit reached"
