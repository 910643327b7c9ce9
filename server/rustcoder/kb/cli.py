"""`rustcoder kb …`: build, search, explain and share the knowledge base.

Exit status: 0 done, 1 nothing found (search, explain), 2 could not run
(a missing or corrupt file, bad input); errors are one line on stderr that
says what to do.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from rustcoder.kb import locate
from rustcoder.kb.db import REBUILD_HINT, DatabaseError, KbError
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.learn import LearnedEntry
from rustcoder.kb.normalize import normalize_message
from rustcoder.kb.shared import SharedBase
from rustcoder.kb.shared_pg import SharedUnavailable
from rustcoder.kb.transfer import TransferError, export_jsonl, import_entries, parse_jsonl
from rustcoder.models.embedder import EmbedderError


def add_parser(subparsers: Any) -> None:
    kb = subparsers.add_parser("kb", help="the knowledge base of Rust errors and fixes")
    kb.add_argument("--kb", dest="kb_path", help="the base file (default: the shipped kb.sqlite)")
    kb.add_argument(
        "--user-kb", dest="user_kb", help="the learned-examples file (default: per-user data dir)"
    )
    kb.add_argument(
        "--shared",
        metavar="URL",
        help="a team's shared base, postgresql://… (default: $RUSTCODER_KB_SHARED)",
    )
    sub = kb.add_subparsers(dest="kb_command", metavar="KB_COMMAND")
    kb.set_defaults(handler=lambda _args: _usage(kb))

    p = sub.add_parser("build", help="build the base from the recipes and `rustc --explain`")
    p.add_argument("--out", help="the file to write (default: kb.sqlite at the repo root)")
    p.add_argument("--rustc", default="rustc", help="the rustc to ask (default: rustc)")
    p.add_argument("--no-cache", action="store_true", help="ask rustc again, ignoring the cache")
    p.add_argument(
        "--no-docs", action="store_true", help="leave out the toolchain's books and std docs"
    )
    p.add_argument(
        "--if-stale",
        action="store_true",
        help="only when the file is missing, unreadable, or built from other recipes or rustc",
    )
    p.set_defaults(handler=_guarded(cmd_build))

    p = sub.add_parser("search", help="search by error text")
    p.add_argument("text", help="an error message (identifiers do not matter)")
    p.add_argument("--code", help="the error code, e.g. E0382 (boosts its entries)")
    p.add_argument("--only-code", action="store_true", help="only entries of --code")
    p.add_argument("--limit", type=int, default=5, help="results to show (default: 5)")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_guarded(cmd_search))

    p = sub.add_parser("explain", help="rustc's explanation of an error code")
    p.add_argument("code", help="an error code, e.g. E0382")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_guarded(cmd_explain))

    p = sub.add_parser("add", help="add a learned example by hand")
    p.add_argument("--code", required=True, help="the error code")
    p.add_argument("--message", required=True, help="the error message")
    p.add_argument("--before", required=True, type=Path, help="file with the code before")
    p.add_argument("--after", required=True, type=Path, help="file with the code after")
    p.add_argument("--title", default="", help="what the fix does")
    p.set_defaults(handler=_guarded(cmd_add))

    p = sub.add_parser("stats", help="what the base and the learned file hold")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=_guarded(cmd_stats))

    p = sub.add_parser("export", help="learned examples as JSON Lines")
    p.add_argument("--out", type=Path, help="file to write (default: stdout)")
    p.add_argument("--from-shared", action="store_true", help="export the shared base's examples")
    p.set_defaults(handler=_guarded(cmd_export))

    p = sub.add_parser("import", help="add learned examples from JSON Lines")
    p.add_argument("file", type=Path, help="a file written by `kb export` ('-': stdin)")
    p.add_argument(
        "--to-shared", action="store_true", help="into the shared base (one transaction)"
    )
    p.set_defaults(handler=_guarded(cmd_import))

    p = sub.add_parser("forget", help="remove a learned example (e.g. shared:42 or user:7)")
    p.add_argument("id", help="the id search shows: shared:N, user:N (a bare N: shared if set)")
    p.set_defaults(handler=_guarded(cmd_forget))

    p = sub.add_parser("sync", help="send learn events queued for the shared base now")
    p.set_defaults(handler=_guarded(cmd_sync))

    for command in sub.choices.values():
        command.set_defaults(handler=_closing(command.get_default("handler")))


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """A damaged file found halfway through a command: the rebuild hint, not a traceback."""

    def run(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except DatabaseError as exc:
            return _fail(f"a knowledge base file is damaged ({exc}); {REBUILD_HINT}")

    return run


def _closing(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """Knowledge bases the command opened (pools, sender, files) are closed when it returns;
    they are kept on `args`, the one object a command's calls share."""

    def run(args: argparse.Namespace) -> int:
        opened: list[KnowledgeBase] = []
        args.opened_kbs = opened
        try:
            return handler(args)
        finally:
            while opened:
                opened.pop().close()

    return run


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _fail(message: str) -> int:
    print(f"rustcoder kb: {message}", file=sys.stderr)
    return 2


def _base_path(args: argparse.Namespace) -> Path:
    return locate.base_path(args.kb_path or "")


def _user_path(args: argparse.Namespace) -> Path:
    return Path(args.user_kb) if args.user_kb else locate.user_path()


def _open(args: argparse.Namespace, *, need_base: bool, learn: bool = True) -> KnowledgeBase:
    kb = KnowledgeBase.open(
        _base_path(args), _user_path(args), learn=learn, shared=args.shared, send=False
    )
    opened = getattr(args, "opened_kbs", None)
    if opened is not None:
        opened.append(kb)
    if need_base and kb.base is None:
        kb.close()
        raise KbError(kb.problems[0] if kb.problems else "no knowledge base")
    return kb


def cmd_build(args: argparse.Namespace) -> int:
    from rustcoder.kb.builder import build, default_cache_dir

    out = Path(args.out) if args.out else locate.base_candidates(args.kb_path or "")[0]
    if args.if_stale:
        reason = stale_reason(out, args.rustc)
        if reason is None:
            print(f"{out} is up to date")
            return 0
        print(f"==> rebuilding {out}: {reason}")
    cache = None if args.no_cache else default_cache_dir()
    try:
        report = build(
            out,
            rustc=args.rustc,
            cache_dir=cache,
            progress=lambda m: print(f"==> {m}"),
            with_docs=not args.no_docs,
        )
    except (OSError, KbError, EmbedderError, RuntimeError) as exc:
        return _fail(f"build failed: {exc}")
    print(
        f"wrote {report.path}: {report.codes} error codes, {report.recipes} recipes, "
        f"{report.templates} project templates, "
        f"{report.docs} indexed texts, {report.doc_passages} doc passages "
        f"in {report.seconds:.1f}s (content {report.digest[:12]})"
    )
    return 0


def stale_reason(out: Path, rustc: str) -> str | None:
    """Why `out` needs a build, or None when it matches the recipes, rustc and model."""
    from rustcoder.docs.passages import docs_root
    from rustcoder.generate.templates import shipped_templates, templates_digest
    from rustcoder.kb.builder import recipes_digest
    from rustcoder.kb.recipe_data import load_recipes
    from rustcoder.kb.rustc_explain import ExplainError, rustc_version
    from rustcoder.kb.store import KbStore
    from rustcoder.models.embedder import MODEL_ID

    if not out.is_file():
        return "missing"
    try:
        store = KbStore.open(out, readonly=True)
    except KbError as exc:
        return str(exc)
    try:
        meta = store.meta()
    finally:
        store.close()
    try:
        version = rustc_version(rustc)
    except ExplainError as exc:
        return str(exc)
    if meta.get("rustc") != version:
        return f"built with {meta.get('rustc')}, now {version}"
    if meta.get("recipes_sha256") != recipes_digest(load_recipes()):
        return "the recipes changed"
    if meta.get("templates_sha256") != templates_digest(shipped_templates()):
        return "the project templates changed"
    if meta.get("model") != MODEL_ID:
        return "another embedding model"
    indexed = meta.get("docs")
    if indexed is None:
        return "built before the toolchain's docs were indexed"
    if indexed == "not installed" and docs_root(rustc) is not None:
        return "the toolchain's docs are installed now"
    return None


def cmd_search(args: argparse.Namespace) -> int:
    try:
        kb = _open(args, need_base=False)
        if not kb.available:
            return _fail("; ".join(kb.problems))
        result = kb.search(args.text, args.code, max(1, args.limit), args.only_code)
    except (KbError, EmbedderError) as exc:
        return _fail(str(exc))
    if args.json:
        print(json.dumps({**result.to_json(), "problems": kb.problems}, indent=2))
        return 0 if result.hits else 1
    for problem in kb.problems:
        print(f"note: {problem}", file=sys.stderr)
    if not result.hits:
        print("nothing found")
        return 1
    for hit in result.hits:
        where = "learned" if hit.kind == "learned" else hit.kind
        print(f"{hit.score:6.3f}  [{where}] {hit.code} {hit.id}: {hit.title}")
        if hit.kind == "recipe":
            print(f"        edit: {hit.details['edit_kind']} {json.dumps(hit.details['params'])}")
        if hit.kind == "learned":
            print(f"        worked {hit.details['success_count']} time(s)")
    if result.explanation:
        print(f"\n{result.code or result.hits[0].code}: {result.explanation}")
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    try:
        kb = _open(args, need_base=True, learn=False)
    except KbError as exc:
        return _fail(str(exc))
    found = kb.explain(args.code)
    if found is None:
        print(f"{args.code.upper()} is not an error code this rustc knows", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(found.__dict__, indent=2))
    else:
        print(found.explanation, end="")
    return 0


def cmd_add(args: argparse.Namespace) -> int:
    try:
        before = args.before.read_text(encoding="utf-8")
        after = args.after.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read the example: {exc}")
    try:
        kb = _open(args, need_base=False)
        if kb.learning is None:
            return _fail("; ".join(kb.problems))
        entry = LearnedEntry(
            code=args.code.upper(),
            message=args.message,
            before=before,
            after=after,
            source="manual",
            title=args.title,
        )
        learned_id, created, key = kb.learn_entry(entry)
    except (KbError, EmbedderError, ValueError) as exc:
        return _fail(str(exc))
    print(f"{'added' if created else 'already known, count raised:'} example {learned_id}")
    if key is not None:
        _report_sync(kb)
    return 0


def _report_sync(kb: KnowledgeBase) -> None:
    """Send the shared queue and say where the events are (sent, or still queued)."""
    sent, why = kb.flush_shared()
    left = kb.shared.outbox.pending() if kb.shared is not None else 0
    if why is None:
        print(f"sent {sent} learn event(s) to the shared base")
    else:
        print(f"{left} learn event(s) stay queued for the shared base: {why}", file=sys.stderr)


def cmd_stats(args: argparse.Namespace) -> int:
    try:
        kb = _open(args, need_base=False)
    except KbError as exc:
        return _fail(str(exc))
    stats: dict[str, Any] = {"base": None, "user": None, "problems": kb.problems}
    if kb.base is not None:
        stats["base"] = {
            "path": str(kb.base.path),
            "error_codes": kb.base.count("error_codes"),
            "recipes": kb.base.count("recipes"),
            "docs": kb.base.count("docs"),
            **kb.base.meta(),
        }
    if kb.shared is not None:
        shared = kb.shared
        stats["shared"] = shared.status()
        if shared.kb.up:
            try:
                stats["shared"].update(shared.kb.stats())
            except SharedUnavailable as exc:
                stats["shared"]["error"] = str(exc)
    if kb.learning is not None:
        store = kb.learning.store
        stats["user"] = {
            "path": str(store.path),
            "learned": store.count("learned"),
            "successes": int(
                store.conn.execute(
                    "SELECT coalesce(sum(success_count), 0) FROM learned"
                ).fetchone()[0]
            ),
        }
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    for name in ("base", "user", "shared"):
        section = stats.get(name)
        if section is None:
            continue
        print(f"{name}: " + ", ".join(f"{k}={v}" for k, v in section.items()))
    for problem in kb.problems:
        print(f"note: {problem}")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    try:
        kb = _open(args, need_base=False)
        if kb.learning is None:
            return _fail("; ".join(kb.problems))
        source: Any = kb.learning
        if args.from_shared:
            source = _shared(kb).kb
        if args.out is None:
            count = export_jsonl(source, sys.stdout)
        else:
            tmp = args.out.with_name(args.out.name + ".part")
            with tmp.open("w", encoding="utf-8") as out:
                count = export_jsonl(source, out)
            tmp.replace(args.out)
    except (KbError, OSError, SharedUnavailable) as exc:
        return _fail(str(exc))
    print(f"exported {count} learned example(s)", file=sys.stderr)
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    try:
        if str(args.file) == "-":
            entries = parse_jsonl(sys.stdin, "stdin")
        else:
            with args.file.open(encoding="utf-8") as handle:
                entries = parse_jsonl(handle, str(args.file))
    except (OSError, UnicodeDecodeError) as exc:
        return _fail(f"cannot read {args.file}: {exc}")
    except TransferError as exc:
        return _fail(f"nothing imported: {exc}")
    try:
        kb = _open(args, need_base=False)
        if kb.learning is None:
            return _fail("; ".join(kb.problems))
        if args.to_shared:
            shared = _shared(kb)
            vectors = kb.embedder.embed([normalize_message(e.message) for e in entries])
            created, merged = shared.kb.import_entries(entries, vectors, shared.provenance())
        else:
            created, merged = import_entries(kb.learning, entries)
    except (KbError, EmbedderError, ValueError) as exc:
        return _fail(str(exc))
    except SharedUnavailable as exc:
        return _fail(f"nothing imported: {exc}")
    where = " into the shared base" if args.to_shared else ""
    print(f"imported {created} new example(s){where}, {merged} already known")
    return 0


def _shared(kb: KnowledgeBase) -> SharedBase:
    if kb.shared is None:
        problems = [p for p in kb.problems if "shared" in p]
        raise KbError(
            "; ".join(problems) or "no shared base: pass --shared URL or set $RUSTCODER_KB_SHARED"
        )
    return kb.shared


def cmd_forget(args: argparse.Namespace) -> int:
    origin, _, number = str(args.id).rpartition(":")
    if not number.isdigit() or origin not in ("", "shared", "user"):
        return _fail(f"{args.id!r} is not an example id (shared:N or user:N, as search shows)")
    try:
        kb = _open(args, need_base=False)
        if kb.learning is None:
            return _fail("; ".join(kb.problems))
        if origin == "user" or (origin == "" and kb.shared is None):
            removed = kb.learning.forget(int(number))
            where = "user"
        else:
            removed = _shared(kb).kb.forget(int(number))
            where = "shared"
    except (KbError, SharedUnavailable) as exc:
        return _fail(str(exc))
    if removed is None:
        print(f"no learned example {where}:{number}", file=sys.stderr)
        return 1
    print(f"forgot {where}:{number} ({removed['code']}: {removed['message']})")
    return 0


def cmd_sync(args: argparse.Namespace) -> int:
    try:
        kb = _open(args, need_base=False)
        _shared(kb)
    except KbError as exc:
        return _fail(str(exc))
    sent, why = kb.flush_shared()
    if why is not None:
        return _fail(
            f"{why}; {kb.shared.outbox.pending() if kb.shared else 0} event(s) stay queued"
        )
    print(f"sent {sent} queued learn event(s); none left")
    return 0
