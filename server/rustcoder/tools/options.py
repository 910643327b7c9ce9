"""Command-line options shared by `rustcoder mcp` and `rustcoder api`."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from rustcoder.generate.compile_fix import ModelChoice
from rustcoder.sandbox.policy import UNSAFE_FLAG
from rustcoder.tools.code_tools import CodeService, ServiceConfig


def add_service_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("code model and builds")
    group.add_argument("--endpoint", help="OpenAI-compatible base URL for generation and fixes")
    group.add_argument("--model", help="local model name, or the model served by --endpoint")
    group.add_argument(
        "--api-key", default=None, help="API key for --endpoint (default: $RUSTCODER_API_KEY)"
    )
    group.add_argument("--registry", type=Path, help="cargo directory source usable offline")
    group.add_argument("--kb", type=Path, help="knowledge base file (default: the shipped one)")
    group.add_argument(
        "--shared-kb",
        metavar="URL",
        help="a team's shared base, postgresql://… (default: $RUSTCODER_KB_SHARED)",
    )
    group.add_argument("--concurrency", type=int, default=2, help="builds at once (2)")
    group.add_argument("--queue", type=int, default=8, help="builds waiting at most (8)")
    group.add_argument(
        UNSAFE_FLAG,
        action="store_true",
        help="serve even where no sandbox can be made (clients' code then runs with your rights)",
    )


def service_from_args(args: argparse.Namespace) -> CodeService:
    api_key = args.api_key or os.environ.get("RUSTCODER_API_KEY")
    return CodeService(
        ServiceConfig(
            model=ModelChoice(args.model, args.endpoint, api_key),
            api_key=api_key,
            registry_dir=args.registry,
            concurrency=max(1, args.concurrency),
            queue_capacity=max(0, args.queue),
            kb_path=args.kb,
            kb_shared=args.shared_kb,
        )
    )
