"""Building values of structs and enum variants with the wrong syntax or fields.

Missing fields, a field the struct lacks, a braced struct called like a tuple
struct, a type name used as a value, a unit variant called like a function:
each needs the struct's definition (its fields, a `Default`, a `new`), which
rustc's suggestions do not look up.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.recipes.base import RecipeInput, closest, edit_kind, need
from rustcoder.fix.recipes.items._syntax import append_fields
from rustcoder.fix.recipes.syntax import Node, primary_node, struct_name
from rustcoder.fix.rust_syntax import SourceFile


def _derives_default(source: SourceFile, node: Node, name: str) -> bool:
    for attribute in source.attributes_of(node):
        if re.search(r"derive\([^)]*\bDefault\b", source.node_text(attribute)):
            return True
    return bool(re.search(rf"impl\s+(?:std::default::)?Default\s+for\s+{name}\b", source.text))


@edit_kind("fill-missing-fields")
def fill_missing_fields(inp: RecipeInput) -> list[Candidate]:
    """Missing fields in a struct literal: `field: Default::default()` for each, or
    `..Default::default()` when the struct has a `Default` (`params.mode = "rest"`)."""
    expr = inp.file.enclosing(primary_node(inp), "struct_expression")
    body = expr.child_by_field_name("body") if expr is not None else None
    name_node = expr.child_by_field_name("name") if expr is not None else None
    if expr is None or body is None or name_node is None:
        return _fill_fields_in_macro(inp)
    name = struct_name(inp.captures.get("type") or inp.file.node_text(name_node))
    given = {
        inp.file.node_text(c.child_by_field_name("field") or c.named_children[0])
        for c in body.named_children
        if c.type in ("field_initializer", "shorthand_field_initializer") and c.named_children
    }
    if any(c.type == "base_field_initializer" for c in body.named_children):
        return []
    if inp.params.get("mode") == "rest":
        source, node = need(inp.find_type(name))
        assert isinstance(node, Node)
        if not _derives_default(source, node, name):
            return []
        edits = append_fields(inp.file, body, [], rest="..Default::default()")
        return [inp.candidate(None, edits, score=0.6)] if edits else []
    missing = _missing_field_names(inp, name, given)
    if not missing:
        return []
    edits = append_fields(inp.file, body, [f"{f}: Default::default()" for f in missing])
    return [inp.candidate(None, edits, score=0.55)] if edits else []


def _fill_fields_in_macro(inp: RecipeInput) -> list[Candidate]:
    """A struct literal inside macro arguments (`vec![Item { .. }]`), which parse as tokens."""
    text = inp.file.text
    at = inp.end
    while at < len(text) and text[at] in " \t":
        at += 1
    braced = _call_arguments(text, at, "{")
    if braced is None:
        return []
    close, entries = braced
    if any(e.startswith("..") for e in entries):
        return []
    given = {e.split(":")[0].strip() for e in entries}
    name = struct_name(inp.captures.get("type") or inp.span_text)
    if inp.params.get("mode") == "rest":
        found = inp.find_type(name)
        if found is None or not isinstance(found[1], Node):
            return []
        if not _derives_default(found[0], found[1], name):
            return []
        parts = ["..Default::default()"]
    else:
        parts = [f"{f}: Default::default()" for f in _missing_field_names(inp, name, given)]
    if not parts:
        return []
    inside = text[at + 1 : close].rstrip()
    insert_at = at + 1 + len(inside)
    if not inside.strip():
        edit = inp.edit(at + 1, close, " " + ", ".join(parts) + " ")
    else:
        lead = " " if inside.endswith(",") else ", "
        edit = inp.edit(insert_at, insert_at, lead + ", ".join(parts))
    return [inp.candidate(None, [edit], score=0.55)]


def _missing_field_names(inp: RecipeInput, name: str, given: set[str]) -> list[str]:
    found = inp.find_type(name)
    if found is not None:
        source, node = found
        assert isinstance(node, Node)
        fields = [f for f, _ in source.struct_fields(node)]
        if fields:
            return [f for f in fields if f not in given]
    # Enum struct variants and types outside the crate: the names rustc lists.
    listed = inp.captures.get("fields", "")
    if re.search(r"\d+ other field", listed):
        return []
    return [f for f in re.findall(r"`(\w+)`", listed) if f not in given]


@edit_kind("rename-field")
def rename_field(inp: RecipeInput) -> list[Candidate]:
    """A pattern or literal names a field the struct lacks: use the right field, keep the value.

    `let P { x, z } = p` → `let P { x, y: z } = p`, so code that uses `z` still
    works; `P { x, z }` (a literal) → `P { x, y: z }`, so the local `z` is used.
    """
    wrong = inp.captures["field"]
    field = inp.file.enclosing(
        primary_node(inp), "field_pattern", "field_initializer", "shorthand_field_initializer"
    )
    container = inp.file.enclosing(field, "struct_pattern", "struct_expression")
    if field is None or container is None:
        return []
    type_node = need(container.child_by_field_name("type") or container.child_by_field_name("name"))
    name = struct_name(inp.captures.get("type") or inp.file.node_text(type_node))
    found = inp.find_type(name)
    fields: list[str] = []
    if found is not None:
        source, node = found
        assert isinstance(node, Node)
        fields = [f for f, _ in source.struct_fields(node)]
    else:
        for span_text in re.findall(r"`(\w+)`", " ".join(inp.messages())):
            if span_text not in (wrong, name):
                fields.append(span_text)
    mentioned = set()
    for child in inp.file.walk(container):
        if child.type in ("field_pattern", "field_initializer"):
            ident = child.child_by_field_name("name") or child.child_by_field_name("field")
            if ident is not None:
                mentioned.add(inp.file.node_text(ident))
        elif child.type == "shorthand_field_initializer":
            mentioned.add(inp.file.node_text(child))
    free = [f for f in fields if f not in mentioned]
    options = closest(wrong, free, limit=2)
    if len(free) == 1 and free[0] not in options:
        options.append(free[0])
    result = []
    text = inp.file.node_text(field)
    has_colon = any(c.type == ":" for c in field.children)
    for option in options[:2]:
        new = re.sub(rf"^{re.escape(wrong)}\b", option, text) if has_colon else f"{option}: {text}"
        edit = inp.edit(inp.file.start(field), inp.file.end(field), new)
        result.append(inp.candidate(f"Use field `{option}` (keeping the value)", [edit], 0.6))
    return result


#: std types whose empty value is `T::new()`.
_STD_NEW = {
    "String", "Vec", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "BinaryHeap",
    "PathBuf", "OsString",
}  # fmt: skip


@edit_kind("value-from-struct")
def value_from_struct(inp: RecipeInput) -> list[Candidate]:
    """A struct's name used as a value: call its constructor, its `Default`, or a literal."""
    name = struct_name(inp.captures["name"])
    node = primary_node(inp)
    if node.parent is not None and node.parent.type in ("call_expression", "scoped_identifier"):
        return []
    found = inp.find_type(name)
    written = inp.span_text
    if found is None:
        if name not in _STD_NEW:
            return []
        edit = inp.edit(inp.start, inp.end, f"{written}::new()")
        return [inp.candidate(f"Call `{written}::new()`", [edit], 0.6)]
    source, item = found
    assert isinstance(item, Node)
    result = []
    new_fn = re.search(
        rf"impl\s+{re.escape(name)}\b[^{{]*\{{(?:.|\n)*?fn\s+new\s*\(\s*\)", source.text
    )
    if new_fn:
        result.append(
            inp.rewrite(f"Call `{written}::new()`", inp.start, inp.end, f"{written}::new()", 0.6)
        )
    if _derives_default(source, item, name):
        result.append(
            inp.rewrite(
                f"Use `{written}::default()`", inp.start, inp.end, f"{written}::default()", 0.55
            )
        )
    fields = source.struct_fields(item)
    if fields:
        literal = ", ".join(f"{f}: Default::default()" for f, _ in fields)
        result.append(
            inp.rewrite(
                f"Build `{written}` with a struct literal",
                inp.start,
                inp.end,
                f"{written} {{ {literal} }}",
                0.4,
            )
        )
    return result


@edit_kind("drop-call-args")
def drop_call_args(inp: RecipeInput) -> list[Candidate]:
    """A unit variant or unit struct called like a function: drop the call."""
    call = inp.file.enclosing(primary_node(inp), "call_expression")
    function = call.child_by_field_name("function") if call is not None else None
    if call is None or function is None:
        return []
    written = inp.file.node_text(function)
    defined = inp.captures.get("defined", "")
    if defined and written.split("::")[-1] != defined.split("::")[-1]:
        return []
    need(call.child_by_field_name("arguments"))
    edit = inp.edit(inp.file.end(function), inp.file.end(call), "")
    return [inp.candidate(f"Use `{written}` without a call", [edit], 0.55)]


def _variant_or_struct_fields(inp: RecipeInput, path: str) -> list[str] | None:
    """Field names of struct `path` (`Point`) or of struct variant `path` (`Shape::Rect`)."""
    parts = re.split(r"::", re.sub(r"<.*", "", path))
    found = inp.find_type(parts[-1])
    if found is not None:
        source, node = found
        assert isinstance(node, Node)
        fields = [f for f, _ in source.struct_fields(node)]
        if fields:
            return fields
    if len(parts) < 2:
        return None
    found = inp.find_type(parts[-2])
    if found is None:
        return None
    source, enum = found
    assert isinstance(enum, Node)
    body = enum.child_by_field_name("body")
    for variant in body.named_children if body is not None else []:
        ident = variant.child_by_field_name("name")
        if ident is None or source.node_text(ident) != parts[-1]:
            continue
        fields_node = variant.child_by_field_name("body")
        if fields_node is None or fields_node.type != "field_declaration_list":
            return None
        names = [c.child_by_field_name("name") for c in fields_node.named_children]
        return [source.node_text(n) for n in names if n is not None]
    return None


def _call_arguments(text: str, at: int, opener: str = "(") -> tuple[int, list[str]] | None:
    """`(a, f(b, c), "x,y")` at `at`: the offset of its `)` and the top-level arguments."""
    if text[at : at + 1] != opener:
        return None
    depth = 0
    args: list[str] = []
    current = at + 1
    index = at
    while index < len(text):
        char = text[index]
        if char in "\"'" and index > at:
            if char == "'" and not re.match(r"'(?:\\.|[^\\'])'", text[index : index + 4]):
                index += 1
                continue
            end = index + 1
            while end < len(text) and text[end] != char:
                end += 2 if text[end] == "\\" else 1
            index = end + 1
            continue
        if char in "([{":
            depth += 1
        elif char in ")]}":
            depth -= 1
            if depth == 0:
                last = text[current:index].strip()
                if last:
                    args.append(last)
                return index, args
        elif char == "," and depth == 1:
            args.append(text[current:index].strip())
            current = index + 1
        index += 1
    return None


@edit_kind("struct-literal-syntax")
def struct_literal_syntax(inp: RecipeInput) -> list[Candidate]:
    """A braced struct (or struct variant) called like a tuple struct, or used as a value.

    `Point(1, 2)` → `Point { x: 1, y: 2 }` (arguments in field order);
    `Shape::Rect` → `Shape::Rect { w: Default::default(), h: Default::default() }`.
    """
    node = primary_node(inp)
    head = need(re.match(r"[\w:]+", inp.span_text))
    path = head.group(0)
    fields = _variant_or_struct_fields(inp, inp.captures.get("name") or path)
    if not fields:
        return []
    # Works inside macro arguments too (`vec![Shape::Rect(1.0, 2.0)]`), so on text.
    call = _call_arguments(inp.file.text, inp.start + len(path))
    if call is not None:
        close, args = call
        if len(args) != len(fields):
            return []
        entries = [
            field if value == field else f"{field}: {value}"
            for field, value in zip(fields, args, strict=True)
        ]
        text = f"{path} {{ {', '.join(entries)} }}"
        edit = inp.edit(inp.start, close + 1, text)
        return [inp.candidate(f"Build `{path}` with struct literal syntax", [edit], 0.6)]
    if node.parent is not None and node.parent.type in ("scoped_identifier", "field_expression"):
        return []
    literal = ", ".join(f"{f}: Default::default()" for f in fields)
    edit = inp.edit(inp.start, inp.end, f"{path} {{ {literal} }}")
    return [inp.candidate(f"Build `{path}` with a struct literal", [edit], 0.4)]
