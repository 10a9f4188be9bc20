#!/usr/bin/env bash
# The Java binding's whole suite, non-interactive (the contract of scripts/bindings-check.sh):
# builds into target/bindings/java, runs every JUnit test against the real library and the
# gateway emulator, then the benchmark in quick mode. Exits non-zero on any failure.
#
# Needs: PAYAUTH_LIBRARY, PAYAUTH_INCLUDE_DIR, PAYAUTH_VECTORS_DIR, PAYAUTH_GATEWAY,
# PAYAUTH_CA_FILE, PAYAUTH_REPO (scripts/bindings-check.sh sets them all).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo/target/bindings/java
for v in PAYAUTH_LIBRARY PAYAUTH_INCLUDE_DIR PAYAUTH_VECTORS_DIR PAYAUTH_GATEWAY PAYAUTH_CA_FILE; do
  [ -n "${!v:-}" ] || { echo "java/test.sh: $v is not set (run scripts/bindings-check.sh LIBDIR)" >&2; exit 2; }
done
export PAYAUTH_REPO=${PAYAUTH_REPO:-$repo}
JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}
JUNIT_JAR=${JUNIT_JAR:-/usr/share/java/junit4.jar}
HAMCREST_JAR=${HAMCREST_JAR:-/usr/share/java/hamcrest-core.jar}
export JNA_JAR JUNIT_JAR HAMCREST_JAR

# This run's own directory (temporary files, JNA's extraction), removed at exit, so that two runs
# in one work tree do not disturb each other. First into it: a copy of the emulator's CA, which
# scripts/with-emulator.sh writes to one shared path (target/c/emulator-ca.pem).
mkdir -p "$out/tmp"
run=$(mktemp -d "$out/tmp/run.XXXXXX")
trap 'rm -rf "$run"' EXIT
cp "$PAYAUTH_CA_FILE" "$run/emulator-ca.pem"
export PAYAUTH_CA_FILE=$run/emulator-ca.pem

"$here/build.sh"
cp="$out/classes/test:$out/payauth.jar:$JNA_JAR:$JUNIT_JAR:$HAMCREST_JAR"
jvm=(java -Xss1m -Xmx512m -Djna.tmpdir="$run" -Djava.io.tmpdir="$run" -Dpayauth.test.tmp="$run"
     -Dpayauth.test.jna="$JNA_JAR")
"${jvm[@]}" -cp "$cp" io.payauth.RunAll </dev/null
echo "== java: benchmark (quick mode)"
PAYAUTH_BENCH_QUICK=1 "${jvm[@]}" -cp "$cp" io.payauth.SignBench </dev/null
