"""Debounce and cancel checks per workspace.

A save starts a check after a short quiet period; a newer save cancels both a
pending and a running check of the same workspace (the running cargo's process
group is killed by `run_check`'s cancellation), so the editor always converges
on the diagnostics of the latest saved state. Workspaces check independently.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from pathlib import Path

from rustcoder.cargo.workspace import CargoWorkspace

log = logging.getLogger(__name__)

RunCheck = Callable[[CargoWorkspace], Awaitable[None]]


class CheckScheduler:
    def __init__(self, run: RunCheck) -> None:
        self._run = run
        self._tasks: dict[Path, asyncio.Task[None]] = {}

    def request(self, workspace: CargoWorkspace, delay_s: float = 0.0) -> asyncio.Task[None]:
        """(Re)start the check of `workspace` after `delay_s`, cancelling any earlier one."""
        self.cancel(workspace.root)
        task = asyncio.ensure_future(self._delayed(workspace, delay_s))
        self._tasks[workspace.root] = task
        task.add_done_callback(lambda t: self._forget(workspace.root, t))
        return task

    def is_busy(self, root: Path) -> bool:
        task = self._tasks.get(root)
        return task is not None and not task.done()

    def cancel(self, root: Path) -> None:
        task = self._tasks.pop(root, None)
        if task is not None and not task.done():
            task.cancel()

    async def wait_idle(self) -> None:
        """Wait for every scheduled check (used by the CLI and tests)."""
        while self._tasks:
            with contextlib.suppress(asyncio.CancelledError):
                await asyncio.gather(*list(self._tasks.values()), return_exceptions=True)

    def cancel_all(self) -> None:
        for root in list(self._tasks):
            self.cancel(root)

    def _forget(self, root: Path, task: asyncio.Task[None]) -> None:
        if self._tasks.get(root) is task:
            del self._tasks[root]
        if not task.cancelled() and task.exception() is not None:
            log.error("check of %s failed", root, exc_info=task.exception())

    async def _delayed(self, workspace: CargoWorkspace, delay_s: float) -> None:
        if delay_s > 0:
            await asyncio.sleep(delay_s)
        await self._run(workspace)
