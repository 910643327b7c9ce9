"""The team's own recipes, kept in the shared base and used by every replica.

A team writes recipes in the shipped recipes' TOML form (`kb/recipes/*.toml`):
its own message pattern, an edit kind this rustcoder implements, parameters
and a worked example. `rustcoder kb recipes add FILE` publishes them with
who published them; every server that opens the shared base reads them (again
after `REFRESH_S`) and offers their fixes beside the shipped recipes', each
verified by compiling like any other candidate. The last list read is kept in
the local learned file, so a server started while the database is down still
has its team's recipes; `rustcoder kb recipes remove ID` takes one away.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rustcoder.kb import db
from rustcoder.kb.provenance import Provenance
from rustcoder.kb.recipe_data import (
    RecipeDataError,
    RecipeSpec,
    load_recipes,
    parse_recipe,
    recipe_entry,
)
from rustcoder.kb.shared_conn import SEARCH_WAIT_S, SharedDb, SharedUnavailable
from rustcoder.kb.shared_search import utc_text

log = logging.getLogger(__name__)

#: How long a replica uses the list it read before reading it again.
REFRESH_S = 30.0

_MIRROR = """CREATE TABLE IF NOT EXISTS team_recipes (
    id TEXT PRIMARY KEY,
    recipe TEXT NOT NULL  -- the [[recipe]] table as JSON, as the shared base has it
)"""


@dataclass(frozen=True)
class TeamRecipe:
    """A published recipe and who published it."""

    spec: RecipeSpec
    contributor: str
    rustc: str
    created_at: str
    updated_at: str

    def to_json(self) -> dict[str, Any]:
        return {
            **recipe_entry(self.spec),
            "contributor": self.contributor,
            "rustc": self.rustc,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        }


def _spec(recipe_id: str, recipe: Any) -> RecipeSpec | None:
    """A stored recipe read back; None (logged) for one this rustcoder cannot use."""
    try:
        entry = json.loads(recipe) if isinstance(recipe, str) else recipe
        return parse_recipe(entry, f"team recipe {recipe_id}", "shared")
    except (RecipeDataError, ValueError, TypeError) as exc:
        log.warning("team recipe %s skipped: %s", recipe_id, exc)
        return None


class TeamRecipes:
    """The shared base's recipes for this process: read, cached, mirrored; published, removed."""

    def __init__(self, shared: SharedDb, mirror: Path) -> None:
        self.shared = shared
        self.mirror = db.connect(mirror, create=True)
        self.mirror.execute(_MIRROR)
        self._lock = threading.Lock()
        self._by_code: dict[str, list[RecipeSpec]] = {}
        self._read_at = -REFRESH_S
        self._closed = False
        self._load_mirror()

    # --- what the fix engine uses ---------------------------------------------

    def for_code(self, code: str | None) -> list[RecipeSpec]:
        """The team's recipes for an error code, as last read; never raises, never waits.

        A list older than `REFRESH_S` is read again in the background (the fix
        engine asks on the editor's path), so the next call sees the new one.
        """
        if time.monotonic() - self._read_at > REFRESH_S and self.shared.up:
            self._read_at = time.monotonic()
            threading.Thread(
                target=self.refresh, name="rustcoder-team-recipes", daemon=True
            ).start()
        return list(self._by_code.get(code or "", ()))

    def _refresh_behind(self) -> None:
        try:
            self.refresh()
        except Exception:  # a background read must not print a traceback into the editor's log
            log.exception("reading the team's recipes failed; the last list stays in use")

    def refresh(self, wait: float = SEARCH_WAIT_S) -> bool:
        """Read the list now; False (keeping the last one) when the base did not answer."""
        self._read_at = time.monotonic()  # one attempt per period, answered or not
        if self._closed:
            return False
        try:
            rows = self.shared.run(
                lambda conn: conn.execute(
                    "SELECT id, recipe::text FROM kb_recipes ORDER BY id"
                ).fetchall(),
                wait,
            )
        except SharedUnavailable:
            return False
        with self._lock, db.transaction(self.mirror):
            if self._closed:
                return False
            self.mirror.execute("DELETE FROM team_recipes")
            self.mirror.executemany("INSERT INTO team_recipes (id, recipe) VALUES (?, ?)", rows)
        self._index([(str(i), r) for i, r in rows])
        return True

    def _load_mirror(self) -> None:
        with self._lock:
            rows = self.mirror.execute("SELECT id, recipe FROM team_recipes ORDER BY id").fetchall()
        self._index([(str(i), str(r)) for i, r in rows])

    def _index(self, rows: list[tuple[str, str]]) -> None:
        by_code: dict[str, list[RecipeSpec]] = {}
        for recipe_id, recipe in rows:
            spec = _spec(recipe_id, recipe)
            if spec is not None:
                for code in spec.codes:
                    by_code.setdefault(code, []).append(spec)
        self._by_code = by_code

    # --- what a team does with them ---------------------------------------------

    def publish(self, specs: list[RecipeSpec], prov: Provenance) -> list[tuple[str, bool]]:
        """Store `specs` (replacing those of the same id), all or none; (id, new) for each.

        A recipe may not take a shipped recipe's id: it would read as that one.
        """
        shipped = {spec.id for spec in load_recipes()}
        taken = sorted(spec.id for spec in specs if spec.id in shipped)
        if taken:
            raise RecipeDataError(f"{', '.join(taken)}: the id of a shipped recipe; pick another")

        def store(conn: Any) -> list[tuple[str, bool]]:
            done: list[tuple[str, bool]] = []
            with conn.transaction():
                for spec in specs:
                    row = conn.execute(
                        "INSERT INTO kb_recipes (id, code, recipe, contributor, rustc) "
                        "VALUES (%s, %s, %s::jsonb, %s, %s) ON CONFLICT (id) DO UPDATE SET "
                        "code = EXCLUDED.code, recipe = EXCLUDED.recipe, "
                        "contributor = EXCLUDED.contributor, rustc = EXCLUDED.rustc, "
                        "updated_at = now() RETURNING (xmax = 0)",
                        (spec.id, spec.code, json.dumps(recipe_entry(spec)), prov.contributor,
                         prov.rustc),
                    ).fetchone()  # fmt: skip
                    done.append((spec.id, bool(row[0])))
            return done

        done = self.shared.run(store, repeatable=False)
        self.refresh()
        return done

    def remove(self, recipe_id: str) -> TeamRecipe | None:
        """Delete one recipe from the shared base; returns it (None: no such id)."""
        row = self.shared.run(
            lambda conn: conn.execute(
                f"DELETE FROM kb_recipes WHERE id = %s RETURNING {_COLUMNS}", (recipe_id,)
            ).fetchone(),
            repeatable=False,
        )
        self.refresh()
        return _recipe(row) if row is not None else None

    def listing(self) -> list[TeamRecipe]:
        """Every recipe the shared base holds, with who published it."""
        rows = self.shared.run(
            lambda conn: conn.execute(f"SELECT {_COLUMNS} FROM kb_recipes ORDER BY id").fetchall()
        )
        return [r for r in map(_recipe, rows) if r is not None]

    def close(self) -> None:
        with self._lock:
            self._closed = True
            self.mirror.close()


_COLUMNS = (
    f"id, recipe::text, contributor, rustc, {utc_text('created_at')}, {utc_text('updated_at')}"
)


def _recipe(row: Any) -> TeamRecipe | None:
    spec = _spec(str(row[0]), row[1])
    if spec is None:
        return None
    return TeamRecipe(spec, str(row[2]), str(row[3]), str(row[4]), str(row[5]))
