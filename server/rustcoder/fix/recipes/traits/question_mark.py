"""Making `?` legal: the function's return type, the error conversion, closures.

rustc explains why a `?` does not compile (the function returns `()`, the
error types do not convert, an `Option` meets a `Result`, the `?` sits in a
closure) but seldom proposes an edit it would apply. Each edit kind here
changes one of the things `?` depends on: the return type, the error (a
conversion at the `?`, a `From` impl, or a boxed error), an `ok_or`, or the
closure's result type.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import (
    Node,
    enclosing_fn,
    insert_items_after,
    last_segment,
    text_of,
)
from rustcoder.fix.recipes.traits._syntax import local_type, result_error_type
from rustcoder.fix.rust_syntax import SourceFile

# --- `?` ---------------------------------------------------------------------------


def _tail_fix(file: SourceFile, body: Node) -> list[Edit]:
    """A tail expression of a `()` function becomes a statement before `Ok(())`."""
    children = [c for c in body.named_children if c.type not in ("line_comment", "block_comment")]
    if not children:
        return []
    last = children[-1]
    if last.type.endswith(("_statement", "_declaration", "_item")):
        return []
    at = file.end(last)
    if file.text[at : at + 1] == ";":
        return []
    return [Edit(file.path, at, at, ";")]


def _wrap_unit_fn(file: SourceFile, fn: Node, ret: str, value: str) -> list[Edit]:
    params = fn.child_by_field_name("parameters")
    body = fn.child_by_field_name("body")
    if params is None or body is None:
        return []
    old_ret = fn.child_by_field_name("return_type")
    if old_ret is not None:
        if file.node_text(old_ret).replace(" ", "") != "()":
            return []
        edits = [Edit(file.path, file.start(old_ret), file.end(old_ret), ret)]
    else:
        at = file.end(params)
        edits = [Edit(file.path, at, at, f" -> {ret}")]
    edits.extend(_tail_fix(file, body))
    close = file.end(body) - 1
    line = file.line_start(close)
    if file.text[line:close].strip():
        space = "" if file.text[close - 1 : close].isspace() else " "
        edits.append(Edit(file.path, close, close, f"{space}{value} "))
    else:
        indent = file.indent_at(file.start(fn)) + "    "
        edits.append(Edit(file.path, line, line, f"{indent}{value}\n"))
    for node in _own_nodes(fn, "return_expression"):
        if not node.named_children:
            edits.append(Edit(file.path, file.start(node), file.end(node), f"return {value}"))
    if ret.startswith("Result"):
        # `?` on what is certainly an Option needs an error to return.
        for node in _own_nodes(fn, "try_expression"):
            operand = node.named_children[0] if node.named_children else None
            if operand is not None and _option_call(file, operand):
                at = file.end(operand)
                edits.append(Edit(file.path, at, at, '.ok_or("missing value")'))
    return edits


#: Methods that return an `Option` whatever their receiver.
OPTION_METHODS = {
    "first", "last", "get", "get_mut", "next", "pop", "find", "position", "max", "min",
    "max_by_key", "min_by_key", "nth", "peek", "parent", "file_name", "extension",
    "split_once", "rsplit_once", "strip_prefix", "strip_suffix", "checked_add", "checked_sub",
    "checked_mul", "checked_div", "to_digit", "from_digit",
}  # fmt: skip


def _option_call(file: SourceFile, node: Node) -> bool:
    if node.type != "call_expression":
        return False
    function = node.child_by_field_name("function")
    if function is None or function.type != "field_expression":
        return False
    return text_of(file, function.child_by_field_name("field")) in OPTION_METHODS


def _own_nodes(fn: Node, node_type: str) -> list[Node]:
    """Nodes of a type in this function's body, not in nested closures or functions."""
    body = fn.child_by_field_name("body")
    found = []
    stack = list(body.children) if body is not None else []
    while stack:
        node = stack.pop()
        if node.type in ("closure_expression", "function_item", "async_block"):
            continue
        if node.type == node_type:
            found.append(node)
        stack.extend(node.children)
    return found


@edit_kind("return-result")
def return_result(inp: RecipeInput) -> list[Candidate]:
    """`?` in a function returning `()`: return `Result<(), Box<dyn Error>>` (or `Option<()>`)."""
    fn = need(enclosing_fn(inp))
    name = text_of(inp.file, fn.child_by_field_name("name"))
    result = []
    edits = _wrap_unit_fn(inp.file, fn, "Result<(), Box<dyn std::error::Error>>", "Ok(())")
    if edits:
        result.append(
            inp.candidate(
                f"Make `{name}` return `Result<(), Box<dyn std::error::Error>>`", edits, score=0.7
            )
        )
    if name != "main":
        edits = _wrap_unit_fn(inp.file, fn, "Option<()>", "Some(())")
        if edits:
            result.append(inp.candidate(f"Make `{name}` return `Option<()>`", edits, score=0.45))
    return result


def _enum_variants(file: SourceFile, item: Node) -> list[tuple[str, str]]:
    """(variant, single field type) of an enum's one-field tuple variants."""
    body = item.child_by_field_name("body")
    result = []
    for variant in body.named_children if body is not None else []:
        if variant.type != "enum_variant":
            continue
        fields = variant.child_by_field_name("body")
        if fields is None or fields.type != "ordered_field_declaration_list":
            continue
        types = [c for c in fields.named_children if c.type not in ("attribute_item",)]
        if len(types) == 1:
            result.append(
                (text_of(file, variant.child_by_field_name("name")), file.node_text(types[0]))
            )
    return result


def _turbofish(inp: RecipeInput) -> list[Edit]:
    """`let n: u16 = s.parse()?` → `s.parse::<u16>()`: `map_err` hides the target type."""
    node = inp.file.node_at(inp.start, inp.end)
    try_expr = inp.file.enclosing(node, "try_expression")
    if try_expr is None or not try_expr.named_children:
        return []
    operand = try_expr.named_children[0]
    if operand.type != "call_expression":
        return []
    function = operand.child_by_field_name("function")
    if function is None or function.type != "field_expression":
        return []
    field = function.child_by_field_name("field")
    if field is None or inp.file.node_text(field) != "parse":
        return []
    let = inp.file.enclosing(try_expr, "let_declaration")
    type_ = let.child_by_field_name("type") if let is not None else None
    value = let.child_by_field_name("value") if let is not None else None
    if type_ is None or value is None or value.start_byte != try_expr.start_byte:
        return []
    at = inp.file.end(field)
    return [inp.edit(at, at, f"::<{inp.file.node_text(type_)}>")]


@edit_kind("convert-error")
def convert_error(inp: RecipeInput) -> list[Candidate]:
    """`?` cannot convert the error: convert it at the `?`, implement `From`, or box it."""
    target = inp.params.get("target", "").strip()
    source = ""
    for span in inp.labelled("because it has type `Result<_, "):
        found = re.search(r"has type `Result<_, (?P<err>.+)>`", span.label or "")
        if found:
            source = found.group("err")
    question = inp.start
    if inp.file.text[inp.start : inp.end] != "?":
        return []
    result: list[Candidate] = []
    if re.fullmatch(r"(?:std::)?io::Error", target):
        result.append(
            inp.insert(
                "Wrap the error in an `std::io::Error` with `.map_err(std::io::Error::other)`",
                question,
                ".map_err(std::io::Error::other)",
                0.8,
            )
        )
    if target == "String":
        result.append(
            inp.candidate(
                "Convert the error to a `String` with `.map_err(|e| e.to_string())`",
                [inp.edit(question, question, ".map_err(|e| e.to_string())"), *_turbofish(inp)],
                score=0.8,
            )
        )
    found_type = local_type(inp, target) if target else None
    if found_type is not None and source:
        file, item = found_type
        name = text_of(file, item.child_by_field_name("name"))
        variants = _enum_variants(file, item) if item.type == "enum_item" else []
        for variant, field in variants:
            if last_segment(field) == last_segment(source):
                text = (
                    f"\nimpl From<{source}> for {name} {{\n"
                    f"    fn from(err: {source}) -> Self {{\n"
                    f"        {name}::{variant}(err)\n"
                    "    }\n"
                    "}\n"
                )
                result.append(
                    inp.candidate(
                        f"Implement `From<{source}>` for `{name}` (as `{name}::{variant}`)",
                        [insert_items_after(file, item, text)],
                        score=0.85,
                    )
                )
                break
        else:
            for variant, field in variants:
                if field == "String":
                    result.append(
                        inp.insert(
                            f"Convert the error with `.map_err(|e| {name}::{variant}(..))`",
                            question,
                            f".map_err(|e| {name}::{variant}(e.to_string()))",
                            0.6,
                        )
                    )
                    break
    fn = enclosing_fn(inp)
    error_node = result_error_type(inp.file, fn) if fn is not None else None
    if error_node is not None and "Box<dyn" not in inp.file.node_text(error_node):
        result.append(
            inp.replace(
                "Return `Box<dyn std::error::Error>` as the error type",
                error_node,
                "Box<dyn std::error::Error>",
                0.4,
            )
        )
    return result[:4]


@edit_kind("question-mark-adapt")
def question_mark_adapt(inp: RecipeInput) -> list[Candidate]:
    """`?` on an Option in a Result function (`.ok_or(..)?`) or on a Result in an Option one."""
    if inp.file.text[inp.start : inp.end] != "?":
        return []
    at = inp.start
    if inp.params.get("into") == "option":
        return [inp.insert("Discard the error with `.ok()?`", at, ".ok()", 0.8)]
    fn = enclosing_fn(inp)
    error_node = need(result_error_type(inp.file, fn) if fn is not None else None)
    error = inp.file.node_text(error_node).replace(" ", "")
    node = inp.file.node_at(inp.start, inp.end)
    expr = node.named_children[0] if node.type == "try_expression" and node.named_children else None
    what = inp.file.node_text(expr) if expr is not None else ""
    message = f"missing {what}" if re.fullmatch(r"\w+(\.\w+)*", what) else "missing value"
    if error == "String":
        adapter = f'.ok_or_else(|| "{message}".to_string())'
    elif error.startswith("Box<dyn") or error.startswith("&"):
        adapter = f'.ok_or("{message}")'
    else:
        return []
    return [inp.insert("Turn the `None` into an error with `.ok_or(..)`", at, adapter, 0.8)]


# --- `?` in closures ---------------------------------------------------------------------


def _collect_after(file: SourceFile, call: Node) -> Node | None:
    """The `.collect()` call later in the method chain of `call`, if any."""
    node = call
    for _ in range(8):
        access = node.parent
        if access is None or access.type != "field_expression":
            return None
        outer = access.parent
        if outer is not None and outer.type == "generic_function":
            outer = outer.parent
        if outer is None or outer.type != "call_expression":
            return None
        if text_of(file, access.child_by_field_name("field")) == "collect":
            return outer
        node = outer
    return None


@edit_kind("closure-question-mark")
def closure_question_mark(inp: RecipeInput) -> list[Candidate]:
    """`?` inside `.map(|x| ..?)`: let the closure return the `Result`, collect into one, `?` it."""
    file = inp.file
    node = file.node_at(inp.start, inp.end)
    closure = file.enclosing(node, "closure_expression")
    try_expr = file.enclosing(node, "try_expression")
    fn = file.enclosing(closure, "function_item")
    if closure is None or try_expr is None or fn is None:
        return []
    args = closure.parent
    call = args.parent if args is not None else None
    if args is None or args.type != "arguments" or call is None:
        return []
    collect = _collect_after(file, call)
    ret = fn.child_by_field_name("return_type")
    wrapper = last_segment(file.node_text(ret)) if ret is not None else ""
    if collect is None or wrapper not in ("Result", "Option"):
        return []
    body = need(closure.child_by_field_name("body"))
    edits: list[Edit] = []
    if body.start_byte == try_expr.start_byte and body.end_byte == try_expr.end_byte:
        edits.append(inp.edit(file.end(try_expr) - 1, file.end(try_expr), ""))
    else:
        tail = body
        if body.type == "block":
            named = [c for c in body.named_children if not c.type.endswith("comment")]
            if not named or named[-1].type.endswith(("_statement", "_declaration")):
                return []
            tail = named[-1]
        ok = "Ok" if wrapper == "Result" else "Some"
        edits.append(inp.edit(file.start(tail), file.start(tail), f"{ok}("))
        edits.append(inp.edit(file.end(tail), file.end(tail), ")"))
    function = need(collect.child_by_field_name("function"))
    let = file.enclosing(collect, "let_declaration")
    let_type = let.child_by_field_name("type") if let is not None else None
    value = let.child_by_field_name("value") if let is not None else None
    target = "Vec<_>"
    if function.type == "generic_function":
        type_args = function.child_by_field_name("type_arguments")
        if type_args is not None:
            target = file.node_text(type_args)[1:-1].strip()
        name_end = file.end(function.child_by_field_name("function") or function)
        edits.append(inp.edit(name_end, file.end(function), ""))
        at = name_end
    else:
        at = file.end(function)
        if let_type is not None and value is not None and value.start_byte == collect.start_byte:
            target = file.node_text(let_type)
    error_type = "_"
    fn_error = result_error_type(file, fn)
    if body.start_byte != try_expr.start_byte and fn_error is not None:
        error_type = file.node_text(fn_error)  # `?` inside the closure converts into it
    combined = f"Result<{target}, {error_type}>" if wrapper == "Result" else f"Option<{target}>"
    edits.append(inp.edit(at, at, f"::<{combined}>"))
    edits.append(inp.edit(file.end(collect), file.end(collect), "?"))
    return [
        inp.candidate(
            f"Collect into `{combined}` and apply `?` once, outside the closure",
            edits,
            score=0.8,
        )
    ]
