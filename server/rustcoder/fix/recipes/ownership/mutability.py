"""E0596 / E0594: `&` references that are written through.

rustc's help makes a signature `&mut` but leaves its callers passing `&x`, so
the edit cannot compile alone. These kinds change the whole chain: the
parameter and every call's argument and binding, or a lookup made mutable
(`iter_mut`, `get_mut`, `&mut`) together with the collection's binding.
"""

from __future__ import annotations

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.ownership._common import enclosing_function, root_name
from rustcoder.fix.recipes.syntax import Node, fields_of, nodes_of_type
from rustcoder.fix.rust_syntax import SourceFile, rust_files

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
    offsets = need(next((o for o in (inp.offsets_here(s) for s in spans) if o is not None), None))
    at = offsets[0]
    fn = inp.file.enclosing(inp.file.node_at(at), "function_item")
    params = fn.child_by_field_name("parameters") if fn is not None else None
    name_node = fn.child_by_field_name("name") if fn is not None else None
    if fn is None or params is None or name_node is None:
        return []
    listed = list(params.named_children)
    has_self = any(p.type == "self_parameter" for p in listed)
    plain = [p for p in listed if p.type != "self_parameter"]
    index = need(
        next((i for i, p in enumerate(plain) if inp.file.start(p) <= at < inp.file.end(p)), None)
    )
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
    for node in nodes_of_type(source, "call_expression"):
        parts = fields_of(node, "function", "arguments")
        if parts is None:
            continue
        function, arguments = parts
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
        root = root_name(source.node_text(value))
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
    fn = enclosing_function(inp.file, inp.file.node_at(inp.start, inp.end))
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
    root = root_name(inp.file.node_text(target)) if target is not None else ""
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
