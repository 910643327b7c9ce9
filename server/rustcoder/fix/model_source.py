""" "Fix with <model>": a code model as a source of candidate fixes.

A model call takes seconds, so it never happens where the engine gathers
candidates synchronously (`candidates()` is empty by design, and the
codeAction path only shows `placeholder()`'s title). The model is asked in
`generate()`, from codeAction/resolve or a compile-and-fix round, in a worker
thread with a cancel token; its reply is parsed into edits, and the caller
verifies them like every other candidate.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.learned_source import ExampleProvider
from rustcoder.fix.model_reply import ParsedFix, enclosing_item, parse_reply
from rustcoder.models.backend import (
    CancelToken,
    ChatMessage,
    CodeModel,
    Completion,
    GenerationParams,
    ModelError,
)
from rustcoder.models.prompts import (
    COMPLETION_OPEN,
    DiagnosticPrompt,
    FewShot,
    FilePrompt,
    explanation_excerpt,
    file_messages,
    fix_messages,
    style_of,
)

log = logging.getLogger(__name__)

#: (workspace root, the errors, the code shown) -> real signatures for the prompt.
Grounding = Callable[[Path, Sequence[RustDiagnostic], str], list[str]]

#: The `candidate` value of a "Fix with <model>" action before the model ran.
MODEL_CANDIDATE = "model"
#: A file longer than this is not sent whole to a model.
MAX_FILE_CHARS = 24_000
ITEM_LABELS = {
    "function_item": "function",
    "struct_item": "struct",
    "enum_item": "enum",
    "union_item": "union",
    "impl_item": "impl block",
    "trait_item": "trait",
    "const_item": "constant",
    "static_item": "static",
    "type_item": "type alias",
    "macro_definition": "macro",
    "mod_item": "module",
}


def is_placeholder(candidate: Candidate) -> bool:
    return candidate.source == "model" and not candidate.edits


def _relative(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


@dataclass
class ModelSource:
    model: CodeModel
    params: GenerationParams = field(default_factory=GenerationParams)
    #: Knowledge-base examples of similar fixes, used as few-shot turns.
    examples: ExampleProvider | None = None
    max_examples: int = 2
    name: str = "model"
    #: Real signatures of what the failing code touches (the API index, from the runtime).
    grounding: Grounding | None = None

    @property
    def title(self) -> str:
        return f"Fix with {self.model.name}"

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        """Nothing: the model is never called where candidates are gathered synchronously."""
        return []

    def placeholder(self) -> Candidate:
        """The action shown at once; its edit is computed by `generate` on resolve."""
        return Candidate(title=self.title, source=self.name, edits=(), score=0.0)

    # --- generation ------------------------------------------------------------

    def _ask(self, messages: list[ChatMessage], cancel: CancelToken | None) -> str | None:
        completion: Completion = self.model.chat(messages, self.params, cancel)
        if completion.finish_reason == "timeout":
            raise ModelError(
                f"{self.model.name} did not finish within {self.params.timeout_s:g} s "
                "(model.timeoutSeconds)"
            )
        if completion.finish_reason == "cancelled":
            return None
        if style_of(self.model) == "completion":
            return COMPLETION_OPEN + completion.text
        return completion.text

    def _few_shot(self, diagnostic: RustDiagnostic) -> list[FewShot]:
        """Known fixes of similar errors, from the provider the runtime gave (the KB)."""
        provider = self.examples
        if provider is None:
            return []
        try:
            found = provider(diagnostic)[: self.max_examples]
        except Exception:  # the KB is an aid; a broken one must not cost the fix
            log.exception("knowledge-base examples unavailable for the model prompt")
            return []
        return [FewShot(e.message, e.before, e.after) for e in found]

    def generate(
        self,
        ctx: FixContext,
        cancel: CancelToken | None = None,
        examples: list[FewShot] | None = None,
    ) -> list[Candidate]:
        """Ask the model to fix `ctx.diagnostic` (blocking); unverified candidates.

        `examples`: few-shot examples already looked up (None: look them up here).
        """
        diagnostic = ctx.diagnostic
        at = ctx.primary_location()
        if at is None:
            return []
        path, text, start, end = at.path, at.text, at.start, at.end
        item = enclosing_item(text, start, end)
        if item is None and len(text) > MAX_FILE_CHARS:
            return []
        prompt = DiagnosticPrompt(
            code=diagnostic.code or "",
            message=diagnostic.message,
            rendered=diagnostic.rendered or "",
            path=_relative(path, ctx.workspace_root),
            item=item.text if item else text,
            item_label=(
                f"{ITEM_LABELS.get(item.kind, 'item')} `{item.name}`"
                if item and item.name
                else "file"
            ),
            explanation=explanation_excerpt(
                diagnostic.code_info.explanation if diagnostic.code_info else None
            ),
            examples=self._few_shot(diagnostic) if examples is None else examples,
            api=self._grounding(ctx.workspace_root, [diagnostic], item.text if item else text),
        )
        reply = self._ask(fix_messages(prompt, style_of(self.model)), cancel)
        if reply is None:
            return []
        parsed = parse_reply(reply, path, text, item)
        if parsed is None:
            log.info("%s: reply for %s held no usable fix", self.model.name, diagnostic.message)
            return []
        return [self._candidate(parsed)]

    def generate_file(
        self,
        path: Path,
        text: str,
        errors: list[RustDiagnostic],
        root: Path,
        cancel: CancelToken | None = None,
    ) -> Candidate | None:
        """Ask the model to fix all `errors` of one file at once (compile-and-fix rounds)."""
        if len(text) > MAX_FILE_CHARS or not errors:
            return None
        prompt = FilePrompt(
            path=_relative(path, root),
            text=text,
            errors=[d.rendered or f"error[{d.code or ''}]: {d.message}" for d in errors],
            api=self._grounding(root, errors, text),
        )
        reply = self._ask(file_messages(prompt, style_of(self.model)), cancel)
        if reply is None:
            return None
        parsed = parse_reply(reply, path, text, None)
        return self._candidate(parsed) if parsed is not None else None

    def _grounding(self, root: Path, errors: Sequence[RustDiagnostic], code: str) -> list[str]:
        if self.grounding is None:
            return []
        try:
            return self.grounding(root, errors, code)
        except Exception:  # an aid: a broken index must not cost the fix
            log.exception("API signatures unavailable for the model prompt")
            return []

    def _candidate(self, parsed: ParsedFix) -> Candidate:
        return Candidate(
            title=self.title, source=self.name, edits=parsed.edits, applicability="MaybeIncorrect"
        )

    async def agenerate(
        self, ctx: FixContext, cancel: CancelToken | None = None
    ) -> list[Candidate]:
        """`generate` in a worker thread; cancelling the task cancels the generation."""
        token = cancel or CancelToken()
        # The KB's SQLite connection belongs to this thread: look examples up here.
        examples = self._few_shot(ctx.diagnostic)
        try:
            return await asyncio.to_thread(self.generate, ctx, token, examples)
        except asyncio.CancelledError:
            token.cancel()
            raise
