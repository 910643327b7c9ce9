"""The knowledge base as the fix engine sees it: recipe scores, learned examples, learning.

The knowledge base knows nothing of the engine (the arrow runs from `fix` to
`kb` only); this adapter turns its search hits into what `RecipeSource`,
`LearnedSource`, `ModelSource` and `LearningTracker` take, so the runtime can
plug one knowledge base into all of them.
"""

from __future__ import annotations

import logging

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.candidate import FixContext
from rustcoder.fix.learned_source import LearnedExample
from rustcoder.fix.learning_tracker import LearnedFix
from rustcoder.kb.knowledge_base import RECOVERABLE, KnowledgeBase
from rustcoder.kb.learn import LearnedEntry
from rustcoder.kb.provenance import crate_edition
from rustcoder.kb.recipe_data import RecipeSpec, recipes_for_code

log = logging.getLogger(__name__)

#: The most a KB score adds to a recipe candidate's own score.
RECIPE_BONUS = 0.15


class FixKnowledge:
    def __init__(self, kb: KnowledgeBase) -> None:
        self.kb = kb

    def recipe_scores(self, ctx: FixContext) -> dict[str, float]:
        """recipe id -> bonus in [0, RECIPE_BONUS] for the context's diagnostic."""
        code = ctx.diagnostic.code
        if self.kb.base is None or not code or not code.startswith("E"):
            return {}  # recipes are for rustc's error codes, not lints
        try:
            result = self.kb.search(_query_text(ctx.diagnostic), code, limit=20)
        except RECOVERABLE as exc:
            log.warning("knowledge-base search failed: %s", exc)
            return {}
        recipes = result.of_kind("recipe")
        if not recipes:
            return {}
        top = recipes[0].score
        return {h.id: RECIPE_BONUS * h.score / top for h in recipes}

    def recipes(self, code: str | None) -> list[RecipeSpec]:
        """The shipped recipes for an error code, then the team's (shared base) ones."""
        return [*recipes_for_code(code), *self.kb.team_recipes(code)]

    def learned_examples(self, diagnostic: RustDiagnostic) -> list[LearnedExample]:
        """Learned examples for the same error code, best first."""
        if self.kb.learning is None or not diagnostic.code:
            return []
        # The bare message, as learned entries store it: the same error matches exactly.
        result = self.kb.search(diagnostic.message, diagnostic.code, limit=10, filter_code=True)
        learned = result.of_kind("learned")
        top = learned[0].score if learned else 1.0
        return [
            LearnedExample(
                code=hit.code,
                message=str(hit.details["message"]),
                before=str(hit.details["before"]),
                after=str(hit.details["after"]),
                success_count=int(hit.details["success_count"]),
                score=0.5 * hit.score / top,
                title=hit.title,
            )
            for hit in learned
        ]

    def learn(self, fix: LearnedFix) -> None:
        """The LearningTracker's sink: store the fix that made an error disappear."""
        self.kb.record(
            LearnedEntry(
                code=fix.code,
                message=fix.message,
                before=fix.before,
                after=fix.after,
                source=fix.source,
                title=fix.title,
            ),
            edition=crate_edition(fix.file),
        )


def _query_text(diagnostic: RustDiagnostic) -> str:
    """The message plus the primary label: what the user reads as the error."""
    label = next((s.label for s in diagnostic.spans if s.is_primary and s.label), None)
    return f"{diagnostic.message}: {label}" if label else diagnostic.message
