"""Borrow-checker recipes, each run through the real engine on a fixture crate."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.fix.fix_command import fix_workspace

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
    crate = tmp_path / fixture
    shutil.copytree(RECIPES / fixture, crate)
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    report = await fix_workspace(workspace)
    assert report.errors_before >= 1
    assert report.errors_after == 0, report.unfixed
    assert report.applied[0].code == code
    if source is not None:
        assert report.applied[0].source == source, report.applied
    (after,) = [text for _, text in report.changed.values()]
    assert expected in after
    # rustcoder fix without --apply never writes.
    assert expected not in (crate / "src" / "lib.rs").read_text()
