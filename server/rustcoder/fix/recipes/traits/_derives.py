"""Writing `#[derive(..)]` edits, shared by the derive, operator and error groups.

A derive is only right when it carries the traits it requires (`Ord` needs
`PartialOrd`, `Eq` and `PartialEq`), is merged into the type's existing derive
in the usual order, and is repeated on the local types of the fields. Adding
a derive, implementing an operator and implementing `Error` all need such a
derive, so the code that writes one is kept apart from any of them.
"""

from __future__ import annotations

import re
from pathlib import Path

from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput
from rustcoder.fix.recipes.syntax import Node, text_of, type_names
from rustcoder.fix.recipes.traits._syntax import find_local_type, implements
from rustcoder.fix.rust_syntax import SourceFile

#: Derivable std traits, in the order they are written in a derive.
DERIVABLE = ("Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default")

#: What deriving a trait needs derived too.
REQUIRES: dict[str, tuple[str, ...]] = {
    "Copy": ("Clone",),
    "Eq": ("PartialEq",),
    "PartialOrd": ("PartialEq",),
    "Ord": ("PartialOrd", "Eq", "PartialEq"),
}


def derive_attr(file: SourceFile, item: Node) -> tuple[Node, list[str]]:
    """The item's `#[derive(..)]` attribute and the traits it names."""
    for attr in file.attributes_of(item):
        text = file.node_text(attr)
        found = re.fullmatch(r"#\[\s*derive\s*\((?P<list>[^)]*)\)\s*\]", text, re.S)
        if found:
            traits = [t.strip() for t in found.group("list").split(",") if t.strip()]
            return attr, traits
    raise LookupError


def derived_traits(file: SourceFile, item: Node) -> list[str]:
    try:
        return [t.split("::")[-1] for t in derive_attr(file, item)[1]]
    except LookupError:
        return []


def derive_closure(traits: list[str]) -> list[str]:
    result: list[str] = []
    for trait in traits:
        for needed in (trait, *REQUIRES.get(trait, ())):
            if needed not in result:
                result.append(needed)
    return result


def ordered_derives(traits: list[str]) -> list[str]:
    return sorted(traits, key=lambda t: DERIVABLE.index(t) if t in DERIVABLE else len(DERIVABLE))


def derive_edits(file: SourceFile, item: Node, traits: list[str]) -> tuple[list[Edit], bool]:
    """Edits deriving `traits` on `item` (merged into its derive) and whether one was merged."""
    have = derived_traits(file, item)
    missing = ordered_derives([t for t in traits if t not in have])
    if not missing:
        return [], False
    edits: list[Edit] = []
    try:
        attr, listed = derive_attr(file, item)
    except LookupError:
        at = file.item_start(item)
        indent = file.indent_at(at)
        edits.append(Edit(file.path, at, at, f"#[derive({', '.join(missing)})]\n{indent}"))
        merged = False
    else:
        text = f"#[derive({', '.join([*listed, *missing])})]"
        edits.append(Edit(file.path, file.start(attr), file.end(attr), text))
        merged = True
    if "Default" in missing and item.type == "enum_item":
        default = _default_variant_edit(file, item)
        if default is None:
            return [], False
        edits.append(default)
    return edits, merged


def _default_variant_edit(file: SourceFile, item: Node) -> Edit | None:
    """`#[derive(Default)]` on an enum needs `#[default]` on a unit variant."""
    body = item.child_by_field_name("body")
    if body is None:
        return None
    for variant in body.named_children:
        if variant.type == "enum_variant" and variant.child_by_field_name("body") is None:
            at = file.start(variant)
            return Edit(file.path, at, at, "#[default]\n" + file.indent_at(at))
    return None


def _field_types(file: SourceFile, item: Node) -> list[str]:
    """Type texts of every field of a struct or enum (named, tuple and variant fields)."""
    result = []
    for node in file.walk(item.child_by_field_name("body") or item):
        if node.type == "field_declaration":
            type_ = node.child_by_field_name("type")
            if type_ is not None:
                result.append(file.node_text(type_))
        elif node.type == "ordered_field_declaration_list":
            for child in node.named_children:
                if child.type not in ("attribute_item", "visibility_modifier"):
                    result.append(file.node_text(child))
    return result


def derive_everywhere(
    inp: RecipeInput, file: SourceFile, item: Node, traits: list[str]
) -> tuple[list[Edit], bool, int]:
    """Derive on the type and on the local types of its fields, recursively."""
    edits: list[Edit] = []
    merged_any = False
    types = 0
    seen: set[tuple[Path, int]] = set()
    stack = [(file, item)]
    while stack and len(seen) < 12:
        current_file, current = stack.pop()
        key = (current_file.path, current.start_byte)
        if key in seen:
            continue
        seen.add(key)
        wanted = traits
        if current is not item:  # a field's type may implement some by hand
            name = text_of(current_file, current.child_by_field_name("name"))
            wanted = [t for t in traits if not implements(inp, t, name)]
        new_edits, merged = derive_edits(current_file, current, wanted)
        if new_edits:
            types += 1
        edits.extend(new_edits)
        merged_any = merged_any or merged
        for type_text in _field_types(current_file, current):
            for name in type_names(type_text):
                found = find_local_type(inp, name)
                if found is not None:
                    nested_file, nested = found
                    assert isinstance(nested, Node)
                    stack.append((nested_file, nested))
    return edits, merged_any, types


def display_impl_text(name: str) -> str:
    return (
        f"\nimpl std::fmt::Display for {name} {{\n"
        "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n"
        '        write!(f, "{:?}", self)\n'
        "    }\n"
        "}\n"
    )
