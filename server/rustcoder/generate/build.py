"""Build (and run) a crate given as files, contained, in a fresh job dir.

The one place that turns submitted text into a compiled program: files are
validated, written into a new job's crate, built with `cargo build
--offline` in the sandbox (`rustcoder.sandbox`), and the binary (if any) is
run under tighter limits. The job dir is removed afterwards on every path,
and the files handed back are read without following what the build may
have replaced by a link.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.generate.flattened import MAX_FILE_BYTES, format_files, validate_path
from rustcoder.sandbox import (
    BUILD_LIMITS,
    RUN_LIMITS,
    Job,
    Limits,
    RunResult,
    run_contained,
    start_job,
)

DEFAULT_MANIFEST = """[package]
name = "app"
version = "0.1.0"
edition = "2021"

[dependencies]
"""


class CrateError(ValueError):
    """Files that cannot make a crate (no sources, bad manifest path, ...)."""


@dataclass
class BuildResult:
    files: dict[str, str]
    build_success: bool
    build_output: str
    run_output: str = ""
    run_success: bool | None = None
    test_output: str = ""
    test_success: bool | None = None
    detail: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def combined_text(self) -> str:
        return format_files(self.files)


def crate_files(files: dict[str, str]) -> dict[str, str]:
    """Validated files with a manifest; CrateError when no Rust source is there."""
    clean = {validate_path(path): text for path, text in files.items()}
    _refuse_collisions(clean)
    if not any(p.endswith(".rs") for p in clean):
        raise CrateError("no Rust source: expected at least src/main.rs or src/lib.rs")
    if "Cargo.toml" not in clean:
        clean = {"Cargo.toml": DEFAULT_MANIFEST, **clean}
    if not ({"src/main.rs", "src/lib.rs"} & clean.keys()) and not any(
        p.startswith("src/bin/") for p in clean
    ):
        raise CrateError("a crate needs src/main.rs, src/lib.rs or src/bin/*.rs")
    return clean


def _refuse_collisions(files: dict[str, str]) -> None:
    """A path that is both a file and a directory of another file cannot be written."""
    for path in files:
        parts = path.split("/")
        for depth in range(1, len(parts)):
            parent = "/".join(parts[:depth])
            if parent in files:
                raise CrateError(f"{parent!r} is given as a file and as the directory of {path!r}")


def write_files(directory: Path, files: dict[str, str]) -> list[Path]:
    """Write `files` under `directory`, refusing any that would land outside it."""
    written = []
    for relative, text in files.items():
        path = directory / relative
        if not path.resolve().is_relative_to(directory.resolve()):
            raise ValueError(f"{relative}: outside {directory}")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written


def write_crate(root: Path, files: dict[str, str], registry_dir: Path | None = None) -> None:
    write_files(root, files)
    if registry_dir is not None:
        config = root / ".cargo" / "config.toml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text(
            '[source.crates-io]\nreplace-with = "local"\n\n'
            f"[source.local]\ndirectory = {json.dumps(str(registry_dir))}\n"
        )


def _read_regular(root: Path, name: str) -> str:
    """The text of `root/name` if it is still a plain file the job wrote; OSError if not.

    Opened component by component with O_NOFOLLOW, so a build that replaced
    a file or a directory by a symlink (to a secret) or a hard link cannot
    make us read outside the job.
    """
    fd = os.open(root, os.O_RDONLY | os.O_DIRECTORY)
    try:
        *dirs, last = name.split("/")
        for part in dirs:
            next_fd = os.open(part, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW, dir_fd=fd)
            os.close(fd)
            fd = next_fd
        file_fd = os.open(last, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=fd)
    finally:
        os.close(fd)
    with os.fdopen(file_fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_nlink != 1:
            raise OSError(f"{name} is no longer a plain file")
        if info.st_size > MAX_FILE_BYTES:
            raise OSError(f"{name} grew past {MAX_FILE_BYTES} bytes")
        return handle.read().decode("utf-8", "replace")


def read_crate(root: Path, names: list[str], notes: list[str] | None = None) -> dict[str, str]:
    """The declared files as they are now; ones the build replaced or removed are left out."""
    files = {}
    for name in names:
        try:
            files[name] = _read_regular(root, name)
        except OSError as exc:
            if notes is not None:
                notes.append(f"{name}: not returned ({exc.strerror or exc})")
    return files


def cargo_env(online: bool = False) -> dict[str, str]:
    """What a build adds to the job's environment: cargo may reach crates.io only when asked."""
    return {"CARGO_NET_OFFLINE": "false"} if online else {}


def _executables(stdout: str) -> list[str]:
    found = []
    for line in stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        if message.get("reason") == "compiler-artifact" and message.get("executable"):
            found.append(message["executable"])
    return found


def _offline(online: bool) -> list[str]:
    return [] if online else ["--offline"]


async def build_crate(
    crate: TempCrate, limits: Limits = BUILD_LIMITS, online: bool = False
) -> tuple[RunResult, list[str]]:
    """`cargo build --offline` of the crate: the run, and the executables it produced."""
    result = await run_contained(
        ["cargo", "build", *_offline(online), "--message-format=json-render-diagnostics"],
        crate.job,
        limits=limits,
        env=cargo_env(online),
        readable=crate.readable,
        network=online,
    )
    return result, _executables(result.stdout)


def build_output(result: RunResult) -> str:
    if result.ok:
        return "Build successful"
    text = result.stderr.strip()
    if not result.ok and result.returncode != 101:
        text += f"\n({result.describe_failure()})"
    return text


async def run_binary(crate: TempCrate, executable: str, limits: Limits | None = None) -> RunResult:
    return await run_contained([executable], crate.job, limits=limits or RUN_LIMITS)


async def test_crate(
    crate: TempCrate, limits: Limits = BUILD_LIMITS, online: bool = False
) -> RunResult:
    return await run_contained(
        ["cargo", "test", *_offline(online), "--quiet"],
        crate.job,
        limits=limits,
        env=cargo_env(online),
        readable=crate.readable,
        network=online,
    )


async def run_and_test(
    crate: TempCrate,
    result: BuildResult,
    executables: list[str],
    run: bool,
    test: bool,
    limits: Limits = BUILD_LIMITS,
    online: bool = False,
) -> None:
    """After a successful build: run the binary and/or the tests, into `result`."""
    if not result.build_success:
        return
    if run and executables:
        ran = await run_binary(crate, executables[0])
        result.run_success = ran.ok
        result.run_output = ran.stdout + ("" if ran.ok else ran.stderr)
        if not ran.ok:
            result.run_output += f"\n({ran.describe_failure()})"
    if test:
        tested = await test_crate(crate, limits, online)
        result.test_success = tested.ok
        result.test_output = (tested.stdout + tested.stderr).strip()


class TempCrate:
    """A fresh job dir holding a crate; removed on exit, whatever happened."""

    def __init__(self, files: dict[str, str], registry_dir: Path | None = None) -> None:
        self.files = crate_files(files)
        self.registry_dir = registry_dir.resolve() if registry_dir else None
        self._job: Job | None = None

    @property
    def job(self) -> Job:
        if self._job is None:
            raise RuntimeError("TempCrate used outside its `with` block")
        return self._job

    @property
    def root(self) -> Path:
        return self.job.root

    @property
    def readable(self) -> list[Path]:
        """Host paths the build may read besides the toolchain: the offline registry."""
        return [self.registry_dir] if self.registry_dir else []

    def __enter__(self) -> TempCrate:
        self._job = start_job()
        try:
            write_crate(self.root, self.files, self.registry_dir)
        except OSError as exc:
            self._job.remove()
            where = Path(exc.filename).name if exc.filename else "the crate"
            raise CrateError(f"cannot write {where}: {exc.strerror or exc}") from None
        except BaseException:
            self._job.remove()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.job.remove()

    def current_files(self, notes: list[str] | None = None) -> dict[str, str]:
        return read_crate(self.root, list(self.files), notes)


async def compile_files(
    files: dict[str, str],
    run: bool = True,
    test: bool = False,
    registry_dir: Path | None = None,
    limits: Limits = BUILD_LIMITS,
) -> BuildResult:
    """Build `files` in a temp crate; run the binary and/or the tests when asked and built."""
    with TempCrate(files, registry_dir) as crate:
        built, executables = await build_crate(crate, limits)
        result = BuildResult(
            files=crate.files, build_success=built.ok, build_output=build_output(built)
        )
        await run_and_test(crate, result, executables, run, test, limits)
        return result
