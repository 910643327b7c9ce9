"""Caps on a whole job: the bytes it writes, and what it can reach (in-process, real cargo)."""

from __future__ import annotations

from rustcoder.generate.build import compile_files
from rustcoder.sandbox import BUILD_LIMITS, Limits, isolation
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


#: Raw system calls (no libc crate offline): ptrace(PTRACE_TRACEME), keyctl, getpid.
SYSCALLS = """fn raw(nr: i64) -> i64 {
    let ret: i64;
    unsafe {
        std::arch::asm!("syscall", inlateout("rax") nr => ret, in("rdi") 0, in("rsi") 0,
            in("rdx") 0, in("r10") 0, lateout("rcx") _, lateout("r11") _);
    }
    ret
}
fn main() {
    println!("ptrace={} keyctl={} bpf={} getpid={}", raw(101), raw(250), raw(321), raw(39));
}
"""


async def test_seccomp_filter_denies_ptrace_keyrings_and_bpf() -> None:
    assert isolation().seccomp, isolation()
    result = await compile_files(crate(SYSCALLS))
    assert result.build_success, result.build_output
    # -1 is -EPERM from the filter; getpid still works (2: the sandbox's PID namespace).
    assert result.run_output == "ptrace=-1 keyctl=-1 bpf=-1 getpid=2\n"
