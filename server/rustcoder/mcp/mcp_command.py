"""`rustcoder mcp [--http [HOST:]PORT]`: the MCP server over stdio or streamable HTTP."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from rustcoder.sandbox.policy import admit_server
from rustcoder.tools.options import add_service_arguments, service_from_args


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("mcp", help="serve the code tools over MCP (stdio or HTTP)")
    parser.add_argument(
        "--http",
        metavar="[HOST:]PORT",
        help="streamable HTTP on HOST:PORT (default host 127.0.0.1) instead of stdio",
    )
    add_service_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from rustcoder.mcp.server import create_mcp_server

    host, _, port = (args.http or "").rpartition(":")
    host = host or "127.0.0.1"
    if args.http and host not in ("127.0.0.1", "localhost", "::1"):
        print(
            "rustcoder mcp: only loopback addresses are served over HTTP; "
            "put a proxy with authentication in front to expose it",
            file=sys.stderr,
        )
        return 2
    if not admit_server("mcp", args.unsafe_no_sandbox):
        return 2
    service = service_from_args(args)
    server = create_mcp_server(service)
    try:
        if not args.http:
            server.run("stdio")
        else:
            server.run("streamable-http", host=host, port=int(port))
    finally:
        service.close()  # stops the shared base's sender; its queue stays on disk
    return 0
