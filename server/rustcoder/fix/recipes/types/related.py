"""Values of a related type: wrap, convert the inside, construct, or drop a step.

Expected and found types are often close relatives: the same wrapper with a
different inside, a plain value where a type built from it is wanted, a call
(`.unwrap()`, `?`, `.abs()`) that the value's type does not need, a number
used as a condition. These edit kinds bridge the small gap between the two
types instead of changing either declaration.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import CONFIDENT, RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import FLOATS, INTEGERS, NUMERIC, Node, text_of
from rustcoder.fix.recipes.types._common import (
    METHOD_ALIASES,
    SIZED,
    STRINGISH,
    generic_args,
    is_copy_like,
)
from rustcoder.fix.recipes.types._syntax import (
    append_to_expr,
    call_of_method,
    drop_mark,
    operator_of,
    primary_expression,
    replace_expr,
    viewed,
    wrapped_text,
)

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


@edit_kind("convert-inner", prepare=viewed)
def convert_inner(inp: RecipeInput) -> list[Candidate]:
    """Expected and found differ inside a wrapper: convert the items or the error.

    `Option<&str>` → `Option<String>`, `Vec<&str>` → `Vec<String>`, `Option<&T>` →
    `Option<T>`, `Result<T, E>` → `Result<T, String>`, `Result` ↔ `Option`.
    """
    expected, found = inp.captures.get("exp", ""), inp.captures.get("found", "")
    node = need(primary_expression(inp))
    options: list[tuple[str, str, float]] = []
    exp_opt, found_opt = generic_args(expected, "Option"), generic_args(found, "Option")
    exp_vec, found_vec = generic_args(expected, "Vec"), generic_args(found, "Vec")
    exp_res, found_res = generic_args(expected, "Result"), generic_args(found, "Result")
    if exp_opt and found_opt:
        inner, got = exp_opt[0], found_opt[0]
        if inner == "String" and got in _STRING_REFS:
            options += [
                ("Make the value inside an owned `String`", ".map(|s| s.to_string())", 0.6),
                ("Make the value inside an owned `String`", ".map(String::from)", 0.55),
            ]
        elif got.startswith("&") and got[1:].strip() == inner:
            copy = ".copied()" if is_copy_like(inner) else ".cloned()"
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
            copy = ".copied()" if is_copy_like(inner) else ".cloned()"
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
        inp.candidate(title, append_to_expr(inp, node, suffix), score)
        for title, suffix, score in options
    ]


def _missing_message(inp: RecipeInput, node: Node) -> str:
    words = re.findall(r"[A-Za-z]+", text_of(inp.file, node))
    return f"{words[0] if words else 'value'} not found"


@edit_kind("construct-expected", prepare=viewed)
def construct_expected(inp: RecipeInput) -> list[Candidate]:
    """A plain value where a type built from it is expected: build it.

    `Duration` from a number, `Rc`/`Arc`/`RefCell`/`Mutex` around a value,
    `&String` from a `&str`, `u8` and `char` from each other.
    """
    expected = inp.captures.get("exp", "")
    found = inp.captures.get("found") or inp.captures.get("literal", "")
    node = need(primary_expression(inp))
    text = text_of(inp.file, node)
    options: list[tuple[str, str, float]] = []
    base = expected.split("<", 1)[0].split("::")[-1]
    integer = found in INTEGERS or found in ("integer", "{integer}")
    if base == "Duration":
        value = (
            text
            if found in ("u64", "integer", "{integer}")
            else f"{wrapped_text(inp.file, node)} as u64"
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
                f"{wrapped_text(inp.file, node)}.next().unwrap()",
                CONFIDENT,
            )
        )
    elif expected == "u8" and found == "char":
        options.append(
            ("Convert the character to a byte", f"{wrapped_text(inp.file, node)} as u8", 0.55)
        )
    elif expected == "char" and found == "u8":
        options.append(
            ("Convert the byte to a character", f"{wrapped_text(inp.file, node)} as char", 0.55)
        )
    elif expected in NUMERIC and found in STRINGISH:
        literal = re.fullmatch(r'"\s*(-?\d+(?:\.\d+)?)\s*"', text)
        if literal and ("." not in literal.group(1) or expected in FLOATS):
            options.append(("Write the number, not a string", literal.group(1), 0.7))
        elif node.type not in ("string_literal", "raw_string_literal"):
            # A literal that is no number would only panic when parsed.
            wrapped = wrapped_text(inp.file, node)
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
        options.append(
            ("Pass the value as text", f"&{wrapped_text(inp.file, node)}.to_string()", 0.5)
        )
    elif expected.startswith("Option<") and not found.startswith("Option<"):
        wrapped_type = (generic_args(expected, "Option") or [""])[0]
        if wrapped_type.startswith("&") and not found.startswith("&"):
            options.append(("Compare with `Some(&..)`", f"Some(&{text})", 0.6))
        options.append(("Wrap the value in `Some`", f"Some({text})", 0.5))
    elif expected == "String" and (integer or found in FLOATS or found in ("char", "bool")):
        options.append(
            ("Format the value as a `String`", f"{wrapped_text(inp.file, node)}.to_string()", 0.55)
        )
    return [
        inp.candidate(title, [replace_expr(inp, node, new)], score) for title, new, score in options
    ]


@edit_kind("char-from-integer", prepare=viewed)
def char_from_integer(inp: RecipeInput) -> list[Candidate]:
    """`n as char` for an integer wider than `u8`: `char::from_u32`, or go through `u8`."""
    source = inp.captures.get("from", "")
    node = inp.enclosing("type_cast_expression")
    value = node.child_by_field_name("value") if node is not None else None
    if node is None or value is None or source not in INTEGERS:
        return []
    text = text_of(inp.file, value)
    as_u32 = text if source == "u32" else f"{wrapped_text(inp.file, value)} as u32"
    return [
        inp.candidate(
            "Convert with `char::from_u32` (a code point)",
            [replace_expr(inp, node, f"char::from_u32({as_u32}).unwrap()")],
            0.6,
        ),
        inp.candidate(
            "Convert through `u8` (an ASCII code)",
            [replace_expr(inp, node, f"({wrapped_text(inp.file, value)} as u8) as char")],
            0.5,
        ),
    ]


@edit_kind("drop-call", prepare=viewed)
def drop_call(inp: RecipeInput) -> list[Candidate]:
    """`.unwrap()` (or the like) on a value that is not an `Option`/`Result`: drop the call."""
    call, receiver, method = need(call_of_method(inp))
    name = text_of(inp.file, method)
    return [
        inp.rewrite(
            f"Remove `.{name}(..)`: the value is already there",
            inp.file.end(receiver),
            inp.file.end(call),
            "",
            0.6,
        )
    ]


@edit_kind("drop-try", prepare=viewed)
def drop_try(inp: RecipeInput) -> list[Candidate]:
    """`?` on a plain value (not an `Option`/`Result`): drop the `?`."""
    return drop_mark(inp, "try_expression", "?", "Remove the `?`: the value cannot fail", 0.6)


@edit_kind("to-bool", prepare=viewed)
def to_bool(inp: RecipeInput) -> list[Candidate]:
    """A number, text or collection used as a condition: say what is tested."""
    found = inp.captures.get("found", "").lstrip("&")
    node = need(primary_expression(inp))
    text = text_of(inp.file, node)
    wrapped = wrapped_text(inp.file, node)
    if found in INTEGERS or found == "{integer}":
        new, title = f"{wrapped} != 0", f"Test `{text}` for being non-zero"
    elif found in ("String", "str") or SIZED.match(found):
        new, title = f"!{wrapped}.is_empty()", f"Test `{text}` for being non-empty"
    elif found.startswith("Result<"):
        new, title = f"{wrapped}.is_ok()", f"Test `{text}` for success"
    else:
        return []
    return [inp.candidate(title, [replace_expr(inp, node, new)], 0.6)]


@edit_kind("field-to-method", prepare=viewed)
def field_to_method(inp: RecipeInput) -> list[Candidate]:
    """`s.length` (a field that does not exist) for what a method gives: `s.len()`."""
    name = inp.captures.get("field", "")
    templates = next((t for names, t in METHOD_ALIASES.items() if name in names), ())
    node = inp.enclosing("field_expression")
    value = node.child_by_field_name("value") if node is not None else None
    if node is None or value is None:
        return []
    start, end = inp.file.end(value), inp.file.end(node)
    return [
        inp.rewrite(f"Call `{template}`", start, end, template, 0.55 - 0.05 * i)
        for i, template in enumerate(t for t in templates if t.startswith(".") and "{" not in t)
    ][:3]


@edit_kind("stable-equivalent", prepare=viewed)
def stable_equivalent(inp: RecipeInput) -> list[Candidate]:
    """An unstable library method with a short stable spelling.

    `iter.intersperse(sep).collect::<String>()` → `iter.collect::<Vec<_>>().join(sep)`.
    """
    if inp.captures.get("feature") != "iter_intersperse":
        return []
    call, receiver, _ = need(call_of_method(inp))
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
        or not text_of(inp.file, collect)[len(text_of(inp.file, call)) :]
        .lstrip()
        .startswith(".collect")
    ):
        return []
    separator = text_of(inp.file, arguments)[1:-1].strip()
    start, end = inp.file.end(receiver), inp.file.end(collect)
    return [
        inp.rewrite(
            "Join the items with the separator (stable `join`)",
            start,
            end,
            f".collect::<Vec<_>>().join({separator})",
            0.7,
        )
    ]


@edit_kind("unsigned-abs", prepare=viewed)
def unsigned_abs(inp: RecipeInput) -> list[Candidate]:
    """`.abs()` on an unsigned value: `a.abs_diff(b)` for a difference, else nothing to do."""
    call, receiver, _ = need(call_of_method(inp))
    result: list[Candidate] = []
    inner = receiver.named_children[0] if receiver.type == "parenthesized_expression" else None
    if inner is not None and inner.type == "binary_expression" and operator_of(inner) == "-":
        left, right = inner.child_by_field_name("left"), inner.child_by_field_name("right")
        if left is not None and right is not None:
            new = f"{wrapped_text(inp.file, left)}.abs_diff({text_of(inp.file, right)})"
            result.append(
                inp.candidate(
                    "Take the distance with `abs_diff` (no underflow)",
                    [replace_expr(inp, call, new)],
                    0.75,
                )
            )
    result.append(
        inp.rewrite(
            "Remove `.abs()`: an unsigned value is never negative",
            inp.file.end(receiver),
            inp.file.end(call),
            "",
            0.5,
        )
    )
    return result
