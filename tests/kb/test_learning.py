"""Learning: fixes that worked are stored, deduplicated, ranked first, shared and kept safe."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from rustcoder.cargo.messages import make_diagnostic
from rustcoder.fix.knowledge import FixKnowledge
from rustcoder.fix.learning_tracker import LearnedFix
from rustcoder.kb.builder import BuildReport
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.learn import LearnedEntry, LearningStore, fingerprint
from rustcoder.kb.transfer import TransferError, export_jsonl, import_entries, parse_jsonl
from rustcoder.models.embedder import Embedder
from tests.kb.conftest import run_cli

BEFORE = """fn report(lines: &[String]) -> usize {
    let total = 0;
    for line in lines {
        total += line.len();
    }
    total
}
"""
AFTER = BEFORE.replace("let total = 0;", "let mut total = 0;")
MESSAGE = "cannot assign twice to immutable variable `total`"


def entry(**changes: object) -> LearnedEntry:
    fields: dict[str, object] = {
        "code": "E0384",
        "message": MESSAGE,
        "before": BEFORE,
        "after": AFTER,
        "source": "user",
        "title": "make `total` mutable",
    }
    fields.update(changes)
    return LearnedEntry(**fields)  # type: ignore[arg-type]


def test_same_fix_is_deduplicated_and_counted(kb: KnowledgeBase) -> None:
    assert kb.learning is not None
    first, created = kb.learning.record(entry())
    assert created
    # The same change under another variable name and other context lines: the same fix.
    again = entry(
        message="cannot assign twice to immutable variable `sum`",
        before="// header\n" + BEFORE,
        after="// header\n" + AFTER,
    )
    second, created_again = kb.learning.record(again)
    assert (second, created_again) == (first, False)
    other, created_other = kb.learning.record(
        entry(after=BEFORE.replace("let total = 0;", "let mut total: usize = 0;"))
    )
    assert created_other and other != first
    rows = {e["fingerprint"]: e for e in kb.learning.entries()}
    assert len(rows) == 2
    counted = rows[fingerprint("E0384", MESSAGE, BEFORE, AFTER)]
    assert counted["success_count"] == 2
    assert "+    let mut total = 0;" in counted["diff"]


def test_empty_or_unchanged_examples_are_refused(kb: KnowledgeBase) -> None:
    assert kb.learning is not None
    for bad in (entry(after=BEFORE), entry(code=""), entry(message="")):
        try:
            kb.learning.record(bad)
        except ValueError as exc:
            assert "learned example" in str(exc)
        else:
            raise AssertionError(f"accepted {bad}")
    assert kb.learning.entries() == []


def test_learned_example_ranks_first_for_the_same_error(kb: KnowledgeBase) -> None:
    query = "cannot assign twice to immutable variable `count`"
    before = kb.search(query, "E0384")
    assert all(h.kind != "learned" for h in before.hits)
    FixKnowledge(kb).learn(
        LearnedFix(
            code="E0384",
            message=MESSAGE,
            rendered=MESSAGE,
            file=Path("src/lib.rs"),
            before=BEFORE,
            after=AFTER,
            source="applied",
            title="Make `total` mutable",
        )
    )
    after = kb.search(query, "E0384")
    assert after.hits[0].kind == "learned"
    assert after.hits[0].details["after"] == AFTER
    assert after.hits[0].details["source"] == "applied"
    # The fix engine's provider sees it too, for a diagnostic of that error.
    diagnostic = make_diagnostic(query, code="E0384")
    examples = FixKnowledge(kb).learned_examples(diagnostic)
    assert [e.after for e in examples] == [AFTER]
    # Other errors do not get it.
    assert (
        FixKnowledge(kb).learned_examples(
            make_diagnostic("borrow of moved value: `v`", code="E0382")
        )
        == []
    )


def test_success_count_orders_learned_examples(kb: KnowledgeBase) -> None:
    assert kb.learning is not None
    weak = entry(after=BEFORE.replace("let total = 0;", "let mut total = 0usize;"))
    kb.learning.record(weak)
    for _ in range(4):
        kb.learning.record(entry())
    hits = kb.search(MESSAGE, "E0384").of_kind("learned")
    assert [h.details["after"] for h in hits][:2] == [AFTER, weak.after]
    assert hits[0].details["success_count"] == 4


def test_learned_examples_survive_a_new_base(
    kb: KnowledgeBase, built_kb: BuildReport, user_kb: Path, embedder: Embedder
) -> None:
    assert kb.learning is not None
    kb.learning.record(entry())
    kb.close()
    reopened = KnowledgeBase.open(built_kb.path, user_kb, embedder)
    assert reopened.search(MESSAGE, "E0384").hits[0].kind == "learned"


def test_export_import_round_trip(kb: KnowledgeBase, tmp_path: Path, embedder: Embedder) -> None:
    assert kb.learning is not None
    kb.learning.record(entry())
    kb.learning.record(entry())
    kb.learning.record(entry(code="E0382", message="borrow of moved value: `cfg`",
                             before="let a = cfg;\nuse_it(cfg);\n",
                             after="let a = cfg.clone();\nuse_it(cfg);\n"))  # fmt: skip
    out = tmp_path / "export.jsonl"
    with out.open("w") as handle:
        assert export_jsonl(kb.learning, handle) == 2  # two distinct fixes
    other = LearningStore.open(tmp_path / "other.sqlite", embedder)
    with out.open() as handle:
        assert import_entries(other, parse_jsonl(handle)) == (2, 0)
    assert other.entries() == kb.learning.entries()
    # Importing the same file again changes nothing.
    with out.open() as handle:
        assert import_entries(other, parse_jsonl(handle)) == (0, 2)
    assert other.entries() == kb.learning.entries()


def test_bad_import_line_imports_nothing(tmp_path: Path) -> None:
    good = json.dumps({"code": "E0384", "message": MESSAGE, "before": BEFORE, "after": AFTER})
    for bad, expected in [
        ("{not json", "not JSON"),
        (json.dumps({"code": "E0384", "message": MESSAGE}), "`before`"),
        (json.dumps({**json.loads(good), "success_count": -2}), "success_count"),
        ("[1, 2]", "JSON object"),
    ]:
        try:
            parse_jsonl([good + "\n", bad + "\n"], "team.jsonl")
        except TransferError as exc:
            assert str(exc).startswith("team.jsonl:2:") and expected in str(exc)
        else:
            raise AssertionError(f"accepted {bad!r}")


WORKER = """
import sys
from pathlib import Path
from rustcoder.kb.learn import LearnedEntry, LearningStore
from rustcoder.models.embedder import Embedder
path, tag = Path(sys.argv[1]), sys.argv[2]
store = LearningStore.open(path, Embedder(threads=1))
print("ready", flush=True)
sys.stdin.readline()  # start together
for i in range(20):
    store.record(LearnedEntry(code="E0425", message=f"cannot find value `v{i}` in this scope",
        before=f"fn {tag}_{i}() {{ v{i} }}\\n", after=f"fn {tag}_{i}() {{ w{i} }}\\n"))
    store.record(LearnedEntry(code="E0308", message="mismatched types",
        before=f"let s{i}: String = x;\\n", after=f"let s{i}: String = x.to_string();\\n"))
print("done", flush=True)
"""


def test_two_processes_learning_at_once_lose_nothing(tmp_path: Path, embedder: Embedder) -> None:
    path = tmp_path / "shared.sqlite"
    LearningStore.open(path, embedder).close()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), tag],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("alpha", "beta")
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        out, err = worker.communicate(timeout=240)
        assert worker.returncode == 0, err
        assert "done" in out
    store = LearningStore.open(path, embedder)
    entries = store.entries()
    # 20 distinct fixes each (their own function names) + 20 shared ones seen twice.
    assert len(entries) == 60
    shared = [e for e in entries if e["code"] == "E0308"]
    assert len(shared) == 20 and all(e["success_count"] == 2 for e in shared)
    assert store.store.count("docs") == 60


def test_cli_add_stats_export_import(built_kb: BuildReport, tmp_path: Path) -> None:
    before, after = tmp_path / "before.rs", tmp_path / "after.rs"
    before.write_text(BEFORE)
    after.write_text(AFTER)
    base = ["kb", "--kb", str(built_kb.path)]
    env = {"RUSTCODER_USER_KB": str(tmp_path / "mine.sqlite")}
    rc, out, err = run_cli(*base, "add", "--code", "E0384", "--message", MESSAGE,
                           "--before", str(before), "--after", str(after), env=env)  # fmt: skip
    assert rc == 0 and "added" in out, err
    rc, out, err = run_cli(*base, "stats", "--json", env=env)
    stats = json.loads(out)
    assert stats["user"]["learned"] == 1 and stats["base"]["error_codes"] >= 400
    export = tmp_path / "team.jsonl"
    rc, _, err = run_cli(*base, "export", "--out", str(export), env=env)
    assert rc == 0 and "exported 1" in err
    theirs = {"RUSTCODER_USER_KB": str(tmp_path / "theirs.sqlite")}
    rc, out, _ = run_cli(*base, "import", str(export), env=theirs)
    assert rc == 0 and "imported 1 new" in out
    rc, out, _ = run_cli(*base, "search", MESSAGE, "--code", "E0384", env=theirs)
    assert rc == 0 and out.splitlines()[0].split()[1] == "[learned]"
    broken = tmp_path / "broken.jsonl"
    broken.write_text(export.read_text() + "{oops\n")
    rc, _, err = run_cli(*base, "import", str(broken), env=theirs)
    assert rc == 2 and "nothing imported" in err and "broken.jsonl:2:" in err


def test_corrupt_user_file_costs_only_learning(
    built_kb: BuildReport, tmp_path: Path, embedder: Embedder
) -> None:
    broken = tmp_path / "learned.sqlite"
    broken.write_bytes(b"\x00garbage" * 500)
    kb = KnowledgeBase.open(built_kb.path, broken, embedder)
    assert kb.learning is None and kb.base is not None
    assert any("learned examples unavailable" in p and str(broken) in p for p in kb.problems)
    assert kb.search("borrow of moved value: `q`", "E0382").hits
    FixKnowledge(kb).learn(
        LearnedFix("E0382", "m", "m", Path("a.rs"), "a", "b", "user")
    )  # nowhere to store it: ignored, no exception
    assert broken.read_bytes() == b"\x00garbage" * 500  # and the file is left as it was
