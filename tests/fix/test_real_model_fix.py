"""`rustcoder fix --model` with a real model (SmolLM2-135M imported from its GGUF).

A 135M model rarely finds a fix that compiles; what is tested is the plumbing:
the model loads by name, is asked, its replies are compiled, only a verified
improvement is written (never worse), and the time limit of a generation holds.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.fix.test_fix_command import run_fix, tree_digest
from tests.fix.test_model_source_cli import broken_crate
from tests.lsp.helpers import cargo_check_passes
from tests.real_model import NAME


def fix_with_real_model(crate: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run_fix(crate, "--model", NAME, *args, "--apply", "--json")


def test_a_real_model_fix_runs_end_to_end_and_never_worsens(
    tmp_path: Path, real_models_env: Path
) -> None:
    crate = broken_crate(tmp_path)
    before = tree_digest(crate)
    result = fix_with_real_model(crate, "--model-rounds", "1", "--max-tokens", "96")
    assert result.returncode in (0, 1), result.stderr
    assert "Traceback" not in result.stderr
    report = json.loads(result.stdout)
    assert report["modelError"] is None, "the model loaded and answered"
    assert report["errorsBefore"] >= 2
    assert report["errorsAfter"] <= report["errorsBefore"]
    if report["applied"]:
        assert all(f["source"] == "model" for f in report["applied"])
        assert report["errorsAfter"] < report["errorsBefore"]
        assert report["written"] == ["src/lib.rs"]
        fixed = (crate / "src" / "lib.rs").read_text()
        assert "fn mean_of_two()" in fixed, "the model's rewrite kept the tests"
        if report["errorsAfter"] == 0:
            assert cargo_check_passes(crate, tmp_path / "t").returncode == 0
    else:
        assert report["written"] == [] and tree_digest(crate) == before
        assert result.returncode == 1


def test_the_generation_time_limit_holds_with_a_real_model(
    tmp_path: Path, real_models_env: Path
) -> None:
    crate = broken_crate(tmp_path)
    before = tree_digest(crate)
    # A whole-file reply of up to 4096 tokens cannot come in 0.1 s: each generation is
    # cut at the limit, said so, and nothing is written.
    result = fix_with_real_model(crate, "--model-timeout", "0.1", "--max-tokens", "4096")
    assert result.returncode == 1, result.stderr
    report = json.loads(result.stdout)
    assert "did not finish within 0.1 s" in (report["modelError"] or ""), report
    assert report["applied"] == [] and tree_digest(crate) == before
