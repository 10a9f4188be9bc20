#!/usr/bin/env python3
"""Benchmark (prints, never judges): a full sign through payauth (``Signer.sign`` and its
headers as a list of tuples) against the same scheme in pure Python (bench_reference.py: stdlib
``hmac``/``hashlib``, ``cryptography`` for RSA), per scheme, GET and a 1 KiB POST; each ratio
beside its issue-13 target (<= 1.0 for every scheme, <= 0.6 for the body-hashing schemes at
1 KiB) with met/unmet. Both sides are first checked to give identical headers. Then where
payauth's time goes: a no-op crossing, the packed call alone, decoding, the Python rest.

Usage: python3 bindings/python/bench.py   (PAYAUTH_BENCH_QUICK=1: a few seconds). Uses the
payauth on sys.path (test.sh: the installed copy with its compiled module), else this tree.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, HERE)
try:
    import payauth
except ImportError:
    sys.path.insert(1, os.path.join(HERE, "src"))
    import payauth
import bench_reference as ref  # noqa: E402
from payauth import _call  # noqa: E402
from payauth._native import ffi, lib  # noqa: E402

QUICK = os.environ.get("PAYAUTH_BENCH_QUICK") == "1"
OPS, ROUNDS = (1000, 3) if QUICK else (20000, 9)
TOKEN = "4c8e2c551a86c8fa484bdaf47ae690db94da325a335a4e7d191058e6e6280555"
BODY = (b'{"merchantId":"M_pXAFWzCg","note":"' + b"x" * 1024)[:1022] + b'"}'
T = 1700000000123
EXT = "12345678901234567890123456789012"
KEY_FILE = os.path.join(HERE, "..", "..", "tests", "vectors", "keys", "rsa2048-pkcs1.pem")
FIELDS = ["ACMEMYK1", "RPPEMYKL", "20240115ACMEMYK1861OBW00000002", "100.00"]
BODY_HASHING = {"netzme", "snap", "azupay"}
CFG: Dict[str, Dict[str, Any]] = {
    "paynet-reports": {"profile": "paynet-reports", "client_id": "id", "client_secret": "my_client_secret"},
    "netzme": {"profile": "netzme", "client_id": "TokoNetmeClientId", "client_secret": "MaREaULkzAUTAFYg"},
    "snap": {"profile": "snap", "client_id": "TokoNetmeClientId", "client_secret": "f013bc2810be469790dc99773c08812e"},
    "azupay": {"profile": "azupay", "api_key": "SECR528792_ckid445474d1d", "hmac": ref.AZUPAY_HMAC},
    "paytia": {"profile": "paytia", "api_key": "pk_live_51H8xyz", "client_id": "c", "client_secret": "s"},
    "paynet": {"profile": "paynet", "client_id": "c", "client_secret": "s", "signature_key": "4F2A9C1D7E3B5A60",
               "private_key_file": KEY_FILE},
}  # fmt: skip


def impls(scheme: str, method: str, path: str, body: bytes) -> Tuple[Callable[..., Any], Callable[..., Any]]:
    """(pure Python, payauth) signers of one request; ``fixed=True`` pins time and random ids."""
    c = CFG[scheme]
    s = payauth.Signer(c)
    if scheme == "paynet-reports":
        key = c["client_secret"].encode()
        return (lambda fixed=False: ref.paynet_reports_fast(key, TOKEN, T if fixed else None),
                lambda fixed=False: s.sign(method, path, body, token=TOKEN, time_ms=T if fixed else None).headers)
    if scheme == "netzme":
        return (lambda fixed=False: ref.netzme_fast(c["client_id"], c["client_secret"], method, path, body, TOKEN, T if fixed else None),
                lambda fixed=False: s.sign(method, path, body, token=TOKEN, time_ms=T if fixed else None).headers)
    if scheme == "snap":
        sec = c["client_secret"].encode()
        return (lambda fixed=False: ref.snap_fast(c["client_id"], sec, method, path, body, TOKEN, T if fixed else None, EXT if fixed else None),
                lambda fixed=False: s.sign(method, path, body, token=TOKEN, time_ms=T if fixed else None, external_id=EXT if fixed else None).headers)
    if scheme == "azupay":
        return (lambda fixed=False: ref.azupay_python(c["api_key"], method, path, body, T if fixed else None),
                lambda fixed=False: s.sign(method, path, body, time_ms=T if fixed else None).headers)
    if scheme == "paytia":
        return (lambda fixed=False: ref.paytia_python(c["api_key"], TOKEN),
                lambda fixed=False: s.sign(method, path, body, token=TOKEN).headers)
    from cryptography.hazmat.primitives.serialization import load_pem_private_key

    with open(KEY_FILE, "rb") as f:
        key = load_pem_private_key(f.read(), None)
    return (lambda fixed=False: ref.paynet_dobw_python(key, TOKEN, FIELDS, c["signature_key"]),
            lambda fixed=False: s.sign(method, path, body, token=TOKEN, string_to_sign=FIELDS).headers)  # fmt: skip


def per_op(fn: Callable[[], Any], n: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - start) / n


def medians(fns: Dict[str, Callable[[], Any]], ops: int) -> Dict[str, float]:
    """Median ns/op of each function, rounds interleaved so that drift hits all alike."""
    for fn in fns.values():
        per_op(fn, ops // 10 + 1)
    samples: Dict[str, List[float]] = {k: [] for k in fns}
    for _ in range(ROUNDS):
        for k, fn in fns.items():
            samples[k].append(per_op(fn, ops))
    return {k: statistics.median(v) for k, v in samples.items()}


def breakdown(method: str, path: str, body: bytes) -> Dict[str, float]:
    s = payauth.Signer(CFG["snap"])
    req = _call.request(method.encode(), path.encode(), body, TOKEN.encode(), (None, None, None, None))
    sc, fn, h = _call.Scratch(), lib.payauth_signer_sign_packed, s._h
    out = ffi.unpack(sc.out, 0)

    def packed() -> None:
        fn(h, req, len(req), 0, 0, sc.out, _call.CAP, sc.size, sc.spill, sc.err)

    def packed_unpack() -> bytes:
        fn(h, req, len(req), 0, 0, sc.out, _call.CAP, sc.size, sc.spill, sc.err)
        return ffi.unpack(sc.out, sc.size[0])

    out = packed_unpack()
    return medians({
        "noop": lib.payauth_version,
        "packed": packed,
        "unpack": packed_unpack,
        "decode": lambda: _call.Signed.decode(out),
        "total": lambda: s.sign(method, path, body, token=TOKEN).headers,
    }, OPS)  # fmt: skip


def main() -> int:
    print(f"payauth {payauth.version()} ({payauth.library_path}); Python {sys.version.split()[0]}, "
          f"cffi {payauth.ffi_mode.upper()} mode; {OPS} ops x {ROUNDS} rounds, median ns/op"
          f"{' (quick mode)' if QUICK else ''}")  # fmt: skip
    print(f"{'scheme':<16}{'request':<12}{'payauth':>9}{'python':>9}{'ratio':>7}{'target':>8}  verdict")
    for scheme in CFG:
        for method in ("GET", "POST"):
            path = "/v1/pay?ref=A1" if method == "POST" else "/v1/balance?id=7"
            body = BODY if method == "POST" else b""
            native, ours = impls(scheme, method, path, body)
            if scheme != "paynet" and native(fixed=True) != ours(fixed=True):
                sys.exit(f"bench: {scheme} {method}: pure Python gives {native(fixed=True)}, payauth {ours(fixed=True)}")
            if scheme == "paynet" and dict(native())["X-Signature"] != dict(ours())["X-Signature"]:
                sys.exit("bench: paynet: the RSA signatures differ")
            r = medians({"payauth": ours, "python": native}, OPS // 20 if scheme == "paynet" else OPS)
            ratio = r["payauth"] / r["python"]
            target = 0.6 if scheme in BODY_HASHING and method == "POST" else 1.0
            label = "GET" if method == "GET" else f"POST {len(body)} B"
            verdict = "met" if ratio <= target else "unmet"
            print(f"{scheme:<16}{label:<12}{r['payauth']:>9.0f}{r['python']:>9.0f}{ratio:>7.2f}{'<= ' + str(target):>8}  {verdict}")
    b = breakdown("POST", "/v1/pay?ref=A1", BODY)
    print("\nwhere a snap POST 1 KiB goes (ns/op): a no-op crossing; the packed call with a "
          "pre-packed request (library work + 1 crossing); + unpacking the result; decoding into "
          "tuples; the Python rest (argument checks, packing, pool)")
    rest = b["total"] - b["unpack"] - b["decode"]
    print(f"no-op {b['noop']:.0f}  packed {b['packed']:.0f}  unpack {b['unpack'] - b['packed']:.0f}  "
          f"decode {b['decode']:.0f}  rest {rest:.0f}  total {b['total']:.0f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
