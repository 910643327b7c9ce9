"""Model replies become exact edits, or nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.fix.edits import apply_edits
from rustcoder.fix.model_reply import (
    apply_unified_diff,
    code_blocks,
    enclosing_item,
    minimal_edit,
    parse_reply,
)

PATH = Path("/ws/src/lib.rs")
SOURCE = """use std::collections::HashMap;

/// Sums the values.
pub fn total(items: &[u32]) -> u32 {
    let sum: u64 = items.iter().sum();
    sum
}

pub struct Counter {
    hits: HashMap<String, u32>,
}

impl Counter {
    pub fn bump(&mut self, key: &str) -> u32 {
        let n = self.hits.entry(key).or_insert(0);
        *n += 1;
        *n
    }
}
"""
FIXED_TOTAL = """pub fn total(items: &[u32]) -> u32 {
    let sum: u32 = items.iter().sum();
    sum
}"""


def item_at(snippet: str):  # type: ignore[no-untyped-def]
    start = SOURCE.index(snippet)
    item = enclosing_item(SOURCE, start, start + len(snippet))
    assert item is not None
    return item


def fixed(reply: str, snippet: str | None = "u64 = items") -> str | None:
    item = item_at(snippet) if snippet else None
    parsed = parse_reply(reply, PATH, SOURCE, item)
    return None if parsed is None else apply_edits(SOURCE, parsed.edits)


def test_enclosing_item_is_the_innermost_item_with_its_name() -> None:
    item = item_at("u64 = items")
    assert (item.kind, item.name) == ("function_item", "total")
    assert item.text.startswith("pub fn total") and item.text.endswith("}")
    method = item_at("entry(key)")
    assert (method.kind, method.name) == ("function_item", "bump")
    assert enclosing_item(SOURCE, 0, 3) is None  # the `use` at top level


def test_fenced_item_replaces_the_enclosing_item_only() -> None:
    reply = f"Here is the fix:\n\n```rust\n{FIXED_TOTAL}\n```\nThe sum was u64."
    result = fixed(reply)
    assert result == SOURCE.replace("let sum: u64", "let sum: u32")


def test_item_inside_an_impl_is_found_and_reindented() -> None:
    reply = (
        "```rust\nimpl Counter {\npub fn bump(&mut self, key: &str) -> u32 {\n"
        "    let n = self.hits.entry(key.to_string()).or_insert(0);\n"
        "    *n += 1;\n    *n\n}\n}\n```"
    )
    result = fixed(reply, "entry(key)")
    assert result == SOURCE.replace("entry(key)", "entry(key.to_string())")


def test_new_use_lines_go_with_the_imports() -> None:
    reply = f"```rust\nuse std::fmt::Write;\nuse std::collections::HashMap;\n\n{FIXED_TOTAL}\n```"
    result = fixed(reply)
    assert result is not None
    assert result.startswith("use std::collections::HashMap;\nuse std::fmt::Write;\n\n")
    assert result.count("use std::collections::HashMap;") == 1
    assert "let sum: u32" in result


def test_whole_file_reply() -> None:
    new = SOURCE.replace("let sum: u64", "let sum: u32")
    assert fixed(f"```rust\n{new}```") == new
    assert fixed(f"```rust\n{new}```", snippet=None) == new


def test_whole_file_that_drops_an_item_is_refused() -> None:
    dropped = SOURCE[: SOURCE.index("impl Counter")].replace("u64", "u32")
    assert fixed(f"```rust\n{dropped}```", snippet=None) is None


@pytest.mark.parametrize(
    "body",
    [
        "pub fn total(items: &[u32]) -> u32 {\n    // ... rest unchanged\n}",
        "pub fn total(items: &[u32]) -> u32 {\n    ...\n}",
    ],
)
def test_placeholders_are_refused(body: str) -> None:
    assert fixed(f"```rust\n{body}\n```") is None


def test_unified_diff_reply_with_wrong_line_numbers() -> None:
    diff = (
        "```diff\n--- a/src/lib.rs\n+++ b/src/lib.rs\n@@ -40,3 +40,3 @@\n"
        " pub fn total(items: &[u32]) -> u32 {\n"
        "-    let sum: u64 = items.iter().sum();\n"
        "+    let sum: u32 = items.iter().sum();\n"
        "     sum\n```"
    )
    assert fixed(diff) == SOURCE.replace("let sum: u64", "let sum: u32")


def test_a_diff_that_does_not_match_gives_nothing() -> None:
    diff = "@@ -1,2 +1,2 @@\n-fn nothing_like_this() {}\n+fn x() {}\n"
    assert apply_unified_diff(SOURCE, diff) is None
    assert fixed(diff) is None


@pytest.mark.parametrize(
    "reply",
    [
        "",
        "I cannot help with that.",
        "```rust\nfn unrelated() {}\n```",
        "```rust\nlet sum: u32 = items.iter().sum();\n```",
        "```toml\n[dependencies]\n```",
        "\x00\x01garbage\ufffd",
        f"```rust\n{SOURCE}```",  # unchanged: nothing to do
    ],
)
def test_unusable_replies_give_nothing(reply: str) -> None:
    assert fixed(reply) is None


def test_reasoning_is_ignored_and_an_unterminated_fence_runs_to_the_end() -> None:
    reply = f"<think>maybe ```rust\nfn total() {{}}\n``` no</think>```rust\n{FIXED_TOTAL}\n"
    assert fixed(reply) == SOURCE.replace("let sum: u64", "let sum: u32")
    assert code_blocks("```rust\nfn a() {}\n") == [("rust", "fn a() {}\n")]


def test_minimal_edit_covers_only_the_difference() -> None:
    edit = minimal_edit(PATH, "abcdef", "abXYef")
    assert edit is not None and (edit.start, edit.end, edit.new_text) == (2, 4, "XY")
    assert minimal_edit(PATH, "same", "same") is None
