"""The candidate sources the engine uses, in one place so a new one plugs in."""

from __future__ import annotations

import logging

from rustcoder.fix.candidate import CandidateSource
from rustcoder.fix.rustc_source import RustcSource

log = logging.getLogger(__name__)


def default_sources() -> list[CandidateSource]:
    from rustcoder.fix.recipe_source import RecipeSource

    sources: list[CandidateSource] = [RustcSource(), RecipeSource()]
    return sources
