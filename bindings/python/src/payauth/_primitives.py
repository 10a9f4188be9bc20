"""Module functions: HMAC, SHA-256, RSA signing, JSON minification, version."""

from __future__ import annotations

from typing import Any, Dict, Union

from ._call import BytesLike, output, status, to_bytes
from ._errors import constant
from ._native import ffi, lib

HASHES: Dict[str, int] = {h: constant(f"PAYAUTH_HASH_{h.upper()}") for h in ("sha256", "sha512")}
ENCODINGS: Dict[str, int] = {
    e: constant(f"PAYAUTH_ENCODING_{e.upper()}") for e in ("hex", "hex_upper", "base64", "base64url")
}


def _choice(table: Dict[str, int], value: Any, what: str) -> int:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    if value not in table:
        raise ValueError(f"{what} must be one of {', '.join(table)}, not {value!r}")
    return table[value]


def hmac(key: BytesLike, msg: BytesLike, *, hash: str = "sha256", encoding: str = "hex") -> str:
    """HMAC of ``msg`` under ``key``: ``hash`` sha256/sha512, ``encoding`` hex, hex_upper,
    base64 or base64url (unpadded)."""
    h, e = _choice(HASHES, hash, "hash"), _choice(ENCODINGS, encoding, "encoding")
    k, m = to_bytes(key, "key"), to_bytes(msg, "msg")
    return output(lib.payauth_hmac, h, e, k, len(k), m, len(m)).decode("ascii")


def hmac_verify(
    key: BytesLike, msg: BytesLike, signature: BytesLike, *, hash: str = "sha256", encoding: str = "hex"
) -> bool:
    """Constant-time HMAC check (hex compares case-insensitively): ``True`` on a match."""
    h, e = _choice(HASHES, hash, "hash"), _choice(ENCODINGS, encoding, "encoding")
    k, m, s = to_bytes(key, "key"), to_bytes(msg, "msg"), to_bytes(signature, "signature")
    return status(lib.payauth_hmac_verify, h, e, k, len(k), m, len(m), s, len(s))


def sha256_hex(data: BytesLike) -> str:
    """Lowercase hex SHA-256 of ``data``."""
    d = to_bytes(data, "data")
    return output(lib.payauth_sha256_hex, d, len(d)).decode("ascii")


def rsa_sign(private_key: BytesLike, msg: BytesLike, *, hash: str = "sha256", encoding: str = "base64") -> str:
    """RSASSA-PKCS1-v1_5 signature (key parsed per call: build a :class:`Signer` to repeat)."""
    h, e = _choice(HASHES, hash, "hash"), _choice(ENCODINGS, encoding, "encoding")
    k, m = to_bytes(private_key, "private_key"), to_bytes(msg, "msg")
    return output(lib.payauth_rsa_sign, h, e, k, len(k), m, len(m)).decode("ascii")


def json_minify(json: Any) -> Union[str, bytes]:
    """JSON without insignificant whitespace (key order and escapes kept); the type given
    (str or bytes) is returned. :class:`SigningError` ``PAYAUTH_JSON_INVALID`` otherwise."""
    j = to_bytes(json, "json")
    out = output(lib.payauth_json_minify, j, len(j))
    return out.decode("utf-8") if isinstance(json, str) else out


def version() -> str:
    """The library version string, e.g. ``"0.1.0"``."""
    return ffi.string(lib.payauth_version_string()).decode()


def version_number() -> int:
    """The library version as ``major * 10000 + minor * 100 + patch``."""
    return int(lib.payauth_version())
