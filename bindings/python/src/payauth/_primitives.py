"""Module-level primitives: HMAC, SHA-256, RSA signing, JSON minification, version."""

from __future__ import annotations

from typing import Any, Callable, Dict, Union, overload

from ._args import BytesLike, to_bytes
from ._errors import make_error
from ._native import Scratch, constant, ffi, give, lib, take

_BUFFER_TOO_SMALL = constant("PAYAUTH_BUFFER_TOO_SMALL")
_SIGNATURE_MISMATCH = constant("PAYAUTH_SIGNATURE_MISMATCH")

HASHES: Dict[str, int] = {
    "sha256": constant("PAYAUTH_HASH_SHA256"),
    "sha512": constant("PAYAUTH_HASH_SHA512"),
}
ENCODINGS: Dict[str, int] = {
    "hex": constant("PAYAUTH_ENCODING_HEX"),
    "hex_upper": constant("PAYAUTH_ENCODING_HEX_UPPER"),
    "base64": constant("PAYAUTH_ENCODING_BASE64"),
    "base64url": constant("PAYAUTH_ENCODING_BASE64URL"),
}


def _choice(table: Dict[str, int], value: Any, what: str) -> int:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be str, not {type(value).__name__}")
    try:
        return table[value]
    except KeyError:
        raise ValueError(f"{what} must be one of {', '.join(table)}, not {value!r}") from None


def _output(call: Callable[[Any, int, Scratch], int]) -> bytes:
    """Runs a C call that writes into a caller buffer (``out, out_cap, out_len, err``), growing
    the buffer once when the library reports the size it needs."""
    sc = take()
    try:
        rc = call(sc.buf, sc.cap, sc)
        if rc == _BUFFER_TOO_SMALL:
            need = sc.size[0] + 1
            big = ffi.new("char[]", need)
            rc = call(big, need, sc)
            if rc == 0:
                return ffi.unpack(big, sc.size[0])
        if rc:
            raise make_error(rc, sc)
        return ffi.unpack(sc.buf, sc.size[0])
    finally:
        give(sc)


def hmac(key: BytesLike, msg: BytesLike, *, hash: str = "sha256", encoding: str = "hex") -> str:
    """HMAC of ``msg`` under ``key``.

    Args:
        hash: ``"sha256"`` or ``"sha512"``.
        encoding: ``"hex"``, ``"hex_upper"``, ``"base64"`` or ``"base64url"`` (no padding).
    """
    h, e = _choice(HASHES, hash, "hash"), _choice(ENCODINGS, encoding, "encoding")
    k, m = to_bytes(key, "key"), to_bytes(msg, "msg")
    return _output(
        lambda out, cap, sc: lib.payauth_hmac(h, e, k, len(k), m, len(m), out, cap, sc.size, sc.err)
    ).decode("ascii")


def hmac_verify(
    key: BytesLike,
    msg: BytesLike,
    signature: BytesLike,
    *,
    hash: str = "sha256",
    encoding: str = "hex",
) -> bool:
    """Constant-time check that ``signature`` is the HMAC of ``msg`` under ``key`` (hex compares
    case-insensitively). Returns ``True`` on a match, ``False`` on a mismatch."""
    h, e = _choice(HASHES, hash, "hash"), _choice(ENCODINGS, encoding, "encoding")
    k, m, s = to_bytes(key, "key"), to_bytes(msg, "msg"), to_bytes(signature, "signature")
    sc = take()
    try:
        rc = lib.payauth_hmac_verify(h, e, k, len(k), m, len(m), s, len(s), sc.err)
        if rc == _SIGNATURE_MISMATCH:
            return False
        if rc:
            raise make_error(rc, sc)
        return True
    finally:
        give(sc)


def sha256_hex(data: BytesLike) -> str:
    """Lowercase hex SHA-256 of ``data`` (64 characters)."""
    d = to_bytes(data, "data")
    return _output(
        lambda out, cap, sc: lib.payauth_sha256_hex(d, len(d), out, cap, sc.size, sc.err)
    ).decode("ascii")


def rsa_sign(
    private_key: BytesLike, msg: BytesLike, *, hash: str = "sha256", encoding: str = "base64"
) -> str:
    """RSASSA-PKCS1-v1_5 signature of ``msg`` with ``private_key`` (PEM PKCS#1 / PKCS#8 or bare
    base64 DER, at least 2048 bits). The key is parsed on every call: for repeated signing
    build a :class:`~payauth.Signer`.

    Raises:
        SigningError: ``PAYAUTH_KEY_INVALID`` or ``PAYAUTH_KEY_TOO_SMALL``.
    """
    h, e = _choice(HASHES, hash, "hash"), _choice(ENCODINGS, encoding, "encoding")
    k, m = to_bytes(private_key, "private_key"), to_bytes(msg, "msg")
    return _output(
        lambda out, cap, sc: lib.payauth_rsa_sign(
            h, e, k, len(k), m, len(m), out, cap, sc.size, sc.err
        )
    ).decode("ascii")


@overload
def json_minify(json: str) -> str: ...
@overload
def json_minify(json: Union[bytes, bytearray, memoryview]) -> bytes: ...
def json_minify(json: BytesLike) -> Union[str, bytes]:
    """Removes insignificant whitespace from JSON, keeping key order, numbers and string
    escapes byte for byte. Returns the same type as given (str or bytes); send exactly the
    returned bytes.

    Raises:
        SigningError: ``PAYAUTH_JSON_INVALID``.
    """
    j = to_bytes(json, "json")
    sc = take()
    try:
        out = ffi.new("char[]", len(j) + 1)  # the output is never longer than the input
        rc = lib.payauth_json_minify(j, len(j), out, len(j) + 1, sc.size, sc.err)
        if rc:
            raise make_error(rc, sc)
        result = ffi.unpack(out, sc.size[0])
    finally:
        give(sc)
    return result.decode("utf-8") if isinstance(json, str) else result


def version() -> str:
    """The library version string, e.g. ``"0.1.0"``."""
    return ffi.string(lib.payauth_version_string()).decode()


def version_number() -> int:
    """The library version as ``major * 10000 + minor * 100 + patch``."""
    return int(lib.payauth_version())
