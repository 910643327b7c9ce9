"""Binding helpers shared by the ownership edit kinds.

Beyond the shared toolkit (`recipes/syntax.py`: statements, lines), most
kinds do the same few things around a diagnostic: find the span a label
points at, look for the uses of a variable (inside macro tokens and format
strings too), tell whether code changes it, pick a fresh name, and move a
statement. Keeping them here lets each themed module read as the rewrites it
proposes.
"""

from __future__ import annotations

import re

from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput
from rustcoder.fix.recipes.syntax import Node, alone_on_lines, line_span
from rustcoder.fix.rust_syntax import SourceFile

LOOPS = {"for_expression", "while_expression", "loop_expression"}


def first_labelled(inp: RecipeInput, *label_parts: str) -> tuple[int, int] | None:
    for span in inp.labelled(*label_parts):
        offsets = inp.offsets_here(span)
        if offsets is not None:
            return offsets
    return None


def identifiers(file: SourceFile, node: Node, name: str) -> list[Node]:
    """Uses of the variable `name` under `node` (also inside macro token trees)."""
    return [
        n
        for n in file.walk(node)
        if n.type == "identifier"
        and file.node_text(n) == name
        and (n.prev_sibling is None or n.prev_sibling.type != ".")
    ]


def mentions(file: SourceFile, start: int, end: int, name: str) -> bool:
    """Whether code in [start, end) names the variable `name` (format strings included)."""
    inline = re.compile(rf"\{{{re.escape(name)}[:}}]")
    stack = [file.node_at(start, end)]
    while stack:
        node = stack.pop()
        if file.end(node) <= start or file.start(node) >= end:
            continue
        if node.type == "identifier" and file.node_text(node) == name:
            # `self.name` inside a macro's tokens is a field, not the variable.
            before = node.prev_sibling
            if before is None or before.type != ".":
                return True
        elif node.type == "string_content" and inline.search(file.node_text(node)):
            return True
        stack.extend(node.children)
    return False


def names_in(file: SourceFile, node: Node) -> set[str]:
    """Every variable name `node` mentions, format-string arguments (`{x}`) included."""
    names = set()
    for n in file.walk(node):
        if n.type == "identifier":
            names.add(file.node_text(n))
        elif n.type == "string_content":
            names.update(re.findall(r"\{([A-Za-z_]\w*)[:}]", file.node_text(n)))
    return names


def fresh_name(file: SourceFile, scope: Node | None, *names: str) -> str:
    """The first of `names` that no variable in `scope` has; else the first with a suffix."""
    start, end = (file.start(scope), file.end(scope)) if scope is not None else (0, len(file.text))
    options = [*names, *(f"{names[0]}{n}" for n in range(2, 10))]
    return next((n for n in options if not mentions(file, start, end, n)), f"{names[0]}_")


def enclosing_function(file: SourceFile, node: Node | None) -> Node | None:
    return file.enclosing(node, "function_item", "closure_expression")


#: Uses of a binding that need it to stay a reference into the original value.
MUTATING = re.compile(
    r"^\s*(?:[-+*/%&|^]?=(?!=)"
    r"|\.(?:push|insert|remove|clear|extend|set_|pop|take|retain|sort|get_mut|iter_mut|as_mut|entry))"
)


def changed_in(file: SourceFile, start: int, end: int, name: str) -> bool:
    """Whether code in [start, end) changes `name` or borrows it mutably."""
    scope = file.node_at(start, end)
    for use in identifiers(file, scope, name):
        if not start <= file.start(use) < end:
            continue
        target = (
            use.parent if use.parent is not None and use.parent.type == "unary_expression" else use
        )
        if MUTATING.match(file.text[file.end(target) : file.end(target) + 40]):
            return True
        if re.search(r"&mut\s*$", file.text[max(0, file.start(use) - 8) : file.start(use)]):
            return True
    return False


def is_mutated(file: SourceFile, scope: Node, name: str) -> bool:
    """Whether `scope` changes `name` (`name = ..`, `name.push(..)`, `*name += ..`, `&mut name`)."""
    return changed_in(file, file.start(scope), file.end(scope), name)


def is_simple_place(expr: str) -> bool:
    """`x`, `self.head`, `a.b.c`: a place a method can be called on as it is."""
    return re.fullmatch(r"[A-Za-z_]\w*(?:\.\w+)*", expr) is not None


def root_name(expr: str) -> str:
    return re.split(r"[.\[(]", expr.strip().lstrip("&*").removeprefix("mut "), maxsplit=1)[0]


def move_statement(file: SourceFile, moved: Node, anchor: Node, before: bool) -> list[Edit]:
    """Edits that move the statement `moved` to just before or after `anchor`."""
    if not (alone_on_lines(file, moved) and alone_on_lines(file, anchor)):
        return []
    cut_start, cut_end = line_span(file, moved)
    line = file.text[cut_start:cut_end]
    if not line.endswith("\n"):
        line += "\n"
    indent = file.indent_at(file.start(anchor))
    moved_indent = file.indent_at(file.start(moved))
    lines = [
        indent + ln[len(moved_indent) :] if ln.startswith(moved_indent) else ln
        for ln in line.splitlines(keepends=True)
    ]
    text = "".join(lines)
    anchor_start, anchor_end = line_span(file, anchor)
    at = anchor_start if before else anchor_end
    if cut_start <= at <= cut_end:
        return []
    return [
        Edit(file.path, cut_start, cut_end, ""),
        Edit(file.path, at, at, text),
    ]
