"""The command `rustcoder.ask`: a Rust question answered from the toolchain's docs.

Protocol only: `rustcoder.docs.ask` finds the passages (and, with the session's
model, writes an answer citing them); this module opens the answer as a
Markdown document when the client can show documents, else shows the best
passage's title and link, and returns the Markdown either way.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer

from rustcoder.docs.ask import Answer, ask
from rustcoder.docs.index import DocIndex
from rustcoder.docs.passages import docs_root
from rustcoder.lsp.explain import show_markdown

if TYPE_CHECKING:
    from rustcoder.lsp.server import RustcoderServer

ASK_COMMAND = "rustcoder.ask"
MAX_QUESTION_CHARS = 2_000


def answer(ls: RustcoderServer, question: str) -> Answer:
    """Passages from the KB the session opened; the model writes the answer when configured."""
    kb = ls.runtime.kb
    if kb is None or kb.base is None:
        problems = "; ".join(kb.problems) if kb is not None else "no knowledge base"
        raise ValueError(f"rustcoder: no knowledge base to answer from ({problems})")
    source = ls.runtime.fixes.model
    model = source.model if source is not None else None
    return ask(question, DocIndex(kb.base.conn), html_root=docs_root(), model=model)


def show(ls: RustcoderServer, found: Answer) -> str:
    markdown = found.markdown()
    if ls.session.capabilities.show_document:
        digest = hashlib.sha256(found.question.encode()).hexdigest()[:12]
        show_markdown(ls, "rustcoder-ask", f"answer-{digest}.md", markdown)
    else:
        best = found.hits[0] if found.hits else None
        text = (
            f"{best.passage.title}: {best.url(found.html_root)}"
            if best is not None
            else "no passage of the installed documentation matches"
        )
        ls.window_show_message(lsp.ShowMessageParams(type=lsp.MessageType.Info, message=text))
    return markdown


def register(server: RustcoderServer) -> None:
    # pygls resolves a command handler's annotations at run time: the handler takes
    # pygls' base class and works on `server`, the same object (see lsp/explain.py).
    @server.command(ASK_COMMAND)
    def on_ask(ls: LanguageServer, args: Any) -> str:
        question = args[0] if isinstance(args, list) and args else args
        if isinstance(question, dict):
            question = question.get("question")
        if not isinstance(question, str) or not question.strip():
            raise ValueError(f"{ASK_COMMAND} expects a question, got {question!r}")
        if len(question) > MAX_QUESTION_CHARS:
            raise ValueError(f"{ASK_COMMAND}: the question is over {MAX_QUESTION_CHARS} chars")
        return show(server, answer(server, question.strip()))
