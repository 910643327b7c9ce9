"""Just enough Rust syntax for recipes: items, their attributes, fields, uses.

tree-sitter-rust parses even broken code (that is the normal state of a file
with a compile error), and gives exact item boundaries: where a derive goes,
where a `use` goes, which function encloses a span. Offsets here are
character offsets into the text, like the fix engine's edits.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tree_sitter
import tree_sitter_rust

TYPE_ITEMS = ("struct_item", "enum_item", "union_item")


@functools.cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_rust.language()))


@dataclass
class SourceFile:
    path: Path
    text: str

    def __post_init__(self) -> None:
        self.data = self.text.encode("utf-8")
        self.tree = _parser().parse(self.data)
        self._ascii = self.text.isascii()

    @property
    def root(self) -> tree_sitter.Node:
        return self.tree.root_node

    # --- offsets -------------------------------------------------------------

    def char(self, byte_offset: int) -> int:
        if self._ascii:
            return byte_offset
        return len(self.data[:byte_offset].decode("utf-8", errors="ignore"))

    def byte(self, char_offset: int) -> int:
        if self._ascii:
            return char_offset
        return len(self.text[:char_offset].encode("utf-8"))

    def start(self, node: tree_sitter.Node) -> int:
        return self.char(node.start_byte)

    def end(self, node: tree_sitter.Node) -> int:
        return self.char(node.end_byte)

    def node_text(self, node: tree_sitter.Node) -> str:
        return self.data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")

    def line_start(self, char_offset: int) -> int:
        return self.text.rfind("\n", 0, char_offset) + 1

    def indent_at(self, char_offset: int) -> str:
        start = self.line_start(char_offset)
        line = self.text[start:char_offset]
        return line[: len(line) - len(line.lstrip())]

    # --- navigation ------------------------------------------------------------

    def node_at(self, start: int, end: int | None = None) -> tree_sitter.Node:
        """The smallest named node covering [start, end)."""
        b_start = self.byte(start)
        b_end = self.byte(end if end is not None else start)
        node = self.root.named_descendant_for_byte_range(b_start, max(b_start, b_end))
        return node if node is not None else self.root

    def enclosing(self, node: tree_sitter.Node | None, *types: str) -> tree_sitter.Node | None:
        while node is not None and node.type not in types:
            node = node.parent
        return node

    def walk(self, node: tree_sitter.Node | None = None) -> Iterator[tree_sitter.Node]:
        stack = [node or self.root]
        while stack:
            current = stack.pop()
            yield current
            stack.extend(reversed(current.children))

    def type_definition(self, name: str) -> tree_sitter.Node | None:
        """The struct, enum or union named `name` in this file."""
        for node in self.walk():
            if node.type in TYPE_ITEMS:
                ident = node.child_by_field_name("name")
                if ident is not None and self.node_text(ident) == name:
                    return node
        return None

    def function(self, name: str) -> tree_sitter.Node | None:
        for node in self.walk():
            if node.type in ("function_item", "function_signature_item"):
                ident = node.child_by_field_name("name")
                if ident is not None and self.node_text(ident) == name:
                    return node
        return None

    def attributes_of(self, item: tree_sitter.Node) -> list[tree_sitter.Node]:
        """Outer attributes (`#[...]`) directly above an item."""
        result = []
        sibling = item.prev_sibling
        while sibling is not None and sibling.type in (
            "attribute_item",
            "line_comment",
            "block_comment",
        ):
            if sibling.type == "attribute_item":
                result.append(sibling)
            sibling = sibling.prev_sibling
        return list(reversed(result))

    def item_start(self, item: tree_sitter.Node) -> int:
        """Where text inserted "above the item" goes (before its attributes)."""
        attributes = self.attributes_of(item)
        first = attributes[0] if attributes else item
        return self.start(first)

    def use_insertion_offset(self) -> int:
        """After the last top-level `use`, else after inner attributes and `//!` docs."""
        last_use = None
        offset = 0
        for child in self.root.children:
            if child.type == "use_declaration":
                last_use = child
            elif last_use is None and (
                child.type == "inner_attribute_item"
                or (child.type == "line_comment" and self.node_text(child).startswith("//!"))
            ):
                offset = self.end(child)
        if last_use is not None:
            offset = self.end(last_use)
        if offset:
            nl = self.text.find("\n", offset)
            return len(self.text) if nl < 0 else nl + 1
        return 0

    def struct_fields(self, item: tree_sitter.Node) -> list[tuple[str, str]]:
        """(name, type) of a struct's named fields."""
        body = item.child_by_field_name("body")
        if body is None or body.type != "field_declaration_list":
            return []
        fields = []
        for child in body.named_children:
            if child.type == "field_declaration":
                name = child.child_by_field_name("name")
                type_ = child.child_by_field_name("type")
                if name is not None and type_ is not None:
                    fields.append((self.node_text(name), self.node_text(type_)))
        return fields


def rust_files(root: Path, limit: int = 2000) -> Iterator[Path]:
    """Rust sources of a workspace, skipping build output."""
    count = 0
    for path in sorted(root.rglob("*.rs")):
        parts = path.relative_to(root).parts
        if any(p == "target" or p.startswith(".") for p in parts):
            continue
        count += 1
        if count > limit:
            return
        yield path
