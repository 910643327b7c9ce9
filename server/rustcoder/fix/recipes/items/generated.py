"""Items that were used but never written, generated from their uses.

Programs written in one go call `Type::new(a, b)` on a struct whose `new`
was never written, or build `Point { x: 1.0, y: 2.0 }` of a struct never
declared. The item follows from its uses and the definitions around them: a
constructor stores its arguments in the struct's fields (matched by name,
then by type and order) and gives the other fields their empty value; a
struct's fields take the types of the literal's values. Nothing here writes
a placeholder body: where the uses do not determine the item, nothing is
proposed.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, closest, edit_kind, need
from rustcoder.fix.recipes.local_types import LocalTypes, generic_args_of, strip_refs
from rustcoder.fix.recipes.syntax import (
    INTEGERS,
    Node,
    indent_unit,
    insert_items_after,
    primary_node,
    struct_name,
    text_of,
)
from rustcoder.fix.recipes.types._syntax import viewed
from rustcoder.fix.rust_syntax import SourceFile

_EMPTY_COLLECTIONS = ("Vec", "VecDeque", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "String")


def empty_value(type_text: str) -> str:
    """The value a field starts with when the constructor is not given one."""
    bare = type_text.strip()
    if bare in INTEGERS:
        return "0"
    if bare in ("f32", "f64"):
        return "0.0"
    if bare == "bool":
        return "false"
    parts = generic_args_of(bare)
    head = parts[0] if parts else bare
    if head in _EMPTY_COLLECTIONS:
        return f"{head}::new()"
    if head == "Option":
        return "None"
    return "Default::default()"


def _fits(arg_type: str | None, arg: Node, field_type: str, generic: set[str]) -> bool:
    """Whether an argument of `arg_type` can be stored in a field of `field_type`."""
    if arg_type is None or field_type in generic:
        return True
    if arg.type == "integer_literal" and arg_type == "i32":
        return field_type in INTEGERS or field_type in ("f32", "f64")
    if arg.type == "float_literal":
        return field_type in ("f32", "f64")
    if strip_refs(arg_type) in ("str", "String") and field_type == "String":
        return True
    return strip_refs(arg_type) == field_type or arg_type == field_type


def _arg_name(file: SourceFile, arg: Node) -> str | None:
    """The name an argument is written with: `name`, `&name`, `name.clone()`, `x.name`."""
    text = text_of(file, arg)
    found = re.fullmatch(
        r"&?(?:mut\s+)?(?:\w+\.)*(\w+)(?:\.(?:clone|to_string|to_owned)\(\))?", text
    )
    return found.group(1) if found else None


def match_arguments(
    reader: LocalTypes, args: list[Node], fields: list[tuple[str, str]], generic: set[str]
) -> list[tuple[str, str]] | None:
    """For each argument, (field name, field type) it fills: by name, then in order by type."""
    assigned: dict[int, tuple[str, str]] = {}
    free = list(fields)
    for i, arg in enumerate(args):
        name = _arg_name(reader.file, arg)
        match = next((f for f in free if f[0] == name), None)
        if match is not None and _fits(reader.type_of(arg), arg, match[1], generic):
            assigned[i] = match
            free.remove(match)
    for i, arg in enumerate(args):
        if i in assigned:
            continue
        arg_type = reader.type_of(arg)
        match = next((f for f in free if _fits(arg_type, arg, f[1], generic)), None)
        if match is None:
            return None
        assigned[i] = match
        free.remove(match)
    return [assigned[i] for i in range(len(args))]


def constructor_text(
    reader: LocalTypes,
    args: list[Node],
    matched: list[tuple[str, str]],
    fields: list[tuple[str, str]],
    indent: str,
    unit: str,
    public: bool,
    name: str = "new",
) -> str:
    """`fn new(..) -> Self { Self { .. } }` storing each argument in its field."""
    params, given = [], {}
    for arg, (field, field_type) in zip(args, matched, strict=True):
        arg_type = reader.type_of(arg) or field_type
        if field_type == "String" and strip_refs(arg_type) == "str":
            params.append(f"{field}: &str")
            given[field] = f"{field}: {field}.to_string()"
        else:
            params.append(f"{field}: {field_type}")
            given[field] = field
    inits = [given.get(f, f"{f}: {empty_value(t)}") for f, t in fields]
    body_indent = indent + unit
    lines = [f"{indent}{'pub ' if public else ''}fn {name}({', '.join(params)}) -> Self {{"]
    if len(", ".join(inits)) <= 18:  # rustfmt's `struct_lit_width`
        lines.append(f"{body_indent}Self {{ {', '.join(inits)} }}")
    else:
        lines.append(f"{body_indent}Self {{")
        lines += [f"{body_indent}{unit}{init}," for init in inits]
        lines.append(f"{body_indent}}}")
    lines.append(f"{indent}}}")
    return "\n".join(lines) + "\n"


def _inherent_impl(file: SourceFile, name: str) -> Node | None:
    for node in file.walk():
        if node.type != "impl_item" or node.child_by_field_name("trait") is not None:
            continue
        type_ = node.child_by_field_name("type")
        if type_ is not None and text_of(file, type_).split("<")[0] == name:
            return node
    return None


def _impl_header(source: SourceFile, item: Node, name: str) -> str:
    """`impl Name` for `item`, with its generic parameters: `impl<T: Clone> Name<T>`."""
    params = item.child_by_field_name("type_parameters")
    if params is None:
        return f"impl {name}"
    names = []
    for param in params.named_children:
        ident = param.child_by_field_name("name")
        if ident is None:
            return ""
        names.append(text_of(source, ident))
    where = next((c for c in item.named_children if c.type == "where_clause"), None)
    if where is not None:
        return f"impl{text_of(source, params)} {name}<{', '.join(names)}> {text_of(source, where)}"
    return f"impl{text_of(source, params)} {name}<{', '.join(names)}>"


def add_to_impl(
    inp: RecipeInput, source: SourceFile, item: Node, name: str, text: str
) -> Edit | None:
    """An edit that puts `text` (an indented fn) first in `name`'s inherent impl, or in a
    new impl block right after the type when it has none."""
    impl = _inherent_impl(source, name)
    if impl is not None:
        body = impl.child_by_field_name("body")
        if body is None:
            return None
        at = source.end(body.children[0])
        text = "\n" + text.rstrip("\n") + ("\n" if body.named_children else "")
        return inp.edit(at, at, text, source.path)
    header = _impl_header(source, item, name)
    return insert_items_after(source, item, f"\n{header} {{\n{text}}}\n") if header else None


@edit_kind("generate-constructor", prepare=viewed)
def generate_constructor(inp: RecipeInput) -> list[Candidate]:
    """`Type::new(a, b)` where `new` was never written: a constructor that stores the
    arguments in the struct's fields and starts the other fields empty."""
    name = struct_name(inp.captures.get("type", ""))
    method = inp.captures.get("name", "new")
    call = need(inp.file.enclosing(primary_node(inp), "call_expression"))
    arguments = need(call.child_by_field_name("arguments"))
    args = list(arguments.named_children)
    found = need(inp.find_type(name))
    source, item = found
    assert isinstance(item, Node)
    if item.type != "struct_item":
        return []
    fields = source.struct_fields(item)
    if not fields and args:
        return []
    reader = LocalTypes(inp.file)
    existing = _existing_constructors(LocalTypes(source), name, len(args))
    renames = []
    for other in existing:
        title = f"Call `{name}::{other}`, the constructor it has"
        renames.append(inp.rewrite(title, inp.start, inp.end, other, 0.8))
    params = item.child_by_field_name("type_parameters")
    generic = {
        text_of(source, p.child_by_field_name("name"))
        for p in (params.named_children if params is not None else [])
        if p.type == "type_parameter"
    }
    matched = match_arguments(reader, args, fields, generic)
    if matched is None:
        return renames
    public = text_of(source, item).startswith("pub")
    unit = indent_unit(source)
    text = constructor_text(reader, args, matched, fields, unit, unit, public, method)
    edit = need(add_to_impl(inp, source, item, name, text))
    title = f"Write `{name}::{method}`, storing its arguments in the fields"
    if len(args) < len(fields):
        title = f"Write `{name}::{method}` (fields it is not given start empty)"
    return [*renames, inp.candidate(title, [edit], 0.75)]


def _existing_constructors(reader: LocalTypes, name: str, arity: int) -> list[str]:
    """Associated fns of `name` without `self` that return the type and take `arity`
    arguments: the program may have meant one of them (`create` written, `new` called)."""
    found = []
    for fn, _ in reader.impl_fns_of(name):
        params = fn.child_by_field_name("parameters")
        if params is None or any(p.type == "self_parameter" for p in params.named_children):
            continue
        returns = reader.returns(fn, name)
        if returns == name and len(reader.params(fn)) == arity:
            found.append(text_of(reader.file, fn.child_by_field_name("name")))
    return found


def _literal_fields(reader: LocalTypes, literals: list[Node]) -> list[tuple[str, str]] | None:
    """(field, type) for a struct known only from its literals; None when a type is unknown."""
    fields: dict[str, str | None] = {}
    for literal in literals:
        body = literal.child_by_field_name("body")
        for entry in body.named_children if body is not None else []:
            if entry.type == "field_initializer":
                field, value = (
                    entry.child_by_field_name("field"),
                    entry.child_by_field_name("value"),
                )
            elif entry.type == "shorthand_field_initializer" and entry.named_children:
                field = value = entry.named_children[0]
            else:
                continue
            if field is None or value is None:
                continue
            name = text_of(reader.file, field)
            found = reader.type_of(value)
            if found == "&str" and value.type == "string_literal":
                found = "&'static str"
            if found is not None and "&" in found and found != "&'static str":
                found = None
            if fields.get(name) is None:
                fields[name] = found
    if not fields or any(t is None for t in fields.values()):
        return None
    return [(name, t) for name, t in fields.items() if t is not None]


@edit_kind("generate-struct", prepare=viewed)
def generate_struct(inp: RecipeInput) -> list[Candidate]:
    """A struct literal of a struct never declared: declare it with the literal's fields,
    typed as the values are."""
    name = inp.captures.get("name", "")
    if inp.find_type(name) is not None:
        return []  # declared in another module: importing it is the fix
    declared = [
        text_of(inp.file, n.child_by_field_name("name"))
        for n in inp.file.walk()
        if n.type in ("struct_item", "enum_item", "union_item")
    ]
    if closest(name, declared):
        return []  # a misspelt name of a declared type: renaming the literal is the fix
    literal = need(inp.file.enclosing(primary_node(inp), "struct_expression"))
    written = text_of(inp.file, literal.child_by_field_name("name"))
    if written != name:
        return []
    literals = [
        n
        for n in inp.file.walk()
        if n.type == "struct_expression"
        and text_of(inp.file, n.child_by_field_name("name")) == name
    ]
    fields = need(_literal_fields(LocalTypes(inp.file), literals))
    top = literal
    while top.parent is not None and top.parent.type != "source_file":
        top = top.parent
    unit = indent_unit(inp.file)
    body = "".join(f"{unit}{field}: {type_},\n" for field, type_ in fields)
    declaration = f"struct {name} {{\n{body}}}\n\n"
    at = inp.file.item_start(top)
    return [
        inp.insert(
            f"Declare `struct {name}` with the literal's fields",
            at,
            f"#[derive(Debug, Clone)]\n{declaration}",
            0.7,
        ),
        inp.insert(f"Declare `struct {name}` (no derives)", at, declaration, 0.6),
    ]
