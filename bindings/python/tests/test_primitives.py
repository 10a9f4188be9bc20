"""Module functions against independent implementations: the stdlib (hmac, hashlib, base64,
json) and the openssl command line for RSA."""

from __future__ import annotations

import base64
import hashlib
import hmac as std_hmac
import json
import shutil
import subprocess

import pytest

import payauth
from paths import key_path, read_key


def _encode(digest: bytes, encoding: str) -> str:
    return {
        "hex": digest.hex(),
        "hex_upper": digest.hex().upper(),
        "base64": base64.b64encode(digest).decode(),
        "base64url": base64.urlsafe_b64encode(digest).decode().rstrip("="),
    }[encoding]


@pytest.mark.parametrize("hash_name", ["sha256", "sha512"])
@pytest.mark.parametrize("encoding", ["hex", "hex_upper", "base64", "base64url"])
@pytest.mark.parametrize("msg", [b"", b"1700000000", "caf\u00e9 \u65e5".encode() * 200])
def test_hmac_matches_the_stdlib(hash_name: str, encoding: str, msg: bytes) -> None:
    key = b"MaREaULkzAUTAFYg"
    want = _encode(std_hmac.digest(key, msg, hash_name), encoding)
    assert payauth.hmac(key, msg, hash=hash_name, encoding=encoding) == want
    assert payauth.hmac_verify(key, msg, want, hash=hash_name, encoding=encoding) is True
    other = _encode(std_hmac.digest(key + b"x", msg, hash_name), encoding)
    assert payauth.hmac_verify(key, msg, other, hash=hash_name, encoding=encoding) is False


def test_hmac_accepts_str_and_bytes_like_inputs_alike() -> None:
    want = payauth.hmac(b"k", b"m\xc3\xa9")
    assert payauth.hmac("k", "m\u00e9") == want
    assert payauth.hmac(bytearray(b"k"), memoryview(b"m\xc3\xa9")) == want


def test_hex_verification_is_case_insensitive() -> None:
    sig = payauth.hmac(b"k", b"m")
    assert payauth.hmac_verify(b"k", b"m", sig.upper())


def test_sha256_hex_matches_hashlib() -> None:
    for data in (b"", b"abc", bytes(range(256)) * 40):
        assert payauth.sha256_hex(data) == hashlib.sha256(data).hexdigest()
    empty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    assert payauth.sha256_hex("") == empty


@pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")
@pytest.mark.parametrize("key_file", ["rsa2048-pkcs1.pem", "rsa2048-pkcs8.pem"])
@pytest.mark.parametrize("hash_name", ["sha256", "sha512"])
def test_rsa_sign_matches_openssl(key_file: str, hash_name: str) -> None:
    msg = b"snap-test-client|2024-01-01T00:00:00+07:00"
    # PKCS#1 v1.5 is deterministic, so both must give the same bytes.
    sig = subprocess.run(
        ["openssl", "dgst", f"-{hash_name}", "-sign", key_path(key_file)],
        input=msg, capture_output=True, check=True,
    ).stdout  # fmt: skip
    key = read_key(key_file)
    assert payauth.rsa_sign(key, msg, hash=hash_name) == base64.b64encode(sig).decode()
    # 512 hex characters: larger than the first output buffer, so the size query is used.
    assert payauth.rsa_sign(key, msg, hash=hash_name, encoding="hex") == sig.hex()


def test_rsa_sign_refuses_small_and_invalid_keys() -> None:
    with pytest.raises(payauth.SigningError) as e:
        payauth.rsa_sign(read_key("rsa1024-pkcs1.pem"), b"m")
    assert e.value.name == "PAYAUTH_KEY_TOO_SMALL"
    with pytest.raises(payauth.SigningError) as e:
        payauth.rsa_sign("-----BEGIN PRIVATE KEY-----\nnot a key\n-----END PRIVATE KEY-----", b"m")
    assert e.value.name == "PAYAUTH_KEY_INVALID"


def test_json_minify_keeps_the_input_type_and_the_bytes() -> None:
    pretty = '{\n  "b" : [1, 2.50, "x y"],\n  "a" : "caf\\u00e9 \u65e5"\n}'
    want = json.dumps(json.loads(pretty), separators=(",", ":"), ensure_ascii=False)
    want = want.replace("\u00e9", "\\u00e9").replace("2.5", "2.50")  # escapes/numbers kept
    assert payauth.json_minify(pretty) == want
    assert payauth.json_minify(pretty.encode()) == want.encode()
    with pytest.raises(payauth.SigningError) as e:
        payauth.json_minify('{"a": ')
    assert e.value.name == "PAYAUTH_JSON_INVALID"


def test_version_constants_and_status_names() -> None:
    major, minor, patch = (int(x) for x in payauth.version().split("."))
    assert payauth.version_number() == major * 10000 + minor * 100 + patch
    assert payauth.constant("PAYAUTH_VERSION") == payauth.version_number()
    assert payauth.constant("PAYAUTH_OK") == 0
    assert payauth.status_name(payauth.constant("PAYAUTH_CONFIG_JSON")) == "PAYAUTH_CONFIG_JSON"
    assert payauth.status_name(123456) == "PAYAUTH_UNKNOWN"
    assert payauth.status_str(payauth.constant("PAYAUTH_TLS"))
    with pytest.raises(KeyError):
        payauth.constant("PAYAUTH_NO_SUCH_THING")
    with pytest.raises(TypeError):
        payauth.constant(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        payauth.status_name("0")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        payauth.status_name(2**40)
