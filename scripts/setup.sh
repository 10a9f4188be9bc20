#!/usr/bin/env bash
# One command for a newcomer: installs what is needed, builds the library (shared, static,
# header) once in release mode, and runs the C demo programs in examples-c/.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
cargo build --release
lib=target/release
ln -sf libpayauth.so "$lib/libpayauth.so.0"
mkdir -p target/c
for src in examples-c/*.c; do
  name=$(basename "$src" .c)
  gcc -std=c11 -Wall -Wextra -O2 -Iinclude "$src" -L"$lib" -Wl,-rpath,"$PWD/$lib" -lpayauth -o "target/c/$name"
done
echo "== demo: examples-c/snap.c (SNAP BI service signature and B2B token headers)"
target/c/snap
echo
echo "== demo: examples-c/netzme.c (Netzme legacy signature)"
target/c/netzme
echo
echo "Built: $lib/libpayauth.so, $lib/libpayauth.a, include/payauth.h. All examples: target/c/."
