"""The code tools behind MCP and REST: compile, compile-and-fix, generate, explain, search.

One object holds what the tools share (the model choice, the offline
registry, the bounded build queue, the runtime with its knowledge base) so the MCP server and
the REST API are thin adapters with the same behaviour and limits. Inputs
are checked here and rejected with `ServiceError` (a clear message and an
HTTP-like status) before anything is built.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rustcoder.config import KbSettings, Settings
from rustcoder.docs.ask import ask
from rustcoder.docs.index import DocIndex
from rustcoder.docs.passages import docs_root
from rustcoder.generate.build import CrateError, compile_files
from rustcoder.generate.compile_fix import ModelChoice, compile_and_fix
from rustcoder.generate.flattened import FlattenedFormatError, UnsafePathError, parse_files
from rustcoder.generate.pipeline import GenerateRequest, generate
from rustcoder.generate.templates import finder
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.models.backend import GenerationParams, ModelError
from rustcoder.runtime import Runtime
from rustcoder.sandbox import BusyError, RunQueue

log = logging.getLogger(__name__)

MAX_CODE_CHARS = 2_000_000
MAX_TEXT_CHARS = 20_000


class ServiceError(Exception):
    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass
class ServiceConfig:
    model: ModelChoice = field(default_factory=ModelChoice)
    api_key: str | None = None
    registry_dir: Path | None = None
    concurrency: int = 2
    queue_capacity: int = 8
    kb_path: Path | None = None
    #: The shared base's URL (None: `$RUSTCODER_KB_SHARED`).
    kb_shared: str | None = None


@dataclass
class Project:
    id: str
    status: str = "processing"
    message: str = "Project generation started"
    result: dict[str, Any] | None = None


def _text(value: object, name: str, limit: int = MAX_TEXT_CHARS, required: bool = True) -> str:
    if value is None or value == "":
        if required:
            raise ServiceError(f"`{name}` is required")
        return ""
    if not isinstance(value, str):
        raise ServiceError(f"`{name}` must be a string")
    if len(value) > limit:
        raise ServiceError(f"`{name}` is too long ({len(value)} > {limit} characters)", 413)
    return value


def _files(code: object) -> dict[str, str]:
    text = _text(code, "code", MAX_CODE_CHARS)
    try:
        return parse_files(text)
    except (FlattenedFormatError, UnsafePathError) as exc:
        raise ServiceError(str(exc)) from None


class CodeService:
    def __init__(self, config: ServiceConfig | None = None, runtime: Runtime | None = None) -> None:
        """`runtime`: the engine whose knowledge base `explain` and `search_kb` answer from;
        without one it is opened on first use from `config.kb_path`."""
        self.config = config or ServiceConfig()
        self.queue = RunQueue(self.config.concurrency, self.config.queue_capacity)
        self.projects: dict[str, Project] = {}
        self._runtime = runtime
        self._kb_lock = threading.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    # --- builds ---------------------------------------------------------------

    async def compile(self, code: object) -> dict[str, Any]:
        files = _files(code)
        try:
            async with self.queue.slot():
                result = await compile_files(files, run=True, registry_dir=self.config.registry_dir)
        except BusyError as exc:
            raise ServiceError(str(exc), 429) from None
        except CrateError as exc:
            raise ServiceError(str(exc)) from None
        return {
            "success": result.build_success,
            "message": "Build successful" if result.build_success else "Build failed",
            "files": list(result.files),
            "combined_text": result.combined_text,
            "build_output": result.build_output,
            "build_success": result.build_success,
            "run_output": result.run_output,
        }

    async def compile_and_fix(
        self, code: object, description: object = "", max_attempts: object = 3
    ) -> dict[str, Any]:
        files = _files(code)
        _text(description, "description", required=False)
        if not isinstance(max_attempts, int) or isinstance(max_attempts, bool):
            raise ServiceError("`max_attempts` must be an integer")
        attempts = max(1, min(max_attempts, 10))
        try:
            async with self.queue.slot():
                outcome = await compile_and_fix(
                    files, attempts, self.config.model, registry_dir=self.config.registry_dir
                )
        except BusyError as exc:
            raise ServiceError(str(exc), 429) from None
        except CrateError as exc:
            raise ServiceError(str(exc)) from None
        build = outcome.build
        return {
            "success": build.build_success,
            "message": "Build successful" if build.build_success else "Could not fix the build",
            "attempts": [a.to_json() for a in outcome.attempts],
            "final_files": build.files,
            "files": list(build.files),
            "combined_text": build.combined_text,
            "build_output": build.build_output,
            "build_success": build.build_success,
            "run_output": build.run_output,
            "similar_project_used": False,
        }

    # --- generation -----------------------------------------------------------

    def _model(self) -> Any:
        choice = self.config.model
        if not choice.configured:
            raise ServiceError(
                "no code model is configured: start the server with --endpoint URL or --model NAME",
                503,
            )
        try:
            return choice.load(self.config.api_key)
        except ModelError as exc:
            raise ServiceError(str(exc), 503) from None

    async def generate(self, description: object, requirements: object = "") -> dict[str, Any]:
        request = GenerateRequest(
            description=_text(description, "description"),
            requirements=_text(requirements, "requirements", required=False),
            registry_dir=self.config.registry_dir,
        )
        model = self._model()
        try:
            async with self.queue.slot():
                result = await generate(
                    request,
                    model,
                    self.config.model,
                    GenerationParams(max_tokens=4096),
                    templates=finder(self._knowledge()),
                )
        except BusyError as exc:
            raise ServiceError(str(exc), 429) from None
        payload = result.to_json()
        payload["files"] = list(result.files)
        payload["final_files"] = result.files
        return payload

    def start_generation(self, description: object, requirements: object = "") -> Project:
        _text(description, "description")
        self._model()  # fail now, not in the background, when no model is configured
        project = Project(id=str(uuid.uuid4()))
        self.projects[project.id] = project

        async def work() -> None:
            try:
                project.result = await self.generate(description, requirements)
                project.status = "completed" if project.result["success"] else "failed"
                project.message = project.result["message"]
            except ServiceError as exc:
                project.status, project.message = "failed", exc.message
            except Exception as exc:  # the task must record, not lose, what happened
                log.exception("generation %s failed", project.id)
                project.status, project.message = "failed", f"internal error: {exc}"

        task = asyncio.get_running_loop().create_task(work())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return project

    # --- knowledge base -------------------------------------------------------

    def _knowledge(self) -> KnowledgeBase:
        with self._kb_lock:  # requests run on many threads: open it once
            if self._runtime is None:
                path = str(self.config.kb_path) if self.config.kb_path else ""
                shared = self.config.kb_shared or ""
                settings = Settings(kb=KbSettings(path=path, shared=shared))
                self._runtime = Runtime.open(settings, warn=log.warning)
            kb = self._runtime.kb
        assert kb is not None, "the tools' runtime opens a knowledge base"
        return kb

    def learn_fix(
        self,
        code: object,
        message: object,
        before: object,
        after: object,
        title: object = "",
        edition: object = "",
        rustc: object = "",
        event_id: object = None,
    ) -> dict[str, Any]:
        """Store a fix that worked (and queue it for the shared base when there is one).

        `event_id` (a UUID chosen by the client) makes a retried request count once.
        """
        from rustcoder.kb.db import KbError
        from rustcoder.kb.learn import LearnedEntry
        from rustcoder.kb.provenance import EDITIONS

        error_code = _text(code, "code", 64).strip().upper()
        edition_text = _text(edition, "edition", 8, required=False)
        if edition_text and edition_text not in EDITIONS:
            raise ServiceError(f"`edition` must be one of {', '.join(EDITIONS)}")
        entry = LearnedEntry(
            code=error_code,
            message=_text(message, "message"),
            before=_text(before, "before", MAX_CODE_CHARS),
            after=_text(after, "after", MAX_CODE_CHARS),
            source="api",
            title=_text(title, "title", 200, required=False),
        )
        key = _text(event_id, "event_id", 64, required=False) or None
        kb = self._knowledge()
        try:
            learned_id, created, sent_key = kb.learn_entry(
                entry,
                edition=edition_text,
                rustc=_text(rustc, "rustc", 200, required=False) or None,
                event_key=key,
            )
        except ValueError as exc:
            raise ServiceError(str(exc)) from None
        except KbError as exc:
            raise ServiceError(str(exc), 503) from None
        return {
            "success": True,
            "id": f"user:{learned_id}",
            "created": created,
            "event_id": sent_key,
            "shared": None if sent_key is None else "queued",
        }

    def kb_status(self) -> dict[str, Any] | None:
        """The shared base's state for /health (None without one)."""
        kb = self._runtime.kb if self._runtime is not None else None
        if kb is None or kb.shared is None:
            return None
        status: dict[str, Any] = kb.shared.status()
        return status

    def close(self) -> None:
        """Stop the shared base's sender (what is queued stays in the learned file)."""
        with self._kb_lock:
            if self._runtime is not None:
                self._runtime.close()
                self._runtime = None

    def explain(self, error_code: object) -> str:
        code = _text(error_code, "error_code", 16).strip().upper()
        if not code.startswith("E"):
            code = f"E{code.zfill(4)}"
        kb = self._knowledge()
        explanation = kb.explain(code)
        if explanation is None:
            hint = "; ".join(kb.problems) if kb.problems else "no such error code"
            raise ServiceError(f"{code}: no explanation ({hint})", 404)
        return f"# {code}: {explanation.title}\n\n{explanation.explanation}"

    def ask(self, question: object, limit: int = 3) -> dict[str, Any]:
        """A Rust question answered from the toolchain's docs in the KB: the best passages
        with their local links (the tools' model is not asked: answers stay quick)."""
        text = _text(question, "question", 2_000)
        kb = self._knowledge()
        if kb.base is None:
            raise ServiceError("; ".join(kb.problems) or "no knowledge base", 503)
        found = ask(
            text, DocIndex(kb.base.conn), html_root=docs_root(), limit=max(1, min(limit, 10))
        )
        return found.to_json()

    def search_kb(self, query: object, limit: int = 5) -> dict[str, Any]:
        text = _text(query, "query")
        kb = self._knowledge()
        if not kb.available:
            raise ServiceError("; ".join(kb.problems) or "no knowledge base", 503)
        result: dict[str, Any] = kb.search(text, limit=max(1, min(limit, 50))).to_json()
        return result
