"""The Signer and Signed API: input forms, dict-like access, explain, token headers, verify,
redaction and handle lifetime."""

from __future__ import annotations

import gc
import json
import time

import pytest

import payauth
from payauth import _handle
from paths import key_path

NETZME = {"profile": "netzme", "client_id": "TokoNetmeClientId",
          "client_secret": "MaREaULkzAUTAFYg"}  # fmt: skip
REPORTS = {"profile": "paynet-reports", "client_id": "id", "client_secret": "s3cr3t-value"}
SNAP = {
    "profile": "snap",
    "client_id": "snap-test-client",
    "client_secret": "snap-test-client-secret",
    "private_key_file": key_path("rsa2048-pkcs1.pem"),
}
T = 1700000000123


def test_config_as_dict_str_or_bytes_signs_the_same() -> None:
    text = json.dumps(NETZME)
    results = []
    for cfg in (NETZME, text, text.encode()):
        with payauth.Signer(cfg) as s:
            results.append(s.sign("POST", "/a?b=1", b'{"x":1}', token="tok", time_ms=T).headers)
    assert results[0] == results[1] == results[2]


def test_body_and_text_inputs_are_equivalent() -> None:
    with payauth.Signer(NETZME) as s:
        a = s.sign("POST", "/p", b"caf\xc3\xa9", token="tok", time_ms=T)
        b = s.sign(b"POST", b"/p", "caf\u00e9", token=b"tok", time_ms=T)
        c = s.sign("post", "/p", bytearray(b"caf\xc3\xa9"), token="tok", time_ms=T)
        d = s.sign("POST", "/p", memoryview(b"caf\xc3\xa9"), token="tok", time_ms=T)
    assert a.headers == b.headers == c.headers == d.headers


def test_signed_is_a_list_of_pairs_with_case_insensitive_lookup() -> None:
    with payauth.Signer(NETZME) as s:
        signed = s.sign("GET", "/x", token="tok", time_ms=T)
    names = [n for n, _ in signed]
    assert names == ["Authorization", "Request-Time", "Signature", "Client-Id", "Content-Type"]
    assert len(signed) == 5
    assert signed["authorization"] == signed["AUTHORIZATION"] == "Bearer tok"
    assert signed.get("request-time") == str(T)
    assert signed.get("missing") is None and signed.get("missing", "d") == "d"
    assert "signature" in signed and "nope" not in signed and 3 not in signed
    with pytest.raises(KeyError):
        signed["nope"]
    assert list(signed.as_dict()) == names
    assert signed.text().endswith("Content-Type: application/json\r\n")
    assert signed.explain == {}


def test_explain_and_the_default_time() -> None:
    with payauth.Signer(REPORTS) as s:
        signed = s.sign("GET", "/r", explain=True)
        ts = signed["X-Timestamp"]
        assert signed.explain["timestamp"] == ts == signed.explain["string_to_sign"]
        assert signed.explain["hmac_key"] == "[client_secret, 12 bytes]"
        # time_ms=None is "now": the timestamp is today's, not the epoch.
        assert abs(int(ts) - time.time()) < 86400
        assert s.sign("GET", "/r", time_ms=T)["X-Timestamp"] == str(T // 1000)


def test_typed_per_request_inputs() -> None:
    with payauth.Signer(SNAP) as s:
        a = s.sign("GET", "/v", token="t", time_ms=T, external_id="123")
        b = s.sign("GET", "/v", token="t", time_ms=T, external_id=b"123", timestamp="2024-01-01T00:00:00+07:00")
    assert a["X-EXTERNAL-ID"] == b["X-EXTERNAL-ID"] == "123"
    assert b["X-TIMESTAMP"] == "2024-01-01T00:00:00+07:00"
    dobw = {"profile": "paynet", "client_id": "c", "client_secret": "s", "signature_key": "k",
            "private_key_file": key_path("rsa2048-pkcs1.pem")}  # fmt: skip
    with payauth.Signer(dobw) as s:
        whole = s.sign("POST", "/p", b"{}", token="t", time_ms=T, string_to_sign="AB12")
        fields = s.sign("POST", "/p", b"{}", token="t", time_ms=T, string_to_sign=["AB", "12"])
    assert whole.headers == fields.headers


def test_token_headers() -> None:
    with payauth.Signer(SNAP) as s:
        h = s.token_headers(time_ms=T, explain=True)
        assert [n for n, _ in h][:3] == ["X-TIMESTAMP", "X-CLIENT-KEY", "X-SIGNATURE"]
        assert h.explain["string_to_sign"] == "snap-test-client|" + h["X-TIMESTAMP"]
        fixed = s.token_headers(timestamp="2024-01-01T00:00:00+07:00")
        assert fixed["X-TIMESTAMP"] == "2024-01-01T00:00:00+07:00"
    with payauth.Signer(REPORTS) as s, pytest.raises(payauth.SigningError) as e:
        s.token_headers()
    assert e.value.name == "PAYAUTH_UNSUPPORTED"


def test_a_pretty_body_comes_back_minified_to_send() -> None:
    pretty = b'{\n  "amount": {"value": "10.00"},\n  "note": "a  b"\n}\n'
    with payauth.Signer(SNAP) as s:
        signed = s.sign("POST", "/v", pretty, token="tok", time_ms=T, explain=True)
        assert signed.body == payauth.json_minify(pretty) == b'{"amount":{"value":"10.00"},"note":"a  b"}'
        assert "send the result's body" in signed.explain["body_form"]
        compact = s.sign("POST", "/v", signed.body, token="tok", time_ms=T, external_id="1")
        assert compact.body is None, "a body already minified is sent as given"
        assert repr(signed).endswith("body=42 bytes>")


def test_verify_round_trip() -> None:
    with payauth.Signer(NETZME) as s:
        signed = s.sign("POST", "/cb", b'{"a":1}', token="tok", time_ms=T)
        ok = dict(timestamp=signed["Request-Time"], signature=signed["Signature"], token="tok")
        assert s.verify("POST", "/cb", b'{"a":1}', **ok) is True
        assert s.verify("POST", "/cb", b'{"a":2}', **ok) is False
    with payauth.Signer(SNAP) as s:
        snap = s.sign("POST", "/cb", b"{}", token="tok", time_ms=T)
        assert s.verify(
            "POST", "/cb", b"{}", token="tok",
            timestamp=snap["X-TIMESTAMP"], signature=snap["X-SIGNATURE"],
        )  # fmt: skip


def test_secrets_stay_out_of_repr_and_messages() -> None:
    s = payauth.Signer(REPORTS)
    signed = s.sign("GET", "/r", token="very-secret-token", time_ms=T, explain=True)
    for text in (repr(s), str(s), repr(signed), str(signed)):
        assert "s3cr3t-value" not in text and "very-secret-token" not in text
    assert repr(s) == "<payauth.Signer profile='paynet-reports'>"
    with pytest.raises(payauth.ConfigError) as e:
        payauth.Signer({**REPORTS, "client_secretx": "s3cr3t-value"})
    assert "s3cr3t-value" not in str(e.value)
    s.close()
    assert repr(s) == "<payauth.Signer closed>"


def test_close_frees_at_once_and_the_finaliser_frees_unclosed_signers() -> None:
    gc.collect()  # signers of earlier tests held in cycles (tracebacks) are freed first
    before = _handle.freed["Signer"]
    s = payauth.Signer(NETZME)
    s.sign("GET", "/x", token="t")
    s.close()
    assert _handle.freed["Signer"] == before + 1, "close() frees the C object immediately"
    s.close()
    assert _handle.freed["Signer"] == before + 1, "a second close() frees nothing"
    with payauth.Signer(NETZME) as s2:
        assert not s2.closed
    assert s2.closed and _handle.freed["Signer"] == before + 2
    payauth.Signer(NETZME).sign("GET", "/x", token="t")  # never closed
    gc.collect()
    assert _handle.freed["Signer"] == before + 3, "the finaliser frees an unclosed signer"
