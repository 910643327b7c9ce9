"""The syntax toolkit every family of edit kinds shares.

Edit kinds find the node rustc points at, climb to the statement or item
around it, cut or insert whole lines and name types the way rustc prints
them. These operations are the same whatever the error, so they live here
once; a family module keeps only what is particular to its errors (field
lists for items, derives for traits, type text for types, bindings for
ownership).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import tree_sitter

from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput
from rustcoder.fix.rust_syntax import SourceFile

Node = tree_sitter.Node

INTEGERS = ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize")
FLOATS = ("f32", "f64")
NUMERIC = frozenset(INTEGERS + FLOATS)

_IDENT = re.compile(r"[A-Za-z_]\w*")


# --- nodes --------------------------------------------------------------------------------


def primary_node(inp: RecipeInput) -> Node:
    """The smallest node covering the diagnostic's primary span."""
    return inp.file.node_at(inp.start, inp.end)


def text_of(file: SourceFile, node: Node | None) -> str:
    """The node's source text ("" for no node)."""
    return file.node_text(node) if node is not None else ""


def child_of_type(node: Node | None, *types: str) -> Node | None:
    """The first direct child of one of `types`."""
    if node is None:
        return None
    return next((c for c in node.children if c.type in types), None)


def fields_of(node: Node, *names: str) -> list[Node] | None:
    """The children of `node` under the field `names`, or None when one is missing."""
    found = [node.child_by_field_name(name) for name in names]
    return None if any(f is None for f in found) else [f for f in found if f is not None]


def nodes_of_type(file: SourceFile, node_type: str, root: Node | None = None) -> Iterator[Node]:
    """Every node of `node_type` in the file (or under `root`), in `walk` order."""
    return (n for n in file.walk(root) if n.type == node_type)


def statement_of(file: SourceFile, node: Node | None) -> Node | None:
    """The statement (a direct child of a block) that contains `node`."""
    while node is not None and node.parent is not None:
        if node.parent.type == "block":
            return node if node.type not in ("{", "}") else None
        node = node.parent
    return None


def enclosing_fn(inp: RecipeInput) -> Node | None:
    """The function around the primary span; None when a closure comes first."""
    node: Node | None = primary_node(inp)
    while node is not None:
        if node.type == "closure_expression":
            return None
        if node.type == "function_item":
            return node
        node = node.parent
    return None


# --- lines --------------------------------------------------------------------------------


def next_line_start(text: str, offset: int) -> int:
    """The offset just after the newline that ends the line `offset` is on."""
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def item_end_line(file: SourceFile, item: Node) -> int:
    """The offset just after the line an item ends on."""
    return next_line_start(file.text, file.end(item))


def line_span(file: SourceFile, node: Node) -> tuple[int, int]:
    """From the start of the node's first line to after its last line's newline."""
    return file.line_start(file.start(node)), item_end_line(file, node)


def alone_on_lines(file: SourceFile, node: Node) -> bool:
    """Whether nothing but white space shares the node's lines."""
    start, end = line_span(file, node)
    return (
        file.text[start : file.start(node)].strip() == ""
        and file.text[file.end(node) : end].strip() == ""
    )


def indent_unit(file: SourceFile) -> str:
    """One level of indentation as the file writes it (four spaces when it has none)."""
    found = re.search(r"^( +|\t)\S", file.text, re.M)
    return found.group(1) if found else "    "


def insert_items_after(file: SourceFile, item: Node, text: str) -> Edit:
    """Insert `text` (new items, each after a blank line) below `item`, blank line after."""
    at = item_end_line(file, item)
    if at == len(file.text) and not file.text.endswith("\n"):
        text = "\n" + text
    if file.text[at : at + 1] not in ("\n", ""):
        text += "\n"
    return Edit(file.path, at, at, text)


# --- type text ----------------------------------------------------------------------------


def type_names(type_text: str) -> list[str]:
    """Candidate type names in a type as rustc prints it, outermost first."""
    names = []
    for word in _IDENT.findall(type_text):
        if word in ("dyn", "mut", "impl", "static", "std", "crate", "self", "super"):
            continue
        if word not in names:
            names.append(word)
    return names


def last_segment(type_text: str) -> str:
    """`std::collections::HashMap<K, V>` → `HashMap`."""
    return re.sub(r"<.*", "", type_text).split("::")[-1].strip()


def struct_name(text: str) -> str:
    """The name a struct expression or path is written with: `a::Point::<T>` → `Point`."""
    return re.split(r"::<|<", text)[0].split("::")[-1].strip()


def split_top(text: str) -> list[str]:
    """Split generic arguments at top-level commas: `A<B, C>, D` → [`A<B, C>`, `D`]."""
    parts, depth, current = [], 0, ""
    for ch in text.replace("->", "\0"):
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return [part.replace("\0", "->") for part in parts]
