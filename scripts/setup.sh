#!/usr/bin/env bash
# One command for a newcomer: installs what is needed, builds the library (shared, static,
# header), the gateway emulator and the Java jar once in release mode, and runs the C demo: the client example
# fetching a token from the local HTTPS gateway emulator and signing requests, plus an offline
# SNAP signature.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/deps.sh
cargo build --release --workspace
lib=target/release
mkdir -p target/c/lib
ln -sfn "$PWD/$lib/libpayauth.so" target/c/lib/libpayauth.so
ln -sfn "$PWD/$lib/libpayauth.so" target/c/lib/libpayauth.so.0
for src in examples-c/*.c; do
  name=$(basename "$src" .c)
  gcc -std=c11 -Wall -Wextra -O2 -Iinclude "$src" -Ltarget/c/lib -Wl,-rpath,"$PWD/target/c/lib" -lpayauth \
    -o "target/c/$name"
done
echo "== bindings: the Java jar (Python and PHP need no build step)"
bindings/java/build.sh
echo "== demo: examples-c/client_netzme.c against the local HTTPS gateway emulator"
EMULATOR=target/release/payauth-emulator scripts/with-emulator.sh target/c/client_netzme
echo
echo "== demo: examples-c/snap.c (SNAP BI service signature and B2B token headers, offline)"
target/c/snap
echo
echo "Built: $lib/libpayauth.so (SONAME libpayauth.so.0), $lib/libpayauth.a, include/payauth.h."
echo "Every example is in target/c/; the Java binding is target/bindings/java/payauth.jar; the"
echo "Python and PHP packages are bindings/python and bindings/php (PAYAUTH_LIBRARY=$PWD/$lib/libpayauth.so)."
echo "Run the tests with scripts/test.sh."
