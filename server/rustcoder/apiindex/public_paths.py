"""Resolve `use` declarations and list every public path of each item.

After the walk, each module's public names are its pub definitions, its pub
child modules and its `pub use`s (globs expanded from the target module's own
exports). A breadth-first walk from the crate root over those names gives the
paths a user can write (`chrono::Duration` for `chrono::oldtime::Duration`);
methods, variants and fields are listed under every public path of their type.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

from rustcoder.apiindex.api_items import ApiItem, CrateApi, Def, TypeImpl, Use
from rustcoder.apiindex.cfg_gates import merge_gates
from rustcoder.apiindex.rust_items import TYPE_KINDS, CrateWalker


class Resolver:
    """Names per module, `use` resolution and the public paths of each definition."""

    def __init__(self, walker: CrateWalker) -> None:
        self.w = walker
        self.crate = walker.crate
        self.defs: dict[tuple[str, ...], dict[str, list[Def]]] = {}
        for d in walker.defs:
            self.defs.setdefault(d.module, {}).setdefault(d.item.name, []).append(d)
        self.uses: dict[tuple[str, ...], list[Use]] = {}
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

    def _alias(self, module: tuple[str, ...], name: str) -> list[Use]:
        return [u for u in self.uses.get(module, []) if u.alias == name]

    def resolve(
        self, module: tuple[str, ...], segs: tuple[str, ...], depth: int = 0
    ) -> tuple[list[Def], tuple[str, ...] | None, str | None]:
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

    def _via_glob(self, module: tuple[str, ...], name: str, depth: int) -> list[Def]:
        for u in self.uses.get(module, []):
            if u.alias is None:
                d, _mod, _ext = self.resolve(module, (*u.target, name), depth + 1)
                if d:
                    return d
        return []

    # --- exports ----------------------------------------------------------------

    def exports(
        self, module: tuple[str, ...], stack: frozenset[tuple[str, ...]] = frozenset()
    ) -> Iterator[tuple[str, list[Def], tuple[str, ...] | None, str | None]]:
        """(name, defs, module, external) for each public name of `module`.

        Explicit names shadow glob-imported ones, as in rustc; `stack` stops
        globs that import each other.
        """
        stack = stack | {module}
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
        uses = [u for u in self.uses.get(module, []) if u.pub]
        for u in uses:
            if u.alias is None or u.alias in seen or u.alias == "_":
                continue
            defs, mod_path, ext = self.resolve(module, u.target)
            if defs or mod_path or ext:
                seen.add(u.alias)
                yield u.alias, defs, mod_path, ext
        for u in uses:
            if u.alias is not None:
                continue
            _, target_mod, ext = self.resolve(module, u.target)
            if ext is not None and "*" not in seen:
                seen.add("*")  # another crate's names: a link that lookups follow
                yield "*", [], None, f"{ext}::*"
            if target_mod is None or target_mod in stack:
                continue
            for name, defs, sub, ext in list(self.exports(target_mod, stack)):
                if name not in seen:
                    seen.add(name)
                    yield name, defs, sub, ext


def parse_crate(crate: str, lib: Path, root: Path | None = None) -> CrateApi:
    """Index the crate whose library target is `lib` under the name `crate`."""
    walker = CrateWalker(crate, lib, root or lib.parent)
    walker.run()
    resolver = Resolver(walker)
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
                api.items.append(
                    replace(d.item, path=path, features=merge_gates(gate, d.item.features))
                )
            if sub is not None:
                mod = walker.modules[sub]
                sub_gate = merge_gates(gate, mod.features)
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
