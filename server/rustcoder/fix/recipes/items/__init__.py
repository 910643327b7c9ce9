"""Recipes for items: names, imports, visibility, struct literals, patterns, lifetimes.

These are the errors where rustc often knows *what* is wrong but offers no
edit, or only one with placeholders: a private item (where the `pub` goes is
in another file), missing struct fields, non-exhaustive matches, an `.await`
in a sync fn, a call to an unsafe fn. Each edit kind proposes the plausible
edits; verification by compiling picks the one that works.

The edit kinds are grouped by theme in the submodules below, which register
them with `edit_kind` when imported; `_modules`, `_syntax` and `_std_paths`
hold what several themes share.
"""

from rustcoder.fix.recipes.items import (
    accessors,
    functions,
    generated,
    generics,
    names,
    owned,
    patterns,
    struct_literals,
)

__all__ = [
    "accessors",
    "functions",
    "generated",
    "generics",
    "names",
    "owned",
    "patterns",
    "struct_literals",
]
