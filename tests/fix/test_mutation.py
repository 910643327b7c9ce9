"""Mutation test: corrupted versions of correct fixes are never accepted.

For each correct fix in `mutations.CASES`, every corruption (dropped or doubled
delimiter, doubled keyword, stray token, file cut short, damaged replacement)
goes through verification as the editor uses it (FixEngine.verify, which the
fix service calls for code actions) and through `rustcoder fix` (as model
proposals from a scripted OpenAI-compatible server on 127.0.0.1). The correct
fix itself must be accepted on both paths, or the test proves nothing.

Cost: one shadow target dir per crate, the corruptions of a crate verified
against it incrementally; the CLI runs once per case with one module per two
corruptions, so one run verifies them all.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings
from rustcoder.fix.candidate import Candidate
from rustcoder.fix.compare import ErrorSet
from rustcoder.fix.engine import FixEngine, FixSettings
from tests.fix.mutations import CASES, FixCase, applied, corruptions
from tests.models.openai_server import FakeOpenAI

MANIFEST = '[package]\nname = "m"\nversion = "0.1.0"\nedition = "2021"\n[workspace]\n'


def crate_with_modules(root: Path, case: FixCase, modules: int) -> Path:
    (root / "src").mkdir(parents=True)
    (root / "Cargo.toml").write_text(MANIFEST)
    (root / "src" / "lib.rs").write_text("".join(f"pub mod m{i};\n" for i in range(modules)))
    for i in range(modules):
        (root / "src" / f"m{i}.rs").write_text(case.source)
    return root


def test_at_least_200_corruptions() -> None:
    assert sum(len(corruptions(case, Path("/c/src/m0.rs"))) for case in CASES) >= 200


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_editor_verification_refuses_every_corruption(tmp_path: Path, case: FixCase) -> None:
    crate = crate_with_modules(tmp_path / case.name, case, 1)
    module = crate / "src" / "m0.rs"
    engine = FixEngine(
        workspace=CargoWorkspace(root=crate, manifest=crate / "Cargo.toml"),
        check_settings=CheckSettings(all_targets=False),
        settings=FixSettings(parallel=2, timeout_seconds=120),
    )
    outcome = await engine.check_base()
    baseline = ErrorSet.of(outcome.diagnostics, crate)
    target = next(d for d in outcome.diagnostics if d.code == case.code)
    correct = await engine.verify(Candidate("fix", "kb", (case.edit(module),)), target, baseline)
    assert correct.ok, correct.detail
    mutants = corruptions(case, module)
    results = await asyncio.gather(
        *(engine.verify(Candidate(what, "kb", edits), target, baseline) for what, edits in mutants)
    )
    accepted = [what for (what, _), v in zip(mutants, results, strict=True) if v.ok]
    assert accepted == [], f"{len(accepted)} of {len(mutants)} corruptions accepted"
    assert module.read_text() == case.source


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
def test_rustcoder_fix_refuses_every_corruption(tmp_path: Path, case: FixCase) -> None:
    """Each module's error gets two model proposals (whole file, then the diagnostic)."""
    probe = Path("/p")
    mutants = [applied(case, edits) for _, edits in corruptions(case, probe)]
    modules = (len(mutants) + 1) // 2 + 1
    crate = crate_with_modules(tmp_path / case.name, case, modules)
    replies = [f"```rust\n{text}```\n" for text in mutants]
    if len(replies) % 2:
        replies.append(replies[-1])
    # The last module's first proposal is the correct fix: it must be taken.
    replies.append(f"```rust\n{case.fixed}```\n")
    with FakeOpenAI(lambda request: "no") as server:
        server.script(*replies)
        result = subprocess.run(
            [
                *(sys.executable, "-m", "rustcoder", "fix", str(crate), "--apply", "--json"),
                *("--no-kb", "--max-rounds", "0", "--model-rounds", "1", "-v"),
                *("--endpoint", server.url, "--model-name", "fake"),
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )
        asked = len(server.chat_requests())
    assert asked >= len(mutants) // 2, result.stderr
    report = json.loads(result.stdout)
    assert [(a["code"], a["source"]) for a in report["applied"]] == [(case.code, "model")]
    last = f"m{modules - 1}.rs"
    assert report["written"] == [f"src/{last}"]
    assert (crate / "src" / last).read_text() == case.fixed
    for i in range(modules - 1):
        assert (crate / "src" / f"m{i}.rs").read_text() == case.source
    compiled = result.stderr.count(": rejected") + result.stderr.count(": failed")
    assert compiled >= 1
