"""Derives, `Display`, `Error` and the ordering traits on floats.

rustc's suggestion for a missing derivable trait is a bare `#[derive(Trait)]`
line: without the traits it requires, never merged into an existing derive,
not on the field types. These edit kinds write the complete derive (or drop
one that cannot hold, such as `Ord` on a struct of floats), and the `Display`
and `Error` impls rustc can only ask for.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import Node, insert_items_after, text_of, type_names
from rustcoder.fix.recipes.traits._derives import (
    DERIVABLE,
    REQUIRES,
    derive_attr,
    derive_closure,
    derive_edits,
    derive_everywhere,
    derived_traits,
    display_impl_text,
    ordered_derives,
)
from rustcoder.fix.recipes.traits._syntax import call_parts, implements, local_type
from rustcoder.fix.rust_syntax import SourceFile

#: The trait a method or associated function comes from.
METHOD_TRAITS = {
    "clone": "Clone",
    "cmp": "Ord",
    "max": "Ord",
    "min": "Ord",
    "clamp": "Ord",
    "partial_cmp": "PartialOrd",
    "eq": "PartialEq",
    "ne": "PartialEq",
    "hash": "Hash",
    "default": "Default",
}

# --- derives ----------------------------------------------------------------------


def _bounds_from_notes(inp: RecipeInput) -> list[tuple[str, str]]:
    """`Type: Trait` pairs rustc lists as unsatisfied bounds."""
    pairs = []
    for message in inp.messages():
        for found in re.finditer(r"`(?P<type>[\w:<>, ]+): (?:[\w:]+::)?(?P<trait>\w+)`", message):
            pair = (found.group("type"), found.group("trait"))
            if pair[1] in DERIVABLE and pair not in pairs:
                pairs.append(pair)
    return pairs


@edit_kind("add-derive")
def add_derive(inp: RecipeInput) -> list[Candidate]:
    """Derive the missing trait (with the traits it needs) on a local type and its fields.

    Params: `type` and `trait`, or `method` (mapped to its trait), or
    `from = "bounds"` to derive every `Type: Trait` rustc lists as unsatisfied.
    """
    if inp.params.get("from") == "bounds":
        wanted = _bounds_from_notes(inp)
    else:
        trait = inp.params.get("trait") or METHOD_TRAITS.get(inp.params.get("method", ""), "")
        wanted = [(inp.params.get("type", ""), trait.split("::")[-1])]
    wanted = [(type_text, t) for type_text, t in wanted if t in DERIVABLE]
    if not wanted:
        return []
    messages = " ".join(inp.messages())
    by_type: dict[str, list[str]] = {}
    for type_text, trait in wanted:
        traits = [trait]
        # A hash-map key needs all three.
        if trait in ("Hash", "Eq") and re.search(r"Hash(Map|Set)", messages):
            traits = ["PartialEq", "Eq", "Hash"]
        by_type.setdefault(type_text, []).extend(traits)
    edits: list[Edit] = []
    merged = False
    nested = False
    names = []
    all_traits: list[str] = []
    for type_text, traits in by_type.items():
        found = local_type(inp, type_text)
        if found is None:
            continue
        file, item = found
        traits = derive_closure(traits)
        new_edits, was_merged, types = derive_everywhere(inp, file, item, traits)
        edits.extend(new_edits)
        merged = merged or was_merged
        nested = nested or types > 1
        names.append(text_of(file, item.child_by_field_name("name")))
        all_traits.extend(t for t in traits if t not in all_traits)
    if not edits:
        return []
    extra = len(all_traits) > len({t for _, t in wanted})
    title = f"Add `#[derive({', '.join(ordered_derives(all_traits))})]` to `{'`, `'.join(names)}`"
    if nested:
        title += " and its field types"
    score = CONFIDENT if merged or extra or nested else 0.7
    return [inp.candidate(title, edits, score=score)]


@edit_kind("drop-derive")
def drop_derive(inp: RecipeInput) -> list[Candidate]:
    """Remove a derive that cannot hold (`Copy` with a `String` field, `Eq` with an `f64`).

    Param `trait`: what to drop; the traits that require it go too.
    """
    trait = inp.params.get("trait", "Copy")
    dropped = {trait} | {t for t, needs in REQUIRES.items() if trait in needs}
    node = inp.file.node_at(inp.start, inp.end)
    item = need(inp.file.enclosing(node, "struct_item", "enum_item", "union_item"))
    try:
        attr, listed = derive_attr(inp.file, item)
    except LookupError:
        return []
    kept = [t for t in listed if t.split("::")[-1] not in dropped]
    if len(kept) == len(listed):
        return []
    start, end = inp.file.start(attr), inp.file.end(attr)
    if kept:
        edit = inp.edit(start, end, f"#[derive({', '.join(kept)})]")
    else:
        line = inp.file.line_start(start)
        nl = inp.file.text.find("\n", end)
        edit = inp.edit(line, nl + 1 if nl >= 0 else end, "")
    gone = ", ".join(t for t in listed if t not in kept)
    result = [inp.candidate(f"Remove `{gone}` from the derive", [edit], score=0.7)]
    # Or, first (the author wanted copies), make the field's local type derive it too.
    for span in inp.labelled("does not implement `Copy`"):
        offsets = inp.offsets_here(span)
        if offsets is None:
            continue
        field_node = inp.file.node_at(*offsets)
        field_type = field_node.child_by_field_name("type") if field_node is not None else None
        type_text = inp.file.node_text(field_type or field_node)
        found = local_type(inp, type_text)
        if found is not None:
            edits, _, _ = derive_everywhere(inp, *found, derive_closure([trait]))
            if edits:
                result.append(
                    inp.candidate(f"Derive `{trait}` on `{type_text}` too", edits, score=0.8)
                )
        break
    return result


# --- Display --------------------------------------------------------------------------


def _debug_placeholder(placeholder: str) -> str | None:
    """`{}` → `{:?}`, `{name}` → `{name:?}`, `{:>8}` → `{:>8?}`."""
    found = re.fullmatch(r"\{(?P<inner>[^{}]*)\}", placeholder)
    if found is None:
        return None
    inner = found.group("inner")
    if inner.endswith("?"):
        return None
    return "{" + (inner + "?" if ":" in inner else inner + ":?") + "}"


def _display_impl(file: SourceFile, item: Node, name: str) -> Edit:
    return insert_items_after(file, item, display_impl_text(name))


@edit_kind("display-fallback")
def display_fallback(inp: RecipeInput) -> list[Candidate]:
    """A type without `Display` printed with `{}`: print its Debug form, or give it `Display`."""
    type_text = inp.params.get("type", "")
    found = local_type(inp, type_text)
    if found is None and re.fullmatch(r"[A-Z]", type_text.strip()):
        return []  # a type parameter: a bound is the fix (rustc suggests it)
    result: list[Candidate] = []
    debug_edits: list[Edit] = []
    has_debug = True
    if found is not None:
        file, item = found
        has_debug = "Debug" in derived_traits(file, item)
        if not has_debug:
            debug_edits, _ = derive_edits(file, item, ["Debug"])
    for span in inp.labelled("required by this formatting parameter"):
        offsets = inp.offsets_here(span)
        if offsets is None:
            continue
        replacement = _debug_placeholder(inp.file.text[offsets[0] : offsets[1]])
        if replacement is None:
            continue
        result.append(
            inp.candidate(
                f"Print `{type_text}` with its Debug form (`{replacement}`)",
                [inp.edit(*offsets, replacement), *debug_edits],
                score=0.6 if has_debug else 0.45,
            )
        )
        break
    if found is not None:
        file, item = found
        name = text_of(file, item.child_by_field_name("name"))
        # `Vec<Point>` gets no `Display` from one for `Point`.
        printed = type_names(type_text)[:1] == [name]
        if printed and item.child_by_field_name("type_parameters") is None:
            result.append(
                inp.candidate(
                    f"Implement `Display` for `{name}` (writes its Debug form)",
                    [_display_impl(file, item, name), *debug_edits],
                    score=0.55,
                )
            )
    return result


# --- floats and order ---------------------------------------------------------------------


def _key_closure(file: SourceFile, args: Node) -> tuple[str, str] | None:
    """`|p| p.score` → (`p`, `p.score`)."""
    named = args.named_children
    if len(named) != 1 or named[0].type != "closure_expression":
        return None
    closure = named[0]
    params = closure.child_by_field_name("parameters")
    body = closure.child_by_field_name("body")
    if params is None or body is None:
        return None
    param = file.node_text(params).strip("|").strip()
    if not re.fullmatch(r"&?\w+", param):
        return None
    return param.lstrip("&"), file.node_text(body)


def _substitute(expr: str, name: str, new: str) -> str:
    out = re.sub(rf"(?<![\w.]){re.escape(name)}\b", new, expr)
    return out if re.fullmatch(r"[\w.]+", out) else f"({out})"


@edit_kind("float-order")
def float_order(inp: RecipeInput) -> list[Candidate]:
    """Floats are not `Ord`: compare them with `total_cmp` / `partial_cmp`, or drop the derive."""
    node = inp.file.node_at(inp.start, inp.end)
    if inp.file.enclosing(node, "field_declaration") is not None:
        return drop_derive(inp)
    _call, method, args = need(call_parts(inp.file, inp.start, inp.end))
    name_start = inp.start
    args_end = inp.file.end(args)
    if method == "cmp":
        return [
            inp.rewrite("Compare the floats with `total_cmp`", inp.start, inp.end, "total_cmp", 0.8)
        ]
    if method == "binary_search" and len(args.named_children) == 1:
        needle = inp.file.node_text(args.named_children[0])
        return [
            inp.rewrite(
                "Search the floats with `binary_search_by` and `total_cmp`",
                name_start,
                args_end,
                f"binary_search_by(|p| p.total_cmp({needle}))",
                0.8,
            )
        ]
    base = {
        "sort": "sort_by",
        "sort_unstable": "sort_unstable_by",
        "max": "max_by",
        "min": "min_by",
    }
    keyed = {
        "sort_by_key": "sort_by",
        "sort_unstable_by_key": "sort_unstable_by",
        "max_by_key": "max_by",
        "min_by_key": "min_by",
    }
    compare = {
        "total_cmp": "{a}.total_cmp({rb})",
        "partial_cmp": "{a}.partial_cmp({rb}).unwrap()",
    }
    result = []
    for how, template in compare.items():
        if method in base and not args.named_children:
            new_method = base[method]
            body = template.format(a="a", rb="b")
        elif method in keyed:
            param, expr = need(_key_closure(inp.file, args))
            new_method = keyed[method]
            body = template.format(
                a=_substitute(expr, param, "a"), rb="&" + _substitute(expr, param, "b")
            )
        else:
            return []
        result.append(
            inp.rewrite(
                f"Compare the floats with `{how}` (`{new_method}`)",
                name_start,
                args_end,
                f"{new_method}(|a, b| {body})",
                0.8 if how == "total_cmp" else 0.6,
            )
        )
    return result


# --- error types ------------------------------------------------------------------------------


@edit_kind("impl-error")
def impl_error(inp: RecipeInput) -> list[Candidate]:
    """A local error type used with `Box<dyn Error>`: implement `Error` (and `Display`, `Debug`)."""
    file, item = need(local_type(inp, inp.params.get("type", "")))
    if item.child_by_field_name("type_parameters") is not None:
        return []
    name = text_of(file, item.child_by_field_name("name"))
    edits: list[Edit] = []
    if "Debug" not in derived_traits(file, item) and not implements(inp, "Debug", name):
        edits.extend(derive_edits(file, item, ["Debug"])[0])
    text = "" if implements(inp, "Display", name) else display_impl_text(name)
    text += f"\nimpl std::error::Error for {name} {{}}\n"
    edits.append(insert_items_after(file, item, text))
    return [inp.candidate(f"Implement `std::error::Error` for `{name}`", edits, score=0.85)]
