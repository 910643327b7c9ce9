"""The `rustcoder` command line: one entry point for the server and the tools.

Each subcommand lives next to the core it drives and registers itself here
through an `add_parser(subparsers)` function, so this module stays a thin
dispatcher and the same core serves the CLI, the LSP server, MCP and REST.
Every dependency is required, so the subcommands are imported plainly: a
broken install fails loudly instead of losing commands.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from types import ModuleType

from rustcoder import __version__, doctor
from rustcoder.api import api_command
from rustcoder.apiindex import api_command as apiindex_command
from rustcoder.cargo import check_command
from rustcoder.docs import ask_command
from rustcoder.fix import fix_command, recipes_command
from rustcoder.generate import generate_command
from rustcoder.kb import cli as kb_command
from rustcoder.lsp import serve_command
from rustcoder.mcp import mcp_command
from rustcoder.models import model_command

#: Modules that contribute subcommands, in help order; each has `add_parser(subparsers)`.
SUBCOMMAND_MODULES: tuple[ModuleType, ...] = (
    serve_command,
    check_command,
    fix_command,
    kb_command,
    recipes_command,
    ask_command,
    apiindex_command,
    model_command,
    generate_command,
    mcp_command,
    api_command,
    doctor,
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
    for module in SUBCOMMAND_MODULES:
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
