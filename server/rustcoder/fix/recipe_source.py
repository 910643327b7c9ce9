"""Knowledge-base recipes as a candidate source.

Recipes (data in `rustcoder/kb/recipes/`) are found by error code; those
whose message pattern matches the diagnostic run their edit kind, which
proposes edits. With a knowledge base loaded,
its search score for each recipe orders them (`scores`), so the recipes the
base knows best for this message are verified first.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from pathlib import Path

from rustcoder.cargo.messages import Span
from rustcoder.cargo.to_lsp import expansion_stack, resolve_path
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.edits import byte_to_char_offset
from rustcoder.fix.recipes.base import RecipeInput, edit_kinds
from rustcoder.fix.rust_syntax import SourceFile
from rustcoder.kb.recipe_data import RecipeSpec, recipes_for_code

log = logging.getLogger(__name__)

#: Optional: recipe id -> relevance score for a diagnostic (from the KB search).
ScoreFn = Callable[[FixContext], dict[str, float]]


def user_span(ctx: FixContext, span: Span | None) -> tuple[Span, Path, str] | None:
    """The span in the user's own code: a span inside a std macro's expansion (rustc
    points into `format!` or `vec!` internals) is followed out to the call site."""
    if span is None:
        return None
    for candidate in expansion_stack(span):
        path = resolve_path(ctx.workspace_root, candidate.file_name)
        if path.is_relative_to(ctx.workspace_root):
            text = ctx.read_text(path)
            if text is not None:
                return candidate, path, text
    return None


class RecipeSource:
    name = "kb"

    def __init__(
        self,
        scores: ScoreFn | None = None,
        recipes: Callable[[str | None], list[RecipeSpec]] = recipes_for_code,
    ) -> None:
        self.scores = scores
        self.recipes = recipes

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        diagnostic = ctx.diagnostic
        located = user_span(ctx, next((s for s in diagnostic.spans if s.is_primary), None))
        if located is None:
            return []
        primary, path, text = located
        file = SourceFile(path, text)
        start = byte_to_char_offset(text, primary.byte_start)
        end = byte_to_char_offset(text, primary.byte_end)
        probe = RecipeInput(ctx, diagnostic, file, start, end)
        messages = list(probe.messages())
        kinds = edit_kinds()
        scores: dict[str, float] | None = None
        result: list[Candidate] = []
        for spec in self.recipes(diagnostic.code):
            captures = next((c for c in map(spec.match, messages) if c is not None), None)
            apply = kinds.get(spec.kind)
            if captures is None or apply is None:
                continue
            inp = RecipeInput(
                ctx, diagnostic, file, start, end, captures, spec, spec.params_for(captures)
            )
            try:
                proposed = apply(inp)
            except Exception:  # a recipe bug must not cost the other candidates
                log.exception("recipe %s (%s) failed", spec.id, spec.kind)
                continue
            if proposed and scores is None:
                scores = self.scores(ctx) if self.scores else {}
            bonus = (scores or {}).get(spec.id, 0.0)
            result.extend(
                dataclasses.replace(c, score=min(1.0, c.score + bonus), recipe_id=spec.id)
                for c in proposed
            )
        return result
