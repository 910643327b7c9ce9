"""`rustcoder generate "description" -o DIR`: a compiling crate from a description."""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from pathlib import Path
from typing import Any

from rustcoder.config import Settings
from rustcoder.generate.build import write_files
from rustcoder.generate.compile_fix import ModelChoice
from rustcoder.generate.pipeline import GenerateRequest, GenerationResult, generate
from rustcoder.generate.templates import finder
from rustcoder.models.backend import GenerationParams, ModelError
from rustcoder.runtime import Runtime
from rustcoder.sandbox.policy import warn_if_unsandboxed

NO_MODEL = (
    "rustcoder generate needs a code model: pass --endpoint URL (an OpenAI-compatible server "
    "such as Ollama, llama.cpp or a Gaia node) or --model NAME (a local model; "
    "`rustcoder model list` shows them)"
)


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "generate", help="generate a compiling crate from a plain-language description"
    )
    parser.add_argument("description", help="what the crate should do")
    parser.add_argument("-o", "--output", type=Path, required=True, help="directory to write")
    parser.add_argument("--requirements", default="", help="further requirements")
    parser.add_argument("--model", help="local model name, or the model served by --endpoint")
    parser.add_argument(
        "--endpoint", help="OpenAI-compatible base URL, e.g. http://localhost:11434/v1"
    )
    parser.add_argument("--api-key", default=None, help="API key for --endpoint")
    parser.add_argument("--max-attempts", type=int, default=3, help="model and fix attempts (3)")
    parser.add_argument("--no-tests", action="store_true", help="do not run `cargo test`")
    parser.add_argument(
        "--registry", type=Path, help="a cargo directory source of crates usable offline"
    )
    parser.add_argument(
        "--online",
        action="store_true",
        help="allow crates.io dependencies (cargo then uses the network); default: offline",
    )
    parser.add_argument("--force", action="store_true", help="write into a non-empty directory")
    parser.add_argument("--json", action="store_true", help="print a JSON result")
    parser.set_defaults(handler=run)


def _print_result(result: GenerationResult, directory: Path, as_json: bool) -> None:
    if as_json:
        print(json.dumps({**result.to_json(), "output": str(directory)}, indent=2))
        return
    status = "ok" if result.success else "FAILED"
    print(f"{status}: {result.message}")
    if result.files:
        print(f"files in {directory}: " + ", ".join(result.files))
    if not result.build_success and result.build_output:
        print(result.build_output)
    if result.test_success is False:
        print(result.test_output[-3000:])


def run(args: argparse.Namespace) -> int:
    directory: Path = args.output
    if directory.exists() and not directory.is_dir():
        print(f"rustcoder generate: {directory} is not a directory", file=sys.stderr)
        return 2
    if directory.is_dir() and any(directory.iterdir()) and not args.force:
        print(
            f"rustcoder generate: {directory} is not empty; pass --force to write into it",
            file=sys.stderr,
        )
        return 2
    choice = ModelChoice(args.model, args.endpoint, args.api_key)
    if not choice.configured:
        print(NO_MODEL, file=sys.stderr)
        return 2
    warn_if_unsandboxed("generate")
    try:
        model = choice.load(args.api_key)
    except ModelError as exc:
        print(f"rustcoder generate: {exc}", file=sys.stderr)
        return 2
    assert model is not None
    request = GenerateRequest(
        description=args.description,
        requirements=args.requirements,
        max_attempts=max(1, args.max_attempts),
        run_tests=not args.no_tests,
        registry_dir=args.registry,
        online=args.online,
    )
    progress = None if args.json else (lambda text: print(f"... {text}", file=sys.stderr))
    runtime = Runtime.open(Settings(), learn=False)  # its knowledge base holds the templates
    try:
        result = asyncio.run(
            generate(
                request,
                model,
                choice,
                GenerationParams(max_tokens=4096),
                progress,
                templates=finder(runtime.kb),
            )
        )
    finally:
        runtime.close()
    if result.files:
        directory.mkdir(parents=True, exist_ok=True)
        write_files(directory, result.files)
    _print_result(result, directory, args.json)
    return 0 if result.success else 1
