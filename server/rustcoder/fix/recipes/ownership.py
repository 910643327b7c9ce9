"""Recipes for ownership errors the `borrow` family leaves: aliasing `&mut`
(E0499, E0503), borrows held across a change (E0502, E0505, E0506), values
that die too early (E0597, E0716, E0515), closures and threads that outlive
what they borrow (E0373, E0521), moves out of places (E0382, E0507), and `&`
references that are written through (E0596, E0594).

rustc's own help for these is often a note without an edit (E0499's
`split_at_mut`, E0597, E0521, a partial move) or an edit that cannot compile
alone (`&mut` in a signature whose callers pass `&x`). These edit kinds
propose the usual rewrites; every candidate is compiled before it is offered,
and a kind proposes nothing where its rewrite could change what the program
does (a reordering past a read, a lookup repeated after the collection
changed).
"""

from __future__ import annotations

import re
from typing import cast

import tree_sitter

from rustcoder.cargo.messages import Span
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, edit_kind
from rustcoder.fix.rust_syntax import SourceFile, rust_files

#: A score above rustc's MachineApplicable suggestion (see engine.rank_key).
CONFIDENT = 0.92

Node = tree_sitter.Node

LOOPS = {"for_expression", "while_expression", "loop_expression"}


# --- helpers -------------------------------------------------------------------


def _spans(inp: RecipeInput, *label_parts: str) -> list[Span]:
    """The diagnostic's own spans whose label contains any of `label_parts`."""
    return [s for s in inp.diagnostic.spans if s.label and any(p in s.label for p in label_parts)]


def _located(inp: RecipeInput, span: Span) -> tuple[int, int] | None:
    """Char offsets of a span in the diagnostic's file (None for other files)."""
    located = inp.span_offsets(span)
    if located is None or located[0] != inp.path:
        return None
    return located[1], located[2]


def _first(inp: RecipeInput, *label_parts: str) -> tuple[int, int] | None:
    for span in _spans(inp, *label_parts):
        offsets = _located(inp, span)
        if offsets is not None:
            return offsets
    return None


def _statement(file: SourceFile, node: Node | None) -> Node | None:
    """The statement (a direct child of a block) that contains `node`."""
    while node is not None and node.parent is not None:
        if node.parent.type == "block":
            return node if node.type not in ("{", "}") else None
        node = node.parent
    return None


def _line_span(file: SourceFile, node: Node) -> tuple[int, int]:
    """From the start of the node's first line to after its last line's newline."""
    start = file.line_start(file.start(node))
    end = file.text.find("\n", file.end(node))
    return start, len(file.text) if end < 0 else end + 1


def _alone_on_lines(file: SourceFile, node: Node) -> bool:
    start, end = _line_span(file, node)
    return (
        file.text[start : file.start(node)].strip() == ""
        and file.text[file.end(node) : end].strip() == ""
    )


def _identifiers(file: SourceFile, node: Node, name: str) -> list[Node]:
    """Uses of the variable `name` under `node` (also inside macro token trees)."""
    return [
        n
        for n in file.walk(node)
        if n.type == "identifier"
        and file.node_text(n) == name
        and (n.prev_sibling is None or n.prev_sibling.type != ".")
    ]


def _uses(file: SourceFile, start: int, end: int, name: str) -> bool:
    """Whether code in [start, end) names the variable `name` (format strings included)."""
    inline = re.compile(rf"\{{{re.escape(name)}[:}}]")
    stack = [file.node_at(start, end)]
    while stack:
        node = stack.pop()
        if file.end(node) <= start or file.start(node) >= end:
            continue
        if node.type == "identifier" and file.node_text(node) == name:
            # `self.name` inside a macro's tokens is a field, not the variable.
            before = node.prev_sibling
            if before is None or before.type != ".":
                return True
        elif node.type == "string_content" and inline.search(file.node_text(node)):
            return True
        stack.extend(node.children)
    return False


def _names_in(file: SourceFile, node: Node) -> set[str]:
    """Every variable name `node` mentions, format-string arguments (`{x}`) included."""
    names = set()
    for n in file.walk(node):
        if n.type == "identifier":
            names.add(file.node_text(n))
        elif n.type == "string_content":
            names.update(re.findall(r"\{([A-Za-z_]\w*)[:}]", file.node_text(n)))
    return names


def _fresh(file: SourceFile, scope: Node | None, *names: str) -> str:
    """The first of `names` that no variable in `scope` has; else the first with a suffix."""
    start, end = (file.start(scope), file.end(scope)) if scope is not None else (0, len(file.text))
    options = [*names, *(f"{names[0]}{n}" for n in range(2, 10))]
    return next((n for n in options if not _uses(file, start, end, n)), f"{names[0]}_")


def _function(file: SourceFile, node: Node | None) -> Node | None:
    return file.enclosing(node, "function_item", "closure_expression")


#: Uses of a binding that need it to stay a reference into the original value.
MUTATING = re.compile(
    r"^\s*(?:[-+*/%&|^]?=(?!=)"
    r"|\.(?:push|insert|remove|clear|extend|set_|pop|take|retain|sort|get_mut|iter_mut|as_mut|entry))"
)


def _changed_in(file: SourceFile, start: int, end: int, name: str) -> bool:
    """Whether code in [start, end) changes `name` or borrows it mutably."""
    scope = file.node_at(start, end)
    for use in _identifiers(file, scope, name):
        if not start <= file.start(use) < end:
            continue
        target = (
            use.parent if use.parent is not None and use.parent.type == "unary_expression" else use
        )
        if MUTATING.match(file.text[file.end(target) : file.end(target) + 40]):
            return True
        if re.search(r"&mut\s*$", file.text[max(0, file.start(use) - 8) : file.start(use)]):
            return True
    return False


def _mutated(file: SourceFile, scope: Node, name: str) -> bool:
    """Whether `scope` changes `name` (`name = ..`, `name.push(..)`, `*name += ..`, `&mut name`)."""
    return _changed_in(file, file.start(scope), file.end(scope), name)


def _is_simple_place(expr: str) -> bool:
    """`x`, `self.head`, `a.b.c`: a place a method can be called on as it is."""
    return re.fullmatch(r"[A-Za-z_]\w*(?:\.\w+)*", expr) is not None


def _root_name(expr: str) -> str:
    return re.split(r"[.\[(]", expr.strip().lstrip("&*").removeprefix("mut "), maxsplit=1)[0]


def _move_statement(file: SourceFile, moved: Node, anchor: Node, before: bool) -> list[Edit]:
    """Edits that move the statement `moved` to just before or after `anchor`."""
    if not (_alone_on_lines(file, moved) and _alone_on_lines(file, anchor)):
        return []
    cut_start, cut_end = _line_span(file, moved)
    line = file.text[cut_start:cut_end]
    if not line.endswith("\n"):
        line += "\n"
    indent = file.indent_at(file.start(anchor))
    moved_indent = file.indent_at(file.start(moved))
    lines = [
        indent + ln[len(moved_indent) :] if ln.startswith(moved_indent) else ln
        for ln in line.splitlines(keepends=True)
    ]
    text = "".join(lines)
    anchor_start, anchor_end = _line_span(file, anchor)
    at = anchor_start if before else anchor_end
    if cut_start <= at <= cut_end:
        return []
    return [
        Edit(file.path, cut_start, cut_end, ""),
        Edit(file.path, at, at, text),
    ]


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
    found = _mut_index(inp.file, inp.start, inp.end)
    if found is None:
        return []
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
        part = _index_parts(inp.file, value) if value and value.type == "index_expression" else None
        if part is None:
            return []
        parts.append(part)
    (left, i), (right, j) = parts
    if left != right:
        return []
    return [
        inp.candidate(
            f"Swap the elements with `{left}.swap({i}, {j})`",
            [inp.edit(inp.file.start(call), inp.file.end(call), f"{left}.swap({i}, {j})")],
            score=CONFIDENT,
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
    first = _first(inp, "first mutable borrow occurs here")
    if first is None:
        return []
    a = _mut_index(inp.file, *first)
    b = _mut_index(inp.file, inp.start, inp.end)
    if a is None or b is None:
        return []
    pa, pb = _index_parts(inp.file, a[1]), _index_parts(inp.file, b[1])
    if pa is None or pb is None or pa[0] != pb[0]:
        return []
    below = _order(pa[1], pb[1])
    if below is None:
        return []
    (lo_node, (place, lo)), (hi_node, (_, hi)) = (
        ((a[1], pa), (b[1], pb)) if below else ((b[1], pb), (a[1], pa))
    )
    earliest = a[1] if inp.file.start(a[1]) < inp.file.start(b[1]) else b[1]
    statement = _statement(inp.file, earliest)
    if statement is None:
        return []
    fn = _function(inp.file, statement)
    left = _fresh(inp.file, fn, "left", "head")
    right = _fresh(inp.file, fn, "right", "tail")
    at = inp.file.start(statement)
    indent = inp.file.indent_at(at)
    edits = [
        inp.edit(at, at, f"let ({left}, {right}) = {place}.split_at_mut({hi});\n{indent}"),
        inp.edit(inp.file.start(lo_node), inp.file.end(lo_node), f"{left}[{lo}]"),
        inp.edit(inp.file.start(hi_node), inp.file.end(hi_node), f"{right}[0]"),
    ]
    return [
        inp.candidate(
            f"Borrow `{place}[{lo}]` and `{place}[{hi}]` through `split_at_mut`",
            edits,
            score=0.6,
        )
    ]


@edit_kind("index-loop")
def index_loop(inp: RecipeInput) -> list[Candidate]:
    """`for x in self.v.iter_mut() { self.m() }`: loop over indices so no borrow is held."""
    first = _first(inp, "first mutable borrow occurs here", "immutable borrow occurs here")
    if first is None:
        return []
    loop = inp.file.enclosing(inp.file.node_at(*first), "for_expression")
    if loop is None:
        return []
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
    found = re.fullmatch(r"(?P<place>[\w.]+)\.(?P<m>iter_mut|iter)\(\)", iterated) or re.fullmatch(
        r"&(?P<m>mut )?(?P<place>[\w.]+)", iterated
    )
    if found is None:
        return []
    place = found.group("place")
    mutable = found.group("m") in ("iter_mut", "mut ")
    if enumerated is not None:
        index, item = enumerated.group("index"), enumerated.group("item")
    else:
        item = inp.file.node_text(pattern)
        index = _fresh(inp.file, loop, "i", "idx", "index")
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
    for use in _identifiers(inp.file, body, item):
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
    first = next(
        (
            offsets
            for span in _spans(inp, "mutable borrow occurs here", "is borrowed here")
            if not span.is_primary and (offsets := _located(inp, span)) is not None
        ),
        None,
    )
    if first is None:
        return []
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
        inp.candidate(
            f"Use `{replacement}`, which already borrows `{place}`",
            [inp.edit(start, end, replacement)],
            score=0.7,
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
        for n in _identifiers(inp.file, declaration.parent, name)
        if inp.file.start(n) >= inp.file.end(declaration)
    ]
    if not uses or not _alone_on_lines(inp.file, declaration):
        return None
    # A lookup repeated after the collection changed may find another element.
    between = inp.file.text[inp.file.end(declaration) : inp.file.start(uses[-1])]
    root = re.escape(_root_name(expr))
    if re.search(rf"\b{root}\s*\.\s*{RESHAPING}\b", between):
        return None
    if any(use.parent is not None and use.parent.type == "token_tree" for use in uses):
        return None
    cut_start, cut_end = _line_span(inp.file, declaration)
    edits = [inp.edit(cut_start, cut_end, "")]
    edits += [inp.edit(inp.file.start(u), inp.file.end(u), expr) for u in uses]
    return name, edits


@edit_kind("inline-mut-borrow")
def inline_mut_borrow(inp: RecipeInput) -> list[Candidate]:
    """`let a = m.get_mut(k).unwrap();` held while `m` is borrowed again: look the value
    up at each use instead, so no borrow outlives its statement."""
    first = _first(inp, "first mutable borrow occurs here")
    if first is None:
        return []
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
    first = _first(inp, "first mutable borrow occurs here")
    if first is None:
        return []
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
    if any(_mutated(inp.file, n, name) for n in later):
        # Changes through the reference must reach the original, not a copy.
        return []
    end = inp.file.end(outer)
    return [
        inp.candidate(
            f"Keep an owned copy of `{name}` ({adapter}) so its borrow ends at once",
            [inp.edit(end, end, adapter)],
            score=score,
        )
        for adapter, score in ((".clone()", 0.5), (".to_owned()", 0.4))
    ]


# --- E0502 / E0505 / E0506: a borrow still alive --------------------------------


@edit_kind("move-after-last-use")
def move_after_last_use(inp: RecipeInput) -> list[Candidate]:
    """Move the conflicting statement below the borrow's last use.

    Only when nothing in between mentions the changed value, so the borrow
    still sees what it saw and later code still sees the change.
    """
    name = _root_name(inp.captures.get("name", ""))
    later: tuple[int, int] | None
    if inp.params.get("moved") == "label":
        # E0382: the statement that moved the value goes below the use after it.
        moved = _first(inp, "value moved here")
        if moved is None or any(
            "iteration of loop" in (s.label or "") for s in inp.diagnostic.spans
        ):
            return []
        conflict_at, later = moved, (inp.start, inp.end)
    else:
        conflict_at, later = (
            (inp.start, inp.end),
            _first(inp, "later used here", "later used by call"),
        )
    if not name or later is None:
        return []
    conflict = _statement(inp.file, inp.file.node_at(*conflict_at))
    last = _statement(inp.file, inp.file.node_at(*later))
    if conflict is None or last is None or conflict.parent != last.parent:
        return []
    if inp.file.end(conflict) > inp.file.start(last):
        return []
    between = (inp.file.end(conflict), inp.file.end(last))
    # Nothing in between may read what the statement changes or binds: the
    # variables it names (E0506/E0505: the changed value too; E0382: the moved
    # value is unchanged by the move, so reading it earlier is the point).
    names = _names_in(inp.file, conflict)
    if inp.params.get("moved") == "label":
        names.discard(name)
    else:
        names.add(name)
    if any(_uses(inp.file, *between, n) for n in names):
        return []
    edits = _move_statement(inp.file, conflict, last, before=False)
    if not edits:
        return []
    return [inp.candidate(None, edits, score=0.5 if inp.params.get("moved") != "label" else 0.45)]


def _borrowed_place(file: SourceFile, start: int, end: int) -> tuple[Node, Node] | None:
    """(`&place`, `place`) around a borrowed variable, through fields and indexing."""
    node = file.node_at(start, end)
    if node.type == "reference_expression":
        value = node.child_by_field_name("value")
        if value is None or any(c.type == "mutable_specifier" for c in node.children):
            return None
        return node, value
    while node.parent is not None and node.parent.type in ("index_expression", "field_expression"):
        # A method call (`v.iter()`) is the borrow family's case, not a place.
        if node.parent.parent is not None and node.parent.parent.type == "call_expression":
            return None
        node = node.parent
    ref = node.parent
    if ref is None or ref.type != "reference_expression":
        return None
    if any(c.type == "mutable_specifier" for c in ref.children):
        return None
    return ref, node


@edit_kind("copy-element")
def copy_element(inp: RecipeInput) -> list[Candidate]:
    """`let x = &v[0]; v.push(..)`: copy the element so no borrow of `v` stays alive."""
    borrow = _first(inp, "immutable borrow occurs here", "is borrowed here", "borrow of `")
    if borrow is None:
        return []
    found = _borrowed_place(inp.file, *borrow)
    if found is None:
        return []
    ref, place = found
    expr = inp.file.node_text(place)
    if place.type not in ("index_expression", "field_expression") or ".." in expr:
        return []
    start, end = inp.file.start(ref), inp.file.end(ref)
    return [
        inp.candidate(f"Copy `{expr}` instead of borrowing it", [inp.edit(start, end, expr)], 0.6),
        inp.candidate(
            f"Clone `{expr}` instead of borrowing it",
            [inp.edit(start, end, f"{expr}.clone()")],
            0.5,
        ),
    ]


@edit_kind("clone-argument")
def clone_argument(inp: RecipeInput) -> list[Candidate]:
    """`s.push_str(&s)`: pass a copy of the borrowed argument."""
    borrow = _first(inp, "immutable borrow occurs here")
    if borrow is None:
        return []
    found = _borrowed_place(inp.file, *borrow)
    if found is None:
        return []
    ref, place = found
    arguments = ref.parent
    if arguments is None or arguments.type != "arguments":
        return []
    if not inp.start <= inp.file.start(arguments) < inp.end:
        return []
    expr = inp.file.node_text(place)
    end = inp.file.end(place)
    # `v[..2].clone()` would clone an unsized slice; `to_owned` gives a Vec.
    sliced = place.type == "index_expression" and ".." in expr
    adapters = (".to_owned()",) if sliced else (".clone()", ".to_owned()")
    return [
        inp.candidate(
            f"Pass a copy of `{expr}` ({adapter})", [inp.edit(end, end, adapter)], 0.6 - 0.1 * n
        )
        for n, adapter in enumerate(adapters)
    ]


# --- E0502 / E0500: a closure over `self` passed to a method of a field of `self`

#: Methods that change their receiver, so the taken field must be a `let mut`.
CHANGING = re.compile(
    r"(?:retain|sort|dedup|push|insert|remove|drain|extend|truncate|iter_mut|clear)"
)


@edit_kind("take-field-around-call")
def take_field_around_call(inp: RecipeInput) -> list[Candidate]:
    """`self.items.retain(|x| self.keep(x));`: take the field out, call on the local, put
    it back, so the closure can borrow `self` while the field is worked on."""
    statement = _statement(inp.file, inp.file.node_at(inp.start, inp.end))
    if statement is None or statement.type != "expression_statement":
        return []
    text = inp.file.node_text(statement)
    found = re.match(r"self\.(?P<field>\w+)\.(?P<method>\w+)", text)
    if found is None or not _alone_on_lines(inp.file, statement):
        return []
    field = found.group("field")
    rest = text[len(f"self.{field}") :]
    # A closure that reads the field itself would see it empty while it is taken out.
    if re.search(rf"\bself\.{re.escape(field)}\b", rest) or "|" not in rest:
        return []
    fn = _function(inp.file, statement)
    local = _fresh(inp.file, fn, field, f"{field}_taken")
    mutable = "mut " if CHANGING.match(found.group("method")) else ""
    indent = inp.file.indent_at(inp.file.start(statement))
    new = (
        f"let {mutable}{local} = std::mem::take(&mut self.{field});\n"
        f"{indent}{local}{rest}\n"
        f"{indent}self.{field} = {local};"
    )
    start, end = inp.file.start(statement), inp.file.end(statement)
    return [
        inp.candidate(
            f"Take `self.{field}` out while the closure borrows `self`, then put it back",
            [inp.edit(start, end, new)],
            score=0.55,
        )
    ]


# --- E0502: a lookup returned from one branch, the map changed in the other ----


@edit_kind("lookup-again")
def lookup_again(inp: RecipeInput) -> list[Candidate]:
    """`if let Some(v) = self.map.get(k) { return v; } self.map.insert(..)`: test first,
    then look the value up again inside the branch, so no borrow reaches the insert."""
    borrow = _first(inp, "immutable borrow occurs here")
    if borrow is None:
        return []
    condition = inp.file.enclosing(inp.file.node_at(*borrow), "let_condition")
    owner = inp.file.enclosing(condition, "if_expression") if condition is not None else None
    if condition is None or owner is None:
        return []
    pattern = condition.child_by_field_name("pattern")
    value = condition.child_by_field_name("value")
    body = owner.child_by_field_name("consequence")
    if pattern is None or value is None or body is None:
        return []
    bound = re.fullmatch(r"Some\((?P<inner>.+)\)", inp.file.node_text(pattern), re.DOTALL)
    lookup = inp.file.node_text(value)
    if bound is None or value.type != "call_expression" or "\n" in lookup:
        return []
    statements = [c for c in body.named_children if c.type != "line_comment"]
    indent = inp.file.indent_at(inp.file.start(statements[0])) if statements else None
    if indent is None:
        return []
    open_brace = inp.file.start(body) + 1
    return [
        inp.candidate(
            f"Check `{lookup}` first and look it up again inside the branch",
            [
                inp.edit(inp.file.start(condition), inp.file.end(condition), f"{lookup}.is_some()"),
                inp.edit(
                    open_brace,
                    open_brace,
                    f"\n{indent}let {bound.group('inner')} = {lookup}.unwrap();",
                ),
            ],
            score=0.6,
        )
    ]


# --- E0597 / E0716: values that die too early ----------------------------------


def _owned_type(type_text: str) -> str:
    """`Vec<&str>` → `Vec<String>`, `Vec<&Item>` → `Vec<Item>`: the owned element type."""
    text = re.sub(r"&(?:'\w+\s+)?(?:mut\s+)?str\b", "String", type_text)
    text = re.sub(r"&(?:'\w+\s+)?(?:mut\s+)?\[([^\[\]]+)\]", r"Vec<\1>", text)
    return re.sub(r"&(?:'\w+\s+)?(?:mut\s+)?", "", text)


def _declared_type(file: SourceFile, scope: Node | None, name: str) -> Node | None:
    """The type annotation of `let name: T` in `scope`."""
    for node in file.walk(scope or file.root):
        if node.type != "let_declaration":
            continue
        pattern = node.child_by_field_name("pattern")
        type_ = node.child_by_field_name("type")
        if pattern is None or type_ is None:
            continue
        if file.node_text(pattern).removeprefix("mut ").strip() == name:
            return type_
    return None


BORROWING_METHODS = ("as_str", "as_slice", "as_ref", "as_bytes", "as_path", "borrow")


def _borrow_of(file: SourceFile, start: int, end: int, name: str) -> Node | None:
    """The expression that borrows `name` at [start, end): `&name`, `name.as_str()`, `&name[..]`."""
    node = file.node_at(start, end)
    if node.type == "reference_expression":
        value = node.child_by_field_name("value")
        return node if value is not None and file.node_text(value) == name else None
    if node.type != "identifier" or file.node_text(node) != name or node.parent is None:
        return None
    parent = node.parent
    if parent.type == "reference_expression":
        return parent
    if parent.type == "field_expression" and parent.parent is not None:
        method = parent.child_by_field_name("field")
        call = parent.parent
        if (
            call.type == "call_expression"
            and method is not None
            and file.node_text(method) in BORROWING_METHODS
        ):
            return call
    if parent.type == "index_expression" and file.node_text(parent).replace(" ", "").endswith(
        "[..]"
    ):
        ref = parent.parent
        return ref if ref is not None and ref.type == "reference_expression" else None
    return None


def _owned_type_edit(inp: RecipeInput, type_: Node | None) -> list[Edit]:
    if type_ is None:
        return []
    old = inp.file.node_text(type_)
    new = _owned_type(old)
    return [inp.edit(inp.file.start(type_), inp.file.end(type_), new)] if new != old else []


@edit_kind("store-owned")
def store_owned(inp: RecipeInput) -> list[Candidate]:
    """A reference to a short-lived value is stored (or returned): store the value itself.

    The holder's declared type (`Vec<&str>`), and with `target = "return"` the
    function's return type, become the owned type (`Vec<String>`).
    """
    name = inp.captures.get("name", "")
    if not name:
        return []
    borrow = _borrow_of(inp.file, inp.start, inp.end, name)
    if borrow is None:
        located = _first(inp, f"`{name}` is borrowed here")
        borrow = _borrow_of(inp.file, *located, name) if located is not None else None
    if borrow is None:
        return []
    fn = _function(inp.file, borrow)
    holder = None
    for span in _spans(inp, "declared here", "later used here", "returns a value referencing"):
        label = span.label or ""
        named = re.search(r"variable `(\w+)` declared here", label)
        if named:
            holder = named.group(1)
            break
        offsets = _located(inp, span)
        if offsets is not None and ("later used" in label or "returns a value" in label):
            text = inp.file.text[offsets[0] : offsets[1]]
            if re.fullmatch(r"\w+", text):
                holder = text
    type_edits: list[Edit] = []
    if holder is not None:
        type_edits += _owned_type_edit(inp, _declared_type(inp.file, fn, holder))
    if inp.params.get("target") == "return":
        function = inp.file.enclosing(borrow, "function_item")
        returned = function.child_by_field_name("return_type") if function else None
        type_edits += _owned_type_edit(inp, returned)
        if not type_edits:
            return []
    start, end = inp.file.start(borrow), inp.file.end(borrow)
    return [
        inp.candidate(
            how.format(name=name) + " instead of a reference to it",
            [inp.edit(start, end, replacement), *type_edits],
            score=score,
        )
        for replacement, how, score in (
            (name, "Store `{name}` itself", 0.7),
            (f"{name}.clone()", "Store a clone of `{name}`", 0.6),
        )
    ]


@edit_kind("hoist-binding")
def hoist_binding(inp: RecipeInput) -> list[Candidate]:
    """`let x` in an inner block is borrowed after the block: declare it before the block."""
    name = inp.captures.get("name", "")
    declared = _first(inp, f"binding `{name}` declared here")
    later = _first(inp, "later used here")
    if not name or declared is None or later is None:
        return []
    declaration = inp.file.enclosing(inp.file.node_at(*declared), "let_declaration")
    if declaration is None or declaration.parent is None:
        return []
    # The statement of an enclosing block that also holds the later use.
    anchor: Node | None = declaration.parent
    while anchor is not None:
        block = anchor.parent
        if (
            block is not None
            and block.type == "block"
            and inp.file.start(block) <= later[0] < inp.file.end(block)
        ):
            break
        anchor = block
    if anchor is None:
        return []
    head = anchor.named_children[0] if anchor.named_children else anchor
    if LOOPS & {anchor.type, head.type if anchor.type == "expression_statement" else ""}:
        # A binding made per iteration cannot simply move out of the loop.
        return []
    # Its value must not read anything the code it now precedes could change.
    value = declaration.child_by_field_name("value")
    read = _names_in(inp.file, value) if value is not None else set()
    skipped = (inp.file.start(anchor), inp.file.start(declaration))
    if any(_changed_in(inp.file, *skipped, n) for n in read):
        return []
    edits = _move_statement(inp.file, declaration, anchor, before=True)
    if not edits:
        return []
    return [
        inp.candidate(
            f"Declare `{name}` before the block so it lives long enough",
            edits,
            score=0.6,
        )
    ]


def _binding_name(expr: str) -> str:
    """A readable name for the value of `expr`."""
    expr = expr.strip()
    if expr.startswith(("format!", "String::", '"')) or expr.endswith(".to_string()"):
        return "text"
    call = re.search(r"\.(\w+)\([^()]*\)\s*$", expr) or re.search(r"(\w+)(?:::<[^>]*>)?\(", expr)
    if call is None:
        return "value"
    word = call.group(1)
    if word == "new":
        owner = re.search(r"(\w+)::new\(", expr)
        word = owner.group(1) if owner else "value"
    word = re.sub(r"^(?:to_|into_|get_|read_|make_|build_|as_)", "", word)
    word = re.sub(r"(?<!^)(?=[A-Z])", "_", word).lower()
    return {
        "collect": "items",
        "lowercase": "lower",
        "uppercase": "upper",
        "vec": "items",
        "owned": "owned",
        "join": "joined",
        "clone": "copy",
        "unwrap": "value",
    }.get(word, word or "value")


@edit_kind("bind-temporary")
def bind_temporary(inp: RecipeInput) -> list[Candidate]:
    """A temporary is borrowed past its statement: give it a `let` of its own."""
    expr = inp.span_text
    if not expr.strip():
        return []
    statement = _statement(inp.file, inp.file.node_at(inp.start, inp.end))
    if statement is None:
        return []
    name = _fresh(inp.file, _function(inp.file, statement), _binding_name(expr), "owned")
    at = inp.file.start(statement)
    indent = inp.file.indent_at(at)
    return [
        inp.candidate(
            f"Keep the temporary alive in `let {name}`",
            [
                inp.edit(at, at, f"let {name} = {expr};\n{indent}"),
                inp.edit(inp.start, inp.end, name),
            ],
            score=0.6,
        )
    ]


# --- E0373 / E0521 / E0382: closures, threads and moves ---------------------------


def _closure_in(inp: RecipeInput) -> Node | None:
    """The closure at the primary span: around it (E0373) or inside it (E0521)."""
    node = inp.file.node_at(inp.start, inp.end)
    closure = inp.file.enclosing(node, "closure_expression")
    if closure is not None:
        return closure
    return next((n for n in inp.file.walk(node) if n.type == "closure_expression"), None)


def _self_fields(inp: RecipeInput, body: Node) -> list[tuple[str, list[tuple[int, int]]]]:
    """Fields read as `self.field` in `body` (not method calls), with their offsets."""
    fields: dict[str, list[tuple[int, int]]] = {}
    base = inp.file.start(body)
    for found in re.finditer(r"\bself\.(\w+)\b(?!\s*\()", inp.file.node_text(body)):
        fields.setdefault(found.group(1), []).append((base + found.start(), base + found.end()))
    return list(fields.items())


COPY_TYPES = re.compile(r"(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char)")


def _copy_fields(inp: RecipeInput, node: Node) -> set[str]:
    """Fields of the `impl`'s own struct whose types are primitive `Copy` types."""
    impl = inp.file.enclosing(node, "impl_item")
    type_node = impl.child_by_field_name("type") if impl is not None else None
    if type_node is None:
        return set()
    found = inp.find_type(inp.file.node_text(type_node).split("<")[0])
    if found is None:
        return set()
    source, item = found
    fields = source.struct_fields(cast(Node, item))
    return {name for name, type_ in fields if COPY_TYPES.fullmatch(type_)}


def _loop_variables(file: SourceFile, node: Node, name: str) -> list[str]:
    """Variables of the `for` loops around `node` that iterate over `name`."""
    found = []
    loop = file.enclosing(node, "for_expression")
    while loop is not None:
        pattern = loop.child_by_field_name("pattern")
        value = loop.child_by_field_name("value")
        if (
            pattern is not None
            and value is not None
            and pattern.type == "identifier"
            and _root_name(file.node_text(value)) == name
        ):
            found.append(file.node_text(pattern))
        loop = file.enclosing(loop.parent, "for_expression")
    return found


@edit_kind("clone-into-closure")
def clone_into_closure(inp: RecipeInput) -> list[Candidate]:
    """A `'static` closure (a thread) borrows a value: move an owned copy into it.

    Params: `method` makes the copy (`.clone()`, or `.to_owned()` for a
    reference parameter); a copy of a reference may shadow it (`shadow = "yes"`),
    a copy of a local gets a new name since the local is used afterwards.
    """
    name = inp.captures.get("name", "")
    method = inp.params.get("method", ".clone()")
    if not re.fullmatch(r"[a-z_]\w*", name):
        return []
    closure = _closure_in(inp)
    statement = _statement(inp.file, closure)
    body = closure.child_by_field_name("body") if closure is not None else None
    if closure is None or statement is None or body is None:
        return []
    if _mutated(inp.file, body, name) or (
        name == "self"
        and re.search(r"\bself\.\w+(?:\.\w+)*\s*[-+*/]?=[^=]", inp.file.node_text(body))
    ):
        # A closure that changes the value must change the original, not a copy.
        return []
    fn = _function(inp.file, statement)
    at = inp.file.start(statement)
    indent = inp.file.indent_at(at)
    edits: list[Edit] = []
    if not inp.file.node_text(closure).startswith("move"):
        start = inp.file.start(closure)
        edits.append(inp.edit(start, start, "move "))
    lets = []
    if name == "self":
        copy_fields = _copy_fields(inp, closure)
        for field, places in _self_fields(inp, body):
            local = _fresh(inp.file, fn, field, f"{field}_copy")
            lets.append(f"let {local} = self.{field}{'' if field in copy_fields else method};")
            edits += [inp.edit(start, end, local) for start, end in places]
        copied = "the fields of `self`"
    else:
        shadow = inp.params.get("shadow") == "yes"
        local = name if shadow else _fresh(inp.file, fn, f"{name}_clone", f"{name}_copy")
        if shadow:
            # `for item in items { spawn(move || item..) }`: the loop variable borrows too.
            names = [name, *_loop_variables(inp.file, closure, name)]
            span = (inp.file.start(body), inp.file.end(body))
            used = [n for n in names if _uses(inp.file, *span, n)]
            lets += [f"let {n} = {n}{method};" for n in used]
            copied = ", ".join(f"`{n}`" for n in used)
        else:
            lets.append(f"let {local} = {name}{method};")
            edits += [
                inp.edit(inp.file.start(use), inp.file.end(use), local)
                for use in _identifiers(inp.file, body, name)
            ]
            for node in inp.file.walk(body):
                if node.type == "string_content":
                    text = inp.file.node_text(node)
                    new = re.sub(rf"\{{{re.escape(name)}(?=[:}}])", "{" + local, text)
                    if new != text:
                        edits.append(inp.edit(inp.file.start(node), inp.file.end(node), new))
            copied = f"`{name}`"
    if not lets or (name == "self" and len(edits) <= 1):
        return []
    edits.append(inp.edit(at, at, "".join(f"{line}\n{indent}" for line in lets)))
    return [
        inp.candidate(
            f"Move an owned copy of {copied} into the closure",
            edits,
            score=0.6,
        )
    ]


@edit_kind("option-as-ref")
def option_as_ref(inp: RecipeInput) -> list[Candidate]:
    """`opt.unwrap()` moves the Option: borrow its contents with `.as_ref()` first."""
    span = _first(inp, "consider calling `.as_ref()`")
    if span is None:
        return []
    end = span[1]
    receiver = inp.file.text[span[0] : end]
    result = [
        inp.candidate(
            f"Borrow the contents of `{receiver}` with `.as_ref()`",
            [inp.edit(end, end, ".as_ref()")],
            score=CONFIDENT,
        ),
    ]
    if any("Option<String>" in (s.label or "") for s in inp.diagnostic.spans):
        result.append(
            inp.candidate(
                f"Borrow the contents of `{receiver}` with `.as_deref()`",
                [inp.edit(end, end, ".as_deref()")],
                score=0.5,
            )
        )
    return result


@edit_kind("borrow-moved-field")
def borrow_moved_field(inp: RecipeInput) -> list[Candidate]:
    """`let n = p.name;` moves a field out of `p`: borrow or clone the field instead."""
    moved = _first(inp, "value partially moved here")
    if moved is None:
        return []
    node = inp.file.node_at(*moved)
    if (
        node.type != "field_expression"
        or inp.file.node_text(node) != inp.file.text[moved[0] : moved[1]]
    ):
        return []
    parent = node.parent
    if parent is not None and parent.type == "field_expression":
        return []
    field = inp.file.node_text(node)
    start, end = moved
    return [
        inp.candidate(f"Borrow `{field}` instead of moving it", [inp.edit(start, start, "&")], 0.7),
        inp.candidate(
            f"Clone `{field}` instead of moving it", [inp.edit(end, end, ".clone()")], 0.6
        ),
    ]


# --- E0507: matching on a place behind a reference ----------------------------


def _binding_scope(file: SourceFile, binding: Node) -> Node | None:
    """Where a pattern binding is in scope: its match arm, or the body of its `if let`."""
    arm = file.enclosing(binding, "match_arm", "let_condition", "let_declaration")
    if arm is None:
        return None
    if arm.type == "match_arm":
        return arm.child_by_field_name("value")
    if arm.type == "let_condition":
        owner = file.enclosing(arm, "if_expression", "while_expression")
        return (
            owner.child_by_field_name("consequence" if owner.type == "if_expression" else "body")
            if owner
            else None
        )
    return arm.parent


@edit_kind("borrow-match-clone")
def borrow_match_clone(inp: RecipeInput) -> list[Candidate]:
    """`match self.state { A(name) => name }` behind `&self`: match on `&self.state`
    and clone the bindings where an owned value is needed."""
    scrutinee = inp.span_text
    if not scrutinee or scrutinee.startswith("&"):
        return []
    taken = []
    if (
        inp.captures.get("variant") == "Some"
        and "behind a mutable reference" in inp.diagnostic.message
        and _is_simple_place(scrutinee)
    ):
        # `match self.head { Some(node) => .. }` in a `&mut self` method: take the Option.
        # Taking empties the place: first choice only where the code refills it or
        # the method's name says it consumes; else after a clone that keeps it.
        owner = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "function_item")
        name_node = owner.child_by_field_name("name") if owner is not None else None
        consumes = name_node is not None and re.match(
            r"(?:pop|take|next|remove|dequeue|drain|shift|finish|close|reset|flush)",
            inp.file.node_text(name_node),
        )
        refills = owner is not None and re.search(
            rf"{re.escape(scrutinee)}\s*=[^=]", inp.file.node_text(owner)
        )
        taken.append(
            inp.candidate(
                f"Take the value out of `{scrutinee}` (leaving `None`) and match on it",
                [inp.edit(inp.end, inp.end, ".take()")],
                score=0.65 if consumes or refills else 0.5,
            )
        )
    # `match *shape` → `match shape`; `match self.state` → `match &self.state`.
    deref = scrutinee.startswith("*")
    edits = [
        inp.edit(inp.start, inp.start + 1, "") if deref else inp.edit(inp.start, inp.start, "&")
    ]
    for span in _spans(inp, "data moved here"):
        offsets = _located(inp, span)
        if offsets is None:
            continue
        binding = inp.file.node_at(*offsets)
        if binding.type != "identifier":
            continue
        scope = _binding_scope(inp.file, binding)
        if scope is None:
            continue
        name = inp.file.node_text(binding)
        for use in _identifiers(inp.file, scope, name):
            parent = use.parent
            # A method call, a field or a format argument works on the reference.
            if parent is not None and parent.type in ("field_expression", "token_tree"):
                continue
            if parent is not None and parent.type == "unary_expression":
                continue
            end = inp.file.end(use)
            edits.append(inp.edit(end, end, ".clone()"))
    if len(edits) == 1:
        return taken
    return [
        *taken,
        inp.candidate(
            f"Match on `{scrutinee[1:] if deref else '&' + scrutinee}` and clone what is moved out",
            edits,
            score=0.6,
        ),
    ]


# --- E0596 / E0594: `&` parameters that are written through ------------------


@edit_kind("mut-ref-param")
def mut_ref_param(inp: RecipeInput) -> list[Candidate]:
    """Make a `&T` parameter `&mut T`, and every caller pass `&mut x` of a `mut` binding."""
    param_name = inp.captures.get("param", "")
    if not param_name or param_name == "self":
        return []
    spans = [
        s
        for child in inp.diagnostic.children
        for s in child.spans
        if s.suggested_replacement == "mut "
    ]
    offsets = next((o for o in (_located(inp, s) for s in spans) if o is not None), None)
    if offsets is None:
        return []
    at = offsets[0]
    fn = inp.file.enclosing(inp.file.node_at(at), "function_item")
    params = fn.child_by_field_name("parameters") if fn is not None else None
    name_node = fn.child_by_field_name("name") if fn is not None else None
    if fn is None or params is None or name_node is None:
        return []
    listed = list(params.named_children)
    has_self = any(p.type == "self_parameter" for p in listed)
    plain = [p for p in listed if p.type != "self_parameter"]
    index = next(
        (i for i, p in enumerate(plain) if inp.file.start(p) <= at < inp.file.end(p)), None
    )
    if index is None:
        return []
    fn_name = inp.file.node_text(name_node)
    edits: list[Edit] = [inp.edit(at, at, "mut ")]
    for path in rust_files(inp.ctx.workspace_root):
        source = inp.source(path)
        if source is None or fn_name not in source.text:
            continue
        edits.extend(_mut_call_args(source, fn_name, index, has_self))
    return [
        inp.candidate(
            f"Take `{param_name}` as `&mut` in `{fn_name}` and pass `&mut` at its calls",
            edits,
            score=CONFIDENT,
        )
    ]


def _mut_call_args(source: SourceFile, fn_name: str, index: int, method: bool) -> list[Edit]:
    edits: list[Edit] = []
    made_mut: set[int] = set()
    for node in source.walk():
        if node.type != "call_expression":
            continue
        function = node.child_by_field_name("function")
        arguments = node.child_by_field_name("arguments")
        if function is None or arguments is None:
            continue
        if function.type == "field_expression":
            field = function.child_by_field_name("field")
            if not method or field is None or source.node_text(field) != fn_name:
                continue
        elif method or source.node_text(function).split("::")[-1] != fn_name:
            continue
        args = arguments.named_children
        if index >= len(args) or args[index].type != "reference_expression":
            continue
        arg = args[index]
        if any(c.type == "mutable_specifier" for c in arg.children):
            continue
        value = arg.child_by_field_name("value")
        if value is None:
            continue
        edits.append(Edit(source.path, source.start(arg), source.start(value), "&mut "))
        root = _root_name(source.node_text(value))
        declaration = _let_of(source, node, root)
        if declaration is not None and source.start(declaration) not in made_mut:
            made_mut.add(source.start(declaration))
            edits.append(
                Edit(source.path, source.start(declaration), source.start(declaration), "mut ")
            )
    return edits


def _let_of(source: SourceFile, use: Node, name: str) -> Node | None:
    """The identifier pattern of the last non-`mut` `let name` before `use`."""
    fn = source.enclosing(use, "function_item")
    found = None
    for node in source.walk(fn or source.root):
        if node.type != "let_declaration" or source.start(node) > source.start(use):
            continue
        pattern = node.child_by_field_name("pattern")
        if pattern is None or pattern.type != "identifier" or source.node_text(pattern) != name:
            continue
        mutable = any(c.type == "mutable_specifier" for c in node.children)
        found = None if mutable else pattern
    return found


# --- E0596 / E0594: a `&` binding that is written through -----------------------

#: Shared accessors and their `mut` counterparts.
MUT_ACCESSORS = {
    "iter": "iter_mut",
    "get": "get_mut",
    "first": "first_mut",
    "last": "last_mut",
    "values": "values_mut",
    "as_ref": "as_mut",
    "as_deref": "as_deref_mut",
    "peek": "peek_mut",
    "front": "front_mut",
    "back": "back_mut",
}


@edit_kind("mutable-lookup")
def mutable_lookup(inp: RecipeInput) -> list[Candidate]:
    """`let e = v.iter().find(..).unwrap(); e.x.push(..)`: look it up mutably
    (`iter_mut`, `get_mut`, `&mut`), and make the collection's binding `mut`."""
    name = inp.captures.get("name", "")
    fn = _function(inp.file, inp.file.node_at(inp.start, inp.end))
    if not name or fn is None:
        return []
    declaration = None
    for node in inp.file.walk(fn):
        if node.type == "let_declaration" and inp.file.end(node) <= inp.start:
            pattern = node.child_by_field_name("pattern")
            if pattern is not None and inp.file.node_text(pattern) == name:
                declaration = node
    value = declaration.child_by_field_name("value") if declaration is not None else None
    if declaration is None or value is None:
        return []
    edits: list[Edit] = []
    accessor = None
    for node in inp.file.walk(value):
        if node.type == "field_expression" and node.parent is not None:
            field = node.child_by_field_name("field")
            method = inp.file.node_text(field) if field is not None else ""
            if node.parent.type == "call_expression" and method in MUT_ACCESSORS and field:
                accessor = node
                edits.append(
                    inp.edit(inp.file.start(field), inp.file.end(field), MUT_ACCESSORS[method])
                )
                break
        if node.type == "reference_expression" and node == value:
            inner = node.child_by_field_name("value")
            if inner is not None and not any(c.type == "mutable_specifier" for c in node.children):
                accessor = node
                at = inp.file.start(inner)
                edits.append(inp.edit(inp.file.start(node), at, "&mut "))
                break
    if accessor is None:
        return []
    type_ = declaration.child_by_field_name("type")
    if (
        type_ is not None
        and inp.file.node_text(type_).startswith("&")
        and not inp.file.node_text(type_).startswith("&mut")
    ):
        edits.append(inp.edit(inp.file.start(type_), inp.file.start(type_) + 1, "&mut "))
    target = accessor.child_by_field_name("value")
    root = _root_name(inp.file.node_text(target)) if target is not None else ""
    binding = _let_of(inp.file, declaration, root) if root and root != "self" else None
    if binding is not None:
        edits.append(inp.edit(inp.file.start(binding), inp.file.start(binding), "mut "))
    return [
        inp.candidate(
            f"Look up `{name}` mutably so it can be changed",
            edits,
            score=0.7,
        )
    ]
