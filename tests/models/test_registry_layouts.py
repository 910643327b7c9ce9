"""Each shipped registry entry's declared layout, loaded against a tiny model built to it.

The hub cannot be reached here, so every entry gets a synthetic model with exactly
the inputs the entry declares (attention_mask and position_ids present or absent)
at its default variant's path, in a huggingface-hub cache on disk; the model then
loads through the registry as a pulled one would, and the decode loop must feed
what the entry says (positions from its position_offset).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from rustcoder.models.backend import ModelError
from rustcoder.models.decode import Sampler
from rustcoder.models.local import load_local_model
from rustcoder.models.registry import ModelSpec, load_registry
from tests.models.conftest import COMMIT, _add_blob
from tests.models.tiny_model import build_model_dir

SHIPPED = load_registry()


def cache_model(
    hub: Path, spec: ModelSpec, tmp: Path, *, attention_mask: bool, position_ids: bool
) -> None:
    """A tiny model at the spec's CPU variant path in an HF cache, as `pull` leaves it."""
    variant = spec.default_variant("cpu")
    source = build_model_dir(
        tmp / spec.name,
        attention_mask=attention_mask,
        position_ids=position_ids,
        model_file=variant.model_file,
    )
    repo_dir = hub / ("models--" + spec.repo.replace("/", "--"))
    snapshot = repo_dir / "snapshots" / COMMIT
    (repo_dir / "refs").mkdir(parents=True, exist_ok=True)
    (repo_dir / "refs" / spec.revision).write_text(COMMIT)
    for rel in (variant.model_file, spec.tokenizer, "config.json"):
        _add_blob(repo_dir, snapshot, rel, source / rel)


@pytest.fixture
def hub(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.delenv("RUSTCODER_MODELS_TOML", raising=False)
    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "hub"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    return tmp_path / "hub"


def test_every_entry_declares_its_layout() -> None:
    for spec in SHIPPED.values():
        assert spec.inputs is not None and "input_ids" in spec.inputs, spec.name
    gemma = SHIPPED["gemma-3-1b"]
    assert gemma.inputs == ("input_ids", "position_ids") and gemma.position_offset == 1
    assert "fp16" not in {v.name for v in gemma.variants}
    assert SHIPPED["qwen2.5-coder-7b"].unavailable
    assert "qwen2.5-coder-0.5b-base" not in SHIPPED
    assert SHIPPED["qwen2.5-coder-1.5b-base"].repo == "onnx-community/Qwen2.5-Coder-1.5B"
    assert "qwen2.5-coder-3b" in SHIPPED


@pytest.mark.parametrize("name", sorted(SHIPPED))
def test_entry_loads_a_model_of_its_declared_layout(name: str, hub: Path, tmp_path: Path) -> None:
    spec = SHIPPED[name]
    assert spec.inputs is not None
    cache_model(
        hub,
        spec,
        tmp_path,
        attention_mask="attention_mask" in spec.inputs,
        position_ids="position_ids" in spec.inputs,
    )
    model = load_local_model(name, device="cpu", reuse=False)
    layout = model.session.layout
    assert layout.has_attention_mask == ("attention_mask" in spec.inputs)
    assert layout.has_position_ids == ("position_ids" in spec.inputs)
    assert model.decoder.position_offset == spec.position_offset
    ids = model.encode("fn main() { let x = 1; }")
    cached = list(model.decoder.tokens(ids, 8, Sampler(), use_cache=True))
    recomputed = list(model.decoder.tokens(ids, 8, Sampler(), use_cache=False))
    assert cached == recomputed
    if layout.has_position_ids:
        # The loop's positions are the entry's: the same logits as feeding them by hand.
        logits, _ = model.decoder.forward(ids, None, 0)
        feed: dict[str, np.ndarray] = {"input_ids": np.array([ids], dtype=np.int64)}
        start = spec.position_offset
        feed["position_ids"] = np.arange(start, start + len(ids), dtype=np.int64)[None, :]
        if layout.has_attention_mask:
            feed["attention_mask"] = np.ones((1, len(ids)), dtype=np.int64)
        for key, value in layout.past_names:
            empty = np.zeros((1, layout.kv_heads, 0, layout.head_dim), dtype=np.float32)
            feed[key] = feed[value] = empty
        by_hand = model.session.session.run(["logits"], feed)[0][0, -1]
        np.testing.assert_allclose(logits, by_hand, rtol=1e-5, atol=1e-5)
        if start:
            feed["position_ids"] = feed["position_ids"] - start
            from_zero = model.session.session.run(["logits"], feed)[0][0, -1]
            assert not np.allclose(logits, from_zero), "the offset changes what the model sees"


def test_a_file_with_other_inputs_than_declared_is_refused(hub: Path, tmp_path: Path) -> None:
    gemma = SHIPPED["gemma-3-1b"]
    cache_model(hub, gemma, tmp_path, attention_mask=True, position_ids=True)
    with pytest.raises(ModelError, match="undeclared attention_mask"):
        load_local_model("gemma-3-1b", device="cpu", reuse=False)
