#!/usr/bin/env bash
# The crates the corpus programs may use, offline: Debian's librust-*-dev packages put
# their sources under /usr/share/cargo/registry, which bench/llm_corpus.py configures as
# a cargo directory source in a .cargo/config.toml above the crates.
set -euo pipefail
pkgs=(serde serde-derive serde-json chrono tokio uuid rand anyhow thiserror regex itertools csv futures url)
missing=()
for p in "${pkgs[@]}"; do
    dpkg -s "librust-$p-dev" >/dev/null 2>&1 || missing+=("librust-$p-dev")
done
if ((${#missing[@]})); then
    sudo_=""; [[ $(id -u) -ne 0 ]] && sudo_="sudo"
    $sudo_ apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -q -o DPkg::Lock::Timeout=900 "${missing[@]}"
fi
echo "crates ready under /usr/share/cargo/registry"
