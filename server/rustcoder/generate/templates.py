"""Project templates: compiling, tested crates that show the model what good looks like.

Templates live in `rustcoder/kb/templates/<name>/` (a crate plus
`template.toml` with a description and tags). A description is matched to
templates by hybrid search: keyword overlap (BM25 over description, tags and
the code's identifiers) fused by reciprocal rank with embedding similarity
when the embedder is available, so "a program that counts words in files"
finds the text-processing and file-I/O templates.
"""

from __future__ import annotations

import functools
import logging
import math
import re
import tomllib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rustcoder.generate.flattened import format_files

log = logging.getLogger(__name__)

TEMPLATE_DIR = Path(__file__).resolve().parents[1] / "kb" / "templates"
_WORD = re.compile(r"[a-z][a-z0-9]+")
_STOP = frozenset(
    [
        "a",
        "an",
        "and",
        "the",
        "of",
        "to",
        "in",
        "for",
        "with",
        "from",
        "that",
        "this",
        "is",
        "are",
        "be",
        "by",
        "on",
        "or",
        "as",
        "it",
        "its",
        "into",
        "rust",
        "program",
        "crate",
        "write",
        "create",
        "make",
        "build",
        "implement",
        "using",
        "use",
        "simple",
        "small",
    ]
)
RRF_K = 60


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    tags: tuple[str, ...]
    files: dict[str, str]

    @property
    def text(self) -> str:
        """What keyword search indexes."""
        return " ".join([self.name.replace("-", " "), self.description, *self.tags])

    def flattened(self) -> str:
        return format_files(self.files)


def _stem(word: str) -> str:
    """Plural and -ing forms to a common key ("shapes"/"shape", "parsing"/"parse")."""
    for suffix, keep in (("ies", "y"), ("ing", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


def _words(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in _STOP]


def load_templates(directory: Path = TEMPLATE_DIR) -> list[Template]:
    templates = []
    for meta_path in sorted(directory.glob("*/template.toml")):
        root = meta_path.parent
        meta = tomllib.loads(meta_path.read_text(encoding="utf-8"))
        files = {
            str(p.relative_to(root)): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != "template.toml" and "target" not in p.parts
        }
        templates.append(
            Template(
                name=root.name,
                description=str(meta.get("description", "")).strip(),
                tags=tuple(str(t) for t in meta.get("tags", [])),
                files=files,
            )
        )
    return templates


@functools.cache
def shipped_templates() -> tuple[Template, ...]:
    return tuple(load_templates())


class TemplateIndex:
    """BM25 + embeddings over a set of templates, fused by reciprocal rank."""

    def __init__(
        self, templates: list[Template] | tuple[Template, ...], embed: bool = True
    ) -> None:
        self.templates = list(templates)
        self.docs = [Counter(_words(t.text)) for t in self.templates]
        self.avg_len = sum(sum(d.values()) for d in self.docs) / max(1, len(self.docs))
        self.df = Counter(w for d in self.docs for w in d)
        self._vectors: np.ndarray | None = None
        self._embed = embed

    def _bm25(self, query: str) -> list[float]:
        terms = _words(query)
        n = len(self.docs)
        scores = []
        for doc in self.docs:
            length = sum(doc.values())
            score = 0.0
            for term in terms:
                tf = doc.get(term, 0)
                if not tf:
                    continue
                idf = math.log(1 + (n - self.df[term] + 0.5) / (self.df[term] + 0.5))
                score += idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / self.avg_len))
            scores.append(score)
        return scores

    def _similarities(self, query: str) -> list[float] | None:
        if not self._embed:
            return None
        try:
            from rustcoder.models.embedder import shared_embedder

            embedder = shared_embedder()
            if self._vectors is None:
                self._vectors = embedder.embed([t.text for t in self.templates])
            query_vector = embedder.embed_one(query)
        except Exception as exc:  # no embedder: keyword search alone still works
            log.info("template search without embeddings: %s", exc)
            self._embed = False
            return None
        return [float(v) for v in self._vectors @ query_vector]

    def search(self, query: str, limit: int = 3) -> list[tuple[Template, float]]:
        """The best templates for a description, with fused scores (higher is better)."""
        if not self.templates:
            return []
        rankings = [self._bm25(query)]
        similarities = self._similarities(query)
        if similarities is not None:
            rankings.append(similarities)
        fused = [0.0] * len(self.templates)
        for scores in rankings:
            order = sorted(range(len(scores)), key=lambda i: -scores[i])
            for rank, index in enumerate(order):
                fused[index] += 1.0 / (RRF_K + rank + 1)
        order = sorted(range(len(fused)), key=lambda i: -fused[i])
        return [(self.templates[i], fused[i]) for i in order[:limit]]


@functools.cache
def shipped_index() -> TemplateIndex:
    return TemplateIndex(shipped_templates())
