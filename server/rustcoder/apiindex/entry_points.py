"""The main entry points of the crates a generation may use, for the model's prompt.

A model asked for "a CLI that stamps records with a uuid" writes
`Uuid::new_v4()` without the `v4` feature or `uuid::v4()` unless it sees the
real API. For each offline crate the description names, this lists the crate
root's public types, traits, functions and macros and the types'
constructors, with signatures, doc lines and the Cargo feature each needs,
from the same per-user API cache the fixes use, cut to a character budget.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from rustcoder.apiindex.crate_sources import CratePackage
from rustcoder.apiindex.index_store import ApiIndex, StoredItem

log = logging.getLogger(__name__)

MAX_CHARS = 2000
CRATES = 4
_KINDS = ("struct", "enum", "trait", "fn", "macro", "derive")
_CONSTRUCTOR = re.compile(r"^(new\w*|from_\w+|parse\w*|open\w*|with_\w+|builder|now|default)$")


def mentioned(crates: dict[str, str], text: str) -> list[str]:
    """The available crates the description names (`serde_json`, `serde-json`, `uuid`)."""
    words = set(re.findall(r"[a-z0-9_-]+", text.lower()))
    found = []
    for name in sorted(crates):
        if {name, name.replace("-", "_"), name.replace("_", "-")} & words:
            found.append(name)
    return found[:CRATES]


def _package(registry_dir: Path, name: str, version: str) -> CratePackage | None:
    root = registry_dir / f"{name}-{version}"
    lib = root / "src" / "lib.rs"
    if not lib.is_file():
        return None
    return CratePackage(name, version, "registry", root / "Cargo.toml", lib)


def _line(hit: StoredItem) -> str:
    item = hit.item
    line = f"{item.path}: {item.signature}"
    if item.features:
        line += f" [Cargo feature: {' + '.join(item.features)}]"
    if item.doc:
        line += f" — {item.doc[:100]}"
    return line


def crate_entry_points(
    index: ApiIndex, registry_dir: Path, crates: dict[str, str], names: list[str]
) -> list[list[str]]:
    """Signature lines per crate in `names` (those of `crates` the registry holds)."""
    lines: list[list[str]] = []
    for name in names:
        pkg = _package(registry_dir, name, crates[name])
        if pkg is None:
            continue
        crate_id, _parsed, _files = index.ensure_crate(pkg)
        if crate_id is None:
            continue
        top = [h for h in index.in_module(pkg.lib_name, [crate_id]) if h.item.kind in _KINDS]
        top.sort(key=lambda h: (not h.item.doc, len(h.item.name), h.item.name))
        # a few of each kind: the main types, the free functions, the macros
        picked = [h for h in top if h.item.kind in ("struct", "enum", "trait")][:4]
        picked += [h for h in top if h.item.kind == "fn"][:4]
        picked += [h for h in top if h.item.kind in ("macro", "derive")][:2]
        for hit in [h for h in picked if h.item.kind in ("struct", "enum")][:2]:
            members = index.members(hit.item.path, [crate_id])
            picked += [
                m
                for m in members
                if m.item.receiver is None and m.item.public and _CONSTRUCTOR.match(m.item.name)
            ][:3]
        lines.append([_line(h) for h in picked])
    return lines


def entry_point_notes(
    registry_dir: Path | None, crates: dict[str, str], text: str, max_chars: int = MAX_CHARS
) -> list[str]:
    """Entry points of the crates `text` names, within `max_chars`; [] when none or on error."""
    names = mentioned(crates, text)
    if registry_dir is None or not names:
        return []
    try:
        with ApiIndex() as index:
            per_crate = crate_entry_points(index, registry_dir, crates, names)
    except Exception:  # an aid to the prompt: never a reason to fail a generation
        log.exception("entry points of %s unavailable", ", ".join(names))
        return []
    out: list[str] = []
    share = max_chars // max(1, len(per_crate))  # each named crate gets its part
    for lines in per_crate:
        used = 0
        for line in dict.fromkeys(lines):
            if used + len(line) > share:
                break
            out.append(line)
            used += len(line) + 1
    return out
