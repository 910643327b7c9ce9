"""Trait bounds: a type parameter missing a bound, a value that is not `Send`.

Both are unsatisfied bounds on a generic: rustc's suggested bound is spelled
with full paths and misses the bounds the body needs next (`Copy` after
`PartialOrd`), and for `Send`/`Sync` it only says the type is not
thread-safe, while the fix is to swap `Rc`/`RefCell` for `Arc`/`Mutex`.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, edit_kind
from rustcoder.fix.recipes.syntax import Node, text_of
from rustcoder.fix.rust_syntax import SourceFile

#: Traits in the prelude: written without their path.
PRELUDE_TRAITS = {
    "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Default", "Send", "Sync",
    "Sized", "Iterator", "IntoIterator", "ToString", "From", "Into",
}  # fmt: skip


def _prelude_path(trait: str) -> str:
    """`std::cmp::PartialOrd` → `PartialOrd` (in the prelude); others keep their path."""
    bounds = []
    for part in trait.split("+"):
        part = part.strip()
        last = part.split("::")[-1]
        bounds.append(last if last.split("<")[0] in PRELUDE_TRAITS else part)
    return " + ".join(bounds)


# --- bounds ----------------------------------------------------------------------------


@edit_kind("add-bound")
def add_bound(inp: RecipeInput) -> list[Candidate]:
    """A type parameter missing a bound: rustc's bound, written plainly, plus `Copy` or `Clone`.

    A value compared and returned by a generic function is usually also copied
    out of a slice, which rustc reports only once the first bound is there.
    """
    if inp.params.get("from") in ("bounds", "assoc", "method", "captures"):
        return _bound_from_context(inp)
    param = inp.params.get("param", "T")
    messages = " ".join(inp.messages())
    spans = [
        span
        for child in inp.diagnostic.children
        if "restricting type parameter" in child.message
        for span in child.spans
        if span.suggested_replacement
    ]
    result: list[Candidate] = []
    for span in spans[:1]:
        located = inp.span_offsets(span)
        if located is None:
            continue
        path, start, end = located
        replacement = span.suggested_replacement or ""
        found = re.fullmatch(r"(?P<lead>\s*[:+]\s*)(?P<bound>.+)", replacement)
        if found is None:
            continue
        lead, bound = found.group("lead"), _prelude_path(found.group("bound"))
        # A hash-map key needs both; rustc asks for one at a time.
        if bound in ("Eq", "std::hash::Hash") and re.search(r"Hash(Map|Set)", messages):
            bound = "Eq + std::hash::Hash"
        # Values compared or combined by operators are usually copied around too.
        copied = re.search(r"PartialOrd|\bOrd\b|ops::|Add|Sub|Mul|Div|Sum", bound)
        for extra, score in (("", 0.6), (" + Copy", 0.55), (" + Clone", 0.5)):
            if extra and (not copied or extra.strip(" +") in bound):
                continue
            text = f"{lead}{bound}{extra}"
            result.append(
                inp.candidate(
                    f"Require `{param}: {bound}{extra}`",
                    [Edit(path, start, end, text)],
                    score=score,
                )
            )
    return result


#: The trait an associated type usually comes from (`T::Item` → `T: Iterator`).
ASSOCIATED_TRAITS = {
    "Item": "Iterator",
    "IntoIter": "IntoIterator",
    "Err": "std::str::FromStr",
    "Target": "std::ops::Deref",
    "Output": "std::ops::Add",
}

#: The bound that gives a type parameter a method.
METHOD_BOUNDS = {
    "to_string": "std::fmt::Display",
    "clone": "Clone",
    "cmp": "Ord",
    "max": "Ord",
    "min": "Ord",
    "partial_cmp": "PartialOrd",
    "eq": "PartialEq",
    "hash": "std::hash::Hash",
    "default": "Default",
    "next": "Iterator",
    "into_iter": "IntoIterator",
}


def _generic_holder(file: SourceFile, node: Node, param: str) -> Node | None:
    """The `type_parameter` declaring `param` in the items around `node`."""
    current: Node | None = node
    while current is not None:
        if current.type in ("function_item", "impl_item", "struct_item", "enum_item", "trait_item"):
            params = current.child_by_field_name("type_parameters")
            for child in params.named_children if params is not None else []:
                name = child.child_by_field_name("name")
                if child.type == "type_parameter" and text_of(file, name) == param:
                    return child
        current = current.parent
    return None


def _bound_edit(file: SourceFile, declared: Node, bound: str) -> Edit:
    bounds = declared.child_by_field_name("bounds")
    if bounds is not None:
        return Edit(file.path, file.end(bounds), file.end(bounds), f" + {bound}")
    name = declared.child_by_field_name("name")
    at = file.end(name if name is not None else declared)
    return Edit(file.path, at, at, f": {bound}")


def _bound_from_context(inp: RecipeInput) -> list[Candidate]:
    """Bounds named in rustc's notes (`T: Display`) or implied by `T::Item`."""
    pairs: list[tuple[str, str]] = []
    if inp.params.get("from") == "captures":
        pairs.append((inp.params.get("param", ""), _prelude_path(inp.params.get("bound", ""))))
    elif inp.params.get("from") in ("assoc", "method"):
        table = ASSOCIATED_TRAITS if inp.params["from"] == "assoc" else METHOD_BOUNDS
        trait = table.get(inp.params.get("assoc") or inp.params.get("method", ""))
        if trait is not None:
            pairs.append((inp.params.get("param", ""), trait))
    else:
        for message in inp.messages():
            bounds = re.finditer(r"`(?P<param>[A-Z]\w*): (?P<bound>[\w:<>]+)`", message)
            for found in bounds:
                if message[: found.start()].endswith("required by "):
                    continue  # the bound that follows from the first one
                pair = (found.group("param"), _prelude_path(found.group("bound")))
                if pair not in pairs:
                    pairs.append(pair)
    node = inp.file.node_at(inp.start, inp.end)
    edits = []
    for param, bound in pairs:
        declared = _generic_holder(inp.file, node, param)
        if declared is not None:
            edits.append(_bound_edit(inp.file, declared, bound))
    if not edits:
        return []
    listed = ", ".join(f"{p}: {b}" for p, b in pairs)
    return [inp.candidate(f"Require `{listed}`", edits, score=0.7)]


# --- threads -------------------------------------------------------------------------------

#: Single-threaded shared ownership and mutation, and their thread-safe counterparts.
_THREAD_SAFE = (
    (r"\bstd::rc::Rc\b", "std::sync::Arc"),
    (r"\brc::Rc\b", "sync::Arc"),
    (r"\bstd::cell::RefCell\b", "std::sync::Mutex"),
    (r"\bcell::RefCell\b", "sync::Mutex"),
    (r"\bRc\s*::", "Arc::"),
    (r"\bRc\s*<", "Arc<"),
    (r"\bRefCell\s*::", "Mutex::"),
    (r"\bRefCell\s*<", "Mutex<"),
    (r"\.borrow_mut\(\)", ".lock().unwrap()"),
    (r"\.borrow\(\)", ".lock().unwrap()"),
)


def _dedupe_uses(text: str) -> str:
    """Drop a `use` line that repeats an earlier one (after `Rc` became `Arc`)."""
    seen: set[str] = set()
    lines = []
    for line in text.split("\n"):
        key = line.rstrip()
        if key.startswith("use ") and key in seen:  # top level only: modules repeat uses
            continue
        seen.add(key)
        lines.append(line)
    return "\n".join(lines)


@edit_kind("thread-safe-pointers")
def thread_safe_pointers(inp: RecipeInput) -> list[Candidate]:
    """`Rc`/`RefCell` sent to another thread: use `Arc` and `Mutex` throughout the file."""
    text = inp.file.text
    if re.search(r"\bCell\s*<|\bCell::new", text):
        return []  # `Cell`'s get/set have no drop-in thread-safe twin
    new = text
    for pattern, replacement in _THREAD_SAFE:
        if "borrow" in pattern and "RefCell" not in text:
            continue
        new = re.sub(pattern, replacement, new)
    new = _dedupe_uses(new)
    if new == text:
        return []
    return [
        inp.rewrite(
            "Share across threads with `Arc` and `Mutex` instead of `Rc` and `RefCell`",
            0,
            len(text),
            new,
            0.8,
        )
    ]
