"""E0308 mismatched types: make the value and the expected type agree.

The most common type error: a value of one type where another is expected.
These edit kinds handle the plainest shapes of it: an `Option`/`Result`
where its inside is wanted, `String` against `&str` in `match` scrutinees and
branches, a declared return type the body does not produce, an iterator where
a collection is expected, one numeric type for another.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import FLOATS, INTEGERS, NUMERIC, Node, text_of
from rustcoder.fix.recipes.types._common import (
    COLLECTION_TYPE,
    ITERATOR_TYPE,
    concrete_type,
    generic_args,
    is_copy_like,
    split_top,
)
from rustcoder.fix.recipes.types._syntax import (
    append_to_expr,
    arithmetic_leaves,
    cast_leaves,
    fn_return_type,
    is_atomic,
    labelled_expressions,
    labelled_offsets,
    primary_expression,
    viewed,
)


def _expect_text(inp: RecipeInput, node: Node) -> str:
    words = re.findall(r"[a-z]+", text_of(inp.file, node).lower())
    return f"{words[-1] if words else 'operation'} failed"


@edit_kind("unwrap-value", prepare=viewed)
def unwrap_value(inp: RecipeInput) -> list[Candidate]:
    """Expected `T`, found `Option<T>`/`Result<T, E>`: `?`, `.unwrap()`, or a default.

    `Option<&T>` where `T` is expected also gets `.copied()`/`.cloned()`.
    """
    expected, found = inp.captures.get("exp", ""), inp.captures.get("found", "")
    node = need(primary_expression(inp))
    wrapper = "Option" if found.startswith("Option<") else "Result"
    args = generic_args(found, wrapper)
    if not args:
        return []
    inner = args[0]
    adapt = ""
    if inner.startswith("&") and inner[1:].strip() == expected:
        adapt = ".copied()" if is_copy_like(expected) else ".cloned()"
    elif expected == "&str" and inner in ("String", "&String"):
        adapt = ".as_deref()"
    elif expected.startswith("&") and expected[1:].strip() == inner:
        adapt = ".as_ref()"
    elif inner != "_" and inner != expected and concrete_type(inner) != concrete_type(expected):
        return []
    result: list[Candidate] = []
    returns = fn_return_type(inp.file, node) or ""
    if returns.startswith(f"{wrapper}<") or (
        wrapper == "Result" and re.match(r"(?:[\w:]+::)?Result<", returns)
    ):
        result.append(
            inp.candidate(
                f"Return early with `?` when `{text_of(inp.file, node)}` has no value",
                append_to_expr(inp, node, f"{adapt}?"),
                score=0.7,
            )
        )
    result.append(
        inp.candidate(
            f"Unwrap the `{wrapper}` (`{adapt}.unwrap()`)",
            append_to_expr(inp, node, f"{adapt}.unwrap()"),
            score=0.55,
        )
    )
    if wrapper == "Option":
        result.append(
            inp.candidate(
                "Use the default value when there is none (`.unwrap_or_default()`)",
                append_to_expr(inp, node, f"{adapt}.unwrap_or_default()"),
                score=0.5,
            )
        )
    else:
        result.append(
            inp.candidate(
                "Unwrap the `Result`, panicking with a message on error",
                append_to_expr(inp, node, f'{adapt}.expect("{_expect_text(inp, node)}")'),
                score=0.45,
            )
        )
    return result


@edit_kind("match-as-str", prepare=viewed)
def match_as_str(inp: RecipeInput) -> list[Candidate]:
    """`match owned { "lit" => .. }`: match on a borrowed view of the scrutinee."""
    result: list[Candidate] = []
    for node, found in labelled_expressions(inp, r"this expression has type `(?P<ty>[^`]+)`"):
        ty = found.group("ty")
        view = _STR_VIEWS.get(ty)
        if view is not None:
            edits = append_to_expr(inp, node, view)
        else:
            edits = _tuple_views(inp, node, ty)
            if not edits:
                continue
        result.append(
            inp.candidate(
                f"Match on a borrowed view of `{text_of(inp.file, node)}`", edits, score=0.8
            )
        )
        break
    return result


_STR_VIEWS = {
    "String": ".as_str()",
    "&String": ".as_str()",
    "&&String": ".as_str()",
    "Option<String>": ".as_deref()",
    "&Option<String>": ".as_deref()",
    "Vec<String>": ".as_slice()",
    "Result<String, String>": ".as_deref()",
}


def _tuple_views(inp: RecipeInput, node: Node, ty: str) -> list[Edit]:
    """`(String, String)` scrutinees: borrow each owned string element."""
    if not (ty.startswith("(") and ty.endswith(")")):
        return []
    elements = split_top(ty[1:-1])
    if not any(e in _STR_VIEWS for e in elements):
        return []
    if node.type == "tuple_expression" and len(node.named_children) == len(elements):
        return [
            edit
            for child, element in zip(node.named_children, elements, strict=True)
            if element in _STR_VIEWS
            for edit in append_to_expr(inp, child, _STR_VIEWS[element])
        ]
    if not is_atomic(node):
        return []
    name = text_of(inp.file, node)
    parts = [
        f"{name}.{i}{_STR_VIEWS.get(element, '')}"
        if element in _STR_VIEWS or is_copy_like(element)
        else f"&{name}.{i}"
        for i, element in enumerate(elements)
    ]
    start, end = inp.file.start(node), inp.file.end(node)
    return [inp.edit(start, end, "(" + ", ".join(parts) + ")")]


def _branch_tails(node: Node) -> list[Node]:
    """The value expressions of every branch of an `if`/`match` (recursively)."""
    if node.type == "block":
        named = [c for c in node.named_children if c.type not in ("line_comment", "block_comment")]
        if named and named[-1].type != "expression_statement" and not _is_statement(named[-1]):
            return _branch_tails(named[-1])
        return []
    if node.type == "if_expression":
        tails = []
        consequence = node.child_by_field_name("consequence")
        if consequence is not None:
            tails += _branch_tails(consequence)
        alternative = node.child_by_field_name("alternative")
        if alternative is not None:
            for child in alternative.named_children:
                tails += _branch_tails(child)
        return tails
    if node.type == "match_expression":
        tails = []
        body = node.child_by_field_name("body")
        for arm in body.named_children if body is not None else []:
            value = arm.child_by_field_name("value") if arm.type == "match_arm" else None
            if value is not None:
                tails += _branch_tails(value)
        return tails
    return [node]


def _is_statement(node: Node) -> bool:
    return node.type.endswith("_declaration") or node.type.endswith("_item")


@edit_kind("arms-to-owned", prepare=viewed)
def arms_to_owned(inp: RecipeInput) -> list[Candidate]:
    """`if`/`match` branches of `&str` and `String`: make every literal branch owned.

    rustc converts only the branch it reports; the others fail next.
    """
    node: Node | None = inp.file.node_at(inp.start, inp.end)
    outer = inp.file.enclosing(node, "if_expression", "match_expression")
    # The whole `else if` chain (or a nested match) belongs to the outermost branching.
    while outer is not None:
        parent = inp.file.enclosing(outer.parent, "if_expression", "match_expression")
        if parent is None or not any(
            inp.file.start(t) <= inp.start < inp.file.end(t) for t in _branch_tails(parent)
        ):
            break
        outer = parent
    if outer is None:
        return []
    tails = _branch_tails(outer)
    if not any(inp.file.start(t) <= inp.start < inp.file.end(t) for t in tails):
        return []
    expected = inp.captures.get("exp", "")
    strings = [t for t in tails if t.type in ("string_literal", "raw_string_literal")]
    if expected == "char":
        # `"A"` where a `char` is expected: every one-character string literal → `'A'`.
        chars = [t for t in strings if re.fullmatch(r'"(?:[^"\\]|\\.)"', text_of(inp.file, t))]
        if not chars or len(chars) != len(strings):
            return []
        edits = [
            inp.edit(inp.file.start(t), inp.file.end(t), "'" + text_of(inp.file, t)[1:-1] + "'")
            for t in chars
        ]
        title, count = "Write the branches' one-letter strings as `char`s", len(chars)
    elif expected in FLOATS:
        integers = [t for t in tails if t.type == "integer_literal" and t.text is not None]
        integers = [t for t in integers if re.fullmatch(r"\d+", text_of(inp.file, t))]
        if not integers:
            return []
        edits = [inp.edit(inp.file.end(t), inp.file.end(t), ".0") for t in integers]
        title, count = "Write the branches' integers as floats", len(integers)
    else:
        if not strings or len(strings) == len(tails):
            return []
        edits = [inp.edit(inp.file.end(t), inp.file.end(t), ".to_string()") for t in strings]
        title, count = "Make every branch a `String` (`.to_string()`)", len(strings)
    return [inp.candidate(title, edits, score=CONFIDENT if count > 1 else 0.6)]


@edit_kind("change-return-type", prepare=viewed)
def change_return_type(inp: RecipeInput) -> list[Candidate]:
    """The declared type is wrong: declare the type the value really has.

    The function's return type, or (tried last) a `let` binding's annotation.
    """
    found = concrete_type(inp.captures.get("found", ""))
    if not found or found in ("()", "!"):
        # A body that produces nothing is missing its value, not declaring too much.
        return []
    for (start, end), _ in labelled_offsets(inp, r"expected `[^`]+` because of return type"):
        node = inp.file.node_at(start, end)
        fn = inp.file.enclosing(node, "function_item")
        ret = fn.child_by_field_name("return_type") if fn is not None else None
        if ret is None or (inp.file.start(ret), inp.file.end(ret)) != (start, end):
            continue
        return [inp.rewrite(f"Change the return type to `{found}`", start, end, found, 0.5)]
    for located, _ in labelled_offsets(inp, r"^expected due to this$"):
        # `let x: T = value;`: the annotation may be what is wrong (tried last).
        binding = inp.file.enclosing(inp.file.node_at(*located), "let_declaration")
        annotation = binding.child_by_field_name("type") if binding is not None else None
        if annotation is None or (inp.file.start(annotation), inp.file.end(annotation)) != located:
            continue
        return [
            inp.rewrite(f"Declare the binding as `{found}`", located[0], located[1], found, 0.35)
        ]
    return []


@edit_kind("collect-iterator", prepare=viewed)
def collect_iterator(inp: RecipeInput) -> list[Candidate]:
    """A collection is expected and an iterator was given: collect it."""
    expected, found = inp.captures.get("exp", ""), inp.captures.get("found", "")
    if not COLLECTION_TYPE.match(expected) or not ITERATOR_TYPE.match(found):
        return []
    node = need(primary_expression(inp))
    options = [(".collect()", 0.65), (".cloned().collect()", 0.6), (".copied().collect()", 0.5)]
    if expected.startswith("Vec<String>") or expected.startswith("String"):
        options.insert(2, (".map(|x| x.to_string()).collect()", 0.55))
    return [
        inp.candidate(f"Collect the iterator into a `{expected}` (`{suffix}`)", edits, score)
        for suffix, score in options[:4]
        for edits in [append_to_expr(inp, node, suffix)]
    ]


def _widening(found: str, expected: str) -> bool:
    """`as` from `found` to `expected` never loses a value (on 64-bit targets)."""
    bits = {"size": 64}

    def width(t: str) -> int:
        tail = t[1:]
        return bits.get(tail) or int(tail)

    if found in INTEGERS and expected in FLOATS:
        return width(found) <= (16 if expected == "f32" else 32)
    if found in FLOATS or expected in FLOATS:
        return found == "f32" and expected == "f64"
    if found[0] == expected[0]:
        return width(found) <= width(expected)
    return found[0] == "u" and expected[0] == "i" and width(found) < width(expected)


@edit_kind("numeric-cast", prepare=viewed)
def numeric_cast(inp: RecipeInput) -> list[Candidate]:
    """One numeric type where another is expected: an `as` cast (or retarget an existing one)."""
    expected, found = inp.captures.get("exp", ""), inp.captures.get("found", "")
    if expected not in NUMERIC or found not in NUMERIC:
        return []
    node = need(primary_expression(inp))
    if node.type == "type_cast_expression":
        target = node.child_by_field_name("type")
        if target is not None:
            start, end = inp.file.start(target), inp.file.end(target)
            return [inp.rewrite(f"Cast to `{expected}` instead", start, end, expected, CONFIDENT)]
    result: list[Candidate] = []
    leaves = arithmetic_leaves(node)
    if expected in FLOATS and leaves and len(leaves) > 1 and "/" in text_of(inp.file, node):
        # `sum / count` wanted as a float: divide floats, not integers.
        result.append(
            inp.candidate(
                f"Convert each value to `{expected}` before dividing",
                cast_leaves(inp, leaves, expected),
                score=0.95,
            )
        )
    text = text_of(inp.file, node)
    start, end = inp.file.start(node), inp.file.end(node)
    cast = text if is_atomic(node) or node.type == "unary_expression" else f"({text})"
    lossless = _widening(found, expected)
    counted = bool(re.search(r"\.(len|count)\(\)$", text))
    return [
        *result,
        inp.rewrite(
            f"Convert with `as {expected}`",
            start,
            end,
            f"{cast} as {expected}",
            CONFIDENT if lossless or counted else 0.6,
        ),
    ]
