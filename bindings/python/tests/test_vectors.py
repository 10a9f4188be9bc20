"""Every conformance vector (docs/vectors-format.md) through the Python API, checking what the
Rust runner (tests/vectors.rs) and the C runner (tests/c/vector_runner.c) check: the status,
the exact header list in order, each listed explain artifact, the body to send, the minify
output, the verifications, and that a failure carries its status code and a message."""

from __future__ import annotations

import glob
import json
import os
from typing import Any, Dict, Optional

import pytest

import payauth
from paths import VECTORS_DIR

FILES = sorted(glob.glob(os.path.join(VECTORS_DIR, "*.json")))


def _load(path: str) -> Dict[str, Any]:
    with open(path, encoding="utf-8") as f:
        data: Dict[str, Any] = json.load(f)
    return data


def typed(extra: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """A vector's ``extra`` object as the binding's typed per-request inputs (``fields`` is the
    string to sign given as a list)."""
    out = dict(extra or {})
    if "fields" in out:
        out["string_to_sign"] = out.pop("fields")
    return out


def _verified(ok: bool) -> None:
    if not ok:
        code = payauth.constant("PAYAUTH_SIGNATURE_MISMATCH")
        raise payauth.PayAuthError(code, payauth.status_name(code), "mismatch")


def _run(v: Dict[str, Any]) -> Optional[payauth.Signed]:
    """Runs the vector's operation; returns the result of sign/token_headers, else None.
    A refused operation raises PayAuthError."""
    op = v["operation"]
    inp = v.get("input", {})
    if op == "minify":
        out = payauth.json_minify(inp["json"])
        assert out == v["expect"]["output"], "minify output"
        assert payauth.json_minify(inp["json"].encode()) == out.encode(), "bytes variant"
        return None
    cfg = v["config"]
    # A JSON string config is passed verbatim; an object is serialised (compactly).
    signer = payauth.Signer(cfg if isinstance(cfg, str) else json.dumps(cfg, separators=(",", ":")))
    with signer:
        time_ms = inp.get("timestamp_ms") or None  # absent/0 = now
        body = inp.get("body", "").encode("utf-8")
        if op == "signer_new":
            return None
        if op == "sign":
            return signer.sign(
                inp.get("method", ""), inp.get("path", ""), body, token=inp.get("token", ""),
                time_ms=time_ms, explain=True, **typed(inp.get("extra")),
            )  # fmt: skip
        if op == "token_headers":
            return signer.token_headers(time_ms=time_ms, explain=True, **typed(inp.get("extra")))
        if op == "verify":
            _verified(signer.verify(
                inp.get("method", ""), inp.get("path", ""), body, token=inp.get("token", ""),
                timestamp=inp.get("timestamp", ""), signature=inp.get("signature", ""),
            ))  # fmt: skip
        elif op == "verify_rsa":
            _verified(signer.verify_rsa(inp["message"], inp["signature"]))
        elif op == "verify_snap_rsa":
            _verified(signer.verify_snap_rsa(
                inp["method"], inp["path"], body, timestamp=inp["timestamp"], signature=inp["signature"]
            ))  # fmt: skip
        elif op == "verify_jws":
            _verified(signer.verify_jws(inp["jws"], body))
        else:
            raise AssertionError(f"unknown operation {op!r}")
    return None


def test_the_full_vector_set_is_present() -> None:
    assert len(FILES) >= 30, f"expected the full vector set in {VECTORS_DIR}, found {len(FILES)}"


@pytest.mark.parametrize("path", FILES, ids=[os.path.basename(p)[:-5] for p in FILES])
def test_vector(path: str) -> None:
    v = _load(path)
    assert v["id"] == os.path.basename(path)[:-5], "id differs from the file name"
    expect = v["expect"]
    try:
        signed = _run(v)
        status = "PAYAUTH_OK"
    except payauth.PayAuthError as e:
        status = e.name
        # The exception mirrors the C error object: the status code and a non-empty message.
        assert e.code == payauth.constant(e.name)
        assert e.message, "a failure carries a message"
        assert status == expect["status"], f"{e}"
        return
    assert status == expect["status"]
    if signed is None:
        return
    if "headers" in expect:
        assert signed.headers == [tuple(h) for h in expect["headers"]]
    for name, want in expect.get("explain", {}).items():
        assert signed.explain.get(name) == want, f"explain {name}"
    want_body = expect.get("body")
    assert signed.body == (None if want_body is None else want_body.encode()), "the body to send"
