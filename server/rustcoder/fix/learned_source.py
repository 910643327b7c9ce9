"""Learned examples as a candidate source: re-apply hunks of fixes that worked."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.edits import Edit
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
        at = ctx.primary_location()
        if at is None:
            return []
        path, text, start, end = at.path, at.text, at.start, at.end
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
