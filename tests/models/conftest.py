"""Fixtures for the local model tests: tiny models built once per session, and a
Hugging Face cache laid out on disk the way huggingface-hub lays it out."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.models.tiny_model import build_model_dir

TEST_REPO = "rustcoder-tests/tiny-coder"
COMMIT = "0123456789abcdef0123456789abcdef01234567"

USER_REGISTRY = f"""
[models.tiny-coder]
description = "tiny test model"
repo = "{TEST_REPO}"
chat_format = "chatml"
prompt_style = "chat"
context_length = 256
stop = ["<|im_end|>", "<|endoftext|>"]
tokenizer = "tokenizer.json"
extra_files = ["config.json"]
device = "cpu"
verified = true

[models.tiny-coder.variants.fp32]
model_file = "onnx/model.onnx"
files = ["onnx/model.onnx"]
device = "cpu"

[models.tiny-coder.variants.fp16]
model_file = "onnx/model_fp16.onnx"
files = ["onnx/model_fp16.onnx"]
device = "cuda"

# Same repo; its CPU variant was never pulled, so resolution falls back to fp32.
[models.tiny-fallback]
repo = "{TEST_REPO}"
chat_format = "chatml"
context_length = 256
device = "cpu"

[models.tiny-fallback.variants.q4]
model_file = "onnx/model_q4.onnx"
device = "cpu"

[models.tiny-fallback.variants.fp32]
model_file = "onnx/model.onnx"
device = "any"

[models.absent-coder]
repo = "rustcoder-tests/absent-coder"
chat_format = "qwen"
context_length = 1024

[models.absent-coder.variants.q4]
model_file = "onnx/model_q4.onnx"
"""


@pytest.fixture(scope="session")
def tiny_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fp32 KV cache, with position_ids (Qwen/Llama-style export)."""
    return build_model_dir(tmp_path_factory.mktemp("tiny_fp32"))


@pytest.fixture(scope="session")
def tiny_fp16_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """fp16 KV cache and logits, positions derived from the mask (no position_ids input)."""
    return build_model_dir(
        tmp_path_factory.mktemp("tiny_fp16"), position_ids=False, kv_dtype="float16"
    )


def _add_blob(repo_dir: Path, snapshot: Path, rel: str, source: Path) -> None:
    """Store a file as huggingface-hub does: content in blobs/, a relative symlink in snapshots/."""
    data = source.read_bytes()
    blob = repo_dir / "blobs" / hashlib.sha256(data).hexdigest()
    blob.parent.mkdir(parents=True, exist_ok=True)
    blob.write_bytes(data)
    link = snapshot / rel
    link.parent.mkdir(parents=True, exist_ok=True)
    link.symlink_to(os.path.relpath(blob, link.parent))


@pytest.fixture(scope="session")
def hf_cache_template(
    tmp_path_factory: pytest.TempPathFactory, tiny_dir: Path, tiny_fp16_dir: Path
) -> Path:
    root = tmp_path_factory.mktemp("hf_cache")
    hub_dir = root / "hub"
    repo_dir = hub_dir / ("models--" + TEST_REPO.replace("/", "--"))
    snapshot = repo_dir / "snapshots" / COMMIT
    (repo_dir / "refs").mkdir(parents=True)
    (repo_dir / "refs" / "main").write_text(COMMIT)  # no newline, as huggingface-hub writes it
    _add_blob(repo_dir, snapshot, "onnx/model.onnx", tiny_dir / "onnx" / "model.onnx")
    _add_blob(repo_dir, snapshot, "onnx/model_fp16.onnx", tiny_fp16_dir / "onnx" / "model.onnx")
    _add_blob(repo_dir, snapshot, "tokenizer.json", tiny_dir / "tokenizer.json")
    _add_blob(repo_dir, snapshot, "config.json", tiny_dir / "config.json")
    (root / "registry.toml").write_text(USER_REGISTRY)
    return root


@pytest.fixture
def hf_cache(
    hf_cache_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A private copy of the cache (tests may delete from it), offline, with the test registry."""
    root = tmp_path / "cache"
    shutil.copytree(hf_cache_template, root, symlinks=True)
    monkeypatch.setenv("HF_HUB_CACHE", str(root / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("RUSTCODER_MODELS_TOML", str(root / "registry.toml"))
    yield root / "hub"
