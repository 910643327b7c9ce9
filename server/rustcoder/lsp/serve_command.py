"""`rustcoder serve`: the language server over stdio or TCP."""

from __future__ import annotations

import argparse
from typing import Any


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("serve", help="run the language server (stdio by default)")
    parser.add_argument("--stdio", action="store_true", help="speak LSP on stdin/stdout (default)")
    parser.add_argument("--tcp", metavar="HOST:PORT", help="listen on a TCP address instead")
    parser.set_defaults(handler=serve)


def serve(args: argparse.Namespace) -> int:
    from rustcoder.lsp.server import create_server

    server = create_server()
    if args.tcp:
        host, _, port = args.tcp.rpartition(":")
        if not port.isdigit():
            raise SystemExit(f"rustcoder serve: --tcp needs HOST:PORT, got {args.tcp!r}")
        server.start_tcp(host or "127.0.0.1", int(port))
        return 0
    from rustcoder.lsp.stdio import serve_stdio

    return serve_stdio(server)
