"""Build (and run) a crate given as files, contained, in a fresh temp dir.

The one place that turns submitted text into a compiled program: files are
validated, written into a new temp crate, built with `cargo build
--offline` under the sandbox limits, and the binary (if any) is run under
tighter ones. The temp dir is removed afterwards unless the caller keeps it.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.generate.flattened import format_files, validate_path
from rustcoder.generate.sandbox import BUILD_LIMITS, RUN_LIMITS, Limits, RunResult, run_contained

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
    if not any(p.endswith(".rs") for p in clean):
        raise CrateError("no Rust source: expected at least src/main.rs or src/lib.rs")
    if "Cargo.toml" not in clean:
        clean = {"Cargo.toml": DEFAULT_MANIFEST, **clean}
    if not ({"src/main.rs", "src/lib.rs"} & clean.keys()) and not any(
        p.startswith("src/bin/") for p in clean
    ):
        raise CrateError("a crate needs src/main.rs, src/lib.rs or src/bin/*.rs")
    return clean


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


def read_crate(root: Path, names: list[str]) -> dict[str, str]:
    return {name: (root / name).read_text(encoding="utf-8") for name in names}


def cargo_env(online: bool = False) -> dict[str, str]:
    """cargo's environment: offline unless the caller allowed crates.io."""
    env = dict(os.environ)
    env.update({"CARGO_TERM_COLOR": "never", "RUST_BACKTRACE": "0"})
    if online:
        env.pop("CARGO_NET_OFFLINE", None)
    else:
        env["CARGO_NET_OFFLINE"] = "true"
    env.pop("RUSTC_WRAPPER", None)
    return env


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
    root: Path, limits: Limits = BUILD_LIMITS, online: bool = False
) -> tuple[RunResult, list[str]]:
    """`cargo build --offline` in `root`: the run, and the executables it produced."""
    result = await run_contained(
        ["cargo", "build", *_offline(online), "--message-format=json-render-diagnostics"],
        cwd=root,
        limits=limits,
        env=cargo_env(online),
    )
    return result, _executables(result.stdout)


def build_output(result: RunResult) -> str:
    if result.ok:
        return "Build successful"
    text = result.stderr.strip()
    if not result.ok and result.returncode != 101:
        text += f"\n({result.describe_failure()})"
    return text


async def run_binary(root: Path, executable: str, limits: Limits | None = None) -> RunResult:
    return await run_contained([executable], cwd=root, limits=limits or RUN_LIMITS, env=cargo_env())


async def test_crate(root: Path, limits: Limits = BUILD_LIMITS, online: bool = False) -> RunResult:
    return await run_contained(
        ["cargo", "test", *_offline(online), "--quiet"],
        cwd=root,
        limits=limits,
        env=cargo_env(online),
    )


async def run_and_test(
    root: Path,
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
        ran = await run_binary(root, executables[0])
        result.run_success = ran.ok
        result.run_output = ran.stdout + ("" if ran.ok else ran.stderr)
        if not ran.ok:
            result.run_output += f"\n({ran.describe_failure()})"
    if test:
        tested = await test_crate(root, limits, online)
        result.test_success = tested.ok
        result.test_output = (tested.stdout + tested.stderr).strip()


class TempCrate:
    """A fresh temp dir holding a crate; removed on exit."""

    def __init__(self, files: dict[str, str], registry_dir: Path | None = None) -> None:
        self.files = crate_files(files)
        self.registry_dir = registry_dir
        self.root = Path(tempfile.mkdtemp(prefix="rustcoder-crate-"))

    def __enter__(self) -> TempCrate:
        write_crate(self.root, self.files, self.registry_dir)
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.root, ignore_errors=True)

    def current_files(self) -> dict[str, str]:
        return read_crate(self.root, list(self.files))


async def compile_files(
    files: dict[str, str],
    run: bool = True,
    test: bool = False,
    registry_dir: Path | None = None,
    limits: Limits = BUILD_LIMITS,
) -> BuildResult:
    """Build `files` in a temp crate; run the binary and/or the tests when asked and built."""
    with TempCrate(files, registry_dir) as crate:
        built, executables = await build_crate(crate.root, limits)
        result = BuildResult(
            files=crate.files, build_success=built.ok, build_output=build_output(built)
        )
        await run_and_test(crate.root, result, executables, run, test, limits)
        return result
