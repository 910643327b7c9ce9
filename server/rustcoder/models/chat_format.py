"""Chat templates per model family, rendered to the exact text the model was tuned on.

We render the templates ourselves (no Jinja, no transformers) so a local model
needs only its ONNX file and tokenizer.json. The rendered text already holds the
special tokens (BOS included), so it is encoded without adding special tokens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rustcoder.models.backend import ChatMessage, ModelError

QWEN_DEFAULT_SYSTEM = "You are Qwen, created by Alibaba Cloud. You are a helpful assistant."
#: SmolLM2-Instruct's template adds this system turn when the conversation has none.
SMOLLM_DEFAULT_SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"
#: Llama 3.x templates always open with a system header carrying these lines.
LLAMA3_KNOWLEDGE = "Cutting Knowledge Date: December 2023"


@dataclass(frozen=True)
class ChatFormat:
    name: str
    render: Callable[[Sequence[ChatMessage]], str]
    #: Text that ends an assistant turn; generation stops there.
    stop: tuple[str, ...]
    #: False for families trained without a system role (Gemma): the system text
    #: is folded into the first user turn.
    system_role: bool = True


def _chatml(messages: Sequence[ChatMessage], default_system: str | None) -> str:
    parts: list[str] = []
    if default_system is not None and (not messages or messages[0].role != "system"):
        parts.append(f"<|im_start|>system\n{default_system}<|im_end|>\n")
    for m in messages:
        parts.append(f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n")
    parts.append("<|im_start|>assistant\n")
    return "".join(parts)


def _fold_system(messages: Sequence[ChatMessage]) -> list[ChatMessage]:
    """Merge system messages into the next user turn, for families without a system role."""
    out: list[ChatMessage] = []
    pending: list[str] = []
    for m in messages:
        if m.role == "system":
            pending.append(m.content)
        elif m.role == "user" and pending:
            out.append(ChatMessage("user", "\n\n".join([*pending, m.content])))
            pending = []
        else:
            out.append(m)
    if pending:
        out.append(ChatMessage("user", "\n\n".join(pending)))
    return out


def _gemma(messages: Sequence[ChatMessage]) -> str:
    parts = ["<bos>"]
    for m in _fold_system(messages):
        role = "model" if m.role == "assistant" else "user"
        parts.append(f"<start_of_turn>{role}\n{m.content}<end_of_turn>\n")
    parts.append("<start_of_turn>model\n")
    return "".join(parts)


def _llama3(messages: Sequence[ChatMessage]) -> str:
    """Llama 3.x: the system header always comes first, with the knowledge cut-off and
    today's date, then the caller's system text (if any), as the official template does."""
    import datetime

    system = ""
    if messages and messages[0].role == "system":
        system, messages = messages[0].content, messages[1:]
    today = datetime.date.today().strftime("%d %b %Y")
    parts = [
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
        f"{LLAMA3_KNOWLEDGE}\nToday Date: {today}\n\n{system}<|eot_id|>"
    ]
    for m in messages:
        parts.append(f"<|start_header_id|>{m.role}<|end_header_id|>\n\n{m.content}<|eot_id|>")
    parts.append("<|start_header_id|>assistant<|end_header_id|>\n\n")
    return "".join(parts)


def _phi3(messages: Sequence[ChatMessage]) -> str:
    parts = [f"<|{m.role}|>\n{m.content}<|end|>\n" for m in messages]
    parts.append("<|assistant|>\n")
    return "".join(parts)


def _plain(messages: Sequence[ChatMessage]) -> str:
    """Completion models: the conversation as plain text; the model continues the last part."""
    return "\n\n".join(m.content for m in messages)


FORMATS: dict[str, ChatFormat] = {
    "chatml": ChatFormat("chatml", lambda ms: _chatml(ms, None), ("<|im_end|>",)),
    "qwen": ChatFormat(
        "qwen", lambda ms: _chatml(ms, QWEN_DEFAULT_SYSTEM), ("<|im_end|>", "<|endoftext|>")
    ),
    "gemma": ChatFormat("gemma", _gemma, ("<end_of_turn>",), system_role=False),
    "smollm2": ChatFormat(
        "smollm2", lambda ms: _chatml(ms, SMOLLM_DEFAULT_SYSTEM), ("<|im_end|>",)
    ),
    "llama3": ChatFormat("llama3", _llama3, ("<|eot_id|>", "<|eom_id|>")),
    "phi3": ChatFormat("phi3", _phi3, ("<|end|>", "<|endoftext|>")),
    "plain": ChatFormat("plain", _plain, ()),
}


def get_format(name: str) -> ChatFormat:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise ModelError(f"unknown chat format {name!r} (known: {known})") from None


def render(format_name: str, messages: Sequence[ChatMessage]) -> str:
    """The prompt text for `messages`, ending where the assistant's reply starts."""
    if not messages:
        raise ModelError("no messages to send to the model")
    return get_format(format_name).render(messages)
