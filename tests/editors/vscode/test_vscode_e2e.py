"""The rustcoder extension in a real VS Code (code-server + headless Chromium).

Each test is one user's session: it opens a fresh copy of a crate in its own window,
does what a user does (open a file, type, Ctrl+., a palette command, a settings change)
and asserts after each step on what the window shows and on the files on disk. A window
costs a workbench load and a first `cargo check`, so related steps share one. Each step
leaves a screenshot in the artifacts dir (see conftest.py).
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.editors.conftest import REPO, cargo_check, copy_fixture
from tests.editors.vscode.conftest import OpenWindow

#: The first test may wait for the set-up script to install Node 24 and code-server.
pytestmark = pytest.mark.timeout(1800)

#: The README's example: four errors (E0308, E0425 twice, E0433) and one warning.
INVENTORY = REPO / "examples" / "broken-inventory"
TYPO_LINE, TYPO_COLUMN = 33, 5  # `total_cout`
TYPO_FIX = "a local variable with a similar name exists: `total_count`"


def inventory(tmp_path: Path) -> Path:
    crate = tmp_path / "broken-inventory"
    shutil.copytree(INVENTORY, crate, ignore=shutil.ignore_patterns("target", ".vscode"))
    return crate


def cargo_errors(crate: Path) -> int:
    """The number of errors a plain `cargo check` reports for the crate."""
    check = cargo_check(crate)
    return len(re.findall(r"^error(\[E\d{4}\])?: (?!could not compile)", check.stderr, re.M))


def test_inventory_diagnostics_quick_fix_explain_and_fix_all(
    open_window: OpenWindow, tmp_path: Path
) -> None:
    crate = inventory(tmp_path)
    lib = crate / "src" / "lib.rs"
    assert cargo_errors(crate) == 4

    # Diagnostics after opening the file: the count and a message.
    window = open_window(crate)
    window.open_file("src/lib.rs")
    window.wait_problems(4)
    window.screenshot("lib.rs with its diagnostics")
    problems = window.problems()
    assert len([p for p in problems if p.startswith("Error: ")]) == 4, problems
    assert any("cannot find value `total_cout` in this scope" in p for p in problems), problems
    # The check's progress ends with the check (the crates' API index is built after it,
    # in the background): the status shows the summary within seconds.
    window.wait("the status bar's summary", lambda: "4 errors" in window.status_label(), 10)

    # The quick-fix menu on the typo: our verified fix, and the explanation.
    window.goto(TYPO_LINE, TYPO_COLUMN)

    def verified_offer() -> list[str] | None:
        titles = window.quick_fixes()
        window.page.keyboard.press("Escape")
        return titles if any(TYPO_FIX in t and "✓" in t for t in titles) else None

    # Background verification may still run: the title says ✓ once it is done.
    titles = window.wait("the verified fix in the quick-fix menu", verified_offer)
    assert any("Explain E0425" in t for t in titles), titles

    # "Explain E0425" opens the explanation document.
    window.quick_fixes()
    window.screenshot("quick-fix menu")
    window.choose_quick_fix("Explain E0425")
    window.wait("the explanation's tab", lambda: "E0425.md" in window.tab_titles())
    window.wait("the explanation's text", lambda: "# E0425" in window.visible_text())
    window.screenshot("explanation")
    explanation = Path(tempfile.gettempdir()) / "rustcoder-explain" / "E0425.md"
    assert "E0425" in explanation.read_text()
    assert "total_cout" in lib.read_text()  # explaining changes nothing
    window.page.keyboard.press("Control+W")
    window.wait("lib.rs in front", lambda: window.tab_titles() == ["lib.rs"])

    # Choosing the verified fix changes the file; saved, one error fewer.
    window.goto(TYPO_LINE, TYPO_COLUMN)
    window.quick_fixes()
    window.choose_quick_fix(TYPO_FIX)
    window.wait("the fix in the editor", lambda: "total_count\n}" in window.visible_text())
    window.save()
    window.wait_problems(3)
    window.screenshot("quick fix applied and saved")
    text = lib.read_text()
    assert "    total_count\n}" in text and "total_cout" not in text
    assert cargo_errors(crate) == 3

    # A typed edit, saved: diagnostics again (both HashMap errors go).
    window.goto(4, 1)
    window.type("use std::collections::HashMap;\n")
    window.screenshot("import typed, not saved")
    assert "use std::collections::HashMap;" not in lib.read_text()
    window.save()
    window.wait_problems(1)
    window.screenshot("import saved")
    problems = window.problems()
    errors = [p for p in problems if p.startswith("Error: ")]
    assert errors and errors[0].startswith("Error: mismatched types"), problems
    assert not any("HashMap" in p for p in problems), problems
    assert "use std::collections::HashMap;\n" in lib.read_text()
    assert cargo_errors(crate) == 1

    # "rustcoder: Fix All Verified Errors" from the palette: the crate builds.
    window.run_command("rustcoder: Fix All Verified Errors")
    # The server's edit arrives in the editor (unsaved); the user saves it.
    window.wait("the fixes in the editor", window.is_dirty)
    window.screenshot("fix all applied")
    window.save()
    window.wait_problems(0)
    window.screenshot("saved, no errors")
    assert "describe(&item.name" in lib.read_text()
    check = cargo_check(crate)
    assert check.returncode == 0, check.stderr


def update_settings(folder: Path, changes: dict[str, object]) -> None:
    """Edits the folder's .vscode/settings.json; VS Code picks the change up by itself."""
    settings = folder / ".vscode" / "settings.json"
    values = json.loads(settings.read_text())
    settings.write_text(json.dumps({**values, **changes}, indent=2))


def test_status_bar_settings_generation_and_no_server(
    open_window: OpenWindow, tmp_path: Path
) -> None:
    """One window through the status bar's states: idle, checking, a setting applied
    without a restart, a crate generated, then the server path broken and cleared."""
    from tests.generate.conftest import BROKEN_CRATE, DESCRIPTION
    from tests.models.openai_server import FakeOpenAI

    crate = copy_fixture("crates", "clippy_return", tmp_path)
    lib = crate / "src" / "lib.rs"
    target = tmp_path / "greeter"
    with FakeOpenAI() as fake:
        fake.script(BROKEN_CRATE)
        window = open_window(
            crate,
            {
                "rustcoder.check.onOpen": False,
                "rustcoder.model.endpoint": fake.url,
                "rustcoder.model.name": "scripted",
            },
        )
        window.open_file("src/lib.rs")

        # Idle: the server runs, nothing checked yet (onOpen is off).
        window.wait("the idle state", lambda: "rustcoder, Idle" in window.status_label())
        window.screenshot("idle")
        assert "Model: scripted @ 127.0.0.1" in window.status_label()
        assert not (crate / "target").exists(), "no check before a save with onOpen off"

        # A save: the item spins while cargo checks, then shows the summary.
        window.record_status()
        window.goto(5, 2)
        window.type("\n")
        window.save()
        window.wait("a finished check", lambda: "Last: cargo check" in window.status_label())
        window.screenshot("after the check")
        history = window.status_history()
        assert any("sync~spin" in s and "cargo check" in s for s in history), history
        assert "codicon-check" in window.status_icon()
        assert "0 errors" in window.status_label(), window.status_label()
        window.wait_problems(0, 0)

        # rustcoder.check.command: clippy in the workspace settings: the running server
        # checks again with clippy, whose warning appears; no restart.
        update_settings(crate, {"rustcoder.check.command": "clippy"})
        window.wait_problems(0, 1)
        window.screenshot("clippy's warning")
        problems = window.problems()
        assert any("unneeded `return` statement" in p for p in problems), problems
        history = window.status_history()
        assert not any("Starting" in s for s in history), f"the server restarted: {history}"
        assert "return 42;" in lib.read_text()

        # Generate Crate from Description, the model scripted on 127.0.0.1.
        # VS Code's own folder dialog takes a folder that exists, and it may read the
        # parent's listing as soon as the command starts: make the folder first.
        target.mkdir()
        window.run_command("rustcoder: Generate Crate from Description")
        window.answer_input("Generate Crate from Description", DESCRIPTION)
        window.choose_folder("Folder for the new crate", target, "Generate Here")
        window.wait("main.rs opened", lambda: "main.rs" in window.tab_titles())
        assert fake.requests, "the model was never asked"
    main = target / "src" / "main.rs"
    window.wait("src/main.rs saved", lambda: main.is_file() and "fn main" in main.read_text())
    window.wait("every generated file saved", lambda: not window.is_dirty(any_tab=True))
    window.screenshot("generated crate")
    assert "[package]" in (target / "Cargo.toml").read_text()
    # The server's compile-and-fix loop fixed the model's use-after-move before creating.
    assert "let kept = names;" not in main.read_text()
    check = cargo_check(target)
    assert check.returncode == 0, check.stderr

    # A server path that does not exist: an error state, not another rustcoder.
    missing = tmp_path / "no-such" / "rustcoder"
    update_settings(crate, {"rustcoder.server.path": str(missing)})
    window.wait("the no-server state", lambda: "no server" in window.status_label())
    message = window.wait(
        "the error notification",
        lambda: [n for n in window.notifications() if "not an executable file" in n],
    )
    window.screenshot("missing server path")
    assert str(missing) in message[0]
    assert "codicon-warning" in window.status_icon()

    # The setting cleared, nothing on PATH: the offer to create the managed environment.
    update_settings(crate, {"rustcoder.server.path": ""})
    offer = window.wait(
        "the offer to install",
        lambda: [n for n in window.notifications() if "no rustcoder server found" in n],
    )
    window.screenshot("install offer")
    buttons = window.page.locator(".notification-toast .monaco-button").all_inner_texts()
    assert "Install in a managed environment" in buttons, (offer, buttons)
    assert "Set rustcoder.server.path" in buttons, buttons
    assert not (crate / ".venv").exists()
