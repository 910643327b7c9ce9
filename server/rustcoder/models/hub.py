"""Model files through the huggingface-hub cache: pull once online, resolve offline after.

Resolution never touches the network (`local_files_only=True`), so the server
starts and answers the same with or without internet. The cache location and
HF_HUB_OFFLINE are read from the environment at each call (huggingface-hub
reads them once at import), which keeps tests and long-running servers honest.
"""

from __future__ import annotations

import glob
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rustcoder.models.backend import ModelError
from rustcoder.models.registry import ModelSpec, Variant

_TRUE = ("1", "true", "yes", "on")


def cache_dir() -> Path:
    """Where huggingface-hub keeps models, by its own rules."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"]).expanduser()
    if os.environ.get("HF_HOME"):
        return Path(os.environ["HF_HOME"]).expanduser() / "hub"
    xdg = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(xdg).expanduser() / "huggingface" / "hub"


def offline() -> bool:
    value = os.environ.get("HF_HUB_OFFLINE") or os.environ.get("TRANSFORMERS_OFFLINE") or ""
    return value.strip().lower() in _TRUE


def repo_folder(spec: ModelSpec) -> Path:
    return cache_dir() / ("models--" + spec.repo.replace("/", "--"))


def pull_hint(name: str) -> str:
    return f"run `rustcoder model pull {name}` (once, online)"


@dataclass(frozen=True)
class ResolvedModel:
    spec: ModelSpec
    variant: Variant
    snapshot: Path
    model_path: Path
    tokenizer_path: Path


def _snapshot(spec: ModelSpec, patterns: list[str]) -> Path | None:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    try:
        path = snapshot_download(
            spec.repo,
            revision=spec.revision,
            cache_dir=str(cache_dir()),
            local_files_only=True,
            allow_patterns=patterns,
        )
    except LocalEntryNotFoundError:
        return None
    except Exception as exc:  # a corrupt cache, an unreadable refs file, ...
        raise ModelError(
            f"the cached files of {spec.name} ({repo_folder(spec)}) are unreadable: {exc}; "
            f"remove them with `rustcoder model remove {spec.name}` and pull again"
        ) from exc
    return Path(str(path))


def missing_files(snapshot: Path, patterns: list[str]) -> list[str]:
    """Patterns with no matching file (a glob ending in '*' may match nothing)."""
    missing = []
    for pattern in patterns:
        if pattern.endswith("*"):
            continue
        if not glob.glob(str(snapshot / pattern)):
            missing.append(pattern)
    return missing


def variant_cached(spec: ModelSpec, variant: Variant) -> Path | None:
    """The snapshot holding every file of `variant`, or None."""
    snapshot = _snapshot(spec, spec.patterns(variant))
    required = [variant.model_file, spec.tokenizer]
    if snapshot is None or missing_files(snapshot, required):
        return None
    return snapshot


def resolve(spec: ModelSpec, variant_name: str | None, device: str) -> ResolvedModel:
    """Files of a pulled model; the machine's preferred variant first, then any cached one."""
    if variant_name is not None:
        candidates = [spec.variant(variant_name)]
    else:
        preferred = spec.default_variant(device)
        candidates = [preferred, *(v for v in spec.variants if v != preferred)]
    for variant in candidates:
        snapshot = variant_cached(spec, variant)
        if snapshot is not None:
            return ResolvedModel(
                spec=spec,
                variant=variant,
                snapshot=snapshot,
                model_path=snapshot / variant.model_file,
                tokenizer_path=snapshot / spec.tokenizer,
            )
    shown = spec.name if variant_name is None else f"{spec.name}:{variant_name}"
    raise ModelError(f"model {shown} is not downloaded: {pull_hint(shown)}")


def pull(spec: ModelSpec, variant: Variant, progress: bool = True) -> ResolvedModel:
    """Download one variant into the cache (with huggingface-hub's progress bars)."""
    if spec.unavailable:
        raise ModelError(f"{spec.name} cannot be pulled: {spec.unavailable}")
    if offline():
        raise ModelError(f"cannot pull {spec.name}: HF_HUB_OFFLINE is set; unset it to download")
    from huggingface_hub import constants, snapshot_download
    from huggingface_hub.utils import disable_progress_bars, enable_progress_bars

    # huggingface-hub read HF_HUB_OFFLINE once, at import; the environment now says online.
    constants.HF_HUB_OFFLINE = False
    patterns = spec.patterns(variant)
    if not progress:
        disable_progress_bars()
    try:
        path = Path(
            str(
                snapshot_download(
                    spec.repo,
                    revision=spec.revision,
                    cache_dir=str(cache_dir()),
                    allow_patterns=patterns,
                    endpoint=os.environ.get("HF_ENDPOINT") or None,
                )
            )
        )
    except Exception as exc:  # network, auth, missing repo: all end the same way
        raise ModelError(f"could not download {spec.name} from {spec.repo}: {exc}") from exc
    finally:
        if not progress:
            enable_progress_bars()
    missing = missing_files(path, [variant.model_file, spec.tokenizer])
    if missing:
        raise ModelError(
            f"{spec.repo} has no {', '.join(missing)}: the registry entry for {spec.name} "
            "does not match the repository's layout"
        )
    return ResolvedModel(spec, variant, path, path / variant.model_file, path / spec.tokenizer)


def remove(spec: ModelSpec) -> int:
    """Delete the model's whole cache folder; returns the bytes freed (0 if absent)."""
    folder = repo_folder(spec)
    if not folder.exists():
        return 0
    freed = folder_size(folder)
    try:
        shutil.rmtree(folder)
    except OSError as exc:
        raise ModelError(f"could not remove {folder}: {exc}") from exc
    return freed


def folder_size(folder: Path) -> int:
    """Bytes on disk, counting each blob once (snapshots hold symlinks to blobs)."""
    total = 0
    seen: set[Any] = set()
    for root, _dirs, files in os.walk(folder):
        for f in files:
            p = Path(root) / f
            try:
                st = p.stat()
            except OSError:
                continue
            key = (st.st_dev, st.st_ino)
            if key not in seen:
                seen.add(key)
                total += st.st_size
    return total


def files_of(snapshot: Path, patterns: list[str]) -> list[tuple[str, int]]:
    """(relative path, size) of the cached files matching the patterns."""
    out: dict[str, int] = {}
    for pattern in patterns:
        for match in glob.glob(str(snapshot / pattern)):
            p = Path(match)
            try:
                out[str(p.relative_to(snapshot))] = p.stat().st_size
            except OSError:
                continue
    return sorted(out.items())
