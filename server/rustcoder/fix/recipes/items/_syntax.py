"""Helpers shared by the item edit kinds: labelled places and field-list edits.

Several themes need the same small operations beyond the shared toolkit
(`recipes/syntax.py`): the places rustc labels, adding entries to a
`{ ... }` field list while keeping its layout, the struct literals of a type;
they live here so that each theme's module holds only its own edit kinds.
"""

from __future__ import annotations

from pathlib import Path

from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput
from rustcoder.fix.recipes.syntax import Node, indent_unit, nodes_of_type, struct_name
from rustcoder.fix.rust_syntax import SourceFile


def labelled_places(inp: RecipeInput, label_part: str) -> list[tuple[Path, int, int]]:
    """Where spans (of the diagnostic or its children) labelled or noted with `label_part` are."""
    spans = [s for s in inp.diagnostic.spans if s.label and label_part in s.label]
    spans += inp.child_spans(label_part)
    result = []
    for span in spans:
        located = inp.span_offsets(span)
        if located is not None:
            result.append(located)
    return result


_NOT_ENTRIES = ("base_field_initializer", "line_comment", "block_comment", "attribute_item")


def after_trailing_comment(text: str, at: int) -> int:
    """`at`, or the end of its line when only a `//` comment (or nothing) follows on it."""
    line_end = text.find("\n", at)
    if line_end < 0:
        return at
    rest = text[at:line_end].strip()
    return line_end if rest == "" or rest.startswith("//") else at


def append_fields(
    file: SourceFile, body: Node, entries: list[str], rest: str | None = None
) -> list[Edit] | None:
    """Add `entries` (`name: value`) and then `rest` (`..base`, no comma after it) at the
    end of a `{ ... }` field list, keeping its layout (one per line or all on one line)."""
    close = body.children[-1] if body.children else None
    if close is None or close.type != "}":
        return None
    inner = [c for c in body.named_children if c.type not in _NOT_ENTRIES]
    base = next((c for c in body.named_children if c.type == "base_field_initializer"), None)
    if base is not None:
        if rest is not None:
            return None
        # Fields go before `..base`.
        at = file.start(base)
        indent = file.indent_at(at) if file.text[file.line_start(at) : at].strip() == "" else ""
        sep = f"\n{indent}" if indent else " "
        return [Edit(file.path, at, at, "".join(f"{e},{sep}" for e in entries))]
    close_at = file.start(close)
    multiline = "\n" in file.text[file.start(body) : close_at]
    last_end = file.end(inner[-1]) if inner else file.start(body) + 1
    has_comma = file.text[last_end:close_at].lstrip().startswith(",")
    comma_end = file.text.index(",", last_end) + 1 if has_comma else last_end
    if multiline:
        items = [f"{e}," for e in entries] + ([rest] if rest else [])
        if inner:
            indent = file.indent_at(file.start(inner[0]))
        else:
            indent = file.indent_at(close_at) + indent_unit(file)
        edits = []
        if inner and not has_comma:
            edits.append(Edit(file.path, last_end, last_end, ","))
        at = after_trailing_comment(file.text, comma_end)
        edits.append(Edit(file.path, at, at, "".join(f"\n{indent}{item}" for item in items)))
        return edits
    parts = entries + ([rest] if rest else [])
    if not inner:
        return [Edit(file.path, file.start(body) + 1, close_at, " " + ", ".join(parts) + " ")]
    if has_comma:
        return [Edit(file.path, comma_end, comma_end, " " + ", ".join(parts))]
    return [Edit(file.path, last_end, last_end, ", " + ", ".join(parts))]


def struct_literals(file: SourceFile, name: str) -> list[Node]:
    """Struct expressions building `name` (or `Self` inside its impl blocks)."""
    result = []
    for node in nodes_of_type(file, "struct_expression"):
        type_node = node.child_by_field_name("name")
        if type_node is None:
            continue
        written = struct_name(file.node_text(type_node))
        if written == name:
            result.append(node)
        elif written == "Self":
            impl = file.enclosing(node, "impl_item")
            impl_type = impl.child_by_field_name("type") if impl is not None else None
            if impl_type is not None and struct_name(file.node_text(impl_type)) == name:
                result.append(node)
    return result
