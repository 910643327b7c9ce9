"""onnxruntime sessions for decoder-only models: provider choice and input/output layout.

The common ONNX exports (Optimum, onnxruntime-genai, onnx-community) share one
layout: `input_ids`, usually `attention_mask`, optionally `position_ids`, and
`past_key_values.{i}.key/value` of shape [batch, kv_heads, past_len, head_dim],
with outputs `logits` and `present.{i}.key/value`. We read names, dtypes and
head counts from the model's own inputs instead of trusting a config file.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rustcoder.models.backend import ModelError

log = logging.getLogger(__name__)

CUDA = "CUDAExecutionProvider"
CPU = "CPUExecutionProvider"
#: Model metadata our importer writes: how the graph's KV cache may be fed.
KV_CACHE_PROP = "rustcoder.kv_cache"
#: ... past and present may be one fixed-size buffer the graph appends to in place.
SHARED_BUFFER = "shared-buffer"

_PAST_RE = re.compile(r"^past_key_values\.(\d+)\.(key|value)$")
_PRESENT_RE = re.compile(r"^present\.(\d+)\.(key|value)$")
_DTYPES: dict[str, type[np.generic]] = {
    "tensor(float)": np.float32,
    "tensor(float16)": np.float16,
    "tensor(double)": np.float64,
}


def available_providers() -> list[str]:
    import onnxruntime as ort

    return list(ort.get_available_providers())


def choose_provider(device: str = "auto") -> str:
    """CUDA when the installed onnxruntime has it (onnxruntime-gpu) and `device` allows it."""
    if device not in ("auto", "cuda", "cpu"):
        raise ModelError(f"unknown device {device!r} (auto, cuda or cpu)")
    if device == "cpu":
        return CPU
    if CUDA in available_providers():
        return CUDA
    if device == "cuda":
        raise ModelError(
            "device 'cuda' was asked for but onnxruntime has no CUDAExecutionProvider "
            "(install onnxruntime-gpu in place of onnxruntime)"
        )
    return CPU


@dataclass(frozen=True)
class DecoderLayout:
    """What the decode loop must feed and read, detected from the session."""

    input_names: frozenset[str]
    has_position_ids: bool
    #: Some exports (Gemma 3 from onnx-community) take no attention_mask: batch size 1
    #: without padding needs none, the past's length tells the positions.
    has_attention_mask: bool
    num_layers: int
    kv_heads: int
    head_dim: int
    kv_dtype: type[np.generic]
    past_names: tuple[tuple[str, str], ...]
    present_names: tuple[tuple[str, str], ...]
    #: Some merged Optimum exports take this flag; fed as past_len > 0.
    use_cache_branch: bool
    #: Some exports take how many positions of logits to return; we only need the last.
    num_logits_to_keep: bool
    #: The graph (GroupQueryAttention, marked in its metadata by our importer) takes past
    #: and present as one fixed-size buffer it appends to in place.
    shared_kv_buffer: bool = False
    #: The logits' length when the graph fixes it: 1 for graphs that score only the last
    #: position (ours by default), None when it follows the input (every position).
    logits_positions: int | None = None
    #: The logits' last dimension when the graph fixes it (the vocabulary size).
    vocab_size: int | None = None

    def feed(self, ids: Sequence[int], past_len: int, first_position: int) -> dict[str, Any]:
        """The inputs besides the KV cache for `ids` after `past_len` cached positions."""
        n = len(ids)
        feed: dict[str, np.ndarray] = {"input_ids": np.asarray([ids], dtype=np.int64)}
        if self.has_attention_mask:
            feed["attention_mask"] = np.ones((1, past_len + n), dtype=np.int64)
        if self.has_position_ids:
            positions = np.arange(first_position, first_position + n, dtype=np.int64)
            feed["position_ids"] = positions[None, :]
        if self.use_cache_branch:
            feed["use_cache_branch"] = np.array([past_len > 0])
        if self.num_logits_to_keep:
            feed["num_logits_to_keep"] = np.array(1, dtype=np.int64)
        return feed


def _dim(value: Any, config: dict[str, Any], keys: tuple[str, ...], what: str) -> int:
    if isinstance(value, int) and value > 0:
        return value
    for key in keys:
        if isinstance(config.get(key), int):
            return int(config[key])
    raise ModelError(
        f"cannot tell the model's {what}: the ONNX input is symbolic and "
        f"config.json has none of {', '.join(keys)}"
    )


def detect_layout(session: Any, config: dict[str, Any] | None = None) -> DecoderLayout:
    """Read the KV-cache layout from a session's inputs and outputs."""
    config = config or {}
    inputs = {i.name: i for i in session.get_inputs()}
    output_args = {o.name: o for o in session.get_outputs()}
    outputs = list(output_args)
    if "input_ids" not in inputs:
        raise ModelError(
            f"not a decoder model with a KV cache: no 'input_ids' input "
            f"(inputs: {', '.join(sorted(inputs))})"
        )
    if "logits" not in outputs:
        raise ModelError(f"not a causal LM: no 'logits' output (outputs: {', '.join(outputs)})")
    past: dict[int, dict[str, str]] = {}
    for name in inputs:
        m = _PAST_RE.match(name)
        if m:
            past.setdefault(int(m.group(1)), {})[m.group(2)] = name
    present: dict[int, dict[str, str]] = {}
    for name in outputs:
        m = _PRESENT_RE.match(name)
        if m:
            present.setdefault(int(m.group(1)), {})[m.group(2)] = name
    layers = sorted(past)
    if not layers or layers != list(range(len(layers))) or sorted(present) != layers:
        raise ModelError(
            "the model has no usable KV cache: expected inputs past_key_values.{i}.key/value "
            "and outputs present.{i}.key/value for every layer (export it with past key values)"
        )
    for i in layers:
        if set(past[i]) != {"key", "value"} or set(present[i]) != {"key", "value"}:
            raise ModelError(f"layer {i} lacks a key or value in its past/present tensors")
    first = inputs[past[0]["key"]]
    dtype = _DTYPES.get(first.type)
    if dtype is None:
        raise ModelError(f"unsupported KV cache type {first.type} (float32 or float16 expected)")
    shape = list(first.shape)
    if len(shape) != 4:
        raise ModelError(
            f"unexpected KV cache shape {shape}: [batch, heads, past, head_dim] expected"
        )
    kv_heads = _dim(shape[1], config, ("num_key_value_heads", "num_attention_heads"), "KV heads")
    head_dim = shape[3]
    if not (isinstance(head_dim, int) and head_dim > 0):
        head_dim = config.get("head_dim") or (
            int(config["hidden_size"]) // int(config["num_attention_heads"])
            if "hidden_size" in config and "num_attention_heads" in config
            else None
        )
        if not isinstance(head_dim, int):
            raise ModelError("cannot tell the model's head size from its inputs or config.json")
    return DecoderLayout(
        input_names=frozenset(inputs),
        has_position_ids="position_ids" in inputs,
        has_attention_mask="attention_mask" in inputs,
        num_layers=len(layers),
        kv_heads=kv_heads,
        head_dim=head_dim,
        kv_dtype=dtype,
        past_names=tuple((past[i]["key"], past[i]["value"]) for i in layers),
        present_names=tuple((present[i]["key"], present[i]["value"]) for i in layers),
        use_cache_branch="use_cache_branch" in inputs,
        num_logits_to_keep="num_logits_to_keep" in inputs,
        shared_kv_buffer=_metadata(session).get(KV_CACHE_PROP) == SHARED_BUFFER,
        logits_positions=_fixed_dim(output_args["logits"].shape, 1),
        vocab_size=_fixed_dim(output_args["logits"].shape, 2),
    )


def _fixed_dim(shape: Any, axis: int) -> int | None:
    """A tensor's dimension when the graph fixes it; None when symbolic or absent."""
    dims = list(shape) if isinstance(shape, list | tuple) else []
    value = dims[axis] if len(dims) > axis else None
    return value if isinstance(value, int) and value > 0 else None


def _metadata(session: Any) -> dict[str, str]:
    try:
        return dict(session.get_modelmeta().custom_metadata_map)
    except Exception:  # sessions without metadata (or stand-ins)
        return {}


@dataclass
class DecoderSession:
    session: Any
    layout: DecoderLayout
    #: The provider that actually runs the model (the first of the session's providers).
    provider: str
    path: Path


def read_config(model_dir: Path) -> dict[str, Any]:
    """config.json next to (or above) the ONNX file, if any; a broken one is ignored."""
    for candidate in (model_dir / "config.json", model_dir.parent / "config.json"):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                log.warning("ignoring unreadable %s: %s", candidate, exc)
                return {}
            return data if isinstance(data, dict) else {}
    return {}


def default_threads() -> int:
    """Intra-op threads when none are asked for: half the CPUs this process may run on (one
    per physical core where cores run two hardware threads), at most 16, the rule
    onnxruntime-genai uses. A decode step streams the weights from memory, so threads
    beyond that buy little, and the editor, rust-analyzer and cargo share the cores: on
    the shared 2-core VM one thread decoded as fast as two with a fifth less CPU."""
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(16, cpus // 2))


def open_session(
    path: Path,
    device: str = "auto",
    threads: int = 0,
    spinning: bool = False,
    huge_pages: bool = True,
) -> DecoderSession:
    """Load an ONNX decoder; CUDA when available, CPU otherwise (or as asked).

    `threads` 0 means default_threads(). On the CPU the weights go on huge pages
    where the system allows (see huge_pages.py).
    """
    import onnxruntime as ort

    from rustcoder.models.huge_pages import NewMemoryOnHugePages

    if not path.is_file():
        raise ModelError(f"model file not found: {path}")
    provider = choose_provider(device)
    providers = [CUDA, CPU] if provider == CUDA else [CPU]
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    options.intra_op_num_threads = threads if threads > 0 else default_threads()
    if not spinning:
        # Idle worker threads sleep instead of spinning: the editor, rust-analyzer and
        # cargo share the cores, and a spinning pool slows them and itself down.
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    pages = NewMemoryOnHugePages(enabled=huge_pages and provider == CPU)
    try:
        with pages:
            session = ort.InferenceSession(str(path), sess_options=options, providers=providers)
    except Exception as exc:  # onnxruntime raises its own Fail/InvalidGraph/... types
        raise ModelError(f"cannot load ONNX model {path}: {exc}") from exc
    layout = detect_layout(session, read_config(path.parent))
    used = session.get_providers()[0]
    log.info(
        "loaded %s on %s (%d layers, %d MB on huge pages)",
        path,
        used,
        layout.num_layers,
        pages.advised >> 20,
    )
    return DecoderSession(session=session, layout=layout, provider=used, path=path)
