"""The knowledge base in the editor: opening it, and "Explain E0xxx" code actions.

Protocol only: the KB (`rustcoder.kb.service`) answers, this module turns
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
from typing import Any

from lsprotocol import types as lsp

from rustcoder.lsp.server import RustcoderServer

log = logging.getLogger(__name__)

EXPLAIN_COMMAND = "rustcoder.explainError"
EXPLAIN_KIND = "rustcoder.explain"
_ERROR_CODE = re.compile(r"E\d{4}")


def open_knowledge_base(ls: RustcoderServer) -> Any:
    """Open (or reopen, when `kb.path` changed) the KB and plug it into the fix engine.

    Never raises: without a usable base the server keeps every other feature
    and says once how to build one.
    """
    from rustcoder.kb import locate
    from rustcoder.kb.hooks import set_active
    from rustcoder.kb.service import KnowledgeBase

    path = locate.base_path(ls.settings.kb.path)
    shared = ls.settings.kb.shared
    current = getattr(ls, "kb", None)
    if current is not None and (current.opened_from, current.shared_setting) == (path, shared):
        return current
    if current is not None:
        current.close()
    kb = KnowledgeBase.open(path, shared=shared or None)
    ls.kb = kb
    set_active(kb if kb.available else None)
    ls.learning.sink = kb.learn if kb.learning is not None else None
    for problem in kb.problems:
        if "no knowledge base" in problem or "out of date" in problem:
            # Not faults (everything still works): logged, not popped up.
            ls.window_log_message(
                lsp.LogMessageParams(type=lsp.MessageType.Info, message=f"rustcoder: {problem}")
            )
        else:
            ls.show_message_once(f"rustcoder: {problem}", lsp.MessageType.Warning)
    return kb


def knowledge_base(ls: RustcoderServer) -> Any:
    kb = getattr(ls, "kb", None)
    return kb if kb is not None else open_knowledge_base(ls)


def _codes_in_range(ls: RustcoderServer, params: lsp.CodeActionParams) -> list[str]:
    """Error codes of the diagnostics the request is about (ours under the cursor, or sent)."""
    from rustcoder.fix.rustc_suggestions import ranges_intersect

    uri = params.text_document.uri
    doc = ls.workspace.text_documents.get(uri)
    version = doc.version if doc is not None else None
    codes: list[str] = []
    for sent in params.context.diagnostics:
        if isinstance(sent.code, str) and _ERROR_CODE.fullmatch(sent.code):
            codes.append(sent.code)
    for file_diags in ls.store.for_uri(uri):
        if not file_diags.edits_valid_for(version, uri in ls.unsaved):
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
    from rustcoder.kb.render import explain_markdown

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
    caps = ls.client_capabilities
    can_show = bool(
        caps and caps.window and caps.window.show_document and caps.window.show_document.support
    )
    if can_show:
        folder = Path(tempfile.gettempdir()) / "rustcoder-explain"
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{found.code}.md"
        target.write_text(markdown, encoding="utf-8")
        ls.window_show_document(lsp.ShowDocumentParams(uri=target.as_uri(), take_focus=True))
    else:
        ls.window_show_message(
            lsp.ShowMessageParams(
                type=lsp.MessageType.Info, message=f"{found.code}: {found.excerpt(800)}"
            )
        )
    return markdown


def register(server: RustcoderServer) -> None:
    """The explain actions join the quick fixes' answer (see `code_actions.add_contributor`)."""
    from rustcoder.lsp.code_actions import add_contributor

    add_contributor(server, EXPLAIN_KIND, explain_actions)

    @server.command(EXPLAIN_COMMAND)
    def on_explain(ls: RustcoderServer, args: Any) -> str | None:
        code = args[0] if isinstance(args, list) and args else args
        if isinstance(code, dict):
            code = code.get("code")
        if not isinstance(code, str) or not _ERROR_CODE.fullmatch(code.strip().upper()):
            raise ValueError(f"{EXPLAIN_COMMAND} expects an error code like E0382, got {code!r}")
        return explain(ls, code.strip().upper())
