"""std's public API read from the toolchain's rustdoc pages (the `rust-docs` component).

rust-src is usually not installed, while rustup's default profile ships the
rendered std docs; their markup is regular enough to read items, methods with
signatures and receivers, fields, variants and trait impls with regular
expressions (a DOM parser over 120 MB of pages takes minutes). Methods marked
unstable (nightly-only) or deprecated are left out: a fix must build on stable
and should not steer the user to a deprecated name. Methods a type gets only
through a trait impl are not listed under the type; the trait impls are
recorded, so a lookup can take the trait's own methods.
"""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

from rustcoder.apiindex.api_items import ApiItem, CrateApi, TypeImpl
from rustcoder.docs.html_text import inline_text, main_html, to_text
from rustcoder.docs.passages import docs_root

#: rustdoc page prefix -> the kind the index records.
PAGE_KINDS = {
    "struct": "struct",
    "enum": "enum",
    "trait": "trait",
    "fn": "fn",
    "macro": "macro",
    "constant": "const",
    "static": "static",
    "type": "type",
    "primitive": "primitive",
    "union": "union",
}
#: Bump when what is read from a page changes (cached entries are then rebuilt).
STD_INDEXER_VERSION = "1"

_H1 = re.compile(r"<h1>\s*(\w[\w ]*?)\s*<span[^>]*>(.*?)</span>", re.S)
_BREADCRUMBS = re.compile(r'<div class="rustdoc-breadcrumbs">(.*?)</div>', re.S)
_DECL = re.compile(r'<pre class="rust item-decl">(.*?)</pre>', re.S)
_TOP_DOC = re.compile(
    r'<details class="toggle top-doc"[^>]*>.*?<div class="docblock">(.*?)</div>', re.S
)
_METHOD = re.compile(
    r'<section id="((?:ty)?method)\.(\w+)"[^>]*>.*?<h4 class="code-header">(.*?)</h4>', re.S
)
_FIELD = re.compile(r'<span id="structfield\.(\w+)"[^>]*>.*?<code>(.*?)</code></span>', re.S)
_VARIANT = re.compile(
    r'<section id="variant\.(\w+)"[^>]*>.*?<h3 class="code-header">(.*?)</h3>', re.S
)
_IMPL_HEADER = re.compile(
    r'<section id="impl-[^"]*" class="impl">.*?<h3 class="code-header">(.*?)</h3>', re.S
)
_FIRST_PARA = re.compile(r'<div class="docblock">\s*<p>(.*?)</p>', re.S)
_NEXT_ENTRY = re.compile(r"<section id=|<details class=\"toggle")
_TRAIT_IMPLS = re.compile(
    r'id="(?:trait-implementations|synthetic-implementations|blanket-implementations|implementors)"'
)
_DEREF_METHODS = re.compile(r'<h2 id="deref-methods-[^"]*"')
_RECEIVER = re.compile(r"\(\s*((?:&(?:'\w+\s+)?(?:mut\s+)?)?(?:mut\s+)?self)\b")
_TRAIT_OF_IMPL = re.compile(r"^impl(?:<.*?>)?\s+!?([\w:]+)(?:<.*?>)?\s+for\s", re.S)


def toolchain_version(rustc: str = "rustc") -> tuple[str, str]:
    """(release, commit hash) of the toolchain: the std index is cached per toolchain."""
    try:
        out = subprocess.run(
            [rustc, "-vV"], capture_output=True, text=True, check=True, timeout=30
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown", ""
    fields = dict(line.split(": ", 1) for line in out.splitlines() if ": " in line)
    return fields.get("release", "unknown"), fields.get("commit-hash", "")


def _plain(fragment: str) -> str:
    fragment = fragment.replace('<div class="where">', ' <div class="where">')
    text = html.unescape(inline_text(fragment)).replace("\xa0", " ")
    return text.replace("ⓘ", "").strip()


def _declaration(fragment: str) -> str:
    """An item's declaration up to its body: `pub struct Vec<T, A = Global>`."""
    text = " ".join(to_text(fragment).split())
    text = re.split(r" \{|\s*\bwhere\b", text, maxsplit=1)[0]
    return text.removeprefix("pub ").strip()


def _stable(entry: str) -> bool:
    """An entry's own text (up to the next one) carries no unstable or deprecated mark."""
    return "stab unstable" not in entry and "stab deprecated" not in entry


def _doc_line(entry: str) -> str:
    para = _FIRST_PARA.search(entry)
    if para is None:
        return ""
    return _plain(para.group(1)).split(". ")[0].strip()[:200]


def _entries(body: str, pattern: re.Pattern[str]) -> Iterator[tuple[re.Match[str], str]]:
    """Each match with the text up to the next entry (its doc and stability marks)."""
    matches = list(pattern.finditer(body))
    for m in matches:
        nxt = _NEXT_ENTRY.search(body, m.end())
        yield m, body[m.start() : nxt.start() if nxt else len(body)]


def page_items(root: Path, page: Path) -> tuple[list[ApiItem], list[TypeImpl]]:
    """The items of one rustdoc page: the item itself, then its members and trait impls."""
    prefix = page.name.split(".", 1)[0]
    kind = PAGE_KINDS.get(prefix)
    if kind is None:
        return [], []
    raw = page.read_text(errors="replace")
    body = main_html(raw)
    h1 = _H1.search(body)
    crumbs = _BREADCRUMBS.search(body)
    if h1 is None:
        return [], []
    # primitive pages have no breadcrumbs: they sit at the crate root
    module = _plain(crumbs.group(1)).replace(" ", "") if crumbs else page.parent.name
    name = _plain(h1.group(2))
    if not name.isidentifier():
        return [], []
    path = f"{module}::primitive::{name}" if kind == "primitive" else f"{module}::{name}"
    cut = _TRAIT_IMPLS.search(body)
    own, impl_part = (body[: cut.start()], body[cut.start() :]) if cut else (body, "")
    if not _stable(own[: (_DECL.search(own) or h1).end() + 2000][:4000].split("<h2", 1)[0]):
        return [], []
    decl = _DECL.search(own)
    signature = _declaration(decl.group(1)) if decl else f"{kind} {name}"
    top = _TOP_DOC.search(own)
    doc = _doc_line(f'<div class="docblock">{top.group(1)}') if top else ""
    file = page.relative_to(root).as_posix()
    items = [ApiItem(path, name, kind, signature, doc=doc, file=file)]
    trait = name if kind == "trait" else None
    deref = _DEREF_METHODS.search(own)
    for m, entry in _entries(own, _METHOD):
        if not _stable(entry):
            continue
        sig = re.split(r"\s+where\s", _plain(m.group(3)), maxsplit=1)[0]
        sig = sig.removeprefix("pub ").strip()
        receiver = _RECEIVER.search(sig)
        via_deref = deref is not None and m.start() > deref.start()
        items.append(
            ApiItem(
                f"{path}::{m.group(2)}",
                m.group(2),
                "method",
                sig,
                owner=path,
                receiver=receiver.group(1) if receiver else None,
                trait=trait or ("Deref" if via_deref else None),
                doc=_doc_line(entry),
                file=f"{file}#{m.group(1)}.{m.group(2)}",
            )
        )
    for pattern, kind, anchor in (
        (_FIELD, "field", "structfield"),
        (_VARIANT, "variant", "variant"),
    ):
        for m, entry in _entries(own, pattern):
            items.append(
                ApiItem(
                    f"{path}::{m.group(1)}",
                    m.group(1),
                    kind,
                    _plain(m.group(2)),
                    owner=path,
                    doc=_doc_line(entry),
                    file=f"{file}#{anchor}.{m.group(1)}",
                )
            )
    impls = []
    for m in _IMPL_HEADER.finditer(impl_part):
        found = _TRAIT_OF_IMPL.match(_plain(m.group(1)))
        if found:
            impls.append(TypeImpl(path, found.group(1).split("::")[-1], False))
    return items, list(dict.fromkeys(impls))


def std_docs_root(rustc: str = "rustc") -> Path | None:
    """`$(rustc --print sysroot)/share/doc/rust/html` when it holds the std pages."""
    return docs_root(rustc)


def std_api(root: Path, crates: tuple[str, ...] = ("std",)) -> CrateApi:
    """Every stable item of std's pages (core and alloc are re-exported through std)."""
    api = CrateApi("std")
    for crate in crates:
        for page in sorted((root / crate).rglob("*.html")):
            if page.name.count(".") < 2:
                continue
            items, impls = page_items(root, page)
            api.files_parsed += 1
            api.items.extend(items)
            api.impls.extend(impls)
    api.items = list({(i.path, i.kind, i.signature): i for i in api.items}.values())
    return api
