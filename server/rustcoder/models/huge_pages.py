"""Back a loaded model's weights with 2 MB pages (Linux transparent huge pages).

A decode step streams every weight once (about 90 MB for SmolLM2-135M in int4)
through the CPU, and with 4 KB pages that is some 20,000 TLB entries a token.
On the 2-core development VM, moving onnxruntime's buffers (its prepacked
MatMulNBits weights above all) onto 2 MB pages cut the CPU time of a decode
step by about a quarter. onnxruntime allocates them through malloc, which
uses huge pages only for memory advised so (THP mode "madvise", the common
default), so after a session is created we advise the anonymous mappings it
added and ask the kernel to collapse them now (MADV_COLLAPSE, Linux 6.1+).

Best effort: on other systems, older kernels or with THP off, nothing changes.
"""

from __future__ import annotations

import ctypes
import logging
import sys
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

MADV_HUGEPAGE = 14
MADV_COLLAPSE = 25
HUGE_PAGE = 2 << 20
#: Mappings smaller than this are left alone (not worth a collapse).
MIN_BYTES = 4 << 20
THP_ENABLED = Path("/sys/kernel/mm/transparent_hugepage/enabled")


@dataclass(frozen=True)
class Mapping:
    start: int
    end: int


def anonymous_mappings(maps: Path = Path("/proc/self/maps")) -> set[Mapping]:
    """The process's writable anonymous mappings (malloc's heap and mmap'd blocks)."""
    found: set[Mapping] = set()
    try:
        lines = maps.read_text(encoding="ascii", errors="replace").splitlines()
    except OSError:
        return found
    for line in lines:
        fields = line.split()
        if len(fields) < 5 or "rw" not in fields[1]:
            continue
        path = fields[5] if len(fields) > 5 else ""
        if path and path != "[heap]":
            continue
        start, _, end = fields[0].partition("-")
        found.add(Mapping(int(start, 16), int(end, 16)))
    return found


def available() -> bool:
    """Linux with transparent huge pages not switched off."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        return "[never]" not in THP_ENABLED.read_text(encoding="ascii")
    except OSError:
        return False


def advise(mappings: set[Mapping], collapse: bool = True) -> int:
    """Ask for huge pages over the 2 MB-aligned inside of each mapping; bytes advised."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    advised = 0
    for m in mappings:
        start = -(-m.start // HUGE_PAGE) * HUGE_PAGE
        end = m.end // HUGE_PAGE * HUGE_PAGE
        if end - start < MIN_BYTES:
            continue
        if libc.madvise(start, end - start, MADV_HUGEPAGE) != 0:
            continue
        if collapse:
            libc.madvise(start, end - start, MADV_COLLAPSE)  # fails on kernels before 6.1
        advised += end - start
    return advised


class NewMemoryOnHugePages:
    """Context manager: the anonymous mappings created inside it get huge pages on exit."""

    def __init__(self, enabled: bool = True) -> None:
        self.enabled = enabled and available()
        self.before: set[Mapping] = set()
        self.advised = 0

    def __enter__(self) -> NewMemoryOnHugePages:
        if self.enabled:
            self.before = anonymous_mappings()
        return self

    def __exit__(self, *exc: object) -> None:
        if not self.enabled or exc[0] is not None:
            return
        try:
            self.advised = advise(anonymous_mappings() - self.before)
        except (OSError, AttributeError) as error:  # no libc or no madvise: nothing changes
            log.debug("huge pages not advised: %s", error)
