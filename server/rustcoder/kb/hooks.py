"""The knowledge base the fix engine's sources use, when one is open.

The server opens the KB from its settings and makes it active here;
`fix/sources.py` reads it when it builds the candidate sources, so engines
created afterwards score recipes by KB search and offer learned examples.
With no active KB the engine works as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from rustcoder.kb.service import KnowledgeBase

_active: KnowledgeBase | None = None


def set_active(kb: KnowledgeBase | None) -> None:
    global _active
    _active = kb


def active() -> KnowledgeBase | None:
    return _active
