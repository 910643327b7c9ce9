"""`rustcoder recipes add|list|remove`: the team's own fix recipes in the shared base.

A team's recipe is a `[[recipe]]` table in the shipped recipes' TOML form
(README: adding a recipe) whose edit kind this rustcoder implements; it lives
in the shared PostgreSQL base (`--shared` / `$RUSTCODER_KB_SHARED`) with who
published it, and every server on that base offers its fixes, verified like
any other. The command lives beside the engine because only the engine knows
which edit kinds exist.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rustcoder.fix.recipes.base import closest, edit_kinds
from rustcoder.kb import locate
from rustcoder.kb.db import KbError
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.recipe_data import RecipeDataError, RecipeSpec, load_recipe_file
from rustcoder.kb.recipe_messages import example_errors
from rustcoder.kb.shared import SharedBase
from rustcoder.kb.shared_conn import SharedUnavailable

T = TypeVar("T")


def add_parser(subparsers: Any) -> None:
    recipes = subparsers.add_parser(
        "recipes", help="the team's own fix recipes, kept in the shared knowledge base"
    )
    recipes.add_argument(
        "--shared",
        metavar="URL",
        help="the team's shared base, postgresql://… (default: $RUSTCODER_KB_SHARED)",
    )
    recipes.add_argument(
        "--user-kb", dest="user_kb", help="the learned-examples file (default: per-user data dir)"
    )
    sub = recipes.add_subparsers(dest="recipes_command", metavar="RECIPES_COMMAND")
    recipes.set_defaults(handler=lambda _args: _usage(recipes))

    p = sub.add_parser(
        "add", help="publish the [[recipe]] tables of a TOML file (same id: replaced)"
    )
    p.add_argument("file", type=Path, help="a TOML file of [[recipe]] tables")
    p.add_argument(
        "--no-example-check",
        action="store_true",
        help="publish without compiling the worked examples (no rustc here)",
    )
    p.set_defaults(handler=cmd_add)

    p = sub.add_parser("list", help="the shared base's recipes and who published them")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(handler=cmd_list)

    p = sub.add_parser("remove", help="remove one recipe from the shared base")
    p.add_argument("id", help="the recipe's id")
    p.set_defaults(handler=cmd_remove)


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 2


def _fail(message: str) -> int:
    print(f"rustcoder recipes: {message}", file=sys.stderr)
    return 2


def _open(args: argparse.Namespace) -> tuple[KnowledgeBase, SharedBase]:
    user = Path(args.user_kb) if args.user_kb else locate.user_path()
    kb = KnowledgeBase.open(locate.base_path(), user, shared=args.shared, send=False)
    if kb.shared is None:
        problems = [p for p in kb.problems if "shared" in p]
        kb.close()
        raise KbError(
            "; ".join(problems) or "no shared base: pass --shared URL or set $RUSTCODER_KB_SHARED"
        )
    return kb, kb.shared


def check_kinds(specs: list[RecipeSpec]) -> None:
    """Every recipe names an edit kind this rustcoder implements (else it would never fire)."""
    kinds = sorted(edit_kinds())
    for spec in specs:
        if spec.kind not in kinds:
            near = closest(spec.kind, kinds)
            hint = f"; did you mean {', '.join(near)}?" if near else ""
            raise RecipeDataError(f"{spec.id}: no edit kind {spec.kind!r}{hint}")


def _on_shared(
    args: argparse.Namespace, work: Callable[[SharedBase], T], failed: str = ""
) -> T | int:
    """`work` on the shared base, closed afterwards; an exit status when it cannot be done."""
    try:
        kb, shared = _open(args)
    except KbError as exc:
        return _fail(str(exc))
    try:
        return work(shared)
    except (RecipeDataError, SharedUnavailable) as exc:
        return _fail(f"{failed}{exc}")
    finally:
        kb.close()


def check_examples(specs: list[RecipeSpec], rustc: str = "rustc") -> None:
    """Each worked example is what it says: `before` fails with the recipe's code and
    `after` does not (compiled with the local rustc, metadata only)."""
    for spec in specs:
        if not example_errors(rustc, spec, spec.before):
            raise RecipeDataError(f"{spec.id}: `before` does not fail with {spec.code}")
        if example_errors(rustc, spec, spec.after):
            raise RecipeDataError(f"{spec.id}: `after` still fails with {spec.code}")


def cmd_add(args: argparse.Namespace) -> int:
    try:
        specs = load_recipe_file(args.file)
        check_kinds(specs)
        if not args.no_example_check:
            check_examples(specs)
    except RecipeDataError as exc:
        return _fail(str(exc))
    done = _on_shared(
        args,
        lambda shared: shared.recipes.publish(specs, shared.provenance()),
        "nothing published: ",
    )
    if isinstance(done, int):
        return done
    for recipe_id, new in done:
        print(f"{'added' if new else 'replaced'} {recipe_id}")
    print(f"published {len(done)} recipe(s) to the shared base")
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    found = _on_shared(args, lambda shared: shared.recipes.listing())
    if isinstance(found, int):
        return found
    if args.json:
        print(json.dumps([r.to_json() for r in found], indent=2))
        return 0
    for r in found:
        print(f"{r.spec.id}  {r.spec.code}  {r.spec.kind}  {r.spec.title}")
        print(f"    by {r.contributor or '?'} ({r.rustc or 'rustc ?'}), updated {r.updated_at}")
    if not found:
        print("no team recipes in the shared base")
    return 0


def cmd_remove(args: argparse.Namespace) -> int:
    removed = _on_shared(args, lambda shared: shared.recipes.remove(args.id), "nothing removed: ")
    if isinstance(removed, int):
        return removed
    if removed is None:
        print(f"no team recipe {args.id}", file=sys.stderr)
        return 1
    print(f"removed {removed.spec.id} ({removed.spec.code}: {removed.spec.title})")
    return 0
