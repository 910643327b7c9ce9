"""Iterating over values that are not iterators, and collecting borrowed items.

`for x in value` on a struct or a number, and `collect()` of `&T` into a
collection of `T`, fail with trait errors (`Iterator`, `FromIterator`) whose
fix is not an impl but a different expression: the collection field, a
range, `.chars()`, or an adapter that owns the items.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import NUMERIC, last_segment
from rustcoder.fix.recipes.traits._syntax import call_parts, declared_fields, local_type

COLLECTIONS = ("Vec", "VecDeque", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "LinkedList")

# --- iteration ---------------------------------------------------------------------------


@edit_kind("iterate-over")
def iterate_over(inp: RecipeInput) -> list[Candidate]:
    """Something that is not an iterator in a `for`: its chars, `0..n`, or its collection field."""
    type_text = inp.params.get("type", "").strip()
    expr = inp.span_text
    if not expr or "\n" in expr:
        return []
    simple = re.fullmatch(r"[\w.]+(\(\))?", expr) is not None
    wrapped = expr if simple else f"({expr})"
    bare = type_text.lstrip("&").removeprefix("mut ").strip()
    result: list[Candidate] = []
    if bare in ("String", "str"):
        result.append(
            inp.candidate(
                f"Iterate over the characters of `{expr}`",
                [inp.edit(inp.end, inp.end, ".chars()")]
                if simple
                else [inp.edit(inp.start, inp.end, f"{wrapped}.chars()")],
                score=0.75,
            )
        )
    elif bare in NUMERIC and not bare.startswith("f"):
        result.append(
            inp.rewrite(f"Iterate over `0..{expr}`", inp.start, inp.end, f"0..{wrapped}", 0.75)
        )
    else:
        found = local_type(inp, bare)
        if found is None or found[1].type != "struct_item":
            return []
        file, item = found
        for field, field_type in declared_fields(file, item)[0]:
            head = last_segment(field_type.lstrip("&"))
            if head not in COLLECTIONS and not field_type.startswith("["):
                continue
            owner = expr.lstrip("&")
            result.append(
                inp.rewrite(
                    f"Iterate over `{owner}.{field}`", inp.start, inp.end, f"&{owner}.{field}", 0.65
                )
            )
            result.append(
                inp.rewrite(
                    f"Iterate over `{owner}.{field}` (by value)",
                    inp.start,
                    inp.end,
                    f"{owner}.{field}",
                    0.55,
                )
            )
            if len(result) >= 4:
                break
    return result


# --- collect ------------------------------------------------------------------------------


def _owned_adapter(item: str, collection: str) -> list[tuple[str, str]]:
    """Adapters that turn items of type `item` into what `collection` is built from."""
    if item in ("&str", "char") and "String" in collection:
        return [(".map(String::from)", "String")]
    if not item.startswith("&"):
        return []
    inner = item[1:].removeprefix("mut ").strip()
    if inner in NUMERIC or inner in ("{integer}", "{float}", "bool", "char"):
        return [(".copied()", inner)]
    if inner.startswith("&"):
        return [(".map(|x| (*x).clone())", inner[1:])]
    adapters = [(".cloned()", inner)]
    if inner.startswith("(") and "&" not in inner:
        adapters.append((".copied()", inner))
    return adapters


@edit_kind("collect-owned")
def collect_owned(inp: RecipeInput) -> list[Candidate]:
    """`collect()` of references into a collection of owned values: clone or copy them first."""
    item = inp.params.get("item", "").strip()
    collection = inp.params.get("collection", "")
    parts = call_parts(inp.file, inp.start, inp.end)
    for span in inp.labelled("required by a bound introduced by this call"):
        offsets = inp.offsets_here(span)
        if parts is None and offsets is not None:  # `collect::<T>()`: the span is on `T`
            parts = call_parts(inp.file, *offsets)
    if parts is None or parts[1] != "collect":
        return []
    access = parts[0].child_by_field_name("function")
    if access is not None and access.type == "generic_function":
        access = access.child_by_field_name("function")
    value = need(access.child_by_field_name("value") if access is not None else None)
    at = inp.file.end(value)
    result = []
    element = re.fullmatch(r"\w+<(?P<item>[^,<>]+)>", collection)
    for adapter, owned in _owned_adapter(item, collection)[:2]:
        owned = element.group("item") if element else owned
        result.append(
            inp.insert(
                f"Collect owned `{owned}` values (`{adapter}` before `collect`)", at, adapter, 0.8
            )
        )
    return result
