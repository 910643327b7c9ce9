"""The shared base as the rest of rustcoder sees it: a search origin and a learn sink.

`SharedBase.open` never raises: an unreachable database or one with a newer
schema becomes a problem line (what happened, what still works) and the
server keeps answering from the local base. Learned fixes always go through
the outbox in the local learned file (`shared_queue`), so whether the
database is up only decides when they arrive, not whether.
"""

from __future__ import annotations

import logging
import os
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from rustcoder.kb.learn import LearnedEntry
from rustcoder.kb.provenance import Provenance, contributor_id, rustc_version
from rustcoder.kb.shared_pg import LearnEvent, SharedKb, SharedUnavailable, redact
from rustcoder.kb.shared_queue import Outbox
from rustcoder.kb.shared_recipes import TeamRecipes

log = logging.getLogger(__name__)

ENV = "RUSTCODER_KB_SHARED"
SCHEMES = ("postgresql://", "postgres://")
#: How long opening waits to find out whether the base answers (then it goes on without).
OPEN_WAIT_S = 2.0


class SharedSettingError(ValueError):
    """`kb.shared` / $RUSTCODER_KB_SHARED is not a PostgreSQL URL."""


def shared_url(setting: str = "") -> str:
    """The `kb.shared` setting, else `$RUSTCODER_KB_SHARED`, else "" (no shared base)."""
    url = (setting or os.environ.get(ENV, "")).strip()
    if url and not url.startswith(SCHEMES):
        raise SharedSettingError(
            f"kb.shared must be a PostgreSQL URL (postgresql://user@host:5432/db), "
            f"not {redact(url)!r}"
        )
    return url


class SharedBase:
    """The shared examples' search and outbox, and the team's recipes, on one database."""

    def __init__(
        self, kb: SharedKb, outbox: Outbox, recipes: TeamRecipes, contributor: str
    ) -> None:
        self.kb = kb
        self.outbox = outbox
        self.recipes = recipes
        self.contributor = contributor

    @classmethod
    def open(
        cls, url: str, user_path: Path, *, send: bool = True
    ) -> tuple[SharedBase | None, list[str]]:
        """Connect (without waiting long) and start the sender; returns problems to show.

        `send=False` leaves sending to explicit `flush` calls (one-shot CLI commands).
        """
        kb: SharedKb | None = None
        outbox: Outbox | None = None
        try:
            kb = SharedKb(url)
            outbox = Outbox(user_path, kb)
            recipes = TeamRecipes(kb, user_path)
        except Exception as exc:  # a bad URL, an unwritable outbox: the local base still works
            if outbox is not None:
                outbox.close()
            if kb is not None:
                kb.close()
            return None, [f"shared knowledge base {redact(url)} unavailable: {exc}"]
        problems: list[str] = []
        if not kb.probe(OPEN_WAIT_S):
            if kb.refused is not None:
                problems.append(kb.refused)
            else:
                problems.append(
                    f"{kb.where} is unreachable ({kb.last_error}); serving from the local base, "
                    f"learned fixes are queued in {user_path} and sent when it is back"
                )
        else:
            recipes.refresh()  # the team's recipes from the first fix on
        base = cls(kb, outbox, recipes, contributor_id())
        if send and kb.refused is None:
            outbox.start()
        return base, problems

    def provenance(self, edition: str = "", rustc: str | None = None) -> Provenance:
        return Provenance(
            contributor=self.contributor,
            rustc=rustc_version() if rustc is None else rustc,
            edition=edition,
        )

    def submit(
        self,
        entry: LearnedEntry,
        vector: npt.NDArray[np.float32],
        provenance: Provenance,
        key: str | None = None,
    ) -> str:
        """Queue one learn event (sent by the sender thread or `flush`); returns its key."""
        if not entry.code or not entry.message or entry.before == entry.after:
            raise ValueError("a learned example needs an error code, a message and a change")
        event = LearnEvent(entry, np.asarray(vector, dtype=np.float32), provenance)
        if key:
            try:
                event = replace(event, key=str(uuid.UUID(key)))
            except ValueError:
                raise ValueError(f"event id {key!r} is not a UUID") from None
        self.outbox.put(event)
        return event.key

    def flush(self) -> tuple[int, str | None]:
        """Send the queue now: (events sent, why the rest stays queued or None)."""
        try:
            return self.outbox.flush(), None
        except SharedUnavailable as exc:
            return 0, str(exc)

    def status(self) -> dict[str, Any]:
        status: dict[str, Any] = {
            "url": redact(self.kb.url),
            "reachable": self.kb.up and self.kb.last_error is None,
            **self.outbox.status(),
        }
        if self.kb.refused:
            status["refused"] = self.kb.refused
        return status

    def close(self) -> None:
        self.outbox.close()
        self.recipes.close()
        self.kb.close()
