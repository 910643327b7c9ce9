"""Correct fixes and systematic corruptions of them, for the mutation tests.

Each case is a small broken module with one error and the edit that fixes it.
A corruption is that edit plus damage that can never compile: a dropped
delimiter, a duplicated keyword, a stray token, the file cut short inside an
item, or a typo in the replacement itself. None may ever be accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rustcoder.fix.edits import Edit, apply_edits


@dataclass(frozen=True)
class FixCase:
    name: str
    code: str
    source: str
    old: str
    new: str

    @property
    def fixed(self) -> str:
        return self.source.replace(self.old, self.new, 1)

    def edit(self, path: Path) -> Edit:
        start = self.source.index(self.old)
        return Edit(path, start, start + len(self.old), self.new)


CASES = [
    FixCase(
        "typo",
        "E0425",
        "pub fn total(items: &[u32]) -> u32 {\n"
        "    let running_total: u32 = items.iter().sum();\n"
        "    if running_total > 10 { return 10; }\n"
        "    runing_total\n"
        "}\n",
        "runing_total\n",
        "running_total\n",
    ),
    FixCase(
        "borrow",
        "E0308",
        "fn shout(name: &String) -> usize { name.len() }\n"
        "pub fn run() -> usize {\n"
        '    let name = String::from("x");\n'
        "    let n = shout(name);\n"
        "    n + name.len()\n"
        "}\n",
        "shout(name)",
        "shout(&name)",
    ),
    FixCase(
        "mutable",
        "E0596",
        "pub fn fill(count: usize) -> Vec<usize> {\n"
        "    let values = Vec::new();\n"
        "    for i in 0..count { values.push(i); }\n"
        "    values\n"
        "}\n",
        "let values",
        "let mut values",
    ),
    FixCase(
        "moved",
        "E0382",
        "pub struct Bag { pub items: Vec<u8> }\n"
        "pub fn keep(bag: Bag) -> (Bag, usize) {\n"
        "    let copy = bag.items;\n"
        "    let n = bag.items.len();\n"
        "    (Bag { items: copy }, n)\n"
        "}\n",
        "let copy = bag.items;",
        "let copy = bag.items.clone();",
    ),
    FixCase(
        "method",
        "E0599",
        "pub fn longest(words: &[String]) -> usize {\n"
        "    let mut best = 0;\n"
        "    for w in words { if w.length() > best { best = w.len(); } }\n"
        "    best\n"
        "}\n",
        "w.length()",
        "w.len()",
    ),
    FixCase(
        "argument",
        "E0061",
        "fn scale(x: u32, by: u32) -> u32 { x * by }\n"
        "pub fn doubled(values: &[u32]) -> Vec<u32> {\n"
        "    values.iter().map(|v| scale(*v)).collect()\n"
        "}\n",
        "scale(*v)",
        "scale(*v, 2)",
    ),
]

#: Doubled, each is a syntax error (unlike `return return x`, which compiles).
KEYWORDS = ("fn", "let", "pub", "for", "struct", "mut")
DELIMITERS = "{}()[]"


def _depth_positive_cuts(text: str) -> list[int]:
    """Offsets inside an item (brace depth > 0) after a line end: cutting there never parses."""
    cuts: list[int] = []
    depth = 0
    for i, ch in enumerate(text):
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
        elif ch == "\n" and depth > 0:
            cuts.append(i + 1)
    return cuts


def corruptions(case: FixCase, path: Path) -> list[tuple[str, tuple[Edit, ...]]]:
    """(what, edits) for every corruption of the case's correct fix."""
    fix = case.edit(path)
    source = case.source
    result: list[tuple[str, tuple[Edit, ...]]] = []

    def outside_fix(start: int, end: int) -> bool:
        return end <= fix.start or start >= fix.end

    for i, ch in enumerate(source):
        if ch in DELIMITERS and outside_fix(i, i + 1):
            result.append((f"drop {ch!r} at {i}", (fix, Edit(path, i, i + 1, ""))))
            result.append((f"duplicate {ch!r} at {i}", (fix, Edit(path, i, i, ch))))
    for keyword in KEYWORDS:
        for match in re.finditer(rf"\b{keyword}\b", source):
            if outside_fix(match.start(), match.end()):
                dup = Edit(path, match.start(), match.start(), f"{keyword} ")
                result.append((f"duplicate {keyword!r} at {match.start()}", (fix, dup)))
    for match in re.finditer(r";", source):
        if outside_fix(match.start(), match.end()):
            stray = Edit(path, match.end(), match.end(), " @")
            result.append((f"stray '@' after ; at {match.start()}", (fix, stray)))
    for cut in _depth_positive_cuts(source):
        if cut > fix.end:
            result.append((f"cut short at {cut}", (fix, Edit(path, cut, len(source), ""))))
    # Damage inside the fix's own replacement.
    new = fix.new_text
    for what, damaged in (
        ("replacement with a doubled first character", new[0] + new),
        ("replacement cut in half", new[: max(1, len(new) // 2)]),
        ("replacement with an unbalanced '('", new.rstrip("\n") + "(" + "\n" * new.endswith("\n")),
    ):
        result.append((what, (Edit(path, fix.start, fix.end, damaged),)))
    return result


def applied(case: FixCase, edits: tuple[Edit, ...]) -> str:
    return apply_edits(case.source, edits)
