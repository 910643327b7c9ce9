"""Who and what learned an example: an opaque contributor id, the rustc, the edition.

A shared base mixes fixes from many machines; recording where each came from
lets a team judge and remove them (`rustcoder kb forget`). The contributor id
is random (made once per user, `$RUSTCODER_CONTRIBUTOR` overrides it) so no
name or host leaves the machine.
"""

from __future__ import annotations

import functools
import os
import tomllib
import uuid
from dataclasses import dataclass
from pathlib import Path

from rustcoder.kb import locate

EDITIONS = ("2015", "2018", "2021", "2024")


@dataclass(frozen=True)
class Provenance:
    contributor: str = ""
    rustc: str = ""
    edition: str = ""


def contributor_id() -> str:
    """`$RUSTCODER_CONTRIBUTOR`, else a random id kept beside the learned file."""
    env = os.environ.get("RUSTCODER_CONTRIBUTOR", "").strip()
    if env:
        return env[:64]
    path = locate.user_path().parent / "contributor-id"
    try:
        text = path.read_text(encoding="utf-8").strip()
        if text:
            return text[:64]
    except OSError:
        pass
    made = uuid.uuid4().hex
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".part")
        tmp.write_text(made + "\n", encoding="utf-8")
        tmp.replace(path)
    except OSError:
        pass  # still opaque, just not stable across runs
    return made


@functools.lru_cache(maxsize=4)
def rustc_version(rustc: str = "rustc") -> str:
    """`rustc --version`, or "" when there is no rustc (never fails a learn event)."""
    from rustcoder.kb.rustc_explain import ExplainError
    from rustcoder.kb.rustc_explain import rustc_version as ask

    try:
        return ask(rustc)
    except ExplainError:
        return ""


def crate_edition(file: Path) -> str:
    """The edition of the package that holds `file` ("" when unknown).

    Follows `edition.workspace = true` to the workspace root's manifest; a
    package without an `edition` key is 2015, as cargo reads it.
    """
    for folder in file.resolve().parents:
        manifest = folder / "Cargo.toml"
        if not manifest.is_file():
            continue
        data = _manifest(manifest)
        package = data.get("package")
        if not isinstance(package, dict):
            continue  # a virtual workspace manifest: keep looking up
        edition = package.get("edition", "2015")
        if isinstance(edition, dict) and edition.get("workspace") is True:
            return _workspace_edition(folder.parent)
        return str(edition) if str(edition) in EDITIONS else ""
    return ""


def _workspace_edition(start: Path) -> str:
    for folder in (start, *start.parents):
        manifest = folder / "Cargo.toml"
        if manifest.is_file():
            workspace = _manifest(manifest).get("workspace")
            if isinstance(workspace, dict):
                package = workspace.get("package")
                edition = package.get("edition", "") if isinstance(package, dict) else ""
                return str(edition) if str(edition) in EDITIONS else ""
    return ""


def _manifest(path: Path) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}
