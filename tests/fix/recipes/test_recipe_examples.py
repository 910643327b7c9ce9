"""Every curated recipe, run on its own worked example with real cargo.

For each recipe in `rustcoder/kb/recipes/*.toml`: its `before` must fail to
compile with the recipe's error code and a message its pattern matches; the
recipe's edit kind must then propose a candidate that the engine verifies and
that turns `before` into exactly `after`. One test per recipe, so a new
recipe is tested the moment it is written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.fix.candidate import FixContext
from rustcoder.fix.compare import ErrorSet, is_error
from rustcoder.fix.edits import apply_edits
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.recipe_source import RecipeSource
from rustcoder.fix.recipes.base import RecipeInput, edit_kinds
from rustcoder.fix.rust_syntax import SourceFile
from rustcoder.kb.recipe_data import RecipeSpec, load_recipes
from tests.fix.recipes.helpers import write_crate

RECIPES = load_recipes()


def _example(text: str) -> str:
    return text.lstrip("\n")


def test_every_recipe_names_a_known_edit_kind() -> None:
    kinds = edit_kinds()
    assert RECIPES
    unknown = {spec.id: spec.kind for spec in RECIPES if spec.kind not in kinds}
    assert not unknown


def test_recipe_ids_are_unique_and_titles_fill_in() -> None:
    assert len({spec.id for spec in RECIPES}) == len(RECIPES)
    for spec in RECIPES:
        assert spec.title and spec.explanation, spec.id


@pytest.mark.parametrize("spec", RECIPES, ids=[spec.id for spec in RECIPES])
async def test_recipe_fixes_its_worked_example(tmp_path: Path, spec: RecipeSpec) -> None:
    workspace = write_crate(
        tmp_path / "crate", {spec.example_file: spec.before}, name="recipe_example"
    )
    root = workspace.root
    path = root / spec.example_file
    only_this = RecipeSource(recipes=lambda code: [spec] if code in spec.codes else [])
    engine = FixEngine(
        workspace, settings=FixSettings(parallel=2, max_candidates=8), sources=[only_this]
    )
    base = await engine.check_base()
    errors = [d for d in base.diagnostics if is_error(d)]
    targets = [d for d in errors if d.code == spec.code]
    assert targets, f"`before` does not fail with {spec.code}: {[d.message for d in errors]}"

    before = _example(spec.before)
    matched = []
    results: list[str] = []
    baseline = ErrorSet.of(base.diagnostics, root)
    for target in targets:
        probe = RecipeInput(
            FixContext(root, target, engine.read_text), target, SourceFile(path, before), 0, 0
        )
        if any(spec.match(m) is not None for m in probe.messages()):
            matched.append(target)
        for candidate in engine.candidates(target, errors):
            verification = await engine.verify(candidate, target, baseline)
            fixed = apply_edits(before, [e for e in candidate.edits if e.path == path])
            results.append(f"{candidate.title}: {verification.status} {verification.detail}")
            if verification.ok and fixed == _example(spec.after):
                return
    assert matched, f"the pattern matches no message of {spec.code}: {targets[0].message!r}"
    pytest.fail(f"no verified candidate produced `after`; candidates: {results}")
