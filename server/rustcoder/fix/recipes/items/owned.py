"""A reference with nothing to borrow from: own the data instead.

A reference field without a lifetime, or a returned reference to a local,
compiles once the type is owned (`&str` → `String`); every value stored in
the field or returned from the fn then gets the matching conversion.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.items._syntax import struct_literals
from rustcoder.fix.recipes.syntax import Node, primary_node
from rustcoder.fix.rust_syntax import SourceFile


def _owned(type_text: str) -> tuple[str, str] | None:
    """An owned type for a reference type, with the conversion from the reference."""
    text = re.sub(r"^&\s*(?:'\w+\s+)?(?:mut\s+)?", "", type_text.strip())
    if not type_text.strip().startswith("&"):
        return None
    if text == "str":
        return "String", ".to_string()"
    slice_match = re.fullmatch(r"\[(.+)\]", text)
    if slice_match:
        return f"Vec<{slice_match.group(1)}>", ".to_vec()"
    if text in ("Path",):
        return "PathBuf", ".to_path_buf()"
    return text, ".clone()"


@edit_kind("owned-field")
def owned_field(inp: RecipeInput) -> list[Candidate]:
    """A reference field without a lifetime: own the data (`&str` → `String`).

    Struct literals that fill the field get the matching conversion.
    """
    ref = inp.file.enclosing(primary_node(inp), "reference_type")
    field = inp.file.enclosing(ref, "field_declaration")
    struct = inp.file.enclosing(field, "struct_item")
    if ref is None or field is None or struct is None:
        return []
    owned = _owned(inp.file.node_text(ref))
    field_name = field.child_by_field_name("name")
    struct_name = struct.child_by_field_name("name")
    if owned is None or field_name is None or struct_name is None:
        return []
    new_type, conversion = owned
    fname = inp.file.node_text(field_name)
    sname = inp.file.node_text(struct_name)
    edits = [inp.edit(inp.file.start(ref), inp.file.end(ref), new_type)]
    for lit in struct_literals(inp.file, sname):
        body = lit.child_by_field_name("body")
        for init in body.named_children if body is not None else []:
            if init.type == "shorthand_field_initializer" and inp.file.node_text(init) == fname:
                at = inp.file.end(init)
                edits.append(inp.edit(at, at, f": {fname}{conversion}"))
            elif init.type == "field_initializer":
                key = init.child_by_field_name("field")
                value = init.child_by_field_name("value")
                if key is not None and value is not None and inp.file.node_text(key) == fname:
                    edits.extend(_convert_expr(inp, value, conversion))
    return [inp.candidate(f"Make `{sname}.{fname}` an owned `{new_type}`", edits, score=0.5)]


def _convert_expr(inp: RecipeInput, value: Node, conversion: str) -> list[Edit]:
    text = inp.file.node_text(value)
    if value.type == "reference_expression" and conversion == ".to_string()":
        inner = value.named_children[-1]
        start = inp.file.start(value)
        return [inp.edit(start, inp.file.end(value), f"{inp.file.node_text(inner)}{conversion}")]
    at = inp.file.end(value)
    if value.type in ("binary_expression", "range_expression", "unary_expression") or (
        value.type == "reference_expression"
    ):
        start = inp.file.start(value)
        return [inp.edit(start, at, f"({text}){conversion}")]
    return [inp.edit(at, at, conversion)]


def _block_tail(file: SourceFile, block: Node) -> Node | None:
    """The value a `{ ... }` block ends with, if any."""
    named = [c for c in block.named_children if c.type not in ("line_comment", "block_comment")]
    if not named:
        return None
    tail = named[-1]
    if tail.type == "expression_statement":
        text = file.node_text(tail).rstrip()
        return tail.named_children[0] if tail.named_children and not text.endswith(";") else None
    if tail.type == "let_declaration" or tail.type.endswith("_item"):
        return None
    return tail


def _leaf_values(file: SourceFile, node: Node | None) -> list[Node]:
    """The expressions that produce a value: through `if`/`match` branches and blocks."""
    if node is None:
        return []
    if node.type == "block":
        return _leaf_values(file, _block_tail(file, node))
    if node.type == "if_expression":
        leaves = _leaf_values(file, node.child_by_field_name("consequence"))
        alternative = node.child_by_field_name("alternative")
        if alternative is not None and alternative.named_children:
            leaves += _leaf_values(file, alternative.named_children[0])
        return leaves
    if node.type == "match_expression":
        body = node.child_by_field_name("body")
        leaves = []
        for arm in body.named_children if body is not None else []:
            if arm.type == "match_arm":
                leaves += _leaf_values(file, arm.child_by_field_name("value"))
        return leaves
    if node.type in ("return_expression", "macro_invocation") and file.node_text(node).startswith(
        ("return", "panic!", "todo!", "unreachable!", "unimplemented!")
    ):
        return []
    return [node]


def _returned_exprs(file: SourceFile, body: Node) -> list[Node]:
    """The values a fn body returns: its tail and `return` values (not those of closures)."""
    result = _leaf_values(file, body)
    for node in file.walk(body):
        if (
            node.type == "return_expression"
            and node.named_children
            and file.enclosing(node, "closure_expression", "function_item") == body.parent
        ):
            result += _leaf_values(file, node.named_children[0])
    return result


@edit_kind("owned-return-type")
def owned_return_type(inp: RecipeInput) -> list[Candidate]:
    """A returned reference with nothing to borrow from: return an owned value."""
    fn = inp.file.enclosing(primary_node(inp), "function_item")
    ret = fn.child_by_field_name("return_type") if fn is not None else None
    body = fn.child_by_field_name("body") if fn is not None else None
    if ret is None or body is None or ret.type != "reference_type":
        return []
    owned = need(_owned(inp.file.node_text(ret)))
    new_type, conversion = owned
    returned = _returned_exprs(inp.file, body)
    if not returned:
        return []
    # rustc suggests `&'static`, which only holds for literals; for anything
    # else it swaps this error for E0515, so the owned return goes first.
    literal = ("string_literal", "raw_string_literal")
    score = 0.5 if all(e.type in literal for e in returned) else CONFIDENT
    result = []
    for strip_refs in (True, False):
        edits = [inp.edit(inp.file.start(ret), inp.file.end(ret), new_type)]
        for expr in returned:
            inner = expr.named_children[-1] if expr.named_children else None
            viewed = re.fullmatch(r"(\w+)\.as_(?:str|slice|path)\(\)", inp.file.node_text(expr))
            if strip_refs and viewed:
                # `s.as_str()` of a local `String`: return `s` itself.
                edits.append(inp.edit(inp.file.start(expr), inp.file.end(expr), viewed.group(1)))
            elif (
                strip_refs
                and expr.type == "reference_expression"
                and inner is not None
                and inner.type == "identifier"
            ):
                edits.append(inp.edit(inp.file.start(expr), inp.file.start(inner), ""))
            else:
                edits.extend(_convert_expr(inp, expr, conversion))
        result.append(
            inp.candidate(f"Return an owned `{new_type}` instead of a reference", edits, score)
        )
        score -= 0.01
    return result
