"""Which code model to use, from settings or command-line arguments.

An endpoint means an OpenAI-compatible server (the name is the model it
serves); a name alone means a local model of the registry, run by our own
ONNX decode loop. Neither means no model: model-backed fixes are simply not
offered. A local model that is missing raises `ModelError` naming the pull
command, so the caller can say so once and carry on without it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

from rustcoder.config import ModelSettings
from rustcoder.models.backend import (
    CancelToken,
    ChatMessage,
    CodeModel,
    Completion,
    GenerationParams,
    ModelError,
)


class LazyModel:
    """A local model loaded on first use (in the worker thread that generates).

    Loading ONNX weights takes seconds; the server must not stall at start-up or on a
    settings change for a model that may never be asked.
    """

    def __init__(self, name: str, load: Callable[[], CodeModel]) -> None:
        self.name = name
        self._load = load
        self._model: CodeModel | None = None
        self._lock = threading.Lock()

    def loaded(self) -> CodeModel:
        with self._lock:
            if self._model is None:
                self._model = self._load()
            return self._model

    @property
    def prompt_style(self) -> str:
        return str(getattr(self.loaded(), "prompt_style", "chat"))

    def chat(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Completion:
        return self.loaded().chat(messages, params, cancel)

    def stream(
        self,
        messages: list[ChatMessage],
        params: GenerationParams,
        cancel: CancelToken | None = None,
    ) -> Iterator[str]:
        return self.loaded().stream(messages, params, cancel)


def model_from_args(
    name: str | None,
    endpoint: str | None,
    api_key: str | None = None,
    timeout_s: float = 60.0,
    lazy: bool = False,
) -> CodeModel | None:
    """A model for `--model NAME` / `--endpoint URL [--model-name NAME]`, or None.

    `lazy`: a local model is loaded on first use instead of now.
    """
    if endpoint:
        from rustcoder.models.openai_backend import OpenAIBackend

        return OpenAIBackend(
            endpoint, name or "", api_key or None, read_timeout_s=max(timeout_s, 1.0)
        )
    if name and lazy:
        local = name
        return LazyModel(name, lambda: model_from_args(local, None) or _missing(local))
    if name:
        try:
            from rustcoder.models.local import load_local_model  # type: ignore[import-not-found,unused-ignore]
        except ImportError as exc:
            raise ModelError(
                f"local model {name!r} cannot run here: local models are not available "
                f"in this install ({exc}); use an OpenAI-compatible endpoint instead"
            ) from None
        model: CodeModel = load_local_model(name)
        return model
    return None


def _missing(name: str) -> CodeModel:
    raise ModelError(f"model {name!r} is not available")


def model_from_settings(settings: ModelSettings, lazy: bool = False) -> CodeModel | None:
    if not settings.enable:
        return None
    return model_from_args(
        settings.name or None,
        settings.endpoint or None,
        settings.api_key or None,
        settings.timeout_seconds,
        lazy=lazy,
    )


def params_from_settings(settings: ModelSettings) -> GenerationParams:
    """A time limit as given (`rustcoder fix --model-timeout 0.1` means 0.1 s); one that is
    not positive would stop every generation at once, so it means the default."""
    timeout = settings.timeout_seconds
    return GenerationParams(
        max_tokens=max(1, settings.max_tokens),
        temperature=max(0.0, settings.temperature),
        timeout_s=timeout if timeout > 0 else ModelSettings.timeout_seconds,
    )
