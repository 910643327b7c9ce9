"""Trait impls that do not match their trait, and local traits never implemented.

These edit kinds read the trait's declaration (a local trait, or the std
traits whose items are known here) and write what the impl lacks or gets
wrong: missing items with the trait's exact signatures, a method that
belongs in an inherent impl, a signature that differs from the trait's, or
the whole impl of a local trait for a type whose method call needs it.
"""

from __future__ import annotations

import re
from pathlib import Path

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, closest, edit_kind, need
from rustcoder.fix.recipes.syntax import (
    NUMERIC,
    Node,
    insert_items_after,
    item_end_line,
    last_segment,
    text_of,
)
from rustcoder.fix.recipes.traits._syntax import declared_fields, implements, local_type
from rustcoder.fix.rust_syntax import SourceFile, rust_files


def _find_trait(inp: RecipeInput, name: str) -> tuple[SourceFile, Node] | None:
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
                and text_of(source, node.child_by_field_name("name")) == name
            ):
                return source, node
    return None


def _trait_items(file: SourceFile, trait: Node) -> dict[str, Node]:
    body = trait.child_by_field_name("body")
    items: dict[str, Node] = {}
    for child in body.named_children if body is not None else []:
        name = child.child_by_field_name("name")
        if name is not None:
            items[file.node_text(name)] = child
    return items


def _indent_block(text: str, indent: str) -> str:
    return "\n".join(indent + line if line.strip() else line for line in text.splitlines())


def _signature_text(file: SourceFile, node: Node) -> str:
    """A trait method's signature: its text up to the body or the `;`."""
    body = node.child_by_field_name("body")
    end = file.start(body) if body is not None else file.end(node)
    return file.text[file.start(node) : end].rstrip().rstrip(";").rstrip()


# --- trait impls ------------------------------------------------------------------------


def _impl_of(inp: RecipeInput) -> tuple[Node, str] | None:
    """The trait impl around the primary span and the trait's name."""
    impl = inp.enclosing("impl_item")
    if impl is None:
        return None
    trait = impl.child_by_field_name("trait")
    if trait is None:
        return None
    return impl, last_segment(inp.file.node_text(trait))


def _impl_method(inp: RecipeInput) -> tuple[Node, Node, str, str] | None:
    """The method around the primary span, its trait impl, the trait's name and the
    method's name."""
    fn = inp.enclosing("function_item")
    found = _impl_of(inp)
    if fn is None or found is None:
        return None
    return fn, *found, text_of(inp.file, fn.child_by_field_name("name"))


def _stub(file: SourceFile, node: Node, indent: str) -> str | None:
    """An implementation stub for one trait item (fn, type or const)."""
    if node.type in ("function_signature_item", "function_item"):
        return f"{_signature_text(file, node)} {{\n{indent}    todo!()\n{indent}}}"
    if node.type == "associated_type":
        return f"type {text_of(file, node.child_by_field_name('name'))} = ();"
    if node.type == "const_item":
        type_ = text_of(file, node.child_by_field_name("type"))
        value = {"bool": "false", "&str": '""', "&'static str": '""', "char": "' '"}.get(type_)
        if value is None and type_ in NUMERIC:
            value = "0.0" if type_.startswith("f") else "0"
        if value is None:
            return None
        return f"const {text_of(file, node.child_by_field_name('name'))}: {type_} = {value};"
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


def _guess_item_type(inp: RecipeInput, impl: Node) -> str:
    """What an iterator over this struct likely yields: its collection's items, or its number."""
    type_node = impl.child_by_field_name("type")
    found = local_type(inp, inp.file.node_text(type_node)) if type_node is not None else None
    fields = declared_fields(*found)[0] if found is not None else []
    collection = re.compile(r"(?:Vec|VecDeque)<(?P<t>.+)>|\[(?P<s>[^;\]]+)(?:;[^\]]*)?\]")
    for _, field_type in fields:
        element = collection.fullmatch(field_type)
        if element:
            return element.group("t") or element.group("s")
    for _, field_type in fields:
        if field_type in NUMERIC:
            return field_type
    return "()"


def _insert_into_impl(file: SourceFile, impl: Node, items: list[str]) -> Edit | None:
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
    edit = need(_insert_into_impl(inp.file, impl, items))
    listed = ", ".join(f"`{n}`" for n in names)
    return [inp.candidate(f"Implement the missing items {listed} of `{trait_name}`", [edit], 0.8)]


def _inherent_impl(file: SourceFile, type_text: str) -> Node | None:
    for node in file.root.named_children:
        if node.type != "impl_item" or node.child_by_field_name("trait") is not None:
            continue
        type_ = node.child_by_field_name("type")
        if type_ is not None and file.node_text(type_) == type_text:
            return node
    return None


def _line_span(file: SourceFile, node: Node) -> tuple[int, int]:
    """The whole lines of an item with its attributes and doc comments."""
    start = file.start(node)
    sibling = node.prev_named_sibling
    while sibling is not None and sibling.type in ("attribute_item", "line_comment"):
        if file.text[file.end(sibling) : start].count("\n") > 1:
            break
        start = file.start(sibling)
        sibling = sibling.prev_named_sibling
    end = item_end_line(file, node)
    line = file.line_start(start)
    # Take one blank line with it, so no double blank line is left behind.
    if file.text[line - 2 : line] == "\n\n":
        line -= 1
    return line, end


@edit_kind("move-to-inherent-impl")
def move_to_inherent_impl(inp: RecipeInput) -> list[Candidate]:
    """A method that is not in the trait: move it to the type's own impl, or rename it."""
    fn, impl, trait_name, fn_name = need(_impl_method(inp))
    result: list[Candidate] = []
    trait = _find_trait(inp, trait_name)
    if trait is not None:
        implemented = {
            text_of(inp.file, c.child_by_field_name("name"))
            for c in (impl.child_by_field_name("body") or impl).named_children
        }
        options = [n for n in _trait_items(*trait) if n not in implemented]
        for option in closest(fn_name, options, limit=1):
            ident = fn.child_by_field_name("name")
            assert ident is not None
            result.append(
                inp.replace(
                    f"Rename `{fn_name}` to `{option}` (a method of `{trait_name}`)",
                    ident,
                    option,
                    0.65,
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
        edits.append(insert_items_after(inp.file, impl, text))
    result.append(
        inp.candidate(
            f"Move `{fn_name}` out of `impl {trait_name}` into `impl {type_text}`",
            edits,
            score=0.7,
        )
    )
    return result


def _params(file: SourceFile, fn: Node) -> list[Node]:
    params = fn.child_by_field_name("parameters")
    return [p for p in params.named_children if p.type != "attribute_item"] if params else []


def _declared_fn(inp: RecipeInput, trait_name: str, fn_name: str) -> tuple[SourceFile, Node] | None:
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
    fn, _, trait_name, fn_name = need(_impl_method(inp))
    trait_file, declared = need(_declared_fn(inp, trait_name, fn_name))
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
    body = need(fn.child_by_field_name("body"))
    start = inp.file.start(fn)
    visibility = fn.named_children[0] if fn.named_children else None
    if visibility is not None and visibility.type == "visibility_modifier":
        start = inp.file.start(visibility)
    old = inp.file.text[start : inp.file.start(body)]
    new = signature + " "
    if old == new:
        return []
    return [
        inp.rewrite(
            f"Use the signature of `{trait_name}::{fn_name}`",
            start,
            inp.file.start(body),
            new,
            0.75,
        )
    ]


# --- unimplemented local traits ------------------------------------------------------------


@edit_kind("impl-local-trait")
def impl_local_trait(inp: RecipeInput) -> list[Candidate]:
    """A method of a local trait called on a type that lacks the impl: write the impl's stubs."""
    method = inp.params.get("method", "")
    traits = []
    for message in inp.messages():
        traits.extend(re.findall(r"`([\w:]+)` defines an item `\w+`, perhaps you need", message))
        traits.extend(re.findall(r"candidate #\d+: `([\w:]+)`", message))
    found_type = local_type(inp, inp.params.get("type", ""))
    if found_type is None or found_type[1].child_by_field_name("type_parameters") is not None:
        return []
    file, item = found_type
    name = text_of(file, item.child_by_field_name("name"))
    result = []
    for trait_name in traits:
        trait = _find_trait(inp, last_segment(trait_name))
        if trait is None or trait[1].child_by_field_name("type_parameters") is not None:
            continue
        members = _trait_items(*trait)
        if method not in members or implements(inp, last_segment(trait_name), name):
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
            text = f"\nimpl {last_segment(trait_name)} for {name} {{\n{body}}}\n"
            result.append(
                inp.candidate(
                    f"Implement `{last_segment(trait_name)}` for `{name}` (stubs to fill in)",
                    [insert_items_after(file, item, text)],
                    score=0.5,
                )
            )
    return result[:2]
