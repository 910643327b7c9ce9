"""What one contained run may use, and what became of it.

The caps are the Playground's: time, memory, processes, bytes written and
output kept. A build gets room for rustc and LLVM; running the program it
produced gets much less.
"""

from __future__ import annotations

import os
import signal
from dataclasses import dataclass

#: Operators may shorten or lengthen the wall clock of running a program (default 10 s).
RUN_TIMEOUT_ENV = "RUSTCODER_RUN_TIMEOUT"


def _run_seconds() -> float:
    try:
        return min(600.0, max(0.5, float(os.environ.get(RUN_TIMEOUT_ENV) or 10.0)))
    except ValueError:
        return 10.0


@dataclass(frozen=True)
class Limits:
    wall_seconds: float = 120.0
    cpu_seconds: int = 300
    #: Address space per process (rlimit) and, where a memory cgroup can be
    #: made, the resident memory of the whole job; rustc and LLVM reserve a lot.
    memory_bytes: int = 6 * 1024**3
    #: The largest single file (RLIMIT_FSIZE).
    file_bytes: int = 512 * 1024**2
    #: Everything in the job dir together (sources, target dir, private /tmp).
    disk_bytes: int = 2 * 1024**3
    processes: int = 512
    output_bytes: int = 256 * 1024


BUILD_LIMITS = Limits()

#: Running a compiled program: much tighter than building it.
RUN_LIMITS = Limits(
    wall_seconds=_run_seconds(),
    # Above the wall clock, so a busy loop is reported as the time limit it is.
    cpu_seconds=int(2 * _run_seconds()) + 1,
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
    #: Set when the job was killed for writing more than `Limits.disk_bytes`.
    disk_exceeded: int = 0

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out and not self.disk_exceeded

    def describe_failure(self) -> str:
        if self.disk_exceeded:
            return f"killed: wrote more than {self.disk_exceeded // 1024**2} MB"
        if self.timed_out:
            return "killed: time limit reached"
        if self.returncode == -signal.SIGXCPU:
            return "killed: CPU time limit reached"
        if self.returncode == -signal.SIGXFSZ:
            return "killed: file size limit reached"
        if self.returncode is not None and self.returncode < 0:
            name = signal.Signals(-self.returncode).name
            return f"killed by {name} (a CPU, memory or file-size limit, or a crash)"
        return f"exit status {self.returncode}"
