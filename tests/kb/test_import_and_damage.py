"""`kb import` is all or nothing; a damaged base gets the rebuild command, never a traceback."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from rustcoder.kb import db
from rustcoder.kb.builder import BuildReport
from rustcoder.kb.learn import LearnedEntry, LearningStore
from rustcoder.kb.transfer import import_entries
from rustcoder.models.embedder import Embedder
from tests.kb.conftest import run_cli


def example(i: int, **extra: object) -> str:
    return json.dumps(
        {
            "code": "E0425",
            "message": f"cannot find value `v{i}` in this scope",
            "before": f"fn f{i}() -> u32 {{ v{i} }}\n",
            "after": f"fn f{i}() -> u32 {{ w{i} }}\n",
            **extra,
        }
    )


def learned_count(path: Path) -> int:
    if not path.exists():
        return 0
    conn = db.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM learned").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.parametrize(
    ("bad_line", "says"),
    [
        (example(4, success_count=10**20), "success_count"),
        (example(4).replace("v4", "\\ud800"), "lone surrogate"),
        (example(4, title=["not", "a", "string"]), "`title` must be a string"),
    ],
    ids=["huge-count", "lone-surrogate", "wrong-type"],
)
def test_a_bad_fourth_line_imports_nothing(
    built_kb: BuildReport, tmp_path: Path, bad_line: str, says: str
) -> None:
    team = tmp_path / "team.jsonl"
    team.write_text("".join(example(i) + "\n" for i in range(3)) + bad_line + "\n")
    mine = tmp_path / "mine.sqlite"
    rc, out, err = run_cli(
        "kb", "--kb", str(built_kb.path), "--user-kb", str(mine), "import", str(team)
    )
    assert rc == 2, (out, err)
    assert "Traceback" not in err
    assert "nothing imported" in err and f"{team}:4:" in err and says in err
    assert learned_count(mine) == 0


def test_a_write_failing_midway_leaves_the_file_as_it_was(
    tmp_path: Path, embedder: Embedder
) -> None:
    """Every row goes in one transaction: the third insert fails, the first two are undone."""
    path = tmp_path / "learned.sqlite"
    store = LearningStore.open(path, embedder)
    store.store.conn.execute(
        "CREATE TRIGGER refuse_third BEFORE INSERT ON learned "
        "WHEN NEW.message LIKE '%v2%' BEGIN SELECT RAISE(ABORT, 'disk says no'); END"
    )
    entries = [LearnedEntry(**{k: v for k, v in json.loads(example(i)).items()}) for i in range(4)]
    with pytest.raises(db.DatabaseError, match="disk says no"):
        import_entries(store, entries)
    assert store.entries() == []
    assert store.store.count("docs") == 0


@pytest.mark.parametrize("table", ["recipes", "docs_vec"])
def test_a_base_missing_a_table_gives_the_rebuild_command(
    built_kb: BuildReport, tmp_path: Path, table: str
) -> None:
    damaged = tmp_path / "kb.sqlite"
    shutil.copy(built_kb.path, damaged)
    conn = db.connect(damaged)
    conn.execute(f"DROP TABLE {table}")
    conn.close()
    env = {"RUSTCODER_USER_KB": str(tmp_path / "mine.sqlite")}
    for command in (["stats"], ["search", "borrow of moved value"], ["explain", "E0382"]):
        _, out, err = run_cli("kb", "--kb", str(damaged), *command, env=env)
        assert "Traceback" not in err, (command, err)
        assert "rustcoder kb build" in out + err, (command, out, err)
        assert f"missing table {table}" in out + err, (command, out, err)
