"""E0282/E0283/E0284 type annotations needed: tell rustc the type.

When a generic call (`collect()`, `parse()`, `into()`) cannot be inferred, the
fix is to name the type, either on the call (turbofish) or on the binding.
These edits add type information only; they never change what the code does.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import Node, text_of
from rustcoder.fix.recipes.types._syntax import labelled_offsets, viewed
from rustcoder.fix.rust_syntax import SourceFile


def _method_calls(file: SourceFile, root: Node, names: set[str]) -> list[Node]:
    """`field_identifier` nodes of calls `.name()` under `root` that have no turbofish yet."""
    found = []
    for node in file.walk(root):
        if node.type != "field_expression":
            continue
        field = node.child_by_field_name("field")
        parent = node.parent
        if (
            field is not None
            and text_of(file, field) in names
            and parent is not None
            and parent.type == "call_expression"
        ):
            found.append(field)
    return found


@edit_kind("turbofish", prepare=viewed)
def turbofish(inp: RecipeInput) -> list[Candidate]:
    """Name the type a generic method produces: `collect::<Vec<_>>()`, `parse::<i64>()`."""
    names = set(inp.params.get("method", "").split("|")) - {""}
    types = [t for t in inp.params.get("types", "").split("|") if t and "{" not in t]
    if not names or not types:
        return []
    roots: list[Node] = [inp.file.node_at(inp.start, inp.end)]
    for located, _ in labelled_offsets(inp, r"type must be known at this point"):
        roots.append(inp.file.node_at(*located))
    binding = inp.enclosing("let_declaration")
    value = binding.child_by_field_name("value") if binding is not None else None
    if value is not None:
        roots.append(value)
    for root in roots:
        # `x.parse` is labelled as `parse` itself; look from its call upwards as well.
        scope = inp.file.enclosing(root, "call_expression") or root
        calls = _method_calls(inp.file, scope, names) or _method_calls(inp.file, root, names)
        if not calls:
            continue
        method = calls[-1]
        at = inp.file.end(method)
        name = text_of(inp.file, method)
        return [
            inp.insert(
                f"Specify the type: `{name}::<{ty}>()`", at, f"::<{ty}>", max(0.3, 0.7 - 0.05 * i)
            )
            for i, ty in enumerate(types[:4])
        ]
    return []


@edit_kind("annotate-let", prepare=viewed)
def annotate_let(inp: RecipeInput) -> list[Candidate]:
    """`let x = value.into();` with no way to infer `x`: give the binding a type."""
    types = [t for t in inp.params.get("types", "").split("|") if t and "{" not in t]
    holes = [h for h in inp.params.get("holes", "").split("|") if h]
    if holes:
        # `HashMap<_, _>`: a type cannot be left to inference here; try likely ones.
        types = [re.sub(r"\b_\b", hole, t) for t in types for hole in holes]
    binding = inp.enclosing("let_declaration")
    if binding is None or binding.child_by_field_name("type") is not None:
        return []
    pattern = need(binding.child_by_field_name("pattern"))
    at = inp.file.end(pattern)
    return [
        inp.insert(
            f"Declare the type of `{text_of(inp.file, pattern)}` as `{ty}`",
            at,
            f": {ty}",
            max(0.3, 0.65 - 0.05 * i),
        )
        for i, ty in enumerate(types[:4])
    ]
