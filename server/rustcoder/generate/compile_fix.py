"""Compile-and-fix: build submitted code, fix what fails with verified fixes, repeat.

The fix loop is `rustcoder fix --apply` run as a contained subprocess inside
the job's sandbox, so the same isolation and limits hold for the checks it
runs (and the build scripts they run) as for the build; rustc's
suggestions, the recipes and, when a model is configured, model rounds all
take part (the model through the sandbox's relay), and every edit it keeps
has been verified by compiling.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rustcoder.generate.build import (
    BuildResult,
    TempCrate,
    build_crate,
    build_output,
    cargo_env,
    run_and_test,
)
from rustcoder.models.backend import CodeModel
from rustcoder.models.openai_backend import SOCKET_ENV, api_key_from_env
from rustcoder.sandbox import BUILD_LIMITS, Limits, run_contained
from rustcoder.sandbox.model_relay import ModelRelay
from rustcoder.sandbox.python_env import rustcoder_command


@dataclass(frozen=True)
class ModelChoice:
    """Which model generation and the fix rounds may use (none: rules and rustc only).

    As on the command line: with an endpoint, `name` is the model it serves;
    without one, `name` is a local model of the registry.
    """

    name: str | None = None
    endpoint: str | None = None
    #: For the endpoint; kept out of the sandbox (the relay adds it).
    api_key: str | None = field(default=None, repr=False, compare=False)

    def args(self) -> list[str]:
        """The same choice as `rustcoder fix` options."""
        if self.endpoint:
            return [
                "--endpoint",
                self.endpoint,
                *(["--model-name", self.name] if self.name else []),
            ]
        return ["--model", self.name] if self.name else []

    @property
    def configured(self) -> bool:
        return bool(self.name or self.endpoint)

    def load(self, api_key: str | None = None, timeout_s: float = 60.0) -> CodeModel | None:
        """The model itself (ModelError when a local one is missing)."""
        from rustcoder.models.factory import model_from_args

        return model_from_args(self.name, self.endpoint, api_key or self.api_key, timeout_s)


@dataclass
class Attempt:
    attempt: int
    success: bool
    output: str | None
    fixes: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "attempt": self.attempt,
            "success": self.success,
            "output": self.output,
            "fixes": self.fixes,
        }


@dataclass
class FixOutcome:
    build: BuildResult
    attempts: list[Attempt]

    @property
    def success(self) -> bool:
        return self.build.build_success


Progress = Callable[[str], None]


@contextlib.asynccontextmanager
async def _model_access(crate: TempCrate, model: ModelChoice) -> AsyncIterator[dict[str, str]]:
    """The environment that lets the contained fix reach the model endpoint (via the relay)."""
    if not model.endpoint:
        yield {}
        return
    key = model.api_key or api_key_from_env()
    relay = ModelRelay(model.endpoint, key, crate.job.dir / "model.sock")
    async with relay.serving() as socket_path:
        yield {SOCKET_ENV: str(socket_path)}


async def run_fix_rounds(
    crate: TempCrate, model: ModelChoice, limits: Limits = BUILD_LIMITS, online: bool = False
) -> tuple[list[str], str]:
    """One contained `rustcoder fix --apply` over the crate: titles applied, and any problem."""
    argv, env, readable = rustcoder_command("fix", str(crate.root), "--apply", "--json")
    # Stop starting fixes well before the sandbox's wall clock, so a report comes back.
    argv += ["--time-budget", f"{max(10.0, limits.wall_seconds * 0.75):g}"]
    argv += model.args()
    async with _model_access(crate, model) as relay_env:
        result = await run_contained(
            argv,
            crate.job,
            limits=limits,
            env={**env, **relay_env, **cargo_env(online)},
            readable=[*readable, *crate.readable],
            network=online,
        )
    try:
        report = json.loads(result.stdout)
    except ValueError:
        detail = result.describe_failure() if not result.ok else "no report"
        return [], f"fix rounds failed ({detail}): {result.stderr.strip()[-500:]}"
    titles = [f"{a['code']}: {a['title']}" for a in report.get("applied", [])]
    return titles, report.get("error") or ""


async def compile_and_fix(
    files: dict[str, str],
    max_attempts: int = 3,
    model: ModelChoice | None = None,
    run: bool = True,
    test: bool = False,
    registry_dir: Path | None = None,
    progress: Progress | None = None,
    limits: Limits = BUILD_LIMITS,
    online: bool = False,
) -> FixOutcome:
    """Build; while it fails and attempts remain, run verified fix rounds and build again."""
    model = model or ModelChoice()
    attempts: list[Attempt] = []
    with TempCrate(files, registry_dir) as crate:
        for number in range(1, max(1, max_attempts) + 1):
            if progress:
                progress(f"attempt {number}: building")
            built, executables = await build_crate(crate, limits, online)
            attempt = Attempt(number, built.ok, None if built.ok else build_output(built))
            attempts.append(attempt)
            if built.ok or number == max_attempts:
                break
            if progress:
                progress(f"attempt {number}: fixing")
            fixes, problem = await run_fix_rounds(crate, model, limits, online)
            attempt.fixes = fixes
            if not fixes:
                if problem:
                    attempt.output = f"{attempt.output}\n{problem}".strip()
                break  # nothing verified: another build would fail the same way
        notes: list[str] = []
        result = BuildResult(
            files=crate.current_files(notes),
            build_success=built.ok,
            build_output=build_output(built),
            notes=notes,
        )
        await run_and_test(crate, result, executables, run, test, limits, online)
        return FixOutcome(result, attempts)
