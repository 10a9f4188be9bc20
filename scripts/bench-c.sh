#!/usr/bin/env bash
# Benchmark (not a test: it never judges the times): per-call cost of each scheme's signature
# through the C ABI next to OpenSSL 3 HMAC/RSA over the same string-to-sign. See bench/bench_sign.c.
#
# Usage: scripts/bench-c.sh LIBDIR    (e.g. target/release; needs gcc, pkg-config, libssl-dev)
# Builds target/c/bench_sign with -O2 and runs it from the repository root.
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 LIBDIR" >&2
  exit 2
fi
libdir=$(cd "$1" && pwd) # resolved from the caller's directory, before moving to the repo root
cd "$(dirname "$0")/.."
[ -f "$libdir/libpayauth.so" ] || { echo "bench-c: $libdir/libpayauth.so not found (cargo build --release)" >&2; exit 1; }
pkg-config --exists libcrypto || { echo "bench-c: libcrypto not found (apt-get install libssl-dev)" >&2; exit 1; }

out=target/c
lib="$PWD/$out/lib"
mkdir -p "$lib"
# The .so's SONAME is libpayauth.so.0: link and load through symlinks, leaving LIBDIR untouched.
ln -sfn "$libdir/libpayauth.so" "$lib/libpayauth.so"
ln -sfn "$libdir/libpayauth.so" "$lib/libpayauth.so.0"

echo "== bench-c: building $out/bench_sign (-O2) against $libdir/libpayauth.so and $(pkg-config --modversion libcrypto)"
read -r -a crypto_cflags <<<"$(pkg-config --cflags libcrypto)"
read -r -a crypto_libs <<<"$(pkg-config --libs libcrypto)"
gcc -std=c11 -Wall -Wextra -Werror -O2 -Iinclude "${crypto_cflags[@]}" bench/bench_sign.c \
  -L"$lib" -Wl,-rpath,"$lib" -lpayauth "${crypto_libs[@]}" -o "$out/bench_sign"
echo "== bench-c: running (a few seconds)"
"$out/bench_sign"
