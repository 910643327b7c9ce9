"""The bubblewrap sandbox: what a job's processes can see and reach.

Each run gets new user, network, PID, IPC and UTS namespaces (no network
but its own loopback; every process dies with the job), no capabilities,
`--die-with-parent` and `--new-session` (no terminal to inject input
into). The file system is read-only system directories (`/usr` and the
loader's files in `/etc`), the toolchain, the dependency sources the
build needs, and the job dir as the only writable place; `/tmp` is the
job's own and `$HOME` is empty, so the user's cargo credentials, ssh keys
and other files are not there to read.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rustcoder.sandbox import seccomp
from rustcoder.sandbox.job import Job, toolchain

#: Where the job dir appears inside the sandbox (a fixed path: host paths stay hidden).
JOB_MOUNT = "/job"

#: Environment variable naming the bwrap binary (default: `bwrap` on PATH).
BWRAP_ENV = "RUSTCODER_BWRAP"

#: Top-level system directories bound read-only (or re-created as symlinks).
SYSTEM_DIRS = ("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")

#: What the dynamic loader and the C toolchain (cc via alternatives) read from /etc.
ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.conf",
    "/etc/ld.so.conf.d",
    "/etc/alternatives",
)

#: Also visible when a job may use the network (`generate --online`).
NETWORK_ETC_FILES = ("/etc/resolv.conf", "/etc/hosts", "/etc/ssl", "/etc/ca-certificates")

NAMESPACE_FLAGS = (
    "--unshare-all",
    "--unshare-user",
    "--disable-userns",
    "--die-with-parent",
    "--new-session",
    "--cap-drop",
    "ALL",
    "--hostname",
    "sandbox",
)


@dataclass(frozen=True)
class Isolation:
    """What isolation jobs get on this machine, found once by trying it."""

    sandboxed: bool
    tool: str
    detail: str
    #: Whether jobs also get the seccomp filter (`rustcoder.sandbox.seccomp`).
    seccomp: bool = False

    def describe(self) -> str:
        if self.sandboxed:
            return f"bubblewrap sandbox ({self.detail})"
        return f"NO SANDBOX: {self.detail}"


def bwrap_path() -> str | None:
    configured = os.environ.get(BWRAP_ENV)
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("bwrap")


@functools.cache
def isolation() -> Isolation:
    """Whether bubblewrap can make a sandbox here: found by running one, not by guessing."""
    tool = bwrap_path()
    if tool is None:
        return Isolation(
            False,
            "",
            "bubblewrap (bwrap) is not installed: apt install bubblewrap, "
            "dnf install bubblewrap or pacman -S bubblewrap",
        )
    probe = _try(tool, with_seccomp=True)
    filtered = probe.returncode == 0
    if not filtered:
        probe = _try(tool, with_seccomp=False)
    if probe.returncode != 0:
        why = probe.stderr.strip().splitlines()[-1:] or [f"exit status {probe.returncode}"]
        return Isolation(
            False,
            tool,
            f"bubblewrap cannot create namespaces here ({why[0]}); "
            "user namespaces may be disabled (sysctl kernel.unprivileged_userns_clone, "
            "user.max_user_namespaces) or blocked by AppArmor",
        )
    version = subprocess.run([tool, "--version"], capture_output=True, text=True).stdout.strip()
    filter_note = "seccomp filter" if filtered else "no seccomp filter"
    detail = f"{version or 'bwrap'}; no network, PID namespace, read-only system, {filter_note}"
    return Isolation(True, tool, detail, filtered)


def _try(tool: str, with_seccomp: bool) -> subprocess.CompletedProcess[str]:
    """One trivial sandboxed run with the flags jobs get."""
    fd = seccomp.program_fd() if with_seccomp else None
    if with_seccomp and fd is None:
        return subprocess.CompletedProcess([], 1, "", "no seccomp filter for this machine")
    extra = ["--seccomp", str(fd)] if fd is not None else []
    argv = [tool, *NAMESPACE_FLAGS, *extra, *_system_binds(), "--proc", "/proc", "--", "/bin/true"]
    try:
        return subprocess.run(
            argv, capture_output=True, text=True, timeout=30, pass_fds=[] if fd is None else [fd]
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return subprocess.CompletedProcess(argv, 1, "", str(exc))
    finally:
        if fd is not None:
            os.close(fd)


def _system_binds() -> list[str]:
    args: list[str] = []
    for top in SYSTEM_DIRS:
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    return args


def _ro_binds(paths: Iterable[Path]) -> list[str]:
    args: list[str] = []
    for path in dict.fromkeys(paths):
        if path.exists() and not any(path.is_relative_to(p) for p in map(Path, SYSTEM_DIRS)):
            args += ["--ro-bind", str(path), str(path)]
    return args


def inside(text: str, job: Job) -> str:
    """`text` (a path, an argument, a variable) with the job dir as the sandbox sees it."""
    return text.replace(str(job.dir), JOB_MOUNT)


def sandbox_argv(
    tool: str,
    job: Job,
    cwd: Path,
    readable: Sequence[Path] = (),
    mounts: Sequence[tuple[Path, Path]] = (),
    network: bool = False,
    seccomp_fd: int | None = None,
) -> list[str]:
    """The bwrap command line (without the command) for one run of `job`'s code."""
    flags = list(NAMESPACE_FLAGS)
    if network:
        flags.insert(1, "--share-net")
    if seccomp_fd is not None:
        flags += ["--seccomp", str(seccomp_fd)]
    tools = toolchain().sysroot
    etc = [*ETC_FILES, *(NETWORK_ETC_FILES if network else ())]
    return [
        tool,
        *flags,
        *_system_binds(),
        *[arg for f in etc if os.path.exists(f) for arg in ("--ro-bind", f, f)],
        "--proc",
        "/proc",
        "--dev",
        "/dev",
        "--bind",
        str(job.tmp),
        "/tmp",
        "--bind",
        str(job.dir),
        JOB_MOUNT,
        *_ro_binds([*([tools] if tools else []), *readable]),
        *[arg for host, dest in mounts for arg in ("--ro-bind", str(host), inside(str(dest), job))],
        "--chdir",
        inside(str(cwd), job),
        "--",
    ]
