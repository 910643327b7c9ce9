"""`rustcoder ask "QUESTION"`: answer a learn-Rust question from the installed docs."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from rustcoder.docs.ask import PASSAGES, ask
from rustcoder.docs.index import DocIndex
from rustcoder.docs.passages import docs_root
from rustcoder.kb import locate
from rustcoder.kb.db import KbError
from rustcoder.kb.store import KbStore
from rustcoder.models.backend import ModelError
from rustcoder.models.factory import model_from_args


def add_parser(subparsers: Any) -> None:
    p = subparsers.add_parser(
        "ask", help="answer a Rust question from the toolchain's books and std docs"
    )
    p.add_argument("question", help='e.g. "how do I read a file line by line?"')
    p.add_argument("--limit", type=int, default=PASSAGES, help="passages to show (default: 3)")
    p.add_argument("--kb", dest="kb_path", default="", help="the base file (default: kb.sqlite)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--model", help="a local model (registry name) to write the answer")
    p.add_argument("--endpoint", help="an OpenAI-compatible endpoint to write the answer")
    p.add_argument("--model-name", help="the model to ask at --endpoint")
    p.add_argument("--model-timeout", type=float, default=120.0, help="seconds (default: 120)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    path = locate.base_path(args.kb_path)
    try:
        store = KbStore.open(path, readonly=True)
    except KbError as exc:
        print(f"rustcoder ask: {exc}", file=sys.stderr)
        return 2
    try:
        model = None
        if args.model or args.endpoint:
            name = args.model or args.model_name
            model = model_from_args(name, args.endpoint, timeout_s=args.model_timeout)
        answer = ask(
            args.question,
            DocIndex(store.conn),
            html_root=docs_root(),
            model=model,
            limit=max(1, args.limit),
        )
    except ModelError as exc:
        print(f"rustcoder ask: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()
    if args.json:
        print(json.dumps(answer.to_json(), indent=2, ensure_ascii=False))
    else:
        print(answer.markdown(), end="")
    return 0 if answer.hits else 1
