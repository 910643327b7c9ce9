"""Recipes for items: names, imports, visibility, struct literals, patterns, lifetimes.

These are the errors where rustc often knows *what* is wrong but offers no
edit, or only one with placeholders: a private item (where the `pub` goes is
in another file), missing struct fields, non-exhaustive matches, an `.await`
in a sync fn, a call to an unsafe fn. Each edit kind proposes the plausible
edits; verification by compiling picks the one that works.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tree_sitter

from rustcoder.fix.candidate import Candidate
from rustcoder.fix.edits import Edit
from rustcoder.fix.recipes.base import RecipeInput, closest, edit_kind
from rustcoder.fix.rust_syntax import SourceFile, rust_files

Node = tree_sitter.Node

#: A score above rustc's own suggestion (see engine.rank_key): used only where
#: rustc's suggestion is known to trade the error for another one.
CONFIDENT = 0.92

#: Common std items people use without importing them, by name (first = most likely).
STD_PATHS: dict[str, tuple[str, ...]] = {
    "HashMap": ("std::collections::HashMap",),
    "HashSet": ("std::collections::HashSet",),
    "BTreeMap": ("std::collections::BTreeMap",),
    "BTreeSet": ("std::collections::BTreeSet",),
    "VecDeque": ("std::collections::VecDeque",),
    "BinaryHeap": ("std::collections::BinaryHeap",),
    "LinkedList": ("std::collections::LinkedList",),
    "Entry": ("std::collections::hash_map::Entry", "std::collections::btree_map::Entry"),
    "Rc": ("std::rc::Rc",),
    "Weak": ("std::rc::Weak", "std::sync::Weak"),
    "RefCell": ("std::cell::RefCell",),
    "Cell": ("std::cell::Cell",),
    "Arc": ("std::sync::Arc",),
    "Mutex": ("std::sync::Mutex",),
    "RwLock": ("std::sync::RwLock",),
    "Condvar": ("std::sync::Condvar",),
    "AtomicUsize": ("std::sync::atomic::AtomicUsize",),
    "AtomicBool": ("std::sync::atomic::AtomicBool",),
    "AtomicU64": ("std::sync::atomic::AtomicU64",),
    "mpsc": ("std::sync::mpsc",),
    "thread": ("std::thread",),
    "Duration": ("std::time::Duration",),
    "Instant": ("std::time::Instant",),
    "SystemTime": ("std::time::SystemTime",),
    "fmt": ("std::fmt",),
    "Display": ("std::fmt::Display",),
    "Formatter": ("std::fmt::Formatter",),
    "Ordering": ("std::cmp::Ordering", "std::sync::atomic::Ordering"),
    "Reverse": ("std::cmp::Reverse",),
    "cmp": ("std::cmp",),
    "max": ("std::cmp::max",),
    "min": ("std::cmp::min",),
    "File": ("std::fs::File",),
    "OpenOptions": ("std::fs::OpenOptions",),
    "fs": ("std::fs",),
    "BufReader": ("std::io::BufReader",),
    "BufWriter": ("std::io::BufWriter",),
    "BufRead": ("std::io::BufRead",),
    "Read": ("std::io::Read",),
    "Write": ("std::io::Write", "std::fmt::Write"),
    "io": ("std::io",),
    "stdin": ("std::io::stdin",),
    "Path": ("std::path::Path",),
    "PathBuf": ("std::path::PathBuf",),
    "FromStr": ("std::str::FromStr",),
    "ParseIntError": ("std::num::ParseIntError",),
    "ParseFloatError": ("std::num::ParseFloatError",),
    "Error": ("std::error::Error", "std::fmt::Error"),
    "env": ("std::env",),
    "mem": ("std::mem",),
    "ptr": ("std::ptr",),
    "process": ("std::process",),
    "iter": ("std::iter",),
    "Cow": ("std::borrow::Cow",),
    "Borrow": ("std::borrow::Borrow",),
    "PhantomData": ("std::marker::PhantomData",),
    "Hash": ("std::hash::Hash",),
    "Hasher": ("std::hash::Hasher",),
    "DefaultHasher": ("std::hash::DefaultHasher",),
    "Add": ("std::ops::Add",),
    "Sub": ("std::ops::Sub",),
    "Mul": ("std::ops::Mul",),
    "Deref": ("std::ops::Deref",),
    "DerefMut": ("std::ops::DerefMut",),
    "Index": ("std::ops::Index",),
    "Range": ("std::ops::Range",),
    "TryFrom": ("std::convert::TryFrom",),
    "TryInto": ("std::convert::TryInto",),
    "Infallible": ("std::convert::Infallible",),
    "Pin": ("std::pin::Pin",),
    "Future": ("std::future::Future",),
    "Any": ("std::any::Any",),
    "NonZeroUsize": ("std::num::NonZeroUsize",),
    "Wrapping": ("std::num::Wrapping",),
    "Peekable": ("std::iter::Peekable",),
    "Chars": ("std::str::Chars",),
    "IpAddr": ("std::net::IpAddr",),
    "SocketAddr": ("std::net::SocketAddr",),
    "TcpListener": ("std::net::TcpListener",),
    "TcpStream": ("std::net::TcpStream",),
    "Ipv4Addr": ("std::net::Ipv4Addr",),
    "UdpSocket": ("std::net::UdpSocket",),
    "Sender": ("std::sync::mpsc::Sender",),
    "Receiver": ("std::sync::mpsc::Receiver",),
    "channel": ("std::sync::mpsc::channel",),
    "JoinHandle": ("std::thread::JoinHandle",),
    "sleep": ("std::thread::sleep",),
    "spawn": ("std::thread::spawn",),
    "OnceLock": ("std::sync::OnceLock",),
    "LazyLock": ("std::sync::LazyLock",),
    "OnceCell": ("std::cell::OnceCell",),
    "Ref": ("std::cell::Ref",),
    "RefMut": ("std::cell::RefMut",),
    "AtomicI32": ("std::sync::atomic::AtomicI32",),
    "AtomicU32": ("std::sync::atomic::AtomicU32",),
    "swap": ("std::mem::swap",),
    "replace": ("std::mem::replace",),
    "take": ("std::mem::take",),
    "size_of": ("std::mem::size_of",),
    "read_to_string": ("std::fs::read_to_string",),
    "args": ("std::env::args",),
    "exit": ("std::process::exit",),
    "Command": ("std::process::Command",),
    "repeat": ("std::iter::repeat",),
    "once": ("std::iter::once",),
    "from_fn": ("std::iter::from_fn",),
    "successors": ("std::iter::successors",),
    "Seek": ("std::io::Seek",),
    "SeekFrom": ("std::io::SeekFrom",),
    "ErrorKind": ("std::io::ErrorKind",),
    "Stdin": ("std::io::Stdin",),
    "stdout": ("std::io::stdout",),
    "Debug": ("std::fmt::Debug",),
    "AddAssign": ("std::ops::AddAssign",),
    "SubAssign": ("std::ops::SubAssign",),
    "MulAssign": ("std::ops::MulAssign",),
    "Div": ("std::ops::Div",),
    "Rem": ("std::ops::Rem",),
    "Neg": ("std::ops::Neg",),
    "Not": ("std::ops::Not",),
    "IndexMut": ("std::ops::IndexMut",),
    "RangeInclusive": ("std::ops::RangeInclusive",),
    "ControlFlow": ("std::ops::ControlFlow",),
    "NonNull": ("std::ptr::NonNull",),
    "ManuallyDrop": ("std::mem::ManuallyDrop",),
    "Utf8Error": ("std::str::Utf8Error",),
    "FromUtf8Error": ("std::string::FromUtf8Error",),
    "TryFromIntError": ("std::num::TryFromIntError",),
    "NonZeroU32": ("std::num::NonZeroU32",),
    "Sum": ("std::iter::Sum",),
    "FromIterator": ("std::iter::FromIterator",),
    "Rev": ("std::iter::Rev",),
    "UNIX_EPOCH": ("std::time::UNIX_EPOCH",),
}

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


# --- small syntax helpers --------------------------------------------------------


def _child(node: Node | None, *types: str) -> Node | None:
    if node is None:
        return None
    return next((c for c in node.children if c.type in types), None)


def _named(inp: RecipeInput) -> Node:
    return inp.file.node_at(inp.start, inp.end)


def _line_end(text: str, offset: int) -> int:
    nl = text.find("\n", offset)
    return len(text) if nl < 0 else nl + 1


def _indent_unit(file: SourceFile) -> str:
    found = re.search(r"^( +|\t)\S", file.text, re.M)
    return found.group(1) if found else "    "


def _located(inp: RecipeInput, label_part: str) -> list[tuple[Path, int, int]]:
    """Where spans (of the diagnostic or its children) labelled or noted with `label_part` are."""
    spans = [s for s in inp.diagnostic.spans if s.label and label_part in s.label]
    spans += inp.child_spans(label_part)
    result = []
    for span in spans:
        located = inp.span_offsets(span)
        if located is not None:
            result.append(located)
    return result


# --- `use` and `pub` ---------------------------------------------------------------


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
            offset = _line_end(file.text, file.end(declared))
        if offset:
            return Edit(file.path, offset, offset, f"\nuse {path};\n")
        return Edit(file.path, 0, 0, f"use {path};\n\n")
    if "\n" not in file.node_text(body):
        # `mod m { ... }` on one line: first thing inside the braces.
        return Edit(file.path, file.start(body) + 1, file.start(body) + 1, f" use {path};")
    uses = [c for c in body.named_children if c.type == "use_declaration"]
    indent = file.indent_at(file.start(body.named_children[0])) if body.named_children else "    "
    if uses:
        offset = _line_end(file.text, file.end(uses[-1]))
        return Edit(file.path, offset, offset, f"{indent}use {path};\n")
    offset = _line_end(file.text, file.start(body))
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
    visibility = _child(item, "visibility_modifier")
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
            declared = _mod_declaration(inp, parent, module[depth])
            edit = pub_edit(*declared) if declared is not None else None
        if edit is not None:
            edits.append(edit)
    return edits


def _module_files(inp: RecipeInput, module: tuple[str, ...]) -> list[Path]:
    src = _src_root(inp)
    if not module:
        return [p for p in (src / "main.rs", src / "lib.rs") if inp.ctx.read_text(p) is not None]
    return [
        p
        for p in (src.joinpath(*module).with_suffix(".rs"), src.joinpath(*module, "mod.rs"))
        if inp.ctx.read_text(p) is not None
    ]


def _mod_declaration(
    inp: RecipeInput, parent: tuple[str, ...], name: str
) -> tuple[SourceFile, Node] | None:
    for path in _module_files(inp, parent):
        source = inp.source(path)
        if source is None:
            continue
        for child in source.root.named_children:
            ident = child.child_by_field_name("name") if child.type == "mod_item" else None
            if ident is not None and source.node_text(ident) == name:
                return source, child
    return None


def _unlinked_mod_edit(inp: RecipeInput, item: CrateItem) -> Edit | None:
    """`mod x;` in the crate root when `src/x.rs` exists but was never declared."""
    if len(item.module) - len(item.inline_mods) != 1:
        return None
    if _mod_declaration(inp, (), item.module[0]) is not None:
        return None
    roots = [inp.source(p) for p in _module_files(inp, ())]
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
        at = _line_end(root.text, root.end(mods[-1]))
        return Edit(root.path, at, at, f"mod {name};\n")
    at = root.use_insertion_offset()
    has_uses = any(c.type == "use_declaration" for c in root.root.children)
    if has_uses:
        first_use = next(c for c in root.root.children if c.type == "use_declaration")
        at = root.start(first_use)
        return Edit(root.path, at, at, f"mod {name};\n\n")
    return Edit(root.path, at, at, f"mod {name};\n\n" if at == 0 else f"\nmod {name};\n")


@edit_kind("import-item")
def import_item(inp: RecipeInput) -> list[Candidate]:
    """A name not in scope: `use` it from std (a table) or from the crate's own modules.

    Crate items that are private get `pub` (and so do the modules on the way);
    a module file that was never declared gets its `mod` line.
    """
    module = inp.captures.get("module") or inp.captures.get("crate_or_module")
    if module is not None and "crate" in inp.params.get("from", "std crate").split():
        return declare_module(inp, module)
    name = inp.captures.get("name")
    if name is None:
        return []
    sources = inp.params.get("from", "std crate").split()
    result: list[Candidate] = []
    user = module_of_offset(inp, inp.file, inp.start)
    if "crate" in sources and user is not None:
        for item in crate_items(inp, name)[:3]:
            if item.module == user or (item.kind == "macro"):
                continue
            edits = visibility_edits(inp, item, user)
            unlinked = _unlinked_mod_edit(inp, item)
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


# --- visibility ----------------------------------------------------------------


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
        for path, start, end in _located(inp, inp.params.get("label", "defined here")):
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


# --- struct literals ------------------------------------------------------------


def _struct_name(text: str) -> str:
    return re.split(r"::<|<", text)[0].split("::")[-1].strip()


def _derives_default(source: SourceFile, node: Node, name: str) -> bool:
    for attribute in source.attributes_of(node):
        if re.search(r"derive\([^)]*\bDefault\b", source.node_text(attribute)):
            return True
    return bool(re.search(rf"impl\s+(?:std::default::)?Default\s+for\s+{name}\b", source.text))


_NOT_ENTRIES = ("base_field_initializer", "line_comment", "block_comment", "attribute_item")


def _after_trailing_comment(text: str, at: int) -> int:
    """`at`, or the end of its line when only a `//` comment (or nothing) follows on it."""
    line_end = text.find("\n", at)
    if line_end < 0:
        return at
    rest = text[at:line_end].strip()
    return line_end if rest == "" or rest.startswith("//") else at


def append_fields(
    file: SourceFile, body: Node, entries: list[str], rest: str | None = None
) -> list[Edit] | None:
    """Add `entries` (`name: value`) and then `rest` (`..base`, no comma after it) at the
    end of a `{ ... }` field list, keeping its layout (one per line or all on one line)."""
    close = body.children[-1] if body.children else None
    if close is None or close.type != "}":
        return None
    inner = [c for c in body.named_children if c.type not in _NOT_ENTRIES]
    base = next((c for c in body.named_children if c.type == "base_field_initializer"), None)
    if base is not None:
        if rest is not None:
            return None
        # Fields go before `..base`.
        at = file.start(base)
        indent = file.indent_at(at) if file.text[file.line_start(at) : at].strip() == "" else ""
        sep = f"\n{indent}" if indent else " "
        return [Edit(file.path, at, at, "".join(f"{e},{sep}" for e in entries))]
    close_at = file.start(close)
    multiline = "\n" in file.text[file.start(body) : close_at]
    last_end = file.end(inner[-1]) if inner else file.start(body) + 1
    has_comma = file.text[last_end:close_at].lstrip().startswith(",")
    comma_end = file.text.index(",", last_end) + 1 if has_comma else last_end
    if multiline:
        items = [f"{e}," for e in entries] + ([rest] if rest else [])
        if inner:
            indent = file.indent_at(file.start(inner[0]))
        else:
            indent = file.indent_at(close_at) + _indent_unit(file)
        edits = []
        if inner and not has_comma:
            edits.append(Edit(file.path, last_end, last_end, ","))
        at = _after_trailing_comment(file.text, comma_end)
        edits.append(Edit(file.path, at, at, "".join(f"\n{indent}{item}" for item in items)))
        return edits
    parts = entries + ([rest] if rest else [])
    if not inner:
        return [Edit(file.path, file.start(body) + 1, close_at, " " + ", ".join(parts) + " ")]
    if has_comma:
        return [Edit(file.path, comma_end, comma_end, " " + ", ".join(parts))]
    return [Edit(file.path, last_end, last_end, ", " + ", ".join(parts))]


@edit_kind("fill-missing-fields")
def fill_missing_fields(inp: RecipeInput) -> list[Candidate]:
    """Missing fields in a struct literal: `field: Default::default()` for each, or
    `..Default::default()` when the struct has a `Default` (`params.mode = "rest"`)."""
    expr = inp.file.enclosing(_named(inp), "struct_expression")
    body = expr.child_by_field_name("body") if expr is not None else None
    name_node = expr.child_by_field_name("name") if expr is not None else None
    if expr is None or body is None or name_node is None:
        return _fill_fields_in_macro(inp)
    name = _struct_name(inp.captures.get("type") or inp.file.node_text(name_node))
    given = {
        inp.file.node_text(c.child_by_field_name("field") or c.named_children[0])
        for c in body.named_children
        if c.type in ("field_initializer", "shorthand_field_initializer") and c.named_children
    }
    if any(c.type == "base_field_initializer" for c in body.named_children):
        return []
    if inp.params.get("mode") == "rest":
        found = inp.find_type(name)
        if found is None:
            return []
        source, node = found
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
    name = _struct_name(inp.captures.get("type") or inp.span_text)
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


# --- match arms and patterns ------------------------------------------------------


def _split_patterns(text: str) -> list[str]:
    """`` `A`, `B(_)` and `C { .. }` `` → the patterns; empty when rustc elided some."""
    if re.search(r"and \d+ more", text):
        return []
    return re.findall(r"`([^`]+)`", text)


def _uncovered_variants(inp: RecipeInput, arms: list[Node], listed: str) -> list[str]:
    """Every variant no arm names, when rustc listed only the first few (`and 3 more`)."""
    shown = re.findall(r"`([^`]+)`", listed)
    prefix = re.match(r"^(&?(?:[\w]+::)+)\w+", shown[0]) if shown else None
    enum_name = next(
        (
            m.group(1)
            for m in map(re.compile(r"^`([\w:]+)` defined here$").match, inp.messages())
            if m
        ),
        None,
    )
    if prefix is None or enum_name is None:
        return []
    found = inp.find_type(enum_name.split("::")[-1])
    if found is None:
        return []
    source, enum = found
    assert isinstance(enum, Node)
    body = enum.child_by_field_name("body")
    if enum.type != "enum_item" or body is None:
        return []
    named = " ".join(inp.file.node_text(a.child_by_field_name("pattern") or a) for a in arms)
    result = []
    for variant in body.named_children:
        ident = variant.child_by_field_name("name")
        if variant.type != "enum_variant" or ident is None:
            continue
        name = source.node_text(ident)
        if re.search(rf"\b{re.escape(name)}\b", named):
            continue
        fields = variant.child_by_field_name("body")
        suffix = ""
        if fields is not None:
            suffix = "(..)" if fields.type == "ordered_field_declaration_list" else " { .. }"
        result.append(f"{prefix.group(1)}{name}{suffix}")
    return result


@edit_kind("add-match-arms")
def add_match_arms(inp: RecipeInput) -> list[Candidate]:
    """A non-exhaustive match: add the arms rustc lists (`todo!()` bodies), or `_ => todo!()`."""
    match = inp.file.enclosing(_named(inp), "match_expression")
    block = match.child_by_field_name("body") if match is not None else None
    if match is None or block is None or not block.children or block.children[-1].type != "}":
        return []
    arms = [c for c in block.named_children if c.type == "match_arm"]
    if inp.params.get("mode") == "wildcard":
        patterns = ["_"]
    else:
        listed = inp.captures.get("patterns", "")
        patterns = _split_patterns(listed) or _uncovered_variants(inp, arms, listed)
        if not patterns or patterns == ["_"]:
            return []
        refs = any(
            inp.file.node_text(a.child_by_field_name("pattern") or a).startswith("&") for a in arms
        )
        if not refs:
            patterns = [p[1:] if p.startswith("&") else p for p in patterns]
    file = inp.file
    close_at = file.start(block.children[-1])
    last_end = file.end(arms[-1]) if arms else file.start(block) + 1
    needs_comma = bool(arms) and not file.text[:last_end].rstrip().endswith((",", "}"))
    body = inp.params.get("body", "todo!()")
    edits = []
    if "\n" in file.text[file.start(block) : close_at]:
        indent = (
            file.indent_at(file.start(arms[0]))
            if arms
            else file.indent_at(close_at) + _indent_unit(file)
        )
        if needs_comma:
            edits.append(inp.edit(last_end, last_end, ","))
        at = _after_trailing_comment(file.text, last_end)
        edits.append(inp.edit(at, at, "".join(f"\n{indent}{p} => {body}," for p in patterns)))
    else:
        arms_text = ", ".join(f"{p} => {body}" for p in patterns)
        text = f", {arms_text}" if needs_comma else f" {arms_text},"
        edits.append(inp.edit(last_end, last_end, text))
    title = (
        "Add a `_ => todo!()` arm"
        if patterns == ["_"]
        else f"Add the missing match arms ({', '.join(patterns)})"
    )
    return [inp.candidate(title, edits, score=0.6 if patterns != ["_"] else 0.5)]


@edit_kind("rename-field")
def rename_field(inp: RecipeInput) -> list[Candidate]:
    """A pattern or literal names a field the struct lacks: use the right field, keep the value.

    `let P { x, z } = p` → `let P { x, y: z } = p`, so code that uses `z` still
    works; `P { x, z }` (a literal) → `P { x, y: z }`, so the local `z` is used.
    """
    wrong = inp.captures["field"]
    field = inp.file.enclosing(
        _named(inp), "field_pattern", "field_initializer", "shorthand_field_initializer"
    )
    container = inp.file.enclosing(field, "struct_pattern", "struct_expression")
    if field is None or container is None:
        return []
    type_node = container.child_by_field_name("type") or container.child_by_field_name("name")
    if type_node is None:
        return []
    name = _struct_name(inp.captures.get("type") or inp.file.node_text(type_node))
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


@edit_kind("pattern-rest")
def pattern_rest(inp: RecipeInput) -> list[Candidate]:
    """A tuple pattern with too few fields: ignore the rest with `..`."""
    node = inp.file.enclosing(_named(inp), "tuple_struct_pattern", "tuple_pattern")
    if node is None or not node.children or node.children[-1].type != ")":
        return []
    if any(c.type == "remaining_field_pattern" for c in node.named_children):
        return []
    close = inp.file.start(node.children[-1])
    inner = inp.file.text[inp.file.start(node) : close]
    text = ".." if inner.rstrip().endswith("(") else ", .."
    if inner.rstrip().endswith(","):
        text = " .."
    return [inp.candidate(None, [inp.edit(close, close, text)], score=0.55)]


# --- lifetimes and owned types ----------------------------------------------------


def _type_params_edit(file: SourceFile, item: Node, lifetime: str) -> Edit | None:
    """Declare `lifetime` on a struct, enum, fn or impl (first in its generics)."""
    params = item.child_by_field_name("type_parameters")
    if params is not None:
        if re.search(rf"{re.escape(lifetime)}\b", file.node_text(params)):
            return None
        at = file.start(params) + 1
        return Edit(file.path, at, at, f"{lifetime}, ")
    name = item.child_by_field_name("name")
    if name is None:
        return None
    at = file.end(name)
    return Edit(file.path, at, at, f"<{lifetime}>")


def _bare_references(file: SourceFile, node: Node) -> list[Node]:
    """`&T` / `&mut T` types without a lifetime, outside nested fn pointer types."""
    return [
        n
        for n in file.walk(node)
        if n.type == "reference_type"
        and not any(c.type == "lifetime" for c in n.children)
        and file.enclosing(n, "function_type") is None
    ]


def _add_lifetime_to_refs(file: SourceFile, refs: list[Node], lifetime: str) -> list[Edit]:
    return [Edit(file.path, file.start(r) + 1, file.start(r) + 1, f"{lifetime} ") for r in refs]


@edit_kind("struct-lifetime")
def struct_lifetime(inp: RecipeInput) -> list[Candidate]:
    """A reference field: give the struct a lifetime and update its `impl` blocks.

    rustc suggests `<'a>` on the struct only; the `impl Parser` blocks then
    fail (E0726), so they become `impl<'a> Parser<'a>`, and (second
    candidate) the methods' parameters of the field's type borrow for `'a`.
    """
    struct = inp.file.enclosing(_named(inp), "struct_item", "enum_item")
    name_node = struct.child_by_field_name("name") if struct is not None else None
    if struct is None or name_node is None:
        return []
    name = inp.file.node_text(name_node)
    lifetime = inp.captures.get("lifetime", "'a")
    params = struct.child_by_field_name("type_parameters")
    if params is not None and re.search(rf"{lifetime}\b", inp.file.node_text(params)):
        return []
    refs = _bare_references(inp.file, struct)
    edits = [e for e in [_type_params_edit(inp.file, struct, lifetime)] if e is not None]
    edits += _add_lifetime_to_refs(inp.file, refs, lifetime)
    spanned = _named(inp)
    if spanned.type in ("type_identifier", "scoped_type_identifier") and not refs:
        # A field whose type has a lifetime parameter: `cursor: Cursor` → `Cursor<'a>`.
        generic = (
            spanned.parent if spanned.parent and spanned.parent.type == "generic_type" else None
        )
        args = generic.child_by_field_name("type_arguments") if generic is not None else None
        if args is not None:
            at = inp.file.start(args) + 1
            edits.append(inp.edit(at, at, f"{lifetime}, "))
        else:
            edits.append(inp.edit(inp.end, inp.end, f"<{lifetime}>"))
    field_types = {re.sub(r"\s+", "", inp.file.node_text(r)) for r in refs}
    impl_edits: list[Edit] = []
    param_edits: list[Edit] = []
    for node in inp.file.walk():
        if node.type != "impl_item":
            continue
        type_node = node.child_by_field_name("type")
        if type_node is None or inp.file.node_text(type_node) != name:
            continue
        declared = _type_params_edit(inp.file, node, lifetime)
        if node.child_by_field_name("type_parameters") is None:
            at = inp.file.start(node) + len("impl")
            declared = Edit(inp.path, at, at, f"<{lifetime}>")
        if declared is not None:
            impl_edits.append(declared)
        at = inp.file.end(type_node)
        impl_edits.append(inp.edit(at, at, f"<{lifetime}>"))
        for fn in inp.file.walk(node):
            if fn.type != "function_item":
                continue
            fn_params = fn.child_by_field_name("parameters")
            if fn_params is None:
                continue
            same = [
                r
                for r in _bare_references(inp.file, fn_params)
                if re.sub(r"\s+", "", inp.file.node_text(r)) in field_types
            ]
            param_edits += _add_lifetime_to_refs(inp.file, same, lifetime)
    title = f"Give `{name}` a lifetime parameter `{lifetime}`"
    result = [inp.candidate(title, edits + impl_edits, score=0.6)]
    if param_edits:
        result.insert(
            0,
            inp.candidate(
                title + " (and borrow constructor arguments for it)",
                edits + impl_edits + param_edits,
                score=0.62,
            ),
        )
    return result


def _owned(type_text: str) -> tuple[str, str] | None:
    """An owned type for a reference type, with the conversion from the reference."""
    text = re.sub(r"^&\s*(?:'\w+\s+)?(?:mut\s+)?", "", type_text.strip())
    if not type_text.strip().startswith("&"):
        return None
    if text == "str":
        return "String", ".to_string()"
    slice_match = re.fullmatch(r"\[(.+)\]", text)
    if slice_match:
        return f"Vec<{slice_match.group(1)}>", ".to_vec()"
    if text in ("Path",):
        return "PathBuf", ".to_path_buf()"
    return text, ".clone()"


@edit_kind("owned-field")
def owned_field(inp: RecipeInput) -> list[Candidate]:
    """A reference field without a lifetime: own the data (`&str` → `String`).

    Struct literals that fill the field get the matching conversion.
    """
    ref = inp.file.enclosing(_named(inp), "reference_type")
    field = inp.file.enclosing(ref, "field_declaration")
    struct = inp.file.enclosing(field, "struct_item")
    if ref is None or field is None or struct is None:
        return []
    owned = _owned(inp.file.node_text(ref))
    field_name = field.child_by_field_name("name")
    struct_name = struct.child_by_field_name("name")
    if owned is None or field_name is None or struct_name is None:
        return []
    new_type, conversion = owned
    fname = inp.file.node_text(field_name)
    sname = inp.file.node_text(struct_name)
    edits = [inp.edit(inp.file.start(ref), inp.file.end(ref), new_type)]
    for lit in _struct_literals(inp.file, sname):
        body = lit.child_by_field_name("body")
        for init in body.named_children if body is not None else []:
            if init.type == "shorthand_field_initializer" and inp.file.node_text(init) == fname:
                at = inp.file.end(init)
                edits.append(inp.edit(at, at, f": {fname}{conversion}"))
            elif init.type == "field_initializer":
                key = init.child_by_field_name("field")
                value = init.child_by_field_name("value")
                if key is not None and value is not None and inp.file.node_text(key) == fname:
                    edits.extend(_convert_expr(inp, value, conversion))
    return [inp.candidate(f"Make `{sname}.{fname}` an owned `{new_type}`", edits, score=0.5)]


def _convert_expr(inp: RecipeInput, value: Node, conversion: str) -> list[Edit]:
    text = inp.file.node_text(value)
    if value.type == "reference_expression" and conversion == ".to_string()":
        inner = value.named_children[-1]
        start = inp.file.start(value)
        return [inp.edit(start, inp.file.end(value), f"{inp.file.node_text(inner)}{conversion}")]
    at = inp.file.end(value)
    if value.type in ("binary_expression", "range_expression", "unary_expression") or (
        value.type == "reference_expression"
    ):
        start = inp.file.start(value)
        return [inp.edit(start, at, f"({text}){conversion}")]
    return [inp.edit(at, at, conversion)]


def _struct_literals(file: SourceFile, name: str) -> list[Node]:
    """Struct expressions building `name` (or `Self` inside its impl blocks)."""
    result = []
    for node in file.walk():
        if node.type != "struct_expression":
            continue
        type_node = node.child_by_field_name("name")
        if type_node is None:
            continue
        written = _struct_name(file.node_text(type_node))
        if written == name:
            result.append(node)
        elif written == "Self":
            impl = file.enclosing(node, "impl_item")
            impl_type = impl.child_by_field_name("type") if impl is not None else None
            if impl_type is not None and _struct_name(file.node_text(impl_type)) == name:
                result.append(node)
    return result


def _block_tail(file: SourceFile, block: Node) -> Node | None:
    """The value a `{ ... }` block ends with, if any."""
    named = [c for c in block.named_children if c.type not in ("line_comment", "block_comment")]
    if not named:
        return None
    tail = named[-1]
    if tail.type == "expression_statement":
        text = file.node_text(tail).rstrip()
        return tail.named_children[0] if tail.named_children and not text.endswith(";") else None
    if tail.type == "let_declaration" or tail.type.endswith("_item"):
        return None
    return tail


def _leaf_values(file: SourceFile, node: Node | None) -> list[Node]:
    """The expressions that produce a value: through `if`/`match` branches and blocks."""
    if node is None:
        return []
    if node.type == "block":
        return _leaf_values(file, _block_tail(file, node))
    if node.type == "if_expression":
        leaves = _leaf_values(file, node.child_by_field_name("consequence"))
        alternative = node.child_by_field_name("alternative")
        if alternative is not None and alternative.named_children:
            leaves += _leaf_values(file, alternative.named_children[0])
        return leaves
    if node.type == "match_expression":
        body = node.child_by_field_name("body")
        leaves = []
        for arm in body.named_children if body is not None else []:
            if arm.type == "match_arm":
                leaves += _leaf_values(file, arm.child_by_field_name("value"))
        return leaves
    if node.type in ("return_expression", "macro_invocation") and file.node_text(node).startswith(
        ("return", "panic!", "todo!", "unreachable!", "unimplemented!")
    ):
        return []
    return [node]


def _returned_exprs(file: SourceFile, body: Node) -> list[Node]:
    """The values a fn body returns: its tail and `return` values (not those of closures)."""
    result = _leaf_values(file, body)
    for node in file.walk(body):
        if (
            node.type == "return_expression"
            and node.named_children
            and file.enclosing(node, "closure_expression", "function_item") == body.parent
        ):
            result += _leaf_values(file, node.named_children[0])
    return result


@edit_kind("owned-return-type")
def owned_return_type(inp: RecipeInput) -> list[Candidate]:
    """A returned reference with nothing to borrow from: return an owned value."""
    fn = inp.file.enclosing(_named(inp), "function_item")
    ret = fn.child_by_field_name("return_type") if fn is not None else None
    body = fn.child_by_field_name("body") if fn is not None else None
    if ret is None or body is None or ret.type != "reference_type":
        return []
    owned = _owned(inp.file.node_text(ret))
    if owned is None:
        return []
    new_type, conversion = owned
    returned = _returned_exprs(inp.file, body)
    if not returned:
        return []
    # rustc suggests `&'static`, which only holds for literals; for anything
    # else it swaps this error for E0515, so the owned return goes first.
    literal = ("string_literal", "raw_string_literal")
    score = 0.5 if all(e.type in literal for e in returned) else CONFIDENT
    result = []
    for strip_refs in (True, False):
        edits = [inp.edit(inp.file.start(ret), inp.file.end(ret), new_type)]
        for expr in returned:
            inner = expr.named_children[-1] if expr.named_children else None
            viewed = re.fullmatch(r"(\w+)\.as_(?:str|slice|path)\(\)", inp.file.node_text(expr))
            if strip_refs and viewed:
                # `s.as_str()` of a local `String`: return `s` itself.
                edits.append(inp.edit(inp.file.start(expr), inp.file.end(expr), viewed.group(1)))
            elif (
                strip_refs
                and expr.type == "reference_expression"
                and inner is not None
                and inner.type == "identifier"
            ):
                edits.append(inp.edit(inp.file.start(expr), inp.file.start(inner), ""))
            else:
                edits.extend(_convert_expr(inp, expr, conversion))
        result.append(
            inp.candidate(f"Return an owned `{new_type}` instead of a reference", edits, score)
        )
        score -= 0.01
    return result


# --- async, unsafe, bindings ---------------------------------------------------------


@edit_kind("make-fn-async")
def make_fn_async(inp: RecipeInput) -> list[Candidate]:
    """`.await` in a sync fn: make it `async`, and await it where async callers call it."""
    fn = inp.file.enclosing(_named(inp), "function_item", "closure_expression")
    if fn is None or fn.type != "function_item":
        return []
    name_node = fn.child_by_field_name("name")
    fn_kw = _child(fn, "fn")
    if name_node is None or fn_kw is None:
        return []
    name = inp.file.node_text(name_node)
    if name == "main":
        return []
    modifiers = _child(fn, "function_modifiers")
    if modifiers is not None and "async" in inp.file.node_text(modifiers):
        return []
    at = inp.file.start(modifiers) if modifiers is not None else inp.file.start(fn_kw)
    edits = [inp.edit(at, at, "async ")]
    for path in rust_files(inp.ctx.workspace_root, limit=500):
        source = inp.source(path)
        if source is None or name not in source.text:
            continue
        for end in _call_ends(source, name):
            caller = source.enclosing(source.node_at(end - 1, end), "function_item")
            caller_mods = _child(caller, "function_modifiers")
            if caller is fn or caller_mods is None or "async" not in source.node_text(caller_mods):
                continue
            if source.text[end : end + 6] != ".await":
                edits.append(Edit(source.path, end, end, ".await"))
    return [inp.candidate(f"Make `{name}` an `async fn`", edits, score=0.6)]


def _call_ends(source: SourceFile, name: str) -> Iterator[int]:
    """Where calls of `name` end, also inside macro arguments (`format!("{}", f(x))`)."""
    for node in source.walk():
        if node.type == "call_expression":
            function = node.child_by_field_name("function")
            if function is not None and re.split(r"::|\.", source.node_text(function))[-1] == name:
                yield source.end(node)
        elif node.type == "identifier" and node.parent is not None:
            following = node.next_sibling
            if (
                node.parent.type == "token_tree"
                and source.node_text(node) == name
                and following is not None
                and following.type == "token_tree"
                and source.node_text(following).startswith("(")
            ):
                yield source.end(following)


@edit_kind("wrap-unsafe")
def wrap_unsafe(inp: RecipeInput) -> list[Candidate]:
    """An unsafe operation in safe code: wrap exactly that expression in `unsafe { }`."""
    text = inp.span_text
    if not text.strip() or len(text) > 400:
        return []
    node = _named(inp)
    if inp.file.enclosing(node, "unsafe_block") is not None:
        return []
    start, end = inp.start, inp.end
    parent = node.parent
    # A `static mut` written to: the whole assignment goes in the block.
    if (
        parent is not None
        and parent.type in ("assignment_expression", "compound_assignment_expr")
        and parent.child_by_field_name("left") == node
    ):
        start, end = inp.file.start(parent), inp.file.end(parent)
        text = inp.file.text[start:end]
        statement = parent.parent
        if statement is not None and statement.type == "expression_statement":
            start, end = inp.file.start(statement), inp.file.end(statement)
            text = inp.file.text[start:end]
            return [inp.candidate(None, [inp.edit(start, end, f"unsafe {{ {text} }}")], 0.6)]
    return [inp.candidate(None, [inp.edit(start, end, f"unsafe {{ {text} }}")], 0.6)]


_ZERO_TYPES = {
    **dict.fromkeys(
        ("i8", "i16", "i32", "i64", "i128", "isize", "u8", "u16", "u32", "u64", "u128", "usize"),
        "0",
    ),
    "f32": "0.0",
    "f64": "0.0",
    "bool": "false",
    "char": "' '",
    "String": "String::new()",
    "&str": '""',
    "&'static str": '""',
}


def _default_value(type_text: str | None) -> list[str]:
    if type_text is None:
        return ["Default::default()"]
    compact = type_text.strip()
    if compact in _ZERO_TYPES:
        return [_ZERO_TYPES[compact]]
    if compact.startswith("Option<"):
        return ["None"]
    if re.match(r"(?:Vec|HashMap|HashSet|BTreeMap|BTreeSet|VecDeque)\b", compact):
        return [f"{compact.split('<')[0]}::new()", "Default::default()"]
    return ["Default::default()"]


@edit_kind("init-binding")
def init_binding(inp: RecipeInput) -> list[Candidate]:
    """A binding read before it is surely assigned: give it a default value at `let`.

    Later assignments then need `let mut`.
    """
    name = inp.captures["name"]
    declared = _located(inp, "binding declared here")
    let: Node | None = None
    if declared:
        path, start, end = declared[0]
        if path == inp.path:
            let = inp.file.enclosing(inp.file.node_at(start, end), "let_declaration")
    if let is None or let.child_by_field_name("value") is not None:
        return []
    pattern = let.child_by_field_name("pattern")
    type_node = let.child_by_field_name("type")
    if pattern is None or pattern.type != "identifier":
        return []
    block = inp.file.enclosing(let, "block")
    after = inp.file.text[inp.file.end(let) : inp.file.end(block) if block else len(inp.file.text)]
    assigned = re.search(
        rf"(?<![\w.]){re.escape(name)}\s*(?:(?:[-+*/%|&^]|<<|>>)?=(?!=)|\.\s*\w+\s*\()", after
    )
    edits_mut = (
        [inp.edit(inp.file.start(pattern), inp.file.start(pattern), "mut ")]
        if assigned and _child(let, "mutable_specifier") is None
        else []
    )
    at = inp.file.end(type_node) if type_node is not None else inp.file.end(pattern)
    result = []
    values = _default_value(inp.file.node_text(type_node) if type_node is not None else None)
    for value in values[:2]:
        edits = [*edits_mut, inp.edit(at, at, f" = {value}")]
        result.append(inp.candidate(f"Initialize `{name}` with `{value}`", edits, score=0.55))
    return result


# --- types and values -----------------------------------------------------------------


def _marker_type(file: SourceFile, struct: Node, body: Node, param: str) -> str:
    """`PhantomData<T>`, or of a tuple of every parameter no field mentions."""
    params = struct.child_by_field_name("type_parameters")
    fields = file.node_text(body)
    unused = []
    for child in params.named_children if params is not None else []:
        if child.type == "const_parameter":
            continue
        name = child.child_by_field_name("name") or child
        text = file.node_text(name).split(":")[0].strip()
        if text and not re.search(rf"(?<![\w']){re.escape(text)}\b", fields):
            unused.append(f"&{text} ()" if text.startswith("'") else text)
    if param not in file.node_text(params or struct) or len(unused) < 2:
        unused = [f"&{param} ()" if param.startswith("'") else param]
    inner = unused[0] if len(unused) == 1 else f"({', '.join(unused)})"
    return f"PhantomData<{inner}>"


@edit_kind("phantom-data")
def phantom_data(inp: RecipeInput) -> list[Candidate]:
    """An unused type or lifetime parameter: hold it in a `PhantomData` field.

    Struct literals of the type get `_marker: PhantomData` too.
    """
    param = inp.captures["param"]
    struct = inp.file.enclosing(_named(inp), "struct_item")
    name_node = struct.child_by_field_name("name") if struct is not None else None
    body = struct.child_by_field_name("body") if struct is not None else None
    if struct is None or name_node is None or body is None:
        return []
    if body.type != "field_declaration_list":
        return []
    marker = _marker_type(inp.file, struct, body, param)
    field_edits = append_fields(inp.file, body, [f"_marker: {marker}"])
    if not field_edits:
        return []
    edits = list(field_edits)
    if not re.search(r"\buse\s+std::marker::(?:PhantomData|\{[^}]*PhantomData)", inp.file.text):
        edits.append(use_edit(inp.file, inp.file.start(struct), "std::marker::PhantomData"))
    sname = inp.file.node_text(name_node)
    for path in rust_files(inp.ctx.workspace_root, limit=500):
        source = inp.source(path)
        if source is None or sname not in source.text:
            continue
        for lit in _struct_literals(source, sname):
            lit_body = lit.child_by_field_name("body")
            if lit_body is None or any(
                c.type == "base_field_initializer" for c in lit_body.named_children
            ):
                continue
            edits.extend(append_fields(source, lit_body, ["_marker: PhantomData"]) or [])
    return [inp.candidate(None, edits, score=0.6)]


#: std types whose empty value is `T::new()`.
_STD_NEW = {
    "String", "Vec", "HashMap", "HashSet", "BTreeMap", "BTreeSet", "VecDeque", "BinaryHeap",
    "PathBuf", "OsString",
}  # fmt: skip


@edit_kind("value-from-struct")
def value_from_struct(inp: RecipeInput) -> list[Candidate]:
    """A struct's name used as a value: call its constructor, its `Default`, or a literal."""
    name = _struct_name(inp.captures["name"])
    node = _named(inp)
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
            inp.candidate(
                f"Call `{written}::new()`",
                [inp.edit(inp.start, inp.end, f"{written}::new()")],
                0.6,
            )
        )
    if _derives_default(source, item, name):
        result.append(
            inp.candidate(
                f"Use `{written}::default()`",
                [inp.edit(inp.start, inp.end, f"{written}::default()")],
                0.55,
            )
        )
    fields = source.struct_fields(item)
    if fields:
        literal = ", ".join(f"{f}: Default::default()" for f, _ in fields)
        result.append(
            inp.candidate(
                f"Build `{written}` with a struct literal",
                [inp.edit(inp.start, inp.end, f"{written} {{ {literal} }}")],
                0.4,
            )
        )
    return result


@edit_kind("fn-to-closure")
def fn_to_closure(inp: RecipeInput) -> list[Candidate]:
    """A nested `fn` reading a local: turn it into a closure, which can capture."""
    fn = inp.file.enclosing(_named(inp), "function_item")
    if fn is None or fn.parent is None or fn.parent.type != "block":
        return []
    name = fn.child_by_field_name("name")
    params = fn.child_by_field_name("parameters")
    body = fn.child_by_field_name("body")
    ret = fn.child_by_field_name("return_type")
    if name is None or params is None or body is None:
        return []
    if fn.child_by_field_name("type_parameters") is not None:
        return []
    inner = inp.file.node_text(params)[1:-1].strip().rstrip(",")
    arrow = f" -> {inp.file.node_text(ret)}" if ret is not None else ""
    fname = inp.file.node_text(name)
    text = f"let {fname} = |{inner}|{arrow} {inp.file.node_text(body)};"
    edit = inp.edit(inp.file.start(fn), inp.file.end(fn), text)
    return [inp.candidate(f"Turn `fn {fname}` into a closure that captures", [edit], 0.6)]


@edit_kind("drop-call-args")
def drop_call_args(inp: RecipeInput) -> list[Candidate]:
    """A unit variant or unit struct called like a function: drop the call."""
    call = inp.file.enclosing(_named(inp), "call_expression")
    function = call.child_by_field_name("function") if call is not None else None
    if call is None or function is None:
        return []
    written = inp.file.node_text(function)
    defined = inp.captures.get("defined", "")
    if defined and written.split("::")[-1] != defined.split("::")[-1]:
        return []
    args = call.child_by_field_name("arguments")
    if args is None:
        return []
    edit = inp.edit(inp.file.end(function), inp.file.end(call), "")
    return [inp.candidate(f"Use `{written}` without a call", [edit], 0.55)]


def _divergent_exits(file: SourceFile, node: Node) -> list[str]:
    """Ways to leave the current code path here: return/continue by context, then `todo!()`."""
    exits = []
    fn = file.enclosing(node, "function_item", "closure_expression")
    ret = fn.child_by_field_name("return_type") if fn is not None else None
    ret_text = file.node_text(ret) if ret is not None else ""
    if fn is not None and fn.type == "function_item":
        name = fn.child_by_field_name("name")
        is_main = name is not None and file.node_text(name) == "main"
        if ret is None or ret_text == "()":
            exits.append("return;")
        elif ret_text.startswith("Option<"):
            exits.append("return None;")
        elif ret_text.startswith("Vec<"):
            exits.append("return Vec::new();")
        elif ret_text == "bool":
            exits.append("return false;")
        elif is_main is False and ret_text in ("String",):
            exits.append("return String::new();")
    loop = file.enclosing(
        node, "for_expression", "while_expression", "loop_expression", "function_item"
    )
    if loop is not None and loop.type != "function_item":
        exits.insert(0, "continue;")
    exits.append("todo!()")
    return exits


@edit_kind("let-else")
def let_else(inp: RecipeInput) -> list[Candidate]:
    """A refutable pattern in `let`: add an `else` branch that leaves (`let ... else`)."""
    let = inp.file.enclosing(_named(inp), "let_declaration")
    if let is None or let.child_by_field_name("value") is None:
        return []
    if any(c.type == "else" or c.type == "block" for c in let.children):
        return []
    value = let.child_by_field_name("value")
    assert value is not None
    at = inp.file.end(value)
    result = []
    for index, exit_ in enumerate(_divergent_exits(inp.file, let)[:3]):
        edit = inp.edit(at, at, f" else {{ {exit_} }}")
        score = 0.35 if exit_ == "todo!()" else 0.55 - 0.05 * index
        result.append(inp.candidate(f"Add `else {{ {exit_} }}` to the `let`", [edit], score))
    return result


@edit_kind("hoist-binding-out")
def hoist_binding_out(inp: RecipeInput) -> list[Candidate]:
    """A binding used after the block that declares it: declare it before that block.

    `if c { let x = f(); } use(x)` → `let mut x = Default::default(); if c { x = f(); } use(x)`.
    """
    name = inp.captures["name"]
    located = _located(inp, "available in a different scope")
    if not located or located[0][0] != inp.path:
        return []
    _, start, end = located[0]
    let = inp.file.enclosing(inp.file.node_at(start, end), "let_declaration")
    pattern = let.child_by_field_name("pattern") if let is not None else None
    value = let.child_by_field_name("value") if let is not None else None
    if let is None or pattern is None or value is None or pattern.type != "identifier":
        return []
    use_block = inp.file.enclosing(_named(inp), "block")
    if use_block is None:
        return []
    # The statement of the using block that holds the declaring block.
    holder: Node | None = let
    while holder is not None and holder.parent != use_block:
        holder = holder.parent
    if holder is None or holder == let:
        return []
    type_node = let.child_by_field_name("type")
    annotation = f": {inp.file.node_text(type_node)}" if type_node is not None else ""
    indent = inp.file.indent_at(inp.file.start(holder))
    values = _default_value(inp.file.node_text(type_node) if type_node is not None else None)
    result = []
    for default in values[:2]:
        edits = [
            inp.edit(
                inp.file.start(holder),
                inp.file.start(holder),
                f"let mut {name}{annotation} = {default};\n{indent}",
            ),
            inp.edit(inp.file.start(let), inp.file.start(value), f"{name} = "),
        ]
        result.append(inp.candidate(f"Declare `{name}` before the block that sets it", edits, 0.5))
    return result


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
    node = _named(inp)
    head = re.match(r"[\w:]+", inp.span_text)
    if head is None:
        return []
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
    return [
        inp.candidate(f"Use `{name}`", [inp.edit(inp.start, inp.end, name)], 0.5)
        for name in found[:3]
    ]


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
        if not _module_files(inp, (*module, name)) or _mod_declaration(inp, module, name):
            continue
        homes = [inp.source(p) for p in _module_files(inp, module)]
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


@edit_kind("add-main")
def add_main(inp: RecipeInput) -> list[Candidate]:
    """A binary crate without `fn main`: add an empty one at the end of the file."""
    if inp.file.function("main") is not None:
        return []
    text = inp.file.text
    lead = "" if text.endswith("\n\n") or not text else ("\n" if text.endswith("\n") else "\n\n")
    edit = inp.edit(len(text), len(text), f"{lead}fn main() {{}}\n")
    return [inp.candidate(None, [edit], score=0.5)]


@edit_kind("impl-generics")
def impl_generics(inp: RecipeInput) -> list[Candidate]:
    """`impl Stack {` for `struct Stack<T>`: `impl<T> Stack<T> {`, bounds copied from the struct."""
    node = _named(inp)
    impl = inp.file.enclosing(node, "impl_item")
    type_node = impl.child_by_field_name("type") if impl is not None else None
    if impl is None or type_node is None:
        return []
    if impl.child_by_field_name("type_parameters") is not None:
        return []
    # Either the type itself (E0107), or a parameter of it used inside (E0425 `T`).
    used_param = inp.captures.get("param")
    if used_param is None and inp.file.node_text(type_node) != inp.span_text:
        return []
    type_name = inp.file.node_text(type_node)
    if "<" in type_name:
        return []
    found = inp.find_type(type_name.split("::")[-1])
    if found is None:
        return []
    source, item = found
    assert isinstance(item, Node)
    params = item.child_by_field_name("type_parameters")
    if params is None:
        return []
    declared, names = [], []
    for param in params.named_children:
        text = source.node_text(param)
        # Defaults (`T = u8`) belong to the type only; bounds are needed on the impl too.
        declared.append(re.sub(r"\s*=\s*[^,>]+$", "", text))
        name = re.sub(r"^const\s+", "", text).split(":")[0].split("=")[0].strip()
        names.append(name)
    if not names or (used_param is not None and used_param not in names):
        return []
    keyword = re.search(r"\bimpl\b", inp.file.node_text(impl))
    if keyword is None:
        return []
    at = inp.file.start(impl) + keyword.end()
    edits = [
        inp.edit(at, at, f"<{', '.join(declared)}>"),
        inp.edit(inp.file.end(type_node), inp.file.end(type_node), f"<{', '.join(names)}>"),
    ]
    title = f"Declare the generic parameters: `impl<{', '.join(declared)}>`"
    # For a parameter name, rustc's "similar name" is some unrelated local.
    return [inp.candidate(title, edits, score=CONFIDENT if used_param else 0.6)]
