#!/usr/bin/env bash
# Installs what building and testing payauth needs on Debian 12 (idempotent, non-interactive).
# Runs apt-get only when a package is missing. Needs root or sudo for apt-get.
set -euo pipefail

# C toolchain and checks; redis-server for the fleet-tier tests; php-cli + phpunit, a JDK with
# JNA and JUnit, python3 with cffi + pytest for the bindings; dpkg-dev for the Debian packages;
# faketime (libfaketime) for the clock-step tests; tinyproxy and microsocks for the proxy tests.
packages=(build-essential pkg-config libssl-dev libcjson-dev valgrind binutils redis-server
  php-cli phpunit openjdk-17-jdk-headless libjna-java junit4 python3 python3-cffi python3-pytest
  python3-pip python3-wheel
  dpkg-dev faketime tinyproxy microsocks)
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
# The python3 first on PATH may not be Debian's (pyenv): give it cffi and pytest too.
if ! python3 -c 'import cffi, pytest' 2>/dev/null; then
  echo "deps: installing cffi and pytest for $(command -v python3)"
  python3 -m pip install -q --disable-pip-version-check cffi pytest 2>/dev/null ||
    python3 -m pip install -q --disable-pip-version-check --break-system-packages cffi pytest
fi
echo "deps: ok ($(cargo --version))"
