"""`rustcoder model list|pull|info|import|remove|run`: manage the local code models.

`pull` is the only command that uses the network; the others read the
huggingface-hub cache only. Every failure is one line naming what to do, with
exit status 1 (2 for bad usage).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path
from typing import Any

from rustcoder.models import hub
from rustcoder.models.backend import CancelToken, ChatMessage, GenerationParams, ModelError
from rustcoder.models.gguf_import import imported_folder, imported_models, imported_root
from rustcoder.models.onnx_runtime import CUDA, available_providers, choose_provider
from rustcoder.models.provider import provider_line
from rustcoder.models.registry import ModelSpec, get_spec, load_registry, split_name


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"  # pragma: no cover - loop always returns


def _machine_device() -> tuple[str, str]:
    provider = choose_provider("auto")
    return provider, ("cuda" if provider == CUDA else "cpu")


def _cached_variants(spec: ModelSpec) -> list[str]:
    try:
        return [v.name for v in spec.variants if hub.variant_cached(spec, v) is not None]
    except ModelError as exc:  # one damaged cache folder must not hide the other models
        print(f"rustcoder model: {exc}", file=sys.stderr)
        return []


def model_info(spec: ModelSpec) -> dict[str, Any]:
    """Everything `info` shows, as data (also the --json output)."""
    provider, device = _machine_device()
    default = spec.default_variant(device)
    variants = []
    for v in spec.variants:
        snapshot = hub.variant_cached(spec, v)
        files = hub.files_of(snapshot, spec.patterns(v)) if snapshot is not None else []
        variants.append(
            {
                "name": v.name,
                "modelFile": v.model_file,
                "device": v.device,
                "default": v == default,
                "cached": snapshot is not None,
                "files": [{"path": p, "size": s} for p, s in files],
                "size": sum(s for _, s in files),
            }
        )
    return {
        "name": spec.name,
        "description": spec.description,
        "repo": spec.repo,
        "revision": spec.revision,
        "chatFormat": spec.chat_format,
        "promptStyle": spec.prompt_style,
        "contextLength": spec.context_length,
        "stop": list(spec.stop),
        "device": spec.device,
        "verified": spec.verified,
        "cached": any(v["cached"] for v in variants),
        "cacheFolder": str(hub.repo_folder(spec)),
        "executionProvider": provider,
        "availableProviders": available_providers(),
        "variants": variants,
    }


def cmd_list(args: argparse.Namespace) -> int:
    specs = load_registry()
    rows = []
    for spec in sorted(specs.values(), key=lambda s: s.name):
        cached = _cached_variants(spec)
        rows.append(
            {
                "name": spec.name,
                "repo": spec.repo,
                "device": spec.device,
                "variants": [v.name for v in spec.variants],
                "cached": cached,
                "description": spec.description,
            }
        )
    imported = [
        {
            "name": m["name"],
            "imported": True,
            "folder": m["folder"],
            "precision": m.get("precision", ""),
            "description": f"imported from {Path(str(m.get('source', '?'))).name}",
        }
        for m in imported_models()
    ]
    if args.json:
        print(json.dumps(rows + imported, indent=2))
        return 0
    provider, _ = _machine_device()
    width = max(len(r["name"]) for r in rows + imported)
    for r in rows:
        mark = "*" if r["cached"] else " "
        variants = ",".join(f"{v}{'(pulled)' if v in r['cached'] else ''}" for v in r["variants"])
        print(f"{mark} {r['name']:<{width}}  {r['device']:<4}  {variants}")
        print(f"  {'':<{width}}  {r['description']}")
    for r in imported:
        print(f"+ {r['name']:<{width}}  any   {r['precision']}")
        print(f"  {'':<{width}}  {r['description']}")
    print(f"\n* pulled; cache: {hub.cache_dir()}; execution provider here: {provider}")
    if imported:
        print(f"+ imported (rustcoder model import) into {imported_root()}")
    return 0


def folder_info(folder: Path) -> dict[str, Any]:
    """`info` for a model folder given by path (a local conversion)."""
    from rustcoder.models.local import files_from_folder

    files = files_from_folder(folder)
    listing = [
        {"path": str(p.relative_to(folder)), "size": p.stat().st_size}
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    ]
    return {
        "name": files.name,
        "folder": str(folder),
        "modelFile": str(files.model_path.relative_to(folder)),
        "chatFormat": files.chat_format,
        "promptStyle": files.prompt_style,
        "contextLength": files.context_length,
        "executionProvider": _machine_device()[0],
        "availableProviders": available_providers(),
        "files": listing,
        "size": sum(f["size"] for f in listing),
    }


def cmd_info(args: argparse.Namespace) -> int:
    folder = Path(args.name).expanduser()
    imported = imported_folder(args.name) if args.name not in load_registry() else None
    if imported is not None or (
        folder.is_dir() and ("/" in args.name or args.name.startswith("."))
    ):
        data = folder_info(imported or folder)
        if args.json:
            print(json.dumps(data, indent=2))
            return 0
        print(f"{data['name']}: model folder {data['folder']}")
        print(f"  model file      {data['modelFile']}")
        print(
            f"  chat format     {data['chatFormat']} (guessed from the tokenizer), "
            f"prompt style {data['promptStyle']}"
        )
        print(f"  context         {data['contextLength']} tokens")
        print(f"  provider        {provider_line()}")
        for f in data["files"]:
            print(f"      {f['path']}  {human_size(f['size'])}")
        return 0
    info = model_info(get_spec(args.name))
    if args.json:
        print(json.dumps(info, indent=2))
        return 0
    print(f"{info['name']}: {info['description']}")
    print(f"  repo            {info['repo']} @ {info['revision']}")
    verified = "" if info["verified"] else " (layout unverified)"
    print(f"  chat format     {info['chatFormat']}, prompt style {info['promptStyle']}")
    print(f"  context         {info['contextLength']} tokens; stop {', '.join(info['stop'])}")
    print(f"  suits           {info['device']}{verified}")
    print(f"  provider        {provider_line()}")
    print(f"  cache           {info['cacheFolder']}")
    for v in info["variants"]:
        default = " [default here]" if v["default"] else ""
        state = f"pulled, {human_size(v['size'])}" if v["cached"] else "not pulled"
        print(f"  variant {v['name']:<8} {v['modelFile']} ({v['device']}): {state}{default}")
        for f in v["files"]:
            print(f"      {f['path']}  {human_size(f['size'])}")
    if not info["cached"]:
        print(f"  not downloaded: {hub.pull_hint(info['name'])}")
    return 0


def cmd_pull(args: argparse.Namespace) -> int:
    spec = get_spec(args.name)
    _, variant_name = split_name(args.name)
    variant_name = args.variant or variant_name
    if args.all:
        variants = list(spec.variants)
    elif variant_name:
        variants = [spec.variant(variant_name)]
    else:
        variants = [spec.default_variant(_machine_device()[1])]
    for variant in variants:
        print(f"pulling {spec.name}:{variant.name} from {spec.repo} ...", file=sys.stderr)
        resolved = hub.pull(spec, variant, progress=not args.quiet)
        size = sum(s for _, s in hub.files_of(resolved.snapshot, spec.patterns(variant)))
        print(f"{spec.name}:{variant.name}: {human_size(size)} in {resolved.snapshot}")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    imported = imported_folder(args.name) if args.name not in load_registry() else None
    if imported is not None:
        size = sum(p.stat().st_size for p in imported.rglob("*") if p.is_file())
        shutil.rmtree(imported)
        print(f"removed imported model {args.name} ({human_size(size)} freed)")
        return 0
    spec = get_spec(args.name)
    freed = hub.remove(spec)
    if freed == 0:
        print(f"{spec.name} was not downloaded; nothing removed")
    else:
        print(f"removed {spec.name} ({human_size(freed)} freed)")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    """Try a model from the terminal: stream its reply to one prompt."""
    from rustcoder.models.local import load_local_model

    prompt = args.prompt if args.prompt is not None else sys.stdin.read()
    model = load_local_model(args.name, device=args.device)
    print(f"[{model.name} on {model.provider}]", file=sys.stderr)
    messages = [ChatMessage("user", prompt)]
    if args.system:
        messages.insert(0, ChatMessage("system", args.system))
    params = GenerationParams(
        max_tokens=args.max_tokens,
        temperature=args.temperature,
        seed=args.seed,
        timeout_s=args.timeout,
    )
    cancel = CancelToken()
    generation = model.start(messages, params, cancel)
    try:
        for piece in generation:
            sys.stdout.write(piece)
            sys.stdout.flush()
    except KeyboardInterrupt:
        cancel.cancel()
    print()
    print(
        f"[{generation.finish_reason}: {generation.prompt_tokens} prompt tokens, "
        f"{generation.completion_tokens} generated]",
        file=sys.stderr,
    )
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Turn a GGUF file (Ollama, LM Studio, llama.cpp) into a model our loop runs."""
    from rustcoder.models.gguf_import import EXACT, FAST, import_gguf

    source = Path(args.file).expanduser()
    print(f"importing {source} ({args.precision}) ...", file=sys.stderr)
    name, folder, info = import_gguf(
        source,
        args.name,
        precision=args.precision,
        force=args.force,
        accuracy_level=EXACT if args.exact else FAST,
    )
    size = sum(p.stat().st_size for p in folder.iterdir() if p.is_file())
    print(
        f"imported {name}: {info['architecture']}, {info['layers']} layers, {args.precision}, "
        f"{human_size(size)} in {folder} ({info['seconds']} s)"
    )
    print(f'try it: rustcoder model run {name} "Why does E0382 happen?"')
    return 0


def _guarded(handler: Any) -> Any:
    def run(args: argparse.Namespace) -> int:
        try:
            return int(handler(args))
        except ModelError as exc:
            print(f"rustcoder model: {exc}", file=sys.stderr)
            return 1

    return run


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("model", help="list, pull, inspect and remove local code models")
    sub = parser.add_subparsers(dest="model_command", metavar="ACTION")
    parser.set_defaults(handler=lambda _args: (parser.print_help(), 2)[1])

    p = sub.add_parser("list", help="the models rustcoder knows and which are pulled")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_guarded(cmd_list))

    p = sub.add_parser("info", help="files, sizes, cache state and execution provider")
    p.add_argument("name", help="NAME or a model folder")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=_guarded(cmd_info))

    p = sub.add_parser("pull", help="download a model into the huggingface-hub cache")
    p.add_argument("name", help="NAME or NAME:VARIANT")
    p.add_argument("--variant", help="which variant (default: the one for this machine)")
    p.add_argument("--all", action="store_true", help="every variant")
    p.add_argument("-q", "--quiet", action="store_true", help="no progress bars")
    p.set_defaults(handler=_guarded(cmd_pull))

    p = sub.add_parser(
        "import", help="turn a GGUF file of the Llama family into a local ONNX model"
    )
    p.add_argument("file", help="the .gguf file (Llama, SmolLM2, Qwen2 architectures)")
    p.add_argument("name", nargs="?", help="the model's name (default: from the file name)")
    p.add_argument(
        "--precision",
        choices=["int4", "fp16", "fp32"],
        default="int4",
        help="weights: int4 (MatMulNBits, default; CPU and GPU), fp16 (GPU), fp32",
    )
    p.add_argument(
        "--exact",
        action="store_true",
        help="int4 matmuls in float instead of int8 activations (slower on a CPU; a "
        "cached step then gives bit-identical logits to recomputing the sequence)",
    )
    p.add_argument("--force", action="store_true", help="replace a model of that name")
    p.set_defaults(handler=_guarded(cmd_import))

    p = sub.add_parser("remove", help="delete a model from the cache (or an imported one)")
    p.add_argument("name")
    p.set_defaults(handler=_guarded(cmd_remove))

    p = sub.add_parser("run", help="stream a model's reply to a prompt (stdin if none)")
    p.add_argument("name", help="NAME, NAME:VARIANT or a model folder")
    p.add_argument("prompt", nargs="?")
    p.add_argument("--system", help="a system message")
    p.add_argument("--max-tokens", type=int, default=256)
    p.add_argument("--temperature", type=float, default=0.0)
    p.add_argument("--seed", type=int)
    p.add_argument("--timeout", type=float, default=120.0, help="seconds (120)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.set_defaults(handler=_guarded(cmd_run))
