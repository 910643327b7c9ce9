"""The built knowledge base: every rustc error code, every curated recipe, reproducible."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from rustcoder.kb import db
from rustcoder.kb.builder import BuildReport, build, pattern_text
from rustcoder.kb.knowledge_base import KnowledgeBase
from rustcoder.kb.recipe_data import load_recipes
from rustcoder.kb.schema import SCHEMA_VERSION
from rustcoder.kb.store import KbStore
from rustcoder.models.embedder import Embedder
from tests.kb.conftest import limited_rustc


def _rustc_codes() -> set[str]:
    """The codes the local rustc explains, found independently of the builder."""
    sysroot = subprocess.run(
        ["rustc", "--print", "sysroot"], capture_output=True, text=True, check=True
    ).stdout.strip()
    docs = Path(sysroot) / "share" / "doc" / "rust" / "html" / "error_codes"
    if docs.is_dir():
        return {p.stem for p in docs.glob("E[0-9][0-9][0-9][0-9].html")}

    def explains(code: str) -> bool:
        done = subprocess.run(["rustc", "--explain", code], capture_output=True, check=False)
        return done.returncode == 0

    codes = [f"E{n:04d}" for n in range(1, 1000)]
    with ThreadPoolExecutor(8) as pool:
        return {c for c, ok in zip(codes, pool.map(explains, codes), strict=True) if ok}


def test_every_error_code_of_the_local_rustc_is_present(built_kb: BuildReport) -> None:
    store = KbStore.open(built_kb.path, readonly=True)
    stored = {row[0] for row in store.conn.execute("SELECT code FROM error_codes")}
    expected = _rustc_codes()
    assert len(expected) > 400
    assert stored == expected
    assert built_kb.codes == len(expected)
    # Each is searchable: one indexed text per code.
    indexed = store.conn.execute("SELECT count(*) FROM docs WHERE entry_kind = 'code'").fetchone()
    assert indexed[0] == len(expected)


def test_explanations_are_rustcs_text_with_examples_split(built_kb: BuildReport) -> None:
    kb = KnowledgeBase.open(built_kb.path, learn=False)
    found = kb.explain("e0382")
    assert found is not None
    rustc = subprocess.run(
        ["rustc", "--explain", "E0382"], capture_output=True, text=True, check=True
    ).stdout
    assert found.explanation.strip() == rustc.strip()
    assert found.title == "A variable was used after its contents have been moved elsewhere."
    assert found.erroneous and found.corrected
    assert "borrowed" not in found.excerpt(10_000).splitlines()[0]
    assert kb.explain("E9999") is None


def test_erroneous_example_really_fails_with_its_code(
    built_kb: BuildReport, tmp_path: Path
) -> None:
    kb = KnowledgeBase.open(built_kb.path, learn=False)
    found = kb.explain("E0499")
    assert found is not None
    source = tmp_path / "example.rs"
    code = found.erroneous[0]
    # As rustdoc does: a snippet without `fn main` is the body of one.
    source.write_text(code if "fn main" in code else f"fn main() {{\n{code}\n}}\n")
    done = subprocess.run(
        ["rustc", "--edition=2021", "--emit=metadata", "-o",
         str(tmp_path / "out"), str(source)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert done.returncode != 0
    assert "E0499" in done.stderr


def test_every_curated_recipe_is_stored_with_its_structured_edit(built_kb: BuildReport) -> None:
    specs = load_recipes()
    assert len(specs) >= 40
    store = KbStore.open(built_kb.path, readonly=True)
    rows = {
        r[0]: r
        for r in store.conn.execute(
            "SELECT id, code, kind, params, title, before, after, example_messages FROM recipes"
        )
    }
    assert set(rows) == {s.id for s in specs}
    for spec in specs:
        _, code, kind, params, title, before, after, messages = rows[spec.id]
        assert (code, kind, title, before, after) == (
            spec.code,
            spec.kind,
            spec.title,
            spec.before,
            spec.after,
        )
        assert json.loads(params) == spec.params
        # rustc reports the recipe's own code on its worked example.
        assert json.loads(messages), f"{spec.id}: rustc reported no {spec.code} on its example"
        # Each recipe is indexed: its title text, its pattern text and its messages.
        docs = store.conn.execute(
            "SELECT count(*) FROM docs WHERE entry_kind = 'recipe' AND entry_id = ?", (spec.id,)
        ).fetchone()[0]
        assert docs >= 3


def test_pattern_text_turns_a_regex_into_words() -> None:
    text = pattern_text(r"cannot borrow `(?P<name>\w+)` as mutable(?: more than once)?")
    assert text == "cannot borrow `name` as mutable more than once"
    assert pattern_text(r"the `\?` operator") == "the `?` operator"


def test_build_is_reproducible_and_follows_its_inputs(tmp_path: Path, embedder: Embedder) -> None:
    rustc = limited_rustc(tmp_path / "bin", ["E0382", "E0499", "E0308"])
    specs = [s for s in load_recipes() if s.code in ("E0382", "E0499")][:3]
    first = build(tmp_path / "a.sqlite", rustc=str(rustc), recipes=specs, embedder=embedder,
                  cache_dir=None)  # fmt: skip
    second = build(tmp_path / "b.sqlite", rustc=str(rustc), recipes=specs, embedder=embedder,
                   cache_dir=tmp_path / "cache")  # fmt: skip
    assert first.codes == 3 and first.recipes == len(specs)
    assert first.digest == second.digest
    changed = build(tmp_path / "c.sqlite", rustc=str(rustc), recipes=specs[:-1],
                    embedder=embedder, cache_dir=tmp_path / "cache")  # fmt: skip
    assert changed.digest != first.digest
    # A base built from other recipes than the shipped ones says it is out of date.
    stale = KnowledgeBase.open(tmp_path / "a.sqlite", learn=False, embedder=embedder)
    assert stale.base is not None
    assert any("out of date" in p and "rustcoder kb build" in p for p in stale.problems)
    # No leftovers beside the output (it is written aside and renamed into place).
    assert sorted(p.name for p in tmp_path.glob("*.sqlite*")) == [
        "a.sqlite",
        "b.sqlite",
        "c.sqlite",
    ]


def test_rebuild_replaces_an_open_base_atomically(tmp_path: Path, embedder: Embedder) -> None:
    rustc = limited_rustc(tmp_path / "bin", ["E0382"])
    out = tmp_path / "kb.sqlite"
    build(out, rustc=str(rustc), recipes=[], embedder=embedder, cache_dir=None)
    reader = KbStore.open(out, readonly=True)
    build(out, rustc=str(rustc), recipes=[], embedder=embedder, cache_dir=None)
    # The old reader still sees a whole database (the file was replaced, not rewritten).
    assert reader.count("error_codes") == 1
    assert KbStore.open(out, readonly=True).count("error_codes") == 1


# --- faults -----------------------------------------------------------------------


@pytest.fixture
def kb_copy(built_kb: BuildReport, tmp_path: Path) -> Path:
    target = tmp_path / "copy.sqlite"
    shutil.copyfile(built_kb.path, target)
    return target


def test_truncated_base_gives_a_clear_error_naming_the_rebuild(kb_copy: Path) -> None:
    data = kb_copy.read_bytes()
    kb_copy.write_bytes(data[: len(data) // 3])
    with pytest.raises(db.KbCorruptError, match=re.escape("rustcoder kb build")):
        KbStore.open(kb_copy, readonly=True)


def test_garbage_file_gives_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "kb.sqlite"
    bad.write_bytes(b"this is not a database, it is a note\n" * 200)
    with pytest.raises(db.KbError, match=re.escape("rustcoder kb build")):
        KbStore.open(bad, readonly=True)


def test_newer_schema_is_refused_clearly(kb_copy: Path) -> None:
    conn = db.sqlite.connect(str(kb_copy))
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(db.KbSchemaError, match="newer than this rustcoder"):
        KbStore.open(kb_copy, readonly=True)
    with pytest.raises(db.KbSchemaError):
        KbStore.open(kb_copy)  # writable: still refused, and nothing migrated
    conn = db.sqlite.connect(str(kb_copy))
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_faulty_base_leaves_the_rest_working(
    kb_copy: Path, user_kb: Path, embedder: Embedder
) -> None:
    kb_copy.write_bytes(kb_copy.read_bytes()[:5000])
    kb = KnowledgeBase.open(kb_copy, user_kb, embedder)
    assert kb.base is None and kb.learning is not None
    assert any("rustcoder kb build" in p for p in kb.problems)
    assert kb.explain("E0382") is None
    assert kb.search("borrow of moved value: `x`", "E0382").hits == []
    missing = KnowledgeBase.open(kb_copy.with_name("absent.sqlite"), user_kb, embedder)
    assert any("rustcoder kb build --out" in p for p in missing.problems)


def test_cli_build_explain_and_clear_errors(
    tmp_path: Path, built_kb: BuildReport, kb_cache_dir: Path
) -> None:
    from tests.kb.conftest import run_cli

    rustc = limited_rustc(tmp_path / "bin", ["E0382", "E0499"])
    # The CLI caches under $XDG_CACHE_HOME/rustcoder: share the session's cache.
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "rustcoder").symlink_to(kb_cache_dir)
    env = {"XDG_CACHE_HOME": str(tmp_path / "xdg"), "RUSTCODER_USER_KB": str(tmp_path / "u.db")}
    out = tmp_path / "built.sqlite"
    rc, stdout, stderr = run_cli("kb", "build", "--out", str(out), "--rustc", str(rustc), env=env)
    assert rc == 0, stderr
    assert f"wrote {out}: 2 error codes" in stdout
    rc, stdout, _ = run_cli("kb", "--kb", str(out), "explain", "E0499", env=env)
    assert rc == 0 and stdout.startswith("A variable was borrowed as mutable more than once.")
    rc, _, stderr = run_cli("kb", "--kb", str(out), "explain", "E0308", env=env)
    assert rc == 1 and "E0308 is not an error code this rustc knows" in stderr
    missing = tmp_path / "absent.sqlite"
    rc, _, stderr = run_cli("kb", "--kb", str(missing), "explain", "E0499", env=env)
    assert rc == 2 and f"rustcoder kb build --out {missing}" in stderr
    out.write_bytes(out.read_bytes()[:2048])
    rc, _, stderr = run_cli("kb", "--kb", str(out), "explain", "E0499", env=env)
    assert rc == 2 and "corrupt" in stderr and "rustcoder kb build" in stderr
    # --if-stale: the session's base is current; a broken or missing file is rebuilt.
    rc, stdout, _ = run_cli("kb", "build", "--if-stale", "--out", str(built_kb.path), env=env)
    assert rc == 0 and stdout.strip() == f"{built_kb.path} is up to date"
    rc, stdout, _ = run_cli("kb", "build", "--if-stale", "--out", str(out), "--rustc", str(rustc),
                            env=env)  # fmt: skip
    assert rc == 0 and "rebuilding" in stdout and "corrupt" in stdout and "wrote" in stdout
    rc, _, stderr = run_cli("kb", "build", "--out", str(tmp_path / "x.sqlite"), "--rustc",
                            str(tmp_path / "no-such-rustc"), env=env)  # fmt: skip
    assert rc == 2 and "build failed" in stderr
    assert not (tmp_path / "x.sqlite").exists()
