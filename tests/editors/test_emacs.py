"""A real Emacs with eglot applies rustcoder's preferred quick fix, then `cargo check` passes.

Debian's eglot 1.9 (Emacs 28) has no codeAction/resolve, so this is the path of
a client that gets edits inside the codeAction answer. Skipped where Emacs or
eglot is not installed (`apt-get install emacs-nox elpa-eglot`).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.editors.conftest import cargo_check, copy_fixture, isolated_env, server_command

DRIVER = Path(__file__).with_name("eglot_driver.el")
TIMEOUT_S = int(os.environ.get("RUSTCODER_EDITOR_TIMEOUT", "120"))


@pytest.fixture(scope="module")
def emacs() -> str:
    binary = shutil.which("emacs")
    if binary is None:
        pytest.skip("emacs is not installed (apt-get install emacs-nox elpa-eglot)")
    probe = subprocess.run(
        [binary, "--batch", "-q", "--eval", "(require 'eglot)"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    if probe.returncode != 0:
        pytest.skip(f"eglot is not available in {binary}: {probe.stderr.strip()[-200:]}")
    return binary


def test_eglot_applies_preferred_fix(emacs: str, tmp_path: Path) -> None:
    crate = copy_fixture("crates", "fix_borrow", tmp_path)
    assert cargo_check(crate).returncode != 0, "the fixture must start broken"
    env = {
        **isolated_env(tmp_path),
        "RC_CMD": json.dumps(server_command()),
        "RC_FILE": str(crate / "src" / "lib.rs"),
        "RC_CODE": "E0308",
        "RC_EXPECT": "shout(&name)",
        "RC_TIMEOUT": str(TIMEOUT_S),
    }
    proc = subprocess.run(
        [emacs, "--batch", "-q", "-l", str(DRIVER)],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S * 4,
        stdin=subprocess.DEVNULL,
    )
    transcript = proc.stdout + proc.stderr
    print(f"--- Emacs transcript ---\n{transcript}")
    assert proc.returncode == 0, transcript
    (record,) = [line for line in proc.stdout.splitlines() if line.startswith("[emacs] RESULT ")]
    result = json.loads(record.removeprefix("[emacs] RESULT "))
    assert "&" in result["title"]  # rustc's `&`, or a recipe with the same edit
    assert result["edit_inline"] is True  # no resolveSupport: the edit comes with the action
    assert "shout(&name)" in (crate / "src" / "lib.rs").read_text()
    check = cargo_check(crate)
    assert check.returncode == 0, f"cargo check still fails:\n{check.stderr}\n{transcript}"
