#!/usr/bin/env bash
# The PHP binding's whole suite (contract: scripts/bindings-check.sh, which sets PAYAUTH_LIBRARY,
# PAYAUTH_INCLUDE_DIR, PAYAUTH_VECTORS_DIR, PAYAUTH_GATEWAY, PAYAUTH_CA_FILE, PAYAUTH_REPO):
#   1. PHPUnit with FFI::cdef          (php -d ffi.enable=true)
#   2. PHPUnit in opcache preload mode (ffi.preload header + opcache.preload=preload.php,
#      ffi.enable=preload: the FFI scope "PAYAUTH", as under php-fpm)
#   3. the benchmark in quick mode (so that it cannot rot; it asserts no speed)
# Writes only under target/bindings/php/. Needs php8.2-cli (FFI, pcntl) and phpunit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=${PAYAUTH_REPO:-$(cd "$here/../.." && pwd)}
for v in PAYAUTH_LIBRARY PAYAUTH_INCLUDE_DIR PAYAUTH_VECTORS_DIR PAYAUTH_GATEWAY PAYAUTH_CA_FILE; do
  [ -n "${!v:-}" ] || { echo "php/test.sh: $v is not set (run scripts/bindings-check.sh LIBDIR)" >&2; exit 2; }
done
command -v php >/dev/null || { echo "php/test.sh: php not found (apt-get install php8.2-cli)" >&2; exit 2; }
phpunit=$(command -v phpunit) || { echo "php/test.sh: phpunit not found (apt-get install phpunit)" >&2; exit 2; }
php -r 'exit(extension_loaded("ffi") ? 0 : 1);' || { echo "php/test.sh: the PHP FFI extension is missing" >&2; exit 2; }

out=$repo/target/bindings/php
rm -rf "$out/tmp"
mkdir -p "$out/tmp"
export TMPDIR=$out/tmp PAYAUTH_REPO=$repo
unset PAYAUTH_HEADER # the suite checks the header shipped in the package
cd "$here"

echo "== php: PHPUnit, FFI::cdef mode"
PAYAUTH_EXPECT_MODE=cdef php -d ffi.enable=true -d zend.assertions=1 "$phpunit" -c phpunit.xml \
  --log-junit "$out/junit-cdef.xml"

echo "== php: PHPUnit, opcache preload mode (FFI scope PAYAUTH)"
php bin/payauth-preload-header "$out/payauth_preload.h"
PAYAUTH_EXPECT_MODE=preload php -d ffi.enable=preload -d ffi.preload="$out/payauth_preload.h" \
  -d opcache.enable_cli=1 -d opcache.preload="$here/preload.php" -d opcache.preload_user="$(id -un)" \
  -d zend.assertions=1 "$phpunit" -c phpunit.xml --log-junit "$out/junit-preload.xml"

echo "== php: benchmark (quick mode)"
PAYAUTH_BENCH_QUICK=1 php -d ffi.enable=true bench.php

# One closing line over both runs.
php -r '
$t = $f = $s = 0;
foreach (array_slice($argv, 1) as $file) {
    $x = simplexml_load_file($file)->testsuite;
    $t += (int) $x["tests"]; $f += (int) $x["failures"] + (int) $x["errors"]; $s += (int) $x["skipped"];
}
printf("php: %d passed, %d failed, %d skipped\n", $t - $f - $s, $f, $s);
exit($f > 0 ? 1 : 0);' "$out/junit-cdef.xml" "$out/junit-preload.xml"
