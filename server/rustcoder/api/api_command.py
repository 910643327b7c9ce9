"""`rustcoder api [--host H] [--port P] [--token T]`: the REST API."""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from rustcoder.sandbox.policy import admit_server
from rustcoder.tools.options import add_service_arguments, service_from_args

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def add_parser(subparsers: Any) -> None:
    parser = subparsers.add_parser("api", help="serve the REST API (Rust Coder compatible)")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (8000)")
    parser.add_argument(
        "--token",
        default=None,
        help="bearer token clients must send; required off loopback "
        "(default: $RUSTCODER_API_TOKEN)",
    )
    add_service_arguments(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from rustcoder.api.app import create_app

    token = args.token or os.environ.get("RUSTCODER_API_TOKEN") or None
    if args.host not in LOOPBACK and not token:
        print(
            f"rustcoder api: binding to {args.host} needs a token (--token or "
            "$RUSTCODER_API_TOKEN) so that nobody else can run code here",
            file=sys.stderr,
        )
        return 2
    if not admit_server("api", args.unsafe_no_sandbox):
        return 2
    app = create_app(service_from_args(args), token)
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")
    return 0
