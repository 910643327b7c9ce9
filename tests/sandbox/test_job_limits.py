"""Caps on a whole job: the bytes it writes, and what it can reach (in-process, real cargo)."""

from __future__ import annotations

from rustcoder.generate.build import compile_files
from rustcoder.sandbox import BUILD_LIMITS, Limits
from tests.generate.test_build import crate

#: A build script writing 10 files of 40 MB each: every file is under the per-file cap.
WRITER = """use std::io::Write;
fn main() {
    let out = std::env::var("OUT_DIR").unwrap();
    let chunk = vec![1u8; 1 << 20];
    for n in 0..10 {
        let mut file = std::fs::File::create(format!("{out}/blob{n}")).unwrap();
        for _ in 0..40 {
            file.write_all(&chunk).unwrap();
        }
    }
    std::thread::sleep(std::time::Duration::from_secs(5));
}
"""


async def test_total_bytes_written_by_a_job_are_capped() -> None:
    limits = Limits(
        wall_seconds=60.0,
        disk_bytes=100 * 1024**2,
        file_bytes=BUILD_LIMITS.file_bytes,
        memory_bytes=BUILD_LIMITS.memory_bytes,
    )
    result = await compile_files(crate("fn main() {}", **{"build.rs": WRITER}), limits=limits)
    assert not result.build_success
    assert "wrote more than 100 MB" in result.build_output
