"""E0597 / E0716 / E0515: values that die while a reference to them is still needed.

Each kind makes the value live long enough instead of the reference shorter:
store (or return) the owned value and adjust the declared type, declare the
binding before the block that ends it, or give a temporary a `let`.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.ownership._common import (
    LOOPS,
    changed_in,
    enclosing_function,
    first_labelled,
    fresh_name,
    move_statement,
    names_in,
)
from rustcoder.fix.recipes.syntax import Node, fields_of, nodes_of_type, statement_of
from rustcoder.fix.rust_syntax import SourceFile

# --- E0597 / E0716: values that die too early ----------------------------------


def _owned_type(type_text: str) -> str:
    """`Vec<&str>` → `Vec<String>`, `Vec<&Item>` → `Vec<Item>`: the owned element type."""
    text = re.sub(r"&(?:'\w+\s+)?(?:mut\s+)?str\b", "String", type_text)
    text = re.sub(r"&(?:'\w+\s+)?(?:mut\s+)?\[([^\[\]]+)\]", r"Vec<\1>", text)
    return re.sub(r"&(?:'\w+\s+)?(?:mut\s+)?", "", text)


def _declared_type(file: SourceFile, scope: Node | None, name: str) -> Node | None:
    """The type annotation of `let name: T` in `scope`."""
    for node in nodes_of_type(file, "let_declaration", scope):
        parts = fields_of(node, "pattern", "type")
        if parts is None:
            continue
        pattern, type_ = parts
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
        located = first_labelled(inp, f"`{name}` is borrowed here")
        borrow = _borrow_of(inp.file, *located, name) if located is not None else None
    if borrow is None:
        return []
    fn = enclosing_function(inp.file, borrow)
    holder = None
    for span in inp.labelled("declared here", "later used here", "returns a value referencing"):
        label = span.label or ""
        named = re.search(r"variable `(\w+)` declared here", label)
        if named:
            holder = named.group(1)
            break
        offsets = inp.offsets_here(span)
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
    declared = first_labelled(inp, f"binding `{name}` declared here")
    later = first_labelled(inp, "later used here")
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
    read = names_in(inp.file, value) if value is not None else set()
    skipped = (inp.file.start(anchor), inp.file.start(declaration))
    if any(changed_in(inp.file, *skipped, n) for n in read):
        return []
    edits = move_statement(inp.file, declaration, anchor, before=True)
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
    statement = need(statement_of(inp.file, inp.file.node_at(inp.start, inp.end)))
    name = fresh_name(
        inp.file, enclosing_function(inp.file, statement), _binding_name(expr), "owned"
    )
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
