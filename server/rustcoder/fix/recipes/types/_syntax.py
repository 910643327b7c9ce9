"""Syntax helpers shared by the type-error recipes.

Every group of type-error edit kinds finds the expression rustc points at and
rewrites it: it needs the file with macro arguments parsed as expressions
(`_ExpressionView`), the node under a span, parentheses where a suffix would
bind wrongly, and the parts of method calls and arithmetic chains. These live
here, once, so that every group sees the code the same way.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from pathlib import Path

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput
from rustcoder.fix.recipes.syntax import Node, text_of
from rustcoder.fix.rust_syntax import SourceFile

#: Expressions that take `.method()`, `?` or `as T` without parentheses.
_ATOMIC = {
    "identifier",
    "self",
    "field_expression",
    "call_expression",
    "index_expression",
    "macro_invocation",
    "parenthesized_expression",
    "tuple_expression",
    "array_expression",
    "integer_literal",
    "float_literal",
    "string_literal",
    "raw_string_literal",
    "char_literal",
    "boolean_literal",
    "scoped_identifier",
    "try_expression",
    "generic_function",
    "await_expression",
    "struct_expression",
    "block",
}

#: Macros whose arguments are expressions; parsed as calls so recipes see the expressions.
_EXPRESSION_MACROS = {
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "vec",
    "dbg",
    "todo",
    "unreachable",
    "unimplemented",
}


class _ExpressionView(SourceFile):
    """The file with `println!(..)`-like macro calls parsed as plain calls.

    tree-sitter leaves macro arguments as token trees; a great deal of code
    that fails to compile sits inside `println!` or `format!`. Replacing the
    `!` by a space (and `[..]` by `(..)`) keeps every offset and lets the
    arguments parse as expressions. Node texts come from the original file.
    """

    def __init__(self, file: SourceFile) -> None:
        self.original = file.data
        super().__init__(file.path, _demacro(file))

    def node_text(self, node: Node) -> str:
        return self.original[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def _demacro(file: SourceFile) -> str:
    data = bytearray(file.data)
    for _ in range(4):
        changed = False
        current = SourceFile(file.path, data.decode("utf-8", errors="replace"))
        for node in current.walk():
            if node.type != "macro_invocation":
                continue
            name = node.child_by_field_name("macro")
            tree = next((c for c in node.children if c.type == "token_tree"), None)
            bang = next((c for c in node.children if c.type == "!"), None)
            if name is None or tree is None or bang is None:
                continue
            if current.node_text(name).split("::")[-1] not in _EXPRESSION_MACROS:
                continue
            opening = data[tree.start_byte : tree.start_byte + 1]
            if opening == b"[" and any(c.type == ";" for c in tree.children):
                continue
            if opening not in (b"(", b"["):
                continue
            data[bang.start_byte : bang.end_byte] = b" "
            data[tree.start_byte : tree.start_byte + 1] = b"("
            data[tree.end_byte - 1 : tree.end_byte] = b")"
            changed = True
        if not changed:
            break
    return data.decode("utf-8", errors="replace")


def viewed(inp: RecipeInput) -> RecipeInput:
    """`inp` seeing macro arguments as expressions (see `_ExpressionView`)."""
    if isinstance(inp.file, _ExpressionView) or "!" not in inp.file.text:
        return inp
    return dataclasses.replace(inp, file=_view_of(inp.file.path, inp.file.text))


@functools.lru_cache(maxsize=8)
def _view_of(path: Path, text: str) -> _ExpressionView:
    # Every recipe of a diagnostic looks at the same file: parse it once.
    return _ExpressionView(SourceFile(path, text))


def source_slice(inp: RecipeInput, start: int, end: int) -> str:
    """Source text between two offsets, as written (macro calls unchanged)."""
    file = inp.file
    if isinstance(file, _ExpressionView):
        return file.original[file.byte(start) : file.byte(end)].decode("utf-8", errors="replace")
    return file.text[start:end]


def is_atomic(node: Node) -> bool:
    return node.type in _ATOMIC


def wrapped_text(file: SourceFile, node: Node) -> str:
    """The node's text, parenthesised unless a postfix operator can follow it as is."""
    text = text_of(file, node)
    return text if is_atomic(node) else f"({text})"


def expression_at(file: SourceFile, start: int, end: int) -> Node | None:
    """The outermost node spanning exactly [start, end), else the smallest covering it."""
    node: Node | None = file.node_at(start, end)
    if node is None:
        return None
    while (
        node.parent is not None
        and file.start(node.parent) == file.start(node)
        and file.end(node.parent) == file.end(node)
        and node.parent.type
        not in ("expression_statement", "block", "source_file", "shorthand_field_initializer")
    ):
        node = node.parent
    return node


def labelled_offsets(inp: RecipeInput, pattern: str) -> list[tuple[tuple[int, int], re.Match[str]]]:
    """Where in this file the spans (main and children) whose label matches `pattern`
    are, with the match."""
    spans = list(inp.diagnostic.spans) + [s for c in inp.diagnostic.children for s in c.spans]
    result = []
    for span in spans:
        found = re.search(pattern, span.label or "")
        located = inp.offsets_here(span) if found is not None else None
        if found is not None and located is not None:
            result.append((located, found))
    return result


def labelled_expressions(inp: RecipeInput, pattern: str) -> list[tuple[Node, re.Match[str]]]:
    """The expressions at the spans `labelled_offsets` finds, with the match."""
    result = []
    for located, found in labelled_offsets(inp, pattern):
        node = expression_at(inp.file, *located)
        if node is not None:
            result.append((node, found))
    return result


def drop_mark(
    inp: RecipeInput, node_type: str, mark: str, title: str | None, score: float
) -> list[Candidate]:
    """Remove the operator `mark` from the `node_type` around the span: the prefix of
    `*x`, the suffix of `x?`; nothing when the node is not written with it."""
    node = inp.enclosing(node_type)
    text = text_of(inp.file, node)
    if node is None or not (text.startswith(mark) if mark == "*" else text.endswith(mark)):
        return []
    start = inp.file.start(node) if mark == "*" else inp.file.end(node) - len(mark)
    return [inp.rewrite(title, start, start + len(mark), "", score)]


def primary_expression(inp: RecipeInput) -> Node | None:
    if inp.end <= inp.start:
        return None
    return expression_at(inp.file, inp.start, inp.end)


def append_to_expr(inp: RecipeInput, node: Node, suffix: str) -> list[Edit]:
    """Append `suffix` to an expression, adding parentheses when it needs them."""
    start, end = inp.file.start(node), inp.file.end(node)
    if _shorthand(node):
        return [replace_expr(inp, node, f"{text_of(inp.file, node)}{suffix}")]
    if is_atomic(node):
        return [inp.edit(end, end, suffix)]
    return [inp.edit(start, start, "("), inp.edit(end, end, ")" + suffix)]


def _shorthand(node: Node) -> bool:
    """`Point { x }`: the field name is also the value."""
    return node.parent is not None and node.parent.type == "shorthand_field_initializer"


def replace_expr(inp: RecipeInput, node: Node, new_text: str) -> Edit:
    """Replace an expression, spelling out a shorthand field (`x` → `x: new`)."""
    start, end = inp.file.start(node), inp.file.end(node)
    if _shorthand(node):
        new_text = f"{text_of(inp.file, node)}: {new_text}"
    return inp.edit(start, end, new_text)


def fn_return_type(file: SourceFile, node: Node) -> str | None:
    """The return type of the function around `node` (None inside a closure or without one)."""
    current: Node | None = node
    while current is not None:
        if current.type == "closure_expression":
            return None
        if current.type == "function_item":
            ret = current.child_by_field_name("return_type")
            return text_of(file, ret) if ret is not None else None
        current = current.parent
    return None


def operator_of(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return operator.type if operator is not None else ""


def cast_leaves(inp: RecipeInput, leaves: list[Node], ty: str) -> list[Edit]:
    """Cast every operand to `ty` (retargeting operands that already are casts)."""
    edits = []
    for leaf in leaves:
        target = leaf.child_by_field_name("type") if leaf.type == "type_cast_expression" else None
        if target is not None:
            edits.append(inp.edit(inp.file.start(target), inp.file.end(target), ty))
        else:
            text = f"{text_of(inp.file, leaf)} as {ty}"
            edits.append(inp.edit(inp.file.start(leaf), inp.file.end(leaf), text))
    return edits


def arithmetic_leaves(node: Node) -> list[Node] | None:
    """The operands of a chain of `+ - * / %` (None when one is not a plain value)."""
    if node.type == "parenthesized_expression" and node.named_children:
        return arithmetic_leaves(node.named_children[0])
    if node.type != "binary_expression":
        leaf = node.type in _ATOMIC or node.type == "type_cast_expression"
        return [node] if leaf and node.type != "block" else None
    operator = node.child_by_field_name("operator")
    if operator is None or operator.type not in ("+", "-", "*", "/", "%"):
        return None
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return None
    lhs, rhs = arithmetic_leaves(left), arithmetic_leaves(right)
    return lhs + rhs if lhs is not None and rhs is not None else None


def method_receiver(inp: RecipeInput) -> tuple[Node, Node] | None:
    """(receiver, method name) of `receiver.method` at the primary span."""
    node = inp.file.node_at(inp.start, inp.end)
    field_expr = inp.file.enclosing(node, "field_expression")
    if field_expr is None:
        return None
    value = field_expr.child_by_field_name("value")
    field = field_expr.child_by_field_name("field")
    if value is None or field is None:
        return None
    return value, field


def call_of_method(inp: RecipeInput) -> tuple[Node, Node, Node] | None:
    """(call, receiver, method name) for `receiver.method(..)` at the primary span."""
    parts = method_receiver(inp)
    if parts is None:
        return None
    receiver, method = parts
    field_expr = method.parent
    call = field_expr.parent if field_expr is not None else None
    if call is not None and call.type == "generic_function":
        call = call.parent
    if call is None or call.type != "call_expression":
        return None
    return call, receiver, method
