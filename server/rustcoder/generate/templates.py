"""Project templates: compiling, tested crates that show the model what good looks like.

The sources live in this package's `template_crates/<name>/` (a crate plus
`template.toml` with a description and tags), read as package resources.
`rustcoder kb build` stores them in the knowledge base, where a description
finds them with the same hybrid search as everything else (keywords and
embeddings fused by rank), so "a program that counts words in files" finds
the text-processing and file-I/O templates.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import tomllib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

from rustcoder.generate.flattened import format_files

if TYPE_CHECKING:
    from rustcoder.kb.knowledge_base import KnowledgeBase

log = logging.getLogger(__name__)

META_FILE = "template.toml"

#: Finds the best templates for a description (the knowledge base does this).
TemplateFinder = Callable[[str, int], list["Template"]]


@dataclass(frozen=True)
class Template:
    name: str
    description: str
    tags: tuple[str, ...]
    files: dict[str, str]

    @property
    def text(self) -> str:
        """What search indexes: the name, the description and the tags."""
        return " ".join([self.name.replace("-", " "), self.description, *self.tags])

    def flattened(self) -> str:
        return format_files(self.files)


def template_sources() -> Traversable:
    return resources.files("rustcoder.generate") / "template_crates"


def _files(root: Traversable, prefix: str = "") -> dict[str, str]:
    files: dict[str, str] = {}
    for entry in sorted(root.iterdir(), key=lambda e: e.name):
        relative = f"{prefix}{entry.name}"
        if entry.is_dir():
            if entry.name != "target":
                files.update(_files(entry, f"{relative}/"))
        elif relative != META_FILE:
            files[relative] = entry.read_text(encoding="utf-8")
    return files


def load_templates(directory: Traversable | None = None) -> list[Template]:
    """Every template under `directory` (default: the shipped ones), by name."""
    root = directory if directory is not None else template_sources()
    templates = []
    for folder in sorted(root.iterdir(), key=lambda e: e.name):
        meta_file = folder / META_FILE
        if not folder.is_dir() or not meta_file.is_file():
            continue
        meta = tomllib.loads(meta_file.read_text(encoding="utf-8"))
        templates.append(
            Template(
                name=folder.name,
                description=str(meta.get("description", "")).strip(),
                tags=tuple(str(t) for t in meta.get("tags", [])),
                files=_files(folder),
            )
        )
    return templates


@functools.cache
def shipped_templates() -> tuple[Template, ...]:
    return tuple(load_templates())


def templates_digest(templates: Sequence[Template]) -> str:
    """Identifies the templates a knowledge base was built from (to notice a stale base)."""
    payload = [[t.name, t.description, list(t.tags), t.files] for t in templates]
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def finder(kb: KnowledgeBase | None) -> TemplateFinder:
    """Template search over `kb`; without a knowledge base, no examples (generation goes on)."""

    def find(description: str, limit: int) -> list[Template]:
        if kb is None:
            return []
        return [
            Template(
                name=hit.id,
                description=hit.excerpt,
                tags=tuple(hit.details["tags"]),
                files=dict(hit.details["files"]),
            )
            for hit in kb.search_templates(description, limit)
        ]

    return find
