"""Which code model to use, from settings or command-line arguments.

An endpoint means an OpenAI-compatible server (the name is the model it
serves); a name alone means a local model of the registry, run by our own
ONNX decode loop. Neither means no model: model-backed fixes are simply not
offered. A local model that is missing raises `ModelError` naming the pull
command, so the caller can say so once and carry on without it.
"""

from __future__ import annotations

from rustcoder.config import ModelSettings
from rustcoder.models.backend import CodeModel, GenerationParams, ModelError


def model_from_args(
    name: str | None,
    endpoint: str | None,
    api_key: str | None = None,
    timeout_s: float = 60.0,
) -> CodeModel | None:
    """A model for `--model NAME` / `--endpoint URL [--model-name NAME]`, or None."""
    if endpoint:
        from rustcoder.models.openai_backend import OpenAIBackend

        return OpenAIBackend(
            endpoint, name or "", api_key or None, read_timeout_s=max(timeout_s, 1.0)
        )
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


def model_from_settings(settings: ModelSettings) -> CodeModel | None:
    if not settings.enable:
        return None
    return model_from_args(
        settings.name or None,
        settings.endpoint or None,
        settings.api_key or None,
        settings.timeout_seconds,
    )


def params_from_settings(settings: ModelSettings) -> GenerationParams:
    return GenerationParams(
        max_tokens=max(1, settings.max_tokens),
        temperature=max(0.0, settings.temperature),
        timeout_s=max(1.0, settings.timeout_seconds),
    )
