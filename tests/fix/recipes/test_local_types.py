"""The local type reader on parsed Rust (no cargo): what it reads, and where it says None.

Every fix built on it is compiled before it is offered, so a wrong answer
costs a candidate, not a wrong edit; but an answer where the program does
not say (guessing) would cost verification time on every error, so the
`None` cases matter as much as the answers.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.fix.recipes.local_types import LocalTypes, item_type, strip_refs
from rustcoder.fix.rust_syntax import SourceFile

PROGRAM = """
use std::collections::HashMap;

struct Item { name: String, qty: u32, price: f64 }
struct Store { items: Vec<Item>, index: HashMap<String, usize>, pairs: Vec<(u32, f64)> }

impl Store {
    fn new() -> Self { Store { items: Vec::new(), index: HashMap::new(), pairs: Vec::new() } }
    fn first(&self) -> Option<&Item> { self.items.first() }
    fn total(&self) -> f64 {
        let mut sum = 0.0;
        for item in &self.items {
            let line = item.price * item.qty as f64;
            sum += line;
        }
        for (name, at) in self.index.iter() {
            let copy = name.clone();
        }
        for (i, item) in self.items.iter().enumerate() {
            let owned = item.clone();
        }
        for &(id, weight) in &self.pairs {
            let w = weight;
        }
        let probe = Store::new();
        let found = self.first().unwrap();
        let label = format!("{}", found.name);
        let count = self.items.len();
        let unknown = mystery();
        let best = self.items.iter().map(|i| i.price).fold(0.0, f64::max);
        let summed = self.items.iter().map(|i| i.qty).sum::<u32>();
        sum
    }
}
"""


def _reader() -> tuple[LocalTypes, SourceFile]:
    file = SourceFile(Path("main.rs"), PROGRAM)
    return LocalTypes(file), file


def _type_at_let(name: str) -> str | None:
    """The type the reader gives the value of `let name = …`."""
    reader, file = _reader()
    for node in file.walk():
        if node.type == "let_declaration":
            pattern = node.child_by_field_name("pattern")
            if pattern is not None and file.node_text(pattern).removeprefix("mut ") == name:
                return reader.type_of(node.child_by_field_name("value"))
    raise AssertionError(f"no let {name}")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("sum", "f64"),  # a float literal
        ("line", "f64"),  # field through a `for` over `&self.items`, arithmetic with a cast
        ("copy", "String"),  # `.clone()` of a `&String` key from `HashMap::iter`
        ("owned", "Item"),  # tuple pattern over `.iter().enumerate()`, then `.clone()`
        ("w", "f64"),  # `&(id, weight)` pattern over `&Vec<(u32, f64)>`
        ("probe", "Store"),  # `Store::new()` returns `Self`
        ("found", "&Item"),  # a method's `Option<&Item>`, unwrapped
        ("label", "String"),  # `format!`
        ("count", "usize"),  # `.len()`
        ("unknown", None),  # a function the file does not define
        ("best", "f64"),  # `fold` gives the type of its start value
        ("summed", "u32"),  # a turbofish names it
    ],
)
def test_reads_the_declared_type(name: str, expected: str | None) -> None:
    assert _type_at_let(name) == expected


def test_item_types_follow_how_the_collection_is_iterated() -> None:
    assert item_type("Vec<Item>", "own") == "Item"
    assert item_type("&Vec<Item>", "own") == "&Item"
    assert item_type("&mut [u8]", "own") == "&mut u8"
    assert item_type("HashMap<String, u32>", "ref") == "(&String, &u32)"
    assert item_type("String", "own") is None  # a String is not iterated by `for`
    assert strip_refs("&mut &'a str") == "str"
