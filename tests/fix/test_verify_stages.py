"""Verification that cannot be fooled: the stage table, a shadow that must build, full copies.

The stage table is checked against real rustc: for each pair of stages, an
error of the earlier one hides one of the later one in the same body, and
fixing the first reveals the second. The table must place both accordingly.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from rustcoder.cargo.flycheck import run_check
from rustcoder.cargo.messages import RustDiagnostic
from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import ErrorSet, compare, is_error
from rustcoder.fix.edits import Edit
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.stages import STAGE_OF_CODE, Stage, is_later, stage_of

MANIFEST = '[package]\nname = "s"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n'

# (name, broken body, fixed body): the fix removes an error of an earlier stage
# and a later one appears that was hidden until then.
HIDING = [
    (
        "resolve_hides_typeck",
        "pub fn a() -> u32 { let x = undefined_value; let y: String = x; y.len() as u32 }",
        "pub fn a() -> u32 { let x = 5u32; let y: String = x; y.len() as u32 }",
    ),
    (
        "typeck_hides_borrowck",
        'pub fn b(v: Vec<u8>) -> usize { let a = v; let _n: u32 = "s"; a.len() + v.len() }',
        "pub fn b(v: Vec<u8>) -> usize { let a = v; let _n: u32 = 1; a.len() + v.len() }",
    ),
    (
        "typeck_hides_exhaustiveness",
        'pub fn c(x: Option<u8>) -> u8 { let _s: u32 = "s"; match x { Some(v) => v } }',
        "pub fn c(x: Option<u8>) -> u8 { let _s: u32 = 1; match x { Some(v) => v } }",
    ),
    (
        "typeck_hides_async_send",
        "fn spawn<F: std::future::Future + Send>(_f: F) {}\n"
        "async fn tick() {}\n"
        'async fn d() { let r = std::rc::Rc::new(1); let _s: u32 = "s"; tick().await; drop(r); }\n'
        "pub fn start() { spawn(d()); }",
        "fn spawn<F: std::future::Future + Send>(_f: F) {}\n"
        "async fn tick() {}\n"
        "async fn d() { let r = std::rc::Rc::new(1); let _s: u32 = 1; tick().await; drop(r); }\n"
        "pub fn start() { spawn(d()); }",
    ),
]


def cargo_errors(crate: Path) -> list[RustDiagnostic]:
    from rustcoder.cargo.messages import CargoMessages, parse_cargo_line

    result = subprocess.run(
        ["cargo", "check", "--message-format=json", "--quiet"],
        cwd=crate,
        capture_output=True,
        check=False,
    )
    messages = CargoMessages()
    for line in result.stdout.splitlines():
        parse_cargo_line(line, messages)
    return [d for d in messages.diagnostics if is_error(d)]


def test_the_table_matches_what_rustc_hides(tmp_path: Path) -> None:
    crate = tmp_path / "stages"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(MANIFEST)
    for name, broken, _ in HIDING:
        (crate / "src" / f"{name}.rs").write_text(broken + "\n")
    (crate / "src" / "lib.rs").write_text("".join(f"pub mod {n};\n" for n, _, _ in HIDING))
    before = {d.spans[0].file_name: d for d in cargo_errors(crate)}
    for name, _, fixed in HIDING:
        (crate / "src" / f"{name}.rs").write_text(fixed + "\n")
    after = {d.spans[0].file_name: d for d in cargo_errors(crate)}
    for name, _, _ in HIDING:
        file = f"src/{name}.rs"
        hidden_by, revealed = before[file], after[file]
        assert revealed.message != hidden_by.message, name
        earlier = stage_of(hidden_by.code, hidden_by.message)
        assert earlier is not None, (name, hidden_by.code)
        assert is_later(revealed.code, revealed.message, earlier), (
            name,
            hidden_by.code,
            revealed.code,
            revealed.message,
        )


def test_stage_table_rules() -> None:
    assert list(Stage) == sorted(Stage)
    assert stage_of("E0425", "cannot find value") is Stage.RESOLVE
    assert stage_of("E0308", "mismatched types") is Stage.TYPECK
    assert stage_of("E0382", "use of moved value") is Stage.MIR
    assert stage_of(None, "future cannot be sent between threads safely") is Stage.LATE
    # Nothing without a certain stage: syntax errors, unknown codes, lints, cargo failures.
    for code, message in [
        (None, "this file contains an unclosed delimiter"),
        (None, "expected one of `;` or `}`, found `@`"),
        ("E9999", "something new"),
        ("unused_must_use", "unused result"),
        ("cargo", "failed to read manifest"),
        ("E0658", "use of unstable library feature"),
    ]:
        assert stage_of(code, message) is None
        assert not is_later(code, message, Stage.PARSE)
    assert all(code.startswith("E0") and len(code) == 5 for code in STAGE_OF_CODE)


def _key(code: str, message: str) -> tuple[str, str, str]:
    return (code, message, "src/lib.rs")


def test_compare_counts_only_provably_later_errors_as_revealed() -> None:
    from collections import Counter

    target = _key("E0425", "cannot find value `x`")
    before = ErrorSet(Counter([target]), Counter([target]))
    syntax = _key("", "this file contains an unclosed delimiter")
    later = _key("E0308", "mismatched types")
    same = _key("E0425", "cannot find value `y`")
    after = ErrorSet(Counter([syntax, later, same]), Counter([syntax, later, same]))
    result = compare(before, after, target)
    assert result.target_gone
    assert sorted(result.introduced) == sorted([syntax, same])
    assert result.revealed == [later]
    # A borrowck target: a new type error is earlier, so introduced.
    borrow = _key("E0382", "use of moved value")
    result = compare(
        ErrorSet(Counter([borrow]), Counter([borrow])),
        ErrorSet(Counter([later]), Counter([later])),
        borrow,
    )
    assert result.introduced == [later]


def engine_for(crate: Path) -> FixEngine:
    return FixEngine(
        workspace=CargoWorkspace(root=crate, manifest=crate / "Cargo.toml"),
        check_settings=CheckSettings(),
        settings=FixSettings(parallel=1, timeout_seconds=120),
    )


TYPO = "pub fn total(v: &[u32]) -> u32 {\n    let running: u32 = v.iter().sum();\n    runing\n}\n"


async def test_a_shadow_that_cannot_build_verifies_nothing(tmp_path: Path) -> None:
    """A path dependency in the workspace's `target` dir (build output, never in the copy):
    the user's build works, the shadow's cannot."""
    crate = tmp_path / "ws" / "app"
    dep = crate / "target" / "dep"
    (dep / "src").mkdir(parents=True)
    (dep / "Cargo.toml").write_text(
        '[package]\nname = "dep"\nversion = "0.1.0"\nedition = "2021"\n'
    )
    (dep / "src" / "lib.rs").write_text("pub fn one() -> u32 { 1 }\n")
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(MANIFEST + '[dependencies]\ndep = { path = "target/dep" }\n')
    lib = crate / "src" / "lib.rs"
    lib.write_text(TYPO)
    engine = engine_for(crate)
    # The editor's baseline: the user's own check, which builds.
    user = await run_check(engine.workspace, CheckSettings(target_dir=str(tmp_path / "t")))
    baseline = ErrorSet.of(user.diagnostics, crate)
    target = next(d for d in user.diagnostics if d.code == "E0425")
    start = TYPO.index("runing\n")
    broken = Candidate("drop a brace", "kb", (Edit(lib, start, len(TYPO), "running\n"),))
    good = Candidate("rename", "kb", (Edit(lib, start, start + 6, "running"),))
    for candidate in (broken, good):
        verification = await engine.verify(candidate, target, baseline)
        assert verification.status == "failed", verification
        assert verification.detail.startswith("could not verify"), verification.detail
    assert lib.read_text() == TYPO


async def test_a_syntax_error_is_never_revealed(tmp_path: Path) -> None:
    crate = tmp_path / "c"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(MANIFEST)
    lib = crate / "src" / "lib.rs"
    lib.write_text(TYPO)
    engine = engine_for(crate)
    outcome = await engine.check_base()
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    target = next(d for d in outcome.diagnostics if d.code == "E0425")
    start = TYPO.index("runing\n")
    # The E0425 goes, and with it the closing brace: an error without a code.
    broken = Candidate("cut", "kb", (Edit(lib, start, len(TYPO), "running\n"),))
    verification = await engine.verify(broken, target, baseline)
    assert verification.status == "rejected", verification
    assert verification.comparison is not None and verification.comparison.introduced


@pytest.mark.parametrize("layout", ["symlinked_dir", "large_module"])
async def test_the_shadow_copy_builds_what_cargo_builds(tmp_path: Path, layout: str) -> None:
    crate = tmp_path / "c"
    (crate / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(MANIFEST)
    if layout == "symlinked_dir":
        (crate / "common").mkdir()
        (crate / "common" / "mod.rs").write_text("pub fn one() -> u32 { 1 }\n")
        (crate / "src" / "shared").symlink_to("../common", target_is_directory=True)
        (crate / "src" / "lib.rs").write_text("mod shared;\npub fn f() -> u32 { shared::one() }\n")
    else:
        filler = ("// " + "x" * 1021 + "\n") * (17 * 1024)  # 17 MB of comments
        (crate / "src" / "big.rs").write_text(filler + "pub fn one() -> u32 { 1 }\n")
        (crate / "src" / "lib.rs").write_text("mod big;\npub fn f() -> u32 { big::one() }\n")
    outcome = await engine_for(crate).check_base()
    errors = [f"{d.code}: {d.message}" for d in outcome.diagnostics if is_error(d)]
    assert errors == []
    assert outcome.build_success is True, json.dumps(errors)
