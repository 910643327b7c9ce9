"""Code-action contributors: other features' actions joined to the quick fixes' answer.

pygls allows one handler per method, so "Explain E0382" and the quick fixes
share one `textDocument/codeAction` answer. The registry belongs to one
server (no module state): it holds the contributors and the advertised
`CodeActionOptions`, whose kinds grow as contributors register.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)

#: Another feature's code actions for a request (e.g. "Explain E0382").
Contributor = Callable[["RustcoderServer", lsp.CodeActionParams], list[lsp.CodeAction]]


def kind_requested(
    kind: str | lsp.CodeActionKind, only: Sequence[str | lsp.CodeActionKind] | None
) -> bool:
    """Whether `only` asks for `kind`: kinds are hierarchical ("source" covers "source.fixAll")."""
    if not only:
        return True
    ours = kind.value if isinstance(kind, lsp.CodeActionKind) else kind
    for requested in only:
        wanted = requested.value if isinstance(requested, lsp.CodeActionKind) else requested
        if ours == wanted or ours.startswith(f"{wanted}."):
            return True
    return False


@dataclass(frozen=True)
class Contribution:
    kind: str
    contributor: Contributor


class CodeActionRegistry:
    def __init__(self) -> None:
        #: What the server advertises; pygls reads it when it answers `initialize`.
        self.options = lsp.CodeActionOptions(code_action_kinds=[], resolve_provider=True)
        self._contributions: list[Contribution] = []

    def declare(self, kind: str | lsp.CodeActionKind) -> None:
        """Advertise a kind of action the server answers with."""
        kinds = list(self.options.code_action_kinds or [])
        if kind not in kinds:
            self.options.code_action_kinds = [*kinds, kind]

    def add(self, kind: str, contributor: Contributor) -> None:
        """Let another feature add actions of `kind` to every code-action answer."""
        self._contributions.append(Contribution(kind, contributor))
        self.declare(kind)

    def contributed(
        self, ls: RustcoderServer, params: lsp.CodeActionParams
    ) -> list[lsp.CodeAction]:
        """The contributors' actions; a contributor that fails costs only its own actions."""
        actions: list[lsp.CodeAction] = []
        for contribution in self._contributions:
            if not kind_requested(contribution.kind, params.context.only):
                continue
            try:
                actions.extend(contribution.contributor(ls, params))
            except Exception:
                log.exception("code actions of kind %s failed", contribution.kind)
        return actions
