"""Iterator results of the wrong item type: convert the items, then combine them.

`collect()`, `sum()` and arithmetic over iterator items fail when the items
are not the type the result needs (`&str` items into `Vec<String>`, `&i32`
summed into `i64`, an `Option` operand). The repair belongs in the iterator
chain, before the items are combined, so these edit kinds rewrite the chain.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import NUMERIC, Node, text_of
from rustcoder.fix.recipes.types._common import is_copy_like
from rustcoder.fix.recipes.types._syntax import (
    append_to_expr,
    call_of_method,
    fn_return_type,
    labelled_expressions,
    source_slice,
    viewed,
)
from rustcoder.fix.rust_syntax import SourceFile


def _last_map(file: SourceFile, receiver: Node) -> tuple[Node, Node] | None:
    """(the `map` name, its call) of the last `.map(..)` of a method chain."""
    node: Node | None = receiver
    while node is not None and node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is None or function.type != "field_expression":
            return None
        field = function.child_by_field_name("field")
        if field is not None and text_of(file, field) == "map":
            return field, node
        node = function.child_by_field_name("value")
    return None


def _map_closure_body(file: SourceFile, receiver: Node) -> Node | None:
    """The body of the closure in the last `.map(|x| ..)` of a method chain."""
    found = _last_map(file, receiver)
    arguments = found[1].child_by_field_name("arguments") if found is not None else None
    if arguments is None:
        return None
    closure = next((a for a in arguments.named_children if a.type == "closure_expression"), None)
    return closure.child_by_field_name("body") if closure is not None else None


@edit_kind("collect-items", prepare=viewed)
def collect_items(inp: RecipeInput) -> list[Candidate]:
    """`collect()` of items that are not the collection's: convert the items first.

    `Result`/`Option` items are unwrapped in the `map` that made them (or
    collected into a `Result<Vec<_>, _>`), references are cloned, `&str`s become
    `String`s.
    """
    target, item = inp.captures.get("target", ""), inp.captures.get("item", "")
    call, receiver, method = need(call_of_method(inp))
    dot = inp.file.end(receiver)
    result: list[Candidate] = []
    if item.startswith(("Result<", "Option<")):
        body = _map_closure_body(inp.file, receiver)
        if body is not None:
            result.append(
                inp.candidate(
                    "Unwrap each item where it is made", append_to_expr(inp, body, ".unwrap()"), 0.6
                )
            )
        if item.startswith("Result<") and (fn_return_type(inp.file, call) or "").startswith(
            "Result<"
        ):
            at = inp.file.end(call)
            result.append(
                inp.rewrite(
                    "Stop at the first error (`collect::<Result<_, _>>()?`)",
                    inp.file.end(method),
                    at,
                    "::<Result<_, _>>()?",
                    0.65,
                )
            )
        result.append(
            inp.insert("Skip the items that failed (`.flatten()`)", dot, ".flatten()", 0.4)
        )
    elif re.match(r"(?:ToUppercase|ToLowercase|Chars|Vec<|Option<|IntoIter<|Split)", item):
        # Each item is itself a sequence (`c.to_uppercase()` is an iterator of chars).
        found = _last_map(inp.file, receiver)
        if found is not None:
            name = found[0]
            result.append(
                inp.replace(
                    "Flatten the items as they are made (`flat_map`)", name, "flat_map", 0.6
                )
            )
        result.append(inp.insert("Flatten the items (`.flatten()`)", dot, ".flatten()", 0.55))
    elif item.startswith("&"):
        bare = item.lstrip("&").strip()
        if bare in ("str", "mut str") and "String" in target:
            result.append(
                inp.insert("Make each item a `String`", dot, ".map(|s| s.to_string())", 0.65)
            )
        else:
            copy = ".copied()" if is_copy_like(bare) else ".cloned()"
            other = ".cloned()" if copy == ".copied()" else ".copied()"
            result += [
                inp.insert(f"Collect copies of the items (`{copy}`)", dot, copy),
                inp.insert(f"Collect copies of the items (`{other}`)", dot, other, 0.5),
            ]
    return result


_NUMERIC_ITEM = re.compile(r"&*(?P<ty>[iu](?:8|16|32|64|128|size)|f32|f64)")


@edit_kind("sum-as", prepare=viewed)
def sum_as(inp: RecipeInput) -> list[Candidate]:
    """`sum()`/`product()` into another numeric type than the items': add up, then cast."""
    target = inp.captures.get("target", "")
    item = _NUMERIC_ITEM.fullmatch(inp.captures.get("item", ""))
    parts = call_of_method(inp)
    if item is None or target not in NUMERIC or parts is None:
        return []
    call, receiver, method = parts
    ty = item.group("ty")
    start, end = inp.file.start(call), inp.file.end(call)
    name = text_of(inp.file, method)
    chain = source_slice(inp, start, inp.file.end(receiver))
    summed = f"{chain}.{name}::<{ty}>() as {target}"
    parent = call.parent
    if parent is not None and parent.type in (
        "field_expression",
        "binary_expression",
        "unary_expression",
        "type_cast_expression",
        "index_expression",
        "try_expression",
    ):
        summed = f"({summed})"
    mapped = f"{chain}.map(|x| x as {target}).{name}::<{target}>()"
    if item.group(0).startswith("&"):
        mapped = f"{chain}.map(|&x| x as {target}).{name}::<{target}>()"
    return [
        inp.rewrite(f"Add up as `{ty}`, then convert to `{target}`", start, end, summed, 0.6),
        inp.rewrite(f"Convert each item to `{target}`", start, end, mapped, 0.5),
    ]


@edit_kind("unwrap-operand", prepare=viewed)
def unwrap_operand(inp: RecipeInput) -> list[Candidate]:
    """Arithmetic on an `Option`/`Result` operand: take the value out first."""
    result: list[Candidate] = []
    for node, found in labelled_expressions(inp, r"^(?P<ty>(?:Option|Result)<.*>)$"):
        wrapper = found.group("ty").split("<", 1)[0]
        returns = fn_return_type(inp.file, node) or ""
        if returns.startswith(f"{wrapper}<"):
            result.append(
                inp.candidate("Return early with `?`", append_to_expr(inp, node, "?"), 0.65)
            )
        result.append(
            inp.candidate(
                f"Unwrap `{text_of(inp.file, node)}`", append_to_expr(inp, node, ".unwrap()"), 0.6
            )
        )
        if wrapper == "Option":
            copy = ".copied()" if found.group("ty").startswith("Option<&") else ""
            result.append(
                inp.candidate(
                    "Use the default when there is none",
                    append_to_expr(inp, node, f"{copy}.unwrap_or_default()"),
                    0.45,
                )
            )
        break
    return result
