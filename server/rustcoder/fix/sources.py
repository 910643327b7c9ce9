"""The candidate sources that need nothing from outside: rustc's suggestions and the recipes.

The default of an engine built without a runtime (tests, benchmarks); the
runtime (`rustcoder.runtime`) adds what the knowledge base offers.
"""

from __future__ import annotations

from collections.abc import Callable

from rustcoder.fix.candidate import CandidateSource
from rustcoder.fix.recipe_source import RecipeSource
from rustcoder.fix.rustc_source import RustcSource

#: Builds fresh sources for one engine (each workspace gets its own).
SourceFactory = Callable[[], list[CandidateSource]]


def rule_sources() -> list[CandidateSource]:
    return [RustcSource(), RecipeSource()]
