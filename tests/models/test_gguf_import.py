"""`rustcoder model import` on tiny GGUF files written here, checked against a numpy Llama.

Each file is written with the `gguf` package the way llama.cpp's converter writes
it (q/k rows permuted for "llama", not for "qwen2"; Qwen2 with q/k/v biases), so
the imported graph must undo that layout and compute what the Hugging Face model
computes: the reference below is a plain numpy transcription of it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rustcoder.models.backend import ModelError
from rustcoder.models.decode import Sampler
from rustcoder.models.gguf_import import import_gguf, imported_models, read_gguf
from rustcoder.models.gguf_tokenizer import build_tokenizer, spm_merges
from rustcoder.models.local import load_local_model
from rustcoder.models.onnx_graph_llama import dequantize_4bit, quantize_4bit
from tests.models.tiny_model import build_tokenizer as train_tokenizer

LAYERS, HIDDEN, HEADS, KV_HEADS, FFN = 2, 64, 4, 2, 96
HEAD_DIM = HIDDEN // HEADS
THETA, EPS = 10000.0, 1e-5


def permute(w: np.ndarray, heads: int) -> np.ndarray:
    """llama.cpp's converter: rotate-half rows → interleaved rows (convert_hf_to_gguf)."""
    return (
        w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)
    )


def hf_weights(vocab: int, biases: bool, seed: int = 7) -> dict[str, Any]:
    rng = np.random.default_rng(seed)

    def mat(out: int, inp: int) -> np.ndarray:
        return (rng.standard_normal((out, inp)) / np.sqrt(inp)).astype(np.float32)

    layers = []
    for _ in range(LAYERS):
        layer = {
            "q": mat(HEADS * HEAD_DIM, HIDDEN),
            "k": mat(KV_HEADS * HEAD_DIM, HIDDEN),
            "v": mat(KV_HEADS * HEAD_DIM, HIDDEN),
            "o": mat(HIDDEN, HEADS * HEAD_DIM),
            "gate": mat(FFN, HIDDEN),
            "up": mat(FFN, HIDDEN),
            "down": mat(HIDDEN, FFN),
            "attn_norm": (1 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32),
            "ffn_norm": (1 + 0.1 * rng.standard_normal(HIDDEN)).astype(np.float32),
        }
        if biases:
            for name, size in (("q", HEADS), ("k", KV_HEADS), ("v", KV_HEADS)):
                layer[name + "_bias"] = (0.1 * rng.standard_normal(size * HEAD_DIM)).astype(
                    np.float32
                )
        layers.append(layer)
    return {
        "embed": rng.standard_normal((vocab, HIDDEN)).astype(np.float32),
        "layers": layers,
        "final_norm": np.ones(HIDDEN, dtype=np.float32),
    }


def reference_logits(w: dict[str, Any], ids: list[int]) -> np.ndarray:
    """The Hugging Face Llama/Qwen2 forward pass in numpy: logits of every position."""

    def rms(x: np.ndarray, g: np.ndarray) -> np.ndarray:
        return x / np.sqrt((x * x).mean(-1, keepdims=True) + EPS) * g

    n = len(ids)
    inv = 1.0 / THETA ** (np.arange(0, HEAD_DIM, 2) / HEAD_DIM)
    ang = np.outer(np.arange(n), inv)
    cos = np.cos(np.concatenate([ang, ang], -1))[:, None, :]
    sin = np.sin(np.concatenate([ang, ang], -1))[:, None, :]

    def rope(x: np.ndarray) -> np.ndarray:
        half = HEAD_DIM // 2
        rot = np.concatenate([-x[..., half:], x[..., :half]], -1)
        return x * cos + rot * sin

    x = w["embed"][ids].astype(np.float64)
    mask = np.triu(np.full((n, n), -np.inf), 1)
    for lw in w["layers"]:
        h = rms(x, lw["attn_norm"])
        q = h @ lw["q"].T + lw.get("q_bias", 0)
        k = h @ lw["k"].T + lw.get("k_bias", 0)
        v = h @ lw["v"].T + lw.get("v_bias", 0)
        q = rope(q.reshape(n, HEADS, HEAD_DIM))
        k = np.repeat(rope(k.reshape(n, KV_HEADS, HEAD_DIM)), HEADS // KV_HEADS, axis=1)
        v = np.repeat(v.reshape(n, KV_HEADS, HEAD_DIM), HEADS // KV_HEADS, axis=1)
        scores = np.einsum("qhd,khd->hqk", q, k) / np.sqrt(HEAD_DIM) + mask
        probs = np.exp(scores - scores.max(-1, keepdims=True))
        probs /= probs.sum(-1, keepdims=True)
        attn = np.einsum("hqk,khd->qhd", probs, v).reshape(n, -1)
        x = x + attn @ lw["o"].T
        h2 = rms(x, lw["ffn_norm"])
        gate = h2 @ lw["gate"].T
        x = x + ((gate / (1 + np.exp(-gate))) * (h2 @ lw["up"].T)) @ lw["down"].T
    return rms(x, w["final_norm"]) @ w["embed"].T  # tied embeddings


def write_gguf(path: Path, arch: str, w: dict[str, Any], tokenizer_json: Path) -> Path:
    import gguf

    tok = json.loads(tokenizer_json.read_text())
    vocab = sorted(tok["model"]["vocab"].items(), key=lambda kv: kv[1])
    specials = {a["content"] for a in tok["added_tokens"]}
    merges = [m if isinstance(m, str) else " ".join(m) for m in tok["model"]["merges"]]
    writer = gguf.GGUFWriter(str(path), arch)
    writer.add_block_count(LAYERS)
    writer.add_context_length(256)
    writer.add_embedding_length(HIDDEN)
    writer.add_feed_forward_length(FFN)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(KV_HEADS)
    writer.add_layer_norm_rms_eps(EPS)
    writer.add_rope_freq_base(THETA)
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list([t for t, _ in vocab])
    writer.add_token_types([3 if t in specials else 1 for t, _ in vocab])
    writer.add_token_merges(merges)
    writer.add_eos_token_id(tok["model"]["vocab"]["<|im_end|>"])
    writer.add_chat_template("{% for m in messages %}<|im_start|>...{% endfor %}")
    writer.add_tensor("token_embd.weight", w["embed"])
    writer.add_tensor("output_norm.weight", w["final_norm"])
    permuted = arch == "llama"
    for i, lw in enumerate(w["layers"]):
        p = f"blk.{i}."
        q = permute(lw["q"], HEADS) if permuted else lw["q"]
        k = permute(lw["k"], KV_HEADS) if permuted else lw["k"]
        for name, value in (
            ("attn_q.weight", q),
            ("attn_k.weight", k),
            ("attn_v.weight", lw["v"]),
            ("attn_output.weight", lw["o"]),
            ("ffn_gate.weight", lw["gate"]),
            ("ffn_up.weight", lw["up"]),
            ("ffn_down.weight", lw["down"]),
            ("attn_norm.weight", lw["attn_norm"]),
            ("ffn_norm.weight", lw["ffn_norm"]),
        ):
            writer.add_tensor(p + name, value)
        for name in ("q", "k", "v"):
            if name + "_bias" in lw:
                writer.add_tensor(p + f"attn_{name}.bias", lw[name + "_bias"])
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


@pytest.fixture(scope="module")
def tokenizer_json(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return train_tokenizer(tmp_path_factory.mktemp("tok") / "tokenizer.json")


@pytest.fixture
def models_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RUSTCODER_MODELS_DIR", str(tmp_path / "models"))
    return tmp_path / "models"


def _vocab(tokenizer_json: Path) -> int:
    return len(json.loads(tokenizer_json.read_text())["model"]["vocab"])


@pytest.mark.parametrize(
    ("arch", "precision", "tolerance"),
    [("llama", "fp32", 1e-3), ("qwen2", "fp32", 1e-3), ("llama", "fp16", 0.1)],
)
def test_imported_graph_computes_the_reference_model(
    arch: str,
    precision: str,
    tolerance: float,
    tmp_path: Path,
    tokenizer_json: Path,
    models_dir: Path,
) -> None:
    weights = hf_weights(_vocab(tokenizer_json), biases=arch == "qwen2")
    gguf_path = write_gguf(tmp_path / f"tiny-{arch}.gguf", arch, weights, tokenizer_json)
    name, folder, info = import_gguf(gguf_path, f"tiny-{arch}", precision=precision)
    assert folder == models_dir / name and info["architecture"] == arch
    model = load_local_model(name, reuse=False)
    ids = model.encode("fn main() { let total = 1 + 2; }")
    expected = reference_logits(weights, ids)
    logits, _ = model.decoder.forward(ids, None, 0)
    np.testing.assert_allclose(logits, expected[-1], rtol=tolerance, atol=tolerance)
    # Token by token through the KV cache: every position's logits match too.
    past = None
    for pos, token in enumerate(ids):
        step, past = model.decoder.forward([token], past, pos)
        np.testing.assert_allclose(step, expected[pos], rtol=tolerance, atol=tolerance)


class RecordingSampler(Sampler):
    """Greedy, keeping a copy of every row of scores it picked from."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[np.ndarray] = []

    def __call__(self, logits: np.ndarray) -> int:
        self.seen.append(np.array(logits, copy=True))
        return super().__call__(logits)


@pytest.mark.parametrize("all_logits", [False, True], ids=["last-logits", "all-logits"])
def test_in_place_cache_decodes_as_the_reference(
    all_logits: bool, tmp_path: Path, tokenizer_json: Path, models_dir: Path
) -> None:
    """The imported graph's in-place KV cache (one buffer for past and present, logits in
    a reused buffer): the prompt in one run or in chunks, then token by token, scores
    every step as the reference model does, with graphs that score the last position
    (ours) or every position (what onnxruntime-genai reads)."""
    weights = hf_weights(_vocab(tokenizer_json), biases=False)
    gguf_path = write_gguf(tmp_path / "tiny.gguf", "llama", weights, tokenizer_json)
    name, _, _ = import_gguf(gguf_path, "tiny-cache", precision="fp32", all_logits=all_logits)
    model = load_local_model(name, reuse=False)
    layout = model.session.layout
    assert layout.shared_kv_buffer and layout.logits_positions == (None if all_logits else 1)
    ids = model.encode("fn main() { let total = 1 + 2; }")
    recomputed = list(model.decoder.tokens(ids, 10, Sampler(), use_cache=False))
    for chunk in (0, 3):
        model.decoder.prefill_chunk = chunk
        sampler = RecordingSampler()
        assert list(model.decoder.tokens(ids, 10, sampler)) == recomputed
        expected = reference_logits(weights, ids + recomputed)[len(ids) - 1 : -1]
        np.testing.assert_allclose(np.stack(sampler.seen), expected, rtol=1e-3, atol=1e-3)


def test_int4_import_stays_close_to_the_reference(
    tmp_path: Path, tokenizer_json: Path, models_dir: Path
) -> None:
    weights = hf_weights(_vocab(tokenizer_json), biases=False)
    gguf_path = write_gguf(tmp_path / "tiny.gguf", "llama", weights, tokenizer_json)
    name, _, info = import_gguf(gguf_path, "tiny-int4")
    assert info["precision"] == "int4"
    model = load_local_model(name, reuse=False)
    ids = model.encode("let x = vec![1, 2, 3];")
    logits, _ = model.decoder.forward(ids, None, 0)
    expected = reference_logits(weights, ids)[-1]
    cosine = float(logits @ expected / np.linalg.norm(logits) / np.linalg.norm(expected))
    assert cosine > 0.98
    assert [m["name"] for m in imported_models()] == [name]


def test_4bit_blocks_round_trip() -> None:
    rng = np.random.default_rng(3)
    w = rng.standard_normal((6, 80)).astype(np.float32)  # K not a multiple of 32: padded
    w[0, :32] = 0.0  # an all-zero block stays exactly zero
    packed, scales, zp = quantize_4bit(w)
    assert packed.shape == (6, 3, 16) and scales.shape == (18,) and zp.shape == (12,)
    back = dequantize_4bit(packed, scales, zp, 80)
    assert np.all(back[0, :32] == 0.0)
    step = scales.reshape(6, 3).repeat(32, axis=1)[:, :80]
    assert np.all(np.abs(back - w) <= step / 2 + 1e-6)


def test_tokenizer_from_gguf_encodes_as_the_original(tmp_path: Path, tokenizer_json: Path) -> None:
    from tokenizers import Tokenizer

    weights = hf_weights(_vocab(tokenizer_json), biases=False)
    gguf_path = write_gguf(tmp_path / "tiny.gguf", "llama", weights, tokenizer_json)
    rebuilt = build_tokenizer(read_gguf(gguf_path).meta)
    original = Tokenizer.from_file(str(tokenizer_json))
    for text in ["fn main() {}", "let x: u32 = 42;\n", "<|im_start|>user\nhé<|im_end|>"]:
        assert rebuilt.encode(text).ids == original.encode(text).ids
        assert rebuilt.decode(rebuilt.encode(text).ids, skip_special_tokens=False) == text


def test_sentencepiece_merges_follow_scores() -> None:
    tokens = ["<unk>", "a", "b", "c", "ab", "abc", "bc"]
    scores = [0.0, -1.0, -1.0, -1.0, -2.0, -3.0, -2.5]
    merges = spm_merges(tokens, scores, [2, 1, 1, 1, 1, 1, 1])
    assert merges[0] == ("a", "b")
    assert ("ab", "c") in merges and ("a", "bc") in merges


def test_other_architectures_are_refused_clearly(
    tmp_path: Path, tokenizer_json: Path, models_dir: Path
) -> None:
    weights = hf_weights(_vocab(tokenizer_json), biases=False)
    gguf_path = write_gguf(tmp_path / "g.gguf", "gemma3", weights, tokenizer_json)
    with pytest.raises(ModelError, match="architecture 'gemma3' cannot be imported"):
        import_gguf(gguf_path, "g")
    assert not models_dir.exists() or not any(models_dir.iterdir())


def test_cli_import_errors_lose_nothing(
    tmp_path: Path, tokenizer_json: Path, models_dir: Path
) -> None:
    weights = hf_weights(_vocab(tokenizer_json), biases=False)
    gguf_path = write_gguf(tmp_path / "Tiny-Coder.Q8_0.gguf", "llama", weights, tokenizer_json)

    def rc(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "rustcoder", "model", *args],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )

    first = rc("import", str(gguf_path), "--precision", "fp32")
    assert first.returncode == 0, first.stderr
    assert "imported tiny-coder.q8_0: llama, 2 layers, fp32" in first.stdout
    model_file = models_dir / "tiny-coder.q8_0" / "model.onnx"
    before = model_file.read_bytes()
    again = rc("import", str(gguf_path))
    assert again.returncode == 1 and "already exists" in again.stderr and "--force" in again.stderr
    clash = rc("import", str(gguf_path), "qwen2.5-coder-0.5b")
    assert clash.returncode == 1 and "registry model's name" in clash.stderr
    broken = tmp_path / "broken.gguf"
    broken.write_bytes(gguf_path.read_bytes()[:4000])
    bad = rc("import", str(broken), "tiny-coder.q8_0", "--force")
    assert bad.returncode == 1 and "Traceback" not in bad.stderr, bad.stderr
    assert model_file.read_bytes() == before, "a failed import keeps the model it would replace"
    assert sorted(p.name for p in models_dir.iterdir()) == ["tiny-coder.q8_0"]
    removed = rc("remove", "tiny-coder.q8_0")
    assert removed.returncode == 0 and not model_file.exists()
