"""Hover: on a diagnostic's range, the error's explanation excerpt and the KB's best fixes;
on a std or crate item, its real signature and doc line from the API index.

Protocol only: find our diagnostics under the cursor, ask the knowledge base,
answer Markdown (`lsp/kb_markdown.py`); the item under the cursor is resolved by
`apiindex/api_hover.py`. Nothing found: no hover.
"""

from __future__ import annotations

import logging
import re
from typing import TYPE_CHECKING

from lsprotocol import types as lsp

from rustcoder.apiindex.api_hover import hover_hits
from rustcoder.apiindex.api_hover import hover_markdown as api_markdown
from rustcoder.cargo.offsets import LineIndex
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


def api_section(ls: RustcoderServer, params: lsp.HoverParams) -> str:
    """The real signature of the std or crate item under the cursor ('' when none)."""
    uri = params.text_document.uri
    workspace = ls.session.file_workspaces.get(uri)
    runtime = ls.session.runtime
    if workspace is None or runtime is None:
        return ""
    try:
        text = ls.workspace.get_text_document(uri).source
        pos = params.position
        offset = LineIndex(text).offset(pos.line, pos.character, ls.position_encoding)
        hits = hover_hits(runtime.api, workspace.root, text, offset)
        return api_markdown(runtime.api, workspace.root, hits) if hits else ""
    except Exception:  # the index is an aid: a broken one must not break hover
        log.exception("API hover failed")
        return ""


def hover(ls: RustcoderServer, params: lsp.HoverParams) -> lsp.Hover | None:
    api = api_section(ls, params)
    found = diagnostic_hover(ls, params)
    if not api:
        return found
    if found is None:
        return lsp.Hover(contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=api))
    assert isinstance(found.contents, lsp.MarkupContent)
    value = f"{found.contents.value}\n\n---\n\n{api}"
    return lsp.Hover(
        contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value), range=found.range
    )


def diagnostic_hover(ls: RustcoderServer, params: lsp.HoverParams) -> lsp.Hover | None:
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
