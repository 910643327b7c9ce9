"""The toolchain's documentation cut into passages: book sections and std API items.

Each passage keeps the local page and anchor it came from, so an answer can link
to the exact place (`file://.../book/ch09-02-....html#propagating-errors`).
Books (mdBook) are cut at their h1-h4 headings; std pages (rustdoc) give one
passage per item (declaration and top documentation) and one per method
(signature and first paragraph). Trait implementation sections are left out:
they repeat the trait's own documentation on every type.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from rustcoder.docs.html_text import inline_text, main_html, to_text

#: Directory under the html root → the book's name, as a reader knows it.
BOOKS: dict[str, str] = {
    "book": "The Rust Programming Language",
    "rust-by-example": "Rust by Example",
    "reference": "The Rust Reference",
    "cargo": "The Cargo Book",
    "error_codes": "Rust Compiler Error Index",
}
API_ROOTS = ("std",)
PASSAGE_CHARS = 1400
SKIPPED_PAGES = {"print.html", "toc.html", "404.html", "SUMMARY.html", "index.html"}
_HEADING = re.compile(r'<h([1-4]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)
_ITEM_H1 = re.compile(r"<h1>\s*(\w+)\s*(.*?)(?:&nbsp;|<button)", re.S)
_BREADCRUMBS = re.compile(r'<div class="rustdoc-breadcrumbs">(.*?)</div>', re.S)
_DECL = re.compile(r'<pre class="rust item-decl">(.*?)</pre>', re.S)
_TOP_DOC = re.compile(
    r'<details class="toggle top-doc"[^>]*>.*?<div class="docblock">(.*?)</details>', re.S
)
_METHOD = re.compile(
    r'<section id="((?:ty)?method)\.(\w+)"[^>]*>.*?<h4 class="code-header">(.*?)</h4>'
    r'(?:</section>\s*</summary>\s*<div class="docblock">(.*?)</div>)?',
    re.S,
)
_FIRST_PARA = re.compile(r"<p>(.*?)</p>", re.S)
_TRAIT_IMPLS = re.compile(
    r'id="(?:trait-implementations|synthetic-implementations|blanket-implementations|implementors)"'
)
_REDIRECT = re.compile(r'http-equiv="refresh"|<title>Redirecting', re.I)


@dataclass(frozen=True)
class Passage:
    source: str  # a BOOKS key or "std"
    title: str  # where it sits, for a reader: "The Rust Programming Language > ... > ..."
    path: str  # page path under the html root
    anchor: str  # fragment in the page ("" for the top)
    text: str
    item: str = ""  # API passages: the item's path, e.g. std::fs::File::open
    signature: str = ""

    @property
    def link(self) -> str:
        return f"{self.path}#{self.anchor}" if self.anchor else self.path


def docs_root(rustc: str = "rustc") -> Path | None:
    """The toolchain's html docs, or None when the rust-docs component is not installed."""
    try:
        sysroot = subprocess.run(
            [rustc, "--print", "sysroot"], capture_output=True, text=True, check=True, timeout=30
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    root = Path(sysroot) / "share" / "doc" / "rust" / "html"
    return root if (root / "std" / "index.html").is_file() else None


def book_passages(root: Path, book: str) -> Iterator[Passage]:
    """A book's sections, each cut into passages of about PASSAGE_CHARS."""
    for page in sorted((root / book).rglob("*.html")):
        if page.name not in SKIPPED_PAGES and not _translated(page, root / book):
            yield from book_page_passages(root, book, page)


def book_page_passages(root: Path, book: str, page: Path) -> Iterator[Passage]:
    """One mdBook page cut at its headings (nothing for a redirect page)."""
    raw = page.read_text(errors="replace")
    if _REDIRECT.search(raw[:2000]):
        return
    body = main_html(raw)
    rel = page.relative_to(root).as_posix()
    headings = list(_HEADING.finditer(body))
    if not headings:
        return
    page_title = inline_text(headings[0].group(3))
    for i, h in enumerate(headings):
        end = headings[i + 1].start() if i + 1 < len(headings) else len(body)
        heading = inline_text(h.group(3))
        text = to_text(body[h.end() : end])
        if len(text) < 40:
            continue
        trail = [page_title] if heading == page_title else [page_title, heading]
        title = " > ".join([BOOKS[book], *trail])
        for piece in _cut(text):
            yield Passage(book, title, rel, h.group(2), f"{heading}\n{piece}")


def api_passages(root: Path, crate: str = "std") -> Iterator[Passage]:
    """std's items and methods with their signatures and first paragraphs."""
    for page in sorted((root / crate).rglob("*.html")):
        kind = page.name.split(".", 1)[0]
        if kind not in ("index", "all", "sidebar-items") and page.name.count(".") >= 2:
            yield from api_page_passages(root, crate, page)


def api_page_passages(root: Path, crate: str, page: Path) -> Iterator[Passage]:
    """One rustdoc item page: the item, then each of its own methods."""
    body = main_html(page.read_text(errors="replace"))
    h1 = _ITEM_H1.search(body)
    if h1 is None:
        return
    crumbs = _BREADCRUMBS.search(body)
    module = inline_text(crumbs.group(1)) if crumbs else crate
    item = f"{module}::{inline_text(h1.group(2))}".replace(" ", "")
    cut = _TRAIT_IMPLS.search(body)
    own = body[: cut.start()] if cut else body
    rel = page.relative_to(root).as_posix()
    decl = _DECL.search(own)
    signature = to_text(decl.group(1))[:400] if decl else ""
    top = _TOP_DOC.search(own)
    doc = to_text(top.group(1)) if top else ""
    title = f"{h1.group(1)} {item}"
    yield Passage(crate, title, rel, "", _clip(f"{title}\n{signature}\n{doc}"), item, signature)
    seen: set[str] = set()
    for m in _METHOD.finditer(own):
        anchor = f"{m.group(1)}.{m.group(2)}"
        if anchor in seen:
            continue
        seen.add(anchor)
        sig = inline_text(m.group(3))
        para = _FIRST_PARA.search(m.group(4) or "")
        first = inline_text(para.group(1)) if para else ""
        name = f"{item}::{m.group(2)}"
        yield Passage(crate, name, rel, anchor, f"{name}\n{sig}\n{first}", name, sig)


def all_passages(root: Path) -> Iterator[Passage]:
    for book in BOOKS:
        if (root / book).is_dir():
            yield from book_passages(root, book)
    for crate in API_ROOTS:
        yield from api_passages(root, crate)


def _translated(page: Path, book_dir: Path) -> bool:
    """Pages of a translation (rust-by-example/ja/...): a sub-book with its own print.html."""
    parts = page.relative_to(book_dir).parts
    return len(parts) > 1 and (book_dir / parts[0] / "print.html").is_file()


def _cut(text: str) -> Iterator[str]:
    """Paragraph-aligned pieces of about PASSAGE_CHARS (a long section gives several)."""
    piece: list[str] = []
    size = 0
    for para in text.split("\n\n"):
        if size and size + len(para) > PASSAGE_CHARS:
            yield "\n\n".join(piece)
            piece, size = [], 0
        piece.append(para[: PASSAGE_CHARS * 2])
        size += len(para)
    if piece:
        yield "\n\n".join(piece)


def _clip(text: str) -> str:
    return text if len(text) <= PASSAGE_CHARS else text[:PASSAGE_CHARS].rsplit(" ", 1)[0] + " …"
