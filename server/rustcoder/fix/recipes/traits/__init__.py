"""Recipes for trait errors: derives, impls, operators, bounds and `?`.

rustc often knows *which* trait is missing but its own suggestion is a bare
`#[derive(Trait)]` line (without the traits it requires, never merged into an
existing derive), a placeholder it will not apply, or nothing at all. These
edit kinds write the complete edit: the derive with its prerequisites on the
type and on the local types of its fields, the trait's exact signatures, the
operator impl written field by field, the return type that makes `?` legal.

The edit kinds are grouped by theme in the submodules below; importing this
package imports them all, which registers every edit kind the recipes of
`kb/recipes/traits.toml` name.
"""

from __future__ import annotations

from rustcoder.fix.recipes.traits import (
    bounds,
    conversions,
    derives,
    iteration,
    operators,
    question_mark,
    trait_impls,
    trait_objects,
)

__all__ = [
    "bounds",
    "conversions",
    "derives",
    "iteration",
    "operators",
    "question_mark",
    "trait_impls",
    "trait_objects",
]
