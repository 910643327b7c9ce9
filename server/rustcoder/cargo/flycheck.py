"""Run `cargo check --message-format=json` for one workspace, cancellably.

The check runs in its own process group and its own target dir, so cancelling
kills rustc children too and the check never waits on rust-analyzer's build
lock. JSON lines are parsed as they stream in; cargo-level failures on stderr
(broken manifest, failing build script) become diagnostics as well.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.cargo import process_groups
from rustcoder.cargo.messages import CargoMessages, RustDiagnostic, parse_cargo_line
from rustcoder.cargo.stderr_errors import stderr_diagnostics
from rustcoder.cargo.workspace import CargoWorkspace, cargo_missing_message
from rustcoder.config import CheckSettings

STDERR_LIMIT = 256 * 1024


@dataclass
class CheckOutcome:
    """What one check run produced; `diagnostics` includes cargo-level errors."""

    workspace: CargoWorkspace
    command: list[str]
    diagnostics: list[RustDiagnostic] = field(default_factory=list)
    build_success: bool | None = None
    exit_code: int | None = None
    stderr: str = ""
    duration_s: float = 0.0
    timed_out: bool = False
    #: A problem that kept cargo from running at all (e.g. cargo missing).
    error: str | None = None

    @property
    def error_count(self) -> int:
        return sum(1 for d in self.diagnostics if d.level.startswith("error"))


def unique_diagnostics(diagnostics: list[RustDiagnostic]) -> list[RustDiagnostic]:
    """Drop repeats: `--all-targets` compiles a library twice (lib and its tests)."""
    seen: set[object] = set()
    result: list[RustDiagnostic] = []
    for d in diagnostics:
        key = d.rendered or (d.message, d.code, d.spans)
        if key in seen:
            continue
        seen.add(key)
        result.append(d)
    return result


def target_dir_for(workspace: CargoWorkspace, settings: CheckSettings) -> Path:
    target = Path(settings.target_dir)
    return target if target.is_absolute() else workspace.root / target


def build_command(workspace: CargoWorkspace, settings: CheckSettings) -> list[str]:
    cmd = [
        settings.cargo_path,
        settings.command,
        "--workspace",
        "--message-format=json",
        "--manifest-path",
        str(workspace.manifest),
        "--target-dir",
        str(target_dir_for(workspace, settings)),
    ]
    if settings.all_targets:
        cmd.append("--all-targets")
    if settings.all_features:
        cmd.append("--all-features")
    elif settings.features:
        cmd += ["--features", ",".join(settings.features)]
    if settings.no_default_features:
        cmd.append("--no-default-features")
    cmd += settings.extra_args
    return cmd


def check_env(settings: CheckSettings) -> dict[str, str]:
    env = dict(os.environ)
    env["CARGO_TERM_COLOR"] = "never"
    env["CARGO_TERM_PROGRESS_WHEN"] = "never"
    env.update(settings.extra_env)
    return env


def _kill_group(proc: asyncio.subprocess.Process) -> None:
    if proc.returncode is not None:
        return
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)


async def run_check(
    workspace: CargoWorkspace,
    settings: CheckSettings,
    on_diagnostic: Callable[[RustDiagnostic], None] | None = None,
    cwd: Path | None = None,
) -> CheckOutcome:
    """Run one check to completion. Cancelling the awaiting task kills cargo's whole group.

    `on_diagnostic` sees each diagnostic as it streams in (repeats included),
    and also the cargo-level ones found on stderr at the end. `cwd` (default:
    the workspace root) is where cargo and rustup look for configuration and
    the toolchain: a shadow copy runs in the real workspace to see what it sees.
    """
    cmd = build_command(workspace, settings)
    outcome = CheckOutcome(workspace=workspace, command=cmd)
    started = time.perf_counter()
    try:
        proc = await asyncio.create_subprocess_exec(
            *cmd,
            cwd=cwd or workspace.root,
            env=check_env(settings),
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.PIPE,
            start_new_session=True,
            limit=64 * 1024 * 1024,
        )
    except FileNotFoundError:
        outcome.error = cargo_missing_message(settings.cargo_path)
        return outcome
    except OSError as exc:
        outcome.error = f"rustcoder could not start cargo: {exc}"
        return outcome

    process_groups.register(proc.pid)
    messages = CargoMessages()

    async def read_stdout() -> None:
        assert proc.stdout is not None
        async for line in proc.stdout:
            diagnostic = parse_cargo_line(line, messages)
            if diagnostic is not None and on_diagnostic is not None:
                on_diagnostic(diagnostic)

    async def read_stderr() -> bytes:
        assert proc.stderr is not None
        chunks: list[bytes] = []
        size = 0
        async for line in proc.stderr:
            if size < STDERR_LIMIT:
                chunks.append(line)
                size += len(line)
        return b"".join(chunks)

    stdout_task = asyncio.ensure_future(read_stdout())
    stderr_task = asyncio.ensure_future(read_stderr())
    try:
        async with asyncio.timeout(settings.timeout_seconds):
            await stdout_task
            await stderr_task
            await proc.wait()
    except TimeoutError:
        outcome.timed_out = True
    finally:
        # Also on cancellation (a newer save): kill cargo's whole group, reap the readers.
        _kill_group(proc)
        for task in (stdout_task, stderr_task):
            task.cancel()
        await asyncio.gather(stdout_task, stderr_task, return_exceptions=True)
        if proc.returncode is None:
            await proc.wait()
        process_groups.unregister(proc.pid)
    stderr = stderr_task.result() if not stderr_task.cancelled() else b""

    outcome.exit_code = proc.returncode
    outcome.stderr = stderr.decode("utf-8", errors="replace")
    outcome.build_success = messages.build_success
    outcome.diagnostics = unique_diagnostics(messages.diagnostics)
    if outcome.timed_out:
        outcome.error = (
            f"cargo {settings.command} did not finish within {settings.timeout_seconds:g} s "
            "and was stopped (setting rustcoder.check.timeoutSeconds)"
        )
    elif proc.returncode not in (0, None):
        cargo_level = stderr_diagnostics(outcome.stderr, workspace.root, workspace.manifest)
        outcome.diagnostics += cargo_level
        if on_diagnostic is not None:
            for diagnostic in cargo_level:
                on_diagnostic(diagnostic)
    outcome.duration_s = time.perf_counter() - started
    return outcome
