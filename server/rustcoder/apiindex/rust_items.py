"""Read one crate's items from its sources with tree-sitter-rust.

A crate is walked from its lib target through `mod` declarations (file
modules, simple `#[path]`, inline modules) and the items of gating macros
(`cfg_time! { .. }`). Definitions, `use` declarations, members of types and
traits, and impls are recorded as they are written; `public_paths` resolves
them afterwards. Feature gates are inherited from enclosing modules, impls,
traits and gating macros. Items created by other macros are not seen.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import tree_sitter
import tree_sitter_rust

from rustcoder.apiindex.api_items import ApiItem, Child, Def, ModuleInfo, Use
from rustcoder.apiindex.cfg_gates import MAX_FILES, attribute_features, gating_macros, merge_gates

#: Item node -> kind recorded in the index.
ITEM_KINDS = {
    "function_item": "fn",
    "function_signature_item": "fn",
    "struct_item": "struct",
    "enum_item": "enum",
    "union_item": "union",
    "trait_item": "trait",
    "const_item": "const",
    "static_item": "static",
    "type_item": "type",
}
TYPE_KINDS = ("struct", "enum", "union", "trait", "type")


@functools.cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_rust.language()))


def _text(node: tree_sitter.Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", errors="replace")


def _squash(text: str) -> str:
    return (
        re.sub(r"\s+", " ", text).strip().replace("( ", "(").replace(" )", ")").replace(" ,", ",")
    )


def _preceding(node: tree_sitter.Node) -> tuple[list[str], str]:
    """Attributes and the first doc line written just above `node`."""
    attrs: list[str] = []
    docs: list[str] = []
    sib = node.prev_sibling
    while sib is not None and sib.type in ("attribute_item", "line_comment", "block_comment"):
        text = _text(sib)
        if sib.type == "attribute_item":
            attrs.append(text)
        elif text.startswith("///") and not text.startswith("////"):
            docs.append(text[3:].strip())
        elif text.startswith("/**"):
            docs.append(text[3:].removesuffix("*/").strip(" *\n"))
        sib = sib.prev_sibling
    docs.reverse()
    attrs.reverse()
    first = next((line for d in docs for line in d.splitlines() if line.strip()), "")
    return attrs, first.strip().lstrip("* ").strip()


def _is_pub(node: tree_sitter.Node) -> bool:
    for child in node.children:
        if child.type == "visibility_modifier":
            return _text(child).replace(" ", "") == "pub"
    return False


def _signature(node: tree_sitter.Node) -> str:
    """The item's text without its body, visibility and attributes."""
    end = node.end_byte
    body = node.child_by_field_name("body")
    if body is not None:
        end = body.start_byte
    elif node.type in ("const_item", "static_item"):
        value = node.child_by_field_name("value")
        if value is not None:
            end = value.start_byte
    start = node.start_byte
    for child in node.children:
        if child.type == "visibility_modifier":
            start = child.end_byte
            break
    assert node.text is not None
    text = node.text[start - node.start_byte : end - node.start_byte].decode("utf-8", "replace")
    return _squash(text).rstrip("=;{ ,").strip()


def _receiver(node: tree_sitter.Node) -> str | None:
    params = node.child_by_field_name("parameters")
    if params is None:
        return None
    for child in params.named_children:
        if child.type == "self_parameter":
            return _squash(_text(child))
        if child.type == "parameter":
            text = _squash(_text(child))
            if text.startswith(("self", "mut self")):
                return text
        if child.type not in ("attribute_item", "line_comment", "block_comment"):
            return None
    return None


def _type_path(node: tree_sitter.Node | None) -> tuple[str, ...]:
    """`Foo<T>`, `&'a mod::Foo`, `crate::Foo` -> its path segments without generics."""
    text = _text(node)
    text = re.sub(r"<.*", "", text, flags=re.S).strip().lstrip("&").strip()
    text = re.sub(r"^('\w+\s+)?(mut\s+)?(dyn\s+)?", "", text).strip()
    return tuple(s for s in text.split("::") if s)


def expand_use(text: str) -> list[tuple[tuple[str, ...], str | None]]:
    """`a::{b as c, d::*}` -> [((a, b), c), ((a, d), None)]; None alias marks a glob."""
    text = re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.S)
    text = re.sub(r"\s+", "", text).removeprefix("::")

    def split_top(s: str) -> list[str]:
        parts, depth, cur = [], 0, ""
        for ch in s:
            depth += {"{": 1, "}": -1}.get(ch, 0)
            if ch == "," and depth == 0:
                parts.append(cur)
                cur = ""
            else:
                cur += ch
        parts.append(cur)
        return [p for p in parts if p]

    def walk(prefix: tuple[str, ...], s: str) -> Iterator[tuple[tuple[str, ...], str | None]]:
        brace = s.find("{")
        if brace >= 0 and s.endswith("}"):
            head = tuple(p for p in s[:brace].split("::") if p)
            for part in split_top(s[brace + 1 : -1]):
                yield from walk(prefix + head, part)
            return
        if s.endswith("*"):
            yield prefix + tuple(p for p in s[:-1].split("::") if p), None
            return
        alias = None
        if "as" in s and re.search(r"[\w}]as[A-Za-z_]", s):
            # whitespace is gone: split on the last `as` that separates two names
            match = re.match(r"(.*[\w}])as([A-Za-z_]\w*)$", s)
            if match:
                s, alias = match.group(1), match.group(2)
        segs = prefix + tuple(p for p in s.split("::") if p)
        if segs and segs[-1] == "self":
            segs = segs[:-1]
        if segs:
            yield segs, alias or segs[-1]

    return list(walk((), text))


def _inner_doc(root: tree_sitter.Node) -> str:
    """The first line of a file's `//!` docs."""
    for child in root.children:
        text = _text(child)
        if child.type == "line_comment" and text.startswith("//!"):
            if text[3:].strip():
                return text[3:].strip()
        elif child.type not in ("line_comment", "block_comment", "inner_attribute_item"):
            break
    return ""


@dataclass(frozen=True)
class Scope:
    """Where items being read sit: their module, file, gate and line offset."""

    module: tuple[str, ...]
    file: Path
    child_dir: Path  # where `mod x;` looks for x.rs / x/mod.rs
    features: tuple[str, ...]
    line_offset: int = 0  # for items re-parsed out of a macro's token tree

    def line(self, node: tree_sitter.Node) -> int:
        return node.start_point[0] + 1 + self.line_offset

    def gated(self, attrs: list[str]) -> tuple[str, ...]:
        return merge_gates(self.features, *(attribute_features(a) for a in attrs))


@dataclass(frozen=True)
class Above:
    """What is written above an item: its attributes, first doc line and gate."""

    attrs: list[str]
    doc: str
    gate: tuple[str, ...]


class CrateWalker:
    """Reads a crate's modules and records definitions, uses, members and impls."""

    def __init__(self, crate: str, lib: Path, root: Path) -> None:
        self.crate = crate
        self.lib = lib
        self.root = root
        self.gates = gating_macros(lib.parent)
        self.modules: dict[tuple[str, ...], ModuleInfo] = {}
        self.defs: list[Def] = []
        self.uses: list[Use] = []
        self.children: list[Child] = []
        self.impls: list[tuple[tuple[str, ...], tuple[str, ...], str, bool]] = []
        self.files = 0
        self.seen_files: set[Path] = set()

    def rel(self, file: Path) -> str:
        try:
            return str(file.relative_to(self.root))
        except ValueError:
            return str(file)

    def run(self) -> None:
        self.read_file_module((self.crate,), self.lib, True, (), mod_rs=True)

    def read_file_module(
        self, path: tuple[str, ...], file: Path, pub: bool, features: tuple[str, ...], mod_rs: bool
    ) -> None:
        file = file.resolve()
        if file in self.seen_files or self.files >= MAX_FILES:
            return
        self.seen_files.add(file)
        try:
            data = file.read_bytes()
        except OSError:
            return
        self.files += 1
        tree = _parser().parse(data)
        self.modules[path] = ModuleInfo(path, pub, file, _inner_doc(tree.root_node), features)
        child_dir = file.parent if mod_rs else file.parent / file.stem
        self.walk_items(tree.root_node, Scope(path, file, child_dir, features))

    def walk_items(self, container: tree_sitter.Node, scope: Scope) -> None:
        for node in container.named_children:
            kind = node.type
            if kind in ("line_comment", "block_comment", "attribute_item"):
                continue
            attrs, doc = _preceding(node)
            gate = scope.gated(attrs)
            above = Above(attrs, doc, gate)
            if kind == "mod_item":
                self.read_mod(node, scope, above)
            elif kind == "use_declaration":
                arg = node.child_by_field_name("argument")
                for target, alias in expand_use(_text(arg)):
                    self.uses.append(Use(scope.module, alias, target, _is_pub(node), gate))
            elif kind == "impl_item":
                self.read_impl(node, scope, gate)
            elif kind == "macro_definition":
                if any("macro_export" in a for a in attrs):
                    name = _text(node.child_by_field_name("name"))
                    sig = f"macro_rules! {name}"
                    item = self.item(scope, node, name, "macro", sig, gate, doc, root=True)
                    self.defs.append(Def(scope.module[:1], item, True))
            elif kind == "macro_invocation":
                self.read_gated_block(node, scope, gate)
            elif kind in ITEM_KINDS:
                self.read_item(node, scope, above)

    def item(
        self,
        scope: Scope,
        node: tree_sitter.Node,
        name: str,
        kind: str,
        signature: str,
        features: tuple[str, ...],
        doc: str,
        root: bool = False,
        receiver: str | None = None,
        trait: str | None = None,
    ) -> ApiItem:
        module = scope.module[:1] if root else scope.module
        return ApiItem(
            path="::".join((*module, name)),
            name=name,
            kind=kind,
            signature=signature,
            receiver=receiver,
            trait=trait,
            features=features,
            doc=doc,
            file=self.rel(scope.file),
            line=scope.line(node),
        )

    def read_item(self, node: tree_sitter.Node, scope: Scope, above: Above) -> None:
        attrs, doc, gate = above.attrs, above.doc, above.gate
        kind = ITEM_KINDS[node.type]
        name = _text(node.child_by_field_name("name"))
        if not name:
            return
        if kind == "fn" and any("proc_macro" in a for a in attrs):
            self.read_proc_macro(node, scope, name, above)
            return
        receiver = _receiver(node) if kind == "fn" else None
        item = self.item(scope, node, name, kind, _signature(node), gate, doc, receiver=receiver)
        self.defs.append(Def(scope.module, item, _is_pub(node)))
        own = (*scope.module, name)
        for attr in attrs:
            compact = attr.replace(" ", "")
            if compact.startswith("#[derive("):
                for trait in compact[len("#[derive(") :].rstrip(")]").split(","):
                    if trait:
                        self.impls.append((scope.module, own, trait.split("::")[-1], True))
        body = node.child_by_field_name("body")
        if body is None:
            return
        if kind == "trait":
            self.read_assoc(body, scope, own, gate, None, in_trait_def=True)
        elif kind == "enum":
            self.read_members(body, scope, own, gate, "enum_variant")
        elif kind in ("struct", "union") and body.type == "field_declaration_list":
            self.read_members(body, scope, own, gate, "field_declaration")

    def read_members(
        self,
        body: tree_sitter.Node,
        scope: Scope,
        owner: tuple[str, ...],
        gate: tuple[str, ...],
        node_type: str,
    ) -> None:
        """Enum variants, or the pub fields of a struct or union."""
        for node in body.named_children:
            if node.type != node_type:
                continue
            is_field = node_type == "field_declaration"
            if is_field and not _is_pub(node):
                continue
            attrs, doc = _preceding(node)
            name = _text(node.child_by_field_name("name"))
            if is_field:
                kind, sig = "field", f"{name}: {_squash(_text(node.child_by_field_name('type')))}"
            else:
                kind, sig = "variant", _squash(_text(node))
            item = self.item(
                scope, node, name, kind, sig, merge_gates(gate, scope.gated(attrs)), doc
            )
            self.children.append(Child(scope.module, owner, item))

    def read_proc_macro(
        self, node: tree_sitter.Node, scope: Scope, name: str, above: Above
    ) -> None:
        for attr in above.attrs:
            compact = attr.replace(" ", "")
            if compact.startswith("#[proc_macro_derive("):
                derive = re.split(r"[,)]", compact[len("#[proc_macro_derive(") :])[0]
                name, kind, sig = derive, "derive", f"#[derive({derive})]"
            elif compact.startswith("#[proc_macro_attribute"):
                kind, sig = "attribute", f"#[{name}]"
            elif compact.startswith("#[proc_macro]"):
                kind, sig = "macro", f"{name}!(..)"
            else:
                continue
            item = self.item(scope, node, name, kind, sig, above.gate, above.doc, root=True)
            self.defs.append(Def(scope.module[:1], item, True))
            return

    def read_assoc(
        self,
        body: tree_sitter.Node,
        scope: Scope,
        owner: tuple[str, ...],
        gate: tuple[str, ...],
        trait: str | None,
        in_trait_def: bool = False,
    ) -> None:
        for node in body.named_children:
            kind = "type" if node.type == "associated_type" else ITEM_KINDS.get(node.type)
            if kind is None:
                continue
            if not (in_trait_def or trait is not None or _is_pub(node)):
                continue
            attrs, doc = _preceding(node)
            name = _text(node.child_by_field_name("name"))
            if not name:
                continue
            item = self.item(
                scope,
                node,
                name,
                "method" if kind == "fn" else f"assoc_{kind}",
                _signature(node),
                merge_gates(gate, scope.gated(attrs)),
                doc,
                receiver=_receiver(node) if kind == "fn" else None,
                trait=trait,
            )
            self.children.append(Child(scope.module, owner, item, in_trait_def))

    def read_impl(self, node: tree_sitter.Node, scope: Scope, gate: tuple[str, ...]) -> None:
        owner = _type_path(node.child_by_field_name("type"))
        if not owner or not re.match(r"^[A-Za-z_$]", owner[0]):
            return
        trait_node = node.child_by_field_name("trait")
        trait = None
        if trait_node is not None:
            trait = _text(trait_node).split("<")[0].split("::")[-1].strip() or None
        if trait:
            self.impls.append((scope.module, owner, trait, False))
        body = node.child_by_field_name("body")
        if body is not None:
            self.read_assoc(body, scope, owner, gate, trait)

    def read_mod(self, node: tree_sitter.Node, scope: Scope, above: Above) -> None:
        attrs, doc, gate = above.attrs, above.doc, above.gate
        name = _text(node.child_by_field_name("name"))
        path = (*scope.module, name)
        pub = _is_pub(node)
        body = node.child_by_field_name("body")
        if body is not None:
            self.modules[path] = ModuleInfo(path, pub, scope.file, doc, gate)
            inline = Scope(path, scope.file, scope.child_dir / name, gate, scope.line_offset)
            self.walk_items(body, inline)
            return
        for attr in attrs:
            match = re.match(r'#\[\s*path\s*=\s*"([^"]+)"\s*\]', attr)
            if match:
                # a #[path] file is read like a mod.rs: its own modules sit beside it
                target = scope.file.parent / match.group(1)
                if target.is_file():
                    self.read_file_module(path, target, pub, gate, mod_rs=True)
                return
        for candidate in (scope.child_dir / f"{name}.rs", scope.child_dir / name / "mod.rs"):
            if candidate.is_file():
                self.read_file_module(path, candidate, pub, gate, candidate.name == "mod.rs")
                return

    def read_gated_block(self, node: tree_sitter.Node, scope: Scope, gate: tuple[str, ...]) -> None:
        """`cfg_time! { pub mod time; }`: the items inside, gated by the macro's feature."""
        macro = _text(node.child_by_field_name("macro")).split("::")[-1]
        if macro not in self.gates:
            return
        tree_node = next((c for c in node.named_children if c.type == "token_tree"), None)
        if tree_node is None or tree_node.text is None:
            return
        sub = _parser().parse(tree_node.text[1:-1])
        inner = Scope(
            scope.module,
            scope.file,
            scope.child_dir,
            merge_gates(gate, self.gates[macro]),
            scope.line_offset + tree_node.start_point[0],
        )
        self.walk_items(sub.root_node, inner)
