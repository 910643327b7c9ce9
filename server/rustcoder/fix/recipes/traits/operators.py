"""Operator traits (`Add`, `Sub`, `Mul`, ...) on local structs of numbers.

rustc reports a binary operator it cannot apply to a struct but suggests
nothing; the impl it needs is mechanical, field by field, and differs enough
from other trait impls (the `Output` type, the right-hand side, `Copy` on the
operands) to be a group of its own.
"""

from __future__ import annotations

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, edit_kind, need
from rustcoder.fix.recipes.syntax import NUMERIC, Node, insert_items_after, text_of
from rustcoder.fix.recipes.traits._derives import derive_edits
from rustcoder.fix.recipes.traits._syntax import declared_fields, implements, local_type
from rustcoder.fix.rust_syntax import SourceFile

# --- operators -------------------------------------------------------------------------

OPERATORS = {
    "Add": ("add", "+"),
    "Sub": ("sub", "-"),
    "Mul": ("mul", "*"),
    "Div": ("div", "/"),
    "Rem": ("rem", "%"),
}


def _numeric_fields(file: SourceFile, item: Node) -> tuple[list[tuple[str, str]], bool] | None:
    """The fields of a struct whose fields are all numbers (see `declared_fields`)."""
    fields, tuple_struct = declared_fields(file, item)
    if not fields or not all(t in NUMERIC for _, t in fields):
        return None
    return fields, tuple_struct


@edit_kind("impl-operator")
def impl_operator(inp: RecipeInput) -> list[Candidate]:
    """An arithmetic operator on a local struct of numbers: implement it field by field."""
    trait = inp.params.get("trait", "")
    rhs = inp.captures.get("rhs", "").strip()
    assign = trait.endswith("Assign")
    op_trait = trait.removesuffix("Assign")
    if op_trait not in OPERATORS:
        return []
    file, item = need(local_type(inp, inp.params.get("type", "")))
    name = text_of(file, item.child_by_field_name("name"))
    if item.child_by_field_name("type_parameters") is not None:
        return []
    fields, tuple_struct = need(_numeric_fields(file, item))
    method, symbol = OPERATORS[op_trait]
    field_types = {t for _, t in fields}
    scalar = bool(rhs) and rhs != name
    if scalar:
        if rhs in ("{integer}", "{float}"):
            if len(field_types) != 1:
                return []
            rhs = next(iter(field_types))
        if rhs not in NUMERIC or any(t != rhs for t in field_types):
            return []
    rhs_type = rhs if scalar else name
    generic = f"<{rhs_type}>" if scalar else ""

    def operand(field: str) -> str:
        return "rhs" if scalar else f"rhs.{field}"

    if assign:
        lines = [f"        self.{f} {symbol}= {operand(f)};" for f, _ in fields]
        text = (
            f"\nimpl std::ops::{trait}{generic} for {name} {{\n"
            f"    fn {method}_assign(&mut self, rhs: {rhs_type}) {{\n"
            + "\n".join(lines)
            + "\n    }\n}\n"
        )
    else:
        if tuple_struct:
            value = (
                f"{name}(" + ", ".join(f"self.{f} {symbol} {operand(f)}" for f, _ in fields) + ")"
            )
        else:
            value = (
                f"{name} {{ "
                + ", ".join(f"{f}: self.{f} {symbol} {operand(f)}" for f, _ in fields)
                + " }"
            )
        text = (
            f"\nimpl std::ops::{trait}{generic} for {name} {{\n"
            f"    type Output = {name};\n\n"
            f"    fn {method}(self, rhs: {rhs_type}) -> {name} {{\n"
            f"        {value}\n"
            "    }\n}\n"
        )
    impl_edit = insert_items_after(file, item, text)
    title = f"Implement `std::ops::{trait}{generic}` for `{name}` field by field"
    result = [inp.candidate(title, [impl_edit], score=0.75)]
    # A struct of numbers used with operators is a value type: make it `Copy` too,
    # or `a + b` moves `a` (which borrow checking reports only once this compiles).
    copy_edits, _ = derive_edits(file, item, ["Clone", "Copy"])
    if copy_edits and not implements(inp, "Clone", name):
        result.insert(
            0,
            inp.candidate(title + " and derive `Clone, Copy`", [impl_edit, *copy_edits], 0.78),
        )
    return result
