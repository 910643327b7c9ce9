"""Arguments, generics and constants: fill in what rustc leaves open.

rustc's own suggestions sometimes contain `/* Type */` placeholders, `Result`
is written without its error type, or a `const`/`static` is built from a value
that is not known at compile time. These edit kinds complete the signature or
item declaration that rustc could not finish.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import Node, text_of
from rustcoder.fix.recipes.types._common import PLACEHOLDER
from rustcoder.fix.recipes.types._syntax import source_slice, viewed
from rustcoder.fix.rust_syntax import SourceFile


@edit_kind("rustc-placeholders", prepare=viewed)
def rustc_placeholders(inp: RecipeInput) -> list[Candidate]:
    """rustc's own suggestion with placeholders, its `/* Type */` holes filled in.

    rustc knows which argument is missing or extra but leaves `/* u32 */` in
    the suggestion; `Default::default()` (or `todo!()`) fills the hole so the
    rest of the suggestion can be applied and checked.
    """
    wanted = re.compile(inp.params.get("help", "."))
    fills = [f for f in inp.params.get("fill", "Default::default()").split("|") if f]
    result: list[Candidate] = []
    for child in inp.diagnostic.children:
        if not wanted.search(child.message):
            continue
        spans = [s for s in child.spans if s.suggested_replacement is not None]
        if not spans:
            continue
        holes = any(PLACEHOLDER.search(s.suggested_replacement or "") for s in spans)
        for i, fill in enumerate(fills if holes else fills[:1]):
            edits = []
            for span in spans:
                located = inp.offsets_here(span)
                if located is None:
                    break
                new = PLACEHOLDER.sub(fill, span.suggested_replacement or "")
                edits.append(inp.edit(located[0], located[1], new))
            else:
                title = child.message[:1].upper() + child.message[1:]
                if holes:
                    title += f" (with `{fill}` as a placeholder)"
                score = (0.4 - 0.1 * i) if holes else 0.6
                result.append(inp.candidate(title, edits, score))
    return result[:4]


@edit_kind("result-error-type", prepare=viewed)
def result_error_type(inp: RecipeInput) -> list[Candidate]:
    """`Result<T>` without an error type: name one."""
    if source_slice(inp, inp.start, inp.end).split("::")[-1] != "Result":
        return []
    node = inp.file.node_at(inp.start, inp.end)
    generic = inp.file.enclosing(node, "generic_type")
    args = generic.child_by_field_name("type_arguments") if generic is not None else None
    if args is None or len(args.named_children) != 1:
        return []
    at = inp.file.end(args.named_children[0])
    errors = [e for e in inp.params.get("errors", "").split("|") if e]
    return [
        inp.insert(f"Use `{err}` as the error type", at, f", {err}", score)
        for err, score in zip(errors, (0.6, 0.5, 0.4, 0.3), strict=False)
    ]


def _const_parts(file: SourceFile, item: Node) -> tuple[str, Node, Node, Node] | None:
    name = item.child_by_field_name("name")
    type_ = item.child_by_field_name("type")
    value = item.child_by_field_name("value")
    if name is None or type_ is None or value is None:
        return None
    return text_of(file, name), name, type_, value


_STRING_LITERAL_VALUE = re.compile(
    r'^(?:String::from\((?P<a>"[^"\\]*")\)|(?P<b>"[^"\\]*")\.(?:to_string|to_owned|into)\(\))$'
)


@edit_kind("const-to-lazylock", prepare=viewed)
def const_to_lazylock(inp: RecipeInput) -> list[Candidate]:
    """A `const`/`static` built by a non-const call: make it a lazily built `static`.

    Also offered: `const fn` for a local function, `&str` for a `String`
    constant built from a literal.
    """
    node = inp.file.node_at(inp.start, inp.end)
    item = need(inp.file.enclosing(node, "const_item", "static_item"))
    name, _, type_, value = need(_const_parts(inp.file, item))
    result: list[Candidate] = []
    fn_name = inp.captures.get("fn", "")
    fn = inp.file.function(fn_name) if re.fullmatch(r"\w+", fn_name) else None
    if fn is not None and fn.type == "function_item":
        head = text_of(inp.file, fn)
        if not re.match(r"(?:pub(?:\([^)]*\))?\s+)?const\b", head):
            at = inp.file.start(fn)
            vis = re.match(r"pub(?:\([^)]*\))?\s+", head)
            at += vis.end() if vis else 0
            result.append(inp.insert(f"Make `{fn_name}` a `const fn`", at, "const ", 0.7))
    literal = _STRING_LITERAL_VALUE.match(text_of(inp.file, value))
    if text_of(inp.file, type_) == "String" and literal:
        lit = literal.group("a") or literal.group("b")
        result.append(
            inp.candidate(
                f"Make `{name}` a `&str` constant",
                [
                    inp.edit(inp.file.start(type_), inp.file.end(type_), "&str"),
                    inp.edit(inp.file.start(value), inp.file.end(value), lit),
                ],
                0.7,
            )
        )
    text = text_of(inp.file, item)
    keyword = re.match(r"(?P<vis>(?:pub(?:\([^)]*\))?\s+)?)(?:const|static)\s+(?:mut\s+)?", text)
    if keyword is not None:
        start = inp.file.start(item)
        ty = text_of(inp.file, type_)
        new_head = f"{keyword.group('vis')}static "
        result.append(
            inp.candidate(
                f"Build `{name}` lazily on first use (`static` + `LazyLock`)",
                [
                    inp.edit(start, start + keyword.end(), new_head),
                    inp.edit(
                        inp.file.start(type_),
                        inp.file.end(type_),
                        f"std::sync::LazyLock<{ty}>",
                    ),
                    inp.edit(
                        inp.file.start(value),
                        inp.file.end(value),
                        f"std::sync::LazyLock::new(|| {text_of(inp.file, value)})",
                    ),
                ],
                0.6,
            )
        )
    return result


@edit_kind("non-const-value", prepare=viewed)
def non_const_value(inp: RecipeInput) -> list[Candidate]:
    """A runtime value where a constant is needed: `vec!` for an array, `let` for `const`."""
    node = inp.file.node_at(inp.start, inp.end)
    result: list[Candidate] = []
    array = inp.file.enclosing(node, "array_expression")
    length = array.child_by_field_name("length") if array is not None else None
    if array is not None and length is not None and inp.file.start(length) <= inp.start:
        start, end = inp.file.start(array), inp.file.end(array)
        result.append(
            inp.rewrite(
                "Use a `Vec` (its length may be a runtime value)",
                start,
                end,
                "vec!" + text_of(inp.file, array),
                0.75,
            )
        )
    item = inp.file.enclosing(node, "const_item")
    if item is not None and inp.file.enclosing(item, "function_item") is not None:
        text = text_of(inp.file, item)
        start = inp.file.start(item)
        keyword = re.match(r"const\s+", text)
        if keyword is not None:
            result.append(
                inp.rewrite(
                    "Make it a `let` binding (it depends on a runtime value)",
                    start,
                    start + keyword.end(),
                    "let ",
                    0.6,
                )
            )
    return result
