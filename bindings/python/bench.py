#!/usr/bin/env python3
"""Benchmark (not a test: it never judges times, it prints them): the full signature of one
request via payauth.Signer.sign (headers as a list of tuples) against a pure-Python
implementation of the same scheme (bench_reference.py), for paynet-reports, netzme and snap,
GET and a 1 KiB POST. Prints median ns/op and the ratio payauth/python, the same for the
object path (the 15-argument payauth_signer_sign + payauth_headers_text/free, the hot path
before payauth_signer_sign_packed; still used for explain=True), then where payauth's time goes.
Both sides are first checked to give identical headers (exit 1 otherwise).

Usage: python3 bindings/python/bench.py        (PAYAUTH_BENCH_QUICK=1: a few seconds)
Needs PAYAUTH_LIBRARY (or an installed libpayauth). Uses the package from this source tree.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from typing import Any, Callable, Dict, List, Tuple

HERE = os.path.dirname(os.path.realpath(__file__))
sys.path.insert(0, os.path.join(HERE, "src"))
sys.path.insert(0, HERE)

import cffi  # noqa: E402

import bench_reference as ref  # noqa: E402
import payauth  # noqa: E402
from payauth._native import NULL, ffi, lib  # noqa: E402

QUICK = os.environ.get("PAYAUTH_BENCH_QUICK") == "1"
OPS, ROUNDS = (1500, 3) if QUICK else (20000, 9)
TARGET = 0.6

TOKEN = "4c8e2c551a86c8fa484bdaf47ae690db94da325a335a4e7d191058e6e6280555"
BODY = (b'{"merchantId":"M_pXAFWzCg","note":"' + b"x" * 1024)[:1022] + b'"}'
T = 1700000000123
CFG = {
    "paynet-reports": {"profile": "paynet-reports", "client_id": "id",
                       "client_secret": "my_client_secret"},
    "netzme": {"profile": "netzme", "client_id": "TokoNetmeClientId",
               "client_secret": "MaREaULkzAUTAFYg"},
    "snap": {"profile": "snap", "client_id": "TokoNetmeClientId",
             "client_secret": "f013bc2810be469790dc99773c08812e"},
}  # fmt: skip


def python_impls(scheme: str, method: str, path: str, body: bytes) -> Tuple[Callable, Callable]:
    """(idiomatic, fastest-stdlib) pure-Python signers of one request, returning headers."""
    c = CFG[scheme]
    if scheme == "paynet-reports":
        key = c["client_secret"].encode()
        return (lambda **k: ref.paynet_reports_python(key, TOKEN, **k),
                lambda **k: ref.paynet_reports_fast(key, TOKEN, **k))  # fmt: skip
    if scheme == "netzme":
        cid, sec = c["client_id"], c["client_secret"]
        return (lambda **k: ref.netzme_python(cid, sec, method, path, body, TOKEN, **k),
                lambda **k: ref.netzme_fast(cid, sec, method, path, body, TOKEN, **k))  # fmt: skip
    cid, sec_b = c["client_id"], c["client_secret"].encode()
    return (lambda **k: ref.snap_python(cid, sec_b, method, path, body, TOKEN, **k),
            lambda **k: ref.snap_fast(cid, sec_b, method, path, body, TOKEN, **k))  # fmt: skip


def check_equal(signer: payauth.Signer, scheme: str, method: str, path: str, body: bytes) -> None:
    """Both implementations must produce the same headers at a fixed time."""
    idiomatic, fast = python_impls(scheme, method, path, body)
    kw: Dict[str, Any] = {"time_ms": T}
    extra = None
    if scheme == "snap":
        kw["external_id"] = "12345678901234567890123456789012"
        extra = {"external_id": kw["external_id"]}
    want = signer.sign(method, path, body, token=TOKEN, time_ms=T, extra=extra).headers
    for impl in (idiomatic, fast):
        got = impl(**kw)
        if got != want:
            sys.exit(f"bench: {scheme} {method}: pure Python gives {got}, payauth {want}")


def per_op(fn: Callable[[], Any], n: int) -> float:
    start = time.perf_counter_ns()
    for _ in range(n):
        fn()
    return (time.perf_counter_ns() - start) / n


def medians(fns: Dict[str, Callable[[], Any]]) -> Dict[str, float]:
    """Median ns/op of each function, rounds interleaved so drift hits all alike."""
    for fn in fns.values():
        per_op(fn, OPS // 10 + 1)  # warm-up
    samples: Dict[str, List[float]] = {k: [] for k in fns}
    for _ in range(ROUNDS):
        for k, fn in fns.items():
            samples[k].append(per_op(fn, OPS))
    return {k: statistics.median(v) for k, v in samples.items()}


def object_path(signer: payauth.Signer, method: str, path: str, body: bytes) -> Callable[[], Any]:
    """The previous hot path: the object call (``payauth_signer_sign`` + ``headers_text`` +
    ``headers_free``) with the same argument encoding, explain off."""
    sign_object, h, t = signer._sign_object, signer._h, TOKEN.encode()
    return lambda: sign_object(h, method.encode(), path.encode(), body, t, 0, NULL, 0).headers


def breakdown(signer: payauth.Signer, method: str, path: str, body: bytes) -> Dict[str, float]:
    """Where a Signer.sign call spends its time: the bare packed C call with a pre-packed
    request, reading its text, parsing it, and the Python-side rest; and the bare object call
    (sign + text + free, 3 crossings) for comparison."""
    h = signer._h
    packed, sign, free, text_of = (lib.payauth_signer_sign_packed, lib.payauth_signer_sign,
                                   lib.payauth_headers_free, lib.payauth_headers_text)  # fmt: skip
    m, p, t = method.encode(), path.encode(), TOKEN.encode()
    req = b"\0".join((m, p, t, b"", body))
    out, size, err = ffi.new("char[]", 4096), ffi.new("size_t *"), lib.payauth_error_new()
    res, tp = ffi.new("payauth_headers **"), ffi.new("const char **")
    args = (h, m, len(m), p, len(p), body, len(body), t, len(t), 0, NULL, 0, 0, res, err)
    unpack = ffi.unpack

    def call() -> None:
        packed(h, req, len(req), 0, out, 4096, size, err)

    def call_text() -> str:
        packed(h, req, len(req), 0, out, 4096, size, err)
        return unpack(out, size[0]).decode("utf-8")

    def object_call() -> bytes:
        sign(*args)
        text_of(res[0], tp, NULL)
        s = ffi.string(tp[0])
        free(res[0])
        return s

    sample = call_text()

    def parse() -> list:
        lines = sample.split("\r\n")
        lines.pop()
        return [tuple(line.split(": ", 1)) for line in lines]

    r = medians({
        "noop": lib.payauth_version,
        "call": call,
        "call_text": call_text,
        "parse": parse,
        "total": lambda: signer.sign(method, path, body, token=TOKEN).headers,
        "object_call": object_call,
    })  # fmt: skip
    lib.payauth_error_free(err)
    return r


def main() -> int:
    print(f"payauth {payauth.version()} ({payauth.library_path}); Python {sys.version.split()[0]}, "
          f"cffi {cffi.__version__} ABI mode; {OPS} ops x {ROUNDS} rounds, median ns/op"
          f"{' (quick mode)' if QUICK else ''}")  # fmt: skip
    cases = [(s, m) for s in ("paynet-reports", "netzme", "snap") for m in ("GET", "POST")]
    head = f"{'scheme':<15}{'request':<14}{'payauth':>9}{'python':>9}{'ratio':>7}"
    head += f"{'py-fast':>9}{'ratio':>7}{'obj-path':>10}{'ratio':>7}"
    print(head + f"  target ratio <= {TARGET}")
    details = []
    for scheme, method in cases:
        path = "/v1/pay?ref=A1" if method == "POST" else "/v1/balance?id=7"
        body = BODY if method == "POST" else b""
        with payauth.Signer(CFG[scheme]) as signer:
            check_equal(signer, scheme, method, path, body)
            idiomatic, fast = python_impls(scheme, method, path, body)
            r = medians({
                "payauth": lambda: signer.sign(method, path, body, token=TOKEN).headers,
                "python": idiomatic,
                "fast": fast,
                "object": object_path(signer, method, path, body),
            })  # fmt: skip
            label = "GET" if method == "GET" else f"POST {len(body)} B"
            ratio, ratio_fast = r["payauth"] / r["python"], r["payauth"] / r["fast"]
            ratio_obj = r["object"] / r["python"]
            verdict = "met" if ratio <= TARGET else "missed"
            print(f"{scheme:<15}{label:<14}{r['payauth']:>9.0f}{r['python']:>9.0f}{ratio:>7.2f}"
                  f"{r['fast']:>9.0f}{ratio_fast:>7.2f}{r['object']:>10.0f}{ratio_obj:>7.2f}"
                  f"  {verdict}")  # fmt: skip
            details.append((scheme, label, breakdown(signer, method, path, body)))
    print("\nwhere payauth's time goes (ns/op): one cffi no-op call; payauth_signer_sign_packed "
          "with a pre-packed request (C work + 1 crossing); + ffi.unpack and decode; parsing "
          "into tuples; Python-side rest (argument checks, packing, pool, result); for "
          "comparison the bare object call (sign + headers_text + free: 3 crossings)")
    print(f"{'scheme':<15}{'request':<14}{'no-op':>7}{'packed':>8}{'+text':>7}{'parse':>7}"
          f"{'rest':>7}{'total':>7}{'obj-call':>10}")  # fmt: skip
    for scheme, label, b in details:
        text = b["call_text"] - b["call"]
        rest = b["total"] - b["call_text"] - b["parse"]
        print(f"{scheme:<15}{label:<14}{b['noop']:>7.0f}{b['call']:>8.0f}{text:>7.0f}"
              f"{b['parse']:>7.0f}{rest:>7.0f}{b['total']:>7.0f}"
              f"{b['object_call']:>10.0f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
