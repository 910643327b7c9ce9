"""Hover on a diagnostic's range: the error's explanation excerpt and the KB's best fixes.

Protocol only: find our diagnostics under the cursor, ask the knowledge base,
answer Markdown (`lsp/kb_markdown.py`). Nothing under the cursor, or no KB: no hover.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from rustcoder.lsp.explain import knowledge_base
from rustcoder.lsp.kb_markdown import hover_markdown

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)

_ERROR_CODE = re.compile(r"E\d{4}")


def _contains(rng: lsp.Range, pos: lsp.Position) -> bool:
    start = (rng.start.line, rng.start.character)
    end = (rng.end.line, rng.end.character)
    return start <= (pos.line, pos.character) <= end


def hover(ls: RustcoderServer, params: lsp.HoverParams) -> lsp.Hover | None:
    uri = params.text_document.uri
    under: list[lsp.Diagnostic] = []
    for file_diags in ls.session.store.for_uri(uri):
        for mapped in file_diags.mapped:
            d = mapped.diagnostic
            if d.severity in (lsp.DiagnosticSeverity.Error, lsp.DiagnosticSeverity.Warning) and (
                _contains(d.range, params.position)
            ):
                under.append(d)
    if not under:
        return None
    kb = knowledge_base(ls)
    if not kb.available:
        return None
    sections: list[str] = []
    seen: set[tuple[str, str]] = set()
    for d in under[:3]:
        code = d.code if isinstance(d.code, str) and _ERROR_CODE.fullmatch(d.code) else None
        message = d.message.split("\n", 1)[0]
        if (code or "", message) in seen:
            continue
        seen.add((code or "", message))
        try:
            result = kb.search(d.message, code, limit=6)
        except Exception:  # a broken KB must not break hover
            log.exception("knowledge-base search failed")
            result = None
        explanation = kb.explain(code) if code else None
        text = hover_markdown(code, explanation, result)
        if text:
            sections.append(text)
    if not sections:
        return None
    return lsp.Hover(
        contents=lsp.MarkupContent(
            kind=lsp.MarkupKind.Markdown, value="\n\n---\n\n".join(sections)
        ),
        range=under[0].range,
    )


def register(server: RustcoderServer) -> None:
    @server.feature(lsp.TEXT_DOCUMENT_HOVER)
    def on_hover(ls: RustcoderServer, params: lsp.HoverParams) -> lsp.Hover | None:
        return hover(ls, params)
