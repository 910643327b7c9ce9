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
