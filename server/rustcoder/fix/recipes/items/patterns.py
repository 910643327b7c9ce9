"""Patterns that do not cover every value: `match` arms, tuple patterns, `let`.

The fix is always to add what the pattern misses (the arms rustc lists, or
every uncovered variant when it lists only a few; a `..`; an `else` that
leaves the code path), keeping the layout of the code around it.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind
from rustcoder.fix.recipes.items._syntax import after_trailing_comment
from rustcoder.fix.recipes.syntax import Node, indent_unit, primary_node
from rustcoder.fix.rust_syntax import SourceFile


def _split_patterns(text: str) -> list[str]:
    """`` `A`, `B(_)` and `C { .. }` `` → the patterns; empty when rustc elided some."""
    if re.search(r"and \d+ more", text):
        return []
    return re.findall(r"`([^`]+)`", text)


def _uncovered_variants(inp: RecipeInput, arms: list[Node], listed: str) -> list[str]:
    """Every variant no arm names, when rustc listed only the first few (`and 3 more`)."""
    shown = re.findall(r"`([^`]+)`", listed)
    prefix = re.match(r"^(&?(?:[\w]+::)+)\w+", shown[0]) if shown else None
    enum_name = next(
        (
            m.group(1)
            for m in map(re.compile(r"^`([\w:]+)` defined here$").match, inp.messages())
            if m
        ),
        None,
    )
    if prefix is None or enum_name is None:
        return []
    found = inp.find_type(enum_name.split("::")[-1])
    if found is None:
        return []
    source, enum = found
    assert isinstance(enum, Node)
    body = enum.child_by_field_name("body")
    if enum.type != "enum_item" or body is None:
        return []
    named = " ".join(inp.file.node_text(a.child_by_field_name("pattern") or a) for a in arms)
    result = []
    for variant in body.named_children:
        ident = variant.child_by_field_name("name")
        if variant.type != "enum_variant" or ident is None:
            continue
        name = source.node_text(ident)
        if re.search(rf"\b{re.escape(name)}\b", named):
            continue
        fields = variant.child_by_field_name("body")
        suffix = ""
        if fields is not None:
            suffix = "(..)" if fields.type == "ordered_field_declaration_list" else " { .. }"
        result.append(f"{prefix.group(1)}{name}{suffix}")
    return result


@edit_kind("add-match-arms")
def add_match_arms(inp: RecipeInput) -> list[Candidate]:
    """A non-exhaustive match: add the arms rustc lists (`todo!()` bodies), or `_ => todo!()`."""
    match = inp.file.enclosing(primary_node(inp), "match_expression")
    block = match.child_by_field_name("body") if match is not None else None
    if match is None or block is None or not block.children or block.children[-1].type != "}":
        return []
    arms = [c for c in block.named_children if c.type == "match_arm"]
    if inp.params.get("mode") == "wildcard":
        patterns = ["_"]
    else:
        listed = inp.captures.get("patterns", "")
        patterns = _split_patterns(listed) or _uncovered_variants(inp, arms, listed)
        if not patterns or patterns == ["_"]:
            return []
        refs = any(
            inp.file.node_text(a.child_by_field_name("pattern") or a).startswith("&") for a in arms
        )
        if not refs:
            patterns = [p[1:] if p.startswith("&") else p for p in patterns]
    file = inp.file
    close_at = file.start(block.children[-1])
    last_end = file.end(arms[-1]) if arms else file.start(block) + 1
    needs_comma = bool(arms) and not file.text[:last_end].rstrip().endswith((",", "}"))
    body = inp.params.get("body", "todo!()")
    edits = []
    if "\n" in file.text[file.start(block) : close_at]:
        indent = (
            file.indent_at(file.start(arms[0]))
            if arms
            else file.indent_at(close_at) + indent_unit(file)
        )
        if needs_comma:
            edits.append(inp.edit(last_end, last_end, ","))
        at = after_trailing_comment(file.text, last_end)
        edits.append(inp.edit(at, at, "".join(f"\n{indent}{p} => {body}," for p in patterns)))
    else:
        arms_text = ", ".join(f"{p} => {body}" for p in patterns)
        text = f", {arms_text}" if needs_comma else f" {arms_text},"
        edits.append(inp.edit(last_end, last_end, text))
    title = (
        "Add a `_ => todo!()` arm"
        if patterns == ["_"]
        else f"Add the missing match arms ({', '.join(patterns)})"
    )
    return [inp.candidate(title, edits, score=0.6 if patterns != ["_"] else 0.5)]


@edit_kind("pattern-rest")
def pattern_rest(inp: RecipeInput) -> list[Candidate]:
    """A tuple pattern with too few fields: ignore the rest with `..`."""
    node = inp.file.enclosing(primary_node(inp), "tuple_struct_pattern", "tuple_pattern")
    if node is None or not node.children or node.children[-1].type != ")":
        return []
    if any(c.type == "remaining_field_pattern" for c in node.named_children):
        return []
    close = inp.file.start(node.children[-1])
    inner = inp.file.text[inp.file.start(node) : close]
    text = ".." if inner.rstrip().endswith("(") else ", .."
    if inner.rstrip().endswith(","):
        text = " .."
    return [inp.insert(None, close, text, 0.55)]


def _divergent_exits(file: SourceFile, node: Node) -> list[str]:
    """Ways to leave the current code path here: return/continue by context, then `todo!()`."""
    exits = []
    fn = file.enclosing(node, "function_item", "closure_expression")
    ret = fn.child_by_field_name("return_type") if fn is not None else None
    ret_text = file.node_text(ret) if ret is not None else ""
    if fn is not None and fn.type == "function_item":
        name = fn.child_by_field_name("name")
        is_main = name is not None and file.node_text(name) == "main"
        if ret is None or ret_text == "()":
            exits.append("return;")
        elif ret_text.startswith("Option<"):
            exits.append("return None;")
        elif ret_text.startswith("Vec<"):
            exits.append("return Vec::new();")
        elif ret_text == "bool":
            exits.append("return false;")
        elif is_main is False and ret_text in ("String",):
            exits.append("return String::new();")
    loop = file.enclosing(
        node, "for_expression", "while_expression", "loop_expression", "function_item"
    )
    if loop is not None and loop.type != "function_item":
        exits.insert(0, "continue;")
    exits.append("todo!()")
    return exits


@edit_kind("let-else")
def let_else(inp: RecipeInput) -> list[Candidate]:
    """A refutable pattern in `let`: add an `else` branch that leaves (`let ... else`)."""
    let = inp.file.enclosing(primary_node(inp), "let_declaration")
    if let is None or let.child_by_field_name("value") is None:
        return []
    if any(c.type == "else" or c.type == "block" for c in let.children):
        return []
    value = let.child_by_field_name("value")
    assert value is not None
    at = inp.file.end(value)
    result = []
    for index, exit_ in enumerate(_divergent_exits(inp.file, let)[:3]):
        edit = inp.edit(at, at, f" else {{ {exit_} }}")
        score = 0.35 if exit_ == "todo!()" else 0.55 - 0.05 * index
        result.append(inp.candidate(f"Add `else {{ {exit_} }}` to the `let`", [edit], score))
    return result
