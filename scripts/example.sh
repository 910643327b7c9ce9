#!/usr/bin/env bash
# The main job on a bundled example: check a broken crate, show the
# diagnostics and quick fixes rustcoder offers in the editor, then the fixes
# it verified by compiling them (as a diff; the example's files stay as they are).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/bootstrap.sh
echo "==> rustcoder check examples/broken-inventory"
status=0
.venv/bin/rustcoder check examples/broken-inventory "$@" || status=$?
# Exit status 1 means "the crate has errors", which is the point of the example.
if [[ $status -gt 1 ]]; then exit "$status"; fi
echo
echo "==> rustcoder fix examples/broken-inventory   (verified fixes, shown as a diff; --apply writes them)"
status=0
.venv/bin/rustcoder fix examples/broken-inventory || status=$?
if [[ $status -gt 1 ]]; then exit "$status"; fi
