"""Dereferences, casts and indexing: operators applied to the wrong type.

`*x`, `x as T`, `x[i]`, `-x`, `!x` and arithmetic between numeric types fail
when the operand's type does not support the operator. The repairs share a
pattern (drop the operator, cast an operand, or call the method the operator
stood for), so they are kept together here.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import FLOATS, INTEGERS, NUMERIC, Node, text_of
from rustcoder.fix.recipes.types._common import ITERATOR_TYPE, SIZED, STRINGISH
from rustcoder.fix.recipes.types._syntax import (
    arithmetic_leaves,
    cast_leaves,
    drop_mark,
    fn_return_type,
    is_atomic,
    operator_of,
    source_slice,
    viewed,
    wrapped_text,
)

_FLOATISH = (*FLOATS, "{float}")

_ARITHMETIC = ("+", "-", "*", "/", "%")


@edit_kind("drop-deref", prepare=viewed)
def drop_deref(inp: RecipeInput) -> list[Candidate]:
    """`*x` where `x` is already a value: drop the `*`."""
    return drop_mark(inp, "unary_expression", "*", None, 0.8)


@edit_kind("convert-cast", prepare=viewed)
def convert_cast(inp: RecipeInput) -> list[Candidate]:
    """`x as T` between non-primitive types: the conversion the cast was meant to be."""
    source, target = inp.captures.get("from", ""), inp.captures.get("to", "")
    node = inp.enclosing("type_cast_expression")
    value = node.child_by_field_name("value") if node is not None else None
    if node is None or value is None:
        return []
    start, end = inp.file.start(node), inp.file.end(node)
    expr = wrapped_text(inp.file, value)
    options: list[tuple[str, str, float]] = []
    if target in ("String", "&str"):
        options.append(("Convert with `.to_string()`", f"{expr}.to_string()", 0.7))
    elif source in STRINGISH and target in NUMERIC:
        options += [
            (f"Parse the text as `{target}`", f"{expr}.trim().parse::<{target}>().unwrap()", 0.6),
            (f"Parse the text as `{target}`", f"{expr}.parse::<{target}>().unwrap()", 0.55),
        ]
    elif (SIZED.match(source) or source in STRINGISH) and target in INTEGERS:
        length = f"{expr}.len()" if target == "usize" else f"{expr}.len() as {target}"
        options.append(("Use the length", length, 0.6))
    else:
        options += [
            (f"Convert with `{target}::from`", f"{target}::from({text_of(inp.file, value)})", 0.5),
            ("Convert with `.into()`", f"{expr}.into()", 0.4),
        ]
    return [inp.rewrite(title, start, end, text, score) for title, text, score in options]


def _index_parts(inp: RecipeInput) -> tuple[Node, Node, Node] | None:
    """(index expression, indexed value, index) around the primary span."""
    node = inp.enclosing("index_expression")
    if node is None or len(node.named_children) < 2:
        return None
    return node, node.named_children[0], node.named_children[1]


@edit_kind("string-index", prepare=viewed)
def string_index(inp: RecipeInput) -> list[Candidate]:
    """`s[i]` on a string: the `i`-th character, or the `i`-th byte."""
    node, value, index = need(_index_parts(inp))
    idx_type = inp.captures.get("idx", "")
    idx = text_of(inp.file, index)
    if "Range" in idx_type or index.type == "range_expression":
        return []
    if idx_type not in ("usize", "{integer}"):
        idx = f"{wrapped_text(inp.file, index)} as usize"
    text = wrapped_text(inp.file, value)
    one_char = f"{int(idx) + 1}" if idx.isdigit() else f"{idx} + 1"
    character = "Take the character at this position"
    byte = "Take the byte at this position"
    return [
        inp.replace(
            f"{character} (`.chars().nth(..)`)", node, f"{text}.chars().nth({idx}).unwrap()"
        ),
        inp.replace(
            "Take the one-character slice at this position", index, f"{idx}..{one_char}", 0.55
        ),
        inp.replace(f"{byte} (`.as_bytes()[..]`)", node, f"{text}.as_bytes()[{idx}]", 0.5),
        inp.replace(f"{byte} as a `char`", node, f"({text}.as_bytes()[{idx}] as char)", 0.45),
    ]


@edit_kind("index-as-usize", prepare=viewed)
def index_as_usize(inp: RecipeInput) -> list[Candidate]:
    """Slices are indexed by `usize`: cast the index."""
    _, _, index = need(_index_parts(inp))
    if index.type != "range_expression" and "the type `str`" in inp.diagnostic.message:
        return []  # a string is not indexed by position at all (see `string-index`)
    if index.type == "range_expression":
        # Literal bounds take the type they need; cast the others.
        ends = [c for c in index.named_children if c.type != "integer_literal"]
        edits = [
            inp.edit(inp.file.start(c), inp.file.end(c), f"{wrapped_text(inp.file, c)} as usize")
            for c in ends
        ]
        if not edits:
            return []
        return [inp.candidate("Cast the range bounds to `usize`", edits, CONFIDENT)]
    cast = f"{wrapped_text(inp.file, index)} as usize"
    return [inp.replace("Cast the index to `usize`", index, cast, CONFIDENT)]


@edit_kind("index-alternative", prepare=viewed)
def index_alternative(inp: RecipeInput) -> list[Candidate]:
    """`x[i]` on a type without `Index`: unwrap an Option, `nth` an iterator, index a field."""
    ty = inp.captures.get("ty", "")
    node, value, index = need(_index_parts(inp))
    text, idx = wrapped_text(inp.file, value), text_of(inp.file, index)
    start, end = inp.file.start(node), inp.file.end(node)
    options: list[tuple[str, str, float]] = []
    bare = ty.lstrip("&")
    if bare.startswith("Option<"):
        if (fn_return_type(inp.file, node) or "").startswith("Option<"):
            options.append(("Return early with `?` when it is `None`", f"{text}?[{idx}]", 0.65))
        options += [
            ("Index the value inside the `Option`", f"{text}.as_ref().unwrap()[{idx}]", 0.6),
            ("Index the value inside the `Option`", f"{text}.unwrap()[{idx}]", 0.5),
        ]
    elif ITERATOR_TYPE.match(bare):
        options += [
            ("Take the element with `.nth(..)`", f"{text}.nth({idx}).unwrap()", 0.55),
            ("Collect, then index", f"{text}.collect::<Vec<_>>()[{idx}]", 0.5),
        ]
    else:
        name = re.match(r"[\w:]+", bare)
        found = inp.find_type(name.group(0).split("::")[-1]) if name else None
        if found is not None:
            source, item = found
            assert isinstance(item, Node)
            for field, field_type in source.struct_fields(item):
                if re.match(r"(?:Vec|VecDeque|HashMap|BTreeMap|\[)", field_type):
                    options.append((f"Index the `{field}` field", f"{text}.{field}[{idx}]", 0.55))
    return [inp.rewrite(title, start, end, new, score) for title, new, score in options[:4]]


@edit_kind("cast-operand", prepare=viewed)
def cast_operand(inp: RecipeInput) -> list[Candidate]:
    """Arithmetic between two numeric types: cast one operand to the other's type."""
    lhs, rhs = inp.captures.get("lhs", ""), inp.captures.get("rhs", "")
    node = need(
        inp.file.enclosing(
            inp.file.node_at(inp.start, inp.end), "binary_expression", "compound_assignment_expr"
        )
    )
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return []
    lhs, rhs = lhs.lstrip("&"), rhs.lstrip("&")
    result = _float_literals(inp, node, left, lhs, rhs)
    options: list[tuple[Node, str, float]] = []
    lhs_type = {"{float}": "f64", "{integer}": ""}.get(lhs, lhs)
    rhs_type = {"{float}": "f64", "{integer}": ""}.get(rhs, rhs)
    if lhs_type in NUMERIC and rhs_type not in ("", lhs_type):
        options.append((right, lhs_type, 0.7))
    if rhs_type in NUMERIC and node.type == "binary_expression" and lhs_type not in ("", rhs_type):
        options.append((left, rhs_type, 0.6 if lhs_type else 0.7))
    for operand, ty, score in options:
        leaves = arithmetic_leaves(operand)
        if leaves and len(leaves) > 1:
            # `a / b * 100.0`: convert `a` and `b`, not the (integer) quotient.
            result.append(
                inp.candidate(
                    f"Convert each value of `{text_of(inp.file, operand)}` to `{ty}`",
                    cast_leaves(inp, leaves, ty),
                    score + 0.05,
                )
            )
        start, end = inp.file.start(operand), inp.file.end(operand)
        text = text_of(inp.file, operand)
        cast = text if is_atomic(operand) or operand.type == "unary_expression" else f"({text})"
        new = f"{cast} as {ty}"
        if operand == left:
            new = f"({new})" if _needs_group(node) else new
        result.append(inp.rewrite(f"Convert `{text}` to `{ty}`", start, end, new, score))
    return result


def _float_literals(
    inp: RecipeInput, node: Node, left: Node, lhs: str, rhs: str
) -> list[Candidate]:
    """Integers mixed with floats: write the integer literals (or the binding's) as floats."""
    if not ({lhs, rhs} & set(_FLOATISH)) or "{integer}" not in (lhs, rhs):
        return []
    result: list[Candidate] = []
    # The whole arithmetic chain: `c * 9 / 5 + 32` fails once per literal otherwise.
    top = node
    while (
        top.parent is not None
        and top.parent.type in ("binary_expression", "parenthesized_expression")
        and (
            top.parent.type == "parenthesized_expression" or operator_of(top.parent) in _ARITHMETIC
        )
    ):
        top = top.parent
    literals = [
        n
        for n in _operands(top)
        if n.type == "integer_literal" and re.fullmatch(r"\d+", text_of(inp.file, n))
    ]
    if literals:
        result.append(
            inp.candidate(
                "Write the integer literals as floats",
                [inp.edit(inp.file.end(n), inp.file.end(n), ".0") for n in literals],
                0.75,
            )
        )
    if lhs == "{integer}" and left.type == "identifier":
        # `let mut total = 0; total += price;`: the accumulator was meant to be a float.
        name = text_of(inp.file, left)
        before = source_slice(inp, 0, inp.file.start(node))
        found = list(re.finditer(rf"\blet\s+(?:mut\s+)?{re.escape(name)}\s*=\s*(\d+)\s*;", before))
        if found:
            at = found[-1].end(1)
            result.append(inp.insert(f"Start `{name}` as a float", at, ".0", 0.7))
    return result


def _operands(node: Node) -> list[Node]:
    """The operands of an arithmetic chain, looking through parentheses and `-x`."""
    if node.type == "parenthesized_expression" or (
        node.type == "unary_expression" and _text_of_first(node) == "-"
    ):
        return [leaf for child in node.named_children for leaf in _operands(child)]
    if node.type == "binary_expression" and operator_of(node) in _ARITHMETIC:
        return [leaf for child in node.named_children for leaf in _operands(child)]
    return [node]


def _text_of_first(node: Node) -> str:
    return node.children[0].type if node.children else ""


def _needs_group(node: Node) -> bool:
    # `a as f64 < b` parses as a generic; a cast on the left of `<`/`<<` needs parentheses.
    operator = node.child_by_field_name("operator")
    return operator is not None and operator.type in ("<", "<<")


@edit_kind("unary-fix", prepare=viewed)
def unary_fix(inp: RecipeInput) -> list[Candidate]:
    """`-x` on an unsigned value (cast to a signed type) or `!x` on a collection (emptiness)."""
    op, ty = inp.captures.get("op", ""), inp.captures.get("ty", "")
    node = inp.enclosing("unary_expression")
    if node is None or not node.named_children:
        return []
    operand = node.named_children[-1]
    start, end = inp.file.start(node), inp.file.end(node)
    text = wrapped_text(inp.file, operand)
    bare = ty.lstrip("&")
    if op == "-" and bare in INTEGERS and bare.startswith("u"):
        wider = {"u8": "i16", "u16": "i32", "u32": "i64", "u64": "i64", "usize": "i64"}
        signed = wider.get(bare, "i128")
        return [
            inp.rewrite(f"Negate as a signed `{signed}`", start, end, f"-({text} as {signed})", 0.6)
        ]
    if op == "!":
        if bare.startswith("Option<"):
            return [inp.rewrite("Test for `None`", start, end, f"{text}.is_none()")]
        if bare in ("String", "str") or SIZED.match(bare):
            return [inp.rewrite("Test for emptiness", start, end, f"{text}.is_empty()")]
    return []
