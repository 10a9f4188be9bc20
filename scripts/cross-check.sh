#!/usr/bin/env bash
# Cross-language check: the same requests (every signing vector of tests/vectors, with its fixed
# timestamp, token and extra fields) signed through C (tests/c/cross.c), Python, PHP and Java
# must give byte-identical headers. Run by scripts/bindings-check.sh with PAYAUTH_LIBRARY set.
set -euo pipefail
cd "$(dirname "$0")/.."
: "${PAYAUTH_LIBRARY:?set PAYAUTH_LIBRARY to the built libpayauth.so}"
out=target/cross
mkdir -p "$out"
python3 - "$out/cases.json" <<'PY'
import json, pathlib, sys
cases = []
for f in sorted(pathlib.Path("tests/vectors").glob("*.json")):
    v = json.loads(f.read_text())
    if v.get("operation") != "sign" or v["expect"].get("status") != "PAYAUTH_OK" or not isinstance(v.get("config"), dict):
        continue
    i = v["input"]
    cases.append({"id": v["id"], "config": v["config"], "method": i["method"], "path": i["path"],
                  "body": i.get("body", ""), "token": i.get("token", ""),
                  "time_ms": i["timestamp_ms"], "extra": i.get("extra")})
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
      echo "cross: $lang identical to C ($(grep -c '^$' "$out/c.txt") requests, $(wc -c <"$out/c.txt") bytes of headers)"
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
