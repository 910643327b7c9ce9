#!/usr/bin/env bash
# The whole test suite: lint, format check, type check, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --dev
echo "==> ruff check";        .venv/bin/ruff check server tests bench
echo "==> ruff format --check"; .venv/bin/ruff format --check server tests bench
echo "==> mypy";              .venv/bin/mypy
echo "==> pytest"
.venv/bin/pytest "$@"
