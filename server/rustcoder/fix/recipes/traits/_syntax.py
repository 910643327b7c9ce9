"""Syntax lookups shared by the trait edit kinds.

Almost every trait error names a type, a function or a call that the edit has
to find before it can write anything: the local type rustc printed, the item
it lives in, the method call at it. These lookups are the same whichever
trait is missing, so they live here once instead of in each group (what
every family uses is in `recipes/syntax.py`).
"""

from __future__ import annotations

import re

from rustcoder.fix.recipes.base import RecipeInput
from rustcoder.fix.recipes.syntax import NUMERIC, Node, last_segment, text_of, type_names
from rustcoder.fix.rust_syntax import SourceFile, rust_files


def find_local_type(inp: RecipeInput, name: str) -> tuple[SourceFile, object] | None:
    """`inp.find_type`, after a cheap text search (it parses every file it looks at)."""
    if not re.fullmatch(r"[A-Za-z_]\w*", name) or name in NUMERIC:
        return None
    defined = re.compile(rf"\b(?:struct|enum|union)\s+{re.escape(name)}\b")
    if defined.search(inp.file.text):
        return inp.find_type(name)
    for path in rust_files(inp.ctx.workspace_root):
        text = inp.ctx.read_text(path)
        if text is not None and defined.search(text):
            return inp.find_type(name)
    return None


def local_type(inp: RecipeInput, type_text: str) -> tuple[SourceFile, Node] | None:
    """The definition of the first local type named in `type_text`."""
    for name in type_names(type_text):
        found = find_local_type(inp, name)
        if found is not None:
            file, node = found
            assert isinstance(node, Node)
            return file, node
    return None


def result_error_type(file: SourceFile, fn: Node) -> Node | None:
    """The `E` node of a function returning `Result<T, E>`."""
    ret = fn.child_by_field_name("return_type")
    if ret is None or ret.type != "generic_type":
        return None
    if last_segment(text_of(file, ret.child_by_field_name("type"))) != "Result":
        return None
    args = ret.child_by_field_name("type_arguments")
    named = [c for c in args.named_children] if args is not None else []
    return named[1] if len(named) == 2 else None


def call_parts(file: SourceFile, start: int, end: int) -> tuple[Node, str, Node] | None:
    """For a method name span: (the call, the method name, its arguments)."""
    node: Node | None = file.node_at(start, end)
    if node is not None and node.type == "generic_function":  # `collect::<Vec<_>>`
        access_node = node.child_by_field_name("function")
        node = access_node.child_by_field_name("field") if access_node is not None else None
    field = node if node is not None and node.type == "field_identifier" else None
    if field is None:
        return None
    access = field.parent
    call = access.parent if access is not None else None
    if access is None or access.type != "field_expression" or call is None:
        return None
    if call.type == "generic_function":
        call = call.parent
    if call is None or call.type != "call_expression":
        return None
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    return call, file.node_text(field), args


def declared_fields(file: SourceFile, item: Node) -> tuple[list[tuple[str, str]], bool]:
    """(field, type) of a struct (tuple fields named `0`, `1`...), and whether it is a tuple."""
    body = item.child_by_field_name("body")
    if item.type != "struct_item" or body is None:
        return [], False
    if body.type == "field_declaration_list":
        return file.struct_fields(item), False
    skip = ("attribute_item", "visibility_modifier")
    types = [file.node_text(c) for c in body.named_children if c.type not in skip]
    return [(str(i), t) for i, t in enumerate(types)], True


def implements(inp: RecipeInput, trait: str, name: str) -> bool:
    """Whether some file of the workspace has `impl ...Trait for Name`."""
    pattern = re.compile(rf"\bimpl\b[^{{;]*\b{trait}\s+for\s+{re.escape(name)}\b")
    for path in rust_files(inp.ctx.workspace_root):
        text = inp.ctx.read_text(path)
        if text is not None and name in text and pattern.search(text):
            return True
    return False
