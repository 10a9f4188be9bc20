"""The one signing path (``payauth_*_sign_packed``): results larger than the per-call buffer
come back whole from one signing (the spill buffer), under threads too; the library refuses
what a field cannot hold (no field boundary moves); the client's results, bodies to send
included, are accepted by the emulator for every profile; errors map by status group."""

from __future__ import annotations

import hashlib
import json
import threading
from typing import Any, List

import pytest

import payauth
from payauth import _call
from gateway import Gateway, emulator_profiles

SNAP = {"profile": "snap", "client_id": "c", "client_secret": "s"}
T = 1700000000123


def _pretty(n: int) -> bytes:
    return json.dumps({"note": "x" * n, "items": list(range(5))}, indent=2).encode()


def test_a_result_larger_than_the_buffer_comes_from_one_signing() -> None:
    body = _pretty(3 * _call.CAP)
    with payauth.Signer(SNAP) as s:
        # Nothing fixed: a second signing would have another timestamp and external id.
        signed = s.sign("POST", "/v1/pay", body, token="tok-12345678", explain=True)
    assert signed.body == payauth.json_minify(body)
    digest = hashlib.sha256(signed.body).hexdigest()
    assert signed.explain["body_sha256"] == digest
    assert signed.explain["string_to_sign"].endswith(f":{digest}:{signed['X-TIMESTAMP']}")


def test_spilled_and_small_results_under_threads_stay_apart() -> None:
    errors: List[str] = []
    with payauth.Signer(SNAP) as s:

        def work(i: int) -> None:
            for j in range(40):
                body = _pretty((i * 977 + j * 131) % (2 * _call.CAP))
                r = s.sign("POST", f"/t/{i}/{j}", body, token="tok-12345678", time_ms=T, explain=True)
                if r.body != payauth.json_minify(body) or f"/t/{i}/{j}:" not in r.explain["string_to_sign"]:
                    errors.append(f"{i}/{j}")

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert errors == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"path": "/x\x00y"},
        {"method": "GE\x00T"},
        {"token": "t\x00k"},
        {"message_id": "m\x00"},
        {"timestamp": "1\x002"},
    ],
)
def test_a_nul_inside_a_field_is_refused_not_shifted(kwargs: Any) -> None:
    args = {"method": "GET", "path": "/x", "token": "tok", **kwargs}
    with payauth.Signer({"profile": "netzme", "client_id": "c", "client_secret": "s"}) as s:
        with pytest.raises(payauth.ArgumentError) as e:
            s.sign(args.pop("method"), args.pop("path"), time_ms=T, **args)
    assert e.value.name == "PAYAUTH_INVALID_ARGUMENT"


def test_errors_map_by_status_group() -> None:
    classes = {1: payauth.ArgumentError, 2: payauth.ConfigError, 3: payauth.SigningError, 4: payauth.TokenError}
    for group, cls in classes.items():
        code = group * 100
        assert payauth.status_group(code) == group == payauth.constant(f"PAYAUTH_GROUP_{cls.__name__[:-5].upper()}")
    with pytest.raises(payauth.ConfigError):
        payauth.Signer({"profile": "nope"})
    with pytest.raises(payauth.SigningError) as e:
        payauth.Signer(SNAP).sign("GET", "/x")
    assert e.value.name == "PAYAUTH_MISSING_TOKEN" and payauth.status_group(e.value.code) == 3
    assert payauth.status_group(777) == -1


def test_the_compiled_module_is_used_when_built() -> None:
    import os

    want = os.environ.get("PAYAUTH_EXPECT_FFI_MODE")
    if want is None:
        pytest.skip("test.sh says which mode this run builds")
    assert payauth.ffi_mode == want


@pytest.mark.parametrize("profile", emulator_profiles())
def test_the_clients_results_and_bodies_are_accepted(gateway: Gateway, make_config, profile: str) -> None:
    pretty = b'{\n  "amount": {"value": "10.00", "currency": "MYR"},\n  "note": "a  b"\n}\n'
    with payauth.Client(make_config(profile)) as client:
        assert client.profile == profile
        path = f"/echo/{profile}/v1/pay"
        signed = client.sign_request("POST", path, pretty, **gateway.per_request(profile))
        sent = pretty if signed.body is None else signed.body
        assert gateway.send("POST", path, signed, sent) == 200, profile
        big = _pretty(2 * _call.CAP)
        signed = client.sign_request("POST", path, big, **gateway.per_request(profile))
        assert gateway.send("POST", path, signed, big if signed.body is None else signed.body) == 200
        with pytest.raises(payauth.ArgumentError):
            client.sign_request("POST", "https://h/x", b"", **gateway.per_request(profile))
