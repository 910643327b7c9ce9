"""The shared base end to end: other processes, idempotent events, provenance, forget, import."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

from rustcoder.cli import main
from rustcoder.fix.knowledge import FixKnowledge
from rustcoder.fix.learning_tracker import LearnedFix
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.learn import LearnedEntry
from rustcoder.kb.pg_local import free_port
from rustcoder.kb.shared_pg import LearnEvent
from rustcoder.kb.shared_queue import Outbox
from tests.shared_kb.conftest import NO_BASE, example, problems, psql


def cli(*args: str, user: Path, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """`rustcoder kb …` in another process (what a teammate's machine does)."""
    done = subprocess.run(
        [sys.executable, "-m", "rustcoder", "kb", "--kb", str(NO_BASE), "--user-kb", str(user),
         *args],
        capture_output=True, text=True, timeout=300, check=False,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    return done.returncode, done.stdout, done.stderr


@pytest.fixture
def kb_cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., tuple[int, str, str]]:
    """`rustcoder kb …` in this process: the same code path, without loading the model again."""

    def run(*args: str, user: Path, shared: str = "") -> tuple[int, str, str]:
        capsys.readouterr()
        extra = ["--shared", shared] if shared else []
        rc = main(["kb", "--kb", str(NO_BASE), "--user-kb", str(user), *extra, *args])
        out, err = capsys.readouterr()
        return rc, out, err

    return run


def test_learned_in_one_process_is_found_from_another(
    shared_url: str, tmp_path: Path, kb_cli: Callable[..., tuple[int, str, str]]
) -> None:
    ex = example(7)
    (tmp_path / "before.rs").write_text(ex.before)
    (tmp_path / "after.rs").write_text(ex.after)
    env = {"RUSTCODER_KB_SHARED": shared_url, "RUSTCODER_CONTRIBUTOR": "team-a-42"}
    files = ["--before", str(tmp_path / "before.rs"), "--after", str(tmp_path / "after.rs")]
    rc, out, err = cli("add", "--code", ex.code, "--message", ex.message, *files,
                       "--title", ex.title, user=tmp_path / "a.sqlite", env=env)  # fmt: skip
    assert rc == 0, err
    assert "sent 1 learn event(s) to the shared base" in out
    # Another process, another learned file: the example comes from the shared base.
    query = "cannot borrow `other` as mutable, as it is not declared as mutable"
    env = {"RUSTCODER_KB_SHARED": shared_url}
    rc, out, err = cli("search", query, "--code", "E0596", "--json", user=tmp_path / "b.sqlite",
                       env=env)  # fmt: skip
    assert rc == 0, err
    learned = [h for h in json.loads(out)["hits"] if h["kind"] == "learned"]
    assert len(learned) == 1 and learned[0]["origin"] == "shared"
    details = learned[0]["details"]
    assert details["after"] == ex.after and details["contributor"] == "team-a-42"
    assert details["rustc"].startswith("rustc ")
    rc, out, _ = kb_cli("stats", "--json", user=tmp_path / "b.sqlite", shared=shared_url)
    shared = json.loads(out)["shared"]
    assert (shared["learned"], shared["contributors"], shared["queued"]) == (1, 1, 0)
    assert shared["schema_version"] >= 2


def test_an_event_sent_again_counts_once(
    shared_url: str, open_kb: Callable[..., KnowledgeBase], embedder: object
) -> None:
    kb = open_kb("a", shared_url, send=False)
    assert kb.shared is not None
    _, _, key = kb.learn_entry(example(1))
    assert key is not None
    assert kb.flush_shared() == (1, None)
    # The acknowledgement was lost (a crash before the queue row was deleted): the same
    # event is in a queue again, here another process's, and is sent again.
    other = open_kb("b", shared_url, send=False)
    assert other.shared is not None
    vector = kb.embedder.embed_one(example(1).message)
    other.shared.outbox.put(LearnEvent(example(1), vector, other.shared.provenance(), key))
    other.shared.outbox.put(LearnEvent(example(1), vector, other.shared.provenance(), key))
    assert other.shared.outbox.pending() == 1  # the same key is queued once
    assert other.flush_shared() == (1, None)
    assert other.shared.outbox.pending() == 0
    rows = psql(shared_url, "SELECT success_count FROM kb_learned")
    assert rows == [(1,)]
    # The same fix learned again (a new event) raises the count.
    kb.learn_entry(example(1))
    kb.flush_shared()
    assert psql(shared_url, "SELECT success_count FROM kb_learned") == [(2,)]
    assert psql(shared_url, "SELECT count(*) FROM kb_events") == [(2,)]


def test_the_sender_thread_delivers_without_being_asked(
    shared_url: str, open_kb: Callable[..., KnowledgeBase]
) -> None:
    kb = open_kb("a", shared_url)
    for i in range(5):
        kb.learn_entry(example(i))
    deadline = time.monotonic() + 30
    while psql(shared_url, "SELECT count(*) FROM kb_learned")[0][0] < 5:
        assert time.monotonic() < deadline, "the sender did not deliver"
        time.sleep(0.1)
    assert kb.shared is not None and kb.shared.outbox.pending() == 0


def test_a_hit_learned_here_and_shared_is_shown_once(
    shared_url: str, open_kb: Callable[..., KnowledgeBase]
) -> None:
    kb = open_kb("a", shared_url, send=False)
    kb.learn_entry(example(4))
    kb.flush_shared()
    hits = kb.search(example(4).message, "E0596", filter_code=True).of_kind("learned")
    assert len(hits) == 1
    assert hits[0].origin == "shared"  # equal rank: the team's copy, with the team's count


def test_provenance_records_the_crate_edition_and_rustc(
    shared_url: str, open_kb: Callable[..., KnowledgeBase], tmp_path: Path
) -> None:
    crate = tmp_path / "ws"
    (crate / "member" / "src").mkdir(parents=True)
    (crate / "Cargo.toml").write_text(
        '[workspace]\nmembers = ["member"]\n[workspace.package]\nedition = "2018"\n'
    )
    (crate / "member" / "Cargo.toml").write_text(
        '[package]\nname = "member"\nversion = "0.1.0"\nedition.workspace = true\n'
    )
    ex = example(9)
    kb = open_kb("a", shared_url, send=False)
    FixKnowledge(kb).learn(
        LearnedFix(ex.code, ex.message, ex.message, crate / "member" / "src" / "main.rs",
                   ex.before, ex.after, "applied", ex.title)
    )  # fmt: skip
    kb.flush_shared()
    rows = psql(shared_url, "SELECT edition, rustc, contributor, source FROM kb_learned")
    assert len(rows) == 1
    edition, rustc, contributor, source = rows[0]
    assert edition == "2018" and str(rustc).startswith("rustc ") and source == "applied"
    assert contributor == psql(shared_url, "SELECT contributor FROM kb_events")[0][0] != ""


def test_forget_removes_a_shared_example_for_good(
    shared_url: str,
    open_kb: Callable[..., KnowledgeBase],
    tmp_path: Path,
    kb_cli: Callable[..., tuple[int, str, str]],
) -> None:
    kb = open_kb("a", shared_url, send=False)
    _, _, key = kb.learn_entry(example(5))
    kb.flush_shared()
    shared_id = psql(shared_url, "SELECT id FROM kb_learned")[0][0]
    rc, out, err = kb_cli(
        "forget", f"shared:{shared_id}", user=tmp_path / "c.sqlite", shared=shared_url
    )
    assert rc == 0, err
    assert f"forgot shared:{shared_id} (E0596:" in out
    assert psql(shared_url, "SELECT count(*) FROM kb_learned") == [(0,)]
    rc, _, err = kb_cli(
        "forget", f"shared:{shared_id}", user=tmp_path / "c.sqlite", shared=shared_url
    )
    assert rc == 1 and "no learned example" in err
    # A late resend of the forgotten example's event does not bring it back.
    assert kb.shared is not None
    vector = kb.embedder.embed_one(example(5).message)
    kb.shared.outbox.put(LearnEvent(example(5), vector, kb.shared.provenance(), str(key)))
    kb.flush_shared()
    assert psql(shared_url, "SELECT count(*) FROM kb_learned") == [(0,)]
    # The user's own copy goes with `user:N`.
    local = kb.search(example(5).message, "E0596", filter_code=True).of_kind("learned")
    assert [h.origin for h in local] == ["user"]
    assert kb.learning is not None
    rc, out, err = kb_cli("forget", local[0].id, user=kb.learning.store.path, shared=shared_url)
    assert rc == 0, err
    assert not kb.search(example(5).message, "E0596", filter_code=True).of_kind("learned")
    rc, _, err = kb_cli("forget", "shared:x", user=tmp_path / "c.sqlite", shared=shared_url)
    assert rc == 2 and "not an example id" in err


def test_an_export_imports_into_the_shared_base_all_or_nothing(
    shared_url: str,
    open_kb: Callable[..., KnowledgeBase],
    tmp_path: Path,
    kb_cli: Callable[..., tuple[int, str, str]],
) -> None:
    kb = open_kb("a", "", send=False)  # a teammate without the shared base
    for i in range(3):
        kb.learn_entry(example(i))
    kb.close()
    user = tmp_path / "a" / "learned.sqlite"
    d = tmp_path / "d.sqlite"
    export = tmp_path / "team.jsonl"
    assert kb_cli("export", "--out", str(export), user=user)[0] == 0
    rc, out, err = kb_cli("import", str(export), "--to-shared", user=d, shared=shared_url)
    assert rc == 0, err
    assert "imported 3 new example(s) into the shared base, 0 already known" in out
    rc, out, _ = kb_cli("import", str(export), "--to-shared", user=d, shared=shared_url)
    assert "imported 0 new example(s) into the shared base, 3 already known" in out
    assert psql(shared_url, "SELECT sum(success_count) FROM kb_learned") == [(3,)]
    broken = tmp_path / "broken.jsonl"
    broken.write_text(export.read_text().replace('"code": "E0596"', '"code": ""', 1))
    before = psql(shared_url, "SELECT count(*) FROM kb_learned")
    rc, _, err = kb_cli("import", str(broken), "--to-shared", user=d, shared=shared_url)
    assert rc == 2 and "nothing imported" in err and ":1:" in err
    assert psql(shared_url, "SELECT count(*) FROM kb_learned") == before
    rc, out, _ = kb_cli("export", "--from-shared", user=d, shared=shared_url)
    assert rc == 0 and len(out.splitlines()) == 3


def test_an_unreachable_base_leaves_search_and_learning_local(
    open_kb: Callable[..., KnowledgeBase],
    tmp_path: Path,
    kb_cli: Callable[..., tuple[int, str, str]],
) -> None:
    dead = f"postgresql://postgres@127.0.0.1:{free_port()}/nowhere"
    started = time.monotonic()
    kb = open_kb("a", dead, send=False)
    assert time.monotonic() - started < 10
    assert any("unreachable" in p and "queued" in p for p in problems(kb)), kb.problems
    learned_id, _, key = kb.learn_entry(example(2))
    assert key is not None
    started = time.monotonic()
    hits = kb.search(example(2).message, "E0596").of_kind("learned")
    assert time.monotonic() - started < 2  # the breaker is open: no waiting on the dead base
    assert [h.id for h in hits] == [f"user:{learned_id}"]
    rc, _, err = kb_cli("sync", user=tmp_path / "a" / "learned.sqlite", shared=dead)
    assert rc == 2 and "1 event(s) stay queued" in err


def test_a_slow_base_is_skipped_by_searches_until_it_answers_again(
    shared_url: str, open_kb: Callable[..., KnowledgeBase]
) -> None:
    import psycopg

    learner = open_kb("a", shared_url, send=False)
    learner.learn_entry(example(4))
    assert learner.flush_shared() == (1, None)
    replica = open_kb("b", shared_url)
    ex = example(4)

    def shared_hits() -> list[str]:
        return [h.id for h in replica.search(ex.message, ex.code).hits if h.origin == "shared"]

    assert len(shared_hits()) == 1
    with psycopg.connect(shared_url) as locker:  # a transaction holding the table: searches wait
        locker.execute("LOCK TABLE kb_learned IN ACCESS EXCLUSIVE MODE")
        assert shared_hits() == []  # answered without the shared base, the lock still held
        assert replica.shared is not None and "longer than" in str(replica.shared.kb.last_error)
        assert shared_hits() == []  # skipped at once now: its breaker is open
        locker.rollback()
    deadline = time.monotonic() + 30
    while not shared_hits():
        assert time.monotonic() < deadline, replica.shared.kb.last_error
        time.sleep(0.2)


def test_an_event_the_base_refuses_is_kept_aside_and_the_others_are_stored(
    shared_url: str, open_kb: Callable[..., KnowledgeBase]
) -> None:
    kb = open_kb("a", shared_url, send=False)
    bad = example(5)
    bad = LearnedEntry(bad.code, bad.message + "\x00", bad.before, bad.after)  # NUL: not text
    kb.learn_entry(bad)
    kb.learn_entry(example(6))
    assert kb.flush_shared() == (1, None)
    assert kb.shared is not None
    assert kb.shared.status()["queued"] == 0 and kb.shared.status()["kept_aside"] == 1
    (why,) = kb.shared.outbox.conn.execute("SELECT broken FROM shared_outbox").fetchone()
    assert "refused by the shared base" in why and "NUL" in why
    assert psql(shared_url, "SELECT count(*) FROM kb_learned") == [(1,)]


def test_a_queued_event_with_a_broken_payload_is_kept_aside(
    shared_url: str, open_kb: Callable[..., KnowledgeBase]
) -> None:
    kb = open_kb("a", shared_url, send=False)
    assert kb.shared is not None
    outbox: Outbox = kb.shared.outbox
    outbox.conn.execute(
        "INSERT INTO shared_outbox (event_key, payload, queued_at) VALUES (?, ?, ?)",
        ("00000000-0000-4000-8000-000000000000", "{not json", "2026-12-04T00:00:00Z"),
    )
    kb.learn_entry(example(1))
    assert kb.flush_shared() == (1, None)
    broken = outbox.conn.execute("SELECT broken FROM shared_outbox").fetchall()
    assert len(broken) == 1 and broken[0][0]
    assert np.isfinite(outbox.pending()) and outbox.pending() == 0
