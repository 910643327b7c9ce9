"""Recipes for borrow-checker errors (use after move, conflicting borrows, lifetimes)."""

from __future__ import annotations

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, recipe


@recipe("E0596-add-mut-binding", "E0596", r"cannot borrow `(?P<name>\w+)` as mutable")
def add_mut_binding(inp: RecipeInput) -> list[Candidate]:
    """`let x` borrowed mutably: declare it `let mut x` (rustc often says so too)."""
    name = inp.captures["name"]
    text = inp.file.text
    before = text[: inp.start]
    for pattern in (f"let {name}", f"let {name}:", f"({name}", f"{name}:"):
        index = before.rfind(pattern)
        if index >= 0:
            at = index + len(pattern) - len(name) - (1 if pattern.endswith(":") else 0)
            if pattern == f"{name}:":
                at = index
            return [
                inp.candidate(
                    f"Declare `{name}` as `mut {name}`",
                    [inp.edit(at, at, "mut ")],
                    "E0596-add-mut-binding",
                )
            ]
    return []
