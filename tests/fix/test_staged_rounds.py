"""Staged verification, many errors at once and placeholders, on real rustc output.

Each rule of the fix rounds against real cargo: a fix whose only new errors
are of a later stage is kept and the run goes on to them; a new error of the
same or an earlier stage refuses it; a run that ends worse than it started
goes back to its best state; independent fixes are verified in one build and
a failed batch falls back to one at a time; placeholders are never applied
unless allowed, and never counted as fixed.

Scripted sources stand for a recipe or a learned example with known
proposals, so what is verified is exactly what the test names.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate, CandidateSource, FixContext
from rustcoder.fix.compare import ErrorSet
from rustcoder.fix.edits import Edit
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.fix_service import RankedCandidate
from rustcoder.fix.recipe_source import RecipeSource
from rustcoder.fix.rounds import FixReport, fix_workspace
from rustcoder.fix.rustc_source import RustcSource

MANIFEST = '[package]\nname = "staged"\nversion = "0.1.0"\nedition = "2021"\n\n[workspace]\n'

#: A type error hides two borrow-check errors of the same body.
STAGED = """pub fn stage(v: Vec<u8>, s: String) -> usize {
    let w = v;
    let t = s;
    let n: u64 = 5u32;
    v.len() + w.len() + s.len() + t.len() + n as usize
}
"""

UNRESOLVED = """
pub fn lookup() -> u32 {
    undefined_value
}
"""

THREE_TYPOS = """//! Three typos.

pub fn a(text: &str) -> usize {
    let words = text.len();
    wrods
}

pub fn b(items: &[u8]) -> usize {
    let count = items.len();
    countt
}

pub fn c(v: &[u32]) -> u32 {
    let total: u32 = v.iter().sum();
    totl
}
"""

#: A match that misses an arm: the recipes answer with `todo!()` arms.
MATCH = """pub enum Light {
    Red,
    Green,
    Amber,
}

pub fn next(light: Light) -> Light {
    match light {
        Light::Red => Light::Green,
        Light::Green => Light::Amber,
    }
}
"""

PLACEHOLDERS = f"""#![deny(unused_variables)]

{MATCH}
pub fn unused() {{
    let spare = 1;
}}
"""


def make_crate(root: Path, source: str, name: str = "c") -> Path:
    crate = root / name
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(MANIFEST)
    (crate / "src" / "lib.rs").write_text(source)
    return crate


@dataclass
class Proposal:
    #: Proposed for diagnostics whose message contains this.
    when: str
    title: str
    #: (old, new): the first `old` in the file becomes `new`.
    replace: list[tuple[str, str]]


@dataclass
class ScriptedSource:
    """A candidate source with fixed proposals, in the engine's order of preference."""

    name: str
    proposals: list[Proposal] = field(default_factory=list)

    def candidates(self, ctx: FixContext) -> list[Candidate]:
        path = ctx.primary_path()
        text = ctx.read_text(path) if path else None
        if path is None or text is None:
            return []
        result = []
        for proposal in self.proposals:
            if proposal.when not in ctx.diagnostic.message:
                continue
            edits = []
            for old, new in proposal.replace:
                start = text.index(old)
                edits.append(Edit(path, start, start + len(old), new))
            result.append(Candidate(proposal.title, self.name, tuple(edits)))
        return result


async def run_rounds(
    crate: Path, sources: list[CandidateSource], lines: list[str] | None = None, **settings: object
) -> FixReport:
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    return await fix_workspace(
        workspace,
        fix_settings=FixSettings(parallel=1, **settings),  # type: ignore[arg-type]
        sources=sources,
        log=lines.append if lines is not None else None,
    )


def fixed_text(report: FixReport, crate: Path) -> str:
    return report.changed[crate / "src" / "lib.rs"][1]


async def test_a_fix_that_reveals_later_errors_is_kept_and_the_run_goes_on(
    tmp_path: Path,
) -> None:
    crate = make_crate(tmp_path, STAGED)
    report = await run_rounds(crate, [RustcSource()])
    first = report.applied[0]
    assert (first.code, first.source, first.status) == ("E0308", "rustc", "verified")
    assert sorted(first.revealed) == [
        "E0382: borrow of moved value: `s`",
        "E0382: borrow of moved value: `v`",
    ]
    # The revealed errors are the next round's targets, fixed together in one build.
    assert [(a.code, a.batch) for a in report.applied[1:]] == [("E0382", 2), ("E0382", 2)]
    assert report.errors_before == 1
    assert report.errors_after == 0
    assert (crate / "src" / "lib.rs").read_text() == STAGED  # nothing written


async def test_new_errors_must_be_of_a_later_stage_than_the_fixed_one(tmp_path: Path) -> None:
    crate = make_crate(tmp_path, STAGED)
    lib = crate / "src" / "lib.rs"
    engine = FixEngine(
        workspace=CargoWorkspace(root=crate, manifest=crate / "Cargo.toml"),
        check_settings=CheckSettings(),
        settings=FixSettings(parallel=1),
    )
    outcome = await engine.check_base()
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    [target] = [d for d in outcome.diagnostics if d.code == "E0308"]
    start = STAGED.index("5u32")

    def literal(text: str) -> Candidate:
        return Candidate(f"use {text}", "kb", (Edit(lib, start, start + 4, text),))

    later = await engine.verify(literal("5u64"), target, baseline)
    assert later.status == "verified", later
    assert later.comparison is not None and len(later.comparison.revealed) == 2
    assert RankedCandidate(literal("5u64"), later).label == (
        "✓ compiles through type checking (reveals 2 borrow-check errors)"
    )
    same = await engine.verify(literal("5u64.lenn()"), target, baseline)
    assert (same.status, same.detail) == ("rejected", "introduces E0599")
    earlier = await engine.verify(literal("five"), target, baseline)
    assert (earlier.status, earlier.detail) == ("rejected", "introduces E0425")


async def test_a_run_that_ends_worse_goes_back_to_its_best_state(tmp_path: Path) -> None:
    """Fixing the type error reveals two borrow errors nothing fixes, while the
    unresolved name stays: same earliest stage, more errors. The fix is undone."""
    crate = make_crate(tmp_path, STAGED + UNRESOLVED)
    source = ScriptedSource("kb", [Proposal("mismatched", "Use a u64", [("5u32", "5u64")])])
    lines: list[str] = []
    report = await run_rounds(crate, [source], lines)
    assert [a.title for a in report.rolled_back] == ["Use a u64"]
    assert report.applied == [] and report.changed == {}
    assert report.errors_before == report.errors_after == 2
    reasons = {r.code: r.reason for r in report.remaining}
    assert reasons == {"E0308": "rolled-back", "E0425": "no-candidate"}
    assert any("rolled back" in line for line in lines), lines


async def test_a_failed_batch_falls_back_to_one_fix_at_a_time(tmp_path: Path) -> None:
    """Round 1 batches all three: `wrods`' first candidate leaves it there (blamed, the
    batch is retried without it), and the two others together define `helper` twice
    (nothing to blame): one at a time from there. The third stays, with the reason."""
    crate = make_crate(tmp_path, THREE_TYPOS)
    helper = "fn helper() {}\n\n"
    source = ScriptedSource(
        "kb",
        [
            Proposal("`wrods`", "comment", [("    wrods", "    /* words */ wrods")]),
            Proposal("`wrods`", "words", [("wrods", "words")]),
            Proposal(
                "`countt`", "count", [("countt", "count"), ("pub fn b(", helper + "pub fn b(")]
            ),
            Proposal("`totl`", "total", [("totl", "total"), ("pub fn a(", helper + "pub fn a(")]),
        ],
    )
    lines: list[str] = []
    report = await run_rounds(crate, [source], lines)
    assert "round 1: 3 fixes in one build: rejected (the error is still there)" in lines, lines
    assert "round 1: 2 fixes in one build: rejected (introduces E0428)" in lines, lines
    assert [(a.title, a.batch) for a in report.applied] == [("words", 1), ("count", 1)]
    [left] = report.remaining
    assert (left.message, left.reason) == (
        "cannot find value `totl` in this scope",
        "introduced-errors",
    )
    [tried] = left.tried
    assert tried.title == "total"
    assert tried.introduced == ["E0428: the name `helper` is defined multiple times (src/lib.rs)"]


async def test_placeholders_are_applied_only_when_allowed_and_never_count(
    tmp_path: Path,
) -> None:
    """The recipe's `todo!()` arm and a learned `#[allow]` both silence an error."""
    allow = ScriptedSource(
        "learned",
        [
            Proposal(
                "unused variable",
                "allow it",
                [("pub fn unused", "#[allow(unused_variables)]\npub fn unused")],
            )
        ],
    )
    crate = make_crate(tmp_path, PLACEHOLDERS, "refused")
    report = await run_rounds(crate, [RecipeSource(), allow])
    assert report.applied == [] and report.changed == {}
    reasons = {r.code: r.reason for r in report.remaining}
    assert reasons == {"E0004": "stub", "unused_variables": "stub"}
    details = [t.detail for r in report.remaining for t in r.tried]
    assert any(d.startswith("adds todo!()") for d in details), details
    assert any(d.startswith("adds #[allow(...)]") for d in details), details

    crate = make_crate(tmp_path, PLACEHOLDERS, "allowed")
    report = await run_rounds(crate, [RecipeSource(), allow], allow_stubs=True)
    assert report.errors_after == 0
    assert sorted((a.code, a.stub) for a in report.applied) == [
        ("E0004", "todo!()"),
        ("unused_variables", "#[allow(...)]"),
    ]
    assert report.fixed == [] and len(report.stubbed) == 2
    assert "todo!()" in fixed_text(report, crate)
