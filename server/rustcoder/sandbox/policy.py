"""Whether a front end may run outside code here, and what it says about it.

`rustcoder api` and `rustcoder mcp` run code that anyone who reaches them
sends; without a sandbox that code runs with the server's rights, so they
refuse to start unless the operator says `--unsafe-no-sandbox`, and then
say so in the log and in `/health`. `rustcoder generate` runs what a model
wrote for the user at the keyboard, so it warns and goes on.
"""

from __future__ import annotations

import logging
import sys
from typing import Any

from rustcoder.sandbox import cgroup
from rustcoder.sandbox.bwrap import Isolation, isolation

log = logging.getLogger("rustcoder.sandbox")

UNSAFE_FLAG = "--unsafe-no-sandbox"


def admit_server(command: str, allow_unsafe: bool) -> bool:
    """True when `command` may serve: sandboxed, or unsafe by the operator's explicit choice."""
    found = isolation()
    if found.sandboxed:
        log.info("rustcoder %s: outside code runs in a %s", command, found.describe())
        return True
    if not allow_unsafe:
        print(
            f"rustcoder {command}: refusing to start: no sandbox can be made "
            f"({found.detail}). Code sent by clients would run with your rights; "
            f"install bubblewrap, or pass {UNSAFE_FLAG} to run it unsandboxed anyway.",
            file=sys.stderr,
        )
        return False
    log.warning(
        "rustcoder %s: UNSAFE: running without a sandbox (%s); code sent by clients "
        "runs with this server's rights, limited only by rlimits and the wall clock",
        command,
        found.detail,
    )
    return True


def unsandboxed_warning() -> str | None:
    """What to tell the user when generated code would run without a sandbox (else None)."""
    found = isolation()
    if found.sandboxed:
        return None
    return (
        f"no sandbox ({found.detail}); the generated code is built and run with your "
        "rights, limited only by rlimits and the wall clock"
    )


def warn_if_unsandboxed(command: str) -> None:
    warning = unsandboxed_warning()
    if warning:
        print(f"rustcoder {command}: warning: {warning}", file=sys.stderr)


def health(found: Isolation | None = None) -> dict[str, Any]:
    """The isolation in force, as `/health` and `rustcoder doctor --json` report it."""
    found = found or isolation()
    return {
        "sandbox": "bubblewrap" if found.sandboxed else "none",
        "unsafe": not found.sandboxed,
        "detail": found.detail,
        "limits": cgroup.describe(),
    }
