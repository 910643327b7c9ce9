"""Caps on a whole job: the bytes it writes, and what it can reach (in-process, real cargo)."""

from __future__ import annotations

import pytest

from rustcoder.generate.build import compile_files
from rustcoder.sandbox import BUILD_LIMITS, Limits, isolation
from rustcoder.sandbox.bwrap import BWRAP_ENV
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


async def test_job_environment_is_built_from_nothing_even_without_a_sandbox(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The server's variables (API keys, tokens) never reach submitted code, sandbox or not."""
    monkeypatch.setenv("RUSTCODER_API_KEY", "sk-server-only-9b2")
    monkeypatch.setenv("RUSTCODER_API_TOKEN", "token-server-only-9b2")
    monkeypatch.setenv(BWRAP_ENV, "/nonexistent/bwrap")
    isolation.cache_clear()
    try:
        main = (
            "fn main() {\n"
            '    println!("BUILD_ENV_CLEAN={}", env!("BUILD_ENV_CLEAN"));\n'
            '    for (k, v) in std::env::vars() { println!("{k}={v}"); }\n'
            "}\n"
        )
        result = await compile_files(crate(main, **{"build.rs": ENV_BUILD_RS}))
    finally:
        monkeypatch.delenv(BWRAP_ENV)
        isolation.cache_clear()
    assert result.build_success, result.build_output
    seen = dict(line.split("=", 1) for line in result.run_output.splitlines())
    assert "server-only" not in result.run_output
    assert seen["BUILD_ENV_CLEAN"] == "yes"
    assert set(seen) <= {*ALLOWED_ENV, "BUILD_ENV_CLEAN"}, set(seen) - ALLOWED_ENV


#: What a job's program may find in its environment.
ALLOWED_ENV = {
    "PATH",
    "HOME",
    "CARGO_HOME",
    "TMPDIR",
    "LANG",
    "CARGO_TERM_COLOR",
    "CARGO_TERM_PROGRESS_WHEN",
    "CARGO_NET_OFFLINE",
    "RUST_BACKTRACE",
    "PWD",
}

ENV_BUILD_RS = """fn main() {
    let leaked = std::env::vars().any(|(_, v)| v.contains("server-only"));
    println!("cargo:rustc-env=BUILD_ENV_CLEAN={}", if leaked { "no" } else { "yes" });
}
"""
