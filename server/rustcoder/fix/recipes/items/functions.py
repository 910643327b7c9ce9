"""Errors about a fn or a binding as a whole: async, unsafe, initialization, scope.

`.await` in a sync fn, an unsafe call in safe code, a binding read before it
is assigned or used outside the block that declares it, a nested `fn` that
reads a local, a binary without `main`: the edit goes at the fn or the
binding's declaration, not at the expression rustc points at.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.items._syntax import labelled_places
from rustcoder.fix.recipes.syntax import Node, child_of_type, primary_node
from rustcoder.fix.rust_syntax import SourceFile, rust_files


@edit_kind("make-fn-async")
def make_fn_async(inp: RecipeInput) -> list[Candidate]:
    """`.await` in a sync fn: make it `async`, and await it where async callers call it."""
    fn = inp.file.enclosing(primary_node(inp), "function_item", "closure_expression")
    if fn is None or fn.type != "function_item":
        return []
    name_node = fn.child_by_field_name("name")
    fn_kw = child_of_type(fn, "fn")
    if name_node is None or fn_kw is None:
        return []
    name = inp.file.node_text(name_node)
    if name == "main":
        return []
    modifiers = child_of_type(fn, "function_modifiers")
    if modifiers is not None and "async" in inp.file.node_text(modifiers):
        return []
    at = inp.file.start(modifiers) if modifiers is not None else inp.file.start(fn_kw)
    edits = [inp.edit(at, at, "async ")]
    for path in rust_files(inp.ctx.workspace_root, limit=500):
        source = inp.source(path)
        if source is None or name not in source.text:
            continue
        for end in _call_ends(source, name):
            caller = source.enclosing(source.node_at(end - 1, end), "function_item")
            caller_mods = child_of_type(caller, "function_modifiers")
            if caller is fn or caller_mods is None or "async" not in source.node_text(caller_mods):
                continue
            if source.text[end : end + 6] != ".await":
                edits.append(Edit(source.path, end, end, ".await"))
    return [inp.candidate(f"Make `{name}` an `async fn`", edits, score=0.6)]


def _call_ends(source: SourceFile, name: str) -> Iterator[int]:
    """Where calls of `name` end, also inside macro arguments (`format!("{}", f(x))`)."""
    for node in source.walk():
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and re.split(r"::|\.", source.node_text(function))[-1] == name:
                yield source.end(node)
        elif node.type == "identifier" and node.parent is not None:
            following = node.next_sibling
            if (
                node.parent.type == "token_tree"
                and source.node_text(node) == name
                and following is not None
                and following.type == "token_tree"
                and source.node_text(following).startswith("(")
            ):
                yield source.end(following)


@edit_kind("wrap-unsafe")
def wrap_unsafe(inp: RecipeInput) -> list[Candidate]:
    """An unsafe operation in safe code: wrap exactly that expression in `unsafe { }`."""
    text = inp.span_text
    if not text.strip() or len(text) > 400:
        return []
    node = primary_node(inp)
    if inp.file.enclosing(node, "unsafe_block") is not None:
        return []
    start, end = inp.start, inp.end
    parent = node.parent
    # A `static mut` written to: the whole assignment goes in the block.
    if (
        parent is not None
        and parent.type in ("assignment_expression", "compound_assignment_expr")
        and parent.child_by_field_name("left") == node
    ):
        start, end = inp.file.start(parent), inp.file.end(parent)
        text = inp.file.text[start:end]
        statement = parent.parent
        if statement is not None and statement.type == "expression_statement":
            start, end = inp.file.start(statement), inp.file.end(statement)
            text = inp.file.text[start:end]
            return [inp.rewrite(None, start, end, f"unsafe {{ {text} }}", 0.6)]
    return [inp.rewrite(None, start, end, f"unsafe {{ {text} }}", 0.6)]


_ZERO_TYPES = {
    **dict.fromkeys(
        ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize"),
        "0",
    ),
    "f32": "0.0",
    "f64": "0.0",
    "bool": "false",
    "char": "' '",
    "String": "String::new()",
    "&str": '""',
    "&'static str": '""',
}


def _default_value(type_text: str | None) -> list[str]:
    if type_text is None:
        return ["Default::default()"]
    compact = type_text.strip()
    if compact in _ZERO_TYPES:
        return [_ZERO_TYPES[compact]]
    if compact.startswith("Option<"):
        return ["None"]
    if re.match(r"(?:Vec|HashMap|HashSet|BTreeMap|BTreeSet|VecDeque)\b", compact):
        return [f"{compact.split('<')[0]}::new()", "Default::default()"]
    return ["Default::default()"]


@edit_kind("init-binding")
def init_binding(inp: RecipeInput) -> list[Candidate]:
    """A binding read before it is surely assigned: give it a default value at `let`.

    Later assignments then need `let mut`.
    """
    name = inp.captures["name"]
    declared = labelled_places(inp, "binding declared here")
    let: Node | None = None
    if declared:
        path, start, end = declared[0]
        if path == inp.path:
            let = inp.file.enclosing(inp.file.node_at(start, end), "let_declaration")
    if let is None or let.child_by_field_name("value") is not None:
        return []
    pattern = let.child_by_field_name("pattern")
    type_node = let.child_by_field_name("type")
    if pattern is None or pattern.type != "identifier":
        return []
    block = inp.file.enclosing(let, "block")
    after = inp.file.text[inp.file.end(let) : inp.file.end(block) if block else len(inp.file.text)]
    assigned = re.search(
        rf"(?<![\w.]){re.escape(name)}\s*(?:(?:[-+*/%|&^]|<<|>>)?=(?!=)|\.\s*\w+\s*\()", after
    )
    edits_mut = (
        [inp.edit(inp.file.start(pattern), inp.file.start(pattern), "mut ")]
        if assigned and child_of_type(let, "mutable_specifier") is None
        else []
    )
    at = inp.file.end(type_node) if type_node is not None else inp.file.end(pattern)
    result = []
    values = _default_value(inp.file.node_text(type_node) if type_node is not None else None)
    for value in values[:2]:
        edits = [*edits_mut, inp.edit(at, at, f" = {value}")]
        result.append(inp.candidate(f"Initialize `{name}` with `{value}`", edits, score=0.55))
    return result


@edit_kind("fn-to-closure")
def fn_to_closure(inp: RecipeInput) -> list[Candidate]:
    """A nested `fn` reading a local: turn it into a closure, which can capture."""
    fn = inp.file.enclosing(primary_node(inp), "function_item")
    if fn is None or fn.parent is None or fn.parent.type != "block":
        return []
    name = fn.child_by_field_name("name")
    params = fn.child_by_field_name("parameters")
    body = fn.child_by_field_name("body")
    ret = fn.child_by_field_name("return_type")
    if name is None or params is None or body is None:
        return []
    if fn.child_by_field_name("type_parameters") is not None:
        return []
    inner = inp.file.node_text(params)[1:-1].strip().rstrip(",")
    arrow = f" -> {inp.file.node_text(ret)}" if ret is not None else ""
    fname = inp.file.node_text(name)
    text = f"let {fname} = |{inner}|{arrow} {inp.file.node_text(body)};"
    edit = inp.edit(inp.file.start(fn), inp.file.end(fn), text)
    return [inp.candidate(f"Turn `fn {fname}` into a closure that captures", [edit], 0.6)]


@edit_kind("hoist-binding-out")
def hoist_binding_out(inp: RecipeInput) -> list[Candidate]:
    """A binding used after the block that declares it: declare it before that block.

    `if c { let x = f(); } use(x)` → `let mut x = Default::default(); if c { x = f(); } use(x)`.
    """
    name = inp.captures["name"]
    located = labelled_places(inp, "available in a different scope")
    if not located or located[0][0] != inp.path:
        return []
    _, start, end = located[0]
    let = inp.file.enclosing(inp.file.node_at(start, end), "let_declaration")
    pattern = let.child_by_field_name("pattern") if let is not None else None
    value = let.child_by_field_name("value") if let is not None else None
    if let is None or pattern is None or value is None or pattern.type != "identifier":
        return []
    use_block = need(inp.file.enclosing(primary_node(inp), "block"))
    # The statement of the using block that holds the declaring block.
    holder: Node | None = let
    while holder is not None and holder.parent != use_block:
        holder = holder.parent
    if holder is None or holder == let:
        return []
    type_node = let.child_by_field_name("type")
    annotation = f": {inp.file.node_text(type_node)}" if type_node is not None else ""
    indent = inp.file.indent_at(inp.file.start(holder))
    values = _default_value(inp.file.node_text(type_node) if type_node is not None else None)
    result = []
    for default in values[:2]:
        edits = [
            inp.edit(
                inp.file.start(holder),
                inp.file.start(holder),
                f"let mut {name}{annotation} = {default};\n{indent}",
            ),
            inp.edit(inp.file.start(let), inp.file.start(value), f"{name} = "),
        ]
        result.append(inp.candidate(f"Declare `{name}` before the block that sets it", edits, 0.5))
    return result


@edit_kind("add-main")
def add_main(inp: RecipeInput) -> list[Candidate]:
    """A binary crate without `fn main`: add an empty one at the end of the file."""
    if inp.file.function("main") is not None:
        return []
    text = inp.file.text
    lead = "" if text.endswith("\n\n") or not text else ("\n" if text.endswith("\n") else "\n\n")
    edit = inp.edit(len(text), len(text), f"{lead}fn main() {{}}\n")
    return [inp.candidate(None, [edit], score=0.5)]
