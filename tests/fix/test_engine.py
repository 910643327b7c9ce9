"""The engine verifies candidates by compiling them in shadow copies."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import ErrorSet, is_error
from rustcoder.fix.edits import Edit
from rustcoder.fix.engine import FixEngine, FixSettings, Verification, rank_key
from rustcoder.fix.fix_service import RankedCandidate, rank_verified
from tests.lsp.helpers import copy_crate


def engine_for(crate: Path, timeout: float = 120.0) -> FixEngine:
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    return FixEngine(
        workspace=workspace,
        check_settings=CheckSettings(),
        settings=FixSettings(parallel=2, timeout_seconds=timeout),
    )


def replace(path: Path, old: str, new: str) -> Edit:
    text = path.read_text()
    start = text.index(old)
    return Edit(path=path, start=start, end=start + len(old), new_text=new)


async def test_candidate_introducing_a_new_error_is_refused(tmp_path: Path) -> None:
    crate = copy_crate("fix_borrow", tmp_path)
    lib = crate / "src" / "lib.rs"
    engine = engine_for(crate)
    outcome = await engine.check_base()
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    target = next(d for d in outcome.diagnostics if d.code == "E0308")

    good = Candidate("borrow", "kb", (replace(lib, "shout(name)", "shout(&name)"),))
    # Removes the E0308 by calling something that does not exist: E0425 instead.
    bad = Candidate("rename", "kb", (replace(lib, "shout(name)", "yell(name)"),))
    still_broken = Candidate("noop-ish", "kb", (replace(lib, "shout(name)", "shout((name))"),))

    good_v = await engine.verify(good, target, baseline)
    bad_v = await engine.verify(bad, target, baseline)
    same_v = await engine.verify(still_broken, target, baseline)
    assert good_v.status == "compiles"
    assert bad_v.status == "rejected"
    assert "E0425" in bad_v.detail
    assert same_v.status == "rejected"
    assert same_v.detail == "the error is still there"
    # The user's file is untouched by all of this.
    assert "shout(name)" in lib.read_text()


async def test_shadow_state_is_exact_after_many_candidates(tmp_path: Path) -> None:
    """Cargo's mtime freshness must never reuse artifacts of an earlier candidate."""
    crate = copy_crate("fix_borrow", tmp_path)
    lib = crate / "src" / "lib.rs"
    engine = engine_for(crate)
    engine.settings.parallel = 1
    outcome = await engine.check_base()
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    target = next(d for d in outcome.diagnostics if d.code == "E0308")
    good = Candidate("borrow", "kb", (replace(lib, "shout(name)", "shout(&name)"),))
    for _ in range(2):
        assert (await engine.verify(good, target, baseline)).ok
        engine._cache.clear()
        again = await engine.check_base()
        assert [d.code for d in again.diagnostics if is_error(d)] == ["E0308"]


async def test_best_fix_takes_the_first_verified_in_rank_order(tmp_path: Path) -> None:
    crate = copy_crate("fix_typo", tmp_path)
    lib = crate / "src" / "lib.rs"
    engine = engine_for(crate)
    outcome = await engine.check_base()
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    target = next(d for d in outcome.diagnostics if d.code == "E0425")
    wrong = Candidate("wrong", "kb", (replace(lib, "runing_total", "other"),), score=0.9)
    right = Candidate(
        "right", "kb", (replace(lib, "    runing_total", "    running_total"),), score=0.5
    )
    found = await engine.best_fix(target, [wrong, right], baseline)
    assert found is not None
    assert found[0].title == "right"
    assert found[1].status == "compiles"


def test_rank_order_before_and_after_verification() -> None:
    path = Path("/x/src/lib.rs")
    edit = (Edit(path, 0, 0, "a"),)
    machine = Candidate("m", "rustc", edit, applicability="MachineApplicable")
    maybe = Candidate("r", "rustc", (Edit(path, 0, 0, "b"),), applicability="MaybeIncorrect")
    kb_high = Candidate("k1", "kb", (Edit(path, 0, 0, "c"),), score=0.8)
    kb_low = Candidate("k2", "kb", (Edit(path, 0, 0, "d"),), score=0.1)
    # A recipe sure enough of itself goes before rustc's `.clone()` (e.g. mem::take).
    kb_sure = Candidate("k0", "kb", (Edit(path, 0, 0, "e"),), score=0.95)
    ordered = sorted([kb_low, maybe, kb_high, machine, kb_sure], key=rank_key)
    assert [c.title for c in ordered] == ["k0", "m", "r", "k1", "k2"]
    ranked = rank_verified(
        [
            RankedCandidate(machine, None),
            RankedCandidate(kb_low, Verification("verified")),
            RankedCandidate(kb_high, Verification("compiles")),
        ]
    )
    assert [r.candidate.title for r in ranked] == ["k1", "k2", "m"]


async def test_hanging_check_hits_the_time_limit(tmp_path: Path) -> None:
    crate = copy_crate("check_hangs", tmp_path)
    engine = engine_for(crate, timeout=3)
    outcome = await asyncio.wait_for(engine.check_base(), timeout=60)
    assert outcome.timed_out
    assert outcome.error is not None and "did not finish within 3 s" in outcome.error


@pytest.mark.parametrize("parallel", [1, 2])
async def test_concurrent_verifications_use_separate_slots(tmp_path: Path, parallel: int) -> None:
    crate = copy_crate("fix_borrow", tmp_path)
    lib = crate / "src" / "lib.rs"
    engine = engine_for(crate)
    engine.settings.parallel = parallel
    outcome = await engine.check_base()
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    target = next(d for d in outcome.diagnostics if d.code == "E0308")
    candidates = [
        Candidate("good", "kb", (replace(lib, "shout(name)", "shout(&name)"),)),
        Candidate("bad", "kb", (replace(lib, "shout(name)", "yell(name)"),)),
        Candidate("good2", "kb", (replace(lib, "shout(name)", "shout(name.as_str())"),)),
    ]
    results = await asyncio.gather(*(engine.verify(c, target, baseline) for c in candidates))
    assert [r.status for r in results] == ["compiles", "rejected", "compiles"]
