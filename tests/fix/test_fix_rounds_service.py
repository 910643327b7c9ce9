"""The rounds "Fix all" runs: the fix service's, with the runtime's sources and model."""

from __future__ import annotations

from pathlib import Path

import pytest

from rustcoder.cargo.workspace import CargoWorkspace
from rustcoder.config import CheckSettings, ModelSettings, Settings
from rustcoder.runtime import Runtime
from tests.fix.test_model_source_cli import MEAN_FIX, RANGE_FIX, broken_crate, one_fix_per_round
from tests.models.openai_server import FakeOpenAI


async def test_fix_rounds_of_one_file_use_the_configured_model(tmp_path: Path) -> None:
    crate = broken_crate(tmp_path)
    lib = crate / "src" / "lib.rs"
    before = lib.read_text()
    workspace = CargoWorkspace(root=crate, manifest=crate / "Cargo.toml")
    check = CheckSettings(target_dir=str(tmp_path / "target"))
    with FakeOpenAI() as server:
        server.responder = one_fix_per_round
        settings = Settings(check=check, model=ModelSettings(endpoint=server.url, name="fake"))
        runtime = Runtime.open(settings, use_kb=False, warn=pytest.fail)
        try:
            report = await runtime.fixes.fix_rounds(workspace, only_file=lib)
        finally:
            runtime.close()
        assert len(server.chat_requests()) == 2, "one model round per error"
    assert report.errors_after == 0
    assert [a.source for a in report.applied] == ["model", "model"]
    _, after = report.changed[lib]
    assert MEAN_FIX[1] in after and RANGE_FIX[1] in after
    assert lib.read_text() == before  # rounds run in shadow copies; nothing is written
