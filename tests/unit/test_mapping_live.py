"""The stored captures still match what the installed rustc reports.

Runs the real `cargo check` on a few mapping fixtures (chosen to cover lints
with fixes, macro expansions into std and non-ASCII columns) and compares the
*mapped* result with expected.json, so a rustc upgrade that changes spans,
messages or suggestions shows up as stale captures. Needs cargo; no network.
Deselect with `-k "not live"`.
"""

from __future__ import annotations

import difflib
import importlib.util
import json
import shutil
from pathlib import Path
from types import ModuleType

import pytest

MAPPING_DIR = Path(__file__).resolve().parents[1] / "data" / "mapping"
LIVE_FIXTURES = ["unused", "std_macros", "non_ascii"]

pytestmark = [
    pytest.mark.skipif(shutil.which("cargo") is None, reason="cargo is not installed"),
    pytest.mark.timeout(120),
]


def _load_capture() -> ModuleType:
    spec = importlib.util.spec_from_file_location("mapping_capture", MAPPING_DIR / "capture.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


capture = _load_capture()


@pytest.fixture(scope="module")
def target_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One target dir for the module: the fixtures share nothing, but std's metadata is reused."""
    return tmp_path_factory.mktemp("mapping-live") / "target"


@pytest.mark.parametrize("name", LIVE_FIXTURES)
def test_capture_is_current(name: str, target_dir: Path) -> None:
    live = capture.capture(name, target_dir)
    live_mapped = capture.snapshot(capture.map_capture(live))
    expected = json.loads((MAPPING_DIR / name / "expected.json").read_text(encoding="utf-8"))
    if live_mapped != expected:
        diff = "\n".join(
            difflib.unified_diff(
                capture.dump_json(expected).splitlines(),
                capture.dump_json(live_mapped).splitlines(),
                fromfile=f"{name}/expected.json",
                tofile=f"{name} (live cargo check)",
                lineterm="",
                n=3,
            )
        )
        pytest.fail(
            f"the installed rustc reports something else for {name}; the captures are stale:\n"
            f"{diff}\n\nRecapture with:\n    .venv/bin/python tests/data/mapping/capture.py",
            pytrace=False,
        )


def test_live_fixtures_exist() -> None:
    assert set(LIVE_FIXTURES) <= set(capture.fixture_names())
