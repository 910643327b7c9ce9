"""`rustcoder kb build`: the shipped knowledge base, reproducibly, offline.

Inputs are the curated recipes and the project templates in the repo and the
local toolchain (`rustc --explain` for every code, rustc's messages for each
recipe's example); the
same inputs give the same content (`content_digest`). The file is written
beside the target and renamed into place, so a failed build never leaves a
half-written base where the server would find it.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from rustcoder.docs.index import write_passages
from rustcoder.docs.passages import all_passages, docs_root
from rustcoder.generate.templates import Template, shipped_templates, templates_digest
from rustcoder.kb import db
from rustcoder.kb.normalize import keywords, normalize_message
from rustcoder.kb.recipe_data import RecipeSpec, load_recipes
from rustcoder.kb.recipe_messages import example_messages
from rustcoder.kb.rustc_explain import ErrorCodeDoc, load_error_codes, rustc_version
from rustcoder.kb.store import KbStore
from rustcoder.models.embedder import Embedder, shared_embedder

Progress = Callable[[str], None]


@dataclass(frozen=True)
class BuildReport:
    path: Path
    codes: int
    recipes: int
    templates: int
    docs: int
    seconds: float
    digest: str
    #: Passages of the toolchain's documentation (0 when rust-docs is not installed).
    doc_passages: int = 0


@dataclass(frozen=True)
class _Doc:
    entry_kind: str
    entry_id: str
    codes: tuple[str, ...]
    text: str
    #: What the vector is computed from, when not `text` (templates: the prose, while
    #: `text` holds the stemmed words keyword search matches).
    embed_text: str | None = None

    @property
    def vector_text(self) -> str:
        return self.text if self.embed_text is None else self.embed_text


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rustcoder"


def pattern_text(pattern: str) -> str:
    """A regex as words: named groups become their names, the syntax goes."""
    text = re.sub(r"\(\?P<(\w+)>(?:[^()]|\([^()]*\))*\)", r"\1", pattern)
    # Escaped punctuation is literal text: protect it from the syntax removal below.
    text = re.sub(r"\\([^A-Za-z0-9])", lambda m: f"\x00{ord(m.group(1))}\x01", text)
    text = re.sub(r"\(\?:|\(\?[a-z]+\)", "(", text)
    text = re.sub(r"\\[A-Za-z]", " ", text)
    text = re.sub(r"\[[^\]]*\][*+?]?|[()|*+?^$.]", " ", text)
    text = re.sub(r"\x00(\d+)\x01", lambda m: chr(int(m.group(1))), text)
    return " ".join(text.split())


def _code_docs(doc: ErrorCodeDoc) -> list[_Doc]:
    text = f"{doc.title} {doc.excerpt(400)}"
    return [_Doc("code", doc.code, (doc.code,), normalize_message(text))]


def _recipe_docs(spec: RecipeSpec, messages: list[str]) -> list[_Doc]:
    codes = tuple(spec.codes)
    docs = [_Doc("recipe", spec.id, codes, normalize_message(f"{spec.title}. {spec.explanation}"))]
    docs.append(_Doc("recipe", spec.id, codes, normalize_message(pattern_text(spec.pattern))))
    docs.extend(_Doc("recipe", spec.id, codes, normalize_message(m)) for m in messages)
    return docs


def _template_docs(template: Template) -> list[_Doc]:
    return [_Doc("template", template.name, (), keywords(template.text), template.text)]


def build(
    out: Path,
    *,
    rustc: str = "rustc",
    recipes: list[RecipeSpec] | None = None,
    templates: Sequence[Template] | None = None,
    cache_dir: Path | None = None,
    embedder: Embedder | None = None,
    progress: Progress | None = None,
    with_docs: bool = False,
) -> BuildReport:
    """Build the base into `out`; `with_docs` adds the toolchain's docs (as `kb build` does)."""
    started = time.monotonic()
    say = progress or (lambda _msg: None)
    version = rustc_version(rustc)
    say(f"reading `rustc --explain` for every error code ({version})")
    codes = load_error_codes(rustc, cache_dir)
    specs = list(recipes) if recipes is not None else load_recipes()
    say(f"compiling the worked examples of {len(specs)} recipes")
    messages = example_messages(specs, rustc, version, cache_dir)
    if templates is None:
        templates = shipped_templates()
    docs: list[_Doc] = []
    for code_doc in codes:
        docs.extend(_code_docs(code_doc))
    for spec in specs:
        docs.extend(_recipe_docs(spec, messages[spec.id]))
    for template in templates:
        docs.extend(_template_docs(template))
    say(f"embedding {len(docs)} texts")
    model = embedder or shared_embedder()
    vectors = _embed_cached(model, [d.vector_text for d in docs], cache_dir)
    html_root = docs_root(rustc) if with_docs else None
    if with_docs and html_root is None:
        say("the toolchain's docs are not installed (rustup component add rust-docs): not indexed")

    out = out.resolve()
    tmp = out.with_name(f".{out.name}.{os.getpid()}.building")
    _remove(tmp)
    store = KbStore.open(tmp, create=True)
    try:
        conn = store.conn
        with db.transaction(conn):
            for code_doc in codes:
                conn.execute(
                    "INSERT INTO error_codes VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        code_doc.code,
                        code_doc.title,
                        code_doc.explanation,
                        json.dumps(list(code_doc.erroneous)),
                        json.dumps(list(code_doc.corrected)),
                        int(code_doc.emitted),
                    ),
                )
            for spec in specs:
                conn.execute(
                    "INSERT INTO recipes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        spec.id,
                        spec.code,
                        json.dumps(list(spec.codes)),
                        spec.pattern,
                        spec.kind,
                        json.dumps(spec.params, sort_keys=True),
                        spec.title,
                        spec.explanation,
                        spec.before,
                        spec.after,
                        json.dumps(messages[spec.id]),
                        spec.source_file,
                    ),
                )
            for template in templates:
                conn.execute(
                    "INSERT INTO templates VALUES (?, ?, ?, ?)",
                    (
                        template.name,
                        template.description,
                        json.dumps(list(template.tags)),
                        json.dumps(template.files, sort_keys=True),
                    ),
                )
            for doc, vector in zip(docs, vectors, strict=True):
                store.add_doc(doc.entry_kind, doc.entry_id, doc.codes, doc.text, vector)
            passages = 0
            if html_root is not None:
                say(f"indexing the books and the std API docs in {html_root}")
                passages = write_passages(conn, all_passages(html_root))
            meta = {
                "kind": "base",
                "rustc": version,
                "model": model.model_id,
                "recipes_sha256": recipes_digest(specs),
                "templates_sha256": templates_digest(templates),
                "docs": docs_marker(html_root, passages) if with_docs else "skipped",
            }
            conn.executemany("INSERT INTO meta VALUES (?, ?)", sorted(meta.items()))
        digest = content_digest(conn)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("VACUUM")
    finally:
        store.close()
    for suffix in ("-wal", "-shm"):
        _remove(Path(f"{tmp}{suffix}"))
    tmp.replace(out)
    return BuildReport(
        path=out,
        codes=len(codes),
        recipes=len(specs),
        templates=len(templates),
        docs=len(docs),
        seconds=time.monotonic() - started,
        digest=digest,
        doc_passages=passages,
    )


def docs_marker(html_root: Path | None, passages: int) -> str:
    """What the base holds of the docs: a stale check compares it with the toolchain's."""
    return f"{passages} passages" if html_root is not None else "not installed"


def _embed_cached(model: Embedder, texts: list[str], cache_dir: Path | None) -> Any:
    """Embed `texts`, reusing vectors of texts embedded by earlier builds (same model)."""
    if cache_dir is None:
        return model.embed(texts)
    cache_file = cache_dir / f"embeddings-{model.model_id}.npz"
    known: dict[str, Any] = {}
    try:
        with np.load(cache_file) as data:
            known = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        known = {}
    keys = [hashlib.sha256(t.encode()).hexdigest() for t in texts]
    missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in known}.items())
    if missing:
        fresh = model.embed([t for _, t in missing])
        known.update({k: v for (k, _), v in zip(missing, fresh, strict=True)})
        try:
            cache_dir.mkdir(parents=True, exist_ok=True)
            tmp = cache_dir / f".embeddings-{os.getpid()}.npz"
            ordered = sorted(known)
            np.savez(tmp, keys=np.array(ordered), vectors=np.stack([known[k] for k in ordered]))
            tmp.replace(cache_file)
        except OSError:
            pass
    return np.stack([known[k] for k in keys]).astype(np.float32)


def recipes_digest(specs: list[RecipeSpec]) -> str:
    """Identifies the recipe data a base was built from (to notice a stale base)."""
    payload = [[s.id, s.code, s.pattern, s.kind, s.params, s.title, s.explanation] for s in specs]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def content_digest(conn: Any) -> str:
    """A hash of the base's content (codes, recipes, searchable texts): equal builds agree."""
    h = hashlib.sha256()
    for query in (
        "SELECT * FROM error_codes ORDER BY code",
        "SELECT * FROM recipes ORDER BY id",
        "SELECT * FROM templates ORDER BY name",
        "SELECT entry_kind, entry_id, codes, text FROM docs ORDER BY id",
        "SELECT source, path, anchor, item, length(text) FROM doc_passages ORDER BY id",
        "SELECT key, value FROM meta ORDER BY key",
    ):
        for row in conn.execute(query):
            h.update(json.dumps(list(row)).encode())
    return h.hexdigest()


def _remove(path: Path) -> None:
    path.unlink(missing_ok=True)
