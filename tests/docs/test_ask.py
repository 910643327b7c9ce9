"""`rustcoder ask` over the shipped base: passages with local links, a grounded model answer."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

from rustcoder.docs.ask import ask
from rustcoder.docs.index import DocIndex
from rustcoder.kb import locate
from rustcoder.kb.cli import stale_reason
from rustcoder.kb.store import KbStore
from rustcoder.models.openai_backend import OpenAIBackend
from tests.models.openai_server import FakeOpenAI


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "rustcoder", *args], capture_output=True, text=True, timeout=120
    )


def test_the_shipped_base_indexes_books_and_std(shipped_index: DocIndex) -> None:
    assert shipped_index.count() > 10_000
    sources = {
        row[0] for row in shipped_index.conn.execute("SELECT DISTINCT source FROM doc_passages")
    }
    assert {"book", "rust-by-example", "reference", "cargo", "error_codes", "std"} <= sources


def test_ask_cli_finds_the_page_and_links_to_the_local_file(html_root: Path) -> None:
    proc = run_cli("ask", "How do I read a file line by line?", "--json")
    assert proc.returncode == 0, proc.stderr
    answer = json.loads(proc.stdout)
    pages = [p["page"] for p in answer["passages"]]
    assert len(pages) == 3
    assert {"rust-by-example/std_misc/file/read_lines.html", "std/io/trait.BufRead.html"} & set(
        pages
    ), pages
    for passage in answer["passages"]:
        link = passage["link"]
        assert link.startswith("file://")
        assert Path(link.removeprefix("file://").split("#", 1)[0]).is_file()
    assert answer["answer"] == "" and answer["model"] == ""


def test_ask_cli_prints_markdown_with_numbered_sources() -> None:
    proc = run_cli("ask", "What does error E0502 mean?")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("# What does error E0502 mean?")
    assert "## [1] [" in proc.stdout and "error_codes/E0502.html" in proc.stdout


def test_api_lookup_by_name_gives_the_real_signature(shipped_index: DocIndex) -> None:
    found = shipped_index.lookup("File::open")
    assert found and found[0].item == "std::fs::File::open"
    assert found[0].signature.startswith("pub fn open<P: AsRef<Path>>(path: P)")
    assert shipped_index.lookup("File::opne") == []


def test_a_base_without_docs_says_how_to_get_them(tmp_path: Path) -> None:
    copy = tmp_path / "kb.sqlite"
    shutil.copy(locate.base_path(), copy)
    store = KbStore.open(copy)
    store.conn.execute("DELETE FROM doc_passages")
    store.conn.execute("INSERT INTO doc_passages_fts (doc_passages_fts) VALUES ('rebuild')")
    store.conn.commit()
    answer = ask("How do I read a file?", DocIndex(store.conn), html_root=None)
    store.close()
    assert answer.hits == []
    assert any("rustup component add rust-docs" in p for p in answer.problems)
    assert "No passage" in answer.markdown()


def test_with_a_model_the_answer_cites_the_passages_it_was_given(
    shipped_index: DocIndex, html_root: Path
) -> None:
    with FakeOpenAI() as server:
        server.script("Wrap the file in a `BufReader` and call `lines()` [1].")
        model = OpenAIBackend(base_url=server.url, model="fake-coder")
        answer = ask(
            "How do I read a file line by line?", shipped_index, html_root=html_root, model=model
        )
        sent = server.chat_requests()[-1].body["messages"]
    assert answer.text.endswith("[1].") and answer.model
    prompt = sent[-1]["content"]
    # The model saw the very passages the answer lists, numbered as cited.
    for i, hit in enumerate(answer.hits, 1):
        assert f"[{i}] {hit.passage.title}" in prompt
    assert "BufRead" in prompt or "read_lines" in prompt
    assert "Answered by" in answer.markdown() and "## [1]" in answer.markdown()


def test_a_base_built_without_docs_is_stale_once_docs_are_installed(
    tmp_path: Path, html_root: Path
) -> None:
    copy = tmp_path / "kb.sqlite"
    shutil.copy(locate.base_path(), copy)
    store = KbStore.open(copy)
    store.conn.execute("UPDATE meta SET value = 'not installed' WHERE key = 'docs'")
    store.conn.commit()
    store.close()
    assert stale_reason(copy, "rustc") == "the toolchain's docs are installed now"
