"""`rustcoder model import FILE.gguf [NAME]`: a Llama-family GGUF file → an ONNX model folder.

Users already hold GGUF files (Ollama, LM Studio, llama.cpp); importing one
lets our decode loop run it offline on onnxruntime (CUDA when present). The
`gguf` package reads and dequantizes the weights; onnx_graph_llama writes the
graph (int4 MatMulNBits by default); gguf_tokenizer rebuilds tokenizer.json.
No torch, no transformers, no network.

An imported model is a folder under `imported_root()` (model.onnx,
tokenizer.json, config.json, import.json) and is run by name like a registry
model.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rustcoder.models.backend import ModelError

#: Bumped when the graph or the tokenizer an import writes changes (caches key on it).
IMPORT_VERSION = 2
IMPORTED_ENV = "RUSTCODER_MODELS_DIR"
#: GGUF architectures whose graph is the Llama graph (Qwen2 adds q/k/v biases).
SUPPORTED_ARCHS = ("llama", "qwen2")
#: Rope tables and the KV cache beyond this many positions cost more than a CPU can use.
MAX_CONTEXT = 32768
#: Above this a model is saved with its weights in model.onnx.data (protobuf's 2 GB limit).
EXTERNAL_DATA_BYTES = 1_500_000_000
#: MatMulNBits accuracy levels: 4 computes with int8 activations (AVX2/VNNI kernels, about
#: twice as fast on a CPU; a one-token step and a prompt pass then round differently),
#: 0 in float (a cached step gives exactly the recomputed logits).
FAST, EXACT = 4, 0
_NAME_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")


def imported_root() -> Path:
    """Where imported models live: $RUSTCODER_MODELS_DIR, else the XDG data folder."""
    if os.environ.get(IMPORTED_ENV):
        return Path(os.environ[IMPORTED_ENV]).expanduser()
    data = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(data).expanduser() / "rustcoder" / "models"


def imported_folder(name: str) -> Path | None:
    """The folder of an imported model called `name`, if there is one."""
    if not _NAME_RE.match(name):
        return None
    folder = imported_root() / name
    return folder if (folder / "import.json").is_file() else None


def imported_models() -> list[dict[str, Any]]:
    """Every imported model's import.json (plus its folder), sorted by name."""
    root = imported_root()
    found = []
    for marker in sorted(root.glob("*/import.json")) if root.is_dir() else []:
        try:
            info = json.loads(marker.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(info, dict):
            found.append({**info, "name": marker.parent.name, "folder": str(marker.parent)})
    return found


def imported_chat_format(folder: Path) -> str | None:
    """The chat format an import recorded (from the GGUF's chat template), if any."""
    try:
        info = json.loads((folder / "import.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    value = info.get("chatFormat") if isinstance(info, dict) else None
    return value if isinstance(value, str) and value else None


def chat_format_of(meta: dict[str, Any]) -> str | None:
    """Our chat format for a GGUF's Jinja chat template; None to guess from the tokens."""
    template = str(meta.get("tokenizer.chat_template", ""))
    if "<|im_start|>" in template:
        if "named SmolLM" in template:
            return "smollm2"
        return "qwen" if "You are Qwen" in template else "chatml"
    if "<|start_header_id|>" in template:
        return "llama3"
    return None


def default_name(gguf_path: Path) -> str:
    """NAME from the file name: SmolLM2-135M-Instruct.Q4_1.gguf → smollm2-135m-instruct.q4_1."""
    stem = re.sub(r"[^a-z0-9._-]+", "-", gguf_path.stem.lower()).strip("-.")
    return stem[:64] or "imported"


@dataclass
class GGUFModel:
    """What an import needs from a GGUF file: metadata and dequantized tensors."""

    path: Path
    arch: str
    meta: dict[str, Any]
    tensors: dict[str, np.ndarray]


def read_gguf(path: Path, keep: Callable[[str], bool] = lambda _k: True) -> GGUFModel:
    """Metadata and float32 tensors of a GGUF file; ModelError if it is not one."""
    import gguf

    if not path.is_file():
        raise ModelError(f"no such file: {path}")
    try:
        reader = gguf.GGUFReader(str(path))
    except Exception as exc:  # gguf raises ValueError/struct.error/... on a bad file
        raise ModelError(f"{path} is not a readable GGUF file: {exc}") from exc
    meta: dict[str, Any] = {}
    for key, fld in reader.fields.items():
        try:
            meta[key] = fld.contents()
        except Exception:  # field kinds gguf cannot decode are not needed
            continue
    arch = str(meta.get("general.architecture", ""))
    if arch not in SUPPORTED_ARCHS:
        raise ModelError(
            f"{path.name}: architecture {arch or 'unknown'!r} cannot be imported; supported "
            "are the Llama family (llama: Llama 2/3, SmolLM2, Mistral-style; qwen2: Qwen2/2.5)"
        )
    if int(meta.get(f"{arch}.expert_count", 0) or 0) > 0:
        raise ModelError(f"{path.name}: mixture-of-experts models cannot be imported")
    scaling = str(meta.get(f"{arch}.rope.scaling.type", "none"))
    factor = float(meta.get(f"{arch}.rope.scaling.factor", 1.0) or 1.0)
    if scaling not in ("none", "") and factor != 1.0:
        raise ModelError(f"{path.name}: rope scaling {scaling!r} is not supported")
    tensors: dict[str, np.ndarray] = {}
    for t in reader.tensors:
        if not keep(t.name):
            continue
        try:
            data = gguf.quants.dequantize(t.data, t.tensor_type)
        except (NotImplementedError, ValueError) as exc:
            raise ModelError(
                f"{path.name}: tensor {t.name} has a quantization the gguf package cannot "
                f"read ({t.tensor_type.name}): {exc}"
            ) from exc
        tensors[t.name] = np.asarray(data, dtype=np.float32).reshape(
            [int(d) for d in reversed(t.shape)]
        )
    return GGUFModel(path=path, arch=arch, meta=meta, tensors=tensors)


def unpermute(w: np.ndarray, heads: int) -> np.ndarray:
    """Undo llama.cpp's q/k row permutation (interleaved rope) → rotate-half rows."""
    out_dim = w.shape[0]
    rest = w.shape[1:]
    return w.reshape(heads, out_dim // heads // 2, 2, *rest).swapaxes(1, 2).reshape(w.shape)


def llama_parts(model: GGUFModel) -> tuple[Any, Any]:
    """The graph's config and weights from a GGUF model (HF orientation, HF rope layout)."""
    from rustcoder.models.onnx_graph_llama import LayerWeights, LlamaConfig, LlamaWeights

    m, a, w = model.meta, model.arch, model.tensors

    def need(key: str) -> Any:
        if f"{a}.{key}" not in m:
            raise ModelError(f"{model.path.name}: the GGUF metadata lacks {a}.{key}")
        return m[f"{a}.{key}"]

    def tensor(name: str) -> np.ndarray:
        if name not in w:
            raise ModelError(f"{model.path.name}: the GGUF file lacks tensor {name}")
        return w[name]

    hidden = int(need("embedding_length"))
    heads = int(need("attention.head_count"))
    kv_heads = int(m.get(f"{a}.attention.head_count_kv", heads))
    head_dim = int(m.get(f"{a}.attention.key_length", hidden // heads))
    if head_dim % 16:
        raise ModelError(
            f"{model.path.name}: head size {head_dim} is not a multiple of 16, which "
            "onnxruntime's GroupQueryAttention needs"
        )
    embed = tensor("token_embd.weight")
    cfg = LlamaConfig(
        layers=int(need("block_count")),
        hidden=hidden,
        heads=heads,
        kv_heads=kv_heads,
        head_dim=head_dim,
        ffn=int(need("feed_forward_length")),
        vocab=int(embed.shape[0]),
        rms_eps=float(need("attention.layer_norm_rms_epsilon")),
        rope_theta=float(m.get(f"{a}.rope.freq_base", 10000.0)),
        context_length=min(int(m.get(f"{a}.context_length", 4096)), MAX_CONTEXT),
        rope_factors=w.get("rope_freqs.weight"),
    )
    # llama.cpp permutes q/k rows of "llama" models for its interleaved rope; qwen2 is
    # stored as in HF (neox rope), so only llama is unpermuted.
    permuted = a == "llama"
    layers = []
    for i in range(cfg.layers):
        p = f"blk.{i}."
        q, k = tensor(p + "attn_q.weight"), tensor(p + "attn_k.weight")
        q_bias, k_bias = w.get(p + "attn_q.bias"), w.get(p + "attn_k.bias")
        if permuted:
            q, k = unpermute(q, heads), unpermute(k, kv_heads)
            q_bias = unpermute(q_bias, heads) if q_bias is not None else None
            k_bias = unpermute(k_bias, kv_heads) if k_bias is not None else None
        layers.append(
            LayerWeights(
                attn_norm=tensor(p + "attn_norm.weight"),
                q=q,
                k=k,
                v=tensor(p + "attn_v.weight"),
                o=tensor(p + "attn_output.weight"),
                ffn_norm=tensor(p + "ffn_norm.weight"),
                gate=tensor(p + "ffn_gate.weight"),
                up=tensor(p + "ffn_up.weight"),
                down=tensor(p + "ffn_down.weight"),
                q_bias=q_bias,
                k_bias=k_bias,
                v_bias=w.get(p + "attn_v.bias"),
            )
        )
    weights = LlamaWeights(
        embed=embed,
        layers=layers,
        final_norm=tensor("output_norm.weight"),
        lm_head=w.get("output.weight", embed),  # tied embeddings (SmolLM2, Qwen2 0.5B)
    )
    return cfg, weights


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 22):
            digest.update(chunk)
    return digest.hexdigest()


def _config_json(model: GGUFModel, cfg: Any) -> dict[str, Any]:
    m = model.meta
    eos = [int(m["tokenizer.ggml.eos_token_id"])] if "tokenizer.ggml.eos_token_id" in m else []
    eot = m.get("tokenizer.ggml.eot_token_id")
    if eot is not None and int(eot) not in eos:
        eos.append(int(eot))
    return {
        "model_type": "qwen2" if model.arch == "qwen2" else "llama",
        "num_hidden_layers": cfg.layers,
        "num_attention_heads": cfg.heads,
        "num_key_value_heads": cfg.kv_heads,
        "head_dim": cfg.head_dim,
        "hidden_size": cfg.hidden,
        "intermediate_size": cfg.ffn,
        "vocab_size": cfg.vocab,
        "max_position_embeddings": cfg.context_length,
        "rms_norm_eps": cfg.rms_eps,
        "rope_theta": cfg.rope_theta,
        "bos_token_id": m.get("tokenizer.ggml.bos_token_id"),
        "eos_token_id": eos,
    }


def write_model_folder(
    model: GGUFModel,
    folder: Path,
    precision: str = "int4",
    all_logits: bool = False,
    accuracy_level: int = FAST,
) -> dict[str, Any]:
    """Write model.onnx, tokenizer.json, config.json and import.json into `folder`."""
    import onnx

    from rustcoder.models.gguf_tokenizer import build_tokenizer
    from rustcoder.models.onnx_graph_llama import build_graph

    tokenizer = build_tokenizer(model.meta)
    cfg, weights = llama_parts(model)
    graph = build_graph(
        cfg, weights, precision=precision, all_logits=all_logits, accuracy_level=accuracy_level
    )
    folder.mkdir(parents=True, exist_ok=True)
    size = sum(t.ByteSize() for t in graph.graph.initializer)
    if size > EXTERNAL_DATA_BYTES:
        onnx.save(
            graph,
            str(folder / "model.onnx"),
            save_as_external_data=True,
            all_tensors_to_one_file=True,
            location="model.onnx.data",
        )
    else:
        onnx.save(graph, str(folder / "model.onnx"))
    tokenizer.save(str(folder / "tokenizer.json"))
    (folder / "config.json").write_text(json.dumps(_config_json(model, cfg), indent=2) + "\n")
    info = {
        "importVersion": IMPORT_VERSION,
        "source": str(model.path),
        "sourceSha256": file_sha256(model.path),
        "architecture": model.arch,
        "modelName": str(model.meta.get("general.name", "")),
        "precision": precision,
        "allLogits": all_logits,
        "accuracyLevel": accuracy_level,
        "chatFormat": chat_format_of(model.meta),
        "layers": cfg.layers,
        "contextLength": cfg.context_length,
    }
    (folder / "import.json").write_text(json.dumps(info, indent=2) + "\n")
    return info


def import_gguf(
    gguf_path: Path,
    name: str | None = None,
    precision: str = "int4",
    force: bool = False,
    root: Path | None = None,
    all_logits: bool = False,
    accuracy_level: int = FAST,
) -> tuple[str, Path, dict[str, Any]]:
    """Import a GGUF file under `root` (default imported_root()): (name, folder, info).

    Written to a temporary folder first and renamed into place, so a failed or
    interrupted import leaves the previous model (if any) as it was.
    """
    from rustcoder.models.onnx_graph_llama import PRECISIONS
    from rustcoder.models.registry import load_registry

    if precision not in PRECISIONS:
        raise ModelError(f"unknown precision {precision!r} ({', '.join(PRECISIONS)})")
    name = name or default_name(gguf_path)
    if not _NAME_RE.match(name):
        raise ModelError(
            f"bad model name {name!r}: lower-case letters, digits, '.', '_' and '-' only"
        )
    if name in load_registry():
        raise ModelError(f"{name!r} is a registry model's name; choose another NAME")
    root = root or imported_root()
    target = root / name
    if target.exists() and not force:
        raise ModelError(f"model {name!r} already exists ({target}); use --force to replace it")
    started = time.monotonic()
    model = read_gguf(gguf_path)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".{name}.importing-{os.getpid()}"
    shutil.rmtree(tmp, ignore_errors=True)
    try:
        info = write_model_folder(model, tmp, precision, all_logits, accuracy_level)
        info["seconds"] = round(time.monotonic() - started, 1)
        (tmp / "import.json").write_text(json.dumps(info, indent=2) + "\n")
        if target.exists():
            old = root / f".{name}.replaced-{os.getpid()}"
            target.rename(old)
            tmp.rename(target)
            shutil.rmtree(old, ignore_errors=True)
        else:
            tmp.rename(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return name, target, info
