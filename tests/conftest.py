"""Suite-wide: learned examples go to each test's own file, never the user's data dir.

A server or CLI started by a test (they inherit the environment) would otherwise
learn into `$XDG_DATA_HOME/rustcoder/learned.sqlite`, and a fix learned in one
test would be offered in another.
"""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _hermetic_user_kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RUSTCODER_USER_KB", str(tmp_path / "rustcoder-user-kb" / "learned.sqlite"))
    # A developer's team base must never receive (or answer) a test's examples.
    monkeypatch.delenv("RUSTCODER_KB_SHARED", raising=False)


@pytest.fixture(scope="session")
def smollm2_models() -> Path:
    """The folder of the imported SmolLM2-135M models (see tests/real_model.py)."""
    from tests.real_model import smollm2_models_dir

    return smollm2_models_dir()


@pytest.fixture
def real_models_env(smollm2_models: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """RUSTCODER_MODELS_DIR pointing at the imported real models (for CLIs and servers)."""
    monkeypatch.setenv("RUSTCODER_MODELS_DIR", str(smollm2_models))
    return smollm2_models
