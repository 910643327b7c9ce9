"""Builders for a tiny decoder-only ONNX language model and a tiny BPE tokenizer.

The model has the same interface as the Optimum / onnxruntime-genai /
onnx-community exports of Llama/Qwen-style models, so the decode loop is tested
against the real layout: inputs `input_ids`, `attention_mask`, optionally
`position_ids`, `past_key_values.{i}.key/value` of shape
[batch, kv_heads, past_len, head_dim]; outputs `logits` and
`present.{i}.key/value`. The attention is real (causal + padding mask, grouped
query heads, concatenation of the past with the new keys/values), so decoding
with the KV cache and recomputing the whole sequence must agree token for token.
Weights are random with a fixed seed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]

#: A little Rust and English for the tokenizer to learn merges from.
CORPUS = [
    'fn main() { let x = 5; println!("{}", x); }',
    "use std::collections::HashMap; let mut map = HashMap::new();",
    "error[E0308]: mismatched types expected `&str`, found `String`",
    "The borrow checker says: cannot borrow `v` as mutable because it is also borrowed",
    "impl Display for Point { fn fmt(&self, f: &mut Formatter) -> fmt::Result { Ok(()) } }",
    "system user assistant You are a helpful assistant. Fix the error in this code.",
    "héllo wörld ✓ compiles — naïve café",
]


@dataclass(frozen=True)
class TinyConfig:
    vocab_size: int
    hidden: int = 32
    layers: int = 2
    heads: int = 4
    kv_heads: int = 2
    head_dim: int = 8
    max_positions: int = 256
    #: Width of the feed-forward layer; 0 means twice the hidden size.
    ffn: int = 0
    #: Exports of older models take no `position_ids` and derive positions from the mask.
    position_ids: bool = True
    #: "float32" or "float16": the dtype of the past/present tensors and of the logits.
    kv_dtype: str = "float32"
    #: Gemma 3's onnx-community export takes no attention_mask: lengths come from the past.
    attention_mask: bool = True
    seed: int = 1234


def build_tokenizer(path: Path) -> Path:
    """Train a byte-level BPE tokenizer (the kind Qwen/SmolLM use) and save tokenizer.json."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=SPECIAL_TOKENS,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    tok.train_from_iterator(CORPUS * 3, trainer=trainer)
    path.parent.mkdir(parents=True, exist_ok=True)
    tok.save(str(path))
    return path


def _weight(
    rng: np.random.Generator, name: str, shape: tuple[int, ...], scale: float
) -> TensorProto:
    return numpy_helper.from_array((rng.standard_normal(shape) * scale).astype(np.float32), name)


def _const(name: str, values: list[int]) -> TensorProto:
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def build_model(path: Path, cfg: TinyConfig) -> Path:
    """Write a tiny decoder-only model with a KV cache in its graph."""
    rng = np.random.default_rng(cfg.seed)
    h, nh, nkv, d = cfg.hidden, cfg.heads, cfg.kv_heads, cfg.head_dim
    ffn = cfg.ffn or 2 * h
    group = nh // nkv
    kv_elem = TensorProto.FLOAT16 if cfg.kv_dtype == "float16" else TensorProto.FLOAT
    nodes: list[onnx.NodeProto] = []
    inits: list[TensorProto] = [
        _weight(rng, "embed", (cfg.vocab_size, h), 1.0),
        _weight(rng, "pos_embed", (cfg.max_positions, h), 0.5),
        _weight(rng, "lm_head", (h, cfg.vocab_size), 1.0 / np.sqrt(h)),
        _const("c_zero", [0]),
        _const("c_axis1", [1]),
        _const("c_axis2", [2]),
        _const("c_qshape", [0, 0, nh, d]),
        _const("c_kvshape", [0, 0, nkv, d]),
        _const("c_outshape", [0, 0, nh * d]),
        _const("c_rep_shape", [1, 1, group, 1, 1]),
        _const("c_merge_shape", [0, nh, -1, d]),
        numpy_helper.from_array(np.array(1.0 / np.sqrt(d), dtype=np.float32), "c_scale"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "c_fzero"),
        numpy_helper.from_array(np.array(-1e9, dtype=np.float32), "c_neg"),
        numpy_helper.from_array(np.ones(h, dtype=np.float32), "ln_scale"),
        numpy_helper.from_array(np.zeros(h, dtype=np.float32), "ln_bias"),
    ]
    n = helper.make_node

    # Lengths: S new tokens, T = past + S keys, P = past.
    nodes.append(n("Shape", ["input_ids"], ["s_1d"], start=1, end=2))
    if cfg.attention_mask:
        nodes.append(n("Shape", ["attention_mask"], ["t_1d"], start=1, end=2))
    else:
        nodes += [
            n("Shape", ["past_key_values.0.key"], ["past_1d"], start=2, end=3),
            n("Add", ["past_1d", "s_1d"], ["t_1d"]),
            n(
                "ConstantOfShape",
                ["t_1d"],
                ["ones_t"],
                value=helper.make_tensor("one", TensorProto.INT64, [1], [1]),
            ),
            n("Unsqueeze", ["ones_t", "c_zero"], ["mask_all"]),
        ]
    mask = "attention_mask" if cfg.attention_mask else "mask_all"
    nodes += [
        n("Sub", ["t_1d", "s_1d"], ["p_1d"]),
        n("Squeeze", ["s_1d", "c_zero"], ["s"]),
        n("Squeeze", ["t_1d", "c_zero"], ["t"]),
        n("Squeeze", ["p_1d", "c_zero"], ["p"]),
    ]
    # Positions: given, or derived from the mask like the exports that lack position_ids.
    if cfg.position_ids:
        pos = "position_ids"
    else:
        inits.append(_const("c_one", [1]))
        nodes += [
            n("CumSum", [mask, "c_axis1"], ["mask_cum"]),
            n("Sub", ["mask_cum", "c_one"], ["mask_pos_raw"]),
            n("Max", ["mask_pos_raw", "c_zero"], ["mask_pos"]),
            n("Slice", ["mask_pos", "p_1d", "t_1d", "c_axis1"], ["derived_pos"]),
        ]
        pos = "derived_pos"
    nodes += [
        n("Gather", ["embed", "input_ids"], ["tok_emb"]),
        n("Gather", ["pos_embed", pos], ["pos_emb"]),
        n("Add", ["tok_emb", "pos_emb"], ["x0"]),
    ]
    # Mask [B, 1, S, T]: key j visible to query i iff j <= P + i and attention_mask[j] == 1.
    nodes += [
        n("Range", ["c_zero_s", "t", "c_one_s"], ["key_idx"]),
        n("Range", ["p", "t", "c_one_s"], ["query_idx"]),
        n("Unsqueeze", ["query_idx", "c_axis1"], ["query_col"]),
        n("LessOrEqual", ["key_idx", "query_col"], ["causal"]),
        n("Cast", [mask], ["pad_bool"], to=TensorProto.BOOL),
        n("Unsqueeze", ["pad_bool", "c_axis1"], ["pad_b1t"]),
        n("Unsqueeze", ["pad_b1t", "c_axis1"], ["pad_b11t"]),
        n("And", ["causal", "pad_b11t"], ["visible"]),
        n("Where", ["visible", "c_fzero", "c_neg"], ["mask_bias"]),
    ]
    inits += [
        numpy_helper.from_array(np.array(0, dtype=np.int64), "c_zero_s"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "c_one_s"),
    ]
    x = "x0"
    past_inputs: list[onnx.ValueInfoProto] = []
    present_outputs: list[onnx.ValueInfoProto] = []
    for i in range(cfg.layers):
        p = f"l{i}_"
        for wname, shape in (
            ("wq", (h, nh * d)),
            ("wk", (h, nkv * d)),
            ("wv", (h, nkv * d)),
            ("wo", (nh * d, h)),
            ("w1", (h, ffn)),
            ("w2", (ffn, h)),
        ):
            inits.append(_weight(rng, p + wname, shape, 1.0 / np.sqrt(shape[0])))
        past_k, past_v = f"past_key_values.{i}.key", f"past_key_values.{i}.value"
        pres_k, pres_v = f"present.{i}.key", f"present.{i}.value"
        kv_shape: list[str | int] = ["batch_size", nkv, "past_sequence_length", d]
        pres_shape: list[str | int] = ["batch_size", nkv, "total_sequence_length", d]
        past_inputs += [
            helper.make_tensor_value_info(past_k, kv_elem, kv_shape),
            helper.make_tensor_value_info(past_v, kv_elem, kv_shape),
        ]
        present_outputs += [
            helper.make_tensor_value_info(pres_k, kv_elem, pres_shape),
            helper.make_tensor_value_info(pres_v, kv_elem, pres_shape),
        ]
        if cfg.kv_dtype == "float16":
            nodes += [
                n("Cast", [past_k], [p + "past_k32"], to=TensorProto.FLOAT),
                n("Cast", [past_v], [p + "past_v32"], to=TensorProto.FLOAT),
            ]
            pk, pv = p + "past_k32", p + "past_v32"
        else:
            pk, pv = past_k, past_v
        nodes += [
            n("LayerNormalization", [x, "ln_scale", "ln_bias"], [p + "xn"], axis=-1),
            n("MatMul", [p + "xn", p + "wq"], [p + "q_flat"]),
            n("MatMul", [p + "xn", p + "wk"], [p + "k_flat"]),
            n("MatMul", [p + "xn", p + "wv"], [p + "v_flat"]),
            n("Reshape", [p + "q_flat", "c_qshape"], [p + "q_bshd"]),
            n("Reshape", [p + "k_flat", "c_kvshape"], [p + "k_bshd"]),
            n("Reshape", [p + "v_flat", "c_kvshape"], [p + "v_bshd"]),
            n("Transpose", [p + "q_bshd"], [p + "q"], perm=[0, 2, 1, 3]),
            n("Transpose", [p + "k_bshd"], [p + "k_new"], perm=[0, 2, 1, 3]),
            n("Transpose", [p + "v_bshd"], [p + "v_new"], perm=[0, 2, 1, 3]),
        ]
        k_new, v_new = p + "k_new", p + "v_new"
        if cfg.kv_dtype == "float16":
            # Round the new keys/values to the cache's precision before use, as a model
            # computing in fp16 does, so cached and recomputed runs see the same values.
            for kv in ("k", "v"):
                nodes += [
                    n("Cast", [p + kv + "_new"], [p + kv + "_new16"], to=kv_elem),
                    n("Cast", [p + kv + "_new16"], [p + kv + "_new_r"], to=TensorProto.FLOAT),
                ]
            k_new, v_new = p + "k_new_r", p + "v_new_r"
        nodes += [
            n("Concat", [pk, k_new], [p + "k_all"], axis=2),
            n("Concat", [pv, v_new], [p + "v_all"], axis=2),
        ]
        if cfg.kv_dtype == "float16":
            nodes += [
                n("Cast", [p + "k_all"], [pres_k], to=kv_elem),
                n("Cast", [p + "v_all"], [pres_v], to=kv_elem),
            ]
        else:
            nodes += [
                n("Identity", [p + "k_all"], [pres_k]),
                n("Identity", [p + "v_all"], [pres_v]),
            ]
        # Grouped-query attention: repeat each kv head `group` times.
        for kv in ("k", "v"):
            nodes += [
                n("Unsqueeze", [p + kv + "_all", "c_axis2"], [p + kv + "_5d"]),
                n("Tile", [p + kv + "_5d", "c_rep_shape"], [p + kv + "_tiled"]),
                n("Reshape", [p + kv + "_tiled", "c_merge_shape"], [p + kv + "_rep"]),
            ]
        nodes += [
            n("Transpose", [p + "k_rep"], [p + "k_t"], perm=[0, 1, 3, 2]),
            n("MatMul", [p + "q", p + "k_t"], [p + "scores_raw"]),
            n("Mul", [p + "scores_raw", "c_scale"], [p + "scores_scaled"]),
            n("Add", [p + "scores_scaled", "mask_bias"], [p + "scores"]),
            n("Softmax", [p + "scores"], [p + "probs"], axis=-1),
            n("MatMul", [p + "probs", p + "v_rep"], [p + "attn"]),
            n("Transpose", [p + "attn"], [p + "attn_bshd"], perm=[0, 2, 1, 3]),
            n("Reshape", [p + "attn_bshd", "c_outshape"], [p + "attn_flat"]),
            n("MatMul", [p + "attn_flat", p + "wo"], [p + "attn_out"]),
            n("Add", [x, p + "attn_out"], [p + "x_mid"]),
            n("LayerNormalization", [p + "x_mid", "ln_scale", "ln_bias"], [p + "xn2"], axis=-1),
            n("MatMul", [p + "xn2", p + "w1"], [p + "ff1"]),
            n("Relu", [p + "ff1"], [p + "ff_act"]),
            n("MatMul", [p + "ff_act", p + "w2"], [p + "ff_out"]),
            n("Add", [p + "x_mid", p + "ff_out"], [p + "x_out"]),
        ]
        x = p + "x_out"
    nodes += [
        n("LayerNormalization", [x, "ln_scale", "ln_bias"], ["x_final"], axis=-1),
        n("MatMul", ["x_final", "lm_head"], ["logits32"]),
    ]
    if cfg.kv_dtype == "float16":
        nodes.append(n("Cast", ["logits32"], ["logits"], to=TensorProto.FLOAT16))
    else:
        nodes.append(n("Identity", ["logits32"], ["logits"]))

    inputs = [
        helper.make_tensor_value_info(
            "input_ids", TensorProto.INT64, ["batch_size", "sequence_length"]
        ),
    ]
    if cfg.attention_mask:
        inputs.append(
            helper.make_tensor_value_info(
                "attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]
            )
        )
    if cfg.position_ids:
        inputs.append(
            helper.make_tensor_value_info(
                "position_ids", TensorProto.INT64, ["batch_size", "sequence_length"]
            )
        )
    inputs += past_inputs
    outputs = [
        helper.make_tensor_value_info(
            "logits", kv_elem, ["batch_size", "sequence_length", cfg.vocab_size]
        ),
        *present_outputs,
    ]
    graph = helper.make_graph(nodes, "tiny_decoder", inputs, outputs, inits)
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid("", 17)], producer_name="rustcoder-tests"
    )
    model.ir_version = 8
    onnx.checker.check_model(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    onnx.save(model, str(path))
    return path


def build_model_dir(
    directory: Path,
    *,
    position_ids: bool = True,
    kv_dtype: str = "float32",
    seed: int = 1234,
    attention_mask: bool = True,
    model_file: str = "onnx/model.onnx",
) -> Path:
    """A model folder laid out like an onnx-community repo: onnx/model.onnx, tokenizer.json,
    config.json."""
    from tokenizers import Tokenizer

    tok_path = build_tokenizer(directory / "tokenizer.json")
    vocab = Tokenizer.from_file(str(tok_path)).get_vocab_size()
    cfg = TinyConfig(
        vocab_size=vocab,
        position_ids=position_ids,
        kv_dtype=kv_dtype,
        seed=seed,
        attention_mask=attention_mask,
    )
    build_model(directory / model_file, cfg)
    (directory / "config.json").write_text(
        json.dumps(
            {
                "model_type": "tiny",
                "num_hidden_layers": cfg.layers,
                "num_attention_heads": cfg.heads,
                "num_key_value_heads": cfg.kv_heads,
                "hidden_size": cfg.hidden,
                "max_position_embeddings": cfg.max_positions,
                "eos_token_id": 2,
            }
        )
    )
    return directory
