"""API-aware fixes: a name that does not exist becomes the nearest real item of the crate.

rustc suggests only names in scope, so `chrono::Duration::from_secs`,
`serde_json::to_str`, `Vec::push_all` or a private `chrono::naive::date`
path get nothing from it. This source asks the API index (passed in as an
`ApiLookup`, built by the runtime) for the real members of the type or module
the message names, scores them (name and synonyms, argument count and
shapes at the call site, doc line) and proposes the best few as edits with the
right path and, for a trait method, the trait's `use`. An item that exists
but sits behind a disabled Cargo feature gets the `Cargo.toml` edit instead;
a value of one of two look-alike types (`chrono::Duration` where
`std::time::Duration` is expected) gets the conversion between them. Every
candidate is compiled before it is offered, so this source proposes and
verification picks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from rustcoder.fix.api_names import (
    Query,
    arg_fit,
    call_args,
    name_score,
    params,
    parse_query,
    path_around,
    type_name,
)
from rustcoder.fix.candidate import Candidate, FixContext
from rustcoder.fix.edits import Edit
from rustcoder.fix.manifest_features import feature_edit
from rustcoder.fix.rust_syntax import SourceFile

if TYPE_CHECKING:
    from rustcoder.apiindex.index_store import StoredItem

#: Candidates proposed per diagnostic: verification compiles each, so a few only.
MAX_PROPOSED = 4
#: Below this a real item is too far from the missing name to be worth a compile.
MIN_SCORE = 0.45
#: The name alone must come this close: a fitting signature never makes up for a far name.
MIN_NAME = 0.5
#: Traits every module has in scope (the prelude): their methods need no `use`.
PRELUDE_TRAITS = frozenset(
    [
        *("Iterator", "IntoIterator", "DoubleEndedIterator", "ExactSizeIterator", "Extend"),
        *("Clone", "ToString", "ToOwned", "Default", "From", "Into", "TryFrom", "TryInto"),
        *("AsRef", "AsMut", "PartialEq", "Eq", "PartialOrd", "Ord", "Drop", "Deref"),
        *("Fn", "FnMut", "FnOnce", "FromIterator"),
    ]
)
_TYPE_KINDS = ("struct", "enum", "union", "trait", "type", "primitive")
_VALUE_KINDS = ("fn", "const", "static", "macro")


class ApiLookup(Protocol):
    """The API index as this source needs it, for the workspace at `root`."""

    def lookup(self, root: Path, query: str) -> list[StoredItem]: ...

    def members(self, root: Path, owner: str) -> list[StoredItem]: ...

    def traits_of(self, root: Path, type_path: str) -> list[str]: ...

    def module_items(self, root: Path, module: str) -> list[StoredItem]: ...

    def named(self, root: Path, name: str) -> list[StoredItem]: ...

    def disabled(self, root: Path, hit: StoredItem) -> list[str]: ...


class ApiSource:
    name = "api"

    def __init__(self, api: ApiLookup) -> None:
        self.api = api

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        diagnostic = ctx.diagnostic
        at = ctx.primary_location()
        if at is None or not at.path.is_relative_to(ctx.workspace_root):
            return []
        primary = at.span
        site = Site(ctx, at.path, at.text, at.start, at.end)
        if diagnostic.code == "E0308":
            return self._conversion(site, primary.label or "")
        query = parse_query(diagnostic.code, diagnostic.message)
        if query is None:
            return []
        handler = {
            "method": self._member,
            "assoc": self._member,
            "field": self._field,
            "struct_field": self._struct_field,
            "item": self._module_item,
            "type": self._module_item,
            "import": self._import,
            "module": self._module_segment,
            "private": self._private,
        }[query.kind]
        return handler(site, query)[:MAX_PROPOSED]

    # --- members of a type ---------------------------------------------------------

    def _owner_members(self, root: Path, owner: str) -> tuple[list[StoredItem], list[str]]:
        """The type's own members and those of the traits it implements (and their paths)."""
        own = self.api.members(root, owner)
        if not own and "::" in owner:
            own = self.api.members(root, owner.rsplit("::", 1)[-1])
        type_paths = {m.item.owner for m in own if m.item.owner}
        trait_paths: list[str] = []
        for type_path in sorted(type_paths):
            for trait in self.api.traits_of(root, type_path):
                trait_paths.append(trait)
        return own, list(dict.fromkeys(trait_paths))

    def _member(self, site: Site, query: Query) -> list[Candidate]:
        root = site.ctx.workspace_root
        owner = type_name(query.scope)
        own, traits = self._owner_members(root, owner)
        exact = [m for m in own if m.item.name == query.name]
        gated = self._gated(site, exact)
        if gated:
            return gated
        pool: list[tuple[StoredItem, str | None]] = [(m, None) for m in own]
        for trait in [*traits, *site.imported_traits()]:
            for hit in self.api.lookup(root, trait):
                if hit.item.kind == "trait":
                    pool += [(m, hit.item.path) for m in self.api.members(root, hit.item.path)]
        wants_receiver = query.kind == "method"
        args = call_args(site.text, site.end)
        scored = []
        for hit, trait_path in pool:
            item = hit.item
            if item.kind != "method" or (item.receiver is not None) != wants_receiver:
                continue
            near = _near(query.name, hit)
            if item.name == query.name or not item.public or near is None:
                continue
            score = near
            types = params(item.signature)
            if args is not None and types is not None:
                score += arg_fit(args, types)
            if item.trait is None and trait_path is None:
                score += 0.05  # the type's own method before a trait's or Deref's
            scored.append((score, hit, trait_path))
        out = []
        for score, hit, trait_path in _best(scored):
            edits = [Edit(site.path, site.start, site.end, hit.item.name)]
            title = f"use `{_short(hit)}` ({hit.item.signature})"
            if trait_path is not None and trait_path.rsplit("::", 1)[-1] not in PRELUDE_TRAITS:
                use = site.use_edit(trait_path)
                if use is not None:
                    edits.append(use)
                    title += f" with `use {trait_path};`"
            out.append(self._candidate(title, edits, score))
        return out

    def _field(self, site: Site, query: Query) -> list[Candidate]:
        """`s.length`: a field of that name, or a method without arguments (`s.len()`)."""
        own, _traits = self._owner_members(site.ctx.workspace_root, type_name(query.scope))
        scored = []
        for hit in own:
            item = hit.item
            if not item.public:
                continue
            if item.kind == "field" or (
                item.kind == "method" and item.receiver is not None and params(item.signature) == []
            ):
                bonus = 0.05 if item.kind == "field" else 0.0
                near = _near(query.name, hit)
                if near is not None:
                    scored.append((near + bonus, hit, None))
        out = []
        for score, hit, _ in _best(scored):
            new = hit.item.name if hit.item.kind == "field" else f"{hit.item.name}()"
            title = f"use `{_short(hit)}` ({hit.item.signature})"
            out.append(self._candidate(title, [Edit(site.path, site.start, site.end, new)], score))
        return out

    def _struct_field(self, site: Site, query: Query) -> list[Candidate]:
        """`Range { begin: 0, .. }`: the struct's real field of the nearest name."""
        own, _traits = self._owner_members(site.ctx.workspace_root, type_name(query.scope))
        literal = site.file.enclosing(site.file.node_at(site.start, site.end), "struct_expression")
        written = (
            set(re.findall(r"[{,]\s*(\w+)\s*:", site.file.node_text(literal))) if literal else set()
        )
        scored = [
            (near, h, None)
            for h in own
            if h.item.kind == "field" and h.item.public and h.item.name not in written
            if (near := _near(query.name, h)) is not None
        ]
        return [
            self._candidate(
                f"use field `{_short(h)}` ({h.item.signature})",
                [Edit(site.path, site.start, site.end, h.item.name)],
                score,
            )
            for score, h, _ in _best(scored)
        ]

    # --- items of a module ---------------------------------------------------------

    def _module_item(self, site: Site, query: Query) -> list[Candidate]:
        """`serde_json::to_str(..)`: the module's item of the nearest name and signature."""
        root = site.ctx.workspace_root
        exact = self.api.lookup(root, f"{query.scope}::{query.name}")
        gated = self._gated(site, exact)
        if gated:
            return gated
        kinds = _TYPE_KINDS if query.kind == "type" else (*_VALUE_KINDS, "struct", "enum")
        args = call_args(site.text, site.end) if query.kind == "item" else None
        scored = []
        for hit in self.api.module_items(root, query.scope):
            item = hit.item
            near = _near(query.name, hit)
            if item.kind not in kinds or item.name == query.name or near is None:
                continue
            score = near
            types = params(item.signature)
            if args is not None and types is not None:
                score += arg_fit(args, types)
            scored.append((score, hit, None))
        return [
            self._candidate(
                f"use `{h.item.path}` ({h.item.signature})",
                [Edit(site.path, site.start, site.end, h.item.name)],
                score,
            )
            for score, h, _ in _best(scored)
        ]

    def _import(self, site: Site, query: Query) -> list[Candidate]:
        """`use std::fs::read_lines;`: the item of that name elsewhere in the crate (its right
        path), else the module's nearest item, renamed where the file uses it."""
        root = site.ctx.workspace_root
        crate = query.scope.split("::")[0]
        exact = self.api.lookup(root, f"{query.scope}::{query.name}")
        gated = self._gated(site, exact)
        if gated:
            return gated
        lo, hi = path_around(site.text, site.start, site.end)
        # `use std::io::{BufRead, BufferedReader}`: inside a group only the name can change
        grouped = site.text[:lo].rstrip().endswith(("{", ","))
        out = []
        moved = (
            []
            if grouped
            else [
                h
                for h in self.api.named(root, query.name)
                if h.item.public and h.item.owner is None and h.item.path.split("::")[0] == crate
            ]
        )
        for hit in sorted(moved, key=lambda h: len(h.item.path))[:2]:
            edit = Edit(site.path, lo, hi, hit.item.path)
            out.append(self._candidate(f"import `{hit.item.path}`", [edit], 0.8))
        scored = [
            (near, h, None)
            for h in self.api.module_items(root, query.scope)
            if h.item.name != query.name and (near := _near(query.name, h)) is not None
        ]
        for score, hit, _ in _best(scored):
            new = hit.item.name if grouped else hit.item.path
            edits = [Edit(site.path, lo, hi, new), *site.renames(query.name, hit.item.name)]
            out.append(self._candidate(f"import `{hit.item.path}` instead", edits, score))
        return out

    def _module_segment(self, site: Site, query: Query) -> list[Candidate]:
        """`std::instant::Instant`: the item after the missing module, at its real path."""
        root = site.ctx.workspace_root
        lo, hi = path_around(site.text, site.start, site.end)
        segs = site.text[site.end : hi].lstrip(":").split("::")
        out: list[Candidate] = []
        crate = query.scope.split("::")[0]
        for index, seg in enumerate(segs):
            found = [
                h
                for h in self.api.named(root, seg)
                if h.item.public and h.item.owner is None and h.item.path.split("::")[0] == crate
            ]
            for hit in sorted(found, key=lambda h: len(h.item.path))[:2]:
                tail = "::".join(s for s in segs[index + 1 :] if s)
                new = hit.item.path + (f"::{tail}" if tail else "")
                out.append(
                    self._candidate(f"use `{hit.item.path}`", [Edit(site.path, lo, hi, new)], 0.8)
                )
            if out:
                break
        return out

    def _private(self, site: Site, query: Query) -> list[Candidate]:
        """`chrono::naive::date::NaiveDate`: the same item at its public path."""
        root = site.ctx.workspace_root
        lo, hi = path_around(site.text, site.start, site.end)
        written = site.text[lo:hi]
        segs = written.split("::")
        crate = segs[0]
        try:
            at = segs.index(query.name)
        except ValueError:
            return []
        for index in range(len(segs) - 1, at, -1):
            found = [
                h
                for h in self.api.named(root, segs[index])
                if h.item.public and h.item.owner is None and h.item.path.split("::")[0] == crate
            ]
            if found:
                best = min(found, key=lambda h: len(h.item.path))
                new = "::".join([best.item.path, *segs[index + 1 :]])
                title = f"use the public path `{best.item.path}`"
                return [self._candidate(title, [Edit(site.path, lo, hi, new)], 0.85)]
        return []

    # --- feature gates and look-alike types ---------------------------------------

    def _gated(self, site: Site, exact: Iterable[StoredItem]) -> list[Candidate]:
        """An item that exists behind a disabled Cargo feature: the manifest edit."""
        root = site.ctx.workspace_root
        manifest = root / "Cargo.toml"
        text = site.ctx.read_text(manifest)
        if text is None:
            return []
        out = []
        for hit in exact:
            missing = self.api.disabled(root, hit)
            if not missing:
                continue
            feature = missing[0].split("|")[0]
            edit = feature_edit(manifest, text, hit.crate, feature)
            if edit is None:
                continue
            title = (
                f"enable feature `{feature}` of `{hit.crate}` in Cargo.toml "
                f"(changes the manifest): `{hit.item.path}` needs it"
            )
            out.append(self._candidate(title, [edit], 0.95))
        return out[:1]

    def _conversion(self, site: Site, label: str) -> list[Candidate]:
        """`expected std::time::Duration, found chrono::Duration`: the conversion method."""
        m = re.search(r"expected `([^`]+)`, found `([^`]+)`", label) or re.search(
            r"expected `([^`]+)`, found `([^`]+)`", " ".join(site.messages())
        )
        if m is None:
            return []
        expected, found = type_name(m.group(1)), type_name(m.group(2))
        short = expected.rsplit("::", 1)[-1]
        if short != found.rsplit("::", 1)[-1] or expected == found:
            return []
        root = site.ctx.workspace_root
        value = site.text[site.start : site.end]
        wrapped = value if re.fullmatch(r"[\w.:()]+", value) else f"({value})"
        # The other type, as a signature writes it: an alias (`StdDuration`) or a path
        # (`core::time::Duration`), never the bare name (that is the type's own).
        other = re.compile(rf"\b(?:\w+{short}|(?:\w+::)+{short})\b")
        forms: list[tuple[str, str]] = []
        for hit in self.api.members(root, found):
            sig = hit.item.signature
            ret = sig.split("->", 1)[1] if "->" in sig else ""
            if hit.item.receiver and params(sig) == [] and other.search(ret):
                forms.append((f"{wrapped}.{hit.item.name}()", ret))
        for hit in self.api.members(root, expected):
            sig = hit.item.signature
            types = params(sig) or []
            if hit.item.receiver is None and len(types) == 1 and other.search(types[0]):
                ret = sig.split("->", 1)[1] if "->" in sig else ""
                forms.append((f"{_short(hit)}({value})", ret))
        out = []
        for expr, ret in forms[:2]:
            if re.match(r"\s*(Result|Option)\b", ret):
                expr = f'{expr}.expect("{short} out of range")'
            title = f"convert to `{expected}`: `{expr}`"
            out.append(self._candidate(title, [Edit(site.path, site.start, site.end, expr)], 0.8))
        return out

    def _candidate(self, title: str, edits: list[Edit], score: float) -> Candidate:
        return Candidate(
            title=title,
            source=self.name,
            edits=tuple(edits),
            applicability="MaybeIncorrect",
            score=round(min(0.89, max(0.0, score * 0.8)), 3),
        )


class Site:
    """The primary span of a diagnostic in its file, with the helpers edits need."""

    def __init__(self, ctx: FixContext, path: Path, text: str, start: int, end: int) -> None:
        self.ctx = ctx
        self.path = path
        self.text = text
        self.start = start
        self.end = end
        self._file: SourceFile | None = None

    @property
    def file(self) -> SourceFile:
        if self._file is None:
            self._file = SourceFile(self.path, self.text)
        return self._file

    def messages(self) -> Iterable[str]:
        d = self.ctx.diagnostic
        yield d.message
        for child in d.children:
            yield child.message

    def imported_traits(self) -> list[str]:
        """Capitalised paths in this file's `use` lines (the traits among them bring methods)."""
        found = re.findall(r"^\s*use\s+([\w:]+)\s*;", self.text, flags=re.M)
        return [p for p in found if p.split("::")[-1][:1].isupper()]

    def use_edit(self, path: str) -> Edit | None:
        if re.search(rf"^\s*use\s+{re.escape(path)}\s*;", self.text, flags=re.M):
            return None
        offset = self.file.use_insertion_offset()
        return Edit(self.path, offset, offset, f"use {path};\n")

    def renames(self, old: str, new: str) -> list[Edit]:
        """Whole-word uses of `old` in this file outside `use` lines."""
        edits = []
        for m in re.finditer(rf"(?<![\w:]){re.escape(old)}\b", self.text):
            line_start = self.text.rfind("\n", 0, m.start()) + 1
            if self.text[line_start : m.start()].lstrip().startswith("use "):
                continue
            edits.append(Edit(self.path, m.start(), m.end(), new))
        return edits


def _near(query: str, hit: StoredItem) -> float | None:
    """The name score of a real item, None when it is too far or an `unsafe fn` (a fix never
    adds unsafe code)."""
    if hit.item.signature.startswith("unsafe ") or " unsafe fn " in hit.item.signature:
        return None
    score = name_score(query, hit.item.name, hit.item.doc)
    return score if score >= MIN_NAME else None


def _best(
    scored: Sequence[tuple[float, StoredItem, str | None]],
) -> list[tuple[float, StoredItem, str | None]]:
    """The best-scored distinct names above MIN_SCORE, best first."""
    out = []
    seen: set[str] = set()
    for score, hit, trait in sorted(scored, key=lambda s: (-s[0], len(s[1].item.path))):
        if score < MIN_SCORE or hit.item.name in seen:
            continue
        seen.add(hit.item.name)
        out.append((score, hit, trait))
        if len(out) >= MAX_PROPOSED:
            break
    return out


def _short(hit: StoredItem) -> str:
    """`Duration::seconds` for a member, the full path for an item."""
    item = hit.item
    if item.owner:
        return f"{item.owner.rsplit('::', 1)[-1]}::{item.name}"
    return item.path
