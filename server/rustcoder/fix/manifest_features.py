"""The `Cargo.toml` edit that turns on a dependency's feature, written like a person would.

`uuid = "1"` becomes `uuid = { version = "1", features = ["v4"] }`, an inline
table gets a `features` key or one more entry in it, and a `[dependencies.uuid]`
table gets a `features = [...]` line. Text edits, not a TOML rewrite, so the
rest of the manifest (comments, order, spacing) is untouched.
"""

from __future__ import annotations

import re
from pathlib import Path

from rustcoder.fix.edits import Edit

_TABLE = re.compile(r"^\s*\[([^\]]+)\]\s*(?:#.*)?$")


def _dep_tables(header: str) -> bool:
    """`dependencies`, `target.'cfg(..)'.dependencies` (not dev- or build-dependencies)."""
    return header == "dependencies" or (
        header.startswith("target.") and header.endswith(".dependencies")
    )


def _key(name: str) -> str:
    return rf"(?:{re.escape(name)}|\"{re.escape(name)}\")"


def feature_edit(manifest: Path, text: str, package: str, feature: str) -> Edit | None:
    """The edit enabling `feature` of dependency `package` in this manifest, or None."""
    names = {package, package.replace("_", "-"), package.replace("-", "_")}
    offset = 0
    table = ""
    lines = text.splitlines(keepends=True)
    for index, line in enumerate(lines):
        start = offset
        offset += len(line)
        header = _TABLE.match(line)
        if header:
            table = header.group(1).strip().replace(" ", "")
            sub = table.rsplit(".", 1)
            if len(sub) == 2 and _dep_tables(sub[0]) and sub[1].strip('"') in names:
                return _in_table(manifest, lines, index + 1, offset, feature)
            continue
        if not _dep_tables(table):
            continue
        for name in names:
            m = re.match(rf"(\s*{_key(name)}\s*=\s*)(.*?)(\s*(?:#.*)?)$", line.rstrip("\n\r"))
            if m is None:
                continue
            value = m.group(2)
            value_start = start + m.end(1)
            value_end = value_start + len(value)
            if value.startswith(('"', "'")):
                new = f'{{ version = {value}, features = ["{feature}"] }}'
                return Edit(manifest, value_start, value_end, new)
            if value.startswith("{") and value.endswith("}"):
                return Edit(manifest, value_start, value_end, _inline(value, feature))
    return None


def _inline(value: str, feature: str) -> str:
    m = re.search(r"features\s*=\s*\[(.*?)\]", value)
    if m is None:
        body = value[1:-1].strip().rstrip(",")
        return f'{{ {body}, features = ["{feature}"] }}'
    items = m.group(1).strip().rstrip(",")
    joined = f'{items}, "{feature}"' if items else f'"{feature}"'
    return value[: m.start(1)] + joined + value[m.end(1) :]


def _in_table(manifest: Path, lines: list[str], first: int, offset: int, feature: str) -> Edit:
    """`[dependencies.uuid]`: extend its `features` line or add one after the header."""
    pos = offset
    for line in lines[first:]:
        if _TABLE.match(line):
            break
        m = re.match(r"(\s*features\s*=\s*\[)(.*?)(\]\s*(?:#.*)?)$", line.rstrip("\n\r"))
        if m is not None:
            items = m.group(2).strip().rstrip(",")
            joined = f'{items}, "{feature}"' if items else f'"{feature}"'
            return Edit(manifest, pos + m.start(2), pos + m.end(2), joined)
        pos += len(line)
    return Edit(manifest, offset, offset, f'features = ["{feature}"]\n')
