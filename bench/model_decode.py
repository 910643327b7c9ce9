"""Prefill and decode speed of our ONNX decode loop (tokens/s).

Models:
  --shape tiny      the tests' tiny model (2 layers, hidden 32): measures the loop's
                    own overhead per token (feeds, KV copies, sampling)
  --shape smollm2   a random-weight model shaped like SmolLM2-135M (30 layers, hidden
                    576, 9 heads / 3 KV heads, vocab 49152) in plain ONNX ops: the
                    compute of a real small model, without its fused kernels
  --model NAME|DIR  a pulled registry model or a model folder (real weights)

Prefill is the first forward pass over the prompt (prompt tokens / its time);
decode is each following step with the KV cache (generated tokens / their time).
`--no-cache` also times decoding that recomputes the whole sequence each step,
to show what the KV cache saves. `--device cuda` needs onnxruntime-gpu and a GPU.

Usage: .venv/bin/python bench/model_decode.py [--shape tiny|smollm2] [--model NAME]
           [--prompt-tokens 128] [--new-tokens 64] [--repeat 3] [--device auto|cpu|cuda]
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shape", choices=sorted(SHAPES), default="tiny")
    parser.add_argument("--model", help="a pulled registry model or a model folder instead")
    parser.add_argument("--prompt-tokens", type=int, default=128)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument("--threads", type=int, default=0, help="intra-op threads (0: all cores)")
    parser.add_argument("--no-cache", action="store_true", help="also time without the KV cache")
    parser.add_argument(
        "--check", action="store_true", help="first compare greedy tokens with/without the cache"
    )
    run(parser.parse_args())


if __name__ == "__main__":
    main()
