#!/usr/bin/env bash
# The Python binding's suite, per the contract of scripts/bindings-check.sh (which starts the
# emulator and sets PAYAUTH_LIBRARY, PAYAUTH_INCLUDE_DIR, PAYAUTH_VECTORS_DIR, PAYAUTH_GATEWAY,
# PAYAUTH_CA_FILE, PAYAUTH_REPO). Downloads nothing. Writes only under target/bindings/python/.
#
# Interpreters: $PYTHON if set, else `python3` and also Debian's /usr/bin/python3 when it is a
# different interpreter with cffi and pytest (two cffi versions). For each, when it can build a
# wheel offline (pip, setuptools, wheel) the package is pip-installed from a copy of its sources
# into target/bindings/python/site-<n> with its compiled cffi module (proving `pip install
# bindings/python` works; the copy keeps build/ and *.egg-info out of the source tree);
# otherwise a copy of the source tree gets the module from build_ffi.py. The suite runs there in
# API mode, then the vectors, cross and result tests again in ABI mode (the fallback). Then the
# benchmark runs in quick mode so that it cannot rot.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=${PAYAUTH_REPO:-$(cd "$here/../.." && pwd)}
out=$repo/target/bindings/python
: "${PAYAUTH_LIBRARY:?set PAYAUTH_LIBRARY to libpayauth.so (see scripts/bindings-check.sh)}"
: "${PAYAUTH_GATEWAY:?run under scripts/with-emulator.sh (see scripts/bindings-check.sh)}"
export PYTHONDONTWRITEBYTECODE=1

pythons=("${PYTHON:-python3}")
if [ -z "${PYTHON:-}" ] && [ -x /usr/bin/python3 ] &&
  [ "$(command -v python3)" != /usr/bin/python3 ] &&
  /usr/bin/python3 -c 'import cffi, pytest' 2>/dev/null; then
  pythons+=(/usr/bin/python3)
fi
mkdir -p "$out"
# Our own copy of the emulator's CA: scripts/with-emulator.sh writes it to one fixed path that
# another emulator started in the same worktree would overwrite while this suite runs.
if [ -n "${PAYAUTH_CA_FILE:-}" ]; then
  cp "$PAYAUTH_CA_FILE" "$out/emulator-ca.pem"
  export PAYAUTH_CA_FILE=$out/emulator-ca.pem
fi
n=0
status=0
for py in "${pythons[@]}"; do
  n=$((n + 1))
  "$py" -c 'import cffi, pytest' || { echo "python test.sh: $py needs cffi and pytest" >&2; exit 1; }
  about=$("$py" -c 'import sys, cffi; print(sys.executable, sys.version.split()[0], "cffi", cffi.__version__)')
  # The compiled cffi module (API mode) is built either way: by pip through setup.py, or by
  # build_ffi.py into a copy of the source tree. PAYAUTH_INCLUDE_DIR and PAYAUTH_LIBRARY say
  # what to compile against and link.
  export PAYAUTH_INCLUDE_DIR=${PAYAUTH_INCLUDE_DIR:-$repo/include}
  site=$out/site-$n
  rm -rf "$out/pkg-$n" "$site"
  if "$py" -c 'import setuptools, wheel, pip' 2>/dev/null; then
    cp -r "$here" "$out/pkg-$n"
    rm -rf "$out/pkg-$n/tests" "$out/pkg-$n/build" "$out/pkg-$n/src/payauth.egg-info"
    echo "== python [$about]: pip install (local, no index, compiled module) into $site"
    "$py" -m pip install --quiet --no-deps --no-build-isolation --no-index \
      --disable-pip-version-check --root-user-action=ignore --target "$site" "$out/pkg-$n"
  else
    echo "== python [$about]: no offline wheel build (pip, setuptools, wheel): a copy of the source tree, module built by build_ffi.py"
    mkdir -p "$site"
    cp -r "$here/src/payauth" "$site/"
    "$py" "$here/build_ffi.py" "$site" >/dev/null
    rm -f "$site"/payauth/_payauth_cffi.c "$site"/payauth/_payauth_cffi.o
  fi
  export PYTHONPATH=$site PAYAUTH_EXPECT_FFI_MODE=api
  (cd "$out" && "$py" -c 'import payauth, os, sys; print("   payauth from", os.path.dirname(payauth.__file__))')
  echo "== python [$about]: pytest"
  rm -f "$out/junit-$n.xml"
  rc=0
  (cd "$out" && timeout -k 5 75 "$py" -m pytest -p no:cacheprovider -q -ra \
    --rootdir "$here" -c "$here/pyproject.toml" --junitxml "$out/junit-$n.xml" "$here/tests") || rc=$?
  [ "$rc" -eq 0 ] || status=$rc
  # The ABI-mode fallback (no compiled module) on the same vectors and cross-language cases.
  echo "== python [$about]: pytest, ABI mode (vectors, cross, results)"
  rm -f "$out/junit-abi-$n.xml"
  (cd "$out" && PAYAUTH_PYTHON_FFI=abi PAYAUTH_EXPECT_FFI_MODE=abi timeout -k 5 75 "$py" -m pytest -p no:cacheprovider -q \
    --rootdir "$here" -c "$here/pyproject.toml" --junitxml "$out/junit-abi-$n.xml" \
    "$here/tests/test_vectors.py" "$here/tests/test_cross.py" "$here/tests/test_result.py") || status=$?
done
# One closing line over every interpreter, like the other bindings' suites.
"${pythons[0]}" - "$out" "$n" <<'PY'
import sys, xml.etree.ElementTree as ET
out, n = sys.argv[1], int(sys.argv[2])
tests = failed = skipped = 0
for name in [f"junit-{i}.xml" for i in range(1, n + 1)] + [f"junit-abi-{i}.xml" for i in range(1, n + 1)]:
    try:
        root = ET.parse(f"{out}/{name}").getroot()
    except (OSError, ET.ParseError):
        failed += 1  # the run died before writing its report
        continue
    for s in (root.iter("testsuite")):
        tests += int(s.get("tests", 0))
        failed += int(s.get("failures", 0)) + int(s.get("errors", 0))
        skipped += int(s.get("skipped", 0))
print(f"python: {tests - failed - skipped} passed, {failed} failed, {skipped} skipped")
PY
[ "$status" -eq 0 ] || exit "$status"

echo "== python: benchmark (quick)"
PAYAUTH_BENCH_QUICK=1 timeout -k 5 60 "${pythons[0]}" "$here/bench.py"
