"""The public API of one crate, read from its sources with tree-sitter-rust.

A crate is walked from its lib target through `mod` declarations (file
modules, simple `#[path]`, inline modules). Definitions are recorded at their
canonical path; `use` declarations are resolved after the walk (globs
included) so that each item appears under every public path a user can write,
e.g. `chrono::Duration` for `chrono::oldtime::Duration`. Methods, associated
items, enum variants and pub fields hang off their type and are listed under
each public path of it.

Feature gates come from `#[cfg(feature = "..")]`, `#[cfg_attr(docsrs,
doc(cfg(feature = "..")))]` and from gating macros such as tokio's
`cfg_time! { .. }` whose `macro_rules!` body carries the `#[cfg]`. Gates are
inherited from enclosing modules, impls and traits. `any(a, b)` is recorded
as one gate `a|b`; `not(..)` and non-feature cfgs are ignored. Items created
by other macros are not seen (see the package docstring).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

import tree_sitter
import tree_sitter_rust

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
MAX_FILES = 5000
_FEATURE_RE = re.compile(r'feature\s*=\s*"([^"]+)"')
_MACRO_DEF_RE = re.compile(r"macro_rules!\s*(\w+)\s*\{")


@functools.cache
def _parser() -> tree_sitter.Parser:
    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_rust.language()))


@dataclass(frozen=True)
class ApiItem:
    """One name a user can write: `path` is where it is reachable from."""

    path: str
    name: str
    kind: str
    signature: str
    owner: str | None = None
    receiver: str | None = None
    trait: str | None = None
    features: tuple[str, ...] = ()
    doc: str = ""
    file: str = ""
    line: int = 0
    public: bool = True
    target: str | None = None  # a re-export of another crate's item


@dataclass(frozen=True)
class TypeImpl:
    type_path: str
    trait: str
    derived: bool


@dataclass
class CrateApi:
    crate: str
    items: list[ApiItem] = field(default_factory=list)
    impls: list[TypeImpl] = field(default_factory=list)
    files_parsed: int = 0


# --- small text helpers --------------------------------------------------------


def _text(node: tree_sitter.Node | None) -> str:
    if node is None or node.text is None:
        return ""
    return node.text.decode("utf-8", errors="replace")


def _squash(text: str) -> str:
    return (
        re.sub(r"\s+", " ", text).strip().replace("( ", "(").replace(" )", ")").replace(" ,", ",")
    )


def _drop_not(text: str) -> str:
    """`cfg` text without its `not(...)` parts (their features do not enable anything)."""
    while (start := text.find("not(")) >= 0:
        depth, i = 0, start + 3
        while i < len(text):
            depth += {"(": 1, ")": -1}.get(text[i], 0)
            if depth == 0:
                break
            i += 1
        text = text[:start] + text[i + 1 :]
    return text


def cfg_features(cfg: str) -> tuple[str, ...]:
    """Feature gates of one `cfg(...)` predicate text: `any` gives one `a|b` gate."""
    cfg = _drop_not(cfg)
    found = _FEATURE_RE.findall(cfg)
    if not found:
        return ()
    if "any(" in cfg and len(found) > 1:
        return ("|".join(dict.fromkeys(found)),)
    return tuple(dict.fromkeys(found))


def attribute_features(attr: str) -> tuple[str, ...]:
    body = attr.strip().removeprefix("#").strip().removeprefix("[").removesuffix("]").strip()
    if body.startswith("cfg(") or body.startswith("cfg ("):
        return cfg_features(body[3:])
    if body.startswith("cfg_attr") and "doc(cfg(" in body.replace(" ", ""):
        compact = body.replace(" ", "")
        return cfg_features(compact[compact.index("doc(cfg(") + 7 :])
    return ()


def _merge(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(f for g in groups for f in g))


def gating_macros(src_root: Path) -> dict[str, tuple[str, ...]]:
    """`macro_rules!` whose expansion puts a feature `#[cfg]` on the items it is given."""
    result: dict[str, tuple[str, ...]] = {}
    for file in sorted(src_root.rglob("*.rs"))[:MAX_FILES]:
        try:
            text = file.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        if "macro_rules!" not in text:
            continue
        for match in _MACRO_DEF_RE.finditer(text):
            depth, i = 0, match.end() - 1
            while i < len(text):
                depth += {"{": 1, "}": -1}.get(text[i], 0)
                if depth == 0:
                    break
                i += 1
            body = text[match.end() : i]
            if ":item" not in body or "#[cfg(" not in body.replace(" ", ""):
                continue
            compact = body.replace(" ", "")
            cfg_at = compact.index("#[cfg(")
            features = cfg_features(compact[cfg_at + 5 : compact.index("]", cfg_at)])
            if features:
                result[match.group(1)] = features
    return result


# --- the walk -------------------------------------------------------------------


@dataclass
class _Def:
    module: tuple[str, ...]
    item: ApiItem
    pub: bool


@dataclass
class _Use:
    module: tuple[str, ...]
    alias: str | None  # None for a glob
    target: tuple[str, ...]
    pub: bool
    features: tuple[str, ...]


@dataclass
class _Child:
    """A method, associated item, variant or field of a type or trait."""

    module: tuple[str, ...]
    owner: tuple[str, ...]  # the type's path as written at the impl
    item: ApiItem
    in_trait_def: bool = False


@dataclass
class _Module:
    path: tuple[str, ...]
    pub: bool
    file: Path
    doc: str
    features: tuple[str, ...]


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


class _CrateWalker:
    def __init__(self, crate: str, lib: Path, root: Path) -> None:
        self.crate = crate
        self.lib = lib
        self.root = root
        self.gates = gating_macros(lib.parent)
        self.modules: dict[tuple[str, ...], _Module] = {}
        self.defs: list[_Def] = []
        self.uses: list[_Use] = []
        self.children: list[_Child] = []
        self.impls: list[tuple[tuple[str, ...], tuple[str, ...], str, bool]] = []
        self.files = 0
        self.seen_files: set[Path] = set()

    # --- reading ------------------------------------------------------------

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
        doc = ""
        for child in tree.root_node.children:
            text = _text(child)
            if child.type == "line_comment" and text.startswith("//!"):
                if text[3:].strip():
                    doc = text[3:].strip()
                    break
            elif child.type not in (
                "line_comment",
                "block_comment",
                "attribute_item",
                "inner_attribute_item",
            ):
                break
        self.modules[path] = _Module(path, pub, file, doc, features)
        child_dir = file.parent if mod_rs else file.parent / file.stem
        self.walk_items(tree.root_node, path, file, child_dir, features, 0)

    def walk_items(
        self,
        container: tree_sitter.Node,
        module: tuple[str, ...],
        file: Path,
        child_dir: Path,
        features: tuple[str, ...],
        line_offset: int,
    ) -> None:
        for node in container.named_children:
            kind = node.type
            if kind in ("line_comment", "block_comment", "attribute_item"):
                continue
            attrs, doc = _preceding(node)
            gate = _merge(features, *(attribute_features(a) for a in attrs))
            line = node.start_point[0] + 1 + line_offset
            if kind == "mod_item":
                self.read_mod(node, module, file, child_dir, gate, attrs, doc, line_offset)
            elif kind == "use_declaration":
                arg = node.child_by_field_name("argument")
                for target, alias in expand_use(_text(arg)):
                    self.uses.append(_Use(module, alias, target, _is_pub(node), gate))
            elif kind == "impl_item":
                self.read_impl(node, module, file, gate, line_offset)
            elif kind == "macro_definition":
                if any("macro_export" in a for a in attrs):
                    name = _text(node.child_by_field_name("name"))
                    item = self.item(
                        module[:1], name, "macro", f"macro_rules! {name}", gate, doc, file, line
                    )
                    self.defs.append(_Def(module[:1], item, True))
            elif kind == "macro_invocation":
                self.read_gated_block(node, module, file, child_dir, gate, line_offset)
            elif kind in ITEM_KINDS:
                self.read_item(node, module, file, gate, attrs, doc, line)

    def item(
        self,
        module: tuple[str, ...],
        name: str,
        kind: str,
        signature: str,
        features: tuple[str, ...],
        doc: str,
        file: Path,
        line: int,
        **extra: str | None,
    ) -> ApiItem:
        return ApiItem(
            path="::".join((*module, name)),
            name=name,
            kind=kind,
            signature=signature,
            features=features,
            doc=doc,
            file=self.rel(file),
            line=line,
            **extra,  # type: ignore[arg-type]
        )

    def read_item(
        self,
        node: tree_sitter.Node,
        module: tuple[str, ...],
        file: Path,
        gate: tuple[str, ...],
        attrs: list[str],
        doc: str,
        line: int,
    ) -> None:
        kind = ITEM_KINDS[node.type]
        name = _text(node.child_by_field_name("name"))
        if not name:
            return
        if kind == "fn" and any("proc_macro" in a for a in attrs):
            self.read_proc_macro(module, name, attrs, gate, doc, file, line)
            return
        signature = _signature(node)
        receiver = _receiver(node) if kind == "fn" else None
        item = self.item(module, name, kind, signature, gate, doc, file, line, receiver=receiver)
        self.defs.append(_Def(module, item, _is_pub(node)))
        own = (*module, name)
        for attr in attrs:
            compact = attr.replace(" ", "")
            if compact.startswith("#[derive("):
                for trait in compact[len("#[derive(") :].rstrip(")]").split(","):
                    if trait:
                        self.impls.append((module, own, trait.split("::")[-1], True))
        body = node.child_by_field_name("body")
        if body is None:
            return
        if kind == "trait":
            self.read_assoc(body, module, own, file, gate, None, in_trait_def=True)
        elif kind == "enum":
            for variant in body.named_children:
                if variant.type != "enum_variant":
                    continue
                v_attrs, v_doc = _preceding(variant)
                v_gate = _merge(gate, *(attribute_features(a) for a in v_attrs))
                v_name = _text(variant.child_by_field_name("name"))
                v_item = self.item(
                    module,
                    v_name,
                    "variant",
                    _squash(_text(variant)),
                    v_gate,
                    v_doc,
                    file,
                    variant.start_point[0] + 1,
                )
                self.children.append(_Child(module, own, v_item))
        elif kind in ("struct", "union") and body.type == "field_declaration_list":
            for fld in body.named_children:
                if fld.type != "field_declaration" or not _is_pub(fld):
                    continue
                f_attrs, f_doc = _preceding(fld)
                f_gate = _merge(gate, *(attribute_features(a) for a in f_attrs))
                f_name = _text(fld.child_by_field_name("name"))
                f_sig = f"{f_name}: {_squash(_text(fld.child_by_field_name('type')))}"
                f_item = self.item(
                    module, f_name, "field", f_sig, f_gate, f_doc, file, fld.start_point[0] + 1
                )
                self.children.append(_Child(module, own, f_item))

    def read_proc_macro(
        self,
        module: tuple[str, ...],
        name: str,
        attrs: list[str],
        gate: tuple[str, ...],
        doc: str,
        file: Path,
        line: int,
    ) -> None:
        for attr in attrs:
            compact = attr.replace(" ", "")
            if compact.startswith("#[proc_macro_derive("):
                derive = re.split(r"[,)]", compact[len("#[proc_macro_derive(") :])[0]
                item = self.item(
                    module[:1], derive, "derive", f"#[derive({derive})]", gate, doc, file, line
                )
            elif compact.startswith("#[proc_macro_attribute"):
                item = self.item(module[:1], name, "attribute", f"#[{name}]", gate, doc, file, line)
            elif compact.startswith("#[proc_macro]"):
                item = self.item(module[:1], name, "macro", f"{name}!(..)", gate, doc, file, line)
            else:
                continue
            self.defs.append(_Def(module[:1], item, True))
            return

    def read_assoc(
        self,
        body: tree_sitter.Node,
        module: tuple[str, ...],
        owner: tuple[str, ...],
        file: Path,
        gate: tuple[str, ...],
        trait: str | None,
        in_trait_def: bool = False,
    ) -> None:
        for node in body.named_children:
            kind = ITEM_KINDS.get(node.type)
            if node.type == "associated_type":
                kind = "type"
            if kind is None:
                continue
            if not (in_trait_def or trait is not None or _is_pub(node)):
                continue
            attrs, doc = _preceding(node)
            a_gate = _merge(gate, *(attribute_features(a) for a in attrs))
            name = _text(node.child_by_field_name("name"))
            if not name:
                continue
            receiver = _receiver(node) if kind == "fn" else None
            item = self.item(
                module,
                name,
                "method" if kind == "fn" else f"assoc_{kind}",
                _signature(node),
                a_gate,
                doc,
                file,
                node.start_point[0] + 1,
                receiver=receiver,
                trait=trait,
            )
            self.children.append(_Child(module, owner, item, in_trait_def))

    def read_impl(
        self,
        node: tree_sitter.Node,
        module: tuple[str, ...],
        file: Path,
        gate: tuple[str, ...],
        line_offset: int,
    ) -> None:
        owner = _type_path(node.child_by_field_name("type"))
        if not owner or not re.match(r"^[A-Za-z_$]", owner[0]):
            return
        trait_node = node.child_by_field_name("trait")
        trait = (
            _text(trait_node).split("<")[0].split("::")[-1].strip()
            if trait_node is not None
            else None
        )
        if trait:
            self.impls.append((module, owner, trait, False))
        body = node.child_by_field_name("body")
        if body is not None:
            self.read_assoc(body, module, owner, file, gate, trait)

    def read_mod(
        self,
        node: tree_sitter.Node,
        module: tuple[str, ...],
        file: Path,
        child_dir: Path,
        gate: tuple[str, ...],
        attrs: list[str],
        doc: str,
        line_offset: int,
    ) -> None:
        name = _text(node.child_by_field_name("name"))
        path = (*module, name)
        pub = _is_pub(node)
        body = node.child_by_field_name("body")
        if body is not None:
            self.modules[path] = _Module(path, pub, file, doc, gate)
            self.walk_items(body, path, file, child_dir / name, gate, line_offset)
            return
        target: Path | None = None
        for attr in attrs:
            match = re.match(r'#\[\s*path\s*=\s*"([^"]+)"\s*\]', attr)
            if match:
                target = file.parent / match.group(1)
        if target is None:
            for candidate in (child_dir / f"{name}.rs", child_dir / name / "mod.rs"):
                if candidate.is_file():
                    target = candidate
                    break
        if target is None or not target.is_file():
            return
        self.read_file_module(
            path, target, pub, gate, mod_rs=target.name == "mod.rs" or target == file
        )

    def read_gated_block(
        self,
        node: tree_sitter.Node,
        module: tuple[str, ...],
        file: Path,
        child_dir: Path,
        gate: tuple[str, ...],
        line_offset: int,
    ) -> None:
        macro = _text(node.child_by_field_name("macro")).split("::")[-1]
        if macro not in self.gates:
            return
        tree_node = next((c for c in node.named_children if c.type == "token_tree"), None)
        if tree_node is None or tree_node.text is None:
            return
        inner = tree_node.text[1:-1]
        sub = _parser().parse(inner)
        self.walk_items(
            sub.root_node,
            module,
            file,
            child_dir,
            _merge(gate, self.gates[macro]),
            line_offset + tree_node.start_point[0],
        )


# --- resolution -------------------------------------------------------------------


class _Resolver:
    """Names per module, `use` resolution and the public paths of each definition."""

    def __init__(self, walker: _CrateWalker) -> None:
        self.w = walker
        self.crate = walker.crate
        self.defs: dict[tuple[str, ...], dict[str, list[_Def]]] = {}
        for d in walker.defs:
            self.defs.setdefault(d.module, {}).setdefault(d.item.name, []).append(d)
        self.uses: dict[tuple[str, ...], list[_Use]] = {}
        for u in walker.uses:
            self.uses.setdefault(u.module, []).append(u)

    def absolute(self, module: tuple[str, ...], segs: tuple[str, ...]) -> tuple[str, ...] | None:
        """`segs` as written in `module` -> a path from the crate root, None if external."""
        if not segs:
            return None
        head = segs[0]
        if head in ("crate", "$crate"):
            return (self.crate, *segs[1:])
        if head == "self":
            return (*module, *segs[1:])
        if head == "super":
            base = module
            while segs and segs[0] == "super":
                base = base[:-1] if len(base) > 1 else base
                segs = segs[1:]
            return (*base, *segs)
        if head == self.crate and head not in self.defs.get(module, {}):
            return segs
        local = (*module, head)
        if (
            local in self.w.modules
            or head in self.defs.get(module, {})
            or self._alias(module, head)
        ):
            return (*module, *segs)
        root = (self.crate, head)
        if root in self.w.modules or head in self.defs.get((self.crate,), {}):
            return (self.crate, *segs)  # 2015-edition style path from the root
        return None

    def _alias(self, module: tuple[str, ...], name: str) -> list[_Use]:
        return [u for u in self.uses.get(module, []) if u.alias == name]

    def resolve(
        self, module: tuple[str, ...], segs: tuple[str, ...], depth: int = 0
    ) -> tuple[list[_Def], tuple[str, ...] | None, str | None]:
        """-> (definitions, module path, external path) that `segs` names."""
        if depth > 12:
            return [], None, None
        path = self.absolute(module, segs)
        if path is None:
            return [], None, "::".join(segs)
        current: tuple[str, ...] = path[:1]
        rest = path[1:]
        while rest:
            name, rest = rest[0], rest[1:]
            child = (*current, name)
            if not rest:
                found = list(self.defs.get(current, {}).get(name, []))
                mod = child if child in self.w.modules else None
                external = None
                for u in self._alias(current, name):
                    d, m, e = self.resolve(current, u.target, depth + 1)
                    found += [x for x in d if x not in found]
                    mod = mod or m
                    external = external or e
                if not found and mod is None and external is None:
                    found = self._via_glob(current, name, depth)
                return found, mod, external
            if child in self.w.modules:
                current = child
                continue
            aliases = self._alias(current, name)
            if aliases:
                d, m, e = self.resolve(current, aliases[0].target, depth + 1)
                if m is not None:
                    current = m
                    continue
                if e is not None:
                    return [], None, "::".join((e, *rest))
                if d and d[0].item.kind in TYPE_KINDS:
                    return [], None, None  # `Type::assoc` in a use: not followed
            return [], None, None
        return [], current, None

    def _via_glob(self, module: tuple[str, ...], name: str, depth: int) -> list[_Def]:
        for u in self.uses.get(module, []):
            if u.alias is None:
                d, _mod, _ext = self.resolve(module, (*u.target, name), depth + 1)
                if d:
                    return d
        return []

    # --- exports ----------------------------------------------------------------

    def exports(
        self, module: tuple[str, ...]
    ) -> Iterator[tuple[str, list[_Def], tuple[str, ...] | None, str | None]]:
        """(name, defs, module, external) for each public name of `module`."""
        seen: set[str] = set()
        for name, defs in self.defs.get(module, {}).items():
            pub = [d for d in defs if d.pub]
            if pub:
                seen.add(name)
                child = (*module, name)
                sub = child if child in self.w.modules and self.w.modules[child].pub else None
                yield name, pub, sub, None
        for path, mod in self.w.modules.items():
            if path[:-1] == module and mod.pub and path[-1] not in seen:
                seen.add(path[-1])
                yield path[-1], [], path, None
        for u in self.uses.get(module, []):
            if not u.pub:
                continue
            if u.alias is None:
                _, target_mod, _ = self.resolve(module, u.target)
                if target_mod is not None and target_mod != module:
                    for name, defs, sub, ext in self._glob_exports(target_mod):
                        if name not in seen:
                            seen.add(name)
                            yield name, defs, sub, ext
                continue
            if u.alias in seen or u.alias == "_":
                continue
            defs, mod_path, ext = self.resolve(module, u.target)
            if defs or mod_path or ext:
                seen.add(u.alias)
                yield u.alias, defs, mod_path, ext

    def _glob_exports(
        self, module: tuple[str, ...], depth: int = 0
    ) -> list[tuple[str, list[_Def], tuple[str, ...] | None, str | None]]:
        if depth > 4:
            return []
        return list(self.exports(module))


def parse_crate(crate: str, lib: Path, root: Path | None = None) -> CrateApi:
    """Index the crate whose library target is `lib` under the name `crate`."""
    walker = _CrateWalker(crate, lib, root or lib.parent)
    walker.run()
    resolver = _Resolver(walker)
    api = CrateApi(crate, files_parsed=walker.files)

    # every public path of every definition, breadth-first from the crate root
    public_paths: dict[int, list[str]] = {}
    visited: set[tuple[str, ...]] = set()
    queue: list[tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = [
        ((crate,), (crate,), ())
    ]
    emitted: set[str] = set()
    while queue:
        module, shown, gate = queue.pop(0)
        if module in visited or len(visited) > 5000:
            continue
        visited.add(module)
        for name, defs, sub, ext in resolver.exports(module):
            path = "::".join((*shown, name))
            for d in defs:
                public_paths.setdefault(id(d), []).append(path)
                api.items.append(replace(d.item, path=path, features=_merge(gate, d.item.features)))
            if sub is not None:
                mod = walker.modules[sub]
                sub_gate = _merge(gate, mod.features)
                if path not in emitted:
                    api.items.append(
                        ApiItem(
                            path,
                            name,
                            "mod",
                            f"mod {name}",
                            features=sub_gate,
                            doc=mod.doc,
                            file=walker.rel(mod.file),
                        )
                    )
                    emitted.add(path)
                queue.append((sub, (*shown, name), sub_gate))
            if ext is not None and not defs and sub is None:
                api.items.append(
                    ApiItem(path, name, "reexport", f"pub use {ext}", features=gate, target=ext)
                )

    reachable = {item.path for item in api.items}
    for d in walker.defs:
        if id(d) not in public_paths and d.pub:
            api.items.append(replace(d.item, public=False))
            public_paths[id(d)] = [d.item.path]
    owner_cache: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}

    def owner_paths(module: tuple[str, ...], owner: tuple[str, ...]) -> list[str]:
        key = (module, owner)
        if key not in owner_cache:
            defs, _, _ = resolver.resolve(module, owner)
            paths: list[str] = []
            for d in defs:
                if d.item.kind in TYPE_KINDS and id(d) in public_paths:
                    paths += public_paths[id(d)]
            owner_cache[key] = list(dict.fromkeys(paths))
        return owner_cache[key]

    for child in walker.children:
        for owner_path in owner_paths(child.module, child.owner):
            path = f"{owner_path}::{child.item.name}"
            api.items.append(
                replace(child.item, path=path, owner=owner_path, public=owner_path in reachable)
            )
    for module, type_segs, trait, derived in walker.impls:
        for type_path in owner_paths(module, type_segs):
            api.impls.append(TypeImpl(type_path, trait, derived))
    api.impls = list(dict.fromkeys(api.impls))
    api.items = list({(i.path, i.kind, i.signature): i for i in api.items}.values())
    return api
