"""The ONNX graph of a Llama-family decoder (Llama, SmolLM2, Qwen2), written from its weights.

The graph uses onnxruntime's fused contrib ops, as onnxruntime's own model
builder does, because plain ops decode several times slower on a CPU:
MatMulNBits (4-bit weights, 32-value blocks), GroupQueryAttention (rotary,
grouped heads and the KV cache in one kernel) and (Skip)SimplifiedLayerNorm.
Its inputs and outputs keep the Optimum layout our decode loop reads:
`input_ids`, `attention_mask`, `position_ids`, `past_key_values.N.key/value`
in, `logits` and `present.N.key/value` out, KV cache [batch, kv_heads, seq, head_dim].
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from rustcoder.models.backend import ModelError

#: The weight formats an import can write.
PRECISIONS = ("int4", "fp16", "fp32")
#: Values per 4-bit quantization block (MatMulNBits block_size).
BLOCK = 32
MS = "com.microsoft"
#: Model metadata telling the decode loop how the graph's KV cache may be fed.
KV_CACHE_PROP = "rustcoder.kv_cache"
SHARED_BUFFER = "shared-buffer"


@dataclass(frozen=True)
class LlamaConfig:
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    head_dim: int
    ffn: int
    vocab: int
    rms_eps: float
    rope_theta: float
    context_length: int
    #: Llama 3's per-frequency rope divisors (GGUF `rope_freqs.weight`), if any.
    rope_factors: np.ndarray | None = None


@dataclass
class LayerWeights:
    """One block's weights, [out, in] as stored (HF layout: rotate-half q/k rows)."""

    attn_norm: np.ndarray
    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    o: np.ndarray
    ffn_norm: np.ndarray
    gate: np.ndarray
    up: np.ndarray
    down: np.ndarray
    #: Qwen2 has biases on q, k and v.
    q_bias: np.ndarray | None = None
    k_bias: np.ndarray | None = None
    v_bias: np.ndarray | None = None


@dataclass
class LlamaWeights:
    embed: np.ndarray
    layers: list[LayerWeights]
    final_norm: np.ndarray
    lm_head: np.ndarray
    extra: dict[str, np.ndarray] = field(default_factory=dict)


def quantize_4bit(w: np.ndarray, block: int = BLOCK) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """[N, K] float weights → MatMulNBits' packed data, scales and zero points.

    Asymmetric round-to-nearest per block of `block` values along K, the range
    widened to hold 0 so padding and zero weights stay exact. Vectorised: a
    135M-parameter model takes about a second.
    """
    n, k = w.shape
    blocks_per_row = -(-k // block)
    padded = np.zeros((n, blocks_per_row * block), dtype=np.float32)
    padded[:, :k] = w
    blocks = padded.reshape(n, blocks_per_row, block)
    lo = np.minimum(blocks.min(axis=-1), 0.0)
    hi = np.maximum(blocks.max(axis=-1), 0.0)
    scale = (hi - lo) / 15.0
    scale[scale == 0] = 1.0
    zero = np.clip(np.rint(-lo / scale), 0, 15)
    q = blocks  # in place: one buffer the size of the weights, not four
    q *= (1.0 / scale)[..., None]
    np.rint(q, out=q)
    q += zero[..., None]
    np.clip(q, 0, 15, out=q)
    q = q.astype(np.uint8)
    packed = q[..., 0::2] | (q[..., 1::2] << 4)
    zp = zero.astype(np.uint8)
    if blocks_per_row % 2:
        zp = np.concatenate([zp, np.zeros((n, 1), dtype=np.uint8)], axis=1)
    zp_packed = zp[:, 0::2] | (zp[:, 1::2] << 4)
    return np.ascontiguousarray(packed), scale.astype(np.float32).reshape(-1), zp_packed.reshape(-1)


def dequantize_4bit(
    packed: np.ndarray, scales: np.ndarray, zero_points: np.ndarray, k: int
) -> np.ndarray:
    """The inverse of quantize_4bit (for tests and checks): [N, K] float32."""
    n, blocks_per_row, half = packed.shape
    q = np.empty((n, blocks_per_row, half * 2), dtype=np.float32)
    q[..., 0::2] = packed & 0x0F
    q[..., 1::2] = packed >> 4
    zp_bytes = zero_points.reshape(n, -1)
    zp = np.empty((n, zp_bytes.shape[1] * 2), dtype=np.float32)
    zp[:, 0::2] = zp_bytes & 0x0F
    zp[:, 1::2] = zp_bytes >> 4
    s = scales.reshape(n, blocks_per_row)
    w = (q - zp[:, :blocks_per_row, None]) * s[..., None]
    return w.reshape(n, -1)[:, :k]


def rope_tables(cfg: LlamaConfig) -> tuple[np.ndarray, np.ndarray]:
    """cos/sin caches [context, head_dim / 2] for GroupQueryAttention's rotary."""
    d = cfg.head_dim
    inv_freq = 1.0 / cfg.rope_theta ** (np.arange(0, d, 2, dtype=np.float64) / d)
    if cfg.rope_factors is not None:
        inv_freq = inv_freq / cfg.rope_factors.astype(np.float64)[: d // 2]
    angles = np.outer(np.arange(cfg.context_length, dtype=np.float64), inv_freq)
    return np.cos(angles), np.sin(angles)


class _Builder:
    """Accumulates nodes and initializers; one method per kind of layer."""

    def __init__(self, precision: str, accuracy_level: int = 0):
        if precision not in PRECISIONS:
            raise ModelError(f"unknown precision {precision!r} ({', '.join(PRECISIONS)})")
        self.precision = precision
        self.accuracy_level = accuracy_level
        self.float_np = np.float16 if precision == "fp16" else np.float32
        self.float_onnx = TensorProto.FLOAT16 if precision == "fp16" else TensorProto.FLOAT
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[TensorProto] = []

    def init(self, name: str, value: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(
        self, op: str, inputs: list[str], outputs: list[str], domain: str = "", **attrs: Any
    ) -> None:
        name = f"{op}_{len(self.nodes)}"
        self.nodes.append(helper.make_node(op, inputs, outputs, name=name, domain=domain, **attrs))

    def linear(
        self, x: str, w: np.ndarray, name: str, out: str, bias: np.ndarray | None = None
    ) -> None:
        """x @ w.T for w [N, K]: MatMulNBits in int4, MatMul otherwise."""
        n, k = w.shape
        target = out if bias is None else out + "_nobias"
        if self.precision == "int4":
            packed, scales, zp = quantize_4bit(w)
            self.node(
                "MatMulNBits",
                [
                    x,
                    self.init(name + ".q4", packed),
                    self.init(name + ".scales", scales),
                    self.init(name + ".zp", zp),
                ],
                [target],
                domain=MS,
                K=k,
                N=n,
                bits=4,
                block_size=BLOCK,
                accuracy_level=self.accuracy_level,
            )
        else:
            self.node(
                "MatMul", [x, self.init(name + ".weight", w.T.astype(self.float_np))], [target]
            )
        if bias is not None:
            self.node("Add", [target, self.init(name + ".bias", bias.astype(self.float_np))], [out])

    def norm(self, x: str, gamma: np.ndarray, name: str, out: str, eps: float) -> None:
        self.node(
            "SimplifiedLayerNormalization",
            [x, self.init(name, gamma.astype(self.float_np))],
            [out],
            axis=-1,
            epsilon=eps,
            stash_type=1,
        )

    def skip_norm(
        self, x: str, skip: str, gamma: np.ndarray, name: str, out: str, residual: str, eps: float
    ) -> None:
        """out = RMSNorm(x + skip); residual = x + skip (one fused kernel)."""
        self.node(
            "SkipSimplifiedLayerNormalization",
            [x, skip, self.init(name, gamma.astype(self.float_np))],
            [out, "", "", residual],
            domain=MS,
            epsilon=eps,
        )


def build_graph(
    cfg: LlamaConfig,
    weights: LlamaWeights,
    precision: str = "int4",
    all_logits: bool = False,
    accuracy_level: int = 0,
) -> onnx.ModelProto:
    """The decoder graph. `all_logits=False` computes logits for the last position only
    (all our loop reads; it saves the lm_head over the prompt); tools that read every
    position (onnxruntime-genai) need `all_logits=True`."""
    b = _Builder(precision, accuracy_level)
    eps = cfg.rms_eps
    f = b.float_onnx
    # Embeddings: an fp16 table for int4 and fp16 (half the size; finer than int4 anyway).
    table = np.float32 if precision == "fp32" else np.float16
    b.init("embed_tokens", weights.embed.astype(table))
    if table == b.float_np:
        b.node("Gather", ["embed_tokens", "input_ids"], ["x0"])
    else:
        b.node("Gather", ["embed_tokens", "input_ids"], ["x0_16"])
        b.node("Cast", ["x0_16"], ["x0"], to=f)
    # GroupQueryAttention's lengths: keys so far - 1 per row, and the total length.
    b.init("axes_1", np.array([1], dtype=np.int64))
    b.init("one_i64", np.array(1, dtype=np.int64))
    b.node("ReduceSum", ["attention_mask", "axes_1"], ["mask_sum"], keepdims=0)
    b.node("Sub", ["mask_sum", "one_i64"], ["seqlens_i64"])
    b.node("Cast", ["seqlens_i64"], ["seqlens_k"], to=TensorProto.INT32)
    b.node("Shape", ["attention_mask"], ["mask_shape"])
    b.node("Gather", ["mask_shape", "one_i64"], ["total_i64"], axis=0)
    b.node("Cast", ["total_i64"], ["total_len"], to=TensorProto.INT32)
    cos, sin = rope_tables(cfg)
    b.init("cos_cache", cos.astype(b.float_np))
    b.init("sin_cache", sin.astype(b.float_np))

    kv_shape: list[str | int] = ["batch_size", cfg.kv_heads, "past_sequence_length", cfg.head_dim]
    present_shape: list[str | int] = [
        "batch_size",
        cfg.kv_heads,
        "total_sequence_length",
        cfg.head_dim,
    ]
    past_inputs, present_outputs = [], []
    x, residual = "x0", ""
    for i, lw in enumerate(weights.layers):
        p = f"layers.{i}."
        if i == 0:
            b.norm(x, lw.attn_norm, p + "attn_norm", p + "xn", eps)
            residual = x
        else:
            b.skip_norm(x, residual, lw.attn_norm, p + "attn_norm", p + "xn", p + "res_in", eps)
            residual = p + "res_in"
        qkv_bias = None
        if lw.q_bias is not None and lw.k_bias is not None and lw.v_bias is not None:
            qkv_bias = np.concatenate([lw.q_bias, lw.k_bias, lw.v_bias])
        b.linear(p + "xn", np.concatenate([lw.q, lw.k, lw.v]), p + "qkv", p + "qkv", qkv_bias)
        past_k, past_v = f"past_key_values.{i}.key", f"past_key_values.{i}.value"
        pres_k, pres_v = f"present.{i}.key", f"present.{i}.value"
        past_inputs += [
            helper.make_tensor_value_info(past_k, f, kv_shape),
            helper.make_tensor_value_info(past_v, f, kv_shape),
        ]
        present_outputs += [
            helper.make_tensor_value_info(pres_k, f, present_shape),
            helper.make_tensor_value_info(pres_v, f, present_shape),
        ]
        b.node(
            "GroupQueryAttention",
            [
                p + "qkv",
                "",
                "",
                past_k,
                past_v,
                "seqlens_k",
                "total_len",
                "cos_cache",
                "sin_cache",
                "position_ids",
            ],
            [p + "attn", pres_k, pres_v],
            domain=MS,
            num_heads=cfg.heads,
            kv_num_heads=cfg.kv_heads,
            do_rotary=1,
            rotary_interleaved=0,
            scale=float(1.0 / np.sqrt(cfg.head_dim)),
        )
        b.linear(p + "attn", lw.o, p + "o_proj", p + "attn_out")
        b.skip_norm(
            p + "attn_out", residual, lw.ffn_norm, p + "ffn_norm", p + "xn2", p + "res_mid", eps
        )
        residual = p + "res_mid"
        b.linear(p + "xn2", np.concatenate([lw.gate, lw.up]), p + "gate_up", p + "gate_up")
        b.init(p + "split", np.array([cfg.ffn, cfg.ffn], dtype=np.int64))
        b.node("Split", [p + "gate_up", p + "split"], [p + "gate", p + "up"], axis=-1)
        b.node("Sigmoid", [p + "gate"], [p + "gate_sig"])
        b.node("Mul", [p + "gate", p + "gate_sig"], [p + "gate_act"])
        b.node("Mul", [p + "gate_act", p + "up"], [p + "ffn_hidden"])
        b.linear(p + "ffn_hidden", lw.down, p + "down", p + "ffn_out")
        x = p + "ffn_out"
    b.skip_norm(x, residual, weights.final_norm, "final_norm", "x_final", "res_final", eps)
    head_in = "x_final"
    if not all_logits:
        b.init("last_start", np.array([-1], dtype=np.int64))
        b.init("last_end", np.array([np.iinfo(np.int64).max], dtype=np.int64))
        b.node("Slice", ["x_final", "last_start", "last_end", "axes_1"], ["x_last"])
        head_in = "x_last"
    if f == TensorProto.FLOAT:
        b.linear(head_in, weights.lm_head, "lm_head", "logits")
    else:
        b.linear(head_in, weights.lm_head, "lm_head", "logits_half")
        b.node("Cast", ["logits_half"], ["logits"], to=TensorProto.FLOAT)

    seq = "sequence_length"
    inputs = [
        helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", seq]),
        helper.make_tensor_value_info(
            "attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]
        ),
        helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch_size", seq]),
        *past_inputs,
    ]
    logits_seq: str | int = seq if all_logits else 1
    outputs = [
        helper.make_tensor_value_info(
            "logits", TensorProto.FLOAT, ["batch_size", logits_seq, cfg.vocab]
        ),
        *present_outputs,
    ]
    graph = helper.make_graph(b.nodes, "llama_decoder", inputs, outputs, b.inits)
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS, 1)],
        producer_name="rustcoder-gguf-import",
    )
    model.ir_version = 8
    # GroupQueryAttention appends in place when past and present are one buffer: the
    # decode loop then keeps a fixed-size cache instead of copying it every step.
    helper.set_model_props(model, {KV_CACHE_PROP: SHARED_BUFFER})
    return model
