"""`rustcoder ask`: a learn-Rust question answered from the toolchain's own docs.

Without a model the answer is the best passages with their local links; with a
model, a short answer grounded in those passages that cites them by number, so
a reader can check every claim against the page it came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rustcoder.docs.index import DocHit, DocIndex
from rustcoder.models.backend import ChatMessage, CodeModel, GenerationParams, ModelError

PASSAGES = 3
PASSAGE_CHARS_IN_PROMPT = 1200
SYSTEM = (
    "You answer questions about the Rust programming language for a learner. Use only the "
    "numbered passages from the official documentation below. Cite the passages you use as "
    "[1], [2], ... . If they do not answer the question, say so. Be brief: a few sentences "
    "and, when it helps, one short code example."
)


@dataclass
class Answer:
    question: str
    hits: list[DocHit]
    html_root: Path | None
    text: str = ""  # the model's answer; empty without a model
    model: str = ""
    problems: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "answer": self.text,
            "model": self.model,
            "problems": self.problems,
            "passages": [
                {
                    "title": h.passage.title,
                    "source": h.passage.source,
                    "link": h.url(self.html_root),
                    "page": h.passage.path,
                    "anchor": h.passage.anchor,
                    "text": h.passage.text,
                    "score": round(h.score, 3),
                }
                for h in self.hits
            ],
        }

    def markdown(self) -> str:
        """The answer as a document: the model's text (if any), then the cited passages."""
        lines = [f"# {self.question}", ""]
        if self.text:
            lines += [
                self.text.strip(),
                "",
                f"*Answered by {self.model} from the passages below.*",
                "",
            ]
        for problem in self.problems:
            lines += [f"> {problem}", ""]
        if not self.hits:
            lines.append("No passage of the installed documentation matches this question.")
        for i, hit in enumerate(self.hits, 1):
            lines += [f"## [{i}] [{hit.passage.title}]({hit.url(self.html_root)})", ""]
            lines += [_quote(hit.passage.text), ""]
        return "\n".join(lines).rstrip() + "\n"


def ask(
    question: str,
    index: DocIndex,
    *,
    html_root: Path | None,
    model: CodeModel | None = None,
    limit: int = PASSAGES,
    params: GenerationParams | None = None,
) -> Answer:
    """Find the passages; with a model, also write an answer that cites them."""
    hits = index.search(question, limit=limit)
    answer = Answer(question, hits, html_root)
    if not hits and index.count() == 0:
        answer.problems.append(
            "The knowledge base holds no documentation: install the toolchain's docs "
            "(`rustup component add rust-docs`) and run `rustcoder kb build`."
        )
    if model is None or not hits:
        return answer
    try:
        reply = model.chat(prompt(question, hits), params or GenerationParams(max_tokens=400))
    except ModelError as exc:
        answer.problems.append(f"The model could not answer: {exc}")
        return answer
    answer.text, answer.model = reply.text.strip(), model.name
    return answer


def prompt(question: str, hits: list[DocHit]) -> list[ChatMessage]:
    passages = "\n\n".join(
        f"[{i}] {h.passage.title}\n{h.passage.text[:PASSAGE_CHARS_IN_PROMPT]}"
        for i, h in enumerate(hits, 1)
    )
    return [
        ChatMessage("system", SYSTEM),
        ChatMessage("user", f"Passages:\n\n{passages}\n\nQuestion: {question}"),
    ]


def _quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
