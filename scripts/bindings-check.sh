#!/usr/bin/env bash
# Runs the Python, PHP and Java bindings' test suites against a built library with the loopback
# gateway emulator started, then the cross-language check (the same requests signed from C,
# Python, PHP and Java must give identical headers).
#
# Usage: scripts/bindings-check.sh LIBDIR      (e.g. target/release)
# Each bindings/<lang>/test.sh reads: PAYAUTH_LIBRARY (the .so), PAYAUTH_INCLUDE_DIR,
# PAYAUTH_VECTORS_DIR, PAYAUTH_GATEWAY and PAYAUTH_CA_FILE (the emulator), PAYAUTH_REPO.
set -euo pipefail
if [ -z "${PAYAUTH_GATEWAY:-}" ]; then
  exec "$(dirname "$0")/with-emulator.sh" "$(cd "$(dirname "$0")" && pwd)/bindings-check.sh" "$(cd "${1:-.}" && pwd)"
fi
[ $# -eq 1 ] || { echo "usage: $0 LIBDIR" >&2; exit 2; }
libdir=$(cd "$1" && pwd)
cd "$(dirname "$0")/.."
export PAYAUTH_REPO=$PWD
export PAYAUTH_LIBRARY=$libdir/libpayauth.so
export PAYAUTH_INCLUDE_DIR=$PWD/include
export PAYAUTH_VECTORS_DIR=$PWD/tests/vectors
[ -f "$PAYAUTH_LIBRARY" ] || { echo "bindings-check: $PAYAUTH_LIBRARY not found" >&2; exit 1; }
# Every language runs even if an earlier one fails; the failures are listed at the end.
failed=()
for lang in python php java; do
  echo "== bindings: $lang"
  "bindings/$lang/test.sh" || failed+=("$lang")
done
echo "== bindings: cross-language"
scripts/cross-check.sh || failed+=(cross-language)
if ((${#failed[@]})); then
  echo "bindings-check: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "bindings-check: python, php, java and the cross-language check passed"
