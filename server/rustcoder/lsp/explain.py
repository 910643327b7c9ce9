"""The knowledge base in the editor: opening it, and "Explain E0xxx" code actions.

Protocol only: the KB (`rustcoder.kb.knowledge_base`) answers, this module turns
requests into calls and answers into LSP. The explain action carries the
command `rustcoder.explainError`; running it opens the whole `rustc --explain`
text (with the KB's known fixes) as a Markdown document when the client can
show documents, else shows a message with the excerpt, and returns the
Markdown either way.
"""

from __future__ import annotations

import logging
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.lsp.diagnostic_match import ranges_intersect
from rustcoder.lsp.kb_markdown import explain_markdown

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)

EXPLAIN_COMMAND = "rustcoder.explainError"
EXPLAIN_KIND = "rustcoder.explain"
_ERROR_CODE = re.compile(r"E\d{4}")


def knowledge_base(ls: RustcoderServer) -> KnowledgeBase:
    """The session's knowledge base (the runtime always opens one for the editor)."""
    kb = ls.runtime.kb
    assert kb is not None, "the editor's runtime opens a knowledge base"
    return kb


def _codes_in_range(ls: RustcoderServer, params: lsp.CodeActionParams) -> list[str]:
    """Error codes of the diagnostics the request is about (ours under the cursor, or sent)."""
    uri = params.text_document.uri
    doc = ls.workspace.text_documents.get(uri)
    version = doc.version if doc is not None else None
    codes: list[str] = []
    for sent in params.context.diagnostics:
        if isinstance(sent.code, str) and _ERROR_CODE.fullmatch(sent.code):
            codes.append(sent.code)
    for file_diags in ls.session.store.for_uri(uri):
        if not file_diags.edits_valid_for(version, uri in ls.session.unsaved):
            continue  # the text moved since the check: its ranges no longer hold
        for mapped in file_diags.mapped:
            code = mapped.diagnostic.code
            if (
                isinstance(code, str)
                and _ERROR_CODE.fullmatch(code)
                and ranges_intersect(mapped.diagnostic.range, params.range)
            ):
                codes.append(code)
    return list(dict.fromkeys(codes))


def explain_actions(ls: RustcoderServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    kb = knowledge_base(ls)
    if kb.base is None:
        return []
    return [
        lsp.CodeAction(
            title=f"Explain {code}",
            kind=EXPLAIN_KIND,
            command=lsp.Command(title=f"Explain {code}", command=EXPLAIN_COMMAND, arguments=[code]),
        )
        for code in _codes_in_range(ls, params)
    ]


def explain(ls: RustcoderServer, code: str, message: str = "") -> str | None:
    """The Markdown explanation of `code`, shown to the user; None for an unknown code."""
    kb = knowledge_base(ls)
    found = kb.explain(code)
    if found is None:
        ls.window_show_message(
            lsp.ShowMessageParams(
                type=lsp.MessageType.Warning,
                message=f"rustcoder: no explanation for {code!r}"
                + ("" if kb.base is not None else f" ({'; '.join(kb.problems)})"),
            )
        )
        return None
    result = kb.search(message or found.title, found.code, limit=5)
    markdown: str = explain_markdown(found, result)
    if ls.session.capabilities.show_document:
        show_markdown(ls, "rustcoder-explain", f"{found.code}.md", markdown)
    else:
        ls.window_show_message(
            lsp.ShowMessageParams(
                type=lsp.MessageType.Info, message=f"{found.code}: {found.excerpt(800)}"
            )
        )
    return markdown


def show_markdown(ls: RustcoderServer, folder_name: str, file_name: str, markdown: str) -> None:
    """Open Markdown in the editor: written to a file under the temp dir, then showDocument
    (the client can show documents; the caller checked)."""
    folder = Path(tempfile.gettempdir()) / folder_name
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / file_name
    target.write_text(markdown, encoding="utf-8")
    ls.window_show_document(lsp.ShowDocumentParams(uri=target.as_uri(), take_focus=True))


def register(server: RustcoderServer) -> None:
    """The explain actions join the quick fixes' answer (the server's action registry)."""
    server.action_registry.add(EXPLAIN_KIND, explain_actions)

    # pygls resolves a command handler's annotations at run time, and features name the
    # server class only for type checking: the handler takes pygls' base class and
    # works on `server`, the same object.
    @server.command(EXPLAIN_COMMAND)
    def on_explain(ls: LanguageServer, args: Any) -> str | None:
        code = args[0] if isinstance(args, list) and args else args
        if isinstance(code, dict):
            code = code.get("code")
        if not isinstance(code, str) or not _ERROR_CODE.fullmatch(code.strip().upper()):
            raise ValueError(f"{EXPLAIN_COMMAND} expects an error code like E0382, got {code!r}")
        return explain(server, code.strip().upper())
