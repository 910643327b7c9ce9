"""Lifetime and type parameters an item lacks, or declares without using.

rustc's suggestion fixes the one item it points at (`<'a>` on the struct)
and leaves its `impl` blocks, struct literals and uses broken; these edit
kinds update them together: a lifetime on a struct and its impls, a
`PhantomData` field and its literals, an impl's generics copied from its type.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.items._modules import use_edit
from rustcoder.fix.recipes.items._syntax import append_fields, struct_literals
from rustcoder.fix.recipes.syntax import Node, primary_node
from rustcoder.fix.rust_syntax import SourceFile, rust_files


def _type_params_edit(file: SourceFile, item: Node, lifetime: str) -> Edit | None:
    """Declare `lifetime` on a struct, enum, fn or impl (first in its generics)."""
    params = item.child_by_field_name("type_parameters")
    if params is not None:
        if re.search(rf"{re.escape(lifetime)}\b", file.node_text(params)):
            return None
        at = file.start(params) + 1
        return Edit(file.path, at, at, f"{lifetime}, ")
    name = item.child_by_field_name("name")
    if name is None:
        return None
    at = file.end(name)
    return Edit(file.path, at, at, f"<{lifetime}>")


def _bare_references(file: SourceFile, node: Node) -> list[Node]:
    """`&T` / `&mut T` types without a lifetime, outside nested fn pointer types."""
    return [
        n
        for n in file.walk(node)
        if n.type == "reference_type"
        and not any(c.type == "lifetime" for c in n.children)
        and file.enclosing(n, "function_type") is None
    ]


def _add_lifetime_to_refs(file: SourceFile, refs: list[Node], lifetime: str) -> list[Edit]:
    return [Edit(file.path, file.start(r) + 1, file.start(r) + 1, f"{lifetime} ") for r in refs]


@edit_kind("struct-lifetime")
def struct_lifetime(inp: RecipeInput) -> list[Candidate]:
    """A reference field: give the struct a lifetime and update its `impl` blocks.

    rustc suggests `<'a>` on the struct only; the `impl Parser` blocks then
    fail (E0726), so they become `impl<'a> Parser<'a>`, and (second
    candidate) the methods' parameters of the field's type borrow for `'a`.
    """
    struct = inp.file.enclosing(primary_node(inp), "struct_item", "enum_item")
    name_node = struct.child_by_field_name("name") if struct is not None else None
    if struct is None or name_node is None:
        return []
    name = inp.file.node_text(name_node)
    lifetime = inp.captures.get("lifetime", "'a")
    params = struct.child_by_field_name("type_parameters")
    if params is not None and re.search(rf"{lifetime}\b", inp.file.node_text(params)):
        return []
    refs = _bare_references(inp.file, struct)
    edits = [e for e in [_type_params_edit(inp.file, struct, lifetime)] if e is not None]
    edits += _add_lifetime_to_refs(inp.file, refs, lifetime)
    spanned = primary_node(inp)
    if spanned.type in ("type_identifier", "scoped_type_identifier") and not refs:
        # A field whose type has a lifetime parameter: `cursor: Cursor` → `Cursor<'a>`.
        generic = (
            spanned.parent if spanned.parent and spanned.parent.type == "generic_type" else None
        )
        args = generic.child_by_field_name("type_arguments") if generic is not None else None
        if args is not None:
            at = inp.file.start(args) + 1
            edits.append(inp.edit(at, at, f"{lifetime}, "))
        else:
            edits.append(inp.edit(inp.end, inp.end, f"<{lifetime}>"))
    field_types = {re.sub(r"\s+", "", inp.file.node_text(r)) for r in refs}
    impl_edits: list[Edit] = []
    param_edits: list[Edit] = []
    for node in inp.file.walk():
        if node.type != "impl_item":
            continue
        type_node = node.child_by_field_name("type")
        if type_node is None or inp.file.node_text(type_node) != name:
            continue
        declared = _type_params_edit(inp.file, node, lifetime)
        if node.child_by_field_name("type_parameters") is None:
            at = inp.file.start(node) + len("impl")
            declared = Edit(inp.path, at, at, f"<{lifetime}>")
        if declared is not None:
            impl_edits.append(declared)
        at = inp.file.end(type_node)
        impl_edits.append(inp.edit(at, at, f"<{lifetime}>"))
        for fn in inp.file.walk(node):
            if fn.type != "function_item":
                continue
            fn_params = fn.child_by_field_name("parameters")
            if fn_params is None:
                continue
            same = [
                r
                for r in _bare_references(inp.file, fn_params)
                if re.sub(r"\s+", "", inp.file.node_text(r)) in field_types
            ]
            param_edits += _add_lifetime_to_refs(inp.file, same, lifetime)
    title = f"Give `{name}` a lifetime parameter `{lifetime}`"
    result = [inp.candidate(title, edits + impl_edits, score=0.6)]
    if param_edits:
        result.insert(
            0,
            inp.candidate(
                title + " (and borrow constructor arguments for it)",
                edits + impl_edits + param_edits,
                score=0.62,
            ),
        )
    return result


def _marker_type(file: SourceFile, struct: Node, body: Node, param: str) -> str:
    """`PhantomData<T>`, or of a tuple of every parameter no field mentions."""
    params = struct.child_by_field_name("type_parameters")
    fields = file.node_text(body)
    unused = []
    for child in params.named_children if params is not None else []:
        if child.type == "const_parameter":
            continue
        name = child.child_by_field_name("name") or child
        text = file.node_text(name).split(":")[0].strip()
        if text and not re.search(rf"(?<![\w']){re.escape(text)}\b", fields):
            unused.append(f"&{text} ()" if text.startswith("'") else text)
    if param not in file.node_text(params or struct) or len(unused) < 2:
        unused = [f"&{param} ()" if param.startswith("'") else param]
    inner = unused[0] if len(unused) == 1 else f"({', '.join(unused)})"
    return f"PhantomData<{inner}>"


@edit_kind("phantom-data")
def phantom_data(inp: RecipeInput) -> list[Candidate]:
    """An unused type or lifetime parameter: hold it in a `PhantomData` field.

    Struct literals of the type get `_marker: PhantomData` too.
    """
    param = inp.captures["param"]
    struct = inp.file.enclosing(primary_node(inp), "struct_item")
    name_node = struct.child_by_field_name("name") if struct is not None else None
    body = struct.child_by_field_name("body") if struct is not None else None
    if struct is None or name_node is None or body is None:
        return []
    if body.type != "field_declaration_list":
        return []
    marker = _marker_type(inp.file, struct, body, param)
    field_edits = append_fields(inp.file, body, [f"_marker: {marker}"])
    if not field_edits:
        return []
    edits = list(field_edits)
    if not re.search(r"\buse\s+std::marker::(?:PhantomData|\{[^}]*PhantomData)", inp.file.text):
        edits.append(use_edit(inp.file, inp.file.start(struct), "std::marker::PhantomData"))
    sname = inp.file.node_text(name_node)
    for path in rust_files(inp.ctx.workspace_root, limit=500):
        source = inp.source(path)
        if source is None or sname not in source.text:
            continue
        for lit in struct_literals(source, sname):
            lit_body = lit.child_by_field_name("body")
            if lit_body is None or any(
                c.type == "base_field_initializer" for c in lit_body.named_children
            ):
                continue
            edits.extend(append_fields(source, lit_body, ["_marker: PhantomData"]) or [])
    return [inp.candidate(None, edits, score=0.6)]


@edit_kind("impl-generics")
def impl_generics(inp: RecipeInput) -> list[Candidate]:
    """`impl Stack {` for `struct Stack<T>`: `impl<T> Stack<T> {`, bounds copied from the struct."""
    node = primary_node(inp)
    impl = inp.file.enclosing(node, "impl_item")
    type_node = impl.child_by_field_name("type") if impl is not None else None
    if impl is None or type_node is None:
        return []
    if impl.child_by_field_name("type_parameters") is not None:
        return []
    # Either the type itself (E0107), or a parameter of it used inside (E0425 `T`).
    used_param = inp.captures.get("param")
    if used_param is None and inp.file.node_text(type_node) != inp.span_text:
        return []
    type_name = inp.file.node_text(type_node)
    if "<" in type_name:
        return []
    source, item = need(inp.find_type(type_name.split("::")[-1]))
    assert isinstance(item, Node)
    params = need(item.child_by_field_name("type_parameters"))
    declared, names = [], []
    for param in params.named_children:
        text = source.node_text(param)
        # Defaults (`T = u8`) belong to the type only; bounds are needed on the impl too.
        declared.append(re.sub(r"\s*=\s*[^,>]+$", "", text))
        name = re.sub(r"^const\s+", "", text).split(":")[0].split("=")[0].strip()
        names.append(name)
    if not names or (used_param is not None and used_param not in names):
        return []
    keyword = need(re.search(r"\bimpl\b", inp.file.node_text(impl)))
    at = inp.file.start(impl) + keyword.end()
    edits = [
        inp.edit(at, at, f"<{', '.join(declared)}>"),
        inp.edit(inp.file.end(type_node), inp.file.end(type_node), f"<{', '.join(names)}>"),
    ]
    title = f"Declare the generic parameters: `impl<{', '.join(declared)}>`"
    # For a parameter name, rustc's "similar name" is some unrelated local.
    return [inp.candidate(title, edits, score=CONFIDENT if used_param else 0.6)]
