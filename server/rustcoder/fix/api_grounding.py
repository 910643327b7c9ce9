"""Real signatures for a model prompt: the items the failing code touches, from the API index.

A model asked to fix `serde_json::to_str(&v)` guesses again unless it is shown
what the crate really has. For each error this collects the real items near
the missing name (the members of the type or module rustc names, nearest
first) and, for the paths written in the code around it (`std::fs::...`,
`Duration::seconds`), their signatures, with a feature gate when the
workspace leaves it off. Lines are ranked and cut to a character budget, so the
prompt stays within the model's context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.fix.api_names import name_score, parse_query, type_name
from rustcoder.fix.api_source import ApiLookup

if TYPE_CHECKING:
    from rustcoder.apiindex.index_store import StoredItem

#: Characters of signatures one prompt carries at most.
MAX_CHARS = 1800
#: Nearest real items listed per error.
PER_ERROR = 5
_PATH = re.compile(r"\b([A-Za-z_]\w*(?:::[A-Za-z_]\w*)+)\b")


class ApiGrounding:
    """`notes(root, errors, code)` -> lines `path: signature — doc` for a prompt."""

    def __init__(self, api: ApiLookup, max_chars: int = MAX_CHARS) -> None:
        self.api = api
        self.max_chars = max_chars

    def notes(self, root: Path, errors: Sequence[RustDiagnostic], code: str) -> list[str]:
        try:
            lines = self._lines(root, errors, code)
        except Exception:  # grounding is an aid: a broken index must not cost the fix
            return []
        out: list[str] = []
        used = 0
        for line in dict.fromkeys(lines):
            if used + len(line) > self.max_chars:
                break
            out.append(line)
            used += len(line) + 1
        return out

    def _lines(self, root: Path, errors: Sequence[RustDiagnostic], code: str) -> list[str]:
        lines: list[str] = []
        for diagnostic in errors:
            lines += self._near_missing(root, diagnostic)
        for path in list(dict.fromkeys(_PATH.findall(code)))[:40]:
            hits = self.api.lookup(root, path)
            lines += [self._line(root, h) for h in hits[:1]]
        return lines

    def _near_missing(self, root: Path, diagnostic: RustDiagnostic) -> list[str]:
        query = parse_query(diagnostic.code, diagnostic.message)
        if query is None or not query.scope:
            return []
        scope = type_name(query.scope)
        if query.kind in ("method", "assoc", "field", "struct_field"):
            pool = self.api.members(root, scope)
            if not pool and "::" in scope:
                pool = self.api.members(root, scope.rsplit("::", 1)[-1])
        else:
            pool = self.api.module_items(root, scope)
        exact = [h for h in pool if h.item.name == query.name]
        ranked = sorted(
            (h for h in pool if h.item.public),
            key=lambda h: -name_score(query.name, h.item.name, h.item.doc),
        )
        seen: set[str] = set()
        picked: list[StoredItem] = []
        for hit in [*exact, *ranked]:
            if hit.item.path in seen:
                continue
            seen.add(hit.item.path)
            picked.append(hit)
            if len(picked) >= PER_ERROR:
                break
        return [self._line(root, h) for h in picked]

    def _line(self, root: Path, hit: StoredItem) -> str:
        item = hit.item
        line = f"{item.path}: {item.signature}"
        missing = self.api.disabled(root, hit)
        if missing:
            line += f" [needs Cargo feature `{missing[0]}` of {hit.crate}, not enabled]"
        if item.doc:
            line += f" — {item.doc[:120]}"
        return line
