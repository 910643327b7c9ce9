#!/usr/bin/env bash
# The main job on a bundled example: check a broken crate and show the
# diagnostics and quick fixes rustcoder would offer in the editor.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
echo "==> rustcoder check examples/broken-inventory"
status=0
.venv/bin/rustcoder check examples/broken-inventory "$@" || status=$?
# Exit status 1 means "the crate has errors", which is the point of the example.
if [[ $status -gt 1 ]]; then exit "$status"; fi
