"""Chat templates per family and the shipped model registry."""

from __future__ import annotations

import datetime

import pytest

from rustcoder.models.backend import ChatMessage, ModelError
from rustcoder.models.chat_format import (
    FORMATS,
    QWEN_DEFAULT_SYSTEM,
    SMOLLM_DEFAULT_SYSTEM,
    render,
)
from rustcoder.models.registry import PROMPT_STYLES, get_spec, load_registry, split_name

SYS = ChatMessage("system", "You fix Rust.")
USER = ChatMessage("user", "Fix E0308.")
ASSISTANT = ChatMessage("assistant", "Done.")


def test_chatml_and_qwen() -> None:
    assert render("chatml", [SYS, USER]) == (
        "<|im_start|>system\nYou fix Rust.<|im_end|>\n"
        "<|im_start|>user\nFix E0308.<|im_end|>\n"
        "<|im_start|>assistant\n"
    )
    # Qwen's template adds its default system prompt when none is given.
    assert render("qwen", [USER]).startswith(
        f"<|im_start|>system\n{QWEN_DEFAULT_SYSTEM}<|im_end|>\n<|im_start|>user\n"
    )
    assert QWEN_DEFAULT_SYSTEM not in render("qwen", [SYS, USER])
    # So does SmolLM2-Instruct's, with its own line.
    assert render("smollm2", [USER]).startswith(
        f"<|im_start|>system\n{SMOLLM_DEFAULT_SYSTEM}<|im_end|>\n<|im_start|>user\n"
    )
    assert SMOLLM_DEFAULT_SYSTEM not in render("smollm2", [SYS, USER])


def test_gemma_has_no_system_turn() -> None:
    text = render("gemma", [SYS, USER, ASSISTANT, USER])
    assert text == (
        "<bos><start_of_turn>user\nYou fix Rust.\n\nFix E0308.<end_of_turn>\n"
        "<start_of_turn>model\nDone.<end_of_turn>\n"
        "<start_of_turn>user\nFix E0308.<end_of_turn>\n"
        "<start_of_turn>model\n"
    )
    assert "system" not in text
    assert not FORMATS["gemma"].system_role


def test_llama3_phi3_plain() -> None:
    today = datetime.date.today().strftime("%d %b %Y")
    header = (
        "<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n"
        f"Cutting Knowledge Date: December 2023\nToday Date: {today}\n\n"
    )
    assert render("llama3", [SYS, USER]) == (
        f"{header}You fix Rust.<|eot_id|>"
        "<|start_header_id|>user<|end_header_id|>\n\nFix E0308.<|eot_id|>"
        "<|start_header_id|>assistant<|end_header_id|>\n\n"
    )
    # Llama 3.2's template emits the system header even when no system message is given.
    assert render("llama3", [USER]).startswith(f"{header}<|eot_id|><|start_header_id|>user")
    assert "<|eom_id|>" in FORMATS["llama3"].stop
    assert render("phi3", [USER]) == "<|user|>\nFix E0308.<|end|>\n<|assistant|>\n"
    assert render("plain", [SYS, USER]) == "You fix Rust.\n\nFix E0308."


def test_format_errors() -> None:
    with pytest.raises(ModelError, match="unknown chat format"):
        render("nope", [USER])
    with pytest.raises(ModelError, match="no messages"):
        render("chatml", [])


def test_shipped_registry_is_complete() -> None:
    specs = load_registry()
    assert {s.device for s in specs.values()} >= {"cpu", "cuda"}  # a laptop model and a GPU one
    assert "smollm2-135m" in specs
    for spec in specs.values():
        assert spec.chat_format in FORMATS and spec.prompt_style in PROMPT_STYLES
        assert spec.context_length >= 2048 and spec.stop and spec.variants
        for v in spec.variants:
            assert v.model_file.endswith(".onnx")
            assert any(v.model_file == f or f.startswith(v.model_file) for f in v.files)
    gemma = [s for s in specs.values() if s.chat_format == "gemma"]
    assert gemma and all(s.prompt_style == "chat-no-system" for s in gemma)


def test_default_variant_follows_the_device() -> None:
    spec = get_spec("qwen2.5-coder-0.5b")
    assert spec.default_variant("cpu").device == "cpu"
    assert spec.default_variant("cuda").device in ("cuda", "any")
    assert split_name("qwen2.5-coder-0.5b:fp16") == ("qwen2.5-coder-0.5b", "fp16")
    assert split_name("qwen2.5-coder-0.5b") == ("qwen2.5-coder-0.5b", None)
    with pytest.raises(ModelError, match="no variant 'fp64'"):
        spec.variant("fp64")


def test_registry_covers_every_prompt_style() -> None:
    specs = load_registry().values()
    assert {s.prompt_style for s in specs} == set(PROMPT_STYLES)
    assert {s.chat_format for s in specs} >= {"qwen", "gemma", "llama3", "plain"}
