"""`rustcoder kb api [PATH] [--lookup NAME]`: index a workspace's crates, look up a name.

Registered under `kb` because the API index is part of the knowledge base;
it lives in its own module so `kb/cli.py` needs no change.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from rustcoder.apiindex.crate_sources import CrateSourceError, gates_missing
from rustcoder.apiindex.index_store import ApiIndex, IndexReport, StoredItem


def _kb_subparsers(subparsers: Any) -> Any:
    kb = getattr(subparsers, "choices", {}).get("kb")
    if kb is None:
        return None
    for action in kb._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action
    return None


def add_parser(subparsers: Any) -> None:
    target = _kb_subparsers(subparsers)
    name = "api" if target is not None else "kb-api"
    parser = (target or subparsers).add_parser(
        name,
        help="index the public API of the workspace's dependency crates; look up a name",
        description="Index every crate of the dependency graph (cached per crate version) "
        "and print counts, or look up an item with its signature and feature gates.",
    )
    parser.add_argument(
        "path", nargs="?", default=".", type=Path, help="crate or workspace directory"
    )
    parser.add_argument(
        "--lookup", metavar="NAME", help="e.g. Duration::seconds, tokio::time::sleep, from_str"
    )
    parser.add_argument(
        "--nearest", action="store_true", help="list the nearest existing names too"
    )
    parser.add_argument(
        "--only", metavar="CRATE", action="append", help="index only these crates (repeatable)"
    )
    parser.add_argument(
        "--cache", type=Path, help="cache file (default: $RUSTCODER_API_CACHE or XDG cache)"
    )
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.set_defaults(handler=run)


def _disabled(hit: StoredItem, report: IndexReport) -> list[str]:
    enabled = report.enabled.get(f"{hit.crate}@{hit.version}", ())
    return gates_missing(hit.item.features, enabled)


def _item_json(hit: StoredItem, report: IndexReport) -> dict[str, object]:
    i = hit.item
    return {
        "crate": hit.crate,
        "version": hit.version,
        "path": i.path,
        "kind": i.kind,
        "signature": i.signature,
        "receiver": i.receiver,
        "trait": i.trait,
        "features": list(i.features),
        "features_disabled": _disabled(hit, report),
        "doc": i.doc,
        "file": i.file,
        "line": i.line,
        "public": i.public,
        "target": i.target,
    }


def _item_line(hit: StoredItem, report: IndexReport) -> str:
    i = hit.item
    off = _disabled(hit, report)
    note = f", not enabled here: {', '.join(off)}" if off else ""
    gate = f"  [feature: {' + '.join(i.features)}{note}]" if i.features else ""
    via = f"  (impl {i.trait})" if i.trait else ""
    private = "  (not public)" if not i.public else ""
    doc = f"\n      {i.doc}" if i.doc else ""
    head = f"  {i.path}  ({hit.crate} {hit.version}, {i.kind}){gate}{via}{private}"
    return f"{head}\n      {i.signature}{doc}"


def _report_json(report: IndexReport) -> dict[str, object]:
    return {
        "crates": len(report.crate_ids),
        "parsed": report.parsed,
        "reused": len(report.reused),
        "skipped": report.skipped,
        "files_parsed": report.files_parsed,
        "items": report.items,
        "seconds": round(report.seconds, 3),
    }


def run(args: argparse.Namespace) -> int:
    path: Path = args.path
    if not path.exists():
        print(f"rustcoder kb api: {path} does not exist", file=sys.stderr)
        return 2
    try:
        with ApiIndex(args.cache) as index:
            report = index.index_workspace(path, args.only)
            out: dict[str, object] = {"index": _report_json(report), "cache": str(index.path)}
            ids = list(report.crate_ids.values())
            hits: list[StoredItem] = []
            near: list[StoredItem] = []
            if args.lookup:
                hits = index.lookup(args.lookup, ids)
                if args.nearest or not hits:
                    near = [n for n in index.nearest(args.lookup, ids) if n not in hits]
                out["matches"] = [_item_json(h, report) for h in hits]
                out["nearest"] = [_item_json(n, report) for n in near]
    except CrateSourceError as exc:
        print(f"rustcoder kb api: {exc}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(out, indent=2))
        return 0 if not args.lookup or hits else 1
    print(
        f"{len(report.crate_ids)} crates ({len(report.parsed)} indexed now, "
        f"{len(report.reused)} from the cache"
        f"{', ' + str(len(report.skipped)) + ' without a library' if report.skipped else ''}), "
        f"{report.items} items, {report.seconds:.2f}s; cache {out['cache']}"
    )
    if args.lookup:
        if hits:
            print(f"{args.lookup}:")
            print("\n".join(_item_line(h, report) for h in hits))
        else:
            print(f"{args.lookup}: not found in the workspace's crates")
        if near:
            print("nearest existing names:")
            print("\n".join(_item_line(n, report) for n in near))
        return 0 if hits else 1
    return 0
