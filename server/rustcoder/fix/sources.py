"""The candidate sources the engine uses, in one place so a new one plugs in."""

from __future__ import annotations

import logging

from rustcoder.fix.candidate import CandidateSource
from rustcoder.fix.rustc_source import RustcSource

log = logging.getLogger(__name__)


def default_sources() -> list[CandidateSource]:
    from rustcoder.fix.recipe_source import RecipeSource
    from rustcoder.kb.hooks import active

    kb = active()  # the server's knowledge base, when one is open
    if kb is None:
        return [RustcSource(), RecipeSource()]
    from rustcoder.fix.learned_source import LearnedSource

    sources: list[CandidateSource] = [
        RustcSource(),
        RecipeSource(scores=kb.recipe_scores if kb.base is not None else None),
    ]
    if kb.learning is not None:
        sources.append(LearnedSource(kb.learned_examples))
    return sources
