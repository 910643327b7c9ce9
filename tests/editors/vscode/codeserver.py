"""code-server (VS Code in a browser) with the rustcoder extension installed, for the
end-to-end tests: set-up, start, stop.

scripts/setup-editor-tests.sh installs Node 24, code-server and chromium into a cache
outside the repository and writes the paths in `vscode.env`; this module reads them.
One code-server serves every test of a session: each test opens its own folder in a new
browser window, which gets its own extension host and so its own `rustcoder serve`.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SETUP = REPO / "scripts" / "setup-editor-tests.sh"
VSIX = REPO / "vscode-client" / "rustcoder.vsix"
#: What the set-up script's exit status 3 means: this platform cannot run the tests.
CANNOT_RUN = 3

#: User settings of the test profile: nothing pops up that a user would dismiss first.
USER_SETTINGS: dict[str, object] = {
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "security.workspace.trust.enabled": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "extensions.ignoreRecommendations": True,
    "git.enabled": False,
    "files.autoSave": "off",
    "editor.minimap.enabled": False,
    "editor.acceptSuggestionOnEnter": "off",
    "editor.quickSuggestions": {"other": False, "comments": False, "strings": False},
    "chat.disableAIFeatures": True,
    "window.commandCenter": False,
    "workbench.secondarySideBar.defaultVisibility": "hidden",
}


@dataclass(frozen=True)
class Installed:
    """Where the set-up script put things."""

    node: Path
    code_server: Path
    chromium: Path


class SetupUnavailable(Exception):
    """This platform cannot run the tests (the set-up script said why)."""


def setup() -> Installed:
    """Runs the set-up script (quick when everything is cached) and reads what it wrote."""
    proc = subprocess.run(
        [str(SETUP), "vscode"], capture_output=True, text=True, timeout=1800, check=False
    )
    if proc.returncode == CANNOT_RUN:
        raise SetupUnavailable(proc.stderr.strip().splitlines()[-1])
    if proc.returncode != 0:
        raise RuntimeError(f"{SETUP.name} vscode failed:\n{proc.stderr[-4000:]}")
    env_file = Path(proc.stdout.strip().splitlines()[-1])
    values = dict(line.split("=", 1) for line in env_file.read_text().splitlines() if "=" in line)
    return Installed(Path(values["NODE"]), Path(values["CODE_SERVER"]), Path(values["CHROMIUM"]))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class CodeServer:
    """One code-server process on 127.0.0.1 with its own profile and extensions dir."""

    def __init__(self, installed: Installed, home: Path, env: dict[str, str]) -> None:
        self.installed = installed
        self.user_data = home / "user-data"
        self.extensions = home / "extensions"
        self.log = home / "code-server.log"
        self.env = env
        self.port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _cli(self, *args: str) -> list[str]:
        return [
            str(self.installed.node),
            str(self.installed.code_server),
            "--user-data-dir",
            str(self.user_data),
            "--extensions-dir",
            str(self.extensions),
            *args,
        ]

    def install_extension(self, vsix: Path) -> None:
        proc = subprocess.run(
            self._cli("--install-extension", str(vsix)),
            capture_output=True,
            text=True,
            timeout=300,
            env=self.env,
            check=False,
        )
        if proc.returncode != 0 or "successfully installed" not in proc.stdout:
            raise RuntimeError(f"installing {vsix.name} failed:\n{proc.stdout}\n{proc.stderr}")

    def start(self, settings: dict[str, object], timeout_s: float = 120) -> None:
        user = self.user_data / "User"
        user.mkdir(parents=True, exist_ok=True)
        (user / "settings.json").write_text(json.dumps({**USER_SETTINGS, **settings}, indent=2))
        args = self._cli(
            "--auth",
            "none",
            "--bind-addr",
            f"127.0.0.1:{self.port}",
            "--disable-telemetry",
            "--disable-update-check",
            "--disable-workspace-trust",
            "--disable-getting-started-override",
            "--ignore-last-opened",
        )
        with self.log.open("wb") as log:
            # Its own process group: stop() ends the extension hosts and servers with it.
            self.proc = subprocess.Popen(
                args, stdout=log, stderr=subprocess.STDOUT, env=self.env, start_new_session=True
            )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"code-server exited:\n{self.log.read_text()[-4000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=5) as reply:
                    if reply.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"code-server did not answer in {timeout_s}s:\n{self.log.read_text()}")

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        pgid = os.getpgid(self.proc.pid)
        os.killpg(pgid, signal.SIGTERM)
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(pgid, signal.SIGKILL)
            self.proc.wait(timeout=20)
        # Extension hosts and language servers may outlive their parent briefly.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
