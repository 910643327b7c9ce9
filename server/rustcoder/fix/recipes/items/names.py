"""Names that do not resolve, or resolve to something private.

rustc knows the name is wrong but often offers no edit, or one that breaks
elsewhere: the item to import may be private, in a module never declared, or
in another file; a misspelt import is renamed only at the `use`; a misspelt
local has no suggestion at all. These edit kinds find the item (or the close
name) and make every edit needed for it to resolve.
"""

from __future__ import annotations

import re

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, closest, edit_kind, need
from rustcoder.fix.recipes.items._modules import (
    ITEM_TYPES,
    crate_items,
    mod_decl_edit,
    mod_declaration,
    module_files,
    module_of_offset,
    pub_edit,
    unlinked_mod_edit,
    use_edit,
    visibility_edits,
)
from rustcoder.fix.recipes.items._std_paths import STD_PATHS
from rustcoder.fix.recipes.items._syntax import labelled_places
from rustcoder.fix.recipes.syntax import Node
from rustcoder.fix.rust_syntax import SourceFile


@edit_kind("import-item")
def import_item(inp: RecipeInput) -> list[Candidate]:
    """A name not in scope: `use` it from std (a table) or from the crate's own modules.

    Crate items that are private get `pub` (and so do the modules on the way);
    a module file that was never declared gets its `mod` line.
    """
    module = inp.captures.get("module") or inp.captures.get("crate_or_module")
    if module is not None and "crate" in inp.params.get("from", "std crate").split():
        return declare_module(inp, module)
    name = need(inp.captures.get("name"))
    sources = inp.params.get("from", "std crate").split()
    result: list[Candidate] = []
    user = module_of_offset(inp, inp.file, inp.start)
    if "crate" in sources and user is not None:
        for item in crate_items(inp, name)[:3]:
            if item.module == user or (item.kind == "macro"):
                continue
            edits = visibility_edits(inp, item, user)
            unlinked = unlinked_mod_edit(inp, item)
            if unlinked is not None:
                edits.append(unlinked)
            edits.append(use_edit(inp.file, inp.start, item.path))
            title = f"Import `{item.path}`" + (" and make it visible" if len(edits) > 1 else "")
            result.append(inp.candidate(title, edits, score=0.65))
    if "std" in sources:
        for path in STD_PATHS.get(name, ())[:2]:
            edit = use_edit(inp.file, inp.start, path)
            result.append(inp.candidate(f"Import `{path}`", [edit], score=0.55))
    return result[:4]


_DEFINITIONS = (*ITEM_TYPES, "mod_item", "function_signature_item", "field_declaration")


@edit_kind("make-item-pub")
def make_item_pub(inp: RecipeInput) -> list[Candidate]:
    """A private item used from another module: add `pub` at its definition.

    The definition is where rustc points (`... defined here`); a private
    field is looked up in its struct (`params.struct`, `params.field`).
    """
    targets: list[tuple[SourceFile, Node]] = []
    struct_name = inp.params.get("struct")
    field_name = inp.params.get("field")
    if struct_name and field_name:
        found = inp.find_type(struct_name.split("::")[-1].split("<")[0])
        if found is not None:
            source, node = found
            assert isinstance(node, Node)
            for child in source.walk(node):
                ident = child.child_by_field_name("name")
                if (
                    child.type == "field_declaration"
                    and ident is not None
                    and source.node_text(ident) == field_name
                ):
                    targets.append((source, child))
            body = node.child_by_field_name("body")
            if field_name.isdigit() and body is not None:
                # A tuple struct: its fields are the types (and `pub`s) in the parentheses.
                types = [
                    c
                    for c in body.named_children
                    if c.type not in ("visibility_modifier", "attribute_item")
                ]
                if int(field_name) < len(types):
                    typed = types[int(field_name)]
                    before = typed.prev_named_sibling
                    if before is None or before.type != "visibility_modifier":
                        at = source.start(typed)
                        return [inp.candidate(None, [Edit(source.path, at, at, "pub ")], 0.6)]
    else:
        for path, start, end in labelled_places(inp, inp.params.get("label", "defined here")):
            defining = inp.source(path)
            if defining is None:
                continue
            item = defining.enclosing(defining.node_at(start, max(start, end)), *_DEFINITIONS)
            if item is not None:
                targets.append((defining, item))
    result = []
    for source, item in targets[:1]:
        for keyword, score in (("pub", 0.6), ("pub(crate)", 0.5)):
            widened = pub_edit(source, item, keyword)
            if widened is not None:
                title = inp.spec.title_for({**inp.captures, **inp.params}) if inp.spec else ""
                if keyword != "pub":
                    title = title.replace("`pub`", f"`{keyword}`")
                result.append(inp.candidate(title, [widened], score=score))
    return result


def _names_in_scope(file: SourceFile, at: int) -> list[str]:
    """Locals declared before `at` in its fn, the fn's parameters, and the file's items."""
    names: list[str] = []
    fn = file.enclosing(file.node_at(at, at), "function_item", "closure_expression")
    if fn is not None:
        for node in file.walk(fn):
            if file.start(node) >= at:
                continue
            if node.type in ("let_declaration", "parameter", "closure_parameters"):
                target = node.child_by_field_name("pattern") or node
                names += [file.node_text(n) for n in file.walk(target) if n.type == "identifier"]
            elif node.type in ("for_expression",):
                pattern = node.child_by_field_name("pattern")
                if pattern is not None:
                    names += [
                        file.node_text(n) for n in file.walk(pattern) if n.type == "identifier"
                    ]
    for node in file.walk():
        if node.type in ("function_item", "const_item", "static_item"):
            ident = node.child_by_field_name("name")
            if ident is not None and file.enclosing(node.parent, "impl_item", "trait_item") is None:
                names.append(file.node_text(ident))
    return list(dict.fromkeys(names))


@edit_kind("closest-name")
def closest_name(inp: RecipeInput) -> list[Candidate]:
    """An unknown name close to one in scope, when rustc suggests none (`calc_avg`)."""
    wrong = inp.captures["name"]
    if inp.span_text != wrong:
        return []
    if any("similar name" in m or "similarly named" in m for m in inp.messages()):
        return []
    options = [n for n in _names_in_scope(inp.file, inp.start) if n != wrong]
    found = closest(wrong, options, limit=2)
    found += [
        n
        for n in options
        if n not in found and (n.startswith(wrong) or wrong.startswith(n)) and len(n) > 2
    ][:1]
    return [inp.rewrite(f"Use `{name}`", inp.start, inp.end, name, 0.5) for name in found[:3]]


@edit_kind("rename-import")
def rename_import(inp: RecipeInput) -> list[Candidate]:
    """A misspelt name in a `use`: fix it there *and* where the file uses it.

    rustc's own suggestion renames only the import, so every use of the old
    name then fails to resolve; this renames them all.
    """
    wrong = inp.captures["name"]
    suggested = [
        (span, span.suggested_replacement)
        for span in inp.child_spans("similar name exists")
        if span.suggested_replacement
    ]
    new_names: list[tuple[int, int, str]] = []
    for span, replacement in suggested:
        located = inp.span_offsets(span)
        if located is not None and located[0] == inp.path and replacement:
            new_names.append((located[1], located[2], replacement))
    if not new_names:
        at = inp.file.text.rfind(wrong, inp.start, inp.end)
        options = [n for n in STD_PATHS if n.lower() == wrong.lower()]
        if at < 0 or not options:
            return []
        new_names = [(at, at + len(wrong), options[0])]
    result = []
    for start, end, new in new_names[:2]:
        edits = [inp.edit(start, end, new)]
        use = inp.file.enclosing(inp.file.node_at(start, end), "use_declaration")
        for node in inp.file.walk():
            if (
                node.type in ("identifier", "type_identifier")
                and inp.file.node_text(node) == wrong
                and (use is None or not (use.start_byte <= node.start_byte < use.end_byte))
            ):
                edits.append(inp.edit(inp.file.start(node), inp.file.end(node), new))
        result.append(inp.candidate(f"Import `{new}` and use that name", edits, 0.6))
    return result


def declare_module(inp: RecipeInput, name: str) -> list[Candidate]:
    """A module whose file exists (`src/x.rs`, `src/x/mod.rs`) but was never declared: `mod x;`.

    Works for nested modules too (`net::http` → `mod http;` in `src/net.rs`).
    """
    if inp.span_text != name:
        at = inp.file.text.find(name, inp.start, inp.end)
        if at < 0:
            return []
        start = at
    else:
        start = inp.start
    user = module_of_offset(inp, inp.file, start)
    if user is None:
        return []
    prefix = re.search(r"((?:\w+\s*::\s*)*)$", inp.file.text[:start])
    segments = [s.strip() for s in (prefix.group(1) if prefix else "").split("::") if s.strip()]
    parent: tuple[str, ...]
    if segments and segments[0] == "crate":
        parent = tuple(segments[1:])
    elif segments and segments[0] in ("self", "super"):
        base = list(user)
        for segment in segments:
            if segment == "super" and base:
                base.pop()
            elif segment not in ("self", "super"):
                base.append(segment)
        parent = tuple(base)
    else:
        parent = (*user, *segments)
    candidates = [parent] if not user or parent == () else [parent, tuple(segments)]
    for module in candidates:
        if not module_files(inp, (*module, name)) or mod_declaration(inp, module, name):
            continue
        homes = [inp.source(p) for p in module_files(inp, module)]
        home = next((h for h in homes if h is not None), None)
        if home is None:
            continue
        edit = mod_decl_edit(home, name)
        if module and user[: len(module)] != module:
            edit = Edit(
                edit.path, edit.start, edit.end, edit.new_text.replace("mod ", "pub mod ", 1)
            )
        where = "::".join(("crate", *module))
        return [inp.candidate(f"Declare module `{name}` in `{where}`", [edit], score=0.65)]
    return []
