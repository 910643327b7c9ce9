"""Which Cargo feature enables an item: `cfg` predicates and gating macros.

Only `feature = ".."` conditions are kept: `all(a, b)` gives two gates, `any(a,
b)` one gate `a|b`, `not(..)` is dropped (its feature enables nothing), and
target or other cfgs are ignored.
"""

from __future__ import annotations

import re
from pathlib import Path

MAX_FILES = 5000
_FEATURE_RE = re.compile(r'feature\s*=\s*"([^"]+)"')
_MACRO_DEF_RE = re.compile(r"macro_rules!\s*(\w+)\s*\{")


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


def merge_gates(*groups: tuple[str, ...]) -> tuple[str, ...]:
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
