"""The per-user API cache: one SQLite file, one entry per crate content.

A crate is keyed by name, version and a hash of its sources, so the same
serde 1.0.152 is parsed once and shared by every workspace, and a changed
Cargo.lock only costs the crate versions not seen before. A second table maps
a cheap stat fingerprint (names, sizes, mtimes) to that key, so a warm run
reads no source file at all.
"""

from __future__ import annotations

import difflib
import json
import logging
import os
import re
import sqlite3
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from rustcoder.apiindex.api_items import ApiItem, CrateApi
from rustcoder.apiindex.crate_sources import (
    CratePackage,
    content_key,
    stat_fingerprint,
    workspace_packages,
)
from rustcoder.apiindex.public_paths import parse_crate
from rustcoder.apiindex.std_pages import (
    STD_INDEXER_VERSION,
    std_api,
    std_docs_root,
    toolchain_version,
)

log = logging.getLogger(__name__)

#: Bump when the tables change; an older cache file is set aside and rebuilt.
SCHEMA_VERSION = 1
SCHEMA = """
CREATE TABLE IF NOT EXISTS crates (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    features TEXT NOT NULL,
    n_items INTEGER NOT NULL,
    indexed_at REAL NOT NULL
);
CREATE TABLE IF NOT EXISTS fingerprints (
    fingerprint TEXT PRIMARY KEY,
    key TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
    crate_id INTEGER NOT NULL REFERENCES crates(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    owner TEXT,
    owner_name TEXT,
    signature TEXT NOT NULL,
    receiver TEXT,
    trait TEXT,
    features TEXT NOT NULL,
    doc TEXT NOT NULL,
    file TEXT NOT NULL,
    line INTEGER NOT NULL,
    public INTEGER NOT NULL,
    target TEXT
);
CREATE INDEX IF NOT EXISTS items_path ON items(path);
CREATE INDEX IF NOT EXISTS items_name ON items(name);
CREATE INDEX IF NOT EXISTS items_owner ON items(owner);
CREATE INDEX IF NOT EXISTS items_crate ON items(crate_id);
CREATE TABLE IF NOT EXISTS impls (
    crate_id INTEGER NOT NULL REFERENCES crates(id) ON DELETE CASCADE,
    type_path TEXT NOT NULL,
    trait TEXT NOT NULL,
    derived INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS impls_type ON impls(type_path);
"""

_ITEM_COLUMNS = (
    "path, name, kind, owner, signature, receiver, trait, features, doc, file, line, public,"
    " target, crate_id"
)


def default_cache_path() -> Path:
    """`$RUSTCODER_API_CACHE`, else `$XDG_CACHE_HOME/rustcoder/api-index.sqlite`."""
    explicit = os.environ.get("RUSTCODER_API_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rustcoder" / "api-index.sqlite"


@dataclass(frozen=True)
class StoredItem:
    crate: str
    version: str
    item: ApiItem


@dataclass
class IndexReport:
    """What one `index_workspace` did: the counters tests and the CLI report."""

    crate_ids: dict[str, int] = field(default_factory=dict)  # "name@version" -> crate id
    enabled: dict[str, tuple[str, ...]] = field(default_factory=dict)  # "name@version" -> features
    parsed: list[str] = field(default_factory=list)  # crates parsed this run
    reused: list[str] = field(default_factory=list)  # crates served from the cache
    skipped: list[str] = field(default_factory=list)  # no library target
    files_parsed: int = 0
    items: int = 0
    seconds: float = 0.0


class ApiIndex:
    """The cache file and the lookups on it."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.parse_count = 0  # crates parsed by this object: a cache miss counter
        self.set_aside: Path | None = None  # where an unreadable cache file was moved
        try:
            self.db = self._open()
        except sqlite3.DatabaseError as exc:
            # Only a cache: keep the bad file for inspection and start an empty one.
            self.set_aside = self.path.with_name(f"{self.path.name}.unreadable-{int(time.time())}")
            self.path.replace(self.set_aside)
            for suffix in ("-wal", "-shm"):
                Path(f"{self.path}{suffix}").unlink(missing_ok=True)
            log.warning("API cache %s unreadable (%s); moved to %s", self.path, exc, self.set_aside)
            self.db = self._open()

    def _open(self) -> sqlite3.Connection:
        # One connection, shared with the thread that indexes in the background (locked).
        db = sqlite3.connect(self.path, timeout=30.0, check_same_thread=False)
        try:
            version = int(db.execute("PRAGMA user_version").fetchone()[0])
            if version not in (0, SCHEMA_VERSION):
                db.close()
                raise sqlite3.DatabaseError(
                    f"cache schema {version}, this rustcoder uses {SCHEMA_VERSION}"
                )
            db.execute("PRAGMA foreign_keys = ON")
            db.execute("PRAGMA journal_mode = WAL")
            db.executescript(SCHEMA)
            db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        except sqlite3.DatabaseError:
            db.close()
            raise
        return db

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> ApiIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- indexing ---------------------------------------------------------------

    def _crate_id(self, key: str) -> int | None:
        row = self.db.execute("SELECT id FROM crates WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else None

    def ensure_crate(self, pkg: CratePackage) -> tuple[int | None, bool, int]:
        """-> (crate id, parsed now?, files parsed); None when it has no library."""
        if pkg.lib_path is None or not pkg.lib_path.is_file():
            return None, False, 0
        fingerprint = stat_fingerprint(pkg)
        row = self.db.execute(
            "SELECT key FROM fingerprints WHERE fingerprint = ?", (fingerprint,)
        ).fetchone()
        key = row[0] if row else content_key(pkg)
        crate_id = self._crate_id(key)
        if crate_id is not None:
            if row is None:
                with self.db:
                    self.db.execute(
                        "INSERT OR REPLACE INTO fingerprints VALUES (?, ?)", (fingerprint, key)
                    )
            return crate_id, False, 0
        api = parse_crate(pkg.lib_name, pkg.lib_path, pkg.root)
        self.parse_count += 1
        try:
            crate_id = self._store(key, fingerprint, pkg, api)
        except sqlite3.IntegrityError:
            # another process stored the same crate content meanwhile: use theirs
            crate_id = self._crate_id(key)
            if crate_id is None:
                raise
        return crate_id, True, api.files_parsed

    def _store(self, key: str, fingerprint: str, pkg: CratePackage, api: CrateApi) -> int:
        with self.db:
            cur = self.db.execute(
                "INSERT INTO crates (key, name, version, features, n_items, indexed_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (key, pkg.name, pkg.version, json.dumps(pkg.features), len(api.items), time.time()),
            )
            crate_id = int(cur.lastrowid or 0)
            self.db.executemany(
                f"INSERT INTO items ({_ITEM_COLUMNS}, owner_name) VALUES ({', '.join('?' * 15)})",
                [
                    (
                        i.path,
                        i.name,
                        i.kind,
                        i.owner,
                        i.signature,
                        i.receiver,
                        i.trait,
                        ",".join(i.features),
                        i.doc,
                        i.file,
                        i.line,
                        int(i.public),
                        i.target,
                        crate_id,
                        i.owner.rsplit("::", 1)[-1] if i.owner else None,
                    )
                    for i in api.items
                ],
            )
            self.db.executemany(
                "INSERT INTO impls VALUES (?, ?, ?, ?)",
                [(crate_id, t.type_path, t.trait, int(t.derived)) for t in api.impls],
            )
            self.db.execute("INSERT OR REPLACE INTO fingerprints VALUES (?, ?)", (fingerprint, key))
        return crate_id

    def ensure_std(self, rustc: str = "rustc") -> tuple[str, int | None, bool]:
        """std from the toolchain's rustdoc pages, cached per toolchain: (label, id, parsed?).

        None as the id when the `rust-docs` component is not installed.
        """
        release, commit = toolchain_version(rustc)
        label = f"std@{release}"
        root = std_docs_root(rustc)
        if root is None:
            return label, None, False
        key = f"std@{release}#{commit[:20]}#{STD_INDEXER_VERSION}"
        crate_id = self._crate_id(key)
        if crate_id is not None:
            return label, crate_id, False
        api = std_api(root)
        self.parse_count += 1
        pkg = CratePackage("std", release, None, root / "std" / "index.html", None)
        try:
            crate_id = self._store(key, f"std:{root}:{key}", pkg, api)
        except sqlite3.IntegrityError:
            crate_id = self._crate_id(key)
        return label, crate_id, True

    def index_packages(self, packages: Iterable[CratePackage]) -> IndexReport:
        start = time.perf_counter()
        report = IndexReport()
        for pkg in packages:
            label = f"{pkg.name}@{pkg.version}"
            crate_id, parsed, files = self.ensure_crate(pkg)
            if crate_id is None:
                report.skipped.append(label)
                continue
            report.crate_ids[label] = crate_id
            report.enabled[label] = pkg.enabled
            (report.parsed if parsed else report.reused).append(label)
            report.files_parsed += files
        if report.crate_ids:
            marks = ",".join("?" * len(report.crate_ids))
            row = self.db.execute(
                f"SELECT COUNT(*) FROM items WHERE crate_id IN ({marks})",
                list(report.crate_ids.values()),
            ).fetchone()
            report.items = int(row[0])
        report.seconds = time.perf_counter() - start
        return report

    def index_workspace(self, path: Path, only: Sequence[str] | None = None) -> IndexReport:
        """Index every package of the workspace's dependency graph (or those named in `only`),
        and std (unless `only` leaves it out)."""
        packages = workspace_packages(path)
        wanted = {n.replace("-", "_") for n in only} if only is not None else None
        if wanted is not None:
            packages = [p for p in packages if p.lib_name in wanted]
        report = self.index_packages(packages)
        if wanted is None or "std" in wanted:
            start = time.perf_counter()
            label, crate_id, parsed = self.ensure_std()
            if crate_id is not None:
                report.crate_ids[label] = crate_id
                (report.parsed if parsed else report.reused).append(label)
                row = self.db.execute(
                    "SELECT n_items FROM crates WHERE id = ?", (crate_id,)
                ).fetchone()
                report.items += int(row[0])
            report.seconds += time.perf_counter() - start
        return report

    # --- lookups ----------------------------------------------------------------

    def _rows(
        self, where: str, params: Sequence[object], crate_ids: Iterable[int] | None
    ) -> list[StoredItem]:
        sql = (
            "SELECT c.name, c.version, i.path, i.name, i.kind, i.signature, i.owner, i.receiver,"
            " i.trait,"
            " i.features, i.doc, i.file, i.line, i.public, i.target"
            f" FROM items i JOIN crates c ON c.id = i.crate_id WHERE {where}"
        )
        args = list(params)
        if crate_ids is not None:
            ids = list(crate_ids)
            sql += f" AND i.crate_id IN ({','.join('?' * len(ids))})"
            args += ids
        sql += " ORDER BY i.public DESC, length(i.path), i.path"
        out = []
        for row in self.db.execute(sql, args):
            item = ApiItem(
                path=row[2],
                name=row[3],
                kind=row[4],
                signature=row[5],
                owner=row[6],
                receiver=row[7],
                trait=row[8],
                features=tuple(f for f in row[9].split(",") if f),
                doc=row[10],
                file=row[11],
                line=row[12],
                public=bool(row[13]),
                target=row[14],
            )
            out.append(StoredItem(row[0], row[1], item))
        return out

    def by_path(self, path: str, crate_ids: Iterable[int] | None = None) -> list[StoredItem]:
        return self._rows("i.path = ?", (path,), crate_ids)

    def by_name(
        self, name: str, owner: str | None = None, crate_ids: Iterable[int] | None = None
    ) -> list[StoredItem]:
        """Items called `name`; `owner` (a type's name or path) narrows to its members."""
        if owner is None:
            return self._rows("i.name = ?", (name,), crate_ids)
        if "::" in owner:
            return self._rows("i.name = ? AND i.owner = ?", (name, owner), crate_ids)
        return self._rows("i.name = ? AND i.owner_name = ?", (name, owner), crate_ids)

    def in_module(self, module: str, crate_ids: Iterable[int] | None = None) -> list[StoredItem]:
        """The public items directly in `module` (`serde_json`, `std::fs`), members aside."""
        prefix = module.strip().removeprefix("::") + "::"
        return self._rows(
            "i.path > ? AND i.path < ? AND i.owner IS NULL AND i.public = 1"
            " AND instr(substr(i.path, ?), '::') = 0",
            (prefix, prefix + "\U0010ffff", len(prefix) + 1),
            crate_ids,
        )

    def by_crate(self, crate: str, crate_ids: Iterable[int] | None = None) -> list[StoredItem]:
        return self._rows("c.name = ? AND i.public = 1", (crate,), crate_ids)

    def members(self, owner: str, crate_ids: Iterable[int] | None = None) -> list[StoredItem]:
        if "::" in owner:
            return self._rows("i.owner = ?", (owner,), crate_ids)
        return self._rows("i.owner_name = ?", (owner,), crate_ids)

    def traits_of(
        self, type_path: str, crate_ids: Iterable[int] | None = None
    ) -> list[tuple[str, bool]]:
        sql = "SELECT DISTINCT trait, derived FROM impls WHERE type_path = ?"
        args: list[object] = [type_path]
        if crate_ids is not None:
            ids = list(crate_ids)
            sql += f" AND crate_id IN ({','.join('?' * len(ids))})"
            args += ids
        return [(str(t), bool(d)) for t, d in self.db.execute(sql + " ORDER BY trait", args)]

    def lookup(
        self, query: str, crate_ids: Iterable[int] | None = None, _depth: int = 0
    ) -> list[StoredItem]:
        """`chrono::Duration::seconds`, `Duration::seconds`, `time::sleep` or `sleep`.

        A path through another crate's re-export (`futures::StreamExt::next`,
        `thiserror::Error` from `pub use thiserror_impl::*`) is followed into
        that crate when it is indexed too.
        """
        query = query.strip().removeprefix("::")
        ids = list(crate_ids) if crate_ids is not None else None
        exact = self.by_path(query, ids)
        if exact:
            return exact
        segs = query.split("::")
        if len(segs) >= 2 and _depth < 4:
            for cut in range(len(segs) - 1, 0, -1):
                head, rest = "::".join(segs[:cut]), segs[cut:]
                for link in self.by_path(head, ids) + self.by_path(head + "::*", ids):
                    if link.item.kind != "reexport" or not link.item.target:
                        continue
                    target = link.item.target.removesuffix("::*")
                    followed = self.lookup("::".join([target, *rest]), ids, _depth + 1)
                    if followed:
                        return followed
        if len(segs) >= 2:
            owner_hits = self.by_name(segs[-1], segs[-2], ids)
            suffix = "::" + query
            hits = [
                h
                for h in owner_hits + self.by_name(segs[-1], None, ids)
                if h.item.path.endswith(suffix)
            ]
            return list({(h.crate, h.item.path, h.item.kind): h for h in hits}.values())
        return self.by_name(query, None, ids)

    def nearest(
        self, query: str, crate_ids: Iterable[int] | None = None, limit: int = 8
    ) -> list[StoredItem]:
        """Existing items whose names are closest to `query` (a name that does not exist).

        With an owner (`Duration::from_secs`) the candidates are that type's
        members; otherwise every public item of the crates, and of the crate
        the path starts with when it names one.
        """
        query = query.strip().removeprefix("::")
        ids = list(crate_ids) if crate_ids is not None else None
        segs = query.split("::")
        name = segs[-1]
        if len(segs) >= 2:
            owner = "::".join(segs[:-1])
            candidates = self.members(owner, ids) or self.members(segs[-2], ids)
            if not candidates:
                candidates = [c for c in self.by_crate(segs[0], ids) if c.item.owner is None]
        else:
            candidates = self._rows("i.public = 1 AND i.owner IS NULL", (), ids)
        scored = sorted(
            ((name_similarity(name, c.item.name), c) for c in candidates if c.item.public),
            key=lambda sc: (-sc[0], len(sc[1].item.path), sc[1].item.path),
        )
        seen: set[str] = set()
        out = []
        for score, cand in scored:
            if score <= 0.3 or cand.item.path in seen:
                continue
            seen.add(cand.item.path)
            out.append(cand)
            if len(out) >= limit:
                break
        return out

    def stats(self) -> dict[str, int]:
        crates = self.db.execute("SELECT COUNT(*) FROM crates").fetchone()[0]
        items = self.db.execute("SELECT COUNT(*) FROM items").fetchone()[0]
        return {"crates": int(crates), "items": int(items), "bytes": self.path.stat().st_size}


#: Words that say how, not what: `from_secs` is about seconds, not about `from`.
_GLUE_WORDS = frozenset(
    ["from", "to", "into", "as", "new", "with", "try", "get", "set", "is", "by", "of", "and", "or"]
)


def _tokens(name: str) -> list[str]:
    return [t.lower() for t in re.split(r"_|(?<=[a-z0-9])(?=[A-Z])", name) if t]


def _content(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in _GLUE_WORDS] or tokens


def _same_word(a: str, b: str) -> bool:
    return a == b or (len(a) >= 3 and len(b) >= 3 and a[:3] == b[:3])


def name_similarity(query: str, candidate: str) -> float:
    """0..1: edit similarity, or the share of content words (3-letter prefix) in common.

    Word matching catches `from_secs` ~ `seconds` that edit distance misses,
    and ignoring glue words keeps `from_std` from looking closer.
    """
    if query == candidate:
        return 1.0
    ratio = difflib.SequenceMatcher(None, query.lower(), candidate.lower()).ratio()
    q_words, c_words = _content(_tokens(query)), _content(_tokens(candidate))
    if not q_words or not c_words:
        return ratio
    matched = sum(1 for q in q_words if any(_same_word(q, c) for c in c_words))
    word = matched / max(len(q_words), len(c_words))
    return max(ratio, 0.15 + 0.8 * word if matched else 0.0)
