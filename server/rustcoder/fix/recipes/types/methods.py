"""E0599 methods on the wrong type: call the method where it exists.

An iterator adapter called on a collection, a tuple pattern over a collection
without `.enumerate()`, a method of the inner type called on an
`Option`/`Result`: the method exists, one step away from the receiver. These
edit kinds insert that step.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import INTEGERS, text_of
from rustcoder.fix.recipes.types._common import ITERATOR_TYPE
from rustcoder.fix.recipes.types._syntax import (
    append_to_expr,
    fn_return_type,
    method_receiver,
    primary_expression,
    replace_expr,
    viewed,
    wrapped_text,
)

_ADDING_METHODS = {
    "push",
    "push_str",
    "push_back",
    "push_front",
    "insert",
    "extend",
    "append",
    "entry",
}


@edit_kind("insert-iter", prepare=viewed)
def insert_iter(inp: RecipeInput) -> list[Candidate]:
    """A collection used as an iterator: iterate it first (`.iter()`, `.chars()`, `0..n`)."""
    if not any("Iterator" in m or "is not an iterator" in m for m in inp.messages()):
        return []
    ty = inp.captures.get("ty", "")
    bare = ty.lstrip("&")
    if bare.startswith("Option<") or ITERATOR_TYPE.match(bare):
        return []
    parts = method_receiver(inp)
    if parts is not None:
        receiver, method = parts
        name = f"before `.{text_of(inp.file, method)}(..)`"
    else:
        # `for c in text`: the iterated expression itself.
        found = primary_expression(inp)
        if found is None or inp.file.enclosing(found, "for_expression") is None:
            return []
        receiver, name = found, "to iterate"
    if bare in INTEGERS or bare == "{integer}":
        start, end = inp.file.start(receiver), inp.file.end(receiver)
        text = text_of(inp.file, receiver)
        return [inp.rewrite(f"Count from 0 to `{text}`", start, end, f"0..{text}")]
    if bare in ("String", "str"):
        options = [(".chars()", 0.7), (".bytes()", 0.4)]
    else:
        options = [(".iter()", 0.7), (".into_iter()", 0.55), (".iter().copied()", 0.5)]
    return [
        inp.candidate(f"Call `{suffix}` {name}", append_to_expr(inp, receiver, suffix), score)
        for suffix, score in options
    ]


@edit_kind("enumerate", prepare=viewed)
def enumerate_items(inp: RecipeInput) -> list[Candidate]:
    """`for (i, x) in items`: the index comes from `.enumerate()`."""
    loop = inp.enclosing("for_expression")
    value = need(loop.child_by_field_name("value") if loop is not None else None)
    text = text_of(inp.file, value)
    if value.type == "reference_expression" and value.named_children:
        inner = wrapped_text(inp.file, value.named_children[-1])
        method = ".iter_mut()" if re.match(r"&\s*mut\b", text) else ".iter()"
        new = [f"{inner}{method}.enumerate()"]
    elif value.type == "range_expression":
        new = [f"({text}).enumerate()"]
    else:
        new = [
            f"{wrapped_text(inp.file, value)}.enumerate()",
            f"{wrapped_text(inp.file, value)}.iter().enumerate()",
        ]
    return [
        inp.candidate("Number the items with `.enumerate()`", [replace_expr(inp, value, n)], score)
        for n, score in zip(new, (0.75, 0.6), strict=False)
    ]


@edit_kind("unwrap-receiver", prepare=viewed)
def unwrap_receiver(inp: RecipeInput) -> list[Candidate]:
    """A method of the inner type called on an `Option`/`Result`: get at the inner value."""
    receiver, method = need(method_receiver(inp))
    returns = fn_return_type(inp.file, receiver) or ""
    options: list[tuple[str, str, float]] = []
    is_result = "Result" in inp.diagnostic.message
    if (returns.startswith("Option<") and not is_result) or (
        is_result and re.match(r"(?:[\w:]+::)?Result<", returns)
    ):
        options.append(("Return early with `?`", "?", 0.7))
    options += [
        ("Use the value inside (`.as_ref().unwrap()`)", ".as_ref().unwrap()", 0.6),
        ("Use the value inside (`.as_mut().unwrap()`)", ".as_mut().unwrap()", 0.55),
        ("Use the value inside (`.unwrap()`)", ".unwrap()", 0.5),
    ]
    if not is_result:
        # Adding to a collection that may not exist yet: create it on first use.
        adds = text_of(inp.file, method) in _ADDING_METHODS
        options.append(
            (
                "Create the value when there is none, then use it",
                ".get_or_insert_with(Default::default)",
                0.65 if adds else 0.45,
            )
        )
    options.sort(key=lambda option: -option[2])
    return [
        inp.candidate(title, append_to_expr(inp, receiver, suffix), score)
        for title, suffix, score in options[:4]
    ]
