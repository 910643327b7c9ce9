"""The fix service computes a diagnostic's candidates once per check, ahead of requests."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rustcoder.cargo.flycheck import run_check
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.compare import is_error
from rustcoder.fix.fix_service import FixService
from rustcoder.fix.recipe_source import RecipeSource
from rustcoder.fix.rustc_source import RustcSource
from tests.lsp.helpers import copy_crate


class CountingRecipes(RecipeSource):
    """The real recipe source, counting how often it is asked."""

    def __init__(self) -> None:
        super().__init__()
        self.calls = 0

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        self.calls += 1
        return super().candidates(ctx)


async def test_candidates_are_prepared_after_a_check_and_reused(tmp_path: Path) -> None:
    crate = copy_crate("fix_borrow", tmp_path)
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    recipes = CountingRecipes()
    service = FixService(sources=lambda: [RustcSource(), recipes])
    service.background_enabled = False  # only the preparation, no verification
    outcome = await run_check(workspace, CheckSettings(target_dir=str(tmp_path / "t")))
    errors = [d for d in outcome.diagnostics if is_error(d)]
    assert errors

    await service.on_check(workspace, outcome)
    background = service.workspace(workspace).background
    assert background is not None
    await background
    prepared = recipes.calls
    assert prepared == len(errors)  # every error's candidates computed ahead

    first = service.ranked(workspace, errors[0])
    again = service.ranked(workspace, errors[0])
    assert recipes.calls == prepared  # code actions answer from memory
    assert [r.candidate.key for r in first] == [r.candidate.key for r in again]

    await service.on_check(workspace, outcome)  # a new check: computed afresh
    await asyncio.wait_for(service.workspace(workspace).background, 60)  # type: ignore[arg-type]
    assert recipes.calls == 2 * prepared
