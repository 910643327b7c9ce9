"""The one interface every code model backend implements.

The fix engine, compile-and-fix and crate generation talk to a `CodeModel`;
whether tokens come from our own ONNX decode loop (GPU or CPU) or from an
OpenAI-compatible server is a detail of the backend.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class ChatMessage:
    role: Role
    content: str


@dataclass
class GenerationParams:
    max_tokens: int = 1024
    #: 0 means greedy decoding.
    temperature: float = 0.0
    top_p: float = 1.0
    seed: int | None = None
    stop: list[str] = field(default_factory=list)
    #: Wall-clock limit for the whole generation, seconds.
    timeout_s: float = 120.0


class CancelToken:
    """Set from another thread/task to stop a generation between tokens."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()


@dataclass
class Completion:
    text: str
    #: "stop" (stop sequence or end token), "length" (max tokens), "cancelled", "timeout".
    finish_reason: str
    prompt_tokens: int = 0
    completion_tokens: int = 0


class ModelError(RuntimeError):
    """A model could not be used; the message says what to do (e.g. which command pulls it)."""


class CodeModel(Protocol):
    #: Shown to users, e.g. "Fix with qwen2.5-coder-1.5b".
    name: str

    def chat(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Completion:
        """Generate a reply to a conversation (the backend applies the chat format)."""
        ...

    def stream(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]:
        """The same, yielding text pieces as they are produced."""
        ...
