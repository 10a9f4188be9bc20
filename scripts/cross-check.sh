#!/usr/bin/env bash
# Cross-language check: every signing, token-header and verification vector of tests/vectors
# (with its fixed timestamp, token and per-request inputs) run through C (tests/c/cross.c, the
# object API with extra JSON), Python, PHP and Java (each binding's one packed path) must give
# byte-identical output: the headers, the body to send, and the status of every case. Contract:
# tests/c/cross.c. Run by scripts/bindings-check.sh with PAYAUTH_LIBRARY set.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PAYAUTH_LIBRARY:?set PAYAUTH_LIBRARY to the built libpayauth.so}"
out=target/cross
mkdir -p "$out"
python3 - "$out/cases.json" <<'PY'
import json, pathlib, sys
# Every vector whose configuration is an object, whatever its outcome: the languages must agree
# on the headers, the body to send, verification results and refusals (by status name).
OPS = {"sign", "token_headers", "verify", "verify_rsa", "verify_snap_rsa", "verify_jws"}
cases = []
for f in sorted(pathlib.Path("tests/vectors").glob("*.json")):
    v = json.loads(f.read_text())
    if v.get("operation") not in OPS or not isinstance(v.get("config"), dict):
        continue
    case = {"id": v["id"], "op": v["operation"], "config": v["config"], "time_ms": 0, **v.get("input", {})}
    case["time_ms"] = case.pop("timestamp_ms", 0)
    cases.append(case)
json.dump({"cases": cases}, open(sys.argv[1], "w"), ensure_ascii=False)
print(f"cross: {len(cases)} cases")
PY
libdir=$(dirname "$PAYAUTH_LIBRARY")
mkdir -p "$out/lib"
ln -sfn "$PAYAUTH_LIBRARY" "$out/lib/libpayauth.so"
ln -sfn "$PAYAUTH_LIBRARY" "$out/lib/libpayauth.so.0"
gcc -std=c11 -Wall -Wextra -Werror -O1 -Iinclude tests/c/cross.c -L"$out/lib" -Wl,-rpath,"$PWD/$out/lib" \
  -lpayauth $(pkg-config --cflags --libs libcjson) -o "$out/cross-c"
"$out/cross-c" "$out/cases.json" >"$out/c.txt"
[ -s "$out/c.txt" ] || { echo "cross: C produced nothing" >&2; exit 1; }
status=0
for lang in python php java; do
  if [ -x "bindings/$lang/cross" ]; then
    "bindings/$lang/cross" "$out/cases.json" >"$out/$lang.txt"
    if cmp -s "$out/c.txt" "$out/$lang.txt"; then
      echo "cross: $lang identical to C ($(grep -c '^$' "$out/c.txt") cases, $(grep -c '^= body: ' "$out/c.txt") bodies to send, $(wc -c <"$out/c.txt") bytes)"
    else
      echo "cross: $lang DIFFERS from C:" >&2
      diff "$out/c.txt" "$out/$lang.txt" | head -20 >&2
      status=1
    fi
  else
    echo "cross: bindings/$lang/cross missing" >&2
    status=1
  fi
done
exit $status
