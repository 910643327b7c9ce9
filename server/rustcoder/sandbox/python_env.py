"""What a contained `rustcoder` subprocess needs to see: this interpreter, the package, the KB.

The fix rounds of compile-and-fix run `rustcoder fix` inside the job's
sandbox (its checks run the job's build scripts). It reads the Python
installation, the rustcoder sources, the shipped knowledge base and the
local model cache, all read-only; it learns nothing into the user's KB
(its `$HOME` is the job's empty one).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import rustcoder
from rustcoder.kb.locate import base_path
from rustcoder.models import hub
from rustcoder.models.registry import USER_REGISTRY_ENV


def rustcoder_command(*args: str) -> tuple[list[str], dict[str, str], list[Path]]:
    """argv, extra environment and readable host paths of `python -m rustcoder ARGS`."""
    argv = [sys.executable, "-m", "rustcoder", *args]
    env = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONNOUSERSITE": "1", "HF_HUB_OFFLINE": "1"}
    readable = [
        Path(sys.prefix),
        Path(sys.base_prefix),
        Path(os.path.realpath(sys.executable)).parent,
        Path(rustcoder.__file__).resolve().parents[1],
    ]
    kb = base_path()
    if kb.is_file():
        env["RUSTCODER_KB"] = str(kb.resolve())
        readable.append(kb.resolve())
    models = hub.cache_dir()
    if models.is_dir():
        env["HF_HUB_CACHE"] = str(models.resolve())
        readable.append(models.resolve())
    registry = os.environ.get(USER_REGISTRY_ENV, "").strip()
    if registry and Path(registry).is_file():
        env[USER_REGISTRY_ENV] = str(Path(registry).resolve())
        readable.append(Path(registry).resolve())
    return argv, env, readable
