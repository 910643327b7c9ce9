"""Recipes for type errors: mismatches, conversions, inference, casts, lookups.

rustc explains most type errors well but often leaves the edit to the user
(no suggestion, or one with placeholders that cannot be applied). These edit
kinds propose the usual repairs: unwrap or `?` an `Option`, convert between
`String` and `&str`, cast between numeric types, name the type a generic call
should produce, call `.iter()` before an iterator adapter, and so on. Several
alternatives per error are fine: every candidate is compiled before it is
offered, so verification picks the one that fits.
"""

from __future__ import annotations

import dataclasses
import difflib
import functools
import re
from pathlib import Path

import tree_sitter

from rustcoder.cargo.messages import Span
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, edit_kind
from rustcoder.fix.rust_syntax import SourceFile

Node = tree_sitter.Node

#: A score above rustc's MachineApplicable suggestion (see engine.rank_key).
CONFIDENT = 0.92

INTEGERS = ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize")
FLOATS = ("f32", "f64")
NUMERIC = INTEGERS + FLOATS

#: Expressions that take `.method()`, `?` or `as T` without parentheses.
_ATOMIC = {
    "identifier",
    "self",
    "field_expression",
    "call_expression",
    "index_expression",
    "macro_invocation",
    "parenthesized_expression",
    "tuple_expression",
    "array_expression",
    "integer_literal",
    "float_literal",
    "string_literal",
    "raw_string_literal",
    "char_literal",
    "boolean_literal",
    "scoped_identifier",
    "try_expression",
    "generic_function",
    "await_expression",
    "struct_expression",
    "block",
}

#: Iterator types as rustc prints them (`Keys<'_, K, V>`, `Map<Iter<'_, T>, F>`).
_ITERATOR_TYPE = re.compile(
    r"^(?:std::[\w:]+::)?(?:Iter|IterMut|IntoIter|Keys|Values|ValuesMut|Map|Filter|FilterMap|"
    r"FlatMap|Flatten|Chars|CharIndices|Bytes|Split|SplitWhitespace|Lines|Rev|Skip|Take|"
    r"StepBy|Enumerate|Zip|Chain|Cloned|Copied|Peekable|SkipWhile|TakeWhile|Drain|"
    r"Range|RangeInclusive|Windows|Chunks)\b"
)

_COLLECTION_TYPE = re.compile(
    r"^(?:Vec|VecDeque|HashMap|HashSet|BTreeMap|BTreeSet|String|BinaryHeap|Box<\[)"
)


# --- small helpers ----------------------------------------------------------------

#: Macros whose arguments are expressions; parsed as calls so recipes see the expressions.
_EXPRESSION_MACROS = {
    "println",
    "print",
    "eprintln",
    "eprint",
    "format",
    "write",
    "writeln",
    "panic",
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "vec",
    "dbg",
    "todo",
    "unreachable",
    "unimplemented",
}


class _ExpressionView(SourceFile):
    """The file with `println!(..)`-like macro calls parsed as plain calls.

    tree-sitter leaves macro arguments as token trees; a great deal of code
    that fails to compile sits inside `println!` or `format!`. Replacing the
    `!` by a space (and `[..]` by `(..)`) keeps every offset and lets the
    arguments parse as expressions. Node texts come from the original file.
    """

    def __init__(self, file: SourceFile) -> None:
        self.original = file.data
        super().__init__(file.path, _demacro(file))

    def node_text(self, node: Node) -> str:
        return self.original[node.start_byte : node.end_byte].decode("utf-8", errors="replace")


def _demacro(file: SourceFile) -> str:
    data = bytearray(file.data)
    for _ in range(4):
        changed = False
        current = SourceFile(file.path, data.decode("utf-8", errors="replace"))
        for node in current.walk():
            if node.type != "macro_invocation":
                continue
            name = node.child_by_field_name("macro")
            tree = next((c for c in node.children if c.type == "token_tree"), None)
            bang = next((c for c in node.children if c.type == "!"), None)
            if name is None or tree is None or bang is None:
                continue
            if current.node_text(name).split("::")[-1] not in _EXPRESSION_MACROS:
                continue
            opening = data[tree.start_byte : tree.start_byte + 1]
            if opening == b"[" and any(c.type == ";" for c in tree.children):
                continue
            if opening not in (b"(", b"["):
                continue
            data[bang.start_byte : bang.end_byte] = b" "
            data[tree.start_byte : tree.start_byte + 1] = b"("
            data[tree.end_byte - 1 : tree.end_byte] = b")"
            changed = True
        if not changed:
            break
    return data.decode("utf-8", errors="replace")


def _viewed(inp: RecipeInput) -> RecipeInput:
    """`inp` seeing macro arguments as expressions (see `_ExpressionView`)."""
    if isinstance(inp.file, _ExpressionView) or "!" not in inp.file.text:
        return inp
    return dataclasses.replace(inp, file=_view_of(inp.file.path, inp.file.text))


@functools.lru_cache(maxsize=8)
def _view_of(path: Path, text: str) -> _ExpressionView:
    # Every recipe of a diagnostic looks at the same file: parse it once.
    return _ExpressionView(SourceFile(path, text))


def _slice(inp: RecipeInput, start: int, end: int) -> str:
    """Source text between two offsets, as written (macro calls unchanged)."""
    file = inp.file
    if isinstance(file, _ExpressionView):
        return file.original[file.byte(start) : file.byte(end)].decode("utf-8", errors="replace")
    return file.text[start:end]


def _text(file: SourceFile, node: Node) -> str:
    return file.node_text(node)


def _atomic(node: Node) -> bool:
    return node.type in _ATOMIC


def _wrapped(file: SourceFile, node: Node) -> str:
    """The node's text, parenthesised unless a postfix operator can follow it as is."""
    text = _text(file, node)
    return text if _atomic(node) else f"({text})"


def _expression_at(file: SourceFile, start: int, end: int) -> Node | None:
    """The outermost node spanning exactly [start, end), else the smallest covering it."""
    node: Node | None = file.node_at(start, end)
    if node is None:
        return None
    while (
        node.parent is not None
        and file.start(node.parent) == file.start(node)
        and file.end(node.parent) == file.end(node)
        and node.parent.type
        not in ("expression_statement", "block", "source_file", "shorthand_field_initializer")
    ):
        node = node.parent
    return node


def _span_range(inp: RecipeInput, span: Span) -> tuple[int, int] | None:
    """Character offsets of a span in the diagnostic's own file, else None."""
    located = inp.span_offsets(span)
    if located is None or located[0] != inp.path:
        return None
    return located[1], located[2]


def _labelled(inp: RecipeInput, pattern: str) -> list[tuple[Span, re.Match[str]]]:
    """Spans (main and children) whose label matches `pattern`, with the match."""
    spans = list(inp.diagnostic.spans) + [s for c in inp.diagnostic.children for s in c.spans]
    result = []
    for span in spans:
        found = re.search(pattern, span.label or "")
        if found is not None:
            result.append((span, found))
    return result


def _primary_expression(inp: RecipeInput) -> Node | None:
    if inp.end <= inp.start:
        return None
    return _expression_at(inp.file, inp.start, inp.end)


def _insert_after(inp: RecipeInput, node: Node, suffix: str) -> list[Edit]:
    """Append `suffix` to an expression, adding parentheses when it needs them."""
    start, end = inp.file.start(node), inp.file.end(node)
    if _shorthand(node):
        return [_replace_expr(inp, node, f"{_text(inp.file, node)}{suffix}")]
    if _atomic(node):
        return [inp.edit(end, end, suffix)]
    return [inp.edit(start, start, "("), inp.edit(end, end, ")" + suffix)]


def _shorthand(node: Node) -> bool:
    """`Point { x }`: the field name is also the value."""
    return node.parent is not None and node.parent.type == "shorthand_field_initializer"


def _replace_expr(inp: RecipeInput, node: Node, new_text: str) -> Edit:
    """Replace an expression, spelling out a shorthand field (`x` → `x: new`)."""
    start, end = inp.file.start(node), inp.file.end(node)
    if _shorthand(node):
        new_text = f"{_text(inp.file, node)}: {new_text}"
    return inp.edit(start, end, new_text)


def _fn_return_type(file: SourceFile, node: Node) -> str | None:
    """The return type of the function around `node` (None inside a closure or without one)."""
    current: Node | None = node
    while current is not None:
        if current.type == "closure_expression":
            return None
        if current.type == "function_item":
            ret = current.child_by_field_name("return_type")
            return _text(file, ret) if ret is not None else None
        current = current.parent
    return None


def _split_top(text: str) -> list[str]:
    """Split generic arguments at top-level commas: `A<B, C>, D` → [`A<B, C>`, `D`]."""
    parts, depth, current = [], 0, ""
    for ch in text.replace("->", "\0"):
        if ch in "<([":
            depth += 1
        elif ch in ">)]":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += ch
    if current.strip():
        parts.append(current.strip())
    return [part.replace("\0", "->") for part in parts]


def _generic_args(type_text: str, name: str) -> list[str] | None:
    """`Option<&i32>` with name `Option` → [`&i32`]."""
    found = re.fullmatch(rf"(?:[\w:]+::)?{name}<(?P<args>.*)>", type_text.strip())
    return _split_top(found.group("args")) if found else None


def _is_copy_like(type_text: str) -> bool:
    return type_text in NUMERIC or type_text in ("bool", "char", "&str")


def _concrete(type_text: str) -> str | None:
    """A type as rustc prints it, made writable in source (None when it cannot be)."""
    text = type_text.replace("{integer}", "i32").replace("{float}", "f64")
    if any(bad in text for bad in ("{", "'_", "impl ", "closure", "[async", "dyn Fn")):
        return None
    return text


# --- E0308: mismatched types ---------------------------------------------------------


@edit_kind("unwrap-value")
def unwrap_value(inp: RecipeInput) -> list[Candidate]:
    """Expected `T`, found `Option<T>`/`Result<T, E>`: `?`, `.unwrap()`, or a default.

    `Option<&T>` where `T` is expected also gets `.copied()`/`.cloned()`.
    """
    inp = _viewed(inp)
    expected, found = inp.captures.get("exp", ""), inp.captures.get("found", "")
    node = _primary_expression(inp)
    if node is None:
        return []
    wrapper = "Option" if found.startswith("Option<") else "Result"
    args = _generic_args(found, wrapper)
    if not args:
        return []
    inner = args[0]
    adapt = ""
    if inner.startswith("&") and inner[1:].strip() == expected:
        adapt = ".copied()" if _is_copy_like(expected) else ".cloned()"
    elif expected == "&str" and inner in ("String", "&String"):
        adapt = ".as_deref()"
    elif expected.startswith("&") and expected[1:].strip() == inner:
        adapt = ".as_ref()"
    elif inner != "_" and inner != expected and _concrete(inner) != _concrete(expected):
        return []
    result: list[Candidate] = []
    returns = _fn_return_type(inp.file, node) or ""
    if returns.startswith(f"{wrapper}<") or (
        wrapper == "Result" and re.match(r"(?:[\w:]+::)?Result<", returns)
    ):
        result.append(
            inp.candidate(
                f"Return early with `?` when `{_text(inp.file, node)}` has no value",
                _insert_after(inp, node, f"{adapt}?"),
                score=0.7,
            )
        )
    result.append(
        inp.candidate(
            f"Unwrap the `{wrapper}` (`{adapt}.unwrap()`)",
            _insert_after(inp, node, f"{adapt}.unwrap()"),
            score=0.55,
        )
    )
    if wrapper == "Option":
        result.append(
            inp.candidate(
                "Use the default value when there is none (`.unwrap_or_default()`)",
                _insert_after(inp, node, f"{adapt}.unwrap_or_default()"),
                score=0.5,
            )
        )
    else:
        result.append(
            inp.candidate(
                "Unwrap the `Result`, panicking with a message on error",
                _insert_after(inp, node, f'{adapt}.expect("{_expect_text(inp, node)}")'),
                score=0.45,
            )
        )
    return result


def _expect_text(inp: RecipeInput, node: Node) -> str:
    words = re.findall(r"[a-z]+", _text(inp.file, node).lower())
    return f"{words[-1] if words else 'operation'} failed"


@edit_kind("match-as-str")
def match_as_str(inp: RecipeInput) -> list[Candidate]:
    """`match owned { "lit" => .. }`: match on a borrowed view of the scrutinee."""
    inp = _viewed(inp)
    result: list[Candidate] = []
    for span, found in _labelled(inp, r"this expression has type `(?P<ty>[^`]+)`"):
        located = _span_range(inp, span)
        if located is None:
            continue
        node = _expression_at(inp.file, *located)
        if node is None:
            continue
        ty = found.group("ty")
        view = _STR_VIEWS.get(ty)
        if view is not None:
            edits = _insert_after(inp, node, view)
        else:
            edits = _tuple_views(inp, node, ty)
            if not edits:
                continue
        result.append(
            inp.candidate(
                f"Match on a borrowed view of `{_text(inp.file, node)}`", edits, score=0.8
            )
        )
        break
    return result


_STR_VIEWS = {
    "String": ".as_str()",
    "&String": ".as_str()",
    "&&String": ".as_str()",
    "Option<String>": ".as_deref()",
    "&Option<String>": ".as_deref()",
    "Vec<String>": ".as_slice()",
    "Result<String, String>": ".as_deref()",
}


def _tuple_views(inp: RecipeInput, node: Node, ty: str) -> list[Edit]:
    """`(String, String)` scrutinees: borrow each owned string element."""
    if not (ty.startswith("(") and ty.endswith(")")):
        return []
    elements = _split_top(ty[1:-1])
    if not any(e in _STR_VIEWS for e in elements):
        return []
    if node.type == "tuple_expression" and len(node.named_children) == len(elements):
        return [
            edit
            for child, element in zip(node.named_children, elements, strict=True)
            if element in _STR_VIEWS
            for edit in _insert_after(inp, child, _STR_VIEWS[element])
        ]
    if not _atomic(node):
        return []
    name = _text(inp.file, node)
    parts = [
        f"{name}.{i}{_STR_VIEWS.get(element, '')}"
        if element in _STR_VIEWS or _is_copy_like(element)
        else f"&{name}.{i}"
        for i, element in enumerate(elements)
    ]
    start, end = inp.file.start(node), inp.file.end(node)
    return [inp.edit(start, end, "(" + ", ".join(parts) + ")")]


def _branch_tails(node: Node) -> list[Node]:
    """The value expressions of every branch of an `if`/`match` (recursively)."""
    if node.type == "block":
        named = [c for c in node.named_children if c.type not in ("line_comment", "block_comment")]
        if named and named[-1].type != "expression_statement" and not _is_statement(named[-1]):
            return _branch_tails(named[-1])
        return []
    if node.type == "if_expression":
        tails = []
        consequence = node.child_by_field_name("consequence")
        if consequence is not None:
            tails += _branch_tails(consequence)
        alternative = node.child_by_field_name("alternative")
        if alternative is not None:
            for child in alternative.named_children:
                tails += _branch_tails(child)
        return tails
    if node.type == "match_expression":
        tails = []
        body = node.child_by_field_name("body")
        for arm in body.named_children if body is not None else []:
            value = arm.child_by_field_name("value") if arm.type == "match_arm" else None
            if value is not None:
                tails += _branch_tails(value)
        return tails
    return [node]


def _is_statement(node: Node) -> bool:
    return node.type.endswith("_declaration") or node.type.endswith("_item")


@edit_kind("arms-to-owned")
def arms_to_owned(inp: RecipeInput) -> list[Candidate]:
    """`if`/`match` branches of `&str` and `String`: make every literal branch owned.

    rustc converts only the branch it reports; the others fail next.
    """
    inp = _viewed(inp)
    node: Node | None = inp.file.node_at(inp.start, inp.end)
    outer = inp.file.enclosing(node, "if_expression", "match_expression")
    # The whole `else if` chain (or a nested match) belongs to the outermost branching.
    while outer is not None:
        parent = inp.file.enclosing(outer.parent, "if_expression", "match_expression")
        if parent is None or not any(
            inp.file.start(t) <= inp.start < inp.file.end(t) for t in _branch_tails(parent)
        ):
            break
        outer = parent
    if outer is None:
        return []
    tails = _branch_tails(outer)
    if not any(inp.file.start(t) <= inp.start < inp.file.end(t) for t in tails):
        return []
    expected = inp.captures.get("exp", "")
    strings = [t for t in tails if t.type in ("string_literal", "raw_string_literal")]
    if expected == "char":
        # `"A"` where a `char` is expected: every one-character string literal → `'A'`.
        chars = [t for t in strings if re.fullmatch(r'"(?:[^"\\]|\\.)"', _text(inp.file, t))]
        if not chars or len(chars) != len(strings):
            return []
        edits = [
            inp.edit(inp.file.start(t), inp.file.end(t), "'" + _text(inp.file, t)[1:-1] + "'")
            for t in chars
        ]
        title, count = "Write the branches' one-letter strings as `char`s", len(chars)
    elif expected in FLOATS:
        integers = [t for t in tails if t.type == "integer_literal" and t.text is not None]
        integers = [t for t in integers if re.fullmatch(r"\d+", _text(inp.file, t))]
        if not integers:
            return []
        edits = [inp.edit(inp.file.end(t), inp.file.end(t), ".0") for t in integers]
        title, count = "Write the branches' integers as floats", len(integers)
    else:
        if not strings or len(strings) == len(tails):
            return []
        edits = [inp.edit(inp.file.end(t), inp.file.end(t), ".to_string()") for t in strings]
        title, count = "Make every branch a `String` (`.to_string()`)", len(strings)
    return [inp.candidate(title, edits, score=CONFIDENT if count > 1 else 0.6)]


@edit_kind("change-return-type")
def change_return_type(inp: RecipeInput) -> list[Candidate]:
    """The declared type is wrong: declare the type the value really has.

    The function's return type, or (tried last) a `let` binding's annotation.
    """
    inp = _viewed(inp)
    found = _concrete(inp.captures.get("found", ""))
    if not found or found in ("()", "!"):
        # A body that produces nothing is missing its value, not declaring too much.
        return []
    for span, _ in _labelled(inp, r"expected `[^`]+` because of return type"):
        located = _span_range(inp, span)
        if located is None:
            continue
        start, end = located
        node = inp.file.node_at(start, end)
        fn = inp.file.enclosing(node, "function_item")
        ret = fn.child_by_field_name("return_type") if fn is not None else None
        if ret is None or (inp.file.start(ret), inp.file.end(ret)) != (start, end):
            continue
        return [
            inp.candidate(
                f"Change the return type to `{found}`",
                [inp.edit(start, end, found)],
                score=0.5,
            )
        ]
    for span, _ in _labelled(inp, r"^expected due to this$"):
        # `let x: T = value;`: the annotation may be what is wrong (tried last).
        located = _span_range(inp, span)
        if located is None:
            continue
        binding = inp.file.enclosing(inp.file.node_at(*located), "let_declaration")
        annotation = binding.child_by_field_name("type") if binding is not None else None
        if annotation is None or (inp.file.start(annotation), inp.file.end(annotation)) != located:
            continue
        return [
            inp.candidate(
                f"Declare the binding as `{found}`",
                [inp.edit(located[0], located[1], found)],
                score=0.35,
            )
        ]
    return []


@edit_kind("collect-iterator")
def collect_iterator(inp: RecipeInput) -> list[Candidate]:
    """A collection is expected and an iterator was given: collect it."""
    inp = _viewed(inp)
    expected, found = inp.captures.get("exp", ""), inp.captures.get("found", "")
    if not _COLLECTION_TYPE.match(expected) or not _ITERATOR_TYPE.match(found):
        return []
    node = _primary_expression(inp)
    if node is None:
        return []
    options = [(".collect()", 0.65), (".cloned().collect()", 0.6), (".copied().collect()", 0.5)]
    if expected.startswith("Vec<String>") or expected.startswith("String"):
        options.insert(2, (".map(|x| x.to_string()).collect()", 0.55))
    return [
        inp.candidate(f"Collect the iterator into a `{expected}` (`{suffix}`)", edits, score)
        for suffix, score in options[:4]
        for edits in [_insert_after(inp, node, suffix)]
    ]


def _widening(found: str, expected: str) -> bool:
    """`as` from `found` to `expected` never loses a value (on 64-bit targets)."""
    bits = {"size": 64}

    def width(t: str) -> int:
        tail = t[1:]
        return bits.get(tail) or int(tail)

    if found in INTEGERS and expected in FLOATS:
        return width(found) <= (16 if expected == "f32" else 32)
    if found in FLOATS or expected in FLOATS:
        return found == "f32" and expected == "f64"
    if found[0] == expected[0]:
        return width(found) <= width(expected)
    return found[0] == "u" and expected[0] == "i" and width(found) < width(expected)


@edit_kind("numeric-cast")
def numeric_cast(inp: RecipeInput) -> list[Candidate]:
    """One numeric type where another is expected: an `as` cast (or retarget an existing one)."""
    inp = _viewed(inp)
    expected, found = inp.captures.get("exp", ""), inp.captures.get("found", "")
    if expected not in NUMERIC or found not in NUMERIC:
        return []
    node = _primary_expression(inp)
    if node is None:
        return []
    if node.type == "type_cast_expression":
        target = node.child_by_field_name("type")
        if target is not None:
            start, end = inp.file.start(target), inp.file.end(target)
            return [
                inp.candidate(
                    f"Cast to `{expected}` instead", [inp.edit(start, end, expected)], CONFIDENT
                )
            ]
    result: list[Candidate] = []
    leaves = _arithmetic_leaves(node)
    if expected in FLOATS and leaves and len(leaves) > 1 and "/" in _text(inp.file, node):
        # `sum / count` wanted as a float: divide floats, not integers.
        result.append(
            inp.candidate(
                f"Convert each value to `{expected}` before dividing",
                _cast_leaves(inp, leaves, expected),
                score=0.95,
            )
        )
    text = _text(inp.file, node)
    start, end = inp.file.start(node), inp.file.end(node)
    cast = text if _atomic(node) or node.type == "unary_expression" else f"({text})"
    lossless = _widening(found, expected)
    counted = bool(re.search(r"\.(len|count)\(\)$", text))
    return [
        *result,
        inp.candidate(
            f"Convert with `as {expected}`",
            [inp.edit(start, end, f"{cast} as {expected}")],
            score=CONFIDENT if lossless or counted else 0.6,
        ),
    ]


# --- E0282/E0283/E0284: type annotations needed ------------------------------------------


def _method_calls(file: SourceFile, root: Node, names: set[str]) -> list[Node]:
    """`field_identifier` nodes of calls `.name()` under `root` that have no turbofish yet."""
    found = []
    for node in file.walk(root):
        if node.type != "field_expression":
            continue
        field = node.child_by_field_name("field")
        parent = node.parent
        if (
            field is not None
            and _text(file, field) in names
            and parent is not None
            and parent.type == "call_expression"
        ):
            found.append(field)
    return found


@edit_kind("turbofish")
def turbofish(inp: RecipeInput) -> list[Candidate]:
    """Name the type a generic method produces: `collect::<Vec<_>>()`, `parse::<i64>()`."""
    inp = _viewed(inp)
    names = set(inp.params.get("method", "").split("|")) - {""}
    types = [t for t in inp.params.get("types", "").split("|") if t and "{" not in t]
    if not names or not types:
        return []
    roots: list[Node] = [inp.file.node_at(inp.start, inp.end)]
    for span, _ in _labelled(inp, r"type must be known at this point"):
        located = _span_range(inp, span)
        if located is not None:
            roots.append(inp.file.node_at(*located))
    binding = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "let_declaration")
    value = binding.child_by_field_name("value") if binding is not None else None
    if value is not None:
        roots.append(value)
    for root in roots:
        # `x.parse` is labelled as `parse` itself; look from its call upwards as well.
        scope = inp.file.enclosing(root, "call_expression") or root
        calls = _method_calls(inp.file, scope, names) or _method_calls(inp.file, root, names)
        if not calls:
            continue
        method = calls[-1]
        at = inp.file.end(method)
        name = _text(inp.file, method)
        return [
            inp.candidate(
                f"Specify the type: `{name}::<{ty}>()`",
                [inp.edit(at, at, f"::<{ty}>")],
                score=max(0.3, 0.7 - 0.05 * i),
            )
            for i, ty in enumerate(types[:4])
        ]
    return []


@edit_kind("annotate-let")
def annotate_let(inp: RecipeInput) -> list[Candidate]:
    """`let x = value.into();` with no way to infer `x`: give the binding a type."""
    inp = _viewed(inp)
    types = [t for t in inp.params.get("types", "").split("|") if t and "{" not in t]
    holes = [h for h in inp.params.get("holes", "").split("|") if h]
    if holes:
        # `HashMap<_, _>`: a type cannot be left to inference here; try likely ones.
        types = [re.sub(r"\b_\b", hole, t) for t in types for hole in holes]
    binding = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "let_declaration")
    if binding is None or binding.child_by_field_name("type") is not None:
        return []
    pattern = binding.child_by_field_name("pattern")
    if pattern is None:
        return []
    at = inp.file.end(pattern)
    return [
        inp.candidate(
            f"Declare the type of `{_text(inp.file, pattern)}` as `{ty}`",
            [inp.edit(at, at, f": {ty}")],
            score=max(0.3, 0.65 - 0.05 * i),
        )
        for i, ty in enumerate(types[:4])
    ]


# --- dereference, casts, indexing ----------------------------------------------------------


@edit_kind("drop-deref")
def drop_deref(inp: RecipeInput) -> list[Candidate]:
    """`*x` where `x` is already a value: drop the `*`."""
    inp = _viewed(inp)
    node = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "unary_expression")
    if node is None or not _text(inp.file, node).startswith("*"):
        return []
    at = inp.file.start(node)
    return [inp.candidate(None, [inp.edit(at, at + 1, "")], score=0.8)]


_STRINGISH = ("String", "&str", "&String", "str", "&&str")
_SIZED = re.compile(r"^&?(?:mut )?(?:Vec<|\[|HashMap<|HashSet<|BTreeMap<|BTreeSet<|VecDeque<)")


@edit_kind("convert-cast")
def convert_cast(inp: RecipeInput) -> list[Candidate]:
    """`x as T` between non-primitive types: the conversion the cast was meant to be."""
    inp = _viewed(inp)
    source, target = inp.captures.get("from", ""), inp.captures.get("to", "")
    node = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "type_cast_expression")
    value = node.child_by_field_name("value") if node is not None else None
    if node is None or value is None:
        return []
    start, end = inp.file.start(node), inp.file.end(node)
    expr = _wrapped(inp.file, value)
    options: list[tuple[str, str, float]] = []
    if target in ("String", "&str"):
        options.append(("Convert with `.to_string()`", f"{expr}.to_string()", 0.7))
    elif source in _STRINGISH and target in NUMERIC:
        options += [
            (f"Parse the text as `{target}`", f"{expr}.trim().parse::<{target}>().unwrap()", 0.6),
            (f"Parse the text as `{target}`", f"{expr}.parse::<{target}>().unwrap()", 0.55),
        ]
    elif (_SIZED.match(source) or source in _STRINGISH) and target in INTEGERS:
        length = f"{expr}.len()" if target == "usize" else f"{expr}.len() as {target}"
        options.append(("Use the length", length, 0.6))
    else:
        options += [
            (f"Convert with `{target}::from`", f"{target}::from({_text(inp.file, value)})", 0.5),
            ("Convert with `.into()`", f"{expr}.into()", 0.4),
        ]
    return [
        inp.candidate(title, [inp.edit(start, end, text)], score) for title, text, score in options
    ]


def _index_parts(inp: RecipeInput) -> tuple[Node, Node, Node] | None:
    """(index expression, indexed value, index) around the primary span."""
    node = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "index_expression")
    if node is None or len(node.named_children) < 2:
        return None
    return node, node.named_children[0], node.named_children[1]


@edit_kind("string-index")
def string_index(inp: RecipeInput) -> list[Candidate]:
    """`s[i]` on a string: the `i`-th character, or the `i`-th byte."""
    inp = _viewed(inp)
    parts = _index_parts(inp)
    if parts is None:
        return []
    node, value, index = parts
    idx_type = inp.captures.get("idx", "")
    idx = _text(inp.file, index)
    if "Range" in idx_type or index.type == "range_expression":
        return []
    if idx_type not in ("usize", "{integer}"):
        idx = f"{_wrapped(inp.file, index)} as usize"
    text = _wrapped(inp.file, value)
    start, end = inp.file.start(node), inp.file.end(node)
    one_char = f"{int(idx) + 1}" if idx.isdigit() else f"{idx} + 1"
    return [
        inp.candidate(
            "Take the character at this position (`.chars().nth(..)`)",
            [inp.edit(start, end, f"{text}.chars().nth({idx}).unwrap()")],
            0.6,
        ),
        inp.candidate(
            "Take the one-character slice at this position",
            [inp.edit(inp.file.start(index), inp.file.end(index), f"{idx}..{one_char}")],
            0.55,
        ),
        inp.candidate(
            "Take the byte at this position (`.as_bytes()[..]`)",
            [inp.edit(start, end, f"{text}.as_bytes()[{idx}]")],
            0.5,
        ),
        inp.candidate(
            "Take the byte at this position as a `char`",
            [inp.edit(start, end, f"({text}.as_bytes()[{idx}] as char)")],
            0.45,
        ),
    ]


@edit_kind("index-as-usize")
def index_as_usize(inp: RecipeInput) -> list[Candidate]:
    """Slices are indexed by `usize`: cast the index."""
    inp = _viewed(inp)
    parts = _index_parts(inp)
    if parts is None:
        return []
    _, _, index = parts
    if index.type != "range_expression" and "the type `str`" in inp.diagnostic.message:
        return []  # a string is not indexed by position at all (see `string-index`)
    if index.type == "range_expression":
        # Literal bounds take the type they need; cast the others.
        ends = [c for c in index.named_children if c.type != "integer_literal"]
        edits = [
            inp.edit(inp.file.start(c), inp.file.end(c), f"{_wrapped(inp.file, c)} as usize")
            for c in ends
        ]
        if not edits:
            return []
        return [inp.candidate("Cast the range bounds to `usize`", edits, CONFIDENT)]
    start, end = inp.file.start(index), inp.file.end(index)
    return [
        inp.candidate(
            "Cast the index to `usize`",
            [inp.edit(start, end, f"{_wrapped(inp.file, index)} as usize")],
            CONFIDENT,
        )
    ]


@edit_kind("index-alternative")
def index_alternative(inp: RecipeInput) -> list[Candidate]:
    """`x[i]` on a type without `Index`: unwrap an Option, `nth` an iterator, index a field."""
    inp = _viewed(inp)
    ty = inp.captures.get("ty", "")
    parts = _index_parts(inp)
    if parts is None:
        return []
    node, value, index = parts
    text, idx = _wrapped(inp.file, value), _text(inp.file, index)
    start, end = inp.file.start(node), inp.file.end(node)
    options: list[tuple[str, str, float]] = []
    bare = ty.lstrip("&")
    if bare.startswith("Option<"):
        if (_fn_return_type(inp.file, node) or "").startswith("Option<"):
            options.append(("Return early with `?` when it is `None`", f"{text}?[{idx}]", 0.65))
        options += [
            ("Index the value inside the `Option`", f"{text}.as_ref().unwrap()[{idx}]", 0.6),
            ("Index the value inside the `Option`", f"{text}.unwrap()[{idx}]", 0.5),
        ]
    elif _ITERATOR_TYPE.match(bare):
        options += [
            ("Take the element with `.nth(..)`", f"{text}.nth({idx}).unwrap()", 0.55),
            ("Collect, then index", f"{text}.collect::<Vec<_>>()[{idx}]", 0.5),
        ]
    else:
        name = re.match(r"[\w:]+", bare)
        found = inp.find_type(name.group(0).split("::")[-1]) if name else None
        if found is not None:
            source, item = found
            assert isinstance(item, tree_sitter.Node)
            for field, field_type in source.struct_fields(item):
                if re.match(r"(?:Vec|VecDeque|HashMap|BTreeMap|\[)", field_type):
                    options.append((f"Index the `{field}` field", f"{text}.{field}[{idx}]", 0.55))
    return [
        inp.candidate(title, [inp.edit(start, end, new)], score)
        for title, new, score in options[:4]
    ]


@edit_kind("cast-operand")
def cast_operand(inp: RecipeInput) -> list[Candidate]:
    """Arithmetic between two numeric types: cast one operand to the other's type."""
    inp = _viewed(inp)
    lhs, rhs = inp.captures.get("lhs", ""), inp.captures.get("rhs", "")
    node = inp.file.enclosing(
        inp.file.node_at(inp.start, inp.end), "binary_expression", "compound_assignment_expr"
    )
    if node is None:
        return []
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return []
    lhs, rhs = lhs.lstrip("&"), rhs.lstrip("&")
    result = _float_literals(inp, node, left, lhs, rhs)
    options: list[tuple[Node, str, float]] = []
    lhs_type = {"{float}": "f64", "{integer}": ""}.get(lhs, lhs)
    rhs_type = {"{float}": "f64", "{integer}": ""}.get(rhs, rhs)
    if lhs_type in NUMERIC and rhs_type not in ("", lhs_type):
        options.append((right, lhs_type, 0.7))
    if rhs_type in NUMERIC and node.type == "binary_expression" and lhs_type not in ("", rhs_type):
        options.append((left, rhs_type, 0.6 if lhs_type else 0.7))
    for operand, ty, score in options:
        leaves = _arithmetic_leaves(operand)
        if leaves and len(leaves) > 1:
            # `a / b * 100.0`: convert `a` and `b`, not the (integer) quotient.
            result.append(
                inp.candidate(
                    f"Convert each value of `{_text(inp.file, operand)}` to `{ty}`",
                    _cast_leaves(inp, leaves, ty),
                    score + 0.05,
                )
            )
        start, end = inp.file.start(operand), inp.file.end(operand)
        text = _text(inp.file, operand)
        cast = text if _atomic(operand) or operand.type == "unary_expression" else f"({text})"
        new = f"{cast} as {ty}"
        if operand == left:
            new = f"({new})" if _needs_group(node) else new
        result.append(
            inp.candidate(f"Convert `{text}` to `{ty}`", [inp.edit(start, end, new)], score)
        )
    return result


_FLOATISH = (*FLOATS, "{float}")
_ARITHMETIC = ("+", "-", "*", "/", "%")


def _float_literals(
    inp: RecipeInput, node: Node, left: Node, lhs: str, rhs: str
) -> list[Candidate]:
    """Integers mixed with floats: write the integer literals (or the binding's) as floats."""
    if not ({lhs, rhs} & set(_FLOATISH)) or "{integer}" not in (lhs, rhs):
        return []
    result: list[Candidate] = []
    # The whole arithmetic chain: `c * 9 / 5 + 32` fails once per literal otherwise.
    top = node
    while (
        top.parent is not None
        and top.parent.type in ("binary_expression", "parenthesized_expression")
        and (top.parent.type == "parenthesized_expression" or _operator(top.parent) in _ARITHMETIC)
    ):
        top = top.parent
    literals = [
        n
        for n in _operands(top)
        if n.type == "integer_literal" and re.fullmatch(r"\d+", _text(inp.file, n))
    ]
    if literals:
        result.append(
            inp.candidate(
                "Write the integer literals as floats",
                [inp.edit(inp.file.end(n), inp.file.end(n), ".0") for n in literals],
                0.75,
            )
        )
    if lhs == "{integer}" and left.type == "identifier":
        # `let mut total = 0; total += price;`: the accumulator was meant to be a float.
        name = _text(inp.file, left)
        before = _slice(inp, 0, inp.file.start(node))
        found = list(re.finditer(rf"\blet\s+(?:mut\s+)?{re.escape(name)}\s*=\s*(\d+)\s*;", before))
        if found:
            at = found[-1].end(1)
            result.append(
                inp.candidate(f"Start `{name}` as a float", [inp.edit(at, at, ".0")], 0.7)
            )
    return result


def _operands(node: Node) -> list[Node]:
    """The operands of an arithmetic chain, looking through parentheses and `-x`."""
    if node.type == "parenthesized_expression" or (
        node.type == "unary_expression" and _text_of_first(node) == "-"
    ):
        return [leaf for child in node.named_children for leaf in _operands(child)]
    if node.type == "binary_expression" and _operator(node) in _ARITHMETIC:
        return [leaf for child in node.named_children for leaf in _operands(child)]
    return [node]


def _text_of_first(node: Node) -> str:
    return node.children[0].type if node.children else ""


def _operator(node: Node) -> str:
    operator = node.child_by_field_name("operator")
    return operator.type if operator is not None else ""


def _cast_leaves(inp: RecipeInput, leaves: list[Node], ty: str) -> list[Edit]:
    """Cast every operand to `ty` (retargeting operands that already are casts)."""
    edits = []
    for leaf in leaves:
        target = leaf.child_by_field_name("type") if leaf.type == "type_cast_expression" else None
        if target is not None:
            edits.append(inp.edit(inp.file.start(target), inp.file.end(target), ty))
        else:
            text = f"{_text(inp.file, leaf)} as {ty}"
            edits.append(inp.edit(inp.file.start(leaf), inp.file.end(leaf), text))
    return edits


def _arithmetic_leaves(node: Node) -> list[Node] | None:
    """The operands of a chain of `+ - * / %` (None when one is not a plain value)."""
    if node.type == "parenthesized_expression" and node.named_children:
        return _arithmetic_leaves(node.named_children[0])
    if node.type != "binary_expression":
        leaf = node.type in _ATOMIC or node.type == "type_cast_expression"
        return [node] if leaf and node.type != "block" else None
    operator = node.child_by_field_name("operator")
    if operator is None or operator.type not in ("+", "-", "*", "/", "%"):
        return None
    left, right = node.child_by_field_name("left"), node.child_by_field_name("right")
    if left is None or right is None:
        return None
    lhs, rhs = _arithmetic_leaves(left), _arithmetic_leaves(right)
    return lhs + rhs if lhs is not None and rhs is not None else None


def _needs_group(node: Node) -> bool:
    # `a as f64 < b` parses as a generic; a cast on the left of `<`/`<<` needs parentheses.
    operator = node.child_by_field_name("operator")
    return operator is not None and operator.type in ("<", "<<")


@edit_kind("unary-fix")
def unary_fix(inp: RecipeInput) -> list[Candidate]:
    """`-x` on an unsigned value (cast to a signed type) or `!x` on a collection (emptiness)."""
    inp = _viewed(inp)
    op, ty = inp.captures.get("op", ""), inp.captures.get("ty", "")
    node = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "unary_expression")
    if node is None or not node.named_children:
        return []
    operand = node.named_children[-1]
    start, end = inp.file.start(node), inp.file.end(node)
    text = _wrapped(inp.file, operand)
    bare = ty.lstrip("&")
    if op == "-" and bare in INTEGERS and bare.startswith("u"):
        wider = {"u8": "i16", "u16": "i32", "u32": "i64", "u64": "i64", "usize": "i64"}
        signed = wider.get(bare, "i128")
        return [
            inp.candidate(
                f"Negate as a signed `{signed}`",
                [inp.edit(start, end, f"-({text} as {signed})")],
                0.6,
            )
        ]
    if op == "!":
        if bare.startswith("Option<"):
            return [inp.candidate("Test for `None`", [inp.edit(start, end, f"{text}.is_none()")])]
        if bare in ("String", "str") or _SIZED.match(bare):
            return [
                inp.candidate("Test for emptiness", [inp.edit(start, end, f"{text}.is_empty()")])
            ]
    return []


# --- E0599: methods on the wrong type --------------------------------------------------------


def _method_receiver(inp: RecipeInput) -> tuple[Node, Node] | None:
    """(receiver, method name) of `receiver.method` at the primary span."""
    node = inp.file.node_at(inp.start, inp.end)
    field_expr = inp.file.enclosing(node, "field_expression")
    if field_expr is None:
        return None
    value = field_expr.child_by_field_name("value")
    field = field_expr.child_by_field_name("field")
    if value is None or field is None:
        return None
    return value, field


@edit_kind("insert-iter")
def insert_iter(inp: RecipeInput) -> list[Candidate]:
    """A collection used as an iterator: iterate it first (`.iter()`, `.chars()`, `0..n`)."""
    inp = _viewed(inp)
    if not any("Iterator" in m or "is not an iterator" in m for m in inp.messages()):
        return []
    ty = inp.captures.get("ty", "")
    bare = ty.lstrip("&")
    if bare.startswith("Option<") or _ITERATOR_TYPE.match(bare):
        return []
    parts = _method_receiver(inp)
    if parts is not None:
        receiver, method = parts
        name = f"before `.{_text(inp.file, method)}(..)`"
    else:
        # `for c in text`: the iterated expression itself.
        found = _primary_expression(inp)
        if found is None or inp.file.enclosing(found, "for_expression") is None:
            return []
        receiver, name = found, "to iterate"
    if bare in INTEGERS or bare == "{integer}":
        start, end = inp.file.start(receiver), inp.file.end(receiver)
        text = _text(inp.file, receiver)
        return [inp.candidate(f"Count from 0 to `{text}`", [inp.edit(start, end, f"0..{text}")])]
    if bare in ("String", "str"):
        options = [(".chars()", 0.7), (".bytes()", 0.4)]
    else:
        options = [(".iter()", 0.7), (".into_iter()", 0.55), (".iter().copied()", 0.5)]
    return [
        inp.candidate(f"Call `{suffix}` {name}", _insert_after(inp, receiver, suffix), score)
        for suffix, score in options
    ]


@edit_kind("enumerate")
def enumerate_items(inp: RecipeInput) -> list[Candidate]:
    """`for (i, x) in items`: the index comes from `.enumerate()`."""
    inp = _viewed(inp)
    loop = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "for_expression")
    value = loop.child_by_field_name("value") if loop is not None else None
    if value is None:
        return []
    text = _text(inp.file, value)
    if value.type == "reference_expression" and value.named_children:
        inner = _wrapped(inp.file, value.named_children[-1])
        method = ".iter_mut()" if re.match(r"&\s*mut\b", text) else ".iter()"
        new = [f"{inner}{method}.enumerate()"]
    elif value.type == "range_expression":
        new = [f"({text}).enumerate()"]
    else:
        new = [
            f"{_wrapped(inp.file, value)}.enumerate()",
            f"{_wrapped(inp.file, value)}.iter().enumerate()",
        ]
    return [
        inp.candidate("Number the items with `.enumerate()`", [_replace_expr(inp, value, n)], score)
        for n, score in zip(new, (0.75, 0.6), strict=False)
    ]


_ADDING_METHODS = {
    "push",
    "push_str",
    "push_back",
    "push_front",
    "insert",
    "extend",
    "append",
    "entry",
}


@edit_kind("unwrap-receiver")
def unwrap_receiver(inp: RecipeInput) -> list[Candidate]:
    """A method of the inner type called on an `Option`/`Result`: get at the inner value."""
    inp = _viewed(inp)
    parts = _method_receiver(inp)
    if parts is None:
        return []
    receiver, method = parts
    returns = _fn_return_type(inp.file, receiver) or ""
    options: list[tuple[str, str, float]] = []
    is_result = "Result" in inp.diagnostic.message
    if (returns.startswith("Option<") and not is_result) or (
        is_result and re.match(r"(?:[\w:]+::)?Result<", returns)
    ):
        options.append(("Return early with `?`", "?", 0.7))
    options += [
        ("Use the value inside (`.as_ref().unwrap()`)", ".as_ref().unwrap()", 0.6),
        ("Use the value inside (`.as_mut().unwrap()`)", ".as_mut().unwrap()", 0.55),
        ("Use the value inside (`.unwrap()`)", ".unwrap()", 0.5),
    ]
    if not is_result:
        # Adding to a collection that may not exist yet: create it on first use.
        adds = _text(inp.file, method) in _ADDING_METHODS
        options.append(
            (
                "Create the value when there is none, then use it",
                ".get_or_insert_with(Default::default)",
                0.65 if adds else 0.45,
            )
        )
    options.sort(key=lambda option: -option[2])
    return [
        inp.candidate(title, _insert_after(inp, receiver, suffix), score)
        for title, suffix, score in options[:4]
    ]


# --- arguments, generics, constants ----------------------------------------------------------

_PLACEHOLDER = re.compile(r"/\*\s*(?P<ty>[^*]*?)\s*\*/")


@edit_kind("rustc-placeholders")
def rustc_placeholders(inp: RecipeInput) -> list[Candidate]:
    """rustc's own suggestion with placeholders, its `/* Type */` holes filled in.

    rustc knows which argument is missing or extra but leaves `/* u32 */` in
    the suggestion; `Default::default()` (or `todo!()`) fills the hole so the
    rest of the suggestion can be applied and checked.
    """
    inp = _viewed(inp)
    wanted = re.compile(inp.params.get("help", "."))
    fills = [f for f in inp.params.get("fill", "Default::default()").split("|") if f]
    result: list[Candidate] = []
    for child in inp.diagnostic.children:
        if not wanted.search(child.message):
            continue
        spans = [s for s in child.spans if s.suggested_replacement is not None]
        if not spans:
            continue
        holes = any(_PLACEHOLDER.search(s.suggested_replacement or "") for s in spans)
        for i, fill in enumerate(fills if holes else fills[:1]):
            edits = []
            for span in spans:
                located = _span_range(inp, span)
                if located is None:
                    break
                new = _PLACEHOLDER.sub(fill, span.suggested_replacement or "")
                edits.append(inp.edit(located[0], located[1], new))
            else:
                title = child.message[:1].upper() + child.message[1:]
                if holes:
                    title += f" (with `{fill}` as a placeholder)"
                score = (0.4 - 0.1 * i) if holes else 0.6
                result.append(inp.candidate(title, edits, score))
    return result[:4]


@edit_kind("result-error-type")
def result_error_type(inp: RecipeInput) -> list[Candidate]:
    """`Result<T>` without an error type: name one."""
    inp = _viewed(inp)
    if _slice(inp, inp.start, inp.end).split("::")[-1] != "Result":
        return []
    node = inp.file.node_at(inp.start, inp.end)
    generic = inp.file.enclosing(node, "generic_type")
    args = generic.child_by_field_name("type_arguments") if generic is not None else None
    if args is None or len(args.named_children) != 1:
        return []
    at = inp.file.end(args.named_children[0])
    errors = [e for e in inp.params.get("errors", "").split("|") if e]
    return [
        inp.candidate(f"Use `{err}` as the error type", [inp.edit(at, at, f", {err}")], score)
        for err, score in zip(errors, (0.6, 0.5, 0.4, 0.3), strict=False)
    ]


def _const_parts(file: SourceFile, item: Node) -> tuple[str, Node, Node, Node] | None:
    name = item.child_by_field_name("name")
    type_ = item.child_by_field_name("type")
    value = item.child_by_field_name("value")
    if name is None or type_ is None or value is None:
        return None
    return _text(file, name), name, type_, value


_STRING_LITERAL_VALUE = re.compile(
    r'^(?:String::from\((?P<a>"[^"\\]*")\)|(?P<b>"[^"\\]*")\.(?:to_string|to_owned|into)\(\))$'
)


@edit_kind("const-to-lazylock")
def const_to_lazylock(inp: RecipeInput) -> list[Candidate]:
    """A `const`/`static` built by a non-const call: make it a lazily built `static`.

    Also offered: `const fn` for a local function, `&str` for a `String`
    constant built from a literal.
    """
    inp = _viewed(inp)
    node = inp.file.node_at(inp.start, inp.end)
    item = inp.file.enclosing(node, "const_item", "static_item")
    if item is None:
        return []
    parts = _const_parts(inp.file, item)
    if parts is None:
        return []
    name, _, type_, value = parts
    result: list[Candidate] = []
    fn_name = inp.captures.get("fn", "")
    fn = inp.file.function(fn_name) if re.fullmatch(r"\w+", fn_name) else None
    if fn is not None and fn.type == "function_item":
        head = _text(inp.file, fn)
        if not re.match(r"(?:pub(?:\([^)]*\))?\s+)?const\b", head):
            at = inp.file.start(fn)
            vis = re.match(r"pub(?:\([^)]*\))?\s+", head)
            at += vis.end() if vis else 0
            result.append(
                inp.candidate(f"Make `{fn_name}` a `const fn`", [inp.edit(at, at, "const ")], 0.7)
            )
    literal = _STRING_LITERAL_VALUE.match(_text(inp.file, value))
    if _text(inp.file, type_) == "String" and literal:
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
    text = _text(inp.file, item)
    keyword = re.match(r"(?P<vis>(?:pub(?:\([^)]*\))?\s+)?)(?:const|static)\s+(?:mut\s+)?", text)
    if keyword is not None:
        start = inp.file.start(item)
        ty = _text(inp.file, type_)
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
                        f"std::sync::LazyLock::new(|| {_text(inp.file, value)})",
                    ),
                ],
                0.6,
            )
        )
    return result


@edit_kind("non-const-value")
def non_const_value(inp: RecipeInput) -> list[Candidate]:
    """A runtime value where a constant is needed: `vec!` for an array, `let` for `const`."""
    inp = _viewed(inp)
    node = inp.file.node_at(inp.start, inp.end)
    result: list[Candidate] = []
    array = inp.file.enclosing(node, "array_expression")
    length = array.child_by_field_name("length") if array is not None else None
    if array is not None and length is not None and inp.file.start(length) <= inp.start:
        start, end = inp.file.start(array), inp.file.end(array)
        result.append(
            inp.candidate(
                "Use a `Vec` (its length may be a runtime value)",
                [inp.edit(start, end, "vec!" + _text(inp.file, array))],
                0.75,
            )
        )
    item = inp.file.enclosing(node, "const_item")
    if item is not None and inp.file.enclosing(item, "function_item") is not None:
        text = _text(inp.file, item)
        start = inp.file.start(item)
        keyword = re.match(r"const\s+", text)
        if keyword is not None:
            result.append(
                inp.candidate(
                    "Make it a `let` binding (it depends on a runtime value)",
                    [inp.edit(start, start + keyword.end(), "let ")],
                    0.6,
                )
            )
    return result


# --- missing values, misspelt fields, methods from other languages ---------------------------


def _default_value(type_text: str) -> str | None:
    """A neutral value of a type, written the way people write it (None if there is none)."""
    type_text = type_text.strip()
    if type_text.startswith("Option<"):
        return "None"
    if type_text in INTEGERS:
        return "0"
    if type_text in FLOATS:
        return "0.0"
    simple = {"bool": "false", "String": "String::new()", "&str": '""', "char": "' '"}
    if type_text in simple:
        return simple[type_text]
    if type_text.startswith("Vec<"):
        return "Vec::new()"
    if type_text in ("()", "!") or type_text.startswith(("Result<", "&", "impl ")):
        return None
    return "Default::default()"


@edit_kind("missing-tail")
def missing_tail(inp: RecipeInput) -> list[Candidate]:
    """A function (or `if`) that should produce a value ends without one: give it one.

    Candidates: a binding rustc points at as the likely result, the value of
    rustc's placeholder suggestion, or an `else` branch for an `if` used as a value.
    """
    inp = _viewed(inp)
    expected = inp.captures.get("exp", "")
    node = inp.file.node_at(inp.start, inp.end)
    fn = inp.file.enclosing(node, "function_item")
    body = fn.child_by_field_name("body") if fn is not None else None
    result: list[Candidate] = []
    statements = [c for c in body.named_children if "comment" not in c.type] if body else []
    if statements:
        last = statements[-1]
        at = inp.file.end(last)
        indent = inp.file.indent_at(inp.file.start(last))
        names: list[str] = []
        for span in inp.child_spans("consider returning one of these bindings"):
            located = _span_range(inp, span)
            if located is not None:
                name = _slice(inp, located[0], located[1])
                if re.fullmatch(r"[a-z_]\w*", name) and name not in names:
                    names.append(name)
        if not names:
            # rustc names candidate bindings only sometimes: try the body's last `let`s.
            for statement in statements:
                pattern = statement.child_by_field_name("pattern")
                if statement.type == "let_declaration" and pattern is not None:
                    text = _text(inp.file, pattern).removeprefix("mut ").strip()
                    if re.fullmatch(r"[a-z_]\w*", text) and text not in names:
                        names.append(text)
        for i, name in enumerate(reversed(names[-3:])):
            result.append(
                inp.candidate(
                    f"Return `{name}` at the end of the function",
                    [inp.edit(at, at, f"\n{indent}{name}")],
                    score=0.6 - 0.1 * i,
                )
            )
    value = _default_value(expected)
    if value is None:
        return result
    for child in inp.diagnostic.children:
        if "consider returning a value" not in child.message:
            continue
        for span in child.spans:
            located = _span_range(inp, span)
            replacement = span.suggested_replacement or ""
            if located is None or not _PLACEHOLDER.search(replacement):
                continue
            filled = _PLACEHOLDER.sub(value, replacement)
            result.append(
                inp.candidate(
                    f"Return `{value}` when nothing else was returned",
                    [inp.edit(located[0], located[1], filled)],
                    score=0.45,
                )
            )
    if inp.diagnostic.code == "E0317":
        branch = inp.file.enclosing(node, "if_expression")
        if branch is not None and branch.child_by_field_name("alternative") is None:
            at = inp.file.end(branch)
            result.append(
                inp.candidate(
                    f"Add an `else` branch that gives `{value}`",
                    [inp.edit(at, at, f" else {{ {value} }}")],
                    score=0.45,
                )
            )
    return result[:4]


@edit_kind("rename-to-available-field")
def rename_to_available_field(inp: RecipeInput) -> list[Candidate]:
    """A field name the struct does not have: use one rustc lists as available."""
    inp = _viewed(inp)
    wrong = _slice(inp, inp.start, inp.end)
    if not re.fullmatch(r"\w+", wrong):
        return []
    fields = [f for f in re.findall(r"`(\w+)`", inp.captures.get("fields", "")) if f != wrong]
    if not fields:
        return []

    def likeness(field: str) -> float:
        ratio = difflib.SequenceMatcher(None, wrong.lower(), field.lower()).ratio()
        contained = wrong.lower() in field.lower() or field.lower() in wrong.lower()
        return ratio + (0.3 if contained else 0.0)

    ranked = sorted(fields, key=likeness, reverse=True)
    if len(fields) > 1:
        ranked = [f for f in ranked if likeness(f) >= 0.45]
    return [
        inp.candidate(
            f"Use the field `{field}`",
            [inp.edit(inp.start, inp.end, field)],
            score=0.55 - 0.1 * i,
        )
        for i, field in enumerate(ranked[:3])
    ]


#: Method names people bring from other languages (or guess), and the Rust spellings.
#: `{args}` is the call's argument text; templates replace `.name(args)`.
_METHOD_ALIASES: dict[tuple[str, ...], tuple[str, ...]] = {
    ("lower", "to_lower", "toLowerCase", "lowercase", "downcase", "to_lower_case"): (
        ".to_lowercase()",
        ".to_ascii_lowercase()",
    ),
    ("upper", "to_upper", "toUpperCase", "uppercase", "upcase", "to_upper_case"): (
        ".to_uppercase()",
        ".to_ascii_uppercase()",
    ),
    ("strip", "trim_whitespace", "trim_spaces"): (".trim()",),
    ("lstrip", "trim_left", "trimStart", "ltrim"): (".trim_start()",),
    ("rstrip", "trim_right", "trimEnd", "rtrim"): (".trim_end()",),
    ("startswith", "startsWith", "begins_with", "has_prefix"): (".starts_with({args})",),
    ("endswith", "endsWith", "has_suffix"): (".ends_with({args})",),
    ("length", "size", "count", "len", "get_len", "get_size"): (".len()", ".count()"),
    ("empty", "isEmpty", "is_blank"): (".is_empty()",),
    ("char_at", "charAt", "get_char", "nth_char"): (
        ".chars().nth({args}).unwrap()",
        ".as_bytes()[{args}] as char",
    ),
    ("index_of", "indexOf", "find_index", "position_of", "index"): (
        ".find({args})",
        ".iter().position(|x| *x == {args})",
        ".find({args}).unwrap()",
        ".iter().position(|x| *x == {args}).unwrap()",
    ),
    ("reverse", "reversed"): (".chars().rev().collect::<String>()", ".iter().rev()"),
    ("add", "append", "push_back", "add_item", "add_element"): (
        ".push({args})",
        ".insert({args})",
    ),
    ("includes", "has", "contains", "has_key", "contains_key", "has_item"): (
        ".contains(&{args})",
        ".contains({args})",
        ".contains_key(&{args})",
        ".contains_key({args})",
    ),
    ("first", "peek_first"): (".iter().next()",),
    ("to_vec", "to_list", "tolist", "to_array", "as_vec", "into_vec", "collect_vec"): (
        ".collect::<Vec<_>>()",
        ".to_vec()",
    ),
    ("join", "join_with"): (".iter().map(|x| x.to_string()).collect::<Vec<_>>().join({args})",),
    ("to_int", "parse_int", "to_i32", "as_int", "to_number"): (
        ".trim().parse::<i32>().unwrap()",
        ".trim().parse::<i64>().unwrap()",
    ),
    ("to_str", "as_string", "str"): (".as_str()", ".to_string()"),
    ("put", "set", "add_entry", "put_item"): (".insert({args})",),
    ("pow", "power"): (".powi({args})", ".powf({args} as f64)", ".pow({args} as u32)"),
    ("sqrt", "cbrt", "ln", "log10", "log2", "floor", "ceil", "round", "sin", "cos", "exp"): (
        "({recv} as f64).{name}()",
    ),
}


@edit_kind("method-alias")
def method_alias(inp: RecipeInput) -> list[Candidate]:
    """A method that does not exist under this name: the Rust method that does the job."""
    inp = _viewed(inp)
    name = inp.captures.get("method", "")
    templates = next((t for names, t in _METHOD_ALIASES.items() if name in names), ())
    parts = _method_receiver(inp)
    if not templates or parts is None:
        return []
    receiver, method = parts
    call = method.parent.parent if method.parent is not None else None
    if call is None or call.type != "call_expression" or _text(inp.file, method) != name:
        return []
    arguments = call.child_by_field_name("arguments")
    args = _text(inp.file, arguments)[1:-1].strip() if arguments is not None else ""
    result: list[Candidate] = []
    for template in templates:
        if ("{args}" in template) != bool(args):
            continue
        new = template.replace("{args}", args).replace("{name}", name)
        start, end = inp.file.end(receiver), inp.file.end(call)
        if "{recv}" in template:
            start = inp.file.start(receiver)
            new = new.replace("{recv}", _text(inp.file, receiver))
        if new == _text(inp.file, call)[start - inp.file.start(call) :]:
            continue
        shown = new if len(new) < 40 else new[:37] + "..."
        result.append(
            inp.candidate(
                f"Use `{shown}`",
                [inp.edit(start, end, new)],
                score=0.55 - 0.05 * len(result),
            )
        )
    return result[:4]


# --- iterator results of the wrong item type -----------------------------------------------


def _call_of_method(inp: RecipeInput) -> tuple[Node, Node, Node] | None:
    """(call, receiver, method name) for `receiver.method(..)` at the primary span."""
    parts = _method_receiver(inp)
    if parts is None:
        return None
    receiver, method = parts
    field_expr = method.parent
    call = field_expr.parent if field_expr is not None else None
    if call is not None and call.type == "generic_function":
        call = call.parent
    if call is None or call.type != "call_expression":
        return None
    return call, receiver, method


def _last_map(file: SourceFile, receiver: Node) -> tuple[Node, Node] | None:
    """(the `map` name, its call) of the last `.map(..)` of a method chain."""
    node: Node | None = receiver
    while node is not None and node.type == "call_expression":
        function = node.child_by_field_name("function")
        if function is None or function.type != "field_expression":
            return None
        field = function.child_by_field_name("field")
        if field is not None and _text(file, field) == "map":
            return field, node
        node = function.child_by_field_name("value")
    return None


def _map_closure_body(file: SourceFile, receiver: Node) -> Node | None:
    """The body of the closure in the last `.map(|x| ..)` of a method chain."""
    found = _last_map(file, receiver)
    arguments = found[1].child_by_field_name("arguments") if found is not None else None
    if arguments is None:
        return None
    closure = next((a for a in arguments.named_children if a.type == "closure_expression"), None)
    return closure.child_by_field_name("body") if closure is not None else None


@edit_kind("collect-items")
def collect_items(inp: RecipeInput) -> list[Candidate]:
    """`collect()` of items that are not the collection's: convert the items first.

    `Result`/`Option` items are unwrapped in the `map` that made them (or
    collected into a `Result<Vec<_>, _>`), references are cloned, `&str`s become
    `String`s.
    """
    inp = _viewed(inp)
    target, item = inp.captures.get("target", ""), inp.captures.get("item", "")
    parts = _call_of_method(inp)
    if parts is None:
        return []
    call, receiver, method = parts
    dot = inp.file.end(receiver)
    result: list[Candidate] = []
    if item.startswith(("Result<", "Option<")):
        body = _map_closure_body(inp.file, receiver)
        if body is not None:
            result.append(
                inp.candidate(
                    "Unwrap each item where it is made", _insert_after(inp, body, ".unwrap()"), 0.6
                )
            )
        if item.startswith("Result<") and (_fn_return_type(inp.file, call) or "").startswith(
            "Result<"
        ):
            at = inp.file.end(call)
            result.append(
                inp.candidate(
                    "Stop at the first error (`collect::<Result<_, _>>()?`)",
                    [inp.edit(inp.file.end(method), at, "::<Result<_, _>>()?")],
                    0.65,
                )
            )
        result.append(
            inp.candidate(
                "Skip the items that failed (`.flatten()`)", [inp.edit(dot, dot, ".flatten()")], 0.4
            )
        )
    elif re.match(r"(?:ToUppercase|ToLowercase|Chars|Vec<|Option<|IntoIter<|Split)", item):
        # Each item is itself a sequence (`c.to_uppercase()` is an iterator of chars).
        found = _last_map(inp.file, receiver)
        if found is not None:
            name = found[0]
            result.append(
                inp.candidate(
                    "Flatten the items as they are made (`flat_map`)",
                    [inp.edit(inp.file.start(name), inp.file.end(name), "flat_map")],
                    0.6,
                )
            )
        result.append(
            inp.candidate(
                "Flatten the items (`.flatten()`)", [inp.edit(dot, dot, ".flatten()")], 0.55
            )
        )
    elif item.startswith("&"):
        bare = item.lstrip("&").strip()
        if bare in ("str", "mut str") and "String" in target:
            result.append(
                inp.candidate(
                    "Make each item a `String`",
                    [inp.edit(dot, dot, ".map(|s| s.to_string())")],
                    0.65,
                )
            )
        else:
            copy = ".copied()" if _is_copy_like(bare) else ".cloned()"
            other = ".cloned()" if copy == ".copied()" else ".copied()"
            result += [
                inp.candidate(
                    f"Collect copies of the items (`{copy}`)", [inp.edit(dot, dot, copy)]
                ),
                inp.candidate(
                    f"Collect copies of the items (`{other}`)", [inp.edit(dot, dot, other)], 0.5
                ),
            ]
    return result


_NUMERIC_ITEM = re.compile(r"&*(?P<ty>[iu](?:8|16|32|64|128|size)|f32|f64)")


@edit_kind("sum-as")
def sum_as(inp: RecipeInput) -> list[Candidate]:
    """`sum()`/`product()` into another numeric type than the items': add up, then cast."""
    inp = _viewed(inp)
    target = inp.captures.get("target", "")
    item = _NUMERIC_ITEM.fullmatch(inp.captures.get("item", ""))
    parts = _call_of_method(inp)
    if item is None or target not in NUMERIC or parts is None:
        return []
    call, receiver, method = parts
    ty = item.group("ty")
    start, end = inp.file.start(call), inp.file.end(call)
    name = _text(inp.file, method)
    chain = _slice(inp, start, inp.file.end(receiver))
    summed = f"{chain}.{name}::<{ty}>() as {target}"
    parent = call.parent
    if parent is not None and parent.type in (
        "field_expression",
        "binary_expression",
        "unary_expression",
        "type_cast_expression",
        "index_expression",
        "try_expression",
    ):
        summed = f"({summed})"
    mapped = f"{chain}.map(|x| x as {target}).{name}::<{target}>()"
    if item.group(0).startswith("&"):
        mapped = f"{chain}.map(|&x| x as {target}).{name}::<{target}>()"
    return [
        inp.candidate(
            f"Add up as `{ty}`, then convert to `{target}`", [inp.edit(start, end, summed)], 0.6
        ),
        inp.candidate(f"Convert each item to `{target}`", [inp.edit(start, end, mapped)], 0.5),
    ]


@edit_kind("unwrap-operand")
def unwrap_operand(inp: RecipeInput) -> list[Candidate]:
    """Arithmetic on an `Option`/`Result` operand: take the value out first."""
    inp = _viewed(inp)
    result: list[Candidate] = []
    for span, found in _labelled(inp, r"^(?P<ty>(?:Option|Result)<.*>)$"):
        located = _span_range(inp, span)
        if located is None:
            continue
        node = _expression_at(inp.file, *located)
        if node is None:
            continue
        wrapper = found.group("ty").split("<", 1)[0]
        returns = _fn_return_type(inp.file, node) or ""
        if returns.startswith(f"{wrapper}<"):
            result.append(
                inp.candidate("Return early with `?`", _insert_after(inp, node, "?"), 0.65)
            )
        result.append(
            inp.candidate(
                f"Unwrap `{_text(inp.file, node)}`", _insert_after(inp, node, ".unwrap()"), 0.6
            )
        )
        if wrapper == "Option":
            copy = ".copied()" if found.group("ty").startswith("Option<&") else ""
            result.append(
                inp.candidate(
                    "Use the default when there is none",
                    _insert_after(inp, node, f"{copy}.unwrap_or_default()"),
                    0.45,
                )
            )
        break
    return result


# --- values of a related type: wrap, convert the inside, construct ----------------------------

_STRING_REFS = ("&str", "&String", "&&str", "&'static str")

#: Smart pointers and cells that wrap a value: `Rc<T>` expected, `T` found.
_WRAPPERS = {
    "Box": "Box::new",
    "Rc": "std::rc::Rc::new",
    "Arc": "std::sync::Arc::new",
    "RefCell": "std::cell::RefCell::new",
    "Cell": "std::cell::Cell::new",
    "Mutex": "std::sync::Mutex::new",
    "RwLock": "std::sync::RwLock::new",
}


@edit_kind("convert-inner")
def convert_inner(inp: RecipeInput) -> list[Candidate]:
    """Expected and found differ inside a wrapper: convert the items or the error.

    `Option<&str>` → `Option<String>`, `Vec<&str>` → `Vec<String>`, `Option<&T>` →
    `Option<T>`, `Result<T, E>` → `Result<T, String>`, `Result` ↔ `Option`.
    """
    inp = _viewed(inp)
    expected, found = inp.captures.get("exp", ""), inp.captures.get("found", "")
    node = _primary_expression(inp)
    if node is None:
        return []
    options: list[tuple[str, str, float]] = []
    exp_opt, found_opt = _generic_args(expected, "Option"), _generic_args(found, "Option")
    exp_vec, found_vec = _generic_args(expected, "Vec"), _generic_args(found, "Vec")
    exp_res, found_res = _generic_args(expected, "Result"), _generic_args(found, "Result")
    if exp_opt and found_opt:
        inner, got = exp_opt[0], found_opt[0]
        if inner == "String" and got in _STRING_REFS:
            options += [
                ("Make the value inside an owned `String`", ".map(|s| s.to_string())", 0.6),
                ("Make the value inside an owned `String`", ".map(String::from)", 0.55),
            ]
        elif got.startswith("&") and got[1:].strip() == inner:
            copy = ".copied()" if _is_copy_like(inner) else ".cloned()"
            options.append((f"Copy the value inside (`{copy}`)", copy, 0.6))
    elif exp_vec and found_vec:
        inner, got = exp_vec[0], found_vec[0]
        if inner == "String" and got in _STRING_REFS:
            options.append(
                (
                    "Make every item an owned `String`",
                    ".iter().map(|s| s.to_string()).collect()",
                    0.6,
                )
            )
        elif got.startswith("&") and got[1:].strip() == inner:
            copy = ".copied()" if _is_copy_like(inner) else ".cloned()"
            options.append((f"Copy every item (`{copy}`)", f".into_iter(){copy}.collect()", 0.6))
    elif exp_res and found_res and len(exp_res) == 2 and len(found_res) == 2:
        if exp_res[1] == "String" and found_res[1] != "String":
            options.append(("Turn the error into a `String`", ".map_err(|e| e.to_string())", 0.6))
        elif exp_res[1].startswith("Box<dyn") and found_res[1] != exp_res[1]:
            options.append(("Box the error", ".map_err(|e| e.into())", 0.5))
    elif exp_opt and found_res:
        options.append(("Keep the value, drop the error (`.ok()`)", ".ok()", 0.6))
    elif exp_res and found_opt and len(exp_res) == 2:
        error = exp_res[1]
        message = _missing_message(inp, node)
        if error == "String":
            options.append(
                ("Make a missing value an error", f'.ok_or_else(|| "{message}".to_string())', 0.6)
            )
        elif error in ("&str", "&'static str"):
            options.append(("Make a missing value an error", f'.ok_or("{message}")', 0.6))
    return [
        inp.candidate(title, _insert_after(inp, node, suffix), score)
        for title, suffix, score in options
    ]


def _missing_message(inp: RecipeInput, node: Node) -> str:
    words = re.findall(r"[A-Za-z]+", _text(inp.file, node))
    return f"{words[0] if words else 'value'} not found"


@edit_kind("construct-expected")
def construct_expected(inp: RecipeInput) -> list[Candidate]:
    """A plain value where a type built from it is expected: build it.

    `Duration` from a number, `Rc`/`Arc`/`RefCell`/`Mutex` around a value,
    `&String` from a `&str`, `u8` and `char` from each other.
    """
    inp = _viewed(inp)
    expected = inp.captures.get("exp", "")
    found = inp.captures.get("found") or inp.captures.get("literal", "")
    node = _primary_expression(inp)
    if node is None:
        return []
    text = _text(inp.file, node)
    options: list[tuple[str, str, float]] = []
    base = expected.split("<", 1)[0].split("::")[-1]
    integer = found in INTEGERS or found in ("integer", "{integer}")
    if base == "Duration":
        value = (
            text
            if found in ("u64", "integer", "{integer}")
            else f"{_wrapped(inp.file, node)} as u64"
        )
        if integer:
            options += [
                (
                    "Read the number as milliseconds",
                    f"std::time::Duration::from_millis({value})",
                    0.55,
                ),
                ("Read the number as seconds", f"std::time::Duration::from_secs({value})", 0.5),
            ]
        elif found in FLOATS or found in ("floating-point number", "{float}"):
            options.append(
                ("Read the number as seconds", f"std::time::Duration::from_secs_f64({text})", 0.55)
            )
    elif base in _WRAPPERS and "<" in expected and not found.startswith(base + "<"):
        options.append((f"Wrap the value in `{base}`", f"{_WRAPPERS[base]}({text})", 0.55))
    elif expected == "&String" and found in ("&str", "&&str", "&'static str"):
        inner = text[1:] if text.startswith("&") else text
        options.append(("Pass a reference to an owned `String`", f"&{inner}.to_string()", 0.5))
    elif expected == "char" and found in ("ToUppercase", "ToLowercase"):
        # rustc proposes dropping the conversion; the intent is its (first) character.
        options.append(
            (
                "Take the converted character",
                f"{_wrapped(inp.file, node)}.next().unwrap()",
                CONFIDENT,
            )
        )
    elif expected == "u8" and found == "char":
        options.append(
            ("Convert the character to a byte", f"{_wrapped(inp.file, node)} as u8", 0.55)
        )
    elif expected == "char" and found == "u8":
        options.append(
            ("Convert the byte to a character", f"{_wrapped(inp.file, node)} as char", 0.55)
        )
    elif expected in NUMERIC and found in _STRINGISH:
        literal = re.fullmatch(r'"\s*(-?\d+(?:\.\d+)?)\s*"', text)
        if literal and ("." not in literal.group(1) or expected in FLOATS):
            options.append(("Write the number, not a string", literal.group(1), 0.7))
        elif node.type not in ("string_literal", "raw_string_literal"):
            # A literal that is no number would only panic when parsed.
            wrapped = _wrapped(inp.file, node)
            options += [
                (
                    f"Parse the text as `{expected}`",
                    f"{wrapped}.trim().parse::<{expected}>().unwrap()",
                    0.55,
                ),
                (
                    f"Parse the text as `{expected}`",
                    f"{wrapped}.parse::<{expected}>().unwrap()",
                    0.5,
                ),
            ]
    elif expected in ("&str", "&String") and (
        integer or found in FLOATS or found in ("char", "bool", "floating-point number")
    ):
        char_literal = re.fullmatch(r"'([^'\\])'", text)
        if char_literal:
            options.append(("Write a string literal", f'"{char_literal.group(1)}"', 0.6))
        elif node.type in ("integer_literal", "float_literal", "boolean_literal"):
            options.append(("Write a string literal", f'"{text}"', 0.6))
        options.append(("Pass the value as text", f"&{_wrapped(inp.file, node)}.to_string()", 0.5))
    elif expected.startswith("Option<") and not found.startswith("Option<"):
        wrapped_type = (_generic_args(expected, "Option") or [""])[0]
        if wrapped_type.startswith("&") and not found.startswith("&"):
            options.append(("Compare with `Some(&..)`", f"Some(&{text})", 0.6))
        options.append(("Wrap the value in `Some`", f"Some({text})", 0.5))
    elif expected == "String" and (integer or found in FLOATS or found in ("char", "bool")):
        options.append(
            ("Format the value as a `String`", f"{_wrapped(inp.file, node)}.to_string()", 0.55)
        )
    return [
        inp.candidate(title, [_replace_expr(inp, node, new)], score)
        for title, new, score in options
    ]


@edit_kind("char-from-integer")
def char_from_integer(inp: RecipeInput) -> list[Candidate]:
    """`n as char` for an integer wider than `u8`: `char::from_u32`, or go through `u8`."""
    inp = _viewed(inp)
    source = inp.captures.get("from", "")
    node = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "type_cast_expression")
    value = node.child_by_field_name("value") if node is not None else None
    if node is None or value is None or source not in INTEGERS:
        return []
    text = _text(inp.file, value)
    as_u32 = text if source == "u32" else f"{_wrapped(inp.file, value)} as u32"
    return [
        inp.candidate(
            "Convert with `char::from_u32` (a code point)",
            [_replace_expr(inp, node, f"char::from_u32({as_u32}).unwrap()")],
            0.6,
        ),
        inp.candidate(
            "Convert through `u8` (an ASCII code)",
            [_replace_expr(inp, node, f"({_wrapped(inp.file, value)} as u8) as char")],
            0.5,
        ),
    ]


@edit_kind("drop-call")
def drop_call(inp: RecipeInput) -> list[Candidate]:
    """`.unwrap()` (or the like) on a value that is not an `Option`/`Result`: drop the call."""
    inp = _viewed(inp)
    parts = _call_of_method(inp)
    if parts is None:
        return []
    call, receiver, method = parts
    name = _text(inp.file, method)
    return [
        inp.candidate(
            f"Remove `.{name}(..)`: the value is already there",
            [inp.edit(inp.file.end(receiver), inp.file.end(call), "")],
            0.6,
        )
    ]


@edit_kind("drop-try")
def drop_try(inp: RecipeInput) -> list[Candidate]:
    """`?` on a plain value (not an `Option`/`Result`): drop the `?`."""
    inp = _viewed(inp)
    node = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "try_expression")
    if node is None or not _text(inp.file, node).endswith("?"):
        return []
    end = inp.file.end(node)
    return [
        inp.candidate("Remove the `?`: the value cannot fail", [inp.edit(end - 1, end, "")], 0.6)
    ]


@edit_kind("to-bool")
def to_bool(inp: RecipeInput) -> list[Candidate]:
    """A number, text or collection used as a condition: say what is tested."""
    inp = _viewed(inp)
    found = inp.captures.get("found", "").lstrip("&")
    node = _primary_expression(inp)
    if node is None:
        return []
    text = _text(inp.file, node)
    wrapped = _wrapped(inp.file, node)
    if found in INTEGERS or found == "{integer}":
        new, title = f"{wrapped} != 0", f"Test `{text}` for being non-zero"
    elif found in ("String", "str") or _SIZED.match(found):
        new, title = f"!{wrapped}.is_empty()", f"Test `{text}` for being non-empty"
    elif found.startswith("Result<"):
        new, title = f"{wrapped}.is_ok()", f"Test `{text}` for success"
    else:
        return []
    return [inp.candidate(title, [_replace_expr(inp, node, new)], 0.6)]


@edit_kind("field-to-method")
def field_to_method(inp: RecipeInput) -> list[Candidate]:
    """`s.length` (a field that does not exist) for what a method gives: `s.len()`."""
    inp = _viewed(inp)
    name = inp.captures.get("field", "")
    templates = next((t for names, t in _METHOD_ALIASES.items() if name in names), ())
    node = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "field_expression")
    value = node.child_by_field_name("value") if node is not None else None
    if node is None or value is None:
        return []
    start, end = inp.file.end(value), inp.file.end(node)
    return [
        inp.candidate(f"Call `{template}`", [inp.edit(start, end, template)], 0.55 - 0.05 * i)
        for i, template in enumerate(t for t in templates if t.startswith(".") and "{" not in t)
    ][:3]


@edit_kind("stable-equivalent")
def stable_equivalent(inp: RecipeInput) -> list[Candidate]:
    """An unstable library method with a short stable spelling.

    `iter.intersperse(sep).collect::<String>()` → `iter.collect::<Vec<_>>().join(sep)`.
    """
    inp = _viewed(inp)
    if inp.captures.get("feature") != "iter_intersperse":
        return []
    parts = _call_of_method(inp)
    if parts is None:
        return []
    call, receiver, _ = parts
    arguments = call.child_by_field_name("arguments")
    outer = call.parent
    collect = outer.parent if outer is not None else None
    if collect is not None and collect.type == "generic_function":
        collect = collect.parent
    if (
        arguments is None
        or outer is None
        or outer.type != "field_expression"
        or collect is None
        or collect.type != "call_expression"
        or not _text(inp.file, collect)[len(_text(inp.file, call)) :]
        .lstrip()
        .startswith(".collect")
    ):
        return []
    separator = _text(inp.file, arguments)[1:-1].strip()
    start, end = inp.file.end(receiver), inp.file.end(collect)
    return [
        inp.candidate(
            "Join the items with the separator (stable `join`)",
            [inp.edit(start, end, f".collect::<Vec<_>>().join({separator})")],
            0.7,
        )
    ]


@edit_kind("unsigned-abs")
def unsigned_abs(inp: RecipeInput) -> list[Candidate]:
    """`.abs()` on an unsigned value: `a.abs_diff(b)` for a difference, else nothing to do."""
    inp = _viewed(inp)
    parts = _call_of_method(inp)
    if parts is None:
        return []
    call, receiver, _ = parts
    result: list[Candidate] = []
    inner = receiver.named_children[0] if receiver.type == "parenthesized_expression" else None
    if inner is not None and inner.type == "binary_expression" and _operator(inner) == "-":
        left, right = inner.child_by_field_name("left"), inner.child_by_field_name("right")
        if left is not None and right is not None:
            new = f"{_wrapped(inp.file, left)}.abs_diff({_text(inp.file, right)})"
            result.append(
                inp.candidate(
                    "Take the distance with `abs_diff` (no underflow)",
                    [_replace_expr(inp, call, new)],
                    0.75,
                )
            )
    result.append(
        inp.candidate(
            "Remove `.abs()`: an unsigned value is never negative",
            [inp.edit(inp.file.end(receiver), inp.file.end(call), "")],
            0.5,
        )
    )
    return result
