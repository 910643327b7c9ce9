"""What the API index records: items, impls, and the walk's raw records.

Kept apart from the parser and the resolver so the store and the CLI depend
only on these plain data classes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class ApiItem:
    """One name a user can write: `path` is where it is reachable from."""

    path: str
    name: str
    kind: str
    signature: str
    owner: str | None = None
    receiver: str | None = None
    trait: str | None = None
    features: tuple[str, ...] = ()
    doc: str = ""
    file: str = ""
    line: int = 0
    public: bool = True
    target: str | None = None  # a re-export of another crate's item


@dataclass(frozen=True)
class TypeImpl:
    type_path: str
    trait: str
    derived: bool


@dataclass
class CrateApi:
    crate: str
    items: list[ApiItem] = field(default_factory=list)
    impls: list[TypeImpl] = field(default_factory=list)
    files_parsed: int = 0


# --- records of one crate's walk, before `use` resolution --------------------------


@dataclass
class Def:
    module: tuple[str, ...]
    item: ApiItem
    pub: bool


@dataclass
class Use:
    module: tuple[str, ...]
    alias: str | None  # None for a glob
    target: tuple[str, ...]
    pub: bool
    features: tuple[str, ...]


@dataclass
class Child:
    """A method, associated item, variant or field of a type or trait."""

    module: tuple[str, ...]
    owner: tuple[str, ...]  # the type's path as written at the impl
    item: ApiItem
    in_trait_def: bool = False


@dataclass
class ModuleInfo:
    path: tuple[str, ...]
    pub: bool
    file: Path
    doc: str
    features: tuple[str, ...]
