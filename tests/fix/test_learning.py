"""An error that disappears after an edit becomes a learned before/after hunk."""

from __future__ import annotations

import asyncio
from pathlib import Path

from rustcoder.cargo.flycheck import run_check
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.learning_tracker import LearnedFix, LearningTracker
from tests.lsp.helpers import copy_crate


async def test_user_edit_and_applied_fix_are_learned(tmp_path: Path) -> None:
    crate = copy_crate("fix_borrow", tmp_path)
    lib = crate / "src" / "lib.rs"
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    stored: list[LearnedFix] = []
    tracker = LearningTracker(sink=stored.append)
    settings = CheckSettings()

    first = await run_check(workspace, settings)
    assert tracker.on_check(workspace, first) == []
    lib.write_text(lib.read_text().replace("shout(name)", "shout(&name)"))
    second = await run_check(workspace, settings)
    (learned,) = tracker.on_check(workspace, second)
    assert stored == [learned]
    assert learned.code == "E0308"
    assert learned.source == "user"
    assert "shout(name)" in learned.before
    assert "shout(&name)" in learned.after
    assert learned.before.replace("shout(name)", "shout(&name)") == learned.after

    # The same error again, this time fixed by an action the user resolved.
    lib.write_text(lib.read_text().replace("shout(&name)", "shout(name)"))
    third = await run_check(workspace, settings)
    tracker.on_check(workspace, third)
    target = ("E0308", "mismatched types", "src/lib.rs")
    tracker.expect(workspace, Candidate("consider borrowing here", "rustc", ()), target)
    lib.write_text(lib.read_text().replace("shout(name)", "shout(&name)"))
    fourth = await asyncio.wait_for(run_check(workspace, settings), 120)
    (credited,) = tracker.on_check(workspace, fourth)
    assert credited.source == "applied"
    assert credited.title == "consider borrowing here"


async def test_unrelated_changes_elsewhere_are_not_learned(tmp_path: Path) -> None:
    crate = copy_crate("fix_borrow", tmp_path)
    lib = crate / "src" / "lib.rs"
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    tracker = LearningTracker()
    tracker.on_check(workspace, await run_check(workspace, CheckSettings()))
    text = lib.read_text().replace("shout(name)", "shout(&name)")
    lib.write_text("// a comment far away\n" * 20 + text + "\n// and another\n")
    learned = tracker.on_check(workspace, await run_check(workspace, CheckSettings()))
    assert learned == []
