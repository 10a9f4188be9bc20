#!/usr/bin/env bash
# Compiles the Java binding into target/bindings/java (never into the source tree):
#   classes/main + payauth.jar   the library (package io.payauth)
#   classes/test                 the JUnit tests, the benchmark and the cross-check tool
# Needs javac 17+, Debian's libjna-java and junit4 (override the jar paths with JNA_JAR,
# JUNIT_JAR, HAMCREST_JAR). Prints nothing on success.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$repo/target/bindings/java
JNA_JAR=${JNA_JAR:-/usr/share/java/jna.jar}
JUNIT_JAR=${JUNIT_JAR:-/usr/share/java/junit4.jar}
HAMCREST_JAR=${HAMCREST_JAR:-/usr/share/java/hamcrest-core.jar}
for j in "$JNA_JAR" "$JUNIT_JAR" "$HAMCREST_JAR"; do
  [ -f "$j" ] || { echo "build.sh: $j is missing (apt-get install libjna-java junit4)" >&2; exit 1; }
done

# Build in a private staging directory, then swap it in with renames, so that a suite already
# running from target/bindings/java (another run in the same work tree) never sees it half-built.
mkdir -p "$out"
stage=$(mktemp -d "$out/.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/classes/main" "$stage/classes/test"
javac --release 17 -Xlint:all -Werror -encoding UTF-8 -d "$stage/classes/main" -cp "$JNA_JAR" \
  $(find "$here/src/main/java" -name '*.java')
cat >"$stage/MANIFEST.MF" <<MF
Automatic-Module-Name: io.payauth
Main-Class: io.payauth.PayAuth
Implementation-Title: payauth Java binding
MF
jar --create --file "$stage/payauth.jar" --manifest "$stage/MANIFEST.MF" -C "$stage/classes/main" .
javac --release 17 -Xlint:all,-processing -Werror -encoding UTF-8 -d "$stage/classes/test" \
  -cp "$stage/payauth.jar:$JNA_JAR:$JUNIT_JAR:$HAMCREST_JAR" \
  $(find "$here/src/test/java" "$here/src/bench/java" -name '*.java')
old="$stage/old"
mkdir "$old"
[ ! -e "$out/classes" ] || mv "$out/classes" "$old/classes"
mv "$stage/classes" "$out/classes"
mv -f "$stage/payauth.jar" "$out/payauth.jar"
touch "$out/.built"
