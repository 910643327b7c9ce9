"""How the recipe modules fit together: public shared names, one confident score, `need`."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.engine import CONFIDENT_SCORE
from rustcoder.fix.recipes import base
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need

RECIPES = Path(base.__file__).parent


def test_names_shared_across_recipe_modules_are_public() -> None:
    """A helper one module imports from another is part of the toolkit, so it has a
    public name; an underscore name stays inside its module."""
    private = []
    for path in sorted(RECIPES.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rustcoder"):
                names = [a.name for a in node.names if a.name.startswith("_")]
                private += [f"{path.relative_to(RECIPES)}: {node.module}.{n}" for n in names]
    assert private == []


def test_confident_recipes_are_tried_before_rustcs_suggestion() -> None:
    assert CONFIDENT >= CONFIDENT_SCORE


@pytest.fixture
def probe_kind() -> Iterator[str]:
    """A throwaway edit-kind name, removed from the registry afterwards."""
    name = "test-probe-kind"
    yield name
    base.EDIT_KINDS.pop(name, None)


def test_need_ends_an_edit_kind_with_no_candidates(probe_kind: str) -> None:
    seen: list[str] = []

    @edit_kind(probe_kind)
    def probe(inp: RecipeInput) -> list[Candidate]:
        found = need(inp.captures.get("name"))
        seen.append(found)
        return [inp.candidate(found, [])]

    ctx = RecipeInput(None, None, None, 0, 0)  # type: ignore[arg-type]
    assert base.EDIT_KINDS[probe_kind] is probe
    assert probe(ctx) == []
    assert seen == []
    ctx.captures["name"] = "x"
    assert [c.title for c in probe(ctx)] == ["x"]
    assert seen == ["x"]


def test_an_edit_kind_name_is_registered_once(probe_kind: str) -> None:
    @edit_kind(probe_kind)
    def first(inp: RecipeInput) -> list[Candidate]:
        return []

    with pytest.raises(ValueError, match="registered twice"):

        @edit_kind(probe_kind)
        def second(inp: RecipeInput) -> list[Candidate]:
            return []
