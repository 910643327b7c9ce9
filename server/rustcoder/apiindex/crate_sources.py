"""Which crates a workspace depends on, and where their sources are.

`cargo metadata` already resolves the registry cache, vendored and directory
sources, path and git dependencies to one `manifest_path` each, so we ask it
(offline, in the crate directory, so the user's `.cargo/config.toml` applies)
instead of reading Cargo.lock ourselves.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

#: Bump when the parser's output changes, so cached crates are indexed again.
INDEXER_VERSION = "2"


class CrateSourceError(RuntimeError):
    """cargo could not describe the workspace (bad manifest, missing crate, ...)."""


@dataclass(frozen=True)
class CratePackage:
    name: str
    version: str
    source: str | None
    manifest_path: Path
    lib_path: Path | None
    features: dict[str, list[str]] = field(default_factory=dict, compare=False, hash=False)
    #: The features this workspace's resolve turns on (what a gate is checked against).
    enabled: tuple[str, ...] = ()

    @property
    def root(self) -> Path:
        return self.manifest_path.parent

    @property
    def lib_name(self) -> str:
        """The name code uses in paths (`serde_json`, not `serde-json`)."""
        return self.name.replace("-", "_")


def _lib_target(targets: list[dict[str, object]]) -> Path | None:
    for target in targets:
        kinds = target.get("kind") or []
        assert isinstance(kinds, list)
        if any(k in ("lib", "rlib", "proc-macro", "dylib", "staticlib") for k in kinds):
            return Path(str(target["src_path"]))
    return None


class _LockFilesKept:
    """`cargo metadata` writes a missing or stale Cargo.lock; the user's files change only
    through an edit the user applies, so every Cargo.lock from the crate up is put back."""

    def __init__(self, directory: Path) -> None:
        self.saved: list[tuple[Path, bytes | None, tuple[int, int] | None]] = []
        for parent in (directory, *directory.parents):
            lock = parent / "Cargo.lock"
            try:
                st = lock.stat()
                self.saved.append((lock, lock.read_bytes(), (st.st_atime_ns, st.st_mtime_ns)))
            except FileNotFoundError:
                self.saved.append((lock, None, None))
            except OSError:
                continue

    def __enter__(self) -> _LockFilesKept:
        return self

    def __exit__(self, *exc: object) -> None:
        for lock, data, times in self.saved:
            try:
                if data is None:
                    lock.unlink(missing_ok=True)
                elif lock.read_bytes() != data:
                    lock.write_bytes(data)
                    if times is not None:
                        os.utime(lock, ns=times)
            except OSError:
                continue


def workspace_packages(
    path: Path, cargo: str = "cargo", timeout: float = 120.0
) -> list[CratePackage]:
    """Every package of the dependency graph of the workspace at `path` (its files untouched)."""
    directory = path if path.is_dir() else path.parent
    try:
        with _LockFilesKept(directory):
            proc = subprocess.run(
                [cargo, "metadata", "--format-version", "1", "--offline"],
                cwd=directory,
                capture_output=True,
                text=True,
                timeout=timeout,
                check=False,
            )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise CrateSourceError(f"cargo metadata failed to run in {directory}: {exc}") from exc
    if proc.returncode != 0:
        message = proc.stderr.strip().splitlines()
        raise CrateSourceError(
            f"cargo metadata failed in {directory}: " + (message[-1] if message else "no message")
        )
    data = json.loads(proc.stdout)
    enabled = {
        node["id"]: tuple(node.get("features") or ())
        for node in (data.get("resolve") or {}).get("nodes", [])
    }
    packages = []
    for pkg in data["packages"]:
        packages.append(
            CratePackage(
                name=pkg["name"],
                version=pkg["version"],
                source=pkg.get("source"),
                manifest_path=Path(pkg["manifest_path"]),
                lib_path=_lib_target(pkg.get("targets", [])),
                features={k: list(v) for k, v in (pkg.get("features") or {}).items()},
                enabled=enabled.get(pkg["id"], ()),
            )
        )
    return sorted(packages, key=lambda p: (p.name, p.version))


def _source_files(root: Path) -> list[Path]:
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d not in ("target", ".git"))
        for name in sorted(filenames):
            if name.endswith(".rs") or name == "Cargo.toml":
                files.append(Path(dirpath) / name)
    return files


def stat_fingerprint(pkg: CratePackage) -> str:
    """A cheap key from file names, sizes and mtimes: no file is read."""
    digest = hashlib.sha256(f"{INDEXER_VERSION}\0{pkg.name}\0{pkg.version}\0{pkg.root}".encode())
    for file in _source_files(pkg.root):
        try:
            st = file.stat()
        except OSError:
            continue
        digest.update(f"{file}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()


def content_key(pkg: CratePackage) -> str:
    """name@version#hash of the sources: the same crate anywhere shares one entry."""
    digest = hashlib.sha256(INDEXER_VERSION.encode())
    for file in _source_files(pkg.root):
        try:
            data = file.read_bytes()
        except OSError:
            continue
        digest.update(str(file.relative_to(pkg.root)).encode() + b"\0")
        digest.update(hashlib.sha256(data).digest())
    return f"{pkg.name}@{pkg.version}#{digest.hexdigest()[:20]}"


def gates_missing(gates: tuple[str, ...], enabled: tuple[str, ...]) -> list[str]:
    """The gates of an item that the enabled features do not satisfy (`a|b`: any of them)."""
    on = set(enabled)
    return [g for g in gates if not on.intersection(g.split("|"))]
