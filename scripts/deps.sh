#!/usr/bin/env bash
# Installs what building and testing payauth needs on Debian 12 (idempotent, non-interactive).
# Runs apt-get only when a package is missing. Needs root or sudo for apt-get.
set -euo pipefail

packages=(build-essential pkg-config libssl-dev libcjson-dev valgrind binutils)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v cargo >/dev/null 2>&1; then
  [ -x "$HOME/.cargo/bin/cargo" ] || {
    echo "deps: installing the Rust toolchain with rustup (edition 2024 needs rustc >= 1.85)"
    command -v curl >/dev/null || { ${sudo:-} apt-get install -y -qq curl >/dev/null; }
    curl -sSf https://sh.rustup.rs | sh -s -- -y --profile minimal --component clippy,rustfmt
  }
  export PATH="$HOME/.cargo/bin:$PATH"
fi
echo "deps: ok ($(cargo --version))"
