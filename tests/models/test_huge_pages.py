"""Memory a model session allocates moves onto 2 MB pages (Linux THP), contents intact."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rustcoder.models import huge_pages
from rustcoder.models.huge_pages import NewMemoryOnHugePages


def huge_kb_in(start: int, size: int) -> int:
    """AnonHugePages (kB) of the mappings overlapping [start, start + size), from smaps
    (advising splits a mapping at 2 MB boundaries, so a block spans several)."""
    total, overlaps = 0, False
    for line in Path("/proc/self/smaps").read_text().splitlines():
        first = line.split(maxsplit=1)[0]
        if "-" in first and ":" not in first:
            lo, hi = (int(x, 16) for x in first.split("-"))
            overlaps = lo < start + size and start < hi
        elif overlaps and line.startswith("AnonHugePages:"):
            total += int(line.split()[1])
    return total


needs_thp = pytest.mark.skipif(
    not huge_pages.available(), reason="no transparent huge pages on this system"
)


@needs_thp
def test_memory_allocated_inside_moves_to_huge_pages() -> None:
    with NewMemoryOnHugePages() as pages:
        block = np.arange(32 << 20, dtype=np.uint8)  # 32 MB, every page written
    assert pages.advised >= 16 << 20
    on_huge_pages = huge_kb_in(block.ctypes.data, block.nbytes)
    assert on_huge_pages >= 2048, "MADV_COLLAPSE needs Linux 6.1 and a free 2 MB page"
    assert np.array_equal(block, np.arange(32 << 20, dtype=np.uint8))


@needs_thp
def test_switched_off_it_advises_nothing() -> None:
    with NewMemoryOnHugePages(enabled=False) as pages:
        block = np.ones(16 << 20, dtype=np.uint8)
    assert pages.advised == 0 and block.sum() == 16 << 20


def test_mappings_are_read_from_proc_maps(tmp_path: Path) -> None:
    maps = tmp_path / "maps"
    maps.write_text(
        "7f0000000000-7f0000800000 rw-p 00000000 00:00 0 \n"
        "7f0000800000-7f0000a00000 r-xp 00000000 08:01 42   /usr/lib/libc.so.6\n"
        "55d000000000-55d000400000 rw-p 00000000 00:00 0    [heap]\n"
        "7f1000000000-7f1000400000 rw-p 00000000 08:01 43   /tmp/data.bin\n"
        "7ffd00000000-7ffd00021000 rw-p 00000000 00:00 0    [stack]\n"
    )
    assert huge_pages.anonymous_mappings(maps) == {
        huge_pages.Mapping(0x7F0000000000, 0x7F0000800000),
        huge_pages.Mapping(0x55D000000000, 0x55D000400000),
    }
