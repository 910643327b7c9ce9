"""Recipes for trait errors: derives, impls, operators, bounds and `?`.

rustc often knows *which* trait is missing but its own suggestion is a bare
`#[derive(Trait)]` line (without the traits it requires, never merged into an
existing derive), a placeholder it will not apply, or nothing at all. These
edit kinds write the complete edit: the derive with its prerequisites on the
type and on the local types of its fields, the trait's exact signatures, the
operator impl written field by field, the return type that makes `?` legal.
"""

from __future__ import annotations

import re
from pathlib import Path

import tree_sitter

from rustcoder.cargo.messages import Span
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, closest, edit_kind
from rustcoder.fix.rust_syntax import SourceFile, rust_files

#: A score above rustc's MachineApplicable suggestion (see engine.rank_key).
CONFIDENT = 0.92

#: Derivable std traits, in the order they are written in a derive.
DERIVABLE = ("Debug", "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Hash", "Default")

#: What deriving a trait needs derived too.
REQUIRES: dict[str, tuple[str, ...]] = {
    "Copy": ("Clone",),
    "Eq": ("PartialEq",),
    "PartialOrd": ("PartialEq",),
    "Ord": ("PartialOrd", "Eq", "PartialEq"),
}

#: The trait a method or associated function comes from.
METHOD_TRAITS = {
    "clone": "Clone",
    "cmp": "Ord",
    "max": "Ord",
    "min": "Ord",
    "clamp": "Ord",
    "partial_cmp": "PartialOrd",
    "eq": "PartialEq",
    "ne": "PartialEq",
    "hash": "Hash",
    "default": "Default",
}

#: Traits in the prelude: written without their path.
PRELUDE_TRAITS = {
    "Clone", "Copy", "PartialEq", "Eq", "PartialOrd", "Ord", "Default", "Send", "Sync",
    "Sized", "Iterator", "IntoIterator", "ToString", "From", "Into",
}  # fmt: skip

NUMERIC = {
    "i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize",
    "f32", "f64",
}  # fmt: skip

COLLECTIONS = ("Vec", "VecDeque", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "LinkedList")

_IDENT = re.compile(r"[A-Za-z_]\w*")


# --- helpers -------------------------------------------------------------------


def _type_names(type_text: str) -> list[str]:
    """Candidate type names in a type as rustc prints it, outermost first."""
    names = []
    for word in _IDENT.findall(type_text):
        if word in ("dyn", "mut", "impl", "static", "std", "crate", "self", "super"):
            continue
        if word not in names:
            names.append(word)
    return names


def _find_type(inp: RecipeInput, name: str) -> tuple[SourceFile, object] | None:
    """`inp.find_type`, after a cheap text search (it parses every file it looks at)."""
    if not re.fullmatch(r"[A-Za-z_]\w*", name) or name in NUMERIC:
        return None
    defined = re.compile(rf"\b(?:struct|enum|union)\s+{re.escape(name)}\b")
    if defined.search(inp.file.text):
        return inp.find_type(name)
    for path in rust_files(inp.ctx.workspace_root):
        text = inp.ctx.read_text(path)
        if text is not None and defined.search(text):
            return inp.find_type(name)
    return None


def _local_type(inp: RecipeInput, type_text: str) -> tuple[SourceFile, tree_sitter.Node] | None:
    """The definition of the first local type named in `type_text`."""
    for name in _type_names(type_text):
        found = _find_type(inp, name)
        if found is not None:
            file, node = found
            assert isinstance(node, tree_sitter.Node)
            return file, node
    return None


def _derive_attr(file: SourceFile, item: tree_sitter.Node) -> tuple[tree_sitter.Node, list[str]]:
    """The item's `#[derive(..)]` attribute and the traits it names."""
    for attr in file.attributes_of(item):
        text = file.node_text(attr)
        found = re.fullmatch(r"#\[\s*derive\s*\((?P<list>[^)]*)\)\s*\]", text, re.S)
        if found:
            traits = [t.strip() for t in found.group("list").split(",") if t.strip()]
            return attr, traits
    raise LookupError


def _derived(file: SourceFile, item: tree_sitter.Node) -> list[str]:
    try:
        return [t.split("::")[-1] for t in _derive_attr(file, item)[1]]
    except LookupError:
        return []


def _closure(traits: list[str]) -> list[str]:
    result: list[str] = []
    for trait in traits:
        for needed in (trait, *REQUIRES.get(trait, ())):
            if needed not in result:
                result.append(needed)
    return result


def _ordered(traits: list[str]) -> list[str]:
    return sorted(traits, key=lambda t: DERIVABLE.index(t) if t in DERIVABLE else len(DERIVABLE))


def _derive_edits(
    file: SourceFile, item: tree_sitter.Node, traits: list[str]
) -> tuple[list[Edit], bool]:
    """Edits deriving `traits` on `item` (merged into its derive) and whether one was merged."""
    have = _derived(file, item)
    missing = _ordered([t for t in traits if t not in have])
    if not missing:
        return [], False
    edits: list[Edit] = []
    try:
        attr, listed = _derive_attr(file, item)
    except LookupError:
        at = file.item_start(item)
        indent = file.indent_at(at)
        edits.append(Edit(file.path, at, at, f"#[derive({', '.join(missing)})]\n{indent}"))
        merged = False
    else:
        text = f"#[derive({', '.join([*listed, *missing])})]"
        edits.append(Edit(file.path, file.start(attr), file.end(attr), text))
        merged = True
    if "Default" in missing and item.type == "enum_item":
        default = _default_variant_edit(file, item)
        if default is None:
            return [], False
        edits.append(default)
    return edits, merged


def _default_variant_edit(file: SourceFile, item: tree_sitter.Node) -> Edit | None:
    """`#[derive(Default)]` on an enum needs `#[default]` on a unit variant."""
    body = item.child_by_field_name("body")
    if body is None:
        return None
    for variant in body.named_children:
        if variant.type == "enum_variant" and variant.child_by_field_name("body") is None:
            at = file.start(variant)
            return Edit(file.path, at, at, "#[default]\n" + file.indent_at(at))
    return None


def _field_types(file: SourceFile, item: tree_sitter.Node) -> list[str]:
    """Type texts of every field of a struct or enum (named, tuple and variant fields)."""
    result = []
    for node in file.walk(item.child_by_field_name("body") or item):
        if node.type == "field_declaration":
            type_ = node.child_by_field_name("type")
            if type_ is not None:
                result.append(file.node_text(type_))
        elif node.type == "ordered_field_declaration_list":
            for child in node.named_children:
                if child.type not in ("attribute_item", "visibility_modifier"):
                    result.append(file.node_text(child))
    return result


def _derive_everywhere(
    inp: RecipeInput, file: SourceFile, item: tree_sitter.Node, traits: list[str]
) -> tuple[list[Edit], bool, int]:
    """Derive on the type and on the local types of its fields, recursively."""
    edits: list[Edit] = []
    merged_any = False
    types = 0
    seen: set[tuple[Path, int]] = set()
    stack = [(file, item)]
    while stack and len(seen) < 12:
        current_file, current = stack.pop()
        key = (current_file.path, current.start_byte)
        if key in seen:
            continue
        seen.add(key)
        wanted = traits
        if current is not item:  # a field's type may implement some by hand
            name = _name(current_file, current.child_by_field_name("name"))
            wanted = [t for t in traits if not _implements(inp, t, name)]
        new_edits, merged = _derive_edits(current_file, current, wanted)
        if new_edits:
            types += 1
        edits.extend(new_edits)
        merged_any = merged_any or merged
        for type_text in _field_types(current_file, current):
            for name in _type_names(type_text):
                found = _find_type(inp, name)
                if found is not None:
                    nested_file, nested = found
                    assert isinstance(nested, tree_sitter.Node)
                    stack.append((nested_file, nested))
    return edits, merged_any, types


def _labelled(inp: RecipeInput, label_part: str) -> list[Span]:
    return [s for s in inp.diagnostic.spans if s.label and label_part in s.label]


def _offsets_in_file(inp: RecipeInput, span: Span) -> tuple[int, int] | None:
    located = inp.span_offsets(span)
    if located is None or located[0] != inp.path:
        return None
    return located[1], located[2]


def _enclosing_fn(inp: RecipeInput) -> tree_sitter.Node | None:
    """The function around the primary span; None when a closure comes first."""
    node: tree_sitter.Node | None = inp.file.node_at(inp.start, inp.end)
    while node is not None:
        if node.type == "closure_expression":
            return None
        if node.type == "function_item":
            return node
        node = node.parent
    return None


def _name(file: SourceFile, node: tree_sitter.Node | None) -> str:
    return file.node_text(node) if node is not None else ""


def _last_segment(type_text: str) -> str:
    return re.sub(r"<.*", "", type_text).split("::")[-1].strip()


def _find_trait(inp: RecipeInput, name: str) -> tuple[SourceFile, tree_sitter.Node] | None:
    """A trait defined in the workspace: this file first."""
    paths = [inp.path, *(p for p in rust_files(inp.ctx.workspace_root) if p != inp.path)]
    for path in paths:
        text = inp.file.text if path == inp.path else inp.ctx.read_text(path)
        if text is None or not re.search(rf"\btrait\s+{re.escape(name)}\b", text):
            continue
        source = inp.source(path)
        if source is None:
            continue
        for node in source.walk():
            if (
                node.type == "trait_item"
                and _name(source, node.child_by_field_name("name")) == name
            ):
                return source, node
    return None


def _trait_items(file: SourceFile, trait: tree_sitter.Node) -> dict[str, tree_sitter.Node]:
    body = trait.child_by_field_name("body")
    items: dict[str, tree_sitter.Node] = {}
    for child in body.named_children if body is not None else []:
        name = child.child_by_field_name("name")
        if name is not None:
            items[file.node_text(name)] = child
    return items


def _item_end_line(file: SourceFile, item: tree_sitter.Node) -> int:
    """The offset just after the line an item ends on."""
    end = file.end(item)
    nl = file.text.find("\n", end)
    return len(file.text) if nl < 0 else nl + 1


def _insert_after(file: SourceFile, item: tree_sitter.Node, text: str) -> Edit:
    """Insert `text` (new items, each after a blank line) below `item`, blank line after."""
    at = _item_end_line(file, item)
    if at == len(file.text) and not file.text.endswith("\n"):
        text = "\n" + text
    if file.text[at : at + 1] not in ("\n", ""):
        text += "\n"
    return Edit(file.path, at, at, text)


def _indent_block(text: str, indent: str) -> str:
    return "\n".join(indent + line if line.strip() else line for line in text.splitlines())


def _signature_text(file: SourceFile, node: tree_sitter.Node) -> str:
    """A trait method's signature: its text up to the body or the `;`."""
    body = node.child_by_field_name("body")
    end = file.start(body) if body is not None else file.end(node)
    return file.text[file.start(node) : end].rstrip().rstrip(";").rstrip()


def _prelude_path(trait: str) -> str:
    """`std::cmp::PartialOrd` → `PartialOrd` (in the prelude); others keep their path."""
    bounds = []
    for part in trait.split("+"):
        part = part.strip()
        last = part.split("::")[-1]
        bounds.append(last if last.split("<")[0] in PRELUDE_TRAITS else part)
    return " + ".join(bounds)


# --- derives ----------------------------------------------------------------------


def _bounds_from_notes(inp: RecipeInput) -> list[tuple[str, str]]:
    """`Type: Trait` pairs rustc lists as unsatisfied bounds."""
    pairs = []
    for message in inp.messages():
        for found in re.finditer(r"`(?P<type>[\w:<>, ]+): (?:[\w:]+::)?(?P<trait>\w+)`", message):
            pair = (found.group("type"), found.group("trait"))
            if pair[1] in DERIVABLE and pair not in pairs:
                pairs.append(pair)
    return pairs


@edit_kind("add-derive")
def add_derive(inp: RecipeInput) -> list[Candidate]:
    """Derive the missing trait (with the traits it needs) on a local type and its fields.

    Params: `type` and `trait`, or `method` (mapped to its trait), or
    `from = "bounds"` to derive every `Type: Trait` rustc lists as unsatisfied.
    """
    if inp.params.get("from") == "bounds":
        wanted = _bounds_from_notes(inp)
    else:
        trait = inp.params.get("trait") or METHOD_TRAITS.get(inp.params.get("method", ""), "")
        wanted = [(inp.params.get("type", ""), trait.split("::")[-1])]
    wanted = [(type_text, t) for type_text, t in wanted if t in DERIVABLE]
    if not wanted:
        return []
    messages = " ".join(inp.messages())
    by_type: dict[str, list[str]] = {}
    for type_text, trait in wanted:
        traits = [trait]
        # A hash-map key needs all three.
        if trait in ("Hash", "Eq") and re.search(r"Hash(Map|Set)", messages):
            traits = ["PartialEq", "Eq", "Hash"]
        by_type.setdefault(type_text, []).extend(traits)
    edits: list[Edit] = []
    merged = False
    nested = False
    names = []
    all_traits: list[str] = []
    for type_text, traits in by_type.items():
        found = _local_type(inp, type_text)
        if found is None:
            continue
        file, item = found
        traits = _closure(traits)
        new_edits, was_merged, types = _derive_everywhere(inp, file, item, traits)
        edits.extend(new_edits)
        merged = merged or was_merged
        nested = nested or types > 1
        names.append(_name(file, item.child_by_field_name("name")))
        all_traits.extend(t for t in traits if t not in all_traits)
    if not edits:
        return []
    extra = len(all_traits) > len({t for _, t in wanted})
    title = f"Add `#[derive({', '.join(_ordered(all_traits))})]` to `{'`, `'.join(names)}`"
    if nested:
        title += " and its field types"
    score = CONFIDENT if merged or extra or nested else 0.7
    return [inp.candidate(title, edits, score=score)]


@edit_kind("drop-derive")
def drop_derive(inp: RecipeInput) -> list[Candidate]:
    """Remove a derive that cannot hold (`Copy` with a `String` field, `Eq` with an `f64`).

    Param `trait`: what to drop; the traits that require it go too.
    """
    trait = inp.params.get("trait", "Copy")
    dropped = {trait} | {t for t, needs in REQUIRES.items() if trait in needs}
    node = inp.file.node_at(inp.start, inp.end)
    item = inp.file.enclosing(node, "struct_item", "enum_item", "union_item")
    if item is None:
        return []
    try:
        attr, listed = _derive_attr(inp.file, item)
    except LookupError:
        return []
    kept = [t for t in listed if t.split("::")[-1] not in dropped]
    if len(kept) == len(listed):
        return []
    start, end = inp.file.start(attr), inp.file.end(attr)
    if kept:
        edit = inp.edit(start, end, f"#[derive({', '.join(kept)})]")
    else:
        line = inp.file.line_start(start)
        nl = inp.file.text.find("\n", end)
        edit = inp.edit(line, nl + 1 if nl >= 0 else end, "")
    gone = ", ".join(t for t in listed if t not in kept)
    result = [inp.candidate(f"Remove `{gone}` from the derive", [edit], score=0.7)]
    # Or, first (the author wanted copies), make the field's local type derive it too.
    for span in _labelled(inp, "does not implement `Copy`"):
        offsets = _offsets_in_file(inp, span)
        if offsets is None:
            continue
        field_node = inp.file.node_at(*offsets)
        field_type = field_node.child_by_field_name("type") if field_node is not None else None
        type_text = inp.file.node_text(field_type or field_node)
        found = _local_type(inp, type_text)
        if found is not None:
            edits, _, _ = _derive_everywhere(inp, *found, _closure([trait]))
            if edits:
                result.append(
                    inp.candidate(f"Derive `{trait}` on `{type_text}` too", edits, score=0.8)
                )
        break
    return result


# --- Display --------------------------------------------------------------------------


def _debug_placeholder(placeholder: str) -> str | None:
    """`{}` → `{:?}`, `{name}` → `{name:?}`, `{:>8}` → `{:>8?}`."""
    found = re.fullmatch(r"\{(?P<inner>[^{}]*)\}", placeholder)
    if found is None:
        return None
    inner = found.group("inner")
    if inner.endswith("?"):
        return None
    return "{" + (inner + "?" if ":" in inner else inner + ":?") + "}"


def _display_impl_text(name: str) -> str:
    return (
        f"\nimpl std::fmt::Display for {name} {{\n"
        "    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {\n"
        '        write!(f, "{:?}", self)\n'
        "    }\n"
        "}\n"
    )


def _display_impl(file: SourceFile, item: tree_sitter.Node, name: str) -> Edit:
    return _insert_after(file, item, _display_impl_text(name))


@edit_kind("display-fallback")
def display_fallback(inp: RecipeInput) -> list[Candidate]:
    """A type without `Display` printed with `{}`: print its Debug form, or give it `Display`."""
    type_text = inp.params.get("type", "")
    found = _local_type(inp, type_text)
    if found is None and re.fullmatch(r"[A-Z]", type_text.strip()):
        return []  # a type parameter: a bound is the fix (rustc suggests it)
    result: list[Candidate] = []
    debug_edits: list[Edit] = []
    has_debug = True
    if found is not None:
        file, item = found
        has_debug = "Debug" in _derived(file, item)
        if not has_debug:
            debug_edits, _ = _derive_edits(file, item, ["Debug"])
    for span in _labelled(inp, "required by this formatting parameter"):
        offsets = _offsets_in_file(inp, span)
        if offsets is None:
            continue
        replacement = _debug_placeholder(inp.file.text[offsets[0] : offsets[1]])
        if replacement is None:
            continue
        result.append(
            inp.candidate(
                f"Print `{type_text}` with its Debug form (`{replacement}`)",
                [inp.edit(*offsets, replacement), *debug_edits],
                score=0.6 if has_debug else 0.45,
            )
        )
        break
    if found is not None:
        file, item = found
        name = _name(file, item.child_by_field_name("name"))
        # `Vec<Point>` gets no `Display` from one for `Point`.
        printed = _type_names(type_text)[:1] == [name]
        if printed and item.child_by_field_name("type_parameters") is None:
            result.append(
                inp.candidate(
                    f"Implement `Display` for `{name}` (writes its Debug form)",
                    [_display_impl(file, item, name), *debug_edits],
                    score=0.55,
                )
            )
    return result


# --- `?` ---------------------------------------------------------------------------


def _tail_fix(file: SourceFile, body: tree_sitter.Node) -> list[Edit]:
    """A tail expression of a `()` function becomes a statement before `Ok(())`."""
    children = [c for c in body.named_children if c.type not in ("line_comment", "block_comment")]
    if not children:
        return []
    last = children[-1]
    if last.type.endswith(("_statement", "_declaration", "_item")):
        return []
    at = file.end(last)
    if file.text[at : at + 1] == ";":
        return []
    return [Edit(file.path, at, at, ";")]


def _wrap_unit_fn(file: SourceFile, fn: tree_sitter.Node, ret: str, value: str) -> list[Edit]:
    params = fn.child_by_field_name("parameters")
    body = fn.child_by_field_name("body")
    if params is None or body is None:
        return []
    old_ret = fn.child_by_field_name("return_type")
    if old_ret is not None:
        if file.node_text(old_ret).replace(" ", "") != "()":
            return []
        edits = [Edit(file.path, file.start(old_ret), file.end(old_ret), ret)]
    else:
        at = file.end(params)
        edits = [Edit(file.path, at, at, f" -> {ret}")]
    edits.extend(_tail_fix(file, body))
    close = file.end(body) - 1
    line = file.line_start(close)
    if file.text[line:close].strip():
        space = "" if file.text[close - 1 : close].isspace() else " "
        edits.append(Edit(file.path, close, close, f"{space}{value} "))
    else:
        indent = file.indent_at(file.start(fn)) + "    "
        edits.append(Edit(file.path, line, line, f"{indent}{value}\n"))
    for node in _own_nodes(fn, "return_expression"):
        if not node.named_children:
            edits.append(Edit(file.path, file.start(node), file.end(node), f"return {value}"))
    if ret.startswith("Result"):
        # `?` on what is certainly an Option needs an error to return.
        for node in _own_nodes(fn, "try_expression"):
            operand = node.named_children[0] if node.named_children else None
            if operand is not None and _option_call(file, operand):
                at = file.end(operand)
                edits.append(Edit(file.path, at, at, '.ok_or("missing value")'))
    return edits


#: Methods that return an `Option` whatever their receiver.
OPTION_METHODS = {
    "first", "last", "get", "get_mut", "next", "pop", "find", "position", "max", "min",
    "max_by_key", "min_by_key", "nth", "peek", "parent", "file_name", "extension",
    "split_once", "rsplit_once", "strip_prefix", "strip_suffix", "checked_add", "checked_sub",
    "checked_mul", "checked_div", "to_digit", "from_digit",
}  # fmt: skip


def _option_call(file: SourceFile, node: tree_sitter.Node) -> bool:
    if node.type != "call_expression":
        return False
    function = node.child_by_field_name("function")
    if function is None or function.type != "field_expression":
        return False
    return _name(file, function.child_by_field_name("field")) in OPTION_METHODS


def _own_nodes(fn: tree_sitter.Node, node_type: str) -> list[tree_sitter.Node]:
    """Nodes of a type in this function's body, not in nested closures or functions."""
    body = fn.child_by_field_name("body")
    found = []
    stack = list(body.children) if body is not None else []
    while stack:
        node = stack.pop()
        if node.type in ("closure_expression", "function_item", "async_block"):
            continue
        if node.type == node_type:
            found.append(node)
        stack.extend(node.children)
    return found


@edit_kind("return-result")
def return_result(inp: RecipeInput) -> list[Candidate]:
    """`?` in a function returning `()`: return `Result<(), Box<dyn Error>>` (or `Option<()>`)."""
    fn = _enclosing_fn(inp)
    if fn is None:
        return []
    name = _name(inp.file, fn.child_by_field_name("name"))
    result = []
    edits = _wrap_unit_fn(inp.file, fn, "Result<(), Box<dyn std::error::Error>>", "Ok(())")
    if edits:
        result.append(
            inp.candidate(
                f"Make `{name}` return `Result<(), Box<dyn std::error::Error>>`", edits, score=0.7
            )
        )
    if name != "main":
        edits = _wrap_unit_fn(inp.file, fn, "Option<()>", "Some(())")
        if edits:
            result.append(inp.candidate(f"Make `{name}` return `Option<()>`", edits, score=0.45))
    return result


def _result_error_type(file: SourceFile, fn: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `E` node of a function returning `Result<T, E>`."""
    ret = fn.child_by_field_name("return_type")
    if ret is None or ret.type != "generic_type":
        return None
    if _last_segment(_name(file, ret.child_by_field_name("type"))) != "Result":
        return None
    args = ret.child_by_field_name("type_arguments")
    named = [c for c in args.named_children] if args is not None else []
    return named[1] if len(named) == 2 else None


def _enum_variants(file: SourceFile, item: tree_sitter.Node) -> list[tuple[str, str]]:
    """(variant, single field type) of an enum's one-field tuple variants."""
    body = item.child_by_field_name("body")
    result = []
    for variant in body.named_children if body is not None else []:
        if variant.type != "enum_variant":
            continue
        fields = variant.child_by_field_name("body")
        if fields is None or fields.type != "ordered_field_declaration_list":
            continue
        types = [c for c in fields.named_children if c.type not in ("attribute_item",)]
        if len(types) == 1:
            result.append(
                (_name(file, variant.child_by_field_name("name")), file.node_text(types[0]))
            )
    return result


def _turbofish(inp: RecipeInput) -> list[Edit]:
    """`let n: u16 = s.parse()?` → `s.parse::<u16>()`: `map_err` hides the target type."""
    node = inp.file.node_at(inp.start, inp.end)
    try_expr = inp.file.enclosing(node, "try_expression")
    if try_expr is None or not try_expr.named_children:
        return []
    operand = try_expr.named_children[0]
    if operand.type != "call_expression":
        return []
    function = operand.child_by_field_name("function")
    if function is None or function.type != "field_expression":
        return []
    field = function.child_by_field_name("field")
    if field is None or inp.file.node_text(field) != "parse":
        return []
    let = inp.file.enclosing(try_expr, "let_declaration")
    type_ = let.child_by_field_name("type") if let is not None else None
    value = let.child_by_field_name("value") if let is not None else None
    if type_ is None or value is None or value.start_byte != try_expr.start_byte:
        return []
    at = inp.file.end(field)
    return [inp.edit(at, at, f"::<{inp.file.node_text(type_)}>")]


@edit_kind("convert-error")
def convert_error(inp: RecipeInput) -> list[Candidate]:
    """`?` cannot convert the error: convert it at the `?`, implement `From`, or box it."""
    target = inp.params.get("target", "").strip()
    source = ""
    for span in _labelled(inp, "because it has type `Result<_, "):
        found = re.search(r"has type `Result<_, (?P<err>.+)>`", span.label or "")
        if found:
            source = found.group("err")
    question = inp.start
    if inp.file.text[inp.start : inp.end] != "?":
        return []
    result: list[Candidate] = []
    if re.fullmatch(r"(?:std::)?io::Error", target):
        result.append(
            inp.candidate(
                "Wrap the error in an `std::io::Error` with `.map_err(std::io::Error::other)`",
                [inp.edit(question, question, ".map_err(std::io::Error::other)")],
                score=0.8,
            )
        )
    if target == "String":
        result.append(
            inp.candidate(
                "Convert the error to a `String` with `.map_err(|e| e.to_string())`",
                [inp.edit(question, question, ".map_err(|e| e.to_string())"), *_turbofish(inp)],
                score=0.8,
            )
        )
    found_type = _local_type(inp, target) if target else None
    if found_type is not None and source:
        file, item = found_type
        name = _name(file, item.child_by_field_name("name"))
        variants = _enum_variants(file, item) if item.type == "enum_item" else []
        for variant, field in variants:
            if _last_segment(field) == _last_segment(source):
                text = (
                    f"\nimpl From<{source}> for {name} {{\n"
                    f"    fn from(err: {source}) -> Self {{\n"
                    f"        {name}::{variant}(err)\n"
                    "    }\n"
                    "}\n"
                )
                result.append(
                    inp.candidate(
                        f"Implement `From<{source}>` for `{name}` (as `{name}::{variant}`)",
                        [_insert_after(file, item, text)],
                        score=0.85,
                    )
                )
                break
        else:
            for variant, field in variants:
                if field == "String":
                    result.append(
                        inp.candidate(
                            f"Convert the error with `.map_err(|e| {name}::{variant}(..))`",
                            [
                                inp.edit(
                                    question,
                                    question,
                                    f".map_err(|e| {name}::{variant}(e.to_string()))",
                                )
                            ],
                            score=0.6,
                        )
                    )
                    break
    fn = _enclosing_fn(inp)
    error_node = _result_error_type(inp.file, fn) if fn is not None else None
    if error_node is not None and "Box<dyn" not in inp.file.node_text(error_node):
        result.append(
            inp.candidate(
                "Return `Box<dyn std::error::Error>` as the error type",
                [
                    inp.edit(
                        inp.file.start(error_node),
                        inp.file.end(error_node),
                        "Box<dyn std::error::Error>",
                    )
                ],
                score=0.4,
            )
        )
    return result[:4]


@edit_kind("question-mark-adapt")
def question_mark_adapt(inp: RecipeInput) -> list[Candidate]:
    """`?` on an Option in a Result function (`.ok_or(..)?`) or on a Result in an Option one."""
    if inp.file.text[inp.start : inp.end] != "?":
        return []
    at = inp.start
    if inp.params.get("into") == "option":
        return [inp.candidate("Discard the error with `.ok()?`", [inp.edit(at, at, ".ok()")], 0.8)]
    fn = _enclosing_fn(inp)
    error_node = _result_error_type(inp.file, fn) if fn is not None else None
    if error_node is None:
        return []
    error = inp.file.node_text(error_node).replace(" ", "")
    node = inp.file.node_at(inp.start, inp.end)
    expr = node.named_children[0] if node.type == "try_expression" and node.named_children else None
    what = inp.file.node_text(expr) if expr is not None else ""
    message = f"missing {what}" if re.fullmatch(r"\w+(\.\w+)*", what) else "missing value"
    if error == "String":
        adapter = f'.ok_or_else(|| "{message}".to_string())'
    elif error.startswith("Box<dyn") or error.startswith("&"):
        adapter = f'.ok_or("{message}")'
    else:
        return []
    return [
        inp.candidate(
            "Turn the `None` into an error with `.ok_or(..)`", [inp.edit(at, at, adapter)], 0.8
        )
    ]


# --- floats and order ---------------------------------------------------------------------


def _call_parts(
    file: SourceFile, start: int, end: int
) -> tuple[tree_sitter.Node, str, tree_sitter.Node] | None:
    """For a method name span: (the call, the method name, its arguments)."""
    node: tree_sitter.Node | None = file.node_at(start, end)
    if node is not None and node.type == "generic_function":  # `collect::<Vec<_>>`
        access_node = node.child_by_field_name("function")
        node = access_node.child_by_field_name("field") if access_node is not None else None
    field = node if node is not None and node.type == "field_identifier" else None
    if field is None:
        return None
    access = field.parent
    call = access.parent if access is not None else None
    if access is None or access.type != "field_expression" or call is None:
        return None
    if call.type == "generic_function":
        call = call.parent
    if call is None or call.type != "call_expression":
        return None
    args = call.child_by_field_name("arguments")
    if args is None:
        return None
    return call, file.node_text(field), args


def _key_closure(file: SourceFile, args: tree_sitter.Node) -> tuple[str, str] | None:
    """`|p| p.score` → (`p`, `p.score`)."""
    named = args.named_children
    if len(named) != 1 or named[0].type != "closure_expression":
        return None
    closure = named[0]
    params = closure.child_by_field_name("parameters")
    body = closure.child_by_field_name("body")
    if params is None or body is None:
        return None
    param = file.node_text(params).strip("|").strip()
    if not re.fullmatch(r"&?\w+", param):
        return None
    return param.lstrip("&"), file.node_text(body)


def _substitute(expr: str, name: str, new: str) -> str:
    out = re.sub(rf"(?<![\w.]){re.escape(name)}\b", new, expr)
    return out if re.fullmatch(r"[\w.]+", out) else f"({out})"


@edit_kind("float-order")
def float_order(inp: RecipeInput) -> list[Candidate]:
    """Floats are not `Ord`: compare them with `total_cmp` / `partial_cmp`, or drop the derive."""
    node = inp.file.node_at(inp.start, inp.end)
    if inp.file.enclosing(node, "field_declaration") is not None:
        return drop_derive(inp)
    parts = _call_parts(inp.file, inp.start, inp.end)
    if parts is None:
        return []
    _call, method, args = parts
    name_start = inp.start
    args_end = inp.file.end(args)
    if method == "cmp":
        return [
            inp.candidate(
                "Compare the floats with `total_cmp`",
                [inp.edit(inp.start, inp.end, "total_cmp")],
                score=0.8,
            )
        ]
    if method == "binary_search" and len(args.named_children) == 1:
        needle = inp.file.node_text(args.named_children[0])
        return [
            inp.candidate(
                "Search the floats with `binary_search_by` and `total_cmp`",
                [inp.edit(name_start, args_end, f"binary_search_by(|p| p.total_cmp({needle}))")],
                score=0.8,
            )
        ]
    base = {
        "sort": "sort_by",
        "sort_unstable": "sort_unstable_by",
        "max": "max_by",
        "min": "min_by",
    }
    keyed = {
        "sort_by_key": "sort_by",
        "sort_unstable_by_key": "sort_unstable_by",
        "max_by_key": "max_by",
        "min_by_key": "min_by",
    }
    compare = {
        "total_cmp": "{a}.total_cmp({rb})",
        "partial_cmp": "{a}.partial_cmp({rb}).unwrap()",
    }
    result = []
    for how, template in compare.items():
        if method in base and not args.named_children:
            new_method = base[method]
            body = template.format(a="a", rb="b")
        elif method in keyed:
            key = _key_closure(inp.file, args)
            if key is None:
                return []
            param, expr = key
            new_method = keyed[method]
            body = template.format(
                a=_substitute(expr, param, "a"), rb="&" + _substitute(expr, param, "b")
            )
        else:
            return []
        result.append(
            inp.candidate(
                f"Compare the floats with `{how}` (`{new_method}`)",
                [inp.edit(name_start, args_end, f"{new_method}(|a, b| {body})")],
                score=0.8 if how == "total_cmp" else 0.6,
            )
        )
    return result


# --- bounds ----------------------------------------------------------------------------


@edit_kind("add-bound")
def add_bound(inp: RecipeInput) -> list[Candidate]:
    """A type parameter missing a bound: rustc's bound, written plainly, plus `Copy` or `Clone`.

    A value compared and returned by a generic function is usually also copied
    out of a slice, which rustc reports only once the first bound is there.
    """
    if inp.params.get("from") in ("bounds", "assoc", "method", "captures"):
        return _bound_from_context(inp)
    param = inp.params.get("param", "T")
    messages = " ".join(inp.messages())
    spans = [
        span
        for child in inp.diagnostic.children
        if "restricting type parameter" in child.message
        for span in child.spans
        if span.suggested_replacement
    ]
    result: list[Candidate] = []
    for span in spans[:1]:
        located = inp.span_offsets(span)
        if located is None:
            continue
        path, start, end = located
        replacement = span.suggested_replacement or ""
        found = re.fullmatch(r"(?P<lead>\s*[:+]\s*)(?P<bound>.+)", replacement)
        if found is None:
            continue
        lead, bound = found.group("lead"), _prelude_path(found.group("bound"))
        # A hash-map key needs both; rustc asks for one at a time.
        if bound in ("Eq", "std::hash::Hash") and re.search(r"Hash(Map|Set)", messages):
            bound = "Eq + std::hash::Hash"
        # Values compared or combined by operators are usually copied around too.
        copied = re.search(r"PartialOrd|\bOrd\b|ops::|Add|Sub|Mul|Div|Sum", bound)
        for extra, score in (("", 0.6), (" + Copy", 0.55), (" + Clone", 0.5)):
            if extra and (not copied or extra.strip(" +") in bound):
                continue
            text = f"{lead}{bound}{extra}"
            result.append(
                inp.candidate(
                    f"Require `{param}: {bound}{extra}`",
                    [Edit(path, start, end, text)],
                    score=score,
                )
            )
    return result


#: The trait an associated type usually comes from (`T::Item` → `T: Iterator`).
ASSOCIATED_TRAITS = {
    "Item": "Iterator",
    "IntoIter": "IntoIterator",
    "Err": "std::str::FromStr",
    "Target": "std::ops::Deref",
    "Output": "std::ops::Add",
}


#: The bound that gives a type parameter a method.
METHOD_BOUNDS = {
    "to_string": "std::fmt::Display",
    "clone": "Clone",
    "cmp": "Ord",
    "max": "Ord",
    "min": "Ord",
    "partial_cmp": "PartialOrd",
    "eq": "PartialEq",
    "hash": "std::hash::Hash",
    "default": "Default",
    "next": "Iterator",
    "into_iter": "IntoIterator",
}


def _generic_holder(
    file: SourceFile, node: tree_sitter.Node, param: str
) -> tree_sitter.Node | None:
    """The `type_parameter` declaring `param` in the items around `node`."""
    current: tree_sitter.Node | None = node
    while current is not None:
        if current.type in ("function_item", "impl_item", "struct_item", "enum_item", "trait_item"):
            params = current.child_by_field_name("type_parameters")
            for child in params.named_children if params is not None else []:
                name = child.child_by_field_name("name")
                if child.type == "type_parameter" and _name(file, name) == param:
                    return child
        current = current.parent
    return None


def _bound_edit(file: SourceFile, declared: tree_sitter.Node, bound: str) -> Edit:
    bounds = declared.child_by_field_name("bounds")
    if bounds is not None:
        return Edit(file.path, file.end(bounds), file.end(bounds), f" + {bound}")
    name = declared.child_by_field_name("name")
    at = file.end(name if name is not None else declared)
    return Edit(file.path, at, at, f": {bound}")


def _bound_from_context(inp: RecipeInput) -> list[Candidate]:
    """Bounds named in rustc's notes (`T: Display`) or implied by `T::Item`."""
    pairs: list[tuple[str, str]] = []
    if inp.params.get("from") == "captures":
        pairs.append((inp.params.get("param", ""), _prelude_path(inp.params.get("bound", ""))))
    elif inp.params.get("from") in ("assoc", "method"):
        table = ASSOCIATED_TRAITS if inp.params["from"] == "assoc" else METHOD_BOUNDS
        trait = table.get(inp.params.get("assoc") or inp.params.get("method", ""))
        if trait is not None:
            pairs.append((inp.params.get("param", ""), trait))
    else:
        for message in inp.messages():
            bounds = re.finditer(r"`(?P<param>[A-Z]\w*): (?P<bound>[\w:<>]+)`", message)
            for found in bounds:
                if message[: found.start()].endswith("required by "):
                    continue  # the bound that follows from the first one
                pair = (found.group("param"), _prelude_path(found.group("bound")))
                if pair not in pairs:
                    pairs.append(pair)
    node = inp.file.node_at(inp.start, inp.end)
    edits = []
    for param, bound in pairs:
        declared = _generic_holder(inp.file, node, param)
        if declared is not None:
            edits.append(_bound_edit(inp.file, declared, bound))
    if not edits:
        return []
    listed = ", ".join(f"{p}: {b}" for p, b in pairs)
    return [inp.candidate(f"Require `{listed}`", edits, score=0.7)]


# --- operators -------------------------------------------------------------------------

OPERATORS = {
    "Add": ("add", "+"),
    "Sub": ("sub", "-"),
    "Mul": ("mul", "*"),
    "Div": ("div", "/"),
    "Rem": ("rem", "%"),
}


def _fields(file: SourceFile, item: tree_sitter.Node) -> tuple[list[tuple[str, str]], bool]:
    """(field, type) of a struct (tuple fields named `0`, `1`...), and whether it is a tuple."""
    body = item.child_by_field_name("body")
    if item.type != "struct_item" or body is None:
        return [], False
    if body.type == "field_declaration_list":
        return file.struct_fields(item), False
    skip = ("attribute_item", "visibility_modifier")
    types = [file.node_text(c) for c in body.named_children if c.type not in skip]
    return [(str(i), t) for i, t in enumerate(types)], True


def _numeric_fields(
    file: SourceFile, item: tree_sitter.Node
) -> tuple[list[tuple[str, str]], bool] | None:
    """The fields of a struct whose fields are all numbers (see `_fields`)."""
    fields, tuple_struct = _fields(file, item)
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
    found = _local_type(inp, inp.params.get("type", ""))
    if found is None:
        return []
    file, item = found
    name = _name(file, item.child_by_field_name("name"))
    if item.child_by_field_name("type_parameters") is not None:
        return []
    shape = _numeric_fields(file, item)
    if shape is None:
        return []
    fields, tuple_struct = shape
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
    impl_edit = _insert_after(file, item, text)
    title = f"Implement `std::ops::{trait}{generic}` for `{name}` field by field"
    result = [inp.candidate(title, [impl_edit], score=0.75)]
    # A struct of numbers used with operators is a value type: make it `Copy` too,
    # or `a + b` moves `a` (which borrow checking reports only once this compiles).
    copy_edits, _ = _derive_edits(file, item, ["Clone", "Copy"])
    if copy_edits and not _implements(inp, "Clone", name):
        result.insert(
            0,
            inp.candidate(title + " and derive `Clone, Copy`", [impl_edit, *copy_edits], 0.78),
        )
    return result


# --- trait impls ------------------------------------------------------------------------


def _impl_of(inp: RecipeInput) -> tuple[tree_sitter.Node, str] | None:
    """The trait impl around the primary span and the trait's name."""
    impl = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "impl_item")
    if impl is None:
        return None
    trait = impl.child_by_field_name("trait")
    if trait is None:
        return None
    return impl, _last_segment(inp.file.node_text(trait))


def _stub(file: SourceFile, node: tree_sitter.Node, indent: str) -> str | None:
    """An implementation stub for one trait item (fn, type or const)."""
    if node.type in ("function_signature_item", "function_item"):
        return f"{_signature_text(file, node)} {{\n{indent}    todo!()\n{indent}}}"
    if node.type == "associated_type":
        return f"type {_name(file, node.child_by_field_name('name'))} = ();"
    if node.type == "const_item":
        type_ = _name(file, node.child_by_field_name("type"))
        value = {"bool": "false", "&str": '""', "&'static str": '""', "char": "' '"}.get(type_)
        if value is None and type_ in NUMERIC:
            value = "0.0" if type_.startswith("f") else "0"
        if value is None:
            return None
        return f"const {_name(file, node.child_by_field_name('name'))}: {type_} = {value};"
    return None


#: Signatures of the required items of common std traits, with paths that need no `use`.
STD_ITEMS = {
    "fmt": "fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result",
    "next": "fn next(&mut self) -> Option<Self::Item>",
    "default": "fn default() -> Self",
    "clone": "fn clone(&self) -> Self",
    "eq": "fn eq(&self, other: &Self) -> bool",
    "partial_cmp": "fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering>",
    "cmp": "fn cmp(&self, other: &Self) -> std::cmp::Ordering",
    "hash": "fn hash<H: std::hash::Hasher>(&self, state: &mut H)",
    "drop": "fn drop(&mut self)",
    "from_str": "fn from_str(s: &str) -> Result<Self, Self::Err>",
    "Err": "type Err = String;",
}

#: The std traits whose items `STD_ITEMS` describes.
STD_TRAITS = {
    "fmt": ("Display", "Debug"),
    "next": ("Iterator",),
    "default": ("Default",),
    "clone": ("Clone",),
    "eq": ("PartialEq",),
    "partial_cmp": ("PartialOrd",),
    "cmp": ("Ord",),
    "hash": ("Hash",),
    "drop": ("Drop",),
    "from_str": ("FromStr",),
}

#: Short names in rustc's placeholder stubs that are not in the prelude.
_QUALIFY = {
    r"(?<![\w:])Formatter<": "std::fmt::Formatter<",
    r"Result<\(\), std::fmt::Error>": "std::fmt::Result",
    r"(?<![\w:])Ordering\b": "std::cmp::Ordering",
}


def _rustc_stubs(inp: RecipeInput, indent: str) -> dict[str, str]:
    """Stubs from rustc's placeholder suggestions (for traits defined outside the crate)."""
    stubs = {}
    for child in inp.diagnostic.children:
        for span in child.spans:
            text = (span.suggested_replacement or "").strip()
            found = re.match(r"(?:fn|type|const)\s+(?P<name>\w+)", text)
            if found is None:
                continue
            name = found.group("name")
            known = STD_ITEMS.get(name)
            if known is not None and known.split()[0] == text.split()[0]:
                text = known if known.startswith("type") else known + " { todo!() }"
            if "/* Type */" in text:
                continue
            for short, full in _QUALIFY.items():
                text = re.sub(short, full, text)
            text = re.sub(r"\{ todo!\(\) \}$", f"{{\n{indent}    todo!()\n{indent}}}", text)
            stubs[name] = text
    return stubs


def _guess_item_type(inp: RecipeInput, impl: tree_sitter.Node) -> str:
    """What an iterator over this struct likely yields: its collection's items, or its number."""
    type_node = impl.child_by_field_name("type")
    found = _local_type(inp, inp.file.node_text(type_node)) if type_node is not None else None
    fields = _fields(*found)[0] if found is not None else []
    collection = re.compile(r"(?:Vec|VecDeque)<(?P<t>.+)>|\[(?P<s>[^;\]]+)(?:;[^\]]*)?\]")
    for _, field_type in fields:
        element = collection.fullmatch(field_type)
        if element:
            return element.group("t") or element.group("s")
    for _, field_type in fields:
        if field_type in NUMERIC:
            return field_type
    return "()"


def _insert_into_impl(file: SourceFile, impl: tree_sitter.Node, items: list[str]) -> Edit | None:
    """Add items at the end of an impl block's body, indented like its other items."""
    body = impl.child_by_field_name("body")
    if body is None:
        return None
    outer = file.indent_at(file.start(impl))
    indent = outer + "    "
    close = file.end(body) - 1
    children = body.named_children
    start = file.end(children[-1]) if children else file.start(body) + 1
    block = "".join(f"\n{indent}{item}" for item in items)
    return Edit(file.path, start, close, f"{block}\n{outer}")


@edit_kind("missing-trait-items")
def missing_trait_items(inp: RecipeInput) -> list[Candidate]:
    """Add the missing items of a trait impl with the trait's exact signatures."""
    names = re.findall(r"`(\w+)`", inp.params.get("missing", ""))
    found = _impl_of(inp)
    if not names or found is None:
        return []
    impl, trait_name = found
    indent = inp.file.indent_at(inp.file.start(impl)) + "    "
    trait = _find_trait(inp, trait_name)
    stubs: dict[str, str] = {}
    if trait is not None:
        trait_file, trait_node = trait
        for name, node in _trait_items(trait_file, trait_node).items():
            stub = _stub(trait_file, node, indent)
            if stub is not None:
                stubs[name] = stub
    for name, stub in _rustc_stubs(inp, indent).items():
        stubs.setdefault(name, stub)
    if trait_name == "Iterator" and "Item" not in stubs:
        stubs["Item"] = f"type Item = {_guess_item_type(inp, impl)};"
    items = [stubs[n] for n in names if n in stubs]
    if len(items) != len(names):
        return []
    # Associated types first, as people write them.
    items.sort(key=lambda s: 0 if s.startswith(("type ", "const ")) else 1)
    edit = _insert_into_impl(inp.file, impl, items)
    if edit is None:
        return []
    listed = ", ".join(f"`{n}`" for n in names)
    return [inp.candidate(f"Implement the missing items {listed} of `{trait_name}`", [edit], 0.8)]


def _inherent_impl(file: SourceFile, type_text: str) -> tree_sitter.Node | None:
    for node in file.root.named_children:
        if node.type != "impl_item" or node.child_by_field_name("trait") is not None:
            continue
        type_ = node.child_by_field_name("type")
        if type_ is not None and file.node_text(type_) == type_text:
            return node
    return None


def _line_span(file: SourceFile, node: tree_sitter.Node) -> tuple[int, int]:
    """The whole lines of an item with its attributes and doc comments."""
    start = file.start(node)
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type in ("attribute_item", "line_comment"):
        if file.text[file.end(sibling) : start].count("\n") > 1:
            break
        start = file.start(sibling)
        sibling = sibling.prev_named_sibling
    end = _item_end_line(file, node)
    line = file.line_start(start)
    # Take one blank line with it, so no double blank line is left behind.
    if file.text[line - 2 : line] == "\n\n":
        line -= 1
    return line, end


@edit_kind("move-to-inherent-impl")
def move_to_inherent_impl(inp: RecipeInput) -> list[Candidate]:
    """A method that is not in the trait: move it to the type's own impl, or rename it."""
    fn = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "function_item")
    found = _impl_of(inp)
    if fn is None or found is None:
        return []
    impl, trait_name = found
    fn_name = _name(inp.file, fn.child_by_field_name("name"))
    result: list[Candidate] = []
    trait = _find_trait(inp, trait_name)
    if trait is not None:
        implemented = {
            _name(inp.file, c.child_by_field_name("name"))
            for c in (impl.child_by_field_name("body") or impl).named_children
        }
        options = [n for n in _trait_items(*trait) if n not in implemented]
        for option in closest(fn_name, options, limit=1):
            ident = fn.child_by_field_name("name")
            assert ident is not None
            result.append(
                inp.candidate(
                    f"Rename `{fn_name}` to `{option}` (a method of `{trait_name}`)",
                    [inp.edit(inp.file.start(ident), inp.file.end(ident), option)],
                    score=0.65,
                )
            )
    type_node = impl.child_by_field_name("type")
    if type_node is None:
        return result
    type_text = inp.file.node_text(type_node)
    start, end = _line_span(inp.file, fn)
    method = inp.file.text[inp.file.line_start(inp.file.start(fn)) : end].rstrip("\n")
    edits = [inp.edit(start, end, "")]
    target = _inherent_impl(inp.file, type_text)
    if target is not None and target.start_byte != impl.start_byte:
        edit = _insert_into_impl(inp.file, target, [method.strip()])
        if edit is None:
            return result
        edits.append(edit)
    else:
        generics = impl.child_by_field_name("type_parameters")
        generic_text = inp.file.node_text(generics) if generics is not None else ""
        outer = inp.file.indent_at(inp.file.start(impl))
        body = "\n".join(
            line[len(outer) :] if line.startswith(outer) else line for line in method.split("\n")
        )
        text = (
            f"\n{outer}impl{generic_text} {type_text} {{\n{_indent_block(body, outer)}\n{outer}}}\n"
        )
        edits.append(_insert_after(inp.file, impl, text))
    result.append(
        inp.candidate(
            f"Move `{fn_name}` out of `impl {trait_name}` into `impl {type_text}`",
            edits,
            score=0.7,
        )
    )
    return result


def _params(file: SourceFile, fn: tree_sitter.Node) -> list[tree_sitter.Node]:
    params = fn.child_by_field_name("parameters")
    return [p for p in params.named_children if p.type != "attribute_item"] if params else []


def _declared_fn(
    inp: RecipeInput, trait_name: str, fn_name: str
) -> tuple[SourceFile, tree_sitter.Node] | None:
    """A trait method's declaration: in the workspace, or the std signature we know."""
    trait = _find_trait(inp, trait_name)
    if trait is not None:
        declared = _trait_items(*trait).get(fn_name)
        if declared is None or declared.type not in ("function_signature_item", "function_item"):
            return None
        return trait[0], declared
    if trait_name not in STD_TRAITS.get(fn_name, ()):
        return None
    std = SourceFile(Path("std.rs"), f"trait {trait_name} {{\n    {STD_ITEMS[fn_name]};\n}}\n")
    node = std.function(fn_name)
    return (std, node) if node is not None else None


@edit_kind("match-trait-signature")
def match_trait_signature(inp: RecipeInput) -> list[Candidate]:
    """An impl method whose signature differs from the trait's: take the trait's signature.

    The impl's parameter names are kept where the counts agree, so the body
    still compiles.
    """
    fn = inp.file.enclosing(inp.file.node_at(inp.start, inp.end), "function_item")
    found = _impl_of(inp)
    if fn is None or found is None:
        return []
    _, trait_name = found
    fn_name = _name(inp.file, fn.child_by_field_name("name"))
    located = _declared_fn(inp, trait_name, fn_name)
    if located is None:
        return []
    trait_file, declared = located
    signature = _signature_text(trait_file, declared)
    trait_params = _params(trait_file, declared)
    impl_params = [p for p in _params(inp.file, fn) if p.type != "self_parameter"]
    plain_trait_params = [p for p in trait_params if p.type != "self_parameter"]
    parts = []
    for param in trait_params:
        if param.type == "self_parameter":
            parts.append(trait_file.node_text(param))
            continue
        index = plain_trait_params.index(param)
        pattern = param.child_by_field_name("pattern")
        type_ = param.child_by_field_name("type")
        if pattern is None or type_ is None:
            parts.append(trait_file.node_text(param))
            continue
        name = trait_file.node_text(pattern)
        if len(impl_params) == len(plain_trait_params):
            impl_pattern = impl_params[index].child_by_field_name("pattern")
            if impl_pattern is not None:
                name = inp.file.node_text(impl_pattern)
        parts.append(f"{name}: {trait_file.node_text(type_)}")
    declared_params = declared.child_by_field_name("parameters")
    if declared_params is not None:
        offset = trait_file.start(declared)
        p_start = trait_file.start(declared_params) - offset
        p_end = trait_file.end(declared_params) - offset
        signature = signature[:p_start] + "(" + ", ".join(parts) + ")" + signature[p_end:]
    body = fn.child_by_field_name("body")
    if body is None:
        return []
    start = inp.file.start(fn)
    visibility = fn.named_children[0] if fn.named_children else None
    if visibility is not None and visibility.type == "visibility_modifier":
        start = inp.file.start(visibility)
    old = inp.file.text[start : inp.file.start(body)]
    new = signature + " "
    if old == new:
        return []
    return [
        inp.candidate(
            f"Use the signature of `{trait_name}::{fn_name}`",
            [inp.edit(start, inp.file.start(body), new)],
            score=0.75,
        )
    ]


# --- iteration ---------------------------------------------------------------------------


@edit_kind("iterate-over")
def iterate_over(inp: RecipeInput) -> list[Candidate]:
    """Something that is not an iterator in a `for`: its chars, `0..n`, or its collection field."""
    type_text = inp.params.get("type", "").strip()
    expr = inp.span_text
    if not expr or "\n" in expr:
        return []
    simple = re.fullmatch(r"[\w.]+(\(\))?", expr) is not None
    wrapped = expr if simple else f"({expr})"
    bare = type_text.lstrip("&").removeprefix("mut ").strip()
    result: list[Candidate] = []
    if bare in ("String", "str"):
        result.append(
            inp.candidate(
                f"Iterate over the characters of `{expr}`",
                [inp.edit(inp.end, inp.end, ".chars()")]
                if simple
                else [inp.edit(inp.start, inp.end, f"{wrapped}.chars()")],
                score=0.75,
            )
        )
    elif bare in NUMERIC and not bare.startswith("f"):
        result.append(
            inp.candidate(
                f"Iterate over `0..{expr}`",
                [inp.edit(inp.start, inp.end, f"0..{wrapped}")],
                score=0.75,
            )
        )
    else:
        found = _local_type(inp, bare)
        if found is None or found[1].type != "struct_item":
            return []
        file, item = found
        for field, field_type in _fields(file, item)[0]:
            head = _last_segment(field_type.lstrip("&"))
            if head not in COLLECTIONS and not field_type.startswith("["):
                continue
            owner = expr.lstrip("&")
            result.append(
                inp.candidate(
                    f"Iterate over `{owner}.{field}`",
                    [inp.edit(inp.start, inp.end, f"&{owner}.{field}")],
                    score=0.65,
                )
            )
            result.append(
                inp.candidate(
                    f"Iterate over `{owner}.{field}` (by value)",
                    [inp.edit(inp.start, inp.end, f"{owner}.{field}")],
                    score=0.55,
                )
            )
            if len(result) >= 4:
                break
    return result


# --- collect ------------------------------------------------------------------------------


def _owned_adapter(item: str, collection: str) -> list[tuple[str, str]]:
    """Adapters that turn items of type `item` into what `collection` is built from."""
    if item in ("&str", "char") and "String" in collection:
        return [(".map(String::from)", "String")]
    if not item.startswith("&"):
        return []
    inner = item[1:].removeprefix("mut ").strip()
    if inner in NUMERIC or inner in ("{integer}", "{float}", "bool", "char"):
        return [(".copied()", inner)]
    if inner.startswith("&"):
        return [(".map(|x| (*x).clone())", inner[1:])]
    adapters = [(".cloned()", inner)]
    if inner.startswith("(") and "&" not in inner:
        adapters.append((".copied()", inner))
    return adapters


@edit_kind("collect-owned")
def collect_owned(inp: RecipeInput) -> list[Candidate]:
    """`collect()` of references into a collection of owned values: clone or copy them first."""
    item = inp.params.get("item", "").strip()
    collection = inp.params.get("collection", "")
    parts = _call_parts(inp.file, inp.start, inp.end)
    for span in _labelled(inp, "required by a bound introduced by this call"):
        offsets = _offsets_in_file(inp, span)
        if parts is None and offsets is not None:  # `collect::<T>()`: the span is on `T`
            parts = _call_parts(inp.file, *offsets)
    if parts is None or parts[1] != "collect":
        return []
    access = parts[0].child_by_field_name("function")
    if access is not None and access.type == "generic_function":
        access = access.child_by_field_name("function")
    value = access.child_by_field_name("value") if access is not None else None
    if value is None:
        return []
    at = inp.file.end(value)
    result = []
    element = re.fullmatch(r"\w+<(?P<item>[^,<>]+)>", collection)
    for adapter, owned in _owned_adapter(item, collection)[:2]:
        owned = element.group("item") if element else owned
        result.append(
            inp.candidate(
                f"Collect owned `{owned}` values (`{adapter}` before `collect`)",
                [inp.edit(at, at, adapter)],
                score=0.8,
            )
        )
    return result


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


def _box_elements(file: SourceFile, value: tree_sitter.Node) -> list[Edit]:
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
    values: list[tree_sitter.Node] = []
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
            names.add(_name(file, pattern).removeprefix("mut ").strip())
            value = holder.child_by_field_name("value")
            if value is not None:
                values.append(value)
        else:
            names.add(_name(file, holder.child_by_field_name("name")))
    if not edits:
        return []
    for node in file.walk():
        if node.type == "field_initializer":
            field = node.child_by_field_name("field")
            value = node.child_by_field_name("value")
            if value is not None and _name(file, field) in names:
                values.append(value)
    for value in values:
        edits.extend(_box_elements(file, value))
    for name in sorted(n for n in names if re.fullmatch(r"\w+", n)):
        edits.extend(_box_pushed(file, name))
    edits = sorted(set(edits), key=lambda e: (e.start, e.end, e.new_text))
    return [inp.candidate(f"Hold `Box<dyn {trait}>` values (boxing what is stored)", edits, 0.8)]


# --- threads -------------------------------------------------------------------------------

#: Single-threaded shared ownership and mutation, and their thread-safe counterparts.
_THREAD_SAFE = (
    (r"\bstd::rc::Rc\b", "std::sync::Arc"),
    (r"\brc::Rc\b", "sync::Arc"),
    (r"\bstd::cell::RefCell\b", "std::sync::Mutex"),
    (r"\bcell::RefCell\b", "sync::Mutex"),
    (r"\bRc\s*::", "Arc::"),
    (r"\bRc\s*<", "Arc<"),
    (r"\bRefCell\s*::", "Mutex::"),
    (r"\bRefCell\s*<", "Mutex<"),
    (r"\.borrow_mut\(\)", ".lock().unwrap()"),
    (r"\.borrow\(\)", ".lock().unwrap()"),
)


def _dedupe_uses(text: str) -> str:
    """Drop a `use` line that repeats an earlier one (after `Rc` became `Arc`)."""
    seen: set[str] = set()
    lines = []
    for line in text.split("\n"):
        key = line.rstrip()
        if key.startswith("use ") and key in seen:  # top level only: modules repeat uses
            continue
        seen.add(key)
        lines.append(line)
    return "\n".join(lines)


@edit_kind("thread-safe-pointers")
def thread_safe_pointers(inp: RecipeInput) -> list[Candidate]:
    """`Rc`/`RefCell` sent to another thread: use `Arc` and `Mutex` throughout the file."""
    text = inp.file.text
    if re.search(r"\bCell\s*<|\bCell::new", text):
        return []  # `Cell`'s get/set have no drop-in thread-safe twin
    new = text
    for pattern, replacement in _THREAD_SAFE:
        if "borrow" in pattern and "RefCell" not in text:
            continue
        new = re.sub(pattern, replacement, new)
    new = _dedupe_uses(new)
    if new == text:
        return []
    return [
        inp.candidate(
            "Share across threads with `Arc` and `Mutex` instead of `Rc` and `RefCell`",
            [inp.edit(0, len(text), new)],
            score=0.8,
        )
    ]


# --- error types ------------------------------------------------------------------------------


def _implements(inp: RecipeInput, trait: str, name: str) -> bool:
    """Whether some file of the workspace has `impl ...Trait for Name`."""
    pattern = re.compile(rf"\bimpl\b[^{{;]*\b{trait}\s+for\s+{re.escape(name)}\b")
    for path in rust_files(inp.ctx.workspace_root):
        text = inp.ctx.read_text(path)
        if text is not None and name in text and pattern.search(text):
            return True
    return False


@edit_kind("impl-error")
def impl_error(inp: RecipeInput) -> list[Candidate]:
    """A local error type used with `Box<dyn Error>`: implement `Error` (and `Display`, `Debug`)."""
    found = _local_type(inp, inp.params.get("type", ""))
    if found is None:
        return []
    file, item = found
    if item.child_by_field_name("type_parameters") is not None:
        return []
    name = _name(file, item.child_by_field_name("name"))
    edits: list[Edit] = []
    if "Debug" not in _derived(file, item) and not _implements(inp, "Debug", name):
        edits.extend(_derive_edits(file, item, ["Debug"])[0])
    text = "" if _implements(inp, "Display", name) else _display_impl_text(name)
    text += f"\nimpl std::error::Error for {name} {{}}\n"
    edits.append(_insert_after(file, item, text))
    return [inp.candidate(f"Implement `std::error::Error` for `{name}`", edits, score=0.85)]


# --- sums and products ----------------------------------------------------------------------


@edit_kind("sum-convert")
def sum_convert(inp: RecipeInput) -> list[Candidate]:
    """`sum()` into another number type than the items: copy or convert each item first."""
    target = inp.params.get("target", "")
    item = inp.params.get("item", "")
    bare = item.lstrip("&")
    refs = len(item) - len(bare)
    parts = _call_parts(inp.file, inp.start, inp.end)
    if parts is None or parts[1] not in ("sum", "product") or target not in NUMERIC:
        return []
    access = parts[0].child_by_field_name("function")
    if access is not None and access.type == "generic_function":
        access = access.child_by_field_name("function")
    value = access.child_by_field_name("value") if access is not None else None
    if value is None or bare not in NUMERIC | {"{integer}", "{float}"} or refs > 2:
        return []
    at = inp.file.end(value)
    pattern = "&" * refs + "x"
    if bare == target or bare in ("{integer}", "{float}"):
        adapter = ".copied()" if refs == 1 else f".map(|{pattern}| x)"
    else:
        adapter = f".map(|{pattern}| x as {target})"
    return [
        inp.candidate(
            f"Turn the items into `{target}` before `{parts[1]}` (`{adapter}`)",
            [inp.edit(at, at, adapter)],
            score=0.75,
        )
    ]


# --- `?` in closures ---------------------------------------------------------------------


def _collect_after(file: SourceFile, call: tree_sitter.Node) -> tree_sitter.Node | None:
    """The `.collect()` call later in the method chain of `call`, if any."""
    node = call
    for _ in range(8):
        access = node.parent
        if access is None or access.type != "field_expression":
            return None
        outer = access.parent
        if outer is not None and outer.type == "generic_function":
            outer = outer.parent
        if outer is None or outer.type != "call_expression":
            return None
        if _name(file, access.child_by_field_name("field")) == "collect":
            return outer
        node = outer
    return None


@edit_kind("closure-question-mark")
def closure_question_mark(inp: RecipeInput) -> list[Candidate]:
    """`?` inside `.map(|x| ..?)`: let the closure return the `Result`, collect into one, `?` it."""
    file = inp.file
    node = file.node_at(inp.start, inp.end)
    closure = file.enclosing(node, "closure_expression")
    try_expr = file.enclosing(node, "try_expression")
    fn = file.enclosing(closure, "function_item")
    if closure is None or try_expr is None or fn is None:
        return []
    args = closure.parent
    call = args.parent if args is not None else None
    if args is None or args.type != "arguments" or call is None:
        return []
    collect = _collect_after(file, call)
    ret = fn.child_by_field_name("return_type")
    wrapper = _last_segment(file.node_text(ret)) if ret is not None else ""
    if collect is None or wrapper not in ("Result", "Option"):
        return []
    body = closure.child_by_field_name("body")
    if body is None:
        return []
    edits: list[Edit] = []
    if body.start_byte == try_expr.start_byte and body.end_byte == try_expr.end_byte:
        edits.append(inp.edit(file.end(try_expr) - 1, file.end(try_expr), ""))
    else:
        tail = body
        if body.type == "block":
            named = [c for c in body.named_children if not c.type.endswith("comment")]
            if not named or named[-1].type.endswith(("_statement", "_declaration")):
                return []
            tail = named[-1]
        ok = "Ok" if wrapper == "Result" else "Some"
        edits.append(inp.edit(file.start(tail), file.start(tail), f"{ok}("))
        edits.append(inp.edit(file.end(tail), file.end(tail), ")"))
    function = collect.child_by_field_name("function")
    if function is None:
        return []
    let = file.enclosing(collect, "let_declaration")
    let_type = let.child_by_field_name("type") if let is not None else None
    value = let.child_by_field_name("value") if let is not None else None
    target = "Vec<_>"
    if function.type == "generic_function":
        type_args = function.child_by_field_name("type_arguments")
        if type_args is not None:
            target = file.node_text(type_args)[1:-1].strip()
        name_end = file.end(function.child_by_field_name("function") or function)
        edits.append(inp.edit(name_end, file.end(function), ""))
        at = name_end
    else:
        at = file.end(function)
        if let_type is not None and value is not None and value.start_byte == collect.start_byte:
            target = file.node_text(let_type)
    error_type = "_"
    fn_error = _result_error_type(file, fn)
    if body.start_byte != try_expr.start_byte and fn_error is not None:
        error_type = file.node_text(fn_error)  # `?` inside the closure converts into it
    combined = f"Result<{target}, {error_type}>" if wrapper == "Result" else f"Option<{target}>"
    edits.append(inp.edit(at, at, f"::<{combined}>"))
    edits.append(inp.edit(file.end(collect), file.end(collect), "?"))
    return [
        inp.candidate(
            f"Collect into `{combined}` and apply `?` once, outside the closure",
            edits,
            score=0.8,
        )
    ]


# --- numeric conversions ------------------------------------------------------------------


def _boxed_error_fn(file: SourceFile, node: tree_sitter.Node) -> bool:
    """Whether the function around `node` returns `Result<_, Box<dyn Error>>`."""
    fn = file.enclosing(node, "function_item", "closure_expression")
    if fn is None or fn.type != "function_item":
        return False
    error = _result_error_type(file, fn)
    return error is not None and "Box<dyn" in file.node_text(error)


@edit_kind("numeric-narrowing")
def numeric_narrowing(inp: RecipeInput) -> list[Candidate]:
    """`i32::from(an_i64)` / `an_i64.into()`: a checked `try_from`/`try_into`, or an `as` cast."""
    target = inp.params.get("target", "")
    file = inp.file
    node = file.node_at(inp.start, inp.end)
    call = file.enclosing(node, "call_expression")
    if call is None:
        return []
    function = call.child_by_field_name("function")
    args = call.child_by_field_name("arguments")
    if function is None or args is None:
        return []
    if function.type == "scoped_identifier" and file.node_text(function).endswith("::from"):
        if len(args.named_children) != 1:
            return []
        value = args.named_children[0]
        checked = f"{target}::try_from({file.node_text(value)})"
    elif (
        function.type == "field_expression"
        and _name(file, function.child_by_field_name("field")) == "into"
    ):
        receiver = function.child_by_field_name("value")
        if receiver is None or args.named_children:
            return []
        value = receiver
        checked = f"{file.node_text(value)}.try_into()"
    else:
        return []
    text = file.node_text(value)
    simple = re.fullmatch(r"[\w.]+(\(\))?", text) is not None
    cast = f"{text if simple else f'({text})'} as {target}"
    start, end = file.start(call), file.end(call)
    result = []
    if not target.startswith("f"):
        if _boxed_error_fn(file, call):
            result.append(
                inp.candidate(
                    f"Convert to `{target}` checked, returning the error (`try_from`)",
                    [inp.edit(start, end, f"{checked}?")],
                    score=0.7,
                )
            )
        result.append(
            inp.candidate(
                f"Convert to `{target}` checked (`try_from(..).unwrap()`)",
                [inp.edit(start, end, f"{checked}.unwrap()")],
                score=0.6,
            )
        )
    result.append(
        inp.candidate(f"Cast with `as {target}`", [inp.edit(start, end, cast)], score=0.55)
    )
    return result


# --- join ----------------------------------------------------------------------------------


@edit_kind("join-as-strings")
def join_as_strings(inp: RecipeInput) -> list[Candidate]:
    """`numbers.join(", ")`: only slices of strings join; turn the items into strings first."""
    parts = _call_parts(inp.file, inp.start, inp.end)
    if parts is None or parts[1] not in ("join", "concat"):
        return []
    access = parts[0].child_by_field_name("function")
    receiver = access.child_by_field_name("value") if access is not None else None
    if receiver is None:
        return []
    at = inp.file.end(receiver)
    result = []
    for convert, score in (("x.to_string()", 0.75), ('format!("{x:?}")', 0.5)):
        adapter = f".iter().map(|x| {convert}).collect::<Vec<_>>()"
        result.append(
            inp.candidate(
                f"Turn the items into strings before `{parts[1]}` (`{convert}`)",
                [inp.edit(at, at, adapter)],
                score=score,
            )
        )
    return result


# --- unimplemented local traits ------------------------------------------------------------


@edit_kind("impl-local-trait")
def impl_local_trait(inp: RecipeInput) -> list[Candidate]:
    """A method of a local trait called on a type that lacks the impl: write the impl's stubs."""
    method = inp.params.get("method", "")
    traits = []
    for message in inp.messages():
        traits.extend(re.findall(r"`([\w:]+)` defines an item `\w+`, perhaps you need", message))
        traits.extend(re.findall(r"candidate #\d+: `([\w:]+)`", message))
    found_type = _local_type(inp, inp.params.get("type", ""))
    if found_type is None or found_type[1].child_by_field_name("type_parameters") is not None:
        return []
    file, item = found_type
    name = _name(file, item.child_by_field_name("name"))
    result = []
    for trait_name in traits:
        trait = _find_trait(inp, _last_segment(trait_name))
        if trait is None or trait[1].child_by_field_name("type_parameters") is not None:
            continue
        members = _trait_items(*trait)
        if method not in members or _implements(inp, _last_segment(trait_name), name):
            continue  # implemented but not in scope: rustc suggests the `use`
        stubs = []
        for node in members.values():
            if node.type == "function_item" or (
                node.type == "const_item" and node.child_by_field_name("value") is not None
            ):
                continue  # has a default
            stub = _stub(trait[0], node, "    ")
            if stub is None:
                break
            stubs.append(stub)
        else:
            stubs.sort(key=lambda s: 0 if s.startswith(("type ", "const ")) else 1)
            body = "".join(f"    {stub}\n" for stub in stubs)
            text = f"\nimpl {_last_segment(trait_name)} for {name} {{\n{body}}}\n"
            result.append(
                inp.candidate(
                    f"Implement `{_last_segment(trait_name)}` for `{name}` (stubs to fill in)",
                    [_insert_after(file, item, text)],
                    score=0.5,
                )
            )
    return result[:2]


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
            inp.candidate(
                f"Specify `{assoc} = {value}` (as the crate's impls of `{trait}` do)",
                [inp.edit(inp.start, inp.end, new)],
                score=0.7 if len(values) == 1 else 0.5,
            )
        )
    return result
