"""Accessor methods called but never written: `get_name()`, `set_qty(3)`, `is_active()`.

Programs written by language models often call the getters and setters they
would have written in another language. When the struct has the field the
name points at, the method's whole body follows from it (read the field,
borrow it, or store the argument in it), so writing the method is a real
fix, not a stub. Other names get nothing.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.items.generated import add_to_impl
from rustcoder.fix.recipes.local_types import generic_args_of
from rustcoder.fix.recipes.syntax import NUMERIC, Node, indent_unit, primary_node, struct_name
from rustcoder.fix.recipes.types._syntax import viewed
from rustcoder.fix.rust_syntax import SourceFile

_COPY = NUMERIC | {"bool", "char"}


def _getters(field: str, type_: str) -> list[tuple[str, str]]:
    """(return type, body) of the getters of a field, the borrowing one first."""
    if type_ in _COPY:
        return [(type_, f"self.{field}")]
    if type_ == "String":
        return [("&str", f"&self.{field}"), ("String", f"self.{field}.clone()")]
    parts = generic_args_of(type_)
    if parts is not None and parts[0] == "Vec" and parts[1]:
        return [
            (f"&[{parts[1][0]}]", f"&self.{field}"),
            (f"&{type_}", f"&self.{field}"),
            (type_, f"self.{field}.clone()"),
        ]
    if parts is not None and parts[0] == "Option" and parts[1] and parts[1][0] in _COPY:
        return [(type_, f"self.{field}")]
    return [(f"&{type_}", f"&self.{field}"), (type_, f"self.{field}.clone()")]


def _accessors(method: str, fields: dict[str, str]) -> list[tuple[str, str, str]]:
    """(parameters, return type, body) for each plausible accessor named `method`."""
    found = re.fullmatch(r"(?:(?P<kind>get|set|is|has)_)?(?P<field>\w+?)(?P<mut>_mut)?", method)
    if found is None:
        return []
    kind, field, mutable = found.group("kind"), found.group("field"), found.group("mut")
    if field not in fields:
        return []
    type_ = fields[field]
    if mutable and kind in (None, "get"):
        return [("&mut self", f" -> &mut {type_}", f"&mut self.{field}")]
    if kind == "set":
        return [(f"&mut self, {field}: {type_}", "", f"self.{field} = {field};")]
    if kind in ("is", "has"):
        return [("&self", " -> bool", f"self.{field}")] if type_ == "bool" else []
    if kind == "get":
        return [("&self", f" -> {ret}", body) for ret, body in _getters(field, type_)]
    return []


def _field_of(method: str) -> str:
    found = re.fullmatch(r"(?:(?:get|set|is|has)_)?(?P<field>\w+?)(?:_mut)?", method)
    return found.group("field") if found else method


def _method_names(source: SourceFile, name: str) -> set[str]:
    """Names of the fns in every impl of the type `name` (trait impls included)."""
    names = set()
    for node in source.walk():
        type_ = node.child_by_field_name("type") if node.type == "impl_item" else None
        body = node.child_by_field_name("body") if type_ is not None else None
        if type_ is None or body is None or source.node_text(type_).split("<")[0] != name:
            continue
        for item in body.named_children:
            ident = item.child_by_field_name("name") if item.type == "function_item" else None
            if ident is not None:
                names.add(source.node_text(ident))
    return names


@edit_kind("generate-accessor", prepare=viewed)
def generate_accessor(inp: RecipeInput) -> list[Candidate]:
    """`item.get_name()` on a struct with a field `name`: write the accessor it calls."""
    method = inp.captures.get("name", "")
    name = struct_name(inp.captures.get("type") or inp.captures.get("rtype") or "")
    source, item = need(inp.find_type(name))
    assert isinstance(item, Node)
    if item.type != "struct_item" or primary_node(inp).type != "field_identifier":
        return []
    fields = dict(source.struct_fields(item))
    field = _field_of(method)
    # A method for this field exists under another name: renaming the call is the fix.
    if any(_field_of(other) == field for other in _method_names(source, name)):
        return []
    unit = indent_unit(source)
    result = []
    for i, (params, returns, body) in enumerate(_accessors(method, fields)):
        signature = f"fn {method}({params}){returns}"
        public = "pub " if source.node_text(item).startswith("pub") else ""
        text = f"{unit}{public}{signature} {{\n{unit * 2}{body}\n{unit}}}\n"
        edit = add_to_impl(inp, source, item, name, text)
        if edit is not None:
            shown = signature.removeprefix("fn ")
            result.append(inp.candidate(f"Write `{name}::{shown}`", [edit], 0.7 - 0.05 * i))
    return result
