"""Borrow-checker recipes, each run through the real engine on a fixture crate."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.fix.recipes.helpers import check_fix

RECIPES = Path(__file__).resolve().parents[2] / "data" / "recipes"

CASES = [
    # fixture, error code, recipe or source that must win, text expected after the fix
    ("b_buffer_reuse", "E0382", "kb", "result.push(std::mem::take(&mut current));"),
    ("b_option_take", "E0507", "kb", "let value = self.pending.take()?;"),
    ("b_borrow_param", "E0382", "kb", "fn word_count(text: &str) -> usize"),
    ("b_iter_then_mutate", "E0502", "kb", "for amount in self.entries.clone().iter()"),
    ("b_mut_self", "E0596", None, "pub fn record(&mut self, value: u32)"),
    ("b_return_owned", "E0515", "kb", "pub fn shout(name: &str) -> String"),
]


@pytest.mark.parametrize(("fixture", "code", "source", "expected"), CASES)
async def test_borrow_recipe(
    tmp_path: Path, fixture: str, code: str, source: str | None, expected: str
) -> None:
    before = {"src/lib.rs": (RECIPES / fixture / "src" / "lib.rs").read_text()}
    await check_fix(tmp_path, before, expected, code=code, source=source)
