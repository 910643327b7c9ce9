"""Turn a model's reply into edits: fenced code, a whole item, a whole file, or a diff.

Models answer in many shapes: the corrected function in a ```rust block, the
whole file, a unified diff, prose around any of these, reasoning in
`<think>` tags. Each shape is recognised and turned into exact edits of the
current text; anything else gives nothing. A reply that would silently drop
code (an item missing from a "whole file", a `// ... rest unchanged`
placeholder) is refused here, before any compile: verification proves that a
fix compiles, not that it kept the user's code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import tree_sitter

from rustcoder.fix.edits import Edit
from rustcoder.fix.rust_syntax import SourceFile

#: Items a reply may replace whole (innermost first wins: a method before its impl).
ITEM_TYPES = (
    "function_item",
    "struct_item",
    "enum_item",
    "union_item",
    "impl_item",
    "trait_item",
    "const_item",
    "static_item",
    "type_item",
    "macro_definition",
    "mod_item",
)
RUST_LANGS = {"", "rust", "rs"}
_FENCE = re.compile(
    r"^[ \t]*```[ \t]*([\w+#.-]*)[^\n]*\n(.*?)(?:^[ \t]*```[ \t]*$|\Z)", re.M | re.S
)
_THINK = re.compile(r"<think>.*?(?:</think>|\Z)", re.S)
_HUNK = re.compile(r"^@@ -(\d+)(?:,\d+)? \+\d+(?:,\d+)? @@")
#: Lines that stand for code the model left out.
_PLACEHOLDER = re.compile(
    r"^\s*(//+\s*\.\.\.|//+.*\b(rest|remaining|unchanged|same as before|existing code)\b|"
    r"/\*\s*\.\.\.\s*\*/|\.\.\.\s*$|…)",
    re.I | re.M,
)

Kind = Literal["item", "file", "diff"]


@dataclass(frozen=True)
class ItemSpan:
    """The item enclosing an error: what the model is shown and may replace."""

    start: int
    end: int
    kind: str
    name: str | None
    text: str


@dataclass(frozen=True)
class ParsedFix:
    kind: Kind
    edits: tuple[Edit, ...]


def _item_name(file: SourceFile, node: tree_sitter.Node) -> str | None:
    if node.type == "impl_item":
        parts = [node.child_by_field_name("trait"), node.child_by_field_name("type")]
        return " for ".join(file.node_text(p) for p in parts if p is not None) or None
    ident = node.child_by_field_name("name")
    return file.node_text(ident) if ident is not None else None


def enclosing_item(text: str, start: int, end: int) -> ItemSpan | None:
    """The innermost item around [start, end), attributes included; None at top level."""
    file = SourceFile(Path("input.rs"), text)
    node = file.enclosing(file.node_at(start, end), *ITEM_TYPES)
    if node is None:
        return None
    lo, hi = file.item_start(node), file.end(node)
    return ItemSpan(lo, hi, node.type, _item_name(file, node), text[lo:hi])


def strip_reasoning(reply: str) -> str:
    return _THINK.sub("", reply)


def code_blocks(reply: str) -> list[tuple[str, str]]:
    """(language, code) of each fenced block; an unterminated last fence runs to the end."""
    return [(m.group(1).lower(), m.group(2)) for m in _FENCE.finditer(reply)]


def has_placeholder(code: str) -> bool:
    return _PLACEHOLDER.search(code) is not None


def minimal_edit(path: Path, old: str, new: str) -> Edit | None:
    """One edit covering only what differs between `old` and `new`."""
    if old == new:
        return None
    prefix = 0
    limit = min(len(old), len(new))
    while prefix < limit and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]:
        suffix += 1
    return Edit(path, prefix, len(old) - suffix, new[prefix : len(new) - suffix])


def _top_level_names(file: SourceFile) -> set[tuple[str, str]]:
    names = set()
    for child in file.root.named_children:
        if child.type in ITEM_TYPES:
            name = _item_name(file, child)
            if name:
                names.add((child.type, name))
    return names


def _all_items(file: SourceFile) -> list[tree_sitter.Node]:
    return [n for n in file.walk() if n.type in ITEM_TYPES]


def _reindent(code: str, indent: str) -> str:
    """Strip the block's common indentation; indent lines after the first by `indent`."""
    lines = code.split("\n")
    body = [line for line in lines[1:] if line.strip()]
    common = min((len(line) - len(line.lstrip()) for line in body), default=0)
    first_indent = len(lines[0]) - len(lines[0].lstrip())
    common = min(common, first_indent) if lines[0].strip() else common
    out = [lines[0].lstrip()]
    for line in lines[1:]:
        out.append(indent + line[common:] if line.strip() else "")
    return "\n".join(out)


def _whole_file(path: Path, text: str, code: str) -> ParsedFix | None:
    new = code if code.endswith("\n") or not text.endswith("\n") else code + "\n"
    if has_placeholder(new) and not has_placeholder(text):
        return None
    before = _top_level_names(SourceFile(path, text))
    after = _top_level_names(SourceFile(path, new))
    if not before <= after:
        return None  # the reply drops an item of the file
    edit = minimal_edit(path, text, new)
    return ParsedFix("file", (edit,)) if edit else None


def _replace_item(path: Path, text: str, code: str, item: ItemSpan) -> ParsedFix | None:
    reply = SourceFile(path, code)
    match = next(
        (n for n in _all_items(reply) if n.type == item.kind and _item_name(reply, n) == item.name),
        None,
    )
    original = SourceFile(path, text)
    if match is None or (reply.root.has_error and not original.root.has_error):
        # With a syntax error in the reply, the item's extent is the parser's guess,
        # and splicing that guess in can cut the item short into code that compiles.
        return None
    new_item = code[reply.item_start(match) : reply.end(match)]
    if has_placeholder(new_item) and not has_placeholder(item.text):
        return None
    new_item = _reindent(new_item, original.indent_at(item.start))
    edits: list[Edit] = []
    edit = minimal_edit(path, item.text, new_item)
    if edit is not None:
        edits.append(Edit(path, item.start + edit.start, item.start + edit.end, edit.new_text))
    # `use` lines the fix needs (e.g. `use std::fmt::Display;`) go with the file's imports.
    present = {" ".join(original.node_text(n).split()) for n in original.root.named_children}
    uses = [
        reply.node_text(n)
        for n in reply.root.named_children
        if n.type == "use_declaration" and " ".join(reply.node_text(n).split()) not in present
    ]
    if uses:
        at = original.use_insertion_offset()
        if item.start < at < item.end:
            return None
        edits.append(Edit(path, at, at, "".join(u + "\n" for u in uses)))
    return ParsedFix("item", tuple(edits)) if edits else None


def apply_unified_diff(text: str, diff: str) -> str | None:
    """Apply a unified diff's hunks by their content (models get line numbers wrong)."""
    lines = text.split("\n")
    hunks: list[tuple[int, list[str], list[str]]] = []
    current: tuple[int, list[str], list[str]] | None = None
    for raw in diff.split("\n"):
        header = _HUNK.match(raw)
        if header:
            current = (int(header.group(1)) - 1, [], [])
            hunks.append(current)
            continue
        if current is None or raw.startswith(("---", "+++", "\\")):
            continue
        tag, body = (raw[:1], raw[1:]) if raw else (" ", "")
        if tag == " ":
            current[1].append(body)
            current[2].append(body)
        elif tag == "-":
            current[1].append(body)
        elif tag == "+":
            current[2].append(body)
    if not hunks:
        return None
    offset = 0
    for hint, old, new in hunks:
        while old and not old[-1].strip() and new and not new[-1].strip():
            old, new = old[:-1], new[:-1]  # trailing blank context often is an artefact
        at = _find_block(lines, old, hint + offset)
        if at is None:
            return None
        lines[at : at + len(old)] = new
        offset += len(new) - len(old)
    return "\n".join(lines)


def _find_block(lines: list[str], block: list[str], hint: int) -> int | None:
    if not block:
        return max(0, min(hint, len(lines)))
    for normalise in (lambda s: s, lambda s: s.rstrip(), lambda s: s.strip()):
        wanted = [normalise(b) for b in block]
        starts = [
            i
            for i in range(len(lines) - len(block) + 1)
            if [normalise(x) for x in lines[i : i + len(block)]] == wanted
        ]
        if starts:
            return min(starts, key=lambda i: abs(i - hint))
    return None


def _diff_text(reply: str, blocks: list[tuple[str, str]]) -> str | None:
    for lang, code in blocks:
        if lang in ("diff", "patch", "udiff") or re.search(r"^@@ -\d", code, re.M):
            return code
    if re.search(r"^@@ -\d", reply, re.M):
        return reply
    return None


def parse_reply(
    reply: str, path: Path, text: str, item: ItemSpan | None = None
) -> ParsedFix | None:
    """Edits of `text` (the file at `path`) from a model reply; None if it is not usable.

    With `item`, the reply is expected to hold that item corrected (or the whole
    file); without, the whole file corrected. A unified diff is accepted either way.
    """
    reply = strip_reasoning(reply)
    blocks = code_blocks(reply)
    diff = _diff_text(reply, blocks)
    if diff is not None:
        new = apply_unified_diff(text, diff)
        if new is None or (has_placeholder(new) and not has_placeholder(text)):
            return None
        edit = minimal_edit(path, text, new)
        return ParsedFix("diff", (edit,)) if edit else None
    codes = [code for lang, code in blocks if lang in RUST_LANGS]
    if not blocks and reply.strip():
        codes = [reply]  # no fence: the reply may be bare code (completion-style prompts)
    # The last block is usually the final answer; a longer one usually the complete one.
    for code in sorted(reversed(codes), key=len, reverse=True):
        if not code.strip():
            continue
        file_names = _top_level_names(SourceFile(path, text))
        reply_names = _top_level_names(SourceFile(path, code))
        whole = item is None or (len(file_names) > 1 and file_names <= reply_names)
        if whole or item is None:
            found = _whole_file(path, text, code)
        else:
            found = _replace_item(path, text, code, item)
        if found is not None:
            return found
    return None
