"""Trait objects: unsized `dyn Trait` values, dyn compatibility, associated types.

A `dyn Trait` has no size, cannot be made from a trait with a supertrait like
`Clone`, and needs its associated types spelled out. rustc names each
problem; these edit kinds box the values, drop the blocking supertrait, or
write the associated types the crate's impls choose.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, edit_kind
from rustcoder.fix.recipes.syntax import Node, text_of
from rustcoder.fix.rust_syntax import SourceFile, rust_files

# --- trait objects -------------------------------------------------------------------------


def _split_top_level(text: str) -> list[tuple[int, int]]:
    """(start, end) of the comma-separated parts of `text` outside brackets and strings."""
    parts = []
    depth = 0
    start = 0
    quote = ""
    for i, ch in enumerate(text):
        if quote:
            if ch == quote and text[i - 1] != "\\":
                quote = ""
        elif ch == '"':
            quote = ch
        elif ch in "([{<":
            depth += 1
        elif ch in ")]}>":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append((start, i))
            start = i + 1
    parts.append((start, len(text)))
    return [(s, e) for s, e in parts if text[s:e].strip()]


def _box_elements(file: SourceFile, value: Node) -> list[Edit]:
    """`vec![A, B]` → `vec![Box::new(A), Box::new(B)]`."""
    if value.type != "macro_invocation" or not file.node_text(value).startswith("vec!"):
        return []
    tree = next((c for c in value.children if c.type == "token_tree"), None)
    if tree is None:
        return []
    inner_start = file.start(tree) + 1
    inner = file.text[inner_start : file.end(tree) - 1]
    if ";" in inner:
        return []
    edits = []
    for start, end in _split_top_level(inner):
        element = inner[start:end]
        if element.strip().startswith("Box::new("):
            continue
        first = inner_start + start + len(element) - len(element.lstrip())
        last = inner_start + start + len(element.rstrip())
        edits.append(Edit(file.path, first, first, "Box::new("))
        edits.append(Edit(file.path, last, last, ")"))
    return edits


def _box_pushed(file: SourceFile, name: str) -> list[Edit]:
    """`name.push(x)` → `name.push(Box::new(x))`."""
    edits = []
    for found in re.finditer(rf"\b{re.escape(name)}\s*\.\s*push\(", file.text):
        node = file.node_at(found.end() - 1, found.end())
        args = file.enclosing(node, "arguments")
        if args is None or len(args.named_children) != 1:
            continue
        arg = args.named_children[0]
        if file.node_text(arg).startswith("Box::new("):
            continue
        edits.append(Edit(file.path, file.start(arg), file.start(arg), "Box::new("))
        edits.append(Edit(file.path, file.end(arg), file.end(arg), ")"))
    return edits


def _trait_head(trait: str) -> str:
    """`std::ops::Fn(i32) -> i32` → `Fn`, `Iterator<Item = u8>` → `Iterator`."""
    found = re.match(r"\s*([\w:]+)", trait)
    return found.group(1).split("::")[-1] if found else ""


@edit_kind("box-dyn")
def box_dyn(inp: RecipeInput) -> list[Candidate]:
    """`Vec<dyn Trait>` holds values of unknown size: hold `Box<dyn Trait>`, box what goes in."""
    trait = _trait_head(inp.params.get("trait", ""))
    if not trait:
        return []
    file = inp.file
    edits: list[Edit] = []
    names: set[str] = set()
    values: list[Node] = []
    for node in file.walk():
        if node.type != "dynamic_type" or node.parent is None:
            continue
        if node.parent.type not in ("type_arguments", "array_type"):
            continue
        named = node.child_by_field_name("trait") or (
            node.named_children[0] if node.named_children else None
        )
        if named is None or _trait_head(file.node_text(named)) != trait:
            continue
        edits.append(Edit(file.path, file.start(node), file.start(node), "Box<"))
        edits.append(Edit(file.path, file.end(node), file.end(node), ">"))
        holder = file.enclosing(node, "let_declaration", "field_declaration", "function_item")
        if holder is None or holder.type == "function_item":
            continue
        if holder.type == "let_declaration":
            pattern = holder.child_by_field_name("pattern")
            names.add(text_of(file, pattern).removeprefix("mut ").strip())
            value = holder.child_by_field_name("value")
            if value is not None:
                values.append(value)
        else:
            names.add(text_of(file, holder.child_by_field_name("name")))
    if not edits:
        return []
    for node in file.walk():
        if node.type == "field_initializer":
            field = node.child_by_field_name("field")
            value = node.child_by_field_name("value")
            if value is not None and text_of(file, field) in names:
                values.append(value)
    for value in values:
        edits.extend(_box_elements(file, value))
    for name in sorted(n for n in names if re.fullmatch(r"\w+", n)):
        edits.extend(_box_pushed(file, name))
    edits = sorted(set(edits), key=lambda e: (e.start, e.end, e.new_text))
    return [inp.candidate(f"Hold `Box<dyn {trait}>` values (boxing what is stored)", edits, 0.8)]


# --- dyn compatibility ------------------------------------------------------------------------


@edit_kind("drop-supertrait")
def drop_supertrait(inp: RecipeInput) -> list[Candidate]:
    """A supertrait such as `Clone` makes a trait unusable as `dyn`: drop that supertrait."""
    result = []
    for child in inp.diagnostic.children:
        for span in child.spans:
            label = span.label or ""
            if "because it requires `Self: Sized`" not in label and "uses `Self` as a" not in label:
                continue
            located = inp.span_offsets(span)
            source = inp.source(located[0]) if located is not None else None
            if located is None or source is None:
                continue
            bound = source.node_at(located[1], located[2])
            bounds = bound.parent
            if bounds is None or bounds.type != "trait_bounds":
                continue
            if bounds.parent is None or bounds.parent.type != "trait_item":
                continue
            named = bounds.named_children
            name = source.node_text(bound)
            if len(named) == 1:
                start, end = source.start(bounds), source.end(bounds)
            else:
                index = next(i for i, n in enumerate(named) if n.start_byte == bound.start_byte)
                if index == 0:  # `Clone + Debug` → `Debug`
                    start, end = source.start(bound), source.start(named[1])
                else:  # `Debug + Clone` → `Debug`
                    start, end = source.end(named[index - 1]), source.end(bound)
            result.append(
                inp.candidate(
                    f"Drop the supertrait `{name}` so the trait can be used as `dyn`",
                    [Edit(source.path, start, end, "")],
                    score=0.7,
                )
            )
    return result[:2]


# --- associated types of trait objects ---------------------------------------------------------


@edit_kind("specify-associated-type")
def specify_associated_type(inp: RecipeInput) -> list[Candidate]:
    """`dyn Trait` without its associated type: use the ones the crate's impls choose."""
    trait = _trait_head(inp.params.get("trait", ""))
    assoc = inp.params.get("assoc", "")
    written = inp.span_text
    if not trait or not assoc or _trait_head(written) != trait or "\n" in written:
        return []
    chosen = re.compile(
        rf"\bimpl\b[^{{;]*\b{re.escape(trait)}\b[^{{;]*\bfor\b[^{{]*\{{[^}}]*?"
        rf"\btype\s+{re.escape(assoc)}\s*=\s*(?P<value>[^;]+);",
        re.S,
    )
    values: list[str] = []
    for path in rust_files(inp.ctx.workspace_root):
        text = inp.ctx.read_text(path)
        for found in chosen.finditer(text or ""):
            value = " ".join(found.group("value").split())
            if value not in values:
                values.append(value)
    result = []
    for value in values[:3]:
        if written.endswith(">"):
            new = f"{written[:-1]}, {assoc} = {value}>"
        else:
            new = f"{written}<{assoc} = {value}>"
        result.append(
            inp.rewrite(
                f"Specify `{assoc} = {value}` (as the crate's impls of `{trait}` do)",
                inp.start,
                inp.end,
                new,
                0.7 if len(values) == 1 else 0.5,
            )
        )
    return result
