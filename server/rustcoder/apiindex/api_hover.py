"""What the API index says about the name under the cursor: real signature and doc line.

Without type inference (that is rust-analyzer's job) the name is resolved from
the text: a path written out (`chrono::Duration::seconds`, `std::fs::read_to_string`),
a name the file imports (`use std::collections::HashMap;` makes `HashMap`
resolvable), or a method call (`.push_str(`), for which every indexed method of
that name is a candidate and at most a few are shown. Limits are the index's:
items made by macros are not there.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Protocol

from rustcoder.apiindex.index_store import StoredItem
from rustcoder.apiindex.rust_items import expand_use

#: Candidates shown for a method whose receiver type is not known.
MAX_METHODS = 3
_IDENT = re.compile(r"[A-Za-z_]\w*")
_USE = re.compile(r"^\s*(?:pub(?:\([^)]*\))?\s+)?use\s+([^;]+);", re.M)


class HoverLookup(Protocol):
    def lookup(self, root: Path, query: str) -> list[StoredItem]: ...

    def named(self, root: Path, name: str) -> list[StoredItem]: ...

    def disabled(self, root: Path, hit: StoredItem) -> list[str]: ...


def path_at(text: str, offset: int) -> tuple[str, int, int] | None:
    """The `a::b::c` path whose segment is under `offset`, cut after that segment."""
    if not 0 <= offset <= len(text):
        return None
    lo = offset
    while lo > 0 and (text[lo - 1].isalnum() or text[lo - 1] == "_"):
        lo -= 1
    hi = offset
    while hi < len(text) and (text[hi].isalnum() or text[hi] == "_"):
        hi += 1
    if lo == hi or not _IDENT.fullmatch(text[lo:hi]):
        return None
    start = lo
    while start >= 2 and text[start - 2 : start] == "::":
        prev = start - 2
        while prev > 0 and (text[prev - 1].isalnum() or text[prev - 1] == "_"):
            prev -= 1
        if prev == start - 2:
            break
        start = prev
    return text[start:hi], lo, hi


def _imports(text: str) -> dict[str, str]:
    """Names this file imports -> the full path (`HashMap` -> `std::collections::HashMap`)."""
    names: dict[str, str] = {}
    for m in _USE.finditer(text):
        for segs, alias in expand_use(m.group(1)):
            if alias and alias != "_":
                names[alias] = "::".join(segs)
    return names


def hover_hits(api: HoverLookup, root: Path, text: str, offset: int) -> list[StoredItem]:
    """The indexed items the name under `offset` can be, best first."""
    found = path_at(text, offset)
    if found is None:
        return []
    path, lo, _hi = found
    segs = path.split("::")
    imports = _imports(text)
    if segs[0] in imports:
        segs = [*imports[segs[0]].split("::"), *segs[1:]]
    hits = api.lookup(root, "::".join(segs))
    if hits:
        return hits[:1]
    before = text[:lo].rstrip()
    if len(segs) == 1 and before.endswith("."):
        methods = [h for h in api.named(root, segs[0]) if h.item.kind == "method"]
        return list({h.item.signature: h for h in methods}.values())[:MAX_METHODS]
    return []


def hover_markdown(api: HoverLookup, root: Path, hits: list[StoredItem]) -> str:
    """Each item as a Rust code block with its path, crate, doc line and feature gate."""
    sections = []
    for hit in hits:
        item = hit.item
        lines = [f"```rust\n{item.signature}\n```", f"`{item.path}` ({hit.crate} {hit.version})"]
        if item.doc:
            lines.append(item.doc)
        off = api.disabled(root, hit)
        if item.features:
            note = f" (not enabled in this workspace: {', '.join(off)})" if off else ""
            lines.append(f"Cargo feature: {' + '.join(item.features)}{note}")
        sections.append("\n\n".join(lines))
    if len(hits) > 1:
        sections.insert(0, "One of these (the receiver's type decides):")
    return "\n\n---\n\n".join(sections)
