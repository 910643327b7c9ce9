"""The ONNX graph of a Llama-family decoder (Llama, SmolLM2, Qwen2), written from its weights.

The graph is the one onnxruntime's own model builder writes for a CPU, because
plain ops decode several times slower: MatMulNBits (4-bit weights in blocks of
32 values; `accuracy_level` 4 multiplies with int8 activations), GroupQueryAttention
(rotary, grouped heads and the KV cache in one kernel, appending in place when
past and present share a buffer) and (Skip)SimplifiedLayerNormalization. One
difference, measured faster: the MLP's gate and up are one packed MatMulNBits
(see _GraphBuilder.mlp), as q, k and v are.

Inputs and outputs keep the Optimum layout our decode loop reads: `input_ids`,
`attention_mask`, `position_ids`, `past_key_values.N.key/value` in, `logits` and
`present.N.key/value` out, the KV cache [batch, kv_heads, seq, head_dim].
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from rustcoder.models.backend import ModelError
from rustcoder.models.onnx_runtime import KV_CACHE_PROP, SHARED_BUFFER

#: The weight formats an import can write.
PRECISIONS = ("int4", "fp16", "fp32")
#: Values per 4-bit quantization block (MatMulNBits block_size; GGUF's Q4 blocks too).
BLOCK = 32
MS_DOMAIN = "com.microsoft"
#: Opset 17 needs IR 8; onnx's newest IR would lock out older onnxruntime releases.
IR_VERSION = 8


@dataclass(frozen=True)
class LlamaConfig:
    """The decoder's shape and constants, as the GGUF metadata gives them."""

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

    def qkv_bias(self) -> np.ndarray | None:
        """The packed q|k|v projection's bias (Qwen2), or None."""
        if self.q_bias is None or self.k_bias is None or self.v_bias is None:
            return None
        return np.concatenate([self.q_bias, self.k_bias, self.v_bias])


@dataclass
class LlamaWeights:
    """Every weight of the model (float32; lm_head is the embedding when they are tied)."""

    embed: np.ndarray
    layers: list[LayerWeights]
    final_norm: np.ndarray
    lm_head: np.ndarray


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


class _GraphBuilder:
    """Accumulates nodes, initializers and the graph's inputs/outputs; one method per part."""

    def __init__(self, cfg: LlamaConfig, precision: str, accuracy_level: int):
        if precision not in PRECISIONS:
            raise ModelError(f"unknown precision {precision!r} ({', '.join(PRECISIONS)})")
        self.cfg = cfg
        self.precision = precision
        self.accuracy_level = accuracy_level
        self.float_np: type[np.floating[Any]] = np.float16 if precision == "fp16" else np.float32
        self.float_onnx = TensorProto.FLOAT16 if precision == "fp16" else TensorProto.FLOAT
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[TensorProto] = []
        self.kv_inputs: list[onnx.ValueInfoProto] = []
        self.kv_outputs: list[onnx.ValueInfoProto] = []

    # -- primitives --------------------------------------------------------------------

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
        """out = x @ w.T (+ bias) for w [N, K]: MatMulNBits in int4, MatMul otherwise."""
        n, k = w.shape
        target = out if bias is None else out + "_nobias"
        if self.precision == "int4":
            packed, scales, zero_points = quantize_4bit(w)
            self.node(
                "MatMulNBits",
                [
                    x,
                    self.init(name + ".q4", packed),
                    self.init(name + ".scales", scales),
                    self.init(name + ".zp", zero_points),
                ],
                [target],
                domain=MS_DOMAIN,
                K=k,
                N=n,
                bits=4,
                block_size=BLOCK,
                accuracy_level=self.accuracy_level,
            )
        else:
            weight = self.init(name + ".weight", w.T.astype(self.float_np))
            self.node("MatMul", [x, weight], [target])
        if bias is not None:
            self.node("Add", [target, self.init(name + ".bias", bias.astype(self.float_np))], [out])

    def norm(self, x: str, gamma: np.ndarray, name: str, out: str) -> None:
        """out = RMSNorm(x)."""
        self.node(
            "SimplifiedLayerNormalization",
            [x, self.init(name, gamma.astype(self.float_np))],
            [out],
            axis=-1,
            epsilon=self.cfg.rms_eps,
            stash_type=1,
        )

    def skip_norm(self, x: str, skip: str, gamma: np.ndarray, name: str, out: str) -> str:
        """out = RMSNorm(x + skip) in one kernel; returns the name of x + skip (the residual)."""
        residual = out + "_residual"
        self.node(
            "SkipSimplifiedLayerNormalization",
            [x, skip, self.init(name, gamma.astype(self.float_np))],
            [out, "", "", residual],
            domain=MS_DOMAIN,
            epsilon=self.cfg.rms_eps,
        )
        return residual

    def kv_info(self, name: str, length: str) -> onnx.ValueInfoProto:
        """A KV-cache tensor's declaration: [batch, kv_heads, length, head_dim]."""
        shape: list[str | int] = ["batch_size", self.cfg.kv_heads, length, self.cfg.head_dim]
        return helper.make_tensor_value_info(name, self.float_onnx, shape)

    # -- the model's parts ---------------------------------------------------------------

    def embeddings(self, table: np.ndarray) -> str:
        """x0 = the input tokens' rows; the table is fp16 unless the model is fp32 (half
        the size, and finer than int4 weights anyway)."""
        dtype = np.float32 if self.precision == "fp32" else np.float16
        self.init("embed_tokens", table.astype(dtype))
        if dtype is self.float_np:
            self.node("Gather", ["embed_tokens", "input_ids"], ["x0"])
        else:
            self.node("Gather", ["embed_tokens", "input_ids"], ["x0_16"])
            self.node("Cast", ["x0_16"], ["x0"], to=self.float_onnx)
        return "x0"

    def attention_constants(self) -> None:
        """GroupQueryAttention's per-row key count - 1 (`seqlens_k`) and total length
        (`total_len`) from the attention mask, and its rotary caches."""
        self.init("axes_1", np.array([1], dtype=np.int64))
        self.init("one_i64", np.array(1, dtype=np.int64))
        self.node("ReduceSum", ["attention_mask", "axes_1"], ["mask_sum"], keepdims=0)
        self.node("Sub", ["mask_sum", "one_i64"], ["seqlens_i64"])
        self.node("Cast", ["seqlens_i64"], ["seqlens_k"], to=TensorProto.INT32)
        self.node("Shape", ["attention_mask"], ["mask_shape"])
        self.node("Gather", ["mask_shape", "one_i64"], ["total_i64"], axis=0)
        self.node("Cast", ["total_i64"], ["total_len"], to=TensorProto.INT32)
        cos, sin = rope_tables(self.cfg)
        self.init("cos_cache", cos.astype(self.float_np))
        self.init("sin_cache", sin.astype(self.float_np))

    def attention(self, i: int, x: str, lw: LayerWeights, out: str) -> None:
        """out = self-attention over x (packed q|k|v projection), appending to layer i's cache."""
        cfg, p = self.cfg, f"layers.{i}."
        qkv = np.concatenate([lw.q, lw.k, lw.v])
        self.linear(x, qkv, p + "qkv", p + "qkv", lw.qkv_bias())
        past_k, past_v = f"past_key_values.{i}.key", f"past_key_values.{i}.value"
        present_k, present_v = f"present.{i}.key", f"present.{i}.value"
        self.kv_inputs += [self.kv_info(n, "past_sequence_length") for n in (past_k, past_v)]
        self.kv_outputs += [
            self.kv_info(n, "total_sequence_length") for n in (present_k, present_v)
        ]
        self.node(
            "GroupQueryAttention",
            [
                p + "qkv",
                "",  # key and value come packed with the query
                "",
                past_k,
                past_v,
                "seqlens_k",
                "total_len",
                "cos_cache",
                "sin_cache",
                "position_ids",
            ],
            [p + "attn", present_k, present_v],
            domain=MS_DOMAIN,
            num_heads=cfg.heads,
            kv_num_heads=cfg.kv_heads,
            do_rotary=1,
            rotary_interleaved=0,
            scale=float(1.0 / np.sqrt(cfg.head_dim)),
        )
        self.linear(p + "attn", lw.o, p + "o_proj", out)

    def mlp(self, i: int, x: str, lw: LayerWeights, out: str) -> None:
        """out = down(silu(gate(x)) * up(x)); onnxruntime fuses Sigmoid+Mul into QuickGelu.

        Gate and up are one packed MatMulNBits and a Split: per decode step that is
        about 5 % less CPU than two matmuls (as onnxruntime's builder writes them) on
        SmolLM2-135M, the same numbers (each output column is computed alone).
        """
        p = f"layers.{i}."
        gate_up = np.concatenate([lw.gate, lw.up])
        self.linear(x, gate_up, p + "gate_up", p + "gate_up")
        self.init(p + "split", np.array([self.cfg.ffn, self.cfg.ffn], dtype=np.int64))
        self.node("Split", [p + "gate_up", p + "split"], [p + "gate", p + "up"], axis=-1)
        self.node("Sigmoid", [p + "gate"], [p + "gate_sigmoid"])
        self.node("Mul", [p + "gate", p + "gate_sigmoid"], [p + "gate_silu"])
        self.node("Mul", [p + "gate_silu", p + "up"], [p + "ffn_hidden"])
        self.linear(p + "ffn_hidden", lw.down, p + "down", out)

    def layer(self, i: int, lw: LayerWeights, x: str, residual: str | None) -> tuple[str, str]:
        """One pre-norm block. x is the previous block's output, residual the stream before
        it was added (None for the first block, whose input is the embedding alone).
        Returns this block's (output, residual), whose sum is the next block's input."""
        p = f"layers.{i}."
        if residual is None:
            self.norm(x, lw.attn_norm, p + "attn_norm", p + "attn_in")
            residual = x
        else:
            residual = self.skip_norm(x, residual, lw.attn_norm, p + "attn_norm", p + "attn_in")
        self.attention(i, p + "attn_in", lw, p + "attn_out")
        residual = self.skip_norm(
            p + "attn_out", residual, lw.ffn_norm, p + "ffn_norm", p + "mlp_in"
        )
        self.mlp(i, p + "mlp_in", lw, p + "mlp_out")
        return p + "mlp_out", residual

    def head(self, x: str, residual: str, weights: LlamaWeights, all_logits: bool) -> None:
        """logits = lm_head(RMSNorm(x + residual)), for the last position unless all_logits."""
        self.skip_norm(x, residual, weights.final_norm, "final_norm", "x_final")
        head_in = "x_final"
        if not all_logits:
            self.init("last_start", np.array([-1], dtype=np.int64))
            self.init("last_end", np.array([np.iinfo(np.int64).max], dtype=np.int64))
            self.node("Slice", ["x_final", "last_start", "last_end", "axes_1"], ["x_last"])
            head_in = "x_last"
        if self.float_onnx == TensorProto.FLOAT:
            self.linear(head_in, weights.lm_head, "lm_head", "logits")
        else:
            self.linear(head_in, weights.lm_head, "lm_head", "logits_half")
            self.node("Cast", ["logits_half"], ["logits"], to=TensorProto.FLOAT)

    def model(self, all_logits: bool) -> onnx.ModelProto:
        seq = "sequence_length"
        inputs = [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", seq]),
            helper.make_tensor_value_info(
                "attention_mask", TensorProto.INT64, ["batch_size", "total_sequence_length"]
            ),
            helper.make_tensor_value_info("position_ids", TensorProto.INT64, ["batch_size", seq]),
            *self.kv_inputs,
        ]
        logits_shape: list[str | int] = ["batch_size", seq if all_logits else 1, self.cfg.vocab]
        outputs = [
            helper.make_tensor_value_info("logits", TensorProto.FLOAT, logits_shape),
            *self.kv_outputs,
        ]
        graph = helper.make_graph(self.nodes, "llama_decoder", inputs, outputs, self.inits)
        model = helper.make_model(
            graph,
            opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid(MS_DOMAIN, 1)],
            producer_name="rustcoder-gguf-import",
        )
        model.ir_version = IR_VERSION
        # GroupQueryAttention appends in place when past and present are one buffer: the
        # decode loop then keeps a fixed-size cache instead of copying it every step.
        helper.set_model_props(model, {KV_CACHE_PROP: SHARED_BUFFER})
        return model


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
    b = _GraphBuilder(cfg, precision, accuracy_level)
    x = b.embeddings(weights.embed)
    b.attention_constants()
    residual: str | None = None
    for i, lw in enumerate(weights.layers):
        x, residual = b.layer(i, lw, x, residual)
    if residual is None:
        raise ModelError("the model has no layers")
    b.head(x, residual, weights, all_logits)
    return b.model(all_logits)
