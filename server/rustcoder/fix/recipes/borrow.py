"""Recipes for borrow-checker errors: moves, conflicting borrows, mutability.

rustc's usual suggestion for these is `.clone()`, which compiles but often
changes behaviour (a buffer that should be handed over and reset, an Option
field that should be taken). These recipes propose the ownership-preserving
alternatives; verification and ranking decide between them.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import nodes_of_type
from rustcoder.fix.rust_syntax import SourceFile, rust_files


def _is_place(expr: str) -> bool:
    """A simple place expression (`x`, `self.buf`, `v[i]`) that `&mut` can take."""
    return bool(re.fullmatch(r"[A-Za-z_][\w.]*(\[[^\[\]]+\])?", expr.strip()))


@edit_kind("add-mut-binding")
def add_mut_binding(inp: RecipeInput) -> list[Candidate]:
    """`let x` borrowed mutably: declare it `let mut x` (when rustc has no say)."""
    name = inp.captures["name"]
    before = inp.file.text[: inp.start]
    matches = list(re.finditer(rf"\blet\s+(?P<name>{re.escape(name)})\b", before))
    if not matches:
        return []
    match = matches[-1]
    at = match.start("name")
    return [inp.insert(f"Declare `{name}` as `mut {name}`", at, "mut ")]


@edit_kind("mut-self")
def mut_self(inp: RecipeInput) -> list[Candidate]:
    """A method that mutates its receiver (or a field of it) needs `&mut self`."""
    fn = need(inp.enclosing("function_item"))
    params = need(fn.child_by_field_name("parameters"))
    for param in params.named_children:
        if param.type == "self_parameter" and inp.file.node_text(param).replace(" ", "") == "&self":
            start, end = inp.file.start(param), inp.file.end(param)
            return [inp.rewrite("Take `&mut self` in this method", start, end, "&mut self")]
    return []


@edit_kind("mem-take-moved")
def take_instead_of_move(inp: RecipeInput) -> list[Candidate]:
    """Hand the value over and leave an empty one behind: `std::mem::take(&mut x)`.

    This is the intent when a buffer is moved into a collection and then
    reused (moved "in previous iteration of loop", or cleared after the move).
    """
    name = inp.captures["name"]
    result: list[Candidate] = []
    for span in inp.labelled("value moved here"):
        offsets = inp.offsets_here(span)
        if offsets is None:
            continue
        start, end = offsets
        moved = inp.file.text[start:end]
        if moved != name or not _is_place(moved):
            continue
        after = inp.file.text[end : end + 400]
        reused = "previous iteration of loop" in (span.label or "") or bool(
            re.search(rf"\b{re.escape(name)}\s*(\.clear\(\)|=[^=])", after)
        )
        result.append(
            inp.rewrite(
                f"Move `{name}` out with `std::mem::take`, leaving an empty value",
                start,
                end,
                f"std::mem::take(&mut {name})",
                CONFIDENT if reused else 0.4,
            )
        )
        break
    return result


@edit_kind("borrow-param")
def borrow_parameter(inp: RecipeInput) -> list[Candidate]:
    """The callee only reads its argument: take it by reference, pass `&x` everywhere."""
    fn_name = inp.captures["fn"]
    note = inp.child_spans("consider changing this parameter type")
    type_span = need(next((s for s in note if s.file_name and s.line_start == s.line_end), None))
    def_path, type_start, type_end = need(inp.span_offsets(type_span))
    def_file = need(inp.source(def_path))
    old_type = def_file.text[type_start:type_end]
    new_type = need(_borrowed(old_type))
    fn = def_file.enclosing(def_file.node_at(type_start, type_end), "function_item")
    params = need(fn.child_by_field_name("parameters") if fn is not None else None)
    index = need(
        next(
            (
                i
                for i, p in enumerate(
                    x for x in params.named_children if x.type != "self_parameter"
                )
                if def_file.start(p) <= type_start < def_file.end(p)
            ),
            None,
        )
    )
    edits: list[Edit] = [Edit(def_path, type_start, type_end, new_type)]
    for path in rust_files(inp.ctx.workspace_root):
        source = inp.source(path)
        if source is None or fn_name not in source.text:
            continue
        edits.extend(_borrow_call_args(source, fn_name, index))
    if len(edits) == 1:
        return []
    return [
        inp.candidate(
            f"Make `{fn_name}` borrow its argument (`{new_type}`) instead of taking ownership",
            edits,
            # Idiomatic and behaviour-preserving; if the callee needs ownership
            # it fails verification and rustc's `.clone()` comes next.
            score=CONFIDENT,
        )
    ]


def _borrowed(type_text: str) -> str | None:
    type_text = type_text.strip()
    if type_text.startswith("&"):
        return None
    if type_text == "String":
        return "&str"
    vec = re.fullmatch(r"Vec<(?P<item>.+)>", type_text)
    if vec:
        return f"&[{vec.group('item')}]"
    return f"&{type_text}"


def _borrow_call_args(source: SourceFile, fn_name: str, index: int) -> list[Edit]:
    edits = []
    for node in nodes_of_type(source, "call_expression"):
        function = node.child_by_field_name("function")
        called = source.node_text(function).split("::")[-1] if function is not None else None
        if called != fn_name:
            continue
        arguments = node.child_by_field_name("arguments")
        args = arguments.named_children if arguments is not None else []
        if index >= len(args):
            continue
        arg = args[index]
        if source.node_text(arg).startswith("&"):
            continue
        at = source.start(arg)
        edits.append(Edit(source.path, at, at, "&"))
    return edits


@edit_kind("take-from-mut-place")
def take_from_mut_place(inp: RecipeInput) -> list[Candidate]:
    """Moving out of a `&mut` place means taking it: `.take()` for Options, `mem::take` else."""
    place = inp.captures["place"]
    text = inp.span_text
    if text != place or not _is_place(place):
        return []
    option = any("has type `Option<" in (s.label or "") for s in inp.diagnostic.spans)
    if option:
        return [
            inp.insert(
                f"Take the value out of `{place}`, leaving `None`", inp.end, ".take()", CONFIDENT
            )
        ]
    return [
        inp.rewrite(
            f"Move `{place}` out with `std::mem::take`, leaving a default",
            inp.start,
            inp.end,
            f"std::mem::take(&mut {place})",
            0.7,
        )
    ]


@edit_kind("take-from-index")
def take_from_index(inp: RecipeInput) -> list[Candidate]:
    """`let x = v[i]` of a non-Copy item: borrow it, or take it when the owner is mutable."""
    place = inp.span_text
    if not _is_place(place):
        return []
    return [
        inp.rewrite(
            f"Move the element out of `{place}` with `std::mem::take`",
            inp.start,
            inp.end,
            f"std::mem::take(&mut {place})",
            0.3,
        )
    ]


@edit_kind("end-borrow-early")
def end_borrow_early(inp: RecipeInput) -> list[Candidate]:
    """End the conflicting shared borrow at once by copying what it reads.

    `for x in self.items.iter() { self.touch() }` → iterate a clone;
    `let f = v.first().unwrap(); v.push(..)` → `.cloned()` / `.copied()`.
    """
    result: list[Candidate] = []
    spans = inp.labelled("borrow occurs here") + inp.labelled("`")
    for span in spans:
        label = span.label or ""
        if (
            "immutable borrow occurs here" not in label
            and not label.startswith("`")
            and "is borrowed here" not in label
        ):
            continue
        offsets = inp.offsets_here(span)
        if offsets is None:
            continue
        start, end = offsets
        expr = inp.file.text[start:end]
        node = inp.file.node_at(start, end)
        parent = node.parent
        # `expr.method(..)`: copy the result of the call, or iterate a copy.
        if parent is not None and parent.type == "field_expression":
            call = parent.parent
            method = parent.child_by_field_name("field")
            method_name = inp.file.node_text(method) if method is not None else ""
            if call is not None and call.type == "call_expression":
                call_end = inp.file.end(call)
                outer = call.parent
                # `.first().unwrap()`: copy after the option is unwrapped.
                if (
                    outer is not None
                    and outer.type == "field_expression"
                    and outer.parent is not None
                ):
                    tail = inp.file.node_text(outer.child_by_field_name("field") or outer)
                    if tail in ("unwrap", "expect") and outer.parent.type == "call_expression":
                        call_end = inp.file.end(outer.parent)
                if method_name in ("iter", "keys", "values", "chars", "lines", "split_whitespace"):
                    result.append(
                        inp.insert(f"Iterate over a copy of `{expr}`", end, ".clone()", 0.55)
                    )
                else:
                    for adapter, score in ((".clone()", 0.55), (".to_owned()", 0.4)):
                        result.append(
                            inp.insert(
                                f"Copy the result of `{method_name}` ({adapter})",
                                call_end,
                                adapter,
                                score,
                            )
                        )
                break
        if parent is not None and parent.type == "reference_expression" and _is_place(expr):
            result.append(
                inp.replace(
                    f"Use a copy of `{expr}` instead of a reference",
                    parent,
                    f"{expr}.clone()",
                    0.45,
                )
            )
            break
    return result[:3]


@edit_kind("return-owned")
def return_owned(inp: RecipeInput) -> list[Candidate]:
    """A function returns a reference to its own local: return an owned value instead."""
    fn = inp.enclosing("function_item")
    ret = need(fn.child_by_field_name("return_type") if fn is not None else None)
    ret_text = inp.file.node_text(ret)
    owned = {"&str": ("String", ".to_string()"), "&String": ("String", ".clone()")}.get(
        re.sub(r"&'\w+\s*", "&", ret_text)
    )
    if owned is None:
        slice_match = need(re.fullmatch(r"&(?:'\w+\s*)?\[(?P<t>.+)\]", ret_text))
        owned = (f"Vec<{slice_match.group('t')}>", ".to_vec()")
    new_type, conversion = owned
    returned = inp.span_text
    # `&local` → `local` when the local already is the owned value; else convert.
    body = (
        inp.edit(inp.start, inp.end, returned[1:].strip())
        if returned.startswith("&") and _is_place(returned[1:])
        else inp.edit(inp.end, inp.end, conversion)
    )
    edits = [inp.edit(inp.file.start(ret), inp.file.end(ret), new_type), body]
    return [
        inp.candidate(
            f"Return an owned `{new_type}` instead of a reference",
            edits,
            score=0.5,
        )
    ]
