"""Fix-engine tests run real cargo on private copies of fixture crates."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lsp.helpers import copy_crate


@pytest.fixture
def crate(tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """A copy of the fixture crate named by the test's `crate_name` parameter."""
    name: str = request.param
    return copy_crate(name, tmp_path)
