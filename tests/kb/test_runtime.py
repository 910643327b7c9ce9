"""The composition root: one runtime puts the knowledge base into every part of the engine."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rustcoder.config import KbSettings, ModelSettings, Settings
from rustcoder.kb.builder import BuildReport
from rustcoder.models.backend import ModelError
from rustcoder.runtime import Runtime


def _settings(kb_path: Path, **model: str) -> Settings:
    return Settings(kb=KbSettings(path=str(kb_path)), model=ModelSettings(**model))


def test_the_kb_reaches_sources_model_and_learning(built_kb: BuildReport, user_kb: Path) -> None:
    settings = _settings(built_kb.path, endpoint="http://127.0.0.1:9/v1", name="coder")
    runtime = Runtime.open(settings, warn=pytest.fail)
    try:
        assert runtime.kb is not None and runtime.kb.base is not None
        assert runtime.kb.opened_from == built_kb.path
        assert [s.name for s in runtime.fixes.sources()] == ["rustc", "kb", "api", "learned"]
        assert runtime.learning.sink is not None
        model = runtime.fixes.model
        assert model is not None and model.examples is not None  # learned fixes as few-shot
        assert model.grounding is not None  # real signatures from the API index
        assert runtime.fixes.check_settings is settings.check
        assert runtime.fixes.fix_settings.timeout_seconds == settings.fix.timeout_seconds
    finally:
        runtime.close()


def test_without_a_kb_the_rules_still_run(built_kb: BuildReport, user_kb: Path) -> None:
    runtime = Runtime.open(_settings(built_kb.path), use_kb=False)
    assert runtime.kb is None
    assert [s.name for s in runtime.fixes.sources()] == ["rustc", "kb", "api"]
    assert runtime.learning.sink is None and runtime.fixes.model is None
    runtime.close()


def test_a_missing_kb_is_a_problem_not_a_failure(tmp_path: Path, user_kb: Path) -> None:
    runtime = Runtime.open(_settings(tmp_path / "none.sqlite"), learn=False)
    assert runtime.kb is not None and not runtime.kb.available
    assert any("no knowledge base" in p for p in runtime.kb.problems)
    assert [s.name for s in runtime.fixes.sources()] == ["rustc", "kb", "api"]
    runtime.close()


def test_a_model_that_cannot_run_is_an_error_for_the_cli(built_kb: BuildReport) -> None:
    settings = _settings(built_kb.path, name="no-such-model-anywhere")
    with pytest.raises(ModelError):
        Runtime.open(settings, use_kb=False)


def test_new_settings_reopen_the_kb_only_when_its_path_changed(
    built_kb: BuildReport, user_kb: Path, tmp_path: Path
) -> None:
    runtime = Runtime.open(_settings(built_kb.path), warn=pytest.fail)
    try:
        first = runtime.kb
        runtime.reconfigure(_settings(built_kb.path, endpoint="http://127.0.0.1:9/v1"))
        assert runtime.kb is first and runtime.fixes.model is not None
        other = tmp_path / "other.sqlite"
        shutil.copyfile(built_kb.path, other)
        runtime.reconfigure(_settings(other))
        assert runtime.kb is not first and runtime.kb is not None
        assert runtime.kb.opened_from == other and runtime.kb.base is not None
        assert runtime.fixes.model is None
    finally:
        runtime.close()
