"""A real Emacs with eglot applies rustcoder's preferred quick fix, then `cargo check` passes.

Debian's eglot 1.9 (Emacs 28) has no codeAction/resolve, so this is the path of
a client that gets edits inside the codeAction answer. When Emacs is missing,
scripts/setup-editor-tests.sh installs it (Debian's emacs-nox and elpa-eglot);
skipped only where that cannot work (no apt, not root).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.editors.conftest import REPO, cargo_check, copy_fixture, isolated_env, server_command

DRIVER = Path(__file__).with_name("eglot_driver.el")
TIMEOUT_S = int(os.environ.get("RUSTCODER_EDITOR_TIMEOUT", "120"))


def _emacs_with_eglot() -> str | None:
    """The `emacs` on PATH if it loads eglot."""
    binary = shutil.which("emacs")
    if binary is None:
        return None
    probe = subprocess.run(
        [binary, "--batch", "-q", "--eval", "(require 'eglot)"],
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )
    return binary if probe.returncode == 0 else None


@pytest.fixture(scope="module")
def emacs() -> str:
    binary = _emacs_with_eglot()
    if binary is None:
        setup = subprocess.run(
            [str(REPO / "scripts" / "setup-editor-tests.sh"), "emacs"],
            capture_output=True,
            text=True,
            timeout=1200,
            stdin=subprocess.DEVNULL,
        )
        if setup.returncode == 3:  # this platform cannot install them
            pytest.skip(f"Emacs with eglot is not installed: {setup.stderr.strip()}")
        assert setup.returncode == 0, f"installing Emacs failed:\n{setup.stderr[-3000:]}"
        binary = _emacs_with_eglot()
        assert binary is not None, "scripts/setup-editor-tests.sh emacs left no Emacs with eglot"
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
