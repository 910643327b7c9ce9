"""A seccomp filter for jobs: system calls a build or a program never needs fail with EPERM.

The namespaces already take the privileges these calls need; the filter
narrows the kernel surface behind them (ptrace and reading other
processes' memory, kernel keyrings, BPF, perf, io_uring, userfaultfd,
module loading, mounts, namespaces), the calls that kernel exploits from a
sandbox most often go through. A 32-bit system call kills the process and
an x32 one fails: nothing a job builds uses them. Built as raw classic BPF for
bubblewrap's `--seccomp FD`; x86_64 only (elsewhere jobs run without it,
and `rustcoder doctor` says so).
"""

from __future__ import annotations

import errno
import os
import platform
import struct

AUDIT_ARCH_X86_64 = 0xC000003E
X32_SYSCALL_BIT = 0x40000000

_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06
_RET_ALLOW = 0x7FFF0000
_RET_KILL_PROCESS = 0x80000000
_RET_EPERM = 0x00050000 | errno.EPERM

#: x86_64 system call numbers that fail with EPERM inside a job.
DENIED_X86_64 = {
    "ptrace": 101,
    "syslog": 103,
    "personality": 135,
    "pivot_root": 155,
    "chroot": 161,
    "acct": 163,
    "mount": 165,
    "umount2": 166,
    "swapon": 167,
    "swapoff": 168,
    "reboot": 169,
    "init_module": 175,
    "delete_module": 176,
    "quotactl": 179,
    "lookup_dcookie": 212,
    "kexec_load": 246,
    "add_key": 248,
    "request_key": 249,
    "keyctl": 250,
    "unshare": 272,
    "perf_event_open": 298,
    "fanotify_init": 300,
    "name_to_handle_at": 303,
    "open_by_handle_at": 304,
    "setns": 308,
    "process_vm_readv": 310,
    "process_vm_writev": 311,
    "kcmp": 312,
    "finit_module": 313,
    "kexec_file_load": 320,
    "bpf": 321,
    "userfaultfd": 323,
    "io_uring_setup": 425,
    "io_uring_enter": 426,
    "io_uring_register": 427,
    "open_tree": 428,
    "move_mount": 429,
    "fsopen": 430,
    "fsconfig": 431,
    "fsmount": 432,
    "fspick": 433,
    "mount_setattr": 442,
}


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("=HBBI", code, jt, jf, k)


def program() -> bytes | None:
    """The compiled filter, or None where there is none for this machine's ABI."""
    if platform.machine() not in ("x86_64", "AMD64"):
        return None
    numbers = sorted(DENIED_X86_64.values())
    # 0 load arch; 1 arch ok?; 2 kill; 3 load nr; 4 x32?; 5.. denied?; then allow; then EPERM.
    eperm = 5 + len(numbers) + 1
    insns = [
        _insn(_LD_W_ABS, 0, 0, 4),
        _insn(_JEQ_K, 1, 0, AUDIT_ARCH_X86_64),
        _insn(_RET_K, 0, 0, _RET_KILL_PROCESS),
        _insn(_LD_W_ABS, 0, 0, 0),
        _insn(_JGE_K, eperm - 4 - 1, 0, X32_SYSCALL_BIT),  # the x32 ABI: EPERM
    ]
    for index, number in enumerate(numbers, start=5):
        insns.append(_insn(_JEQ_K, eperm - index - 1, 0, number))
    insns += [_insn(_RET_K, 0, 0, _RET_ALLOW), _insn(_RET_K, 0, 0, _RET_EPERM)]
    return b"".join(insns)


def program_fd() -> int | None:
    """A fresh memory file holding the filter, positioned at its start, for `--seccomp FD`.

    Never a file in the job dir: a build script could rewrite it before the
    next run reads it.
    """
    compiled = program()
    if compiled is None:
        return None
    fd = os.memfd_create("rustcoder-seccomp", 0)
    os.write(fd, compiled)
    os.lseek(fd, 0, os.SEEK_SET)
    return fd
