"""Learned examples as a candidate source: re-apply hunks of fixes that worked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.edits import Edit, byte_to_char_offset
from rustcoder.fix.hunk_pattern import HunkPattern

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LearnedExample:
    code: str
    message: str
    before: str
    after: str
    success_count: int = 1
    score: float = 0.5
    title: str = ""


#: Finds learned examples for a diagnostic, best first (the knowledge base does this).
ExampleProvider = Callable[[RustDiagnostic], list[LearnedExample]]


class LearnedSource:
    name = "learned"

    def __init__(self, provider: ExampleProvider, limit: int = 3) -> None:
        self.provider = provider
        self.limit = limit

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        primary = next((s for s in ctx.diagnostic.spans if s.is_primary), None)
        if primary is None:
            return []
        path = Path(primary.file_name)
        if not path.is_absolute():
            path = ctx.workspace_root / path
        text = ctx.read_text(path)
        if text is None:
            return []
        start = byte_to_char_offset(text, primary.byte_start)
        end = byte_to_char_offset(text, primary.byte_end)
        try:
            examples = self.provider(ctx.diagnostic)
        except Exception:
            log.exception("learned examples unavailable")
            return []
        result: list[Candidate] = []
        for example in examples:
            pattern = HunkPattern.learn(example.before, example.after)
            if pattern is None:
                continue
            applied = pattern.apply(text, start, end)
            if applied is None:
                continue
            lo, hi, new_text = applied
            if text[lo:hi] == new_text:
                continue
            shown = new_text.strip().replace("\n", " ")
            title = f"Apply learned fix: `{shown[:50]}`"
            if example.success_count > 1:
                title += f" (worked {example.success_count} times)"
            result.append(
                Candidate(
                    title=title,
                    source=self.name,
                    edits=(Edit(path, lo, hi, new_text),),
                    applicability="MaybeIncorrect",
                    score=min(1.0, example.score),
                )
            )
            if len(result) >= self.limit:
                break
        return result
