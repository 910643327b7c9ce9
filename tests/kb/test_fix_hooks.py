"""The knowledge base plugged into the fix engine: recipe scores and learned candidates."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.cargo.flycheck import run_check
from rustcoder.cargo.messages import make_diagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import FixContext
from rustcoder.fix.compare import ErrorSet, is_error
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.knowledge import RECIPE_BONUS, FixKnowledge
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.learn import LearnedEntry
from rustcoder.runtime import candidate_sources


def test_sources_follow_the_kb(kb: KnowledgeBase) -> None:
    assert [s.name for s in candidate_sources(None)] == ["rustc", "kb"]
    assert [s.name for s in candidate_sources(FixKnowledge(kb))] == ["rustc", "kb", "learned"]


def test_recipe_scores_favour_the_matching_recipe(kb: KnowledgeBase, tmp_path: Path) -> None:
    diagnostic = make_diagnostic(
        "cannot borrow `queue` as mutable, as it is not declared as mutable", code="E0596"
    )
    ctx = FixContext(workspace_root=tmp_path, diagnostic=diagnostic, read_text=lambda _p: None)
    scores = FixKnowledge(kb).recipe_scores(ctx)
    best = max(scores, key=lambda k: scores[k])
    assert best == "E0596-add-mut-binding"
    assert scores[best] == pytest.approx(RECIPE_BONUS)
    assert all(0 < v <= RECIPE_BONUS for v in scores.values())
    # Without a base, no scores (and no error).
    assert FixKnowledge(KnowledgeBase(None, kb.learning, kb.embedder)).recipe_scores(ctx) == {}


LEARNED_BEFORE = """fn render(parts: &[String]) -> String {
    let mut out = String::new();
    for part in parts.iter().cloned() {
        out.push_str(part);
    }
    out
}
"""
LEARNED_AFTER = LEARNED_BEFORE.replace("out.push_str(part);", "out.push_str(part.as_str());")

CRATE_LIB = """pub fn sentence(words: Vec<String>) -> String {
    let mut buf = String::new();
    for word in words {
        buf.push_str(word);
        buf.push(' ');
    }
    buf
}
"""


async def test_learned_example_becomes_a_verified_candidate(
    kb: KnowledgeBase, tmp_path: Path
) -> None:
    active_kb = kb
    assert active_kb.learning is not None
    active_kb.learning.record(
        LearnedEntry(code="E0308", message="mismatched types", before=LEARNED_BEFORE,
                     after=LEARNED_AFTER, success_count=3)
    )  # fmt: skip
    crate = tmp_path / "words"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[package]\nname = "words"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    (crate / "src" / "lib.rs").write_text(CRATE_LIB)
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    outcome = await run_check(workspace, CheckSettings(target_dir=str(tmp_path / "target")))
    (target,) = [d for d in outcome.diagnostics if is_error(d)]
    assert target.code == "E0308"
    engine = FixEngine(
        workspace=workspace,
        settings=FixSettings(parallel=1),
        sources=candidate_sources(FixKnowledge(active_kb)),
    )
    learned = [c for c in engine.candidates(target) if c.source == "learned"]
    assert learned, "no learned candidate"
    assert "worked 3 times" in learned[0].title
    (edit,) = learned[0].edits
    assert "word.as_str()" in edit.new_text
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    verification = await engine.verify(learned[0], target, baseline)
    assert verification.ok, verification.detail
