"""The team's own recipes in the shared base: published in one process, used by another
replica's fix engine on a real crate, listed with who published them, removed, and
still used from the local copy while the database is unreachable."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from rustcoder.cli import main
from rustcoder.fix.compare import is_error
from rustcoder.fix.engine import FixEngine, FixSettings
from rustcoder.fix.knowledge import FixKnowledge
from rustcoder.kb import shared_recipes
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.pg_local import free_port
from rustcoder.runtime import candidate_sources
from tests.fix.recipes.helpers import write_crate
from tests.shared_kb.conftest import psql

RECIPE_ID = "team-E0061-default-timeout"
#: A team's recipe: an edit kind rustcoder has, with the team's own pattern and parameter
#: (missing timeouts get the team's default of 60, not a placeholder).
TEAM_TOML = f"""
[[recipe]]
id = "{RECIPE_ID}"
code = "E0061"
pattern = 'this function takes (?P<want>\\d+) arguments but (?P<got>\\d+) arguments? (?:was|were)'
kind = "rustc-placeholders"
params = {{ help = '^provide the argument', fill = "60" }}
title = "Team default: pass 60 for the missing timeout"
explanation = "Our services time out after 60 seconds unless told otherwise."
tags = ["team", "timeout"]
before = '''
fn connect(host: &str, timeout_s: u64) -> String {{
    format!("{{host}}:{{timeout_s}}")
}}

fn main() {{
    println!("{{}}", connect("db"));
}}
'''
after = '''
fn connect(host: &str, timeout_s: u64) -> String {{
    format!("{{host}}:{{timeout_s}}")
}}

fn main() {{
    println!("{{}}", connect("db", 60));
}}
'''
"""

CRATE = """
pub fn connect(host: &str, timeout_s: u64) -> String {
    format!("{host}:{timeout_s}")
}

pub fn primary() -> String {
    connect("db.internal")
}
"""


def recipes_cli(*args: str, user: Path, shared: str) -> tuple[int, str, str]:
    """`rustcoder recipes …` in another process (a teammate's machine)."""
    done = subprocess.run(
        [sys.executable, "-m", "rustcoder", "recipes", "--shared", shared, "--user-kb", str(user),
         *args],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, "RUSTCODER_CONTRIBUTOR": "alice-7"},
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


async def team_proposals(kb: KnowledgeBase, root: Path) -> dict[str | None, list[str]]:
    """What the engine, as the server builds it, proposes for CRATE: recipe id -> new texts."""
    engine = FixEngine(
        write_crate(root, CRATE),
        settings=FixSettings(parallel=1),
        sources=candidate_sources(FixKnowledge(kb)),
    )
    base = await engine.check_base()
    errors = [d for d in base.diagnostics if is_error(d)]
    (target,) = [d for d in errors if d.code == "E0061"]
    proposed: dict[str | None, list[str]] = {}
    for candidate in engine.candidates(target, errors):
        proposed.setdefault(candidate.recipe_id, []).extend(e.new_text for e in candidate.edits)
    return proposed


async def test_a_team_recipe_published_in_one_process_is_used_by_another_and_removed(
    shared_url: str,
    tmp_path: Path,
    open_kb: Callable[..., KnowledgeBase],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (tmp_path / "team.toml").write_text(TEAM_TOML)
    rc, out, err = recipes_cli("add", str(tmp_path / "team.toml"), user=tmp_path / "a.sqlite",
                               shared=shared_url)  # fmt: skip
    assert rc == 0, err
    assert f"added {RECIPE_ID}" in out and "published 1 recipe(s)" in out

    replica = open_kb("b", shared_url)
    assert [s.id for s in replica.team_recipes("E0061")] == [RECIPE_ID]
    assert replica.shared is not None and replica.shared.kb.stats()["team_recipes"] == 1
    proposed = await team_proposals(replica, tmp_path / "crate")
    assert any("60" in text for text in proposed[RECIPE_ID]), proposed

    rc, out, _ = recipes_cli("list", "--json", user=tmp_path / "a.sqlite", shared=shared_url)
    (listed,) = json.loads(out)
    assert (listed["id"], listed["contributor"], listed["kind"]) == (
        RECIPE_ID,
        "alice-7",
        "rustc-placeholders",
    )
    assert listed["rustc"].startswith("rustc ") and listed["created_at"].endswith("Z")

    rc, out, err = recipes_cli("remove", RECIPE_ID, user=tmp_path / "a.sqlite", shared=shared_url)
    assert rc == 0 and f"removed {RECIPE_ID}" in out, err
    assert psql(shared_url, "SELECT count(*) FROM kb_recipes") == [(0,)]
    monkeypatch.setattr(shared_recipes, "REFRESH_S", 0.0)  # replicas read the list again
    deadline = time.monotonic() + 30
    while replica.team_recipes("E0061"):  # re-read in the background, never waited on
        assert time.monotonic() < deadline
        time.sleep(0.1)
    rc, _, err = recipes_cli("remove", RECIPE_ID, user=tmp_path / "a.sqlite", shared=shared_url)
    assert rc == 1 and f"no team recipe {RECIPE_ID}" in err


def test_a_replica_started_while_the_base_is_unreachable_keeps_the_team_recipes(
    shared_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "team.toml").write_text(TEAM_TOML)
    user = tmp_path / "replica" / "learned.sqlite"
    assert main(["recipes", "--shared", shared_url, "--user-kb", str(user), "add",
                 str(tmp_path / "team.toml")]) == 0  # fmt: skip
    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/gone"
    kb = KnowledgeBase.open(tmp_path / "no-base.sqlite", user, shared=dead, send=False)
    try:
        assert any("unreachable" in p for p in kb.problems), kb.problems
        assert [s.id for s in kb.team_recipes("E0061")] == [RECIPE_ID]
    finally:
        kb.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("rustc-placeholders", "rustc-placeholder"), "no edit kind 'rustc-placeholder'"),
        ((RECIPE_ID, "E0061-argument-count"), "the id of a shipped recipe"),
        (('code = "E0061"', 'code = "61"'), "`code` must look like E0123"),
        (('connect("db", 60)', 'connect("db")'), "`after` still fails with E0061"),
        (('connect("db"));\n', 'connect("db", 1));\n'), "`before` does not fail with E0061"),
    ],
)
def test_a_recipe_rustcoder_cannot_use_is_refused_and_nothing_is_published(
    shared_url: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
    message: str,
) -> None:
    good = TEAM_TOML.replace(RECIPE_ID, "team-ok", 1)
    (tmp_path / "team.toml").write_text(good + TEAM_TOML.replace(*change))
    capsys.readouterr()
    rc = main(["recipes", "--shared", shared_url, "--user-kb", str(tmp_path / "u.sqlite"), "add",
               str(tmp_path / "team.toml")])  # fmt: skip
    assert rc == 2 and message in capsys.readouterr().err
    if psql(shared_url, "SELECT to_regclass('kb_recipes') IS NOT NULL") == [(True,)]:
        assert psql(shared_url, "SELECT count(*) FROM kb_recipes") == [(0,)]
