"""Server-initiated work-done progress, a no-op for clients without support.

Checks and crate generation both show progress; a client that refuses or
never answers the create request simply gets none, and the work goes on.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)


class WorkDoneProgress:
    def __init__(
        self,
        ls: RustcoderServer,
        title: str,
        kind: str,
        on_cancel: Callable[[], None] | None = None,
    ) -> None:
        """`kind` names the token (`rustcoder/<kind>/...`); `on_cancel` makes it cancellable."""
        self.ls = ls
        self.title = title
        self.kind = kind
        self.on_cancel = on_cancel
        self.token: str | None = None

    async def begin(self, message: str) -> None:
        if not self.ls.session.capabilities.work_done_progress:
            return
        token = f"rustcoder/{self.kind}/{uuid.uuid4().hex}"
        try:
            await asyncio.wait_for(self.ls.work_done_progress.create_async(token), timeout=5)
        except Exception:  # the client refused or never answered: go on silently
            log.debug("client did not create progress token", exc_info=True)
            return
        self.token = token
        self.ls.work_done_progress.begin(
            token,
            lsp.WorkDoneProgressBegin(
                title=self.title, message=message, cancellable=self.on_cancel is not None
            ),
        )
        on_cancel = self.on_cancel
        future = self.ls.work_done_progress.tokens.get(token)
        if on_cancel is not None and future is not None:
            future.add_done_callback(lambda f: on_cancel() if f.cancelled() else None)

    def report(self, message: str) -> None:
        if self.token is not None:
            self.ls.work_done_progress.report(
                self.token, lsp.WorkDoneProgressReport(message=message)
            )

    def end(self, message: str) -> None:
        if self.token is not None:
            self.ls.work_done_progress.end(self.token, lsp.WorkDoneProgressEnd(message=message))
            self.token = None
