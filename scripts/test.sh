#!/usr/bin/env bash
# The whole test suite: lint, format check, type check, then every test.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh --dev
# Debian's crate sources for the API-index tests (tests/apiindex); quick when present.
if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null; then bench/llm-corpus/install.sh; fi
echo "==> ruff check";        .venv/bin/ruff check server tests bench
echo "==> ruff format --check"; .venv/bin/ruff format --check server tests bench
echo "==> mypy";              .venv/bin/mypy
if [[ "${RUSTCODER_SKIP_VSCODE:-}" != 1 ]]; then
    if ! command -v npm >/dev/null; then
        echo "the VS Code extension needs Node.js >= 20 with npm (or set RUSTCODER_SKIP_VSCODE=1)" >&2
        exit 2
    fi
    echo "==> vscode-client: npm ci, eslint, tsc, node --test, vsce package"
    (cd vscode-client && npm ci --no-audit --no-fund --loglevel=error && npm run --silent lint \
        && npm run --silent typecheck && npm test --silent && npm run --silent package)
fi
echo "==> editors for the real-editor tests: scripts/setup-editor-tests.sh (cached after the first run)"
editors=(emacs)
[[ "${RUSTCODER_SKIP_VSCODE:-}" != 1 ]] && editors+=(vscode)
# Status 3: this platform cannot run them; their tests then skip and say why.
scripts/setup-editor-tests.sh "${editors[@]}" >/dev/null || [[ $? == 3 ]]
echo "==> pytest"
.venv/bin/pytest "$@"
