"""The crate's module tree: where items are defined and how to reach them.

Names and imports are resolved through modules that may live in other files
(`src/a/b.rs`, `src/a/mod.rs`, inline `mod`s); the edits that make an item
reachable (`use`, `pub` on the item and on the modules on the way, a missing
`mod x;`) are built here and shared by the edit kinds that need them.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput
from rustcoder.fix.recipes.syntax import Node, child_of_type, next_line_start
from rustcoder.fix.rust_syntax import SourceFile, rust_files

#: Items a `use` can name, and modules (which may hold them).
ITEM_TYPES = {
    "struct_item": "struct",
    "enum_item": "enum",
    "union_item": "union",
    "trait_item": "trait",
    "function_item": "fn",
    "const_item": "const",
    "static_item": "static",
    "type_item": "type",
    "macro_definition": "macro",
}


def use_edit(file: SourceFile, at: int, path: str) -> Edit:
    """An edit adding `use path;` to the module that holds offset `at`.

    After the module's last `use`, else at its top (after inner attributes and
    `//!` docs), never inside a function.
    """
    module = file.enclosing(file.node_at(at, at), "mod_item")
    body = module.child_by_field_name("body") if module is not None else None
    if module is None or body is None:
        offset = file.use_insertion_offset()
        if any(c.type == "use_declaration" for c in file.root.children):
            return Edit(file.path, offset, offset, f"use {path};\n")
        declared = _leading_mod_declarations(file)
        if declared is not None:
            offset = next_line_start(file.text, file.end(declared))
        if offset:
            return Edit(file.path, offset, offset, f"\nuse {path};\n")
        return Edit(file.path, 0, 0, f"use {path};\n\n")
    if "\n" not in file.node_text(body):
        # `mod m { ... }` on one line: first thing inside the braces.
        return Edit(file.path, file.start(body) + 1, file.start(body) + 1, f" use {path};")
    uses = [c for c in body.named_children if c.type == "use_declaration"]
    indent = file.indent_at(file.start(body.named_children[0])) if body.named_children else "    "
    if uses:
        offset = next_line_start(file.text, file.end(uses[-1]))
        return Edit(file.path, offset, offset, f"{indent}use {path};\n")
    offset = next_line_start(file.text, file.start(body))
    return Edit(file.path, offset, offset, f"{indent}use {path};\n\n")


def _leading_mod_declarations(file: SourceFile) -> Node | None:
    """The last of the `mod x;` lines that open a file (uses go after them)."""
    last = None
    for child in file.root.named_children:
        if child.type == "mod_item" and child.child_by_field_name("body") is None:
            last = child
        elif child.type not in ("attribute_item", "inner_attribute_item", "line_comment"):
            break
    return last


def pub_edit(file: SourceFile, item: Node, keyword: str = "pub") -> Edit | None:
    """Make `item` visible: add `pub` (or widen `pub(self)`/`pub(super)`); None if it is."""
    visibility = child_of_type(item, "visibility_modifier")
    if visibility is not None:
        if file.node_text(visibility) in ("pub", "pub(crate)") and keyword != "pub":
            return None
        if file.node_text(visibility) == keyword or file.node_text(visibility) == "pub":
            return None
        return Edit(file.path, file.start(visibility), file.end(visibility), keyword)
    at = file.start(item)
    return Edit(file.path, at, at, f"{keyword} ")


@dataclass
class CrateItem:
    """An item defined somewhere in the crate, with the module path that reaches it."""

    name: str
    kind: str
    module: tuple[str, ...]
    file: SourceFile
    node: Node
    #: The `mod` items on the way from the file's module to the item (inline modules).
    inline_mods: tuple[Node, ...]

    @property
    def path(self) -> str:
        return "::".join(("crate", *self.module, self.name))


def _src_root(inp: RecipeInput) -> Path:
    return inp.ctx.workspace_root / "src"


def module_of_file(src: Path, path: Path) -> tuple[str, ...] | None:
    """`src/a/b.rs` → (a, b); `src/a/mod.rs` → (a,); the crate roots → ()."""
    try:
        parts = path.relative_to(src).parts
    except ValueError:
        return None
    if parts in (("main.rs",), ("lib.rs",)):
        return ()
    if parts[0] == "bin":
        return None
    stem = list(parts[:-1])
    last = parts[-1].removesuffix(".rs")
    if last != "mod":
        stem.append(last)
    return tuple(stem)


def _items_in(
    file: SourceFile, node: Node, module: tuple[str, ...], mods: tuple[Node, ...]
) -> Iterator[CrateItem]:
    body = node if node.type == "source_file" else node.child_by_field_name("body")
    if body is None:
        return
    for child in body.named_children:
        if child.type == "mod_item":
            name = child.child_by_field_name("name")
            if name is not None and child.child_by_field_name("body") is not None:
                yield from _items_in(file, child, (*module, file.node_text(name)), (*mods, child))
            continue
        kind = ITEM_TYPES.get(child.type)
        name = child.child_by_field_name("name")
        if kind is not None and name is not None:
            yield CrateItem(file.node_text(name), kind, module, file, child, mods)


def crate_items(inp: RecipeInput, name: str) -> list[CrateItem]:
    """Items named `name` defined at module level anywhere in the crate's `src/`."""
    src = _src_root(inp)
    found: list[CrateItem] = []
    for path in rust_files(src, limit=500):
        module = module_of_file(src, path)
        if module is None:
            continue
        source = inp.source(path)
        if source is None or name not in source.text:
            continue
        found.extend(i for i in _items_in(source, source.root, module, ()) if i.name == name)
    return found


def module_of_offset(inp: RecipeInput, file: SourceFile, at: int) -> tuple[str, ...] | None:
    base = module_of_file(_src_root(inp), file.path)
    if base is None:
        return None
    names = []
    node: Node | None = file.node_at(at, at)
    while node is not None:
        if node.type == "mod_item":
            name = node.child_by_field_name("name")
            if name is not None:
                names.append(file.node_text(name))
        node = node.parent
    return (*base, *reversed(names))


def visibility_edits(inp: RecipeInput, item: CrateItem, user: tuple[str, ...]) -> list[Edit]:
    """Make `item` reachable from module `user`: `pub` on it and on the modules between.

    A private item (or module) is visible in its parent module and everything
    below it; anything else needs `pub`.
    """
    edits = []
    module = item.module
    if user[: len(module)] != module:
        edit = pub_edit(item.file, item.node)
        if edit is not None:
            edits.append(edit)
    file_depth = len(module) - len(item.inline_mods)
    for depth in range(1, len(module)):
        parent = module[:depth]
        if user[:depth] == parent:
            continue
        if depth >= file_depth:
            edit = pub_edit(item.file, item.inline_mods[depth - file_depth])
        else:
            declared = mod_declaration(inp, parent, module[depth])
            edit = pub_edit(*declared) if declared is not None else None
        if edit is not None:
            edits.append(edit)
    return edits


def module_files(inp: RecipeInput, module: tuple[str, ...]) -> list[Path]:
    src = _src_root(inp)
    if not module:
        return [p for p in (src / "main.rs", src / "lib.rs") if inp.ctx.read_text(p) is not None]
    return [
        p
        for p in (src.joinpath(*module).with_suffix(".rs"), src.joinpath(*module, "mod.rs"))
        if inp.ctx.read_text(p) is not None
    ]


def mod_declaration(
    inp: RecipeInput, parent: tuple[str, ...], name: str
) -> tuple[SourceFile, Node] | None:
    for path in module_files(inp, parent):
        source = inp.source(path)
        if source is None:
            continue
        for child in source.root.named_children:
            ident = child.child_by_field_name("name") if child.type == "mod_item" else None
            if ident is not None and source.node_text(ident) == name:
                return source, child
    return None


def unlinked_mod_edit(inp: RecipeInput, item: CrateItem) -> Edit | None:
    """`mod x;` in the crate root when `src/x.rs` exists but was never declared."""
    if len(item.module) - len(item.inline_mods) != 1:
        return None
    if mod_declaration(inp, (), item.module[0]) is not None:
        return None
    roots = [inp.source(p) for p in module_files(inp, ())]
    root = next((r for r in roots if r is not None and r.path == inp.path), None) or next(
        (r for r in roots if r is not None), None
    )
    if root is None:
        return None
    return mod_decl_edit(root, item.module[0])


def mod_decl_edit(root: SourceFile, name: str) -> Edit:
    """Insert `mod name;` after the last `mod x;` of the file, else where a `use` would go."""
    mods = [
        c
        for c in root.root.named_children
        if c.type == "mod_item" and c.child_by_field_name("body") is None
    ]
    if mods:
        at = next_line_start(root.text, root.end(mods[-1]))
        return Edit(root.path, at, at, f"mod {name};\n")
    at = root.use_insertion_offset()
    has_uses = any(c.type == "use_declaration" for c in root.root.children)
    if has_uses:
        first_use = next(c for c in root.root.children if c.type == "use_declaration")
        at = root.start(first_use)
        return Edit(root.path, at, at, f"mod {name};\n\n")
    return Edit(root.path, at, at, f"mod {name};\n\n" if at == 0 else f"\nmod {name};\n")
