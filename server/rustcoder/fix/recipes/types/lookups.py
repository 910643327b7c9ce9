"""Missing values, misspelt fields, methods from other languages.

Some type errors are really lookups that went wrong: a function that ends
without its value, a field name the struct does not have, a method name
brought from Python or JavaScript. These edit kinds find the name or value that
was meant (a default, a field rustc lists, the Rust spelling of the method).
"""

from __future__ import annotations

import difflib
import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind
from rustcoder.fix.recipes.syntax import FLOATS, INTEGERS, text_of
from rustcoder.fix.recipes.types._common import METHOD_ALIASES, PLACEHOLDER
from rustcoder.fix.recipes.types._syntax import method_receiver, source_slice, viewed


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


@edit_kind("missing-tail", prepare=viewed)
def missing_tail(inp: RecipeInput) -> list[Candidate]:
    """A function (or `if`) that should produce a value ends without one: give it one.

    Candidates: a binding rustc points at as the likely result, the value of
    rustc's placeholder suggestion, or an `else` branch for an `if` used as a value.
    """
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
            located = inp.offsets_here(span)
            if located is not None:
                name = source_slice(inp, located[0], located[1])
                if re.fullmatch(r"[a-z_]\w*", name) and name not in names:
                    names.append(name)
        if not names:
            # rustc names candidate bindings only sometimes: try the body's last `let`s.
            for statement in statements:
                pattern = statement.child_by_field_name("pattern")
                if statement.type == "let_declaration" and pattern is not None:
                    text = text_of(inp.file, pattern).removeprefix("mut ").strip()
                    if re.fullmatch(r"[a-z_]\w*", text) and text not in names:
                        names.append(text)
        for i, name in enumerate(reversed(names[-3:])):
            result.append(
                inp.insert(
                    f"Return `{name}` at the end of the function",
                    at,
                    f"\n{indent}{name}",
                    0.6 - 0.1 * i,
                )
            )
    value = _default_value(expected)
    if value is None:
        return result
    for child in inp.diagnostic.children:
        if "consider returning a value" not in child.message:
            continue
        for span in child.spans:
            located = inp.offsets_here(span)
            replacement = span.suggested_replacement or ""
            if located is None or not PLACEHOLDER.search(replacement):
                continue
            filled = PLACEHOLDER.sub(value, replacement)
            result.append(
                inp.rewrite(
                    f"Return `{value}` when nothing else was returned",
                    located[0],
                    located[1],
                    filled,
                    0.45,
                )
            )
    if inp.diagnostic.code == "E0317":
        branch = inp.file.enclosing(node, "if_expression")
        if branch is not None and branch.child_by_field_name("alternative") is None:
            at = inp.file.end(branch)
            result.append(
                inp.insert(
                    f"Add an `else` branch that gives `{value}`", at, f" else {{ {value} }}", 0.45
                )
            )
    return result[:4]


@edit_kind("rename-to-available-field", prepare=viewed)
def rename_to_available_field(inp: RecipeInput) -> list[Candidate]:
    """A field name the struct does not have: use one rustc lists as available."""
    wrong = source_slice(inp, inp.start, inp.end)
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
        inp.rewrite(f"Use the field `{field}`", inp.start, inp.end, field, 0.55 - 0.1 * i)
        for i, field in enumerate(ranked[:3])
    ]


@edit_kind("method-alias", prepare=viewed)
def method_alias(inp: RecipeInput) -> list[Candidate]:
    """A method that does not exist under this name: the Rust method that does the job."""
    name = inp.captures.get("method", "")
    templates = next((t for names, t in METHOD_ALIASES.items() if name in names), ())
    parts = method_receiver(inp)
    if not templates or parts is None:
        return []
    receiver, method = parts
    call = method.parent.parent if method.parent is not None else None
    if call is None or call.type != "call_expression" or text_of(inp.file, method) != name:
        return []
    arguments = call.child_by_field_name("arguments")
    args = text_of(inp.file, arguments)[1:-1].strip() if arguments is not None else ""
    result: list[Candidate] = []
    for template in templates:
        if ("{args}" in template) != bool(args):
            continue
        new = template.replace("{args}", args).replace("{name}", name)
        start, end = inp.file.end(receiver), inp.file.end(call)
        if "{recv}" in template:
            start = inp.file.start(receiver)
            new = new.replace("{recv}", text_of(inp.file, receiver))
        if new == text_of(inp.file, call)[start - inp.file.start(call) :]:
            continue
        shown = new if len(new) < 40 else new[:37] + "..."
        result.append(inp.rewrite(f"Use `{shown}`", start, end, new, 0.55 - 0.05 * len(result)))
    return result[:4]
