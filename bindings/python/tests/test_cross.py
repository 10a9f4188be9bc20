"""The cross-language entry (bindings/python/cross, contract in tests/c/cross.c): every
signing, token-header and verification vector, run as one cases file, prints the vectors'
headers, body to send and status; an unreadable file exits 1 with a message."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from typing import Any, Dict, List

from paths import BINDING_DIR, VECTORS_DIR

CROSS = os.path.join(BINDING_DIR, "cross")
OPS = {"sign", "token_headers", "verify", "verify_rsa", "verify_snap_rsa", "verify_jws"}


def _run(tmp_path: Any, cases: List[Dict[str, Any]]) -> subprocess.CompletedProcess:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": cases}), encoding="utf-8")
    return subprocess.run([sys.executable, CROSS, str(path)], capture_output=True, timeout=60, stdin=subprocess.DEVNULL)


def _vectors() -> List[Dict[str, Any]]:
    out = []
    for path in sorted(glob.glob(os.path.join(VECTORS_DIR, "*.json"))):
        with open(path, encoding="utf-8") as f:
            v = json.load(f)
        if v["operation"] in OPS and isinstance(v["config"], dict):
            out.append(v)
    return out


def test_cross_prints_each_vectors_outcome(tmp_path: Any) -> None:
    vectors = _vectors()
    assert len(vectors) >= 80
    cases = []
    for v in vectors:
        case = {"op": v["operation"], "config": v["config"], **v["input"]}
        case["time_ms"] = case.pop("timestamp_ms", 0)
        cases.append(case)
    r = _run(tmp_path, cases)
    assert r.returncode == 0, r.stderr.decode()
    blocks = r.stdout.decode("utf-8").split("\n\n")
    assert blocks.pop() == ""
    assert len(blocks) == len(vectors)
    for v, block in zip(vectors, blocks):
        e = v["expect"]
        want = "".join(f"{n}: {val}\n" for n, val in e.get("headers", []) if e["status"] == "PAYAUTH_OK")
        if "body" in e:
            want += f"= body: {e['body']}\n"
        assert block + "\n" == want + f"= status: {e['status']}\n", v["id"]


def test_cross_fails_cleanly(tmp_path: Any) -> None:
    r = _run(tmp_path, [{"op": "sign", "config": {"profile": "nope"}, "method": "GET", "path": "/", "time_ms": 0}])
    assert r.returncode == 0 and r.stdout == b"= status: PAYAUTH_CONFIG_UNKNOWN_PROFILE\n\n"
    r = subprocess.run([sys.executable, CROSS], capture_output=True, timeout=60)
    assert r.returncode == 1 and b"usage" in r.stderr
    r = subprocess.run([sys.executable, CROSS, str(tmp_path / "missing.json")], capture_output=True, timeout=60)
    assert r.returncode == 1 and b"missing.json" in r.stderr
