"""Description → crate: templates, model, parsed files, compile-and-fix, tests.

The pipeline every surface (CLI, LSP command, MCP, REST) runs. Nothing is
written outside a temp dir here; callers decide where the files go.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rustcoder.apiindex.entry_points import entry_point_notes
from rustcoder.generate.build import CrateError, crate_files
from rustcoder.generate.compile_fix import ModelChoice, compile_and_fix
from rustcoder.generate.flattened import (
    FlattenedFormatError,
    UnsafePathError,
    format_files,
    parse_files,
)
from rustcoder.generate.prompt import generation_messages, retry_message
from rustcoder.generate.registry import available_crates, unavailable_dependencies
from rustcoder.generate.templates import TemplateFinder
from rustcoder.models.backend import CancelToken, CodeModel, GenerationParams, ModelError

Progress = Callable[[str], None]


class GenerationCancelled(Exception):
    """The user cancelled; nothing was produced."""


@dataclass
class GenerateRequest:
    description: str
    requirements: str = ""
    max_attempts: int = 3
    run_tests: bool = True
    registry_dir: Path | None = None
    #: Let the crate use crates.io (cargo then reaches the network); off: std and the registry.
    online: bool = False


@dataclass
class GenerationResult:
    success: bool
    message: str
    files: dict[str, str] = field(default_factory=dict)
    build_success: bool = False
    build_output: str = ""
    run_output: str = ""
    test_success: bool | None = None
    test_output: str = ""
    attempts: list[dict[str, Any]] = field(default_factory=list)
    log: list[str] = field(default_factory=list)
    templates: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def combined_text(self) -> str:
        return format_files(self.files) if self.files else ""

    def to_json(self) -> dict[str, Any]:
        """Rust Coder's response fields, plus ours."""
        return {
            "success": self.success,
            "message": self.message,
            "combined_text": self.combined_text,
            "files": self.files,
            "build_output": self.build_output,
            "build_success": self.build_success,
            "run_output": self.run_output,
            "test_success": self.test_success,
            "test_output": self.test_output,
            "attempts": self.attempts,
            "templates": self.templates,
            "log": self.log,
        }


def _note(result: GenerationResult, progress: Progress | None, text: str) -> None:
    result.log.append(text)
    if progress:
        progress(text)


def _check_cancel(cancel: CancelToken | None) -> None:
    if cancel is not None and cancel.cancelled:
        raise GenerationCancelled("generation cancelled")


async def ask_for_files(
    model: CodeModel,
    request: GenerateRequest,
    params: GenerationParams,
    result: GenerationResult,
    progress: Progress | None,
    cancel: CancelToken | None,
    templates: TemplateFinder | None = None,
) -> dict[str, str] | None:
    """The model's crate, re-asked (up to max_attempts) when the reply is unusable.

    `templates` finds example crates for the prompt (the knowledge base's search)."""
    query = f"{request.description} {request.requirements}"
    examples = templates(query, 2) if templates is not None else []
    result.templates = [t.name for t in examples]
    crates = available_crates(request.registry_dir)
    api = await asyncio.to_thread(entry_point_notes, request.registry_dir, crates, query)
    messages = generation_messages(
        request.description,
        request.requirements,
        examples,
        crates,
        getattr(model, "prompt_style", "chat"),
        request.online,
        api,
    )
    for number in range(1, max(1, request.max_attempts) + 1):
        _check_cancel(cancel)
        _note(result, progress, f"asking {model.name} for the crate (try {number})")
        completion = await asyncio.to_thread(model.chat, messages, params, cancel)
        _check_cancel(cancel)
        try:
            files = crate_files(parse_files(completion.text))
            missing = (
                []
                if request.online
                else unavailable_dependencies(files.get("Cargo.toml", ""), crates)
            )
            if missing:
                raise CrateError(
                    "dependencies not available offline: "
                    + ", ".join(missing)
                    + (" (use only the standard library)" if not crates else "")
                )
            return files
        except (FlattenedFormatError, UnsafePathError, CrateError) as exc:
            _note(result, progress, f"reply {number} unusable: {exc}")
            result.attempts.append(
                {
                    "attempt": len(result.attempts) + 1,
                    "success": False,
                    "output": f"unusable reply: {exc}",
                }
            )
            messages = [*messages, retry_message(str(exc))]
    return None


async def generate(
    request: GenerateRequest,
    model: CodeModel,
    choice: ModelChoice,
    params: GenerationParams | None = None,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
    templates: TemplateFinder | None = None,
) -> GenerationResult:
    """Run the whole pipeline; errors of the model become a failed result with a message.

    `templates`: where example crates come from (`generate.templates.finder(kb)`)."""
    started = time.monotonic()
    result = GenerationResult(success=False, message="")
    params = params or GenerationParams(max_tokens=4096, temperature=0.2)
    if not request.description.strip():
        result.message = "a description is required"
        return result
    try:
        files = await ask_for_files(model, request, params, result, progress, cancel, templates)
    except ModelError as exc:
        result.message = f"the model failed: {exc}"
        return result
    if files is None:
        result.message = "the model gave no usable crate"
        return result
    _check_cancel(cancel)
    _note(result, progress, "compiling and fixing")
    outcome = await compile_and_fix(
        files,
        max_attempts=request.max_attempts,
        model=choice,
        run=True,
        test=request.run_tests,
        registry_dir=request.registry_dir,
        progress=lambda text: _note(result, progress, text),
        online=request.online,
    )
    _check_cancel(cancel)
    build = outcome.build
    offset = len(result.attempts)
    for attempt in outcome.attempts:
        entry = attempt.to_json()
        entry["attempt"] += offset
        result.attempts.append(entry)
    result.files = build.files
    result.build_success = build.build_success
    result.build_output = build.build_output
    result.run_output = build.run_output
    result.test_success = build.test_success
    result.test_output = build.test_output
    tests_ok = build.test_success is not False
    result.success = build.build_success and tests_ok
    if result.success:
        result.message = "Project generated successfully"
    elif build.build_success:
        result.message = "The crate builds but its tests fail"
    else:
        result.message = "The crate still fails to build after the fix attempts"
    result.seconds = time.monotonic() - started
    _note(result, progress, result.message)
    return result
