"""E0502 / E0505 / E0506 / E0500: a borrow still alive when its value changes or moves.

The conflict is between a borrow and a later statement; these kinds end the
borrow before the change (a statement moved below the borrow's last use, a
copy of the borrowed element or argument, a field taken out around a call,
a lookup repeated inside its branch) rather than change what is borrowed. Moving a
statement below a later use also answers E0382's use after a move.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.ownership._common import (
    enclosing_function,
    first_labelled,
    fresh_name,
    mentions,
    move_statement,
    names_in,
    root_name,
)
from rustcoder.fix.recipes.syntax import Node, alone_on_lines, statement_of
from rustcoder.fix.rust_syntax import SourceFile

# --- E0502 / E0505 / E0506: a borrow still alive --------------------------------


@edit_kind("move-after-last-use")
def move_after_last_use(inp: RecipeInput) -> list[Candidate]:
    """Move the conflicting statement below the borrow's last use.

    Only when nothing in between mentions the changed value, so the borrow
    still sees what it saw and later code still sees the change.
    """
    name = root_name(inp.captures.get("name", ""))
    later: tuple[int, int] | None
    if inp.params.get("moved") == "label":
        # E0382: the statement that moved the value goes below the use after it.
        moved = first_labelled(inp, "value moved here")
        if moved is None or any(
            "iteration of loop" in (s.label or "") for s in inp.diagnostic.spans
        ):
            return []
        conflict_at, later = moved, (inp.start, inp.end)
    else:
        conflict_at, later = (
            (inp.start, inp.end),
            first_labelled(inp, "later used here", "later used by call"),
        )
    if not name or later is None:
        return []
    conflict = statement_of(inp.file, inp.file.node_at(*conflict_at))
    last = statement_of(inp.file, inp.file.node_at(*later))
    if conflict is None or last is None or conflict.parent != last.parent:
        return []
    if inp.file.end(conflict) > inp.file.start(last):
        return []
    between = (inp.file.end(conflict), inp.file.end(last))
    # Nothing in between may read what the statement changes or binds: the
    # variables it names (E0506/E0505: the changed value too; E0382: the moved
    # value is unchanged by the move, so reading it earlier is the point).
    names = names_in(inp.file, conflict)
    if inp.params.get("moved") == "label":
        names.discard(name)
    else:
        names.add(name)
    if any(mentions(inp.file, *between, n) for n in names):
        return []
    edits = move_statement(inp.file, conflict, last, before=False)
    if not edits:
        return []
    return [inp.candidate(None, edits, score=0.5 if inp.params.get("moved") != "label" else 0.45)]


def _borrowed_place(file: SourceFile, start: int, end: int) -> tuple[Node, Node] | None:
    """(`&place`, `place`) around a borrowed variable, through fields and indexing."""
    node = file.node_at(start, end)
    if node.type == "reference_expression":
        value = node.child_by_field_name("value")
        if value is None or any(c.type == "mutable_specifier" for c in node.children):
            return None
        return node, value
    while node.parent is not None and node.parent.type in ("index_expression", "field_expression"):
        # A method call (`v.iter()`) is the borrow family's case, not a place.
        if node.parent.parent is not None and node.parent.parent.type == "call_expression":
            return None
        node = node.parent
    ref = node.parent
    if ref is None or ref.type != "reference_expression":
        return None
    if any(c.type == "mutable_specifier" for c in ref.children):
        return None
    return ref, node


@edit_kind("copy-element")
def copy_element(inp: RecipeInput) -> list[Candidate]:
    """`let x = &v[0]; v.push(..)`: copy the element so no borrow of `v` stays alive."""
    borrow = need(
        first_labelled(inp, "immutable borrow occurs here", "is borrowed here", "borrow of `")
    )
    ref, place = need(_borrowed_place(inp.file, *borrow))
    expr = inp.file.node_text(place)
    if place.type not in ("index_expression", "field_expression") or ".." in expr:
        return []
    start, end = inp.file.start(ref), inp.file.end(ref)
    return [
        inp.rewrite(f"Copy `{expr}` instead of borrowing it", start, end, expr, 0.6),
        inp.rewrite(f"Clone `{expr}` instead of borrowing it", start, end, f"{expr}.clone()", 0.5),
    ]


@edit_kind("clone-argument")
def clone_argument(inp: RecipeInput) -> list[Candidate]:
    """`s.push_str(&s)`: pass a copy of the borrowed argument."""
    borrow = need(first_labelled(inp, "immutable borrow occurs here"))
    ref, place = need(_borrowed_place(inp.file, *borrow))
    arguments = ref.parent
    if arguments is None or arguments.type != "arguments":
        return []
    if not inp.start <= inp.file.start(arguments) < inp.end:
        return []
    expr = inp.file.node_text(place)
    end = inp.file.end(place)
    # `v[..2].clone()` would clone an unsized slice; `to_owned` gives a Vec.
    sliced = place.type == "index_expression" and ".." in expr
    adapters = (".to_owned()",) if sliced else (".clone()", ".to_owned()")
    return [
        inp.insert(f"Pass a copy of `{expr}` ({adapter})", end, adapter, 0.6 - 0.1 * n)
        for n, adapter in enumerate(adapters)
    ]


# --- E0502 / E0500: a closure over `self` passed to a method of a field of `self`

#: Methods that change their receiver, so the taken field must be a `let mut`.
CHANGING = re.compile(
    r"(?:retain|sort|dedup|push|insert|remove|drain|extend|truncate|iter_mut|clear)"
)


@edit_kind("take-field-around-call")
def take_field_around_call(inp: RecipeInput) -> list[Candidate]:
    """`self.items.retain(|x| self.keep(x));`: take the field out, call on the local, put
    it back, so the closure can borrow `self` while the field is worked on."""
    statement = statement_of(inp.file, inp.file.node_at(inp.start, inp.end))
    if statement is None or statement.type != "expression_statement":
        return []
    text = inp.file.node_text(statement)
    found = re.match(r"self\.(?P<field>\w+)\.(?P<method>\w+)", text)
    if found is None or not alone_on_lines(inp.file, statement):
        return []
    field = found.group("field")
    rest = text[len(f"self.{field}") :]
    # A closure that reads the field itself would see it empty while it is taken out.
    if re.search(rf"\bself\.{re.escape(field)}\b", rest) or "|" not in rest:
        return []
    fn = enclosing_function(inp.file, statement)
    local = fresh_name(inp.file, fn, field, f"{field}_taken")
    mutable = "mut " if CHANGING.match(found.group("method")) else ""
    indent = inp.file.indent_at(inp.file.start(statement))
    new = (
        f"let {mutable}{local} = std::mem::take(&mut self.{field});\n"
        f"{indent}{local}{rest}\n"
        f"{indent}self.{field} = {local};"
    )
    start, end = inp.file.start(statement), inp.file.end(statement)
    return [
        inp.rewrite(
            f"Take `self.{field}` out while the closure borrows `self`, then put it back",
            start,
            end,
            new,
            0.55,
        )
    ]


# --- E0502: a lookup returned from one branch, the map changed in the other ----


@edit_kind("lookup-again")
def lookup_again(inp: RecipeInput) -> list[Candidate]:
    """`if let Some(v) = self.map.get(k) { return v; } self.map.insert(..)`: test first,
    then look the value up again inside the branch, so no borrow reaches the insert."""
    borrow = need(first_labelled(inp, "immutable borrow occurs here"))
    condition = inp.file.enclosing(inp.file.node_at(*borrow), "let_condition")
    owner = inp.file.enclosing(condition, "if_expression") if condition is not None else None
    if condition is None or owner is None:
        return []
    pattern = condition.child_by_field_name("pattern")
    value = condition.child_by_field_name("value")
    body = owner.child_by_field_name("consequence")
    if pattern is None or value is None or body is None:
        return []
    bound = re.fullmatch(r"Some\((?P<inner>.+)\)", inp.file.node_text(pattern), re.DOTALL)
    lookup = inp.file.node_text(value)
    if bound is None or value.type != "call_expression" or "\n" in lookup:
        return []
    statements = [c for c in body.named_children if c.type != "line_comment"]
    indent = need(inp.file.indent_at(inp.file.start(statements[0])) if statements else None)
    open_brace = inp.file.start(body) + 1
    return [
        inp.candidate(
            f"Check `{lookup}` first and look it up again inside the branch",
            [
                inp.edit(inp.file.start(condition), inp.file.end(condition), f"{lookup}.is_some()"),
                inp.edit(
                    open_brace,
                    open_brace,
                    f"\n{indent}let {bound.group('inner')} = {lookup}.unwrap();",
                ),
            ],
            score=0.6,
        )
    ]
