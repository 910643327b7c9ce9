"""E0499 / E0503: two `&mut` borrows of one value alive at once.

rustc says where the first borrow is and where the second conflicts, but its
help is at most a note (`split_at_mut`). These kinds rewrite the pair so only
one `&mut` is alive at a time: one call that takes both places (`swap`,
`split_at_mut`), indices instead of a borrowing iterator, the borrow that
already exists, a lookup repeated at each use, or an owned copy of the first
result.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.ownership._common import (
    enclosing_function,
    first_labelled,
    fresh_name,
    identifiers,
    is_mutated,
    root_name,
)
from rustcoder.fix.recipes.syntax import Node, alone_on_lines, line_span, statement_of
from rustcoder.fix.rust_syntax import SourceFile

# --- E0499: two `&mut` at once -------------------------------------------------


def _mut_index(file: SourceFile, start: int, end: int) -> tuple[Node, Node] | None:
    """(`&mut v[i]`, `v[i]`) around the borrowed place `v` at [start, end)."""
    node = file.node_at(start, end)
    index = node.parent
    while index is not None and index.type in ("field_expression", "identifier"):
        index = index.parent
    if index is None or index.type != "index_expression":
        return None
    ref = index.parent
    if ref is None or ref.type != "reference_expression":
        return None
    if not any(c.type == "mutable_specifier" for c in ref.children):
        return None
    return ref, index


def _index_parts(file: SourceFile, index: Node) -> tuple[str, str] | None:
    parts = index.named_children
    if len(parts) != 2:
        return None
    return file.node_text(parts[0]), file.node_text(parts[1])


@edit_kind("slice-swap")
def slice_swap(inp: RecipeInput) -> list[Candidate]:
    """`mem::swap(&mut v[i], &mut v[j])` borrows `v` twice: `v.swap(i, j)` does not."""
    found = need(_mut_index(inp.file, inp.start, inp.end))
    call = inp.file.enclosing(found[0], "call_expression")
    function = call.child_by_field_name("function") if call is not None else None
    arguments = call.child_by_field_name("arguments") if call is not None else None
    if call is None or function is None or arguments is None:
        return []
    if inp.file.node_text(function).split("::")[-1] != "swap":
        return []
    args = arguments.named_children
    if len(args) != 2 or any(a.type != "reference_expression" for a in args):
        return []
    parts = []
    for arg in args:
        value = arg.child_by_field_name("value")
        part = need(
            _index_parts(inp.file, value) if value and value.type == "index_expression" else None
        )
        parts.append(part)
    (left, i), (right, j) = parts
    if left != right:
        return []
    return [
        inp.replace(
            f"Swap the elements with `{left}.swap({i}, {j})`",
            call,
            f"{left}.swap({i}, {j})",
            CONFIDENT,
        )
    ]


def _order(i: str, j: str) -> bool | None:
    """Whether index `i` is certainly below `j` (True), above (False), or unknown (None)."""
    if i.isdigit() and j.isdigit() and i != j:
        return int(i) < int(j)
    if re.fullmatch(rf"{re.escape(i)}\s*\+\s*\d+", j):
        return True
    if re.fullmatch(rf"{re.escape(j)}\s*\+\s*\d+", i):
        return False
    return None


@edit_kind("split-at-mut")
def split_at_mut(inp: RecipeInput) -> list[Candidate]:
    """Two `&mut v[i]`, `&mut v[j]`: split the slice so both borrows are disjoint."""
    first = need(first_labelled(inp, "first mutable borrow occurs here"))
    a = _mut_index(inp.file, *first)
    b = _mut_index(inp.file, inp.start, inp.end)
    if a is None or b is None:
        return []
    pa, pb = _index_parts(inp.file, a[1]), _index_parts(inp.file, b[1])
    if pa is None or pb is None or pa[0] != pb[0]:
        return []
    below = need(_order(pa[1], pb[1]))
    (lo_node, (place, lo)), (hi_node, (_, hi)) = (
        ((a[1], pa), (b[1], pb)) if below else ((b[1], pb), (a[1], pa))
    )
    earliest = a[1] if inp.file.start(a[1]) < inp.file.start(b[1]) else b[1]
    statement = need(statement_of(inp.file, earliest))
    fn = enclosing_function(inp.file, statement)
    left = fresh_name(inp.file, fn, "left", "head")
    right = fresh_name(inp.file, fn, "right", "tail")
    at = inp.file.start(statement)
    indent = inp.file.indent_at(at)
    edits = [
        inp.edit(at, at, f"let ({left}, {right}) = {place}.split_at_mut({hi});\n{indent}"),
        inp.edit(inp.file.start(lo_node), inp.file.end(lo_node), f"{left}[{lo}]"),
        inp.edit(inp.file.start(hi_node), inp.file.end(hi_node), f"{right}[0]"),
    ]
    return [
        inp.candidate(f"Borrow `{place}[{lo}]` and `{place}[{hi}]` through `split_at_mut`", edits)
    ]


@edit_kind("index-loop")
def index_loop(inp: RecipeInput) -> list[Candidate]:
    """`for x in self.v.iter_mut() { self.m() }`: loop over indices so no borrow is held."""
    first = need(
        first_labelled(inp, "first mutable borrow occurs here", "immutable borrow occurs here")
    )
    loop = need(inp.file.enclosing(inp.file.node_at(*first), "for_expression"))
    value = loop.child_by_field_name("value")
    pattern = loop.child_by_field_name("pattern")
    body = loop.child_by_field_name("body")
    if value is None or pattern is None or body is None:
        return []
    if not inp.file.start(value) <= first[0] < inp.file.end(value):
        return []
    if not inp.file.start(body) <= inp.start < inp.file.end(body):
        return []
    iterated = inp.file.node_text(value)
    # `for (i, x) in v.iter().enumerate()` already has its index.
    enumerated = re.fullmatch(r"\((?P<index>\w+),\s*(?P<item>\w+)\)", inp.file.node_text(pattern))
    if enumerated is not None:
        iterated = iterated.removesuffix(".enumerate()")
    elif pattern.type != "identifier":
        return []
    found = need(
        re.fullmatch(r"(?P<place>[\w.]+)\.(?P<m>iter_mut|iter)\(\)", iterated)
        or re.fullmatch(r"&(?P<m>mut )?(?P<place>[\w.]+)", iterated)
    )
    place = found.group("place")
    mutable = found.group("m") in ("iter_mut", "mut ")
    if enumerated is not None:
        index, item = enumerated.group("index"), enumerated.group("item")
    else:
        item = inp.file.node_text(pattern)
        index = fresh_name(inp.file, loop, "i", "idx", "index")
    element = f"{place}[{index}]"
    edits = [
        inp.edit(inp.file.start(pattern), inp.file.end(pattern), index),
        inp.edit(inp.file.start(value), inp.file.end(value), f"0..{place}.len()"),
    ]
    # Other uses of the item read the element: by value where that compiles
    # (numbers), else through a reference like the one the loop gave.
    ref = f"&mut {element}" if mutable else f"&{element}"
    variants: list[list[Edit]] = [list(edits), list(edits)]
    bare = False
    for use in identifiers(inp.file, body, item):
        parent = use.parent
        if (
            parent is not None
            and parent.type == "unary_expression"
            and inp.file.node_text(parent).startswith("*")
        ):
            start, end = inp.file.start(parent), inp.file.end(parent)
            replacements = (element, element)
        elif parent is not None and parent.type in ("field_expression", "index_expression"):
            start, end = inp.file.start(use), inp.file.end(use)
            replacements = (element, element)
        else:
            start, end = inp.file.start(use), inp.file.end(use)
            replacements = (element, ref)
            bare = True
        for variant, replacement in zip(variants, replacements, strict=True):
            variant.append(inp.edit(start, end, replacement))
    title = f"Loop over the indices of `{place}` instead of borrowing it for the whole loop"
    # For E0502 the borrow family's "iterate over a clone" (0.55) is tried first.
    score = 0.6 if inp.diagnostic.code == "E0499" else 0.5
    result = [inp.candidate(title, variants[0], score=score)]
    if bare:
        result.append(inp.candidate(title + " (by reference)", variants[1], score=score - 0.02))
    return result


@edit_kind("use-existing-borrow")
def use_existing_borrow(inp: RecipeInput) -> list[Candidate]:
    """`let r = &mut x; x.f(); r.g();`: go through `r` while it is alive."""
    first = need(
        next(
            (
                offsets
                for span in inp.labelled("mutable borrow occurs here", "is borrowed here")
                if not span.is_primary and (offsets := inp.offsets_here(span)) is not None
            ),
            None,
        )
    )
    ref = inp.file.node_at(*first)
    if ref.type != "reference_expression" or not any(
        c.type == "mutable_specifier" for c in ref.children
    ):
        return []
    declaration = ref.parent
    if declaration is None or declaration.type != "let_declaration":
        return []
    pattern = declaration.child_by_field_name("pattern")
    value = ref.child_by_field_name("value")
    if pattern is None or value is None or pattern.type != "identifier":
        return []
    holder = inp.file.node_text(pattern)
    place = inp.file.node_text(value)
    node = inp.file.node_at(inp.start, inp.end)
    if node.type != "reference_expression" and node.parent is not None:
        node = node.parent if node.parent.type == "reference_expression" else node
    used = node.child_by_field_name("value") if node.type == "reference_expression" else node
    if used is None or inp.file.node_text(used) != place:
        return []
    start, end = inp.file.start(node), inp.file.end(node)
    parent = node.parent
    # `x.f()` and `&mut x` become `r.f()` and `r`; a plain read of `x` becomes `*r`.
    through = node.type == "reference_expression" or (
        parent is not None and parent.type in ("field_expression", "index_expression")
    )
    replacement = holder if through else f"*{holder}"
    return [
        inp.rewrite(
            f"Use `{replacement}`, which already borrows `{place}`", start, end, replacement, 0.7
        )
    ]


# --- E0499: a named `&mut` into a collection held while borrowing again -------


#: Methods that add, remove or reorder elements, so a repeated lookup may differ.
RESHAPING = (
    r"(?:push\w*|insert|remove\w*|pop\w*|clear|truncate|drain|retain\w*|sort\w*|swap\w*"
    r"|reverse|extend\w*|dedup\w*|append|split_off|resize)"
)


def _inline_let(inp: RecipeInput, at: tuple[int, int]) -> tuple[str, list[Edit]] | None:
    """Edits that replace `let x = m.get_mut(k).unwrap();` by the lookup at each use of x."""
    declaration = inp.file.enclosing(inp.file.node_at(*at), "let_declaration")
    if declaration is None or declaration.parent is None or declaration.parent.type != "block":
        return None
    pattern = declaration.child_by_field_name("pattern")
    value = declaration.child_by_field_name("value")
    if pattern is None or value is None or pattern.type != "identifier":
        return None
    if declaration.child_by_field_name("type") is not None or value.type != "call_expression":
        return None
    expr = inp.file.node_text(value)
    if "\n" in expr or not re.search(r"\.(?:get_mut|iter_mut|last_mut|first_mut)\(", expr):
        return None
    name = inp.file.node_text(pattern)
    uses = [
        n
        for n in identifiers(inp.file, declaration.parent, name)
        if inp.file.start(n) >= inp.file.end(declaration)
    ]
    if not uses or not alone_on_lines(inp.file, declaration):
        return None
    # A lookup repeated after the collection changed may find another element.
    between = inp.file.text[inp.file.end(declaration) : inp.file.start(uses[-1])]
    root = re.escape(root_name(expr))
    if re.search(rf"\b{root}\s*\.\s*{RESHAPING}\b", between):
        return None
    if any(use.parent is not None and use.parent.type == "token_tree" for use in uses):
        return None
    cut_start, cut_end = line_span(inp.file, declaration)
    edits = [inp.edit(cut_start, cut_end, "")]
    edits += [inp.edit(inp.file.start(u), inp.file.end(u), expr) for u in uses]
    return name, edits


@edit_kind("inline-mut-borrow")
def inline_mut_borrow(inp: RecipeInput) -> list[Candidate]:
    """`let a = m.get_mut(k).unwrap();` held while `m` is borrowed again: look the value
    up at each use instead, so no borrow outlives its statement."""
    first = need(first_labelled(inp, "first mutable borrow occurs here"))
    inlined = [_inline_let(inp, first), _inline_let(inp, (inp.start, inp.end))]
    options: list[tuple[list[str], list[Edit]]] = [([n], e) for n, e in filter(None, inlined)]
    if all(inlined) and inlined[0] is not None and inlined[1] is not None:
        if inlined[0][0] == inlined[1][0]:
            return []
        options.append(([inlined[0][0], inlined[1][0]], inlined[0][1] + inlined[1][1]))
    return [
        inp.candidate(
            "Look up "
            + " and ".join(f"`{n}`" for n in names)
            + " where used instead of holding the borrow",
            edits,
            score=0.5 - 0.05 * rank,
        )
        for rank, (names, edits) in enumerate(options)
    ]


# --- E0499: a result of a `&mut self` method held while calling another --------


@edit_kind("own-first-borrow")
def own_first_borrow(inp: RecipeInput) -> list[Candidate]:
    """`let a = c.load("a"); let b = c.load("b");` where `load` takes `&mut self` and returns a
    reference: keep an owned copy of the first result, ending its borrow at once."""
    first = need(first_labelled(inp, "first mutable borrow occurs here"))
    node = inp.file.node_at(*first)
    call = node.parent.parent if node.parent is not None else None
    if node.parent is None or node.parent.type != "field_expression" or call is None:
        return []
    if call.type != "call_expression":
        return []
    method = node.parent.child_by_field_name("field")
    method_name = inp.file.node_text(method) if method is not None else ""
    if method_name.endswith("_mut") or method_name in ("entry", "iter_mut", "drain"):
        return []
    # Through `.unwrap()`/`.expect(..)` to the value that is bound.
    outer = call
    while (
        outer.parent is not None
        and outer.parent.type == "field_expression"
        and outer.parent.parent is not None
        and outer.parent.parent.type == "call_expression"
        and inp.file.node_text(outer.parent.child_by_field_name("field") or outer.parent)
        in ("unwrap", "expect")
    ):
        outer = outer.parent.parent
    declaration = outer.parent
    if declaration is None or declaration.type != "let_declaration":
        return []
    pattern = declaration.child_by_field_name("pattern")
    if pattern is None or pattern.type != "identifier" or declaration.parent is None:
        return []
    name = inp.file.node_text(pattern)
    later = [
        n
        for n in declaration.parent.named_children
        if inp.file.start(n) >= inp.file.end(declaration)
    ]
    if any(is_mutated(inp.file, n, name) for n in later):
        # Changes through the reference must reach the original, not a copy.
        return []
    end = inp.file.end(outer)
    return [
        inp.insert(
            f"Keep an owned copy of `{name}` ({adapter}) so its borrow ends at once",
            end,
            adapter,
            score,
        )
        for adapter, score in ((".clone()", 0.5), (".to_owned()", 0.4))
    ]
