"""Knowledge-base recipes as a candidate source.

Recipes register by error code with a message pattern; the ones whose pattern
matches the diagnostic run and propose edits. With a knowledge base loaded,
its search score for each recipe orders them (`scores`), so the recipes the
base knows best for this message are verified first.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.edits import byte_to_char_offset
from rustcoder.fix.recipes.base import RecipeInput, recipes_for
from rustcoder.fix.rust_syntax import SourceFile

log = logging.getLogger(__name__)

#: Optional: recipe id -> relevance score for a diagnostic (from the KB search).
ScoreFn = Callable[[FixContext], dict[str, float]]


class RecipeSource:
    name = "kb"

    def __init__(self, scores: ScoreFn | None = None) -> None:
        self.scores = scores

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        diagnostic = ctx.diagnostic
        primary = next((s for s in diagnostic.spans if s.is_primary), None)
        if primary is None:
            return []
        path = Path(primary.file_name)
        if not path.is_absolute():
            path = ctx.workspace_root / path
        text = ctx.read_text(path)
        if text is None:
            return []
        file = SourceFile(path, text)
        start = byte_to_char_offset(text, primary.byte_start)
        end = byte_to_char_offset(text, primary.byte_end)
        scores = self.scores(ctx) if self.scores else {}
        result: list[Candidate] = []
        for recipe in recipes_for(diagnostic.code):
            captures: dict[str, str] = {}
            if recipe.pattern is not None:
                probe = RecipeInput(ctx, diagnostic, file, start, end)
                match = next((m for m in map(recipe.pattern.search, probe.messages()) if m), None)
                if match is None:
                    continue
                captures = {k: v for k, v in match.groupdict().items() if v is not None}
            try:
                proposed = recipe.apply(RecipeInput(ctx, diagnostic, file, start, end, captures))
            except Exception:  # a recipe bug must not cost the other candidates
                log.exception("recipe %s failed", recipe.id)
                continue
            bonus = scores.get(recipe.id, 0.0)
            for candidate in proposed:
                result.append(
                    Candidate(
                        title=candidate.title,
                        source=candidate.source,
                        edits=candidate.edits,
                        applicability=candidate.applicability,
                        score=min(1.0, candidate.score + bonus),
                        recipe_id=candidate.recipe_id or recipe.id,
                    )
                )
        return result
