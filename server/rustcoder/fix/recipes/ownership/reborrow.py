"""E0499/E0502: a method of `self` called while a borrow of one of its fields is live.

    let job = self.jobs.get_mut(&id).unwrap();
    job.done = true;
    self.note(format!("finished {}", job.id));   // needs all of `self`
    job.cost = 0;

The borrow of `self.jobs` is still in use when `self.note` needs the whole
of `self`. Index, then reborrow: compute what the call needs from the
borrowed value before it (into locals, which end that use of the borrow),
and look the value up again after the call for the lines that still use it.
The lookup is the program's own expression, so what it finds is what it
found before, as long as the call does not change which entries there are
(the engine compiles the result; the reader judges the rest).

When the borrow is of a place (`let robot = &mut self.robots[id];`) and is
read before the call too, the place itself is read up to the call
(`self.robots[id].battery`) and borrowed only after it.

A field lent to the method itself (`self.fill(&mut self.buf)`) is split off
instead: taken out into a local for the call and put back after it, when the
method never reads that field (it would find it empty).
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.local_types import LocalTypes
from rustcoder.fix.recipes.ownership._common import (
    fresh_name,
    identifiers,
    mentions,
)
from rustcoder.fix.recipes.syntax import Node, alone_on_lines, line_span, statement_of, text_of
from rustcoder.fix.recipes.types._syntax import viewed
from rustcoder.fix.rust_syntax import SourceFile


def _first_borrow(inp: RecipeInput) -> tuple[int, int] | None:
    """Where the borrow that is still alive was taken: the labelled span that is not the
    primary one (rustc labels it "first mutable …" or "mutable/immutable borrow occurs here")."""
    for span in inp.diagnostic.spans:
        if span.is_primary or not span.label or not span.label.endswith("borrow occurs here"):
            continue
        located = inp.offsets_here(span)
        if located is not None:
            return located
    return None


def _self_call(file_text: str, statement: Node) -> Node | None:
    """The outermost `self.method(..)` (or `Self::f(self, ..)`) call in `statement`."""
    stack = [statement]
    while stack:
        node = stack.pop(0)
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            text = file_text[function.start_byte : function.end_byte] if function else ""
            if text.startswith("self."):
                return node
        stack.extend(node.named_children)
    return None


def _parameter_names(file: SourceFile, call: Node) -> list[str]:
    """The parameter names of the method `call` calls, when the file defines exactly one."""
    function = call.child_by_field_name("function")
    method = function.child_by_field_name("field") if function is not None else None
    if method is None:
        return []
    reader = LocalTypes(file)
    found = reader.methods(text_of(file, method))
    if len(found) != 1:
        return []
    params = found[0][0].child_by_field_name("parameters")
    names = []
    for param in params.named_children if params is not None else []:
        pattern = param.child_by_field_name("pattern") if param.type == "parameter" else None
        if pattern is not None:
            names.append(text_of(file, pattern).removeprefix("mut "))
    return names


@edit_kind("reborrow-after-call", prepare=viewed)
def reborrow_after_call(inp: RecipeInput) -> list[Candidate]:
    """Take what `self.method(..)` needs from the borrowed field's value into locals first,
    and look the value up again after the call (see the module's docstring)."""
    file = inp.file
    first = need(_first_borrow(inp))
    binding = need(file.enclosing(file.node_at(*first), "let_declaration"))
    pattern = need(binding.child_by_field_name("pattern"))
    value = need(binding.child_by_field_name("value"))
    lookup = text_of(file, value)
    names = [n for n in file.walk(pattern) if n.type == "identifier"]
    if len(names) != 1 or not lookup.lstrip("&").removeprefix("mut ").startswith("self."):
        return []
    name = text_of(file, names[0])
    statement = need(statement_of(file, file.node_at(inp.start, inp.end)))
    block = need(statement.parent)
    if binding.parent != block or statement.start_byte <= binding.end_byte:
        return []
    call = need(_self_call(file.data.decode("utf-8", errors="replace"), statement))
    arguments = need(call.child_by_field_name("arguments"))
    indent = file.indent_at(file.start(statement))
    fn = file.enclosing(statement, "function_item")
    hoisted: list[str] = []
    edits = []
    taken: list[str] = []
    param_names = _parameter_names(file, call)
    for index, arg in enumerate(arguments.named_children):
        if not identifiers(file, arg, name) and not mentions(
            file, file.start(arg), file.end(arg), name
        ):
            continue
        named = [param_names[index]] if index < len(param_names) else []
        options = [
            n
            for n in (*named, *(f"{name}_{w}" for w in ("value", "arg", "part", "more")))
            if n not in taken and n != name
        ]
        local = fresh_name(file, fn, *options)
        taken.append(local)
        text = text_of(file, arg)
        if text.lstrip("&").removeprefix("mut ").strip() == name:
            return []  # the argument is the borrow itself: a local would hold it just the same
        passed = local
        if arg.type == "reference_expression":
            inner = need(arg.child_by_field_name("value"))
            text, passed = f"{text_of(file, inner)}.clone()", f"&{local}"
        hoisted.append(f"let {local} = {text};\n{indent}")
        edits.append(inp.edit(file.start(arg), file.end(arg), passed))
    rest = [c for c in block.named_children if c.start_byte >= statement.end_byte]
    used_after = any(
        identifiers(file, c, name) or mentions(file, file.start(c), file.end(c), name) for c in rest
    )
    if used_after and _may_change(file, call, lookup):
        return []  # the call may change what the lookup finds: looking again is not the same
    later = _borrow_later(inp, binding, value, name, statement, used_after)
    inside = [a for a in arguments.named_children if identifiers(file, a, name)]
    if not hoisted or len(identifiers(file, statement, name)) > sum(
        len(identifiers(file, a, name)) for a in inside
    ):
        return later  # the statement still reads the borrow outside the call's arguments
    if hoisted:
        at = file.start(statement)
        edits.append(inp.edit(at, at, "".join(hoisted)))
    if used_after:
        mutable = "mut " if text_of(file, pattern).startswith("mut ") else ""
        at = file.end(statement)
        edits.append(inp.edit(at, at, f"\n{indent}let {mutable}{name} = {lookup};"))
    title = f"Take what `{text_of(file, call.child_by_field_name('function'))}` needs first"
    if used_after:
        title += f", then look `{name}` up again"
    return [inp.candidate(title, edits, 0.65), *later]


def _borrow_later(
    inp: RecipeInput, binding: Node, value: Node, name: str, statement: Node, used_after: bool
) -> list[Candidate]:
    """`let robot = &mut self.robots[id];` read before the call as well: use the place itself
    (`self.robots[id].battery`) up to the call, and borrow it only after."""
    file = inp.file
    place = value.child_by_field_name("value") if value.type == "reference_expression" else None
    if place is None or place.type not in ("field_expression", "index_expression"):
        return []
    if not alone_on_lines(file, binding):
        return []
    between = [
        c
        for c in need(binding.parent).named_children
        if binding.end_byte <= c.start_byte and c.end_byte <= statement.end_byte
    ]
    edits = []
    for node in between:
        uses = identifiers(file, node, name)
        if mentions(file, file.start(node), file.end(node), name) and not uses:
            return []  # named inside a format string: not a place to rewrite
        for use in uses:
            parent = use.parent
            if (
                parent is None
                or parent.type != "field_expression"
                or parent.named_children[0] != use
            ):
                return []  # the reference itself is used, not a field or method through it
            edits.append(inp.edit(file.start(use), file.end(use), text_of(file, place)))
    if not edits:
        return []
    start, end = line_span(file, binding)
    edits.append(inp.edit(start, end, ""))
    if used_after:
        at = file.end(statement)
        indent = file.indent_at(file.start(statement))
        edits.append(inp.edit(at, at, f"\n{indent}{text_of(file, binding)}"))
    title = f"Read `{text_of(file, place)}` directly until the call, and borrow it after"
    return [inp.candidate(title, edits, 0.6)]


def _method_body(file: SourceFile, call: Node) -> Node | None:
    """The body of the one method of this file that `call` (`self.m(..)`) calls."""
    function = call.child_by_field_name("function")
    method = function.child_by_field_name("field") if function is not None else None
    found = LocalTypes(file).methods(text_of(file, method)) if method is not None else []
    return found[0][0].child_by_field_name("body") if len(found) == 1 else None


def _may_change(file: SourceFile, call: Node, lookup: str) -> bool:
    """Whether the method `call` calls may touch the field a lookup (`self.jobs.get_mut(..)`,
    `&mut self.robots[i]`) reads: then the value looked up again may not be the same one."""
    root = re.match(r"&?(?:mut\s+)?self\.(\w+)", lookup)
    body = _method_body(file, call)
    return root is None or body is None or _reads_field(file, body, root.group(1))


def _reads_field(file: SourceFile, body: Node, field: str, depth: int = 3) -> bool:
    """Whether `body`, or a method of `self` it calls (a few calls deep), names `self.field`;
    a method whose body this file does not have counts as reading it."""
    text = text_of(file, body)
    if re.search(rf"\bself\.{re.escape(field)}\b", text):
        return True
    reader = LocalTypes(file)
    for called in set(re.findall(r"\bself\.(\w+)\s*\(", text)):
        found = reader.methods(called)
        inner = found[0][0].child_by_field_name("body") if len(found) == 1 else None
        if inner is None or depth == 0 or _reads_field(file, inner, field, depth - 1):
            return True
    return False


@edit_kind("take-field-for-call")
def take_field_for_call(inp: RecipeInput) -> list[Candidate]:
    """`self.fill(&mut self.buf)`: the method needs all of `self` while one of its fields
    is lent to it. Take the field out into a local for the call and put it back after;
    only when the method never touches that field itself (it would see it empty)."""
    file = inp.file
    statement = need(statement_of(file, file.node_at(inp.start, inp.end)))
    if statement.type == "expression_statement" and statement.children[-1].type != ";":
        return []
    if statement.type not in ("expression_statement", "let_declaration"):
        return []
    call = need(_self_call(file.data.decode("utf-8", errors="replace"), statement))
    arguments = need(call.child_by_field_name("arguments"))
    body = need(_method_body(file, call))
    indent = file.indent_at(file.start(statement))
    fn = file.enclosing(statement, "function_item")
    before, after, edits = [], [], []
    for arg in arguments.named_children:
        value = arg.child_by_field_name("value") if arg.type == "reference_expression" else None
        field = text_of(file, value) if value is not None else ""
        if value is None or value.type != "field_expression" or not field.startswith("self."):
            continue
        name = field.removeprefix("self.")
        if "." in name or _reads_field(file, body, name):
            continue
        mutable = any(c.type == "mutable_specifier" for c in arg.children)
        local = fresh_name(file, fn, name, f"{name}_taken")
        before.append(f"let {'mut ' if mutable else ''}{local} = std::mem::take(&mut {field});\n")
        after.append(f"\n{indent}{field} = {local};")
        edits.append(
            inp.edit(file.start(arg), file.end(arg), f"&{'mut ' if mutable else ''}{local}")
        )
    if not edits:
        return []
    start, end = file.start(statement), file.end(statement)
    edits.append(inp.edit(start, start, indent.join(before) + indent))
    edits.append(inp.edit(end, end, "".join(after)))
    method = text_of(file, call.child_by_field_name("function"))
    return [inp.candidate(f"Take the field out for `{method}` and put it back after", edits, 0.6)]
