"""The `rustcoder` command line: one entry point for the server and the tools.

Each subcommand lives next to the core it drives and registers itself here
through an `add_parser(subparsers)` function, so this module stays a thin
dispatcher and the same core serves the CLI, the LSP server, MCP and REST.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Callable, Sequence

from rustcoder import __version__

#: Modules that contribute subcommands; each has `add_parser(subparsers)`.
#: A module that fails to import (e.g. an optional dependency missing) only
#: loses its own subcommands.
SUBCOMMAND_MODULES: tuple[str, ...] = (
    "rustcoder.lsp.serve_command",
    "rustcoder.cargo.check_command",
    "rustcoder.fix.fix_command",
    "rustcoder.kb.cli",
    "rustcoder.apiindex.api_command",
    "rustcoder.models.model_command",
    "rustcoder.generate.generate_command",
    "rustcoder.mcp.mcp_command",
    "rustcoder.api.api_command",
    "rustcoder.doctor",
)

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rustcoder",
        description="Rust language server with compile-verified quick fixes.",
    )
    parser.add_argument("--version", action="version", version=f"rustcoder {__version__}")
    parser.add_argument(
        "--log-level",
        default="WARNING",
        choices=["DEBUG", "INFO", "WARNING", "ERROR"],
        help="logging level for messages on stderr (default: WARNING)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for module_name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:  # pragma: no cover - depends on the install
            logging.getLogger(__name__).debug("subcommands of %s unavailable: %s", module_name, exc)
            continue
        module.add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=getattr(logging, args.log_level),
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    handler: Handler | None = getattr(args, "handler", None)
    if handler is None:
        parser.print_help()
        return 2
    try:
        return handler(args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
