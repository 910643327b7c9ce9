"""Prompts for model-backed fixes, shaped per model family.

Two tasks: fix one diagnostic (the error, rustc's rendered message, the
enclosing item's code, an excerpt of `rustc --explain`, and knowledge-base
examples as few-shot turns), and fix a whole file from all its errors
(compile-and-fix rounds). Styles: "chat" (a system turn), "chat-no-system"
(Gemma's template has no system role, so the instructions open the first user
turn) and "completion" (one plain document ending in an open ```rust fence,
for base models). Small models follow a fixed reply shape far more reliably
than prose, so every prompt asks for exactly one fenced block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from rustcoder.models.backend import ChatMessage

PromptStyle = Literal["chat", "chat-no-system", "completion"]
STYLES: tuple[PromptStyle, ...] = ("chat", "chat-no-system", "completion")

SYSTEM = (
    "You are an expert Rust programmer. You fix compile errors with the smallest change "
    "that makes the code compile and keeps its meaning. Never remove or stub out code, "
    "never use `unsafe`, `todo!()` or `unimplemented!()` to silence an error."
)
#: Opens the model's answer in the completion style; the parser adds it back.
COMPLETION_OPEN = "```rust\n"
MAX_RENDERED = 2000
MAX_EXPLANATION = 900
#: Heads the real signatures (from the API index) a prompt carries.
API_HEADING = "Real APIs of the crates and std in use (their actual signatures; do not guess):"


@dataclass(frozen=True)
class FewShot:
    """A known fix of a similar error (from the knowledge base)."""

    message: str
    before: str
    after: str


@dataclass
class DiagnosticPrompt:
    code: str
    message: str
    rendered: str
    path: str
    #: The enclosing item's code (function, impl, struct...).
    item: str
    #: "function `total`", "struct `Point`": what the model must reply with.
    item_label: str
    explanation: str = ""
    examples: list[FewShot] = field(default_factory=list)
    #: Real signatures of the items the code touches (`path: signature — doc`).
    api: list[str] = field(default_factory=list)


@dataclass
class FilePrompt:
    path: str
    text: str
    #: rustc's rendered messages of the file's errors.
    errors: list[str]
    api: list[str] = field(default_factory=list)


def api_section(lines: list[str]) -> str:
    """The real signatures as a text block ('' when there are none)."""
    if not lines:
        return ""
    return API_HEADING + "\n```text\n" + "\n".join(lines) + "\n```"


def style_of(model: object) -> PromptStyle:
    """The model's prompt style (registry models and backends may set `prompt_style`)."""
    style = getattr(model, "prompt_style", "chat")
    return style if style in STYLES else "chat"


def explanation_excerpt(explanation: str | None, limit: int = MAX_EXPLANATION) -> str:
    """The opening of `rustc --explain`: what the error means, cut at a paragraph."""
    if not explanation:
        return ""
    text = explanation.strip()
    if len(text) <= limit:
        return text
    cut = text.rfind("\n\n", 0, limit)
    if cut < limit // 3:
        cut = text.rfind("\n", 0, limit)
    return text[: cut if cut > 0 else limit].rstrip() + "\n[…]"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "\n[…]"


def _fence(code: str) -> str:
    return f"```rust\n{code.rstrip()}\n```"


def _error_heading(p: DiagnosticPrompt) -> str:
    code = f"[{p.code}]" if p.code else ""
    return f"error{code}: {p.message}"


def fix_user_text(p: DiagnosticPrompt) -> str:
    parts = [
        f"The Rust file `{p.path}` does not compile:",
        "```text\n" + _clip(p.rendered.strip() or _error_heading(p), MAX_RENDERED) + "\n```",
    ]
    if p.explanation:
        parts.append(f"What rustc says about {p.code or 'this error'}:\n{p.explanation}")
    if p.api:
        parts.append(api_section(p.api))
    parts.append(f"The {p.item_label} with the error:\n{_fence(p.item)}")
    parts.append(
        f"Reply with the corrected {p.item_label} in full, in one ```rust code block, "
        "and nothing else. Add any `use` lines it needs at the top of the block."
    )
    return "\n\n".join(parts)


def _example_turns(p: DiagnosticPrompt) -> list[tuple[str, str]]:
    return [
        (f"Fix this error: {ex.message}\n{_fence(ex.before)}", _fence(ex.after))
        for ex in p.examples
    ]


def fix_messages(p: DiagnosticPrompt, style: PromptStyle = "chat") -> list[ChatMessage]:
    """Messages asking to fix one diagnostic in its enclosing item."""
    return _styled(fix_user_text(p), _example_turns(p), style)


def file_user_text(p: FilePrompt) -> str:
    errors = "\n\n".join(_clip(e.strip(), MAX_RENDERED) for e in p.errors)
    api = f"{api_section(p.api)}\n\n" if p.api else ""
    return (
        f"The Rust file `{p.path}` does not compile. rustc reports:\n"
        f"```text\n{errors}\n```\n\n"
        f"{api}"
        f"The file:\n{_fence(p.text)}\n\n"
        "Reply with the whole corrected file in one ```rust code block and nothing else. "
        "Keep every item; change only what the errors need."
    )


def file_messages(p: FilePrompt, style: PromptStyle = "chat") -> list[ChatMessage]:
    """Messages asking to fix every error of a file at once."""
    return _styled(file_user_text(p), [], style)


def _styled(user: str, examples: list[tuple[str, str]], style: PromptStyle) -> list[ChatMessage]:
    if style == "completion":
        shots = "".join(f"{q}\n\nFixed:\n{a}\n\n---\n\n" for q, a in examples)
        document = f"{SYSTEM}\n\n{shots}{user}\n\nFixed:\n{COMPLETION_OPEN}"
        return [ChatMessage("user", document)]
    turns: list[ChatMessage] = []
    for question, answer in examples:
        turns += [ChatMessage("user", question), ChatMessage("assistant", answer)]
    turns.append(ChatMessage("user", user))
    if style == "chat-no-system":
        first = turns[0]
        turns[0] = ChatMessage("user", f"{SYSTEM}\n\n{first.content}")
        return turns
    return [ChatMessage("system", SYSTEM), *turns]
