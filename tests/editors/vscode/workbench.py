"""What a user does in VS Code's window, driven through Playwright: open a file, move the
cursor, open the quick-fix menu, run a palette command, read the status bar and the
Problems panel. Every wait is on a condition in the page, with a step timeout.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

from playwright.sync_api import Locator, Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

T = TypeVar("T")

#: The extension's status bar item (VS Code's id: extension id + the item's own id).
STATUS_ITEM = '[id="rustcoder.rustcoder.rustcoder.status"]'
PROBLEMS_ITEM = '[id="status.problems"]'
CURSOR_ITEM = '[id="status.editor.selection"]'
QUICK_INPUT = ".quick-input-widget"
QUICK_INPUT_BOX = ".quick-input-widget .quick-input-box input"
ACTION_ROWS = ".action-widget .monaco-list-row"

#: Records every text the rustcoder status item takes, so short states are not missed.
_STATUS_RECORDER = """(selector) => {
  window.__rcStatus = [];
  const seen = () => {
    const item = document.querySelector(selector);
    const label = item ? item.getAttribute('aria-label') || '' : '';
    const last = window.__rcStatus[window.__rcStatus.length - 1];
    if (label && label !== last) window.__rcStatus.push(label);
  };
  seen();
  new MutationObserver(seen).observe(document.body, {
    subtree: true, childList: true, attributes: true, characterData: true,
  });
}"""


class StepTimeout(AssertionError):
    """A condition the test waited for did not come true."""


class Workbench:
    """One VS Code window on one folder."""

    def __init__(self, page: Page, shots: Path, timeout_s: float) -> None:
        self.page = page
        self.shots = shots
        self.timeout_s = timeout_s
        self._shot = 0
        self._started = time.monotonic()

    # -- waiting and evidence -------------------------------------------------------------

    def wait(self, what: str, probe: Callable[[], T | None], timeout_s: float | None = None) -> T:
        """Polls `probe` until it returns something truthy; fails with `what` and a
        screenshot otherwise."""
        deadline = time.monotonic() + (timeout_s or self.timeout_s)
        last: T | None = None
        while time.monotonic() < deadline:
            last = probe()
            if last:
                return last
            self.page.wait_for_timeout(100)
        self.screenshot(f"timeout {what}")
        raise StepTimeout(f"timed out waiting for {what} (last seen: {last!r})")

    def screenshot(self, step: str) -> Path:
        """A numbered screenshot of the window, kept with the test's artifacts."""
        self._shot += 1
        name = re.sub(r"[^A-Za-z0-9]+", "-", step).strip("-").lower()
        path = self.shots / f"{self._shot:02d}-{name}.png"
        self.page.screenshot(path=str(path))
        print(f"[vscode] {time.monotonic() - self._started:6.1f}s {path.name}")
        return path

    # -- opening and editing --------------------------------------------------------------

    def open(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_selector(".monaco-workbench", timeout=self.timeout_s * 1000)
        self.page.wait_for_selector(".part.statusbar", timeout=self.timeout_s * 1000)

    def record_status(self) -> None:
        """Starts recording the status item's states (read with `status_history`)."""
        self.page.evaluate(_STATUS_RECORDER, STATUS_ITEM)

    def status_history(self) -> list[str]:
        history: list[str] = self.page.evaluate("() => window.__rcStatus || []")
        return history

    def _quick_input(self, prefix: str, text: str) -> None:
        self.page.keyboard.press(prefix)
        box = self.page.locator(QUICK_INPUT_BOX)
        box.wait_for(state="visible", timeout=self.timeout_s * 1000)
        box.fill(text)

    def open_file(self, relative: str) -> None:
        """Quick Open (Ctrl+P) the file, as a user would."""
        name = Path(relative).name
        self._quick_input("Control+P", relative)
        row = self.page.locator(f"{QUICK_INPUT} .monaco-list-row", has_text=name).first
        row.wait_for(timeout=self.timeout_s * 1000)
        row.click()
        self.page.locator(f'.tab[data-resource-name="{name}"].active').wait_for(
            timeout=self.timeout_s * 1000
        )
        self.editor().wait_for(timeout=self.timeout_s * 1000)

    def editor(self) -> Locator:
        return self.page.locator(".editor-group-container.active .monaco-editor").first

    def goto(self, line: int, column: int) -> None:
        """Go to Line/Column (`:line:column` in Quick Open, which Ctrl+G opens on the
        desktop; a browser keeps Ctrl+G for itself)."""
        self._quick_input("Control+P", f":{line}:{column}")
        self.page.keyboard.press("Enter")
        where = f"Ln {line}, Col {column}"
        self.wait(f"the cursor at {line}:{column}", lambda: where in self.status_label(CURSOR_ITEM))
        self.wait_editor_focus()

    def wait_editor_focus(self) -> None:
        """Keys go where the focus is: wait until the editor has it back."""
        self.page.locator(QUICK_INPUT_BOX).wait_for(state="hidden", timeout=self.timeout_s * 1000)
        self.page.locator(".editor-group-container.active .monaco-editor.focused").wait_for(
            timeout=self.timeout_s * 1000
        )

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)

    def save(self) -> None:
        self.page.keyboard.press("Control+S")
        self.wait("the editor saved", lambda: not self.is_dirty())

    def is_dirty(self, any_tab: bool = False) -> bool:
        """Whether the active editor (or any) has unsaved changes."""
        return self.page.locator(".tab.dirty" if any_tab else ".tab.active.dirty").count() > 0

    def run_command(self, title: str) -> None:
        """Runs a command from the palette (F1) by its full title."""
        self._quick_input("F1", f">{title}")
        row = self.page.locator(f"{QUICK_INPUT} .monaco-list-row", has_text=title).first
        row.wait_for(timeout=self.timeout_s * 1000)
        self.screenshot(f"palette {title}")
        row.click()

    def answer_input(self, title: str, text: str) -> None:
        """Types into the input box titled `title` (showInputBox, the simple file dialog)
        once it is open, and accepts."""
        self.page.locator(f"{QUICK_INPUT} .quick-input-title", has_text=title).wait_for(
            timeout=self.timeout_s * 1000
        )
        box = self.page.locator(QUICK_INPUT_BOX)
        box.fill(text)
        self.page.keyboard.press("Enter")

    def choose_folder(self, title: str, folder: Path, button: str) -> None:
        """Picks a folder in VS Code's own open dialog (a browser has no native one):
        types its path, then presses the dialog's button."""
        self.page.locator(f"{QUICK_INPUT} .quick-input-title", has_text=title).wait_for(
            timeout=self.timeout_s * 1000
        )
        self.page.locator(QUICK_INPUT_BOX).fill(f"{folder}/")
        self.screenshot(f"dialog {title}")
        self.page.locator(f"{QUICK_INPUT} .monaco-button", has_text=button).click()

    # -- quick fixes ----------------------------------------------------------------------

    def quick_fixes(self) -> list[str]:
        """Opens the quick-fix menu (Ctrl+.) at the cursor; its titles once they settle."""
        self.wait_editor_focus()
        rows = self.page.locator(ACTION_ROWS)
        patience = [10.0]

        def menu() -> bool:
            # A key pressed while the workbench moves focus can be lost: press again,
            # waiting longer each time (a slow answer is not cut off forever).
            self.page.keyboard.press("Control+.")
            try:
                rows.first.wait_for(timeout=patience[0] * 1000)
            except PlaywrightTimeout:
                patience[0] *= 2
                return False
            return True

        self.wait("the quick-fix menu", menu)
        titles: list[str] = [t.strip() for t in rows.all_inner_texts()]
        return titles

    def choose_quick_fix(self, contains: str) -> None:
        row = self.page.locator(ACTION_ROWS, has_text=contains).first
        row.wait_for(timeout=self.timeout_s * 1000)
        row.click()

    # -- what the window shows ------------------------------------------------------------

    def status_label(self, selector: str = STATUS_ITEM) -> str:
        item = self.page.locator(selector)
        if item.count() == 0:
            return ""
        return item.first.get_attribute("aria-label") or ""

    def status_icon(self) -> str:
        """The codicon classes of the rustcoder item (check, error, warning, a spinner)."""
        icon = self.page.locator(f"{STATUS_ITEM} .codicon")
        return (icon.first.get_attribute("class") or "") if icon.count() else ""

    def problem_counts(self) -> tuple[int, int] | None:
        """(errors, warnings) from the status bar's Problems item."""
        label = self.status_label(PROBLEMS_ITEM)
        if label == "No Problems":
            return (0, 0)
        errors = re.search(r"Errors: (\d+)", label)
        warnings = re.search(r"Warnings: (\d+)", label)
        if not errors and not warnings:
            return None
        return (int(errors[1]) if errors else 0, int(warnings[1]) if warnings else 0)

    def wait_problems(self, errors: int, warnings: int | None = None) -> None:
        def probe() -> bool:
            counts = self.problem_counts()
            return counts is not None and counts[0] == errors and warnings in (None, counts[1])

        self.wait(f"{errors} errors in the Problems item", probe)

    def problems(self) -> list[str]:
        """The Problems panel's top-level entries (Ctrl+Shift+M opens it)."""
        panel = self.page.locator(".markers-panel")
        if not panel.is_visible():
            self.page.keyboard.press("Control+Shift+M")
            panel.wait_for(timeout=self.timeout_s * 1000)
        rows = self.page.locator(".markers-panel .monaco-list-row[aria-level='2']")
        labels = [rows.nth(i).get_attribute("aria-label") or "" for i in range(rows.count())]
        return labels

    def notifications(self) -> list[str]:
        toasts = self.page.locator(".notification-toast .notification-list-item")
        return [t.strip() for t in toasts.all_inner_texts()]

    def tab_titles(self) -> list[str]:
        """The file names of the open editors' tabs."""
        tabs = self.page.locator(".tab[data-resource-name]")
        return [tabs.nth(i).get_attribute("data-resource-name") or "" for i in range(tabs.count())]

    def visible_text(self) -> str:
        """The active editor's visible lines (Monaco renders only those)."""
        return self.editor().locator(".view-lines").inner_text().replace("\u00a0", " ")
