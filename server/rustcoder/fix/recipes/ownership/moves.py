"""E0373 / E0521 / E0382 / E0507: values moved into closures or out of places.

A `'static` closure (a thread) cannot borrow what the function owns, and a
place behind a reference or inside a struct cannot be moved out of. These
kinds move an owned copy into the closure, borrow instead of moving (an
Option's contents, a field, the scrutinee of a `match`), or clone what the
code needs owned.
"""

from __future__ import annotations

import re
from typing import cast

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.ownership._common import (
    enclosing_function,
    first_labelled,
    fresh_name,
    identifiers,
    is_mutated,
    is_simple_place,
    mentions,
    root_name,
)
from rustcoder.fix.recipes.syntax import Node, statement_of
from rustcoder.fix.rust_syntax import SourceFile

# --- E0373 / E0521 / E0382: closures, threads and moves ---------------------------


def _closure_in(inp: RecipeInput) -> Node | None:
    """The closure at the primary span: around it (E0373) or inside it (E0521)."""
    node = inp.file.node_at(inp.start, inp.end)
    closure = inp.file.enclosing(node, "closure_expression")
    if closure is not None:
        return closure
    return next((n for n in inp.file.walk(node) if n.type == "closure_expression"), None)


def _self_fields(inp: RecipeInput, body: Node) -> list[tuple[str, list[tuple[int, int]]]]:
    """Fields read as `self.field` in `body` (not method calls), with their offsets."""
    fields: dict[str, list[tuple[int, int]]] = {}
    base = inp.file.start(body)
    for found in re.finditer(r"\bself\.(\w+)\b(?!\s*\()", inp.file.node_text(body)):
        fields.setdefault(found.group(1), []).append((base + found.start(), base + found.end()))
    return list(fields.items())


COPY_TYPES = re.compile(r"(?:[iu](?:8|16|32|64|128|size)|f32|f64|bool|char)")


def _copy_fields(inp: RecipeInput, node: Node) -> set[str]:
    """Fields of the `impl`'s own struct whose types are primitive `Copy` types."""
    impl = inp.file.enclosing(node, "impl_item")
    type_node = impl.child_by_field_name("type") if impl is not None else None
    if type_node is None:
        return set()
    found = inp.find_type(inp.file.node_text(type_node).split("<")[0])
    if found is None:
        return set()
    source, item = found
    fields = source.struct_fields(cast(Node, item))
    return {name for name, type_ in fields if COPY_TYPES.fullmatch(type_)}


def _loop_variables(file: SourceFile, node: Node, name: str) -> list[str]:
    """Variables of the `for` loops around `node` that iterate over `name`."""
    found = []
    loop = file.enclosing(node, "for_expression")
    while loop is not None:
        pattern = loop.child_by_field_name("pattern")
        value = loop.child_by_field_name("value")
        if (
            pattern is not None
            and value is not None
            and pattern.type == "identifier"
            and root_name(file.node_text(value)) == name
        ):
            found.append(file.node_text(pattern))
        loop = file.enclosing(loop.parent, "for_expression")
    return found


@edit_kind("clone-into-closure")
def clone_into_closure(inp: RecipeInput) -> list[Candidate]:
    """A `'static` closure (a thread) borrows a value: move an owned copy into it.

    Params: `method` makes the copy (`.clone()`, or `.to_owned()` for a
    reference parameter); a copy of a reference may shadow it (`shadow = "yes"`),
    a copy of a local gets a new name since the local is used afterwards.
    """
    name = inp.captures.get("name", "")
    method = inp.params.get("method", ".clone()")
    if not re.fullmatch(r"[a-z_]\w*", name):
        return []
    closure = _closure_in(inp)
    statement = statement_of(inp.file, closure)
    body = closure.child_by_field_name("body") if closure is not None else None
    if closure is None or statement is None or body is None:
        return []
    if is_mutated(inp.file, body, name) or (
        name == "self"
        and re.search(r"\bself\.\w+(?:\.\w+)*\s*[-+*/]?=[^=]", inp.file.node_text(body))
    ):
        # A closure that changes the value must change the original, not a copy.
        return []
    fn = enclosing_function(inp.file, statement)
    at = inp.file.start(statement)
    indent = inp.file.indent_at(at)
    edits: list[Edit] = []
    if not inp.file.node_text(closure).startswith("move"):
        start = inp.file.start(closure)
        edits.append(inp.edit(start, start, "move "))
    lets = []
    if name == "self":
        copy_fields = _copy_fields(inp, closure)
        for field, places in _self_fields(inp, body):
            local = fresh_name(inp.file, fn, field, f"{field}_copy")
            lets.append(f"let {local} = self.{field}{'' if field in copy_fields else method};")
            edits += [inp.edit(start, end, local) for start, end in places]
        copied = "the fields of `self`"
    else:
        shadow = inp.params.get("shadow") == "yes"
        local = name if shadow else fresh_name(inp.file, fn, f"{name}_clone", f"{name}_copy")
        if shadow:
            # `for item in items { spawn(move || item..) }`: the loop variable borrows too.
            names = [name, *_loop_variables(inp.file, closure, name)]
            span = (inp.file.start(body), inp.file.end(body))
            used = [n for n in names if mentions(inp.file, *span, n)]
            lets += [f"let {n} = {n}{method};" for n in used]
            copied = ", ".join(f"`{n}`" for n in used)
        else:
            lets.append(f"let {local} = {name}{method};")
            edits += [
                inp.edit(inp.file.start(use), inp.file.end(use), local)
                for use in identifiers(inp.file, body, name)
            ]
            for node in inp.file.walk(body):
                if node.type == "string_content":
                    text = inp.file.node_text(node)
                    new = re.sub(rf"\{{{re.escape(name)}(?=[:}}])", "{" + local, text)
                    if new != text:
                        edits.append(inp.edit(inp.file.start(node), inp.file.end(node), new))
            copied = f"`{name}`"
    if not lets or (name == "self" and len(edits) <= 1):
        return []
    edits.append(inp.edit(at, at, "".join(f"{line}\n{indent}" for line in lets)))
    return [inp.candidate(f"Move an owned copy of {copied} into the closure", edits)]


@edit_kind("option-as-ref")
def option_as_ref(inp: RecipeInput) -> list[Candidate]:
    """`opt.unwrap()` moves the Option: borrow its contents with `.as_ref()` first."""
    span = need(first_labelled(inp, "consider calling `.as_ref()`"))
    end = span[1]
    receiver = inp.file.text[span[0] : end]
    result = [
        inp.insert(
            f"Borrow the contents of `{receiver}` with `.as_ref()`", end, ".as_ref()", CONFIDENT
        ),
    ]
    if any("Option<String>" in (s.label or "") for s in inp.diagnostic.spans):
        result.append(
            inp.insert(
                f"Borrow the contents of `{receiver}` with `.as_deref()`", end, ".as_deref()", 0.5
            )
        )
    return result


@edit_kind("borrow-moved-field")
def borrow_moved_field(inp: RecipeInput) -> list[Candidate]:
    """`let n = p.name;` moves a field out of `p`: borrow or clone the field instead."""
    moved = need(first_labelled(inp, "value partially moved here"))
    node = inp.file.node_at(*moved)
    if (
        node.type != "field_expression"
        or inp.file.node_text(node) != inp.file.text[moved[0] : moved[1]]
    ):
        return []
    parent = node.parent
    if parent is not None and parent.type == "field_expression":
        return []
    field = inp.file.node_text(node)
    start, end = moved
    return [
        inp.insert(f"Borrow `{field}` instead of moving it", start, "&", 0.7),
        inp.insert(f"Clone `{field}` instead of moving it", end, ".clone()", 0.6),
    ]


# --- E0507: matching on a place behind a reference ----------------------------


def _binding_scope(file: SourceFile, binding: Node) -> Node | None:
    """Where a pattern binding is in scope: its match arm, or the body of its `if let`."""
    arm = file.enclosing(binding, "match_arm", "let_condition", "let_declaration")
    if arm is None:
        return None
    if arm.type == "match_arm":
        return arm.child_by_field_name("value")
    if arm.type == "let_condition":
        owner = file.enclosing(arm, "if_expression", "while_expression")
        return (
            owner.child_by_field_name("consequence" if owner.type == "if_expression" else "body")
            if owner
            else None
        )
    return arm.parent


@edit_kind("borrow-match-clone")
def borrow_match_clone(inp: RecipeInput) -> list[Candidate]:
    """`match self.state { A(name) => name }` behind `&self`: match on `&self.state`
    and clone the bindings where an owned value is needed."""
    scrutinee = inp.span_text
    if not scrutinee or scrutinee.startswith("&"):
        return []
    taken = []
    if (
        inp.captures.get("variant") == "Some"
        and "behind a mutable reference" in inp.diagnostic.message
        and is_simple_place(scrutinee)
    ):
        # `match self.head { Some(node) => .. }` in a `&mut self` method: take the Option.
        # Taking empties the place: first choice only where the code refills it or
        # the method's name says it consumes; else after a clone that keeps it.
        owner = inp.enclosing("function_item")
        name_node = owner.child_by_field_name("name") if owner is not None else None
        consumes = name_node is not None and re.match(
            r"(?:pop|take|next|remove|dequeue|drain|shift|finish|close|reset|flush)",
            inp.file.node_text(name_node),
        )
        refills = owner is not None and re.search(
            rf"{re.escape(scrutinee)}\s*=[^=]", inp.file.node_text(owner)
        )
        taken.append(
            inp.insert(
                f"Take the value out of `{scrutinee}` (leaving `None`) and match on it",
                inp.end,
                ".take()",
                0.65 if consumes or refills else 0.5,
            )
        )
    # `match *shape` → `match shape`; `match self.state` → `match &self.state`.
    deref = scrutinee.startswith("*")
    edits = [
        inp.edit(inp.start, inp.start + 1, "") if deref else inp.edit(inp.start, inp.start, "&")
    ]
    for span in inp.labelled("data moved here"):
        offsets = inp.offsets_here(span)
        if offsets is None:
            continue
        binding = inp.file.node_at(*offsets)
        if binding.type != "identifier":
            continue
        scope = _binding_scope(inp.file, binding)
        if scope is None:
            continue
        name = inp.file.node_text(binding)
        for use in identifiers(inp.file, scope, name):
            parent = use.parent
            # A method call, a field or a format argument works on the reference.
            if parent is not None and parent.type in ("field_expression", "token_tree"):
                continue
            if parent is not None and parent.type == "unary_expression":
                continue
            end = inp.file.end(use)
            edits.append(inp.edit(end, end, ".clone()"))
    if len(edits) == 1:
        return taken
    return [
        *taken,
        inp.candidate(
            f"Match on `{scrutinee[1:] if deref else '&' + scrutinee}` and clone what is moved out",
            edits,
            score=0.6,
        ),
    ]
