"""The cross-language entry (bindings/python/cross): every successful `sign` vector, run as
one cases file, must print exactly the vectors' headers in the contract's format; any error
exits 1 with a message on stderr."""

from __future__ import annotations

import glob
import json
import os
import subprocess
import sys
from typing import Any, Dict, List

from paths import BINDING_DIR, VECTORS_DIR

CROSS = os.path.join(BINDING_DIR, "cross")


def _run(tmp_path: Any, cases: List[Dict[str, Any]]) -> subprocess.CompletedProcess:
    path = tmp_path / "cases.json"
    path.write_text(json.dumps({"cases": cases}), encoding="utf-8")
    return subprocess.run(
        [sys.executable, CROSS, str(path)],
        capture_output=True, timeout=60, stdin=subprocess.DEVNULL,
    )  # fmt: skip


def _sign_vectors() -> List[Dict[str, Any]]:
    out = []
    for path in sorted(glob.glob(os.path.join(VECTORS_DIR, "*.json"))):
        with open(path, encoding="utf-8") as f:
            v = json.load(f)
        if v["operation"] == "sign" and v["expect"]["status"] == "PAYAUTH_OK":
            out.append(v)
    return out


def test_cross_prints_the_vector_headers(tmp_path: Any) -> None:
    vectors = _sign_vectors()
    assert len(vectors) >= 20
    cases = [
        {
            "config": v["config"],
            "method": v["input"]["method"],
            "path": v["input"]["path"],
            "body": v["input"].get("body", ""),
            "time_ms": v["input"].get("timestamp_ms", 0),
            "extra": v["input"].get("extra"),
            "token": v["input"].get("token", ""),
        }
        for v in vectors
    ]
    r = _run(tmp_path, cases)
    assert r.returncode == 0, r.stderr.decode()
    text = r.stdout.decode("utf-8")
    assert text.endswith("\n\n")
    blocks = text.split("\n\n")
    assert blocks.pop() == ""
    assert len(blocks) == len(vectors)
    for v, block in zip(vectors, blocks):
        want = "".join(f"{n}: {val}\n" for n, val in v["expect"]["headers"])
        assert block + "\n" == want, v["id"]


def test_cross_fails_cleanly(tmp_path: Any) -> None:
    r = _run(tmp_path, [{"config": {"profile": "nope"}, "method": "GET", "path": "/", "body": "",
                         "time_ms": 1700000000000, "extra": None}])  # fmt: skip
    assert r.returncode == 1
    assert b"PAYAUTH_CONFIG_UNKNOWN_PROFILE" in r.stderr and r.stdout == b""
    r = subprocess.run([sys.executable, CROSS], capture_output=True, timeout=60)
    assert r.returncode == 1 and b"usage" in r.stderr
    r = subprocess.run(
        [sys.executable, CROSS, str(tmp_path / "missing.json")], capture_output=True, timeout=60
    )
    assert r.returncode == 1 and b"missing.json" in r.stderr
