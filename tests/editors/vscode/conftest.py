"""Fixtures of the VS Code end-to-end tests: one code-server and one headless Chromium
per session, a fresh window on a fresh copy of a crate per test, screenshots per step.

Screenshots go to $RUSTCODER_TEST_ARTIFACTS (default tests/artifacts, git-ignored)
under vscode/<test name>/, replaced at each run of that test and kept when it fails
(with a last one taken at the failure).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.editors.conftest import isolated_env, server_command
from tests.editors.vscode.codeserver import (
    REPO,
    VSIX,
    CodeServer,
    Installed,
    SetupUnavailable,
    setup,
)
from tests.editors.vscode.workbench import Workbench

#: The VS Code suite may install Node 24 and code-server on its first run (minutes).
pytestmark = pytest.mark.timeout(1800)

STEP_TIMEOUT_S = float(os.environ.get("RUSTCODER_EDITOR_TIMEOUT", "120"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",  # as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def artifacts_dir() -> Path:
    return Path(os.environ.get("RUSTCODER_TEST_ARTIFACTS", REPO / "tests" / "artifacts"))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keeps each phase's report on the item, so a fixture can tell that its test failed."""
    report = yield
    setattr(item, f"rc_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def installed() -> Installed:
    if os.environ.get("RUSTCODER_SKIP_VSCODE") == "1":
        pytest.skip("RUSTCODER_SKIP_VSCODE=1")
    try:
        return setup()
    except SetupUnavailable as exc:
        pytest.skip(f"the VS Code end-to-end tests cannot run on this platform: {exc}")


@pytest.fixture(scope="session")
def vsix() -> Path:
    """The packaged extension (scripts/test.sh builds it; built here when missing or
    older than the extension's sources)."""
    client = VSIX.parent
    sources = [client / "package.json", *(client / "src").glob("*.ts")]
    if not VSIX.is_file() or max(p.stat().st_mtime for p in sources) > VSIX.stat().st_mtime:
        if not (client / "node_modules").is_dir():
            subprocess.run(["npm", "ci", "--no-audit", "--no-fund"], cwd=client, check=True)
        subprocess.run(["npm", "run", "--silent", "package"], cwd=client, check=True)
    return VSIX


def rustcoder_executable() -> str:
    """The `rustcoder` of the environment running the tests, for `rustcoder.server.path`."""
    command = server_command()
    if command[-1] == "serve" and len(command) == 2:
        return command[0]
    pytest.fail(f"no rustcoder executable next to {sys.executable}")


def path_without_rustcoder() -> str:
    """PATH less every folder holding a `rustcoder`, so the extension finds none by itself."""
    dirs = os.environ.get("PATH", "").split(":")
    return ":".join(d for d in dirs if d and not (Path(d) / "rustcoder").exists())


# Package scope, not session: Playwright's sync API keeps an event loop running in the
# main thread while it is open, which breaks every asyncio test that would run after.
@pytest.fixture(scope="package")
def code_server(
    installed: Installed, vsix: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[CodeServer]:
    home = tmp_path_factory.mktemp("code-server")
    env = {**isolated_env(home), "PATH": path_without_rustcoder()}
    server = CodeServer(installed, home, env)
    server.install_extension(vsix)
    server.start({"rustcoder.server.path": rustcoder_executable()})
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="package")
def browser(installed: Installed) -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(installed.chromium), args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


def write_workspace_settings(folder: Path, settings: dict[str, object]) -> None:
    """The folder's .vscode/settings.json, as a user would keep per-project settings."""
    target = folder / ".vscode" / "settings.json"
    target.parent.mkdir(exist_ok=True)
    target.write_text(json.dumps(settings, indent=2) + "\n")


OpenWindow = Callable[..., Workbench]


@pytest.fixture
def open_window(
    request: pytest.FixtureRequest, code_server: CodeServer, browser: Any
) -> Iterator[OpenWindow]:
    """Opens VS Code windows on folders; each window gets its own extension host and
    rustcoder server. Workspace settings default to the server under test."""
    shots = artifacts_dir() / "vscode" / request.node.name
    shutil.rmtree(shots, ignore_errors=True)
    shots.mkdir(parents=True)
    windows: list[tuple[Any, Workbench]] = []

    def open_folder(folder: Path, settings: dict[str, object] | None = None) -> Workbench:
        merged: dict[str, object] = {
            "rustcoder.server.path": rustcoder_executable(),
            "rustcoder.trace.server": "messages",
        }
        merged.update(settings or {})
        write_workspace_settings(folder, merged)
        context = browser.new_context(viewport={"width": 1600, "height": 1300})
        page = context.new_page()
        where = shots if not windows else shots / f"window-{len(windows) + 1}"
        where.mkdir(exist_ok=True)
        bench = Workbench(page, where, STEP_TIMEOUT_S)
        windows.append((context, bench))
        bench.open(f"{code_server.url}/?folder={folder}")
        return bench

    yield open_folder
    failed = any(
        getattr(getattr(request.node, f"rc_report_{when}", None), "failed", False)
        for when in ("setup", "call")
    )
    for context, bench in windows:
        if failed:
            try:
                bench.screenshot("failure")
            except Exception as exc:  # the page may be gone; the report matters more
                print(f"no failure screenshot: {exc}")
        context.close()
    if failed:
        # The extension's output channel (the server's stderr, the client's errors).
        for log in code_server.user_data.glob("logs/**/*rustcoder*.log"):
            shutil.copy(log, shots / f"{log.parent.parent.name}-{log.name}")
