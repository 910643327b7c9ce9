"""A new shadow slot starts from the dependencies already compiled, not from nothing.

A fresh slot's target dir is seeded with a copy of a build directory that
already holds the workspace's dependencies (the flycheck's, or another slot's),
so its first check compiles only the workspace's own crates. This is sound
because cargo's fingerprints decide, as they do after moving a target dir:

- a dependency's artefact names and fingerprint hash come from its package id,
  version, features, profile, flags and rustc, never from the target dir; a
  registry or vendored crate is fresh by version, a build script's recorded
  output has its old `OUT_DIR` rewritten by cargo; copies keep their mtimes, so
  cargo's "newer than its dependency" comparisons see what they saw there;
- the fingerprints of the workspace's own packages are *not* copied: their
  files in the copy may differ from what the donor compiled while looking
  older, so cargo rebuilds them from the copy's files;
- the donor is copied, never linked (cargo rewrites fingerprint files in
  place), under a shared lock on cargo's own build-directory lock, so no cargo
  writes into it meanwhile; a donor busy for longer than the wait is skipped.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
import tomllib
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO

log = logging.getLogger(__name__)

#: cargo's lock on a build directory (one per profile dir).
CARGO_LOCK = ".cargo-lock"
#: Incremental state belongs to the workspace's own crates, which are rebuilt anyway.
NOT_COPIED = {"incremental", CARGO_LOCK}
#: The flycheck is incremental by the time a verification starts; a longer hold means a cold build.
LOCK_WAIT_S = 10.0


def package_names(manifests: Iterable[Path]) -> set[str]:
    """Package names declared by these `Cargo.toml` files (unreadable ones skipped)."""
    names: set[str] = set()
    for manifest in manifests:
        try:
            data = tomllib.loads(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
            continue
        package = data.get("package")
        if isinstance(package, dict) and isinstance(package.get("name"), str):
            names.add(package["name"])
    return names


def _fingerprint_dirs(build_dir: Path) -> list[Path]:
    """`.fingerprint` dirs of every profile (and target triple) in a build directory."""
    return [*build_dir.glob("*/.fingerprint"), *build_dir.glob("*/*/.fingerprint")]


def _usable(build_dir: Path) -> float | None:
    """When the donor last built (its newest fingerprint dir), or None if it never did."""
    stamps = []
    for directory in _fingerprint_dirs(build_dir):
        with contextlib.suppress(OSError):
            stamps.append(directory.stat().st_mtime)
    return max(stamps) if stamps else None


@contextlib.contextmanager
def _shared_locks(build_dir: Path, wait_s: float) -> Iterator[bool]:
    """Hold cargo's build-directory locks shared (no cargo builds there meanwhile)."""
    held: list[IO[bytes]] = []
    deadline = time.monotonic() + wait_s
    ok = True
    try:
        for lock_path in sorted(
            [*build_dir.glob(f"*/{CARGO_LOCK}"), *build_dir.glob(f"*/*/{CARGO_LOCK}")]
        ):
            try:
                handle = open(lock_path, "rb")  # noqa: SIM115 - closed in finally
            except OSError:
                continue
            held.append(handle)
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_SH | fcntl.LOCK_NB)
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        ok = False
                        break
                    time.sleep(0.05)
            if not ok:
                break
        yield ok
    finally:
        for opened in held:
            with contextlib.suppress(OSError):
                fcntl.flock(opened, fcntl.LOCK_UN)
            opened.close()


def _ignore(own_packages: set[str]) -> Callable[[str, list[str]], set[str]]:
    def ignore(directory: str, names: list[str]) -> set[str]:
        skipped = {name for name in names if name in NOT_COPIED}
        if os.path.basename(directory) == ".fingerprint":
            # `<package>-<hash>`: the workspace's own packages are rebuilt from the copy.
            skipped |= {name for name in names if name.rsplit("-", 1)[0] in own_packages}
        return skipped

    return ignore


def seed_target_dir(
    target_dir: Path,
    donors: Sequence[Path],
    own_packages: set[str],
    wait_s: float = LOCK_WAIT_S,
) -> Path | None:
    """Fill a slot's absent target dir from the most recently built donor; the donor used."""
    if target_dir.exists():
        return None
    ranked = sorted(
        ((stamp, donor) for donor in donors if (stamp := _usable(donor)) is not None),
        reverse=True,
    )
    for _, donor in ranked:
        partial = target_dir.with_name(target_dir.name + ".seeding")
        shutil.rmtree(partial, ignore_errors=True)
        with _shared_locks(donor, wait_s) as locked:
            if not locked:
                log.info("shadow seed: %s is busy, not copied", donor)
                continue
            try:
                shutil.copytree(
                    donor,
                    partial,
                    symlinks=True,
                    ignore=_ignore(own_packages),
                    copy_function=shutil.copy2,
                )
            except (OSError, shutil.Error) as exc:
                log.info("shadow seed: copying %s failed: %s", donor, exc)
                shutil.rmtree(partial, ignore_errors=True)
                continue
        try:
            os.replace(partial, target_dir)
        except OSError:
            shutil.rmtree(partial, ignore_errors=True)
            return None
        return donor
    return None
