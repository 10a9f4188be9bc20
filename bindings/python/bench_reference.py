"""Pure-Python implementations of the signing schemes (docs/profiles.md), written the way a
Python integrator would without payauth: stdlib ``hmac`` / ``hashlib``, the scheme's timestamp
formatting and body hash. bench.py times them against payauth and first checks that both give
identical headers; tests/test_bench_reference.py checks the same on more inputs.

Each ``*_python`` function returns the header list ``[(name, value), ...]`` in payauth's order.
``time_ms=None`` means now. The ``*_fast`` variants use the one-shot ``hmac.digest`` (the
quickest stdlib route) instead of ``hmac.new(...).hexdigest()``.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import time
from datetime import datetime, timedelta, timezone
from typing import List, Optional, Tuple

Headers = List[Tuple[str, str]]
_sha256 = hashlib.sha256
_sha512 = hashlib.sha512
_JAKARTA = timezone(timedelta(minutes=420))


def _now_ms() -> int:
    return time.time_ns() // 1_000_000


def paynet_reports_python(secret: bytes, token: str, time_ms: Optional[int] = None) -> Headers:
    """paynet-reports: X-Signature = hex(HMAC-SHA256(secret, unix seconds))."""
    ts = str((_now_ms() if time_ms is None else time_ms) // 1000)
    sig = hmac.new(secret, ts.encode(), _sha256).hexdigest()
    return [("Authorization", "Bearer " + token), ("X-Timestamp", ts), ("X-Signature", sig)]


def paynet_reports_fast(secret: bytes, token: str, time_ms: Optional[int] = None) -> Headers:
    ts = str((_now_ms() if time_ms is None else time_ms) // 1000)
    sig = hmac.digest(secret, ts.encode(), "sha256").hex()
    return [("Authorization", "Bearer " + token), ("X-Timestamp", ts), ("X-Signature", sig)]


def _netzme_parts(
    secret: str, method: str, path: str, body: bytes, token: str, time_ms: Optional[int]
) -> Tuple[str, str, bytes, bytes]:
    ts = str(_now_ms() if time_ms is None else time_ms)
    auth = "Bearer " + token
    payload = b"path=%s&method=%s&token=%s&timestamp=%s&body=%s" % (
        path.encode(), method.upper().encode(), auth.encode(), ts.encode(), body,
    )  # fmt: skip
    key = f"{secret}-{ts}-{auth}".encode()
    return ts, auth, key, payload


def netzme_python(
    client_id: str, secret: str, method: str, path: str, body: bytes, token: str,
    time_ms: Optional[int] = None,
) -> Headers:  # fmt: skip
    """netzme (legacy): hex(HMAC-SHA256(key = secret-ts-auth, msg = the payload template))."""
    ts, auth, key, payload = _netzme_parts(secret, method, path, body, token, time_ms)
    sig = hmac.new(key, payload, _sha256).hexdigest()
    return [("Authorization", auth), ("Request-Time", ts), ("Signature", sig),
            ("Client-Id", client_id), ("Content-Type", "application/json")]  # fmt: skip


def netzme_fast(
    client_id: str, secret: str, method: str, path: str, body: bytes, token: str,
    time_ms: Optional[int] = None,
) -> Headers:  # fmt: skip
    ts, auth, key, payload = _netzme_parts(secret, method, path, body, token, time_ms)
    sig = hmac.digest(key, payload, "sha256").hex()
    return [("Authorization", auth), ("Request-Time", ts), ("Signature", sig),
            ("Client-Id", client_id), ("Content-Type", "application/json")]  # fmt: skip


def _snap_string(
    method: str, path: str, body: bytes, token: str, time_ms: Optional[int]
) -> Tuple[str, str]:
    ms = _now_ms() if time_ms is None else time_ms
    ts = datetime.fromtimestamp(ms // 1000, _JAKARTA).isoformat()  # 2024-01-01T10:00:00+07:00
    body_sha = _sha256(body).hexdigest()
    return ts, f"{method.upper()}:{path}:{token}:{body_sha}:{ts}"


def snap_python(
    client_id: str, secret: bytes, method: str, path: str, body: bytes, token: str,
    time_ms: Optional[int] = None, external_id: Optional[str] = None,
) -> Headers:  # fmt: skip
    """snap (SNAP BI symmetric): base64(HMAC-SHA512(secret, METHOD:path:token:sha256(body):ts))
    with an ISO 8601 +07:00 timestamp and a 32-digit random external id."""
    ts, sts = _snap_string(method, path, body, token, time_ms)
    sig = base64.b64encode(hmac.new(secret, sts.encode(), _sha512).digest()).decode()
    ext = external_id or f"{secrets.randbelow(10**32):032d}"
    return [("Authorization", "Bearer " + token), ("X-TIMESTAMP", ts), ("X-SIGNATURE", sig),
            ("X-PARTNER-ID", client_id), ("X-EXTERNAL-ID", ext),
            ("Content-Type", "application/json")]  # fmt: skip


def snap_fast(
    client_id: str, secret: bytes, method: str, path: str, body: bytes, token: str,
    time_ms: Optional[int] = None, external_id: Optional[str] = None,
) -> Headers:  # fmt: skip
    ts, sts = _snap_string(method, path, body, token, time_ms)
    sig = base64.b64encode(hmac.digest(secret, sts.encode(), "sha512")).decode()
    ext = external_id or f"{secrets.randbelow(10**32):032d}"
    return [("Authorization", "Bearer " + token), ("X-TIMESTAMP", ts), ("X-SIGNATURE", sig),
            ("X-PARTNER-ID", client_id), ("X-EXTERNAL-ID", ext),
            ("Content-Type", "application/json")]  # fmt: skip


AZUPAY_HMAC = {"secret": "HMAC_cdeijed78y3jdnjdfhjjnm", "hash": "sha256", "key_encoding": "utf8",
               "output": "hex", "template": "{method}\n{path}\n{query}\n{timestamp}\n{body_sha256}",
               "timestamp_format": "unix_ms", "signature_header": "X-Azupay-Signature",
               "timestamp_header": "X-Azupay-Timestamp"}  # fmt: skip


def azupay_python(api_key: str, method: str, path: str, body: bytes, time_ms: Optional[int] = None) -> Headers:
    """azupay with the HMAC block above: hex(HMAC-SHA256(secret, METHOD\\npath\\nquery\\nms\\nsha256(body)))."""
    ts = str(_now_ms() if time_ms is None else time_ms)
    p, _, q = path.partition("?")
    msg = f"{method.upper()}\n{p}\n{q}\n{ts}\n{_sha256(body).hexdigest()}".encode()
    sig = hmac.new(AZUPAY_HMAC["secret"].encode(), msg, _sha256).hexdigest()
    return [("Authorization", api_key), ("X-Azupay-Timestamp", ts), ("X-Azupay-Signature", sig)]


def paytia_python(api_key: str, token: str) -> Headers:
    """paytia: the API key and the access token, no signature."""
    return [("X-API-KEY", api_key), ("ACCESS-TOKEN", token)]


def paynet_dobw_python(key: object, token: str, fields: List[str], key_id: str) -> Headers:
    """paynet (DuitNow OBW): base64(RSASSA-PKCS1-v1_5-SHA256(key, fields concatenated)), with
    ``cryptography`` (OpenSSL); ``key`` is a loaded private key."""
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding

    sig = key.sign("".join(fields).encode(), padding.PKCS1v15(), hashes.SHA256())  # type: ignore[attr-defined]
    return [("Authorization", "Bearer " + token), ("X-Signature", base64.b64encode(sig).decode()),
            ("X-Signature-Key", key_id)]  # fmt: skip
