"""Misuse from Python must raise a Python exception, never crash the interpreter: None and
wrong types (TypeError before any C call), bad values (ValueError), bad JSON and configs
(PayAuthError with the right status name), closed handles, double close."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest

import payauth
from paths import key_path

KEY = key_path("rsa2048-pkcs1.pem")
NETZME = {"profile": "netzme", "client_id": "c", "client_secret": "s"}


@pytest.fixture
def signer() -> Any:
    with payauth.Signer(NETZME) as s:
        yield s


@pytest.mark.parametrize("config", [None, 42, 1.5, ["profile"], object(), {"profile": {1, 2}}])
def test_config_of_the_wrong_type_is_a_type_error(config: Any) -> None:
    with pytest.raises(TypeError):
        payauth.Signer(config)


@pytest.mark.parametrize(
    "config, status",
    [
        ("", "PAYAUTH_CONFIG_JSON"),
        ("{", "PAYAUTH_CONFIG_JSON"),
        ("[1]", "PAYAUTH_CONFIG_JSON"),
        (b"\xff\xfe", "PAYAUTH_INVALID_UTF8"),
        ({"profile": "nope"}, "PAYAUTH_CONFIG_UNKNOWN_PROFILE"),
        ({"profile": "netzme", "client_id": "c"}, "PAYAUTH_CONFIG_MISSING_FIELD"),
        ({**NETZME, "typo": 1}, "PAYAUTH_CONFIG_INVALID_FIELD"),
        ({**NETZME, "client_id": 7}, "PAYAUTH_CONFIG_INVALID_FIELD"),
        ({"profile": "netzme", "client_id": "c", "client_secret_env": "PAYAUTH_UNSET_VAR_X"},
         "PAYAUTH_CONFIG_SECRET_SOURCE"),
        ({"profile": "snap", "client_id": "c", "client_secret": "s", "private_key": "junk"},
         "PAYAUTH_KEY_INVALID"),
    ],
)  # fmt: skip
def test_bad_configs_give_the_status_name(config: Any, status: str) -> None:
    with pytest.raises(payauth.PayAuthError) as e:
        payauth.Signer(config)
    assert e.value.name == status, str(e.value)
    assert e.value.code == payauth.constant(status)
    assert status in str(e.value)


def test_a_lone_surrogate_is_a_value_error_without_the_value() -> None:
    with pytest.raises(ValueError) as e:
        payauth.Signer({**NETZME, "client_secret": "zqv\ud800xjw"})
    assert "zqv" not in str(e.value) and "xjw" not in str(e.value)


@pytest.mark.parametrize(
    "args, kwargs, exc",
    [
        ((None, "/x"), {}, TypeError),
        (("GET", None), {}, TypeError),
        ((1, "/x"), {}, TypeError),
        (("GET", "/x", None), {}, TypeError),
        (("GET", "/x", 12), {}, TypeError),
        (("GET", "/x", [1, 2]), {}, TypeError),
        (("GET", "/x"), {"token": 5}, TypeError),
        (("GET", "/x"), {"time_ms": "now"}, TypeError),
        (("GET", "/x"), {"time_ms": 1.5}, TypeError),
        (("GET", "/x"), {"time_ms": True}, TypeError),
        (("GET", "/x"), {"time_ms": 0}, ValueError),
        (("GET", "/x"), {"time_ms": -1}, ValueError),
        (("GET", "/x"), {"time_ms": 2**70}, ValueError),
        (("GET", "/x"), {"external_id": 5}, TypeError),
        (("GET", "/x"), {"message_id": object()}, TypeError),
        (("GET", "/x"), {"timestamp": ["1"]}, TypeError),
        (("GET", "/x"), {"string_to_sign": [1]}, TypeError),
        (("GET", "/x"), {"string_to_sign": 3}, TypeError),
        (("GET", "/x"), {"external_id": "\ud800"}, ValueError),
        (("GET", "/x"), {"explain": 1}, TypeError),
        (("GET", "/x"), {"explain": None}, TypeError),
        (("G\ud800", "/x"), {}, ValueError),
    ],
)  # fmt: skip
def test_sign_argument_errors_are_python_errors(
    signer: Any, args: Any, kwargs: Any, exc: Any
) -> None:
    kwargs.setdefault("token", "t")
    with pytest.raises(exc):
        signer.sign(*args, **kwargs)


@pytest.mark.parametrize(
    "args, kwargs, status",
    [
        ((b"GET", b"/\xff"), {}, "PAYAUTH_INVALID_UTF8"),
        (("G\x00T", "/x"), {}, "PAYAUTH_INVALID_ARGUMENT"),
        (("GET", "/x\r\nInjected: 1"), {}, "PAYAUTH_INVALID_ARGUMENT"),
        (("GET", "/x"), {"token": "a\nb"}, "PAYAUTH_INVALID_ARGUMENT"),
        (("GET", "/x"), {"token": None}, "PAYAUTH_MISSING_TOKEN"),
        (("GET", "/x"), {"token": "t", "external_id": "abc"}, "PAYAUTH_INVALID_ARGUMENT"),
        (("GET", "/x"), {"token": "t", "timestamp": "a\nb"}, "PAYAUTH_INVALID_ARGUMENT"),
        (("GET", "/x"), {"token": "t", "message_id": "m\x00"}, "PAYAUTH_INVALID_ARGUMENT"),
        (("GET", "/x\x00y"), {"token": "t"}, "PAYAUTH_INVALID_ARGUMENT"),
        (("GET", "/x"), {"token": "t", "timestamp": b"\xff"}, "PAYAUTH_INVALID_UTF8"),
        (("GET", "/x"), {"token": "t", "time_ms": 2**62}, "PAYAUTH_INVALID_ARGUMENT"),
    ],
)  # fmt: skip
def test_values_the_library_refuses_give_the_status_name(
    signer: Any, args: Any, kwargs: Any, status: str
) -> None:
    with pytest.raises(payauth.PayAuthError) as e:
        signer.sign(*args, **kwargs)
    assert e.value.name == status, str(e.value)


def test_verify_needs_keyword_timestamp_and_signature(signer: Any) -> None:
    with pytest.raises(TypeError):
        signer.verify("POST", "/x", b"", "ts", "sig")  # type: ignore[misc]
    with pytest.raises(TypeError):
        signer.verify("POST", "/x", b"", timestamp=None, signature="s", token="t")


@pytest.mark.parametrize("kind", ["Signer", "Client"])
def test_closed_handles_raise_and_double_close_is_harmless(kind: str, tmp_path: Any) -> None:
    if kind == "Signer":
        h: Any = payauth.Signer(NETZME)
        calls = [
            lambda: h.sign("GET", "/x", token="t"),
            lambda: h.token_headers(),
            lambda: h.verify("GET", "/x", timestamp="1", signature="2", token="t"),
            lambda: h.profile,
        ]
    else:
        cfg = {"profile": "paynet-jws", "client_id": "c", "private_key_file": KEY,
               "cache": {"dir": str(tmp_path)}}  # fmt: skip
        h = payauth.Client(cfg)
        h.sign_request("GET", "/x", message_id="m1")
        calls = [
            lambda: h.sign_request("GET", "/x", message_id="m1"),
            lambda: h.invalidate("tok"),
            lambda: h.stats(),
        ]
    h.close()
    h.close()
    for call in calls:
        with pytest.raises(payauth.ClosedError):
            call()
    with pytest.raises(payauth.ClosedError):
        with h:
            pass
    assert isinstance(payauth.ClosedError("x"), ValueError)


def test_handles_cannot_be_pickled_or_copied(signer: Any) -> None:
    for op in (pickle.dumps, copy.copy, copy.deepcopy):
        with pytest.raises(TypeError):
            op(signer)


def test_client_argument_errors(tmp_path: Any) -> None:
    cfg = {"profile": "paynet-jws", "client_id": "c", "private_key_file": KEY,
           "cache": {"dir": str(tmp_path)}}  # fmt: skip
    with payauth.Client(cfg) as client:
        with pytest.raises(TypeError):
            client.sign_request(None, "/x")  # type: ignore[arg-type]
        with pytest.raises(TypeError):
            client.invalidate(None)  # type: ignore[arg-type]
        with pytest.raises(payauth.ArgumentError) as e:
            client.invalidate("")
        assert e.value.name == "PAYAUTH_INVALID_ARGUMENT"
        with pytest.raises(payauth.SigningError) as e:
            client.sign_request("GET", "/x")
        assert e.value.name == "PAYAUTH_MISSING_REQUEST_FIELD"
    with pytest.raises(TypeError):
        payauth.Client(None)  # type: ignore[arg-type]


def test_primitive_argument_errors() -> None:
    with pytest.raises(TypeError):
        payauth.hmac(None, b"m")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        payauth.hmac(b"k", 5)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        payauth.hmac(b"k", b"m", hash="md5")
    with pytest.raises(ValueError):
        payauth.hmac(b"k", b"m", encoding="base32")
    with pytest.raises(TypeError):
        payauth.hmac(b"k", b"m", hash=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        payauth.sha256_hex(None)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        payauth.json_minify({"a": 1})  # type: ignore[arg-type]
    with pytest.raises(payauth.SigningError):
        payauth.rsa_sign("", b"m")
    with pytest.raises(TypeError):
        payauth.hmac_verify(b"k", b"m", None)  # type: ignore[arg-type]
