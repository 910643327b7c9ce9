"""Number and string conversions that std will not do implicitly.

`sum()` into another number type, `i32::from(an_i64)` and `join` on numbers
are trait errors (`Sum`, `From`, `Join`) whose fix is a conversion at the
call: convert the items, use a checked `try_from`, or turn them into strings.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import NUMERIC, Node, text_of
from rustcoder.fix.recipes.traits._syntax import call_parts, result_error_type
from rustcoder.fix.rust_syntax import SourceFile

# --- sums and products ----------------------------------------------------------------------


@edit_kind("sum-convert")
def sum_convert(inp: RecipeInput) -> list[Candidate]:
    """`sum()` into another number type than the items: copy or convert each item first."""
    target = inp.params.get("target", "")
    item = inp.params.get("item", "")
    bare = item.lstrip("&")
    refs = len(item) - len(bare)
    parts = call_parts(inp.file, inp.start, inp.end)
    if parts is None or parts[1] not in ("sum", "product") or target not in NUMERIC:
        return []
    access = parts[0].child_by_field_name("function")
    if access is not None and access.type == "generic_function":
        access = access.child_by_field_name("function")
    value = access.child_by_field_name("value") if access is not None else None
    if value is None or bare not in NUMERIC | {"{integer}", "{float}"} or refs > 2:
        return []
    at = inp.file.end(value)
    pattern = "&" * refs + "x"
    if bare == target or bare in ("{integer}", "{float}"):
        adapter = ".copied()" if refs == 1 else f".map(|{pattern}| x)"
    else:
        adapter = f".map(|{pattern}| x as {target})"
    return [
        inp.insert(
            f"Turn the items into `{target}` before `{parts[1]}` (`{adapter}`)", at, adapter, 0.75
        )
    ]


# --- numeric conversions ------------------------------------------------------------------


def _boxed_error_fn(file: SourceFile, node: Node) -> bool:
    """Whether the function around `node` returns `Result<_, Box<dyn Error>>`."""
    fn = file.enclosing(node, "function_item", "closure_expression")
    if fn is None or fn.type != "function_item":
        return False
    error = result_error_type(file, fn)
    return error is not None and "Box<dyn" in file.node_text(error)


@edit_kind("numeric-narrowing")
def numeric_narrowing(inp: RecipeInput) -> list[Candidate]:
    """`i32::from(an_i64)` / `an_i64.into()`: a checked `try_from`/`try_into`, or an `as` cast."""
    target = inp.params.get("target", "")
    file = inp.file
    node = file.node_at(inp.start, inp.end)
    call = need(file.enclosing(node, "call_expression"))
    function = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    if function is None or args is None:
        return []
    if function.type == "scoped_identifier" and file.node_text(function).endswith("::from"):
        if len(args.named_children) != 1:
            return []
        value = args.named_children[0]
        checked = f"{target}::try_from({file.node_text(value)})"
    elif (
        function.type == "field_expression"
        and text_of(file, function.child_by_field_name("field")) == "into"
    ):
        receiver = function.child_by_field_name("value")
        if receiver is None or args.named_children:
            return []
        value = receiver
        checked = f"{file.node_text(value)}.try_into()"
    else:
        return []
    text = file.node_text(value)
    simple = re.fullmatch(r"[\w.]+(\(\))?", text) is not None
    cast = f"{text if simple else f'({text})'} as {target}"
    start, end = file.start(call), file.end(call)
    result = []
    if not target.startswith("f"):
        if _boxed_error_fn(file, call):
            result.append(
                inp.rewrite(
                    f"Convert to `{target}` checked, returning the error (`try_from`)",
                    start,
                    end,
                    f"{checked}?",
                    0.7,
                )
            )
        result.append(
            inp.rewrite(
                f"Convert to `{target}` checked (`try_from(..).unwrap()`)",
                start,
                end,
                f"{checked}.unwrap()",
                0.6,
            )
        )
    result.append(inp.rewrite(f"Cast with `as {target}`", start, end, cast, 0.55))
    return result


# --- join ----------------------------------------------------------------------------------


@edit_kind("join-as-strings")
def join_as_strings(inp: RecipeInput) -> list[Candidate]:
    """`numbers.join(", ")`: only slices of strings join; turn the items into strings first."""
    parts = call_parts(inp.file, inp.start, inp.end)
    if parts is None or parts[1] not in ("join", "concat"):
        return []
    access = parts[0].child_by_field_name("function")
    receiver = need(access.child_by_field_name("value") if access is not None else None)
    at = inp.file.end(receiver)
    result = []
    for convert, score in (("x.to_string()", 0.75), ('format!("{x:?}")', 0.5)):
        adapter = f".iter().map(|x| {convert}).collect::<Vec<_>>()"
        result.append(
            inp.insert(
                f"Turn the items into strings before `{parts[1]}` (`{convert}`)", at, adapter, score
            )
        )
    return result
