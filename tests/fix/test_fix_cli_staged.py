"""`rustcoder fix` with many errors, time budgets and placeholders, as a user runs it."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings, ModelSettings, Settings
from rustcoder.runtime import Runtime
from tests.fix.test_fix_command import run_fix, tree_digest
from tests.fix.test_model_source_cli import BROKEN, broken_crate, the_file
from tests.fix.test_staged_rounds import MATCH, make_crate
from tests.lsp.helpers import cargo_check_passes, copy_crate
from tests.models.openai_server import FakeOpenAI, Reply


def test_many_errors_are_fixed_in_few_builds(tmp_path: Path) -> None:
    crate = copy_crate("fix_many", tmp_path)
    result = run_fix(crate, "--apply", "--json", "--no-kb")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["errorsBefore"] == 8
    assert report["errorsAfter"] == 0
    assert report["fixed"] == 8 and report["stubbed"] == 0
    # Root causes first: every name-resolution fix comes before any type or borrow fix.
    rounds = {fix["code"]: fix["round"] for fix in report["applied"]}
    assert max(rounds["E0425"], rounds["E0433"]) < min(rounds["E0308"], rounds["E0596"])
    assert report["rounds"] < 8, "independent fixes share builds"
    assert any(fix["batch"] > 1 for fix in report["applied"])
    assert cargo_check_passes(crate, tmp_path / "t").returncode == 0


def test_budgets_stop_the_run_and_say_so(tmp_path: Path) -> None:
    crate = copy_crate("fix_many", tmp_path)
    before = tree_digest(crate)
    result = run_fix(crate, "--json", "--no-kb", "--time-budget", "0.001")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["budgetExhausted"] is True and report["applied"] == []
    assert len(report["remaining"]) == 8
    assert {r["reason"] for r in report["remaining"]} == {"budget"}

    result = run_fix(crate, "--json", "--no-kb", "--error-budget", "0.001", "--batch-size", "1")
    report = json.loads(result.stdout)
    assert report["budgetExhausted"] is False and report["applied"] == []
    assert {r["reason"] for r in report["remaining"]} == {"budget"}
    assert tree_digest(crate) == before

    bad = run_fix(crate, "--time-budget", "0")
    assert bad.returncode == 2 and "must be more than 0" in bad.stderr


def test_placeholders_need_allow_stubs_and_are_not_counted(tmp_path: Path) -> None:
    crate = make_crate(tmp_path, MATCH)
    lib = crate / "src" / "lib.rs"
    result = run_fix(crate, "--apply", "--json", "--no-kb")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert report["applied"] == [] and report["written"] == []
    [remaining] = report["remaining"]
    assert (remaining["code"], remaining["stage"], remaining["reason"]) == ("E0004", "mir", "stub")
    assert all(t["result"] == "stub" for t in remaining["tried"]) and remaining["tried"]
    assert lib.read_text() == MATCH

    result = run_fix(crate, "--apply", "--allow-stubs", "--no-kb")
    assert result.returncode == 0, result.stderr
    assert "todo!()" in lib.read_text()
    assert "placeholder todo!() (not a fix) for E0004" in result.stderr
    assert "0 fix(es), 1 placeholder(s)" in result.stderr


def _stub_model(request: dict[str, Any]) -> Reply | str:
    """A model that answers every error with `todo!()`."""
    text = the_file(request)
    if text is None:
        return "```rust\nfn average(values: &[f64]) -> f64 {\n    todo!()\n}\n```"
    stubbed = text.replace("values.arithmetic_mean()", "todo!()")
    return f"```rust\n{stubbed.replace('values.value_range()', 'todo!()')}```\n"


@pytest.mark.parametrize("allow_stubs", [False, True])
async def test_a_models_placeholder_is_not_a_fix(tmp_path: Path, allow_stubs: bool) -> None:
    crate = broken_crate(tmp_path)
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    with FakeOpenAI() as server:
        server.responder = _stub_model
        settings = Settings(
            check=CheckSettings(target_dir=str(tmp_path / "target")),
            model=ModelSettings(endpoint=server.url, name="fake"),
        )
        runtime = Runtime.open(settings, use_kb=False, warn=pytest.fail)
        fixes = runtime.fixes
        fixes.fix_settings = dataclasses.replace(fixes.fix_settings, allow_stubs=allow_stubs)
        try:
            report = await fixes.fix_rounds(workspace, model_rounds=1)
        finally:
            runtime.close()
        assert server.chat_requests(), "the model was asked"
    if allow_stubs:
        assert [(a.source, a.stub) for a in report.applied] == [("model", "todo!()")]
        assert report.fixed == [] and report.errors_after == 0
    else:
        assert report.applied == [] and report.changed == {}
        assert report.errors_after == 2
    assert (crate / "src" / "lib.rs").read_text() == BROKEN
