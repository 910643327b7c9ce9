"""The toolchain's real HTML pages cut into passages: anchors, code, std signatures."""

from __future__ import annotations

from pathlib import Path

from rustcoder.docs.html_text import to_text
from rustcoder.docs.passages import (
    api_page_passages,
    book_page_passages,
    book_passages,
)


def test_a_book_section_keeps_its_anchor_title_and_indented_code(html_root: Path) -> None:
    page = html_root / "book" / "ch09-02-recoverable-errors-with-result.html"
    passages = list(book_page_passages(html_root, "book", page))
    by_anchor = {p.anchor: p for p in passages}
    assert "the--operator-shortcut" in by_anchor, sorted(by_anchor)
    shortcut = by_anchor["the--operator-shortcut"]
    assert shortcut.title.startswith("The Rust Programming Language > Recoverable Errors")
    assert shortcut.link == f"{shortcut.path}#{shortcut.anchor}"
    assert shortcut.path == "book/ch09-02-recoverable-errors-with-result.html"
    # Code keeps its indentation inside a fence; hidden (boring) lines are gone.
    text = "\n".join(p.text for p in passages)
    assert "```" in text and "\n    let " in text
    assert "#![allow(unused)]" not in text


def test_translations_and_redirect_pages_are_left_out(html_root: Path) -> None:
    paths = {p.path for p in book_passages(html_root, "rust-by-example")}
    assert "rust-by-example/std_misc/file/read_lines.html" in paths
    assert not any(p.startswith(("rust-by-example/ja/", "rust-by-example/zh/")) for p in paths)
    book = {p.path for p in book_passages(html_root, "book")}
    # ch17-00-oop.html is a redirect stub in this edition of the book.
    redirect = html_root / "book" / "ch17-00-oop.html"
    if redirect.is_file() and "refresh" in redirect.read_text(errors="replace")[:2000]:
        assert "book/ch17-00-oop.html" not in book


def test_a_std_item_page_gives_the_item_and_its_own_methods(html_root: Path) -> None:
    page = html_root / "std" / "fs" / "struct.File.html"
    passages = list(api_page_passages(html_root, "std", page))
    item = passages[0]
    assert item.item == "std::fs::File" and item.title == "Struct std::fs::File"
    assert "pub struct File" in item.signature
    open_ = next(p for p in passages if p.item == "std::fs::File::open")
    assert open_.anchor == "method.open"
    assert open_.signature.startswith("pub fn open<P: AsRef<Path>>(path: P) -> Result<File>")
    assert "read-only mode" in open_.text
    # Trait implementations (Read for File, ...) repeat the trait's docs: not indexed here.
    assert not any(p.item == "std::fs::File::read_to_end" for p in passages)


def test_html_to_text_unescapes_and_separates_blocks() -> None:
    html = "<p>a &lt;b&gt;</p><p>c</p><pre><code>fn f() {\n    1\n}</code></pre>"
    assert to_text(html) == "a <b>\n\nc\n\n```\nfn f() {\n    1\n}\n```"
