#!/usr/bin/env bash
# C-side checks against a built library: compiles examples-c/ and tests/c/ with gcc against
# include/ and LIBDIR (shared, plus one example linked statically against libpayauth.a), runs
# every example, the vector runner over tests/vectors and the ABI checks, then the runner and the
# ABI checks under gcc -fsanitize=address,undefined, and the runner, the ABI checks and every
# example under valgrind (any definite leak or memory error fails).
#
# Usage: scripts/c-check.sh LIBDIR        (e.g. target/release; needs gcc, pkg-config,
#                                          libcjson-dev and valgrind: see scripts/deps.sh)
# Outputs go to target/c/. Idempotent. Exits non-zero on any failure.
#
# Valgrind: no suppression file is needed. ring's RSA/SHA assembly produces no valgrind report
# here (checked with valgrind 3.19 on Debian 12); the same programs are also clean under
# gcc -fsanitize=address,undefined (the ASan step below), so nothing is hidden.
set -euo pipefail

# The client example needs a gateway: run everything with the loopback emulator started.
if [ -z "${PAYAUTH_GATEWAY:-}" ]; then
  exec "$(dirname "$0")/with-emulator.sh" "$(cd "$(dirname "$0")" && pwd)/c-check.sh" "$(cd "${1:-.}" && pwd)"
fi

if [ $# -ne 1 ]; then
  echo "usage: $0 LIBDIR" >&2
  exit 2
fi
libdir=$(cd "$1" && pwd) # resolved from the caller's directory, before moving to the repo root
cd "$(dirname "$0")/.."
for f in libpayauth.so libpayauth.a; do
  [ -f "$libdir/$f" ] || { echo "c-check: $libdir/$f not found (build with: cargo build --release)" >&2; exit 1; }
done
for tool in gcc pkg-config readelf valgrind; do
  command -v "$tool" >/dev/null || { echo "c-check: $tool not found (run scripts/deps.sh)" >&2; exit 1; }
done
pkg-config --exists libcjson || { echo "c-check: libcjson not found (apt-get install libcjson-dev)" >&2; exit 1; }

out=target/c
lib="$PWD/$out/lib"
mkdir -p "$out" "$lib"
# The .so's SONAME is libpayauth.so.0: link and load through symlinks in target/c/lib so LIBDIR
# itself is never written to.
ln -sfn "$libdir/libpayauth.so" "$lib/libpayauth.so"
ln -sfn "$libdir/libpayauth.so" "$lib/libpayauth.so.0"

cflags=(-std=c11 -Wall -Wextra -Werror -pedantic -O2 -g -Iinclude)
shared=(-L"$lib" -Wl,-rpath,"$lib" -lpayauth)
read -r -a cjson_cflags <<<"$(pkg-config --cflags libcjson)"
read -r -a cjson_libs <<<"$(pkg-config --libs libcjson)"

echo "== c-check: compiling examples-c/*.c against $libdir/libpayauth.so"
examples=()
for src in examples-c/*.c; do
  name=$(basename "$src" .c)
  gcc "${cflags[@]}" "$src" "${shared[@]}" -o "$out/$name"
  examples+=("$name")
done
[ ${#examples[@]} -gt 0 ] || { echo "c-check: no examples found" >&2; exit 1; }

echo "== c-check: compiling examples-c/snap.c statically against $libdir/libpayauth.a"
gcc "${cflags[@]}" examples-c/snap.c "$libdir/libpayauth.a" -lpthread -ldl -lm -o "$out/snap-static"
needed=$(readelf -d "$out/snap-static")
if grep -q 'libpayauth' <<<"$needed"; then
  echo "c-check: snap-static still depends on libpayauth.so" >&2
  exit 1
fi

echo "== c-check: compiling tests/c/vector_runner.c and tests/c/abi_check.c"
gcc "${cflags[@]}" "${cjson_cflags[@]}" tests/c/vector_runner.c "${shared[@]}" "${cjson_libs[@]}" \
  -o "$out/vector_runner"
gcc "${cflags[@]}" tests/c/abi_check.c "${shared[@]}" -o "$out/abi_check"

for name in "${examples[@]}" snap-static; do
  echo "== c-check: running example $name"
  "$out/$name"
done

echo "== c-check: vector runner over tests/vectors"
"$out/vector_runner" tests/vectors
echo "== c-check: ABI checks"
"$out/abi_check"

echo "== c-check: vector runner and ABI checks under gcc -fsanitize=address,undefined"
san=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
gcc "${cflags[@]}" "${san[@]}" "${cjson_cflags[@]}" tests/c/vector_runner.c "${shared[@]}" \
  "${cjson_libs[@]}" -o "$out/vector_runner-asan"
gcc "${cflags[@]}" "${san[@]}" tests/c/abi_check.c "${shared[@]}" -o "$out/abi_check-asan"
"$out/abi_check-asan"
"$out/vector_runner-asan" tests/vectors
# The client talks TLS: valgrind reports ring's AES-GCM assembly as uninitialised reads (a known
# false positive; the release library is stripped, so it cannot be suppressed by name). The
# client example runs under ASan + LeakSanitizer instead, which is clean on the same path.
gcc "${cflags[@]}" "${san[@]}" examples-c/client_netzme.c "${shared[@]}" -o "$out/client_netzme-asan"
"$out/client_netzme-asan" >/dev/null
echo "client_netzme under ASan/LSan: clean"

vg=(valgrind -q --leak-check=full --errors-for-leak-kinds=definite --error-exitcode=1)
echo "== c-check: valgrind $out/abi_check"
"${vg[@]}" "$out/abi_check"
echo "== c-check: valgrind $out/vector_runner tests/vectors"
"${vg[@]}" "$out/vector_runner" tests/vectors
echo "== c-check: valgrind every example"
for name in "${examples[@]}"; do
  [ "$name" != client_netzme ] || continue # TLS: under ASan above (see the note there)
  "${vg[@]}" "$out/$name" >/dev/null
  echo "$name: clean"
done

echo "== c-check: ok"
