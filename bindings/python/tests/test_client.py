"""The Client against the loopback HTTPS gateway emulator: token fetch + signed requests the
emulator's independent verifier accepts, caching, compare-and-invalidate, stats, and token
failures. Counters are compared before/after (other suites share the emulator); no test
asserts a duration."""

from __future__ import annotations

import os
import time

import pytest

import payauth
from gateway import Gateway, emulator_profiles

BODY = '{"amount":{"value":"10.00","currency":"MYR"},"note":"caf\u00e9 \u65e5"}'.encode()
TAMPERED = BODY.replace(b"10.00", b"99.00")
# Profiles whose signature covers the body (the others sign only the token/timestamp).
BODY_SIGNED = {"paynet-jws", "paynet-duitnow-pay", "netzme", "netzme-snap", "snap"}
SYSTEM_CAS = "/etc/ssl/certs/ca-certificates.crt"


@pytest.mark.parametrize("profile", emulator_profiles())
def test_signed_requests_are_accepted_with_one_token_fetch(
    gateway: Gateway, make_config, profile: str
) -> None:
    before = gateway.profile_stats(profile)
    with payauth.Client(make_config(profile)) as client:
        path = f"/echo/{profile}/v1/pay?ref=A1&x=2"
        signed = client.sign_request("POST", path, BODY, **gateway.per_request(profile))
        assert gateway.send("POST", path, signed, BODY) == 200, [n for n, _ in signed]
        if profile in BODY_SIGNED:
            assert gateway.send("POST", path, signed, TAMPERED) == 401, "tampered body accepted"
        get = f"/echo/{profile}/v1/balance?id=7"
        signed = client.sign_request("GET", get, **gateway.per_request(profile))
        assert gateway.send("GET", get, signed) == 200
        stats = client.stats()
    after = gateway.profile_stats(profile)
    assert after["echo_ok"] - before["echo_ok"] == 2
    if gateway.clients()[profile]["token_path"]:
        assert after["token_requests"] - before["token_requests"] == 1, "one token, two requests"
        assert stats["fetches"] == 1 and stats["hits"] >= 1, stats


def test_invalidate_is_compare_and_swap(gateway: Gateway, make_config) -> None:
    before = gateway.profile_stats("paynet")["token_requests"]
    with payauth.Client(make_config("paynet")) as client:
        first = client.sign_request("GET", "/echo/paynet/x")["Authorization"]
        assert client.invalidate(first) is True
        assert client.invalidate(first) is False, "the cache already moved on"
        second = client.sign_request("GET", "/echo/paynet/x")
        assert second["Authorization"] != first
        assert gateway.send("GET", "/echo/paynet/x", second) == 200
        bare = second["Authorization"].split(" ", 1)[1]
        assert client.invalidate(bare) is True, "the bare token works too"
        assert client.stats()["invalidations"] >= 2
    assert gateway.profile_stats("paynet")["token_requests"] - before == 2


def test_explain_through_the_client(gateway: Gateway, make_config) -> None:
    with payauth.Client(make_config("netzme")) as client:
        signed = client.sign_request("POST", "/echo/netzme/x", b"{}", explain=True)
        assert signed.explain["string_to_sign"].startswith("path=/echo/netzme/x&method=POST&")
        assert "[client_secret, " in signed.explain["hmac_key"]


def test_a_gateway_failure_is_a_token_error_without_secrets(
    gateway: Gateway, make_config, no_faults: None
) -> None:
    cfg = make_config("paynet", backoff_base_ms=200)
    gateway.fault("paynet", "status", status=503)
    with payauth.Client(cfg) as client:
        with pytest.raises(payauth.TokenError) as e:
            client.sign_request("GET", "/echo/paynet/x")
        assert e.value.name == "PAYAUTH_HTTP_STATUS"
        assert e.value.code == payauth.constant("PAYAUTH_HTTP_STATUS")
        assert cfg["client_secret"] not in str(e.value)
        # Every failure backs off: the next call is refused without a request ...
        with pytest.raises(payauth.TokenError) as e:
            client.sign_request("GET", "/echo/paynet/x")
        assert e.value.name == "PAYAUTH_BACKOFF"
        # ... and once the backoff (200 ms here) is over, a token is fetched.
        time.sleep(0.25)
        assert client.sign_request("GET", "/echo/paynet/x")["Authorization"].startswith("Bearer ")


def test_rejected_credentials_then_backoff(gateway: Gateway, make_config) -> None:
    cfg = make_config("netzme", client_secret="wrong-secret-value")
    before = gateway.profile_stats("netzme")["token_requests"]
    with payauth.Client(cfg) as client:
        with pytest.raises(payauth.TokenError) as e:
            client.sign_request("GET", "/echo/netzme/x")
        assert e.value.name == "PAYAUTH_CREDENTIALS_REJECTED"
        assert "wrong-secret-value" not in str(e.value)
        with pytest.raises(payauth.TokenError) as e:
            client.sign_request("GET", "/echo/netzme/x")
        assert e.value.name == "PAYAUTH_BACKOFF"
    assert gateway.profile_stats("netzme")["token_requests"] - before == 1


@pytest.mark.skipif(not os.path.isfile(SYSTEM_CAS), reason="needs the system CA bundle")
def test_an_untrusted_certificate_is_a_tls_error(gateway: Gateway, make_config) -> None:
    # The public CAs did not sign the emulator's certificate.
    with payauth.Client(make_config("paynet", ca_file=SYSTEM_CAS)) as client:
        with pytest.raises(payauth.TokenError) as e:
            client.sign_request("GET", "/echo/paynet/x")
    assert e.value.name == "PAYAUTH_TLS"


def test_client_configuration_errors(gateway: Gateway, make_config) -> None:
    with pytest.raises(payauth.ConfigError) as e:
        payauth.Client(make_config("paynet", token_url="ftp://127.0.0.1/token"))
    assert e.value.name == "PAYAUTH_CONFIG_INVALID_FIELD"
    with pytest.raises(payauth.ConfigError) as e:
        payauth.Client(make_config("paynet", ca_file="/nonexistent/ca.pem"))
    assert e.value.name == "PAYAUTH_CONFIG_SECRET_SOURCE"
    with pytest.raises(payauth.ConfigError) as e:
        payauth.Client(make_config("paynet", timeout_ms="soon"))
    assert e.value.name == "PAYAUTH_CONFIG_INVALID_FIELD"


def test_client_repr_hides_credentials(gateway: Gateway, make_config) -> None:
    cfg = make_config("azupay")
    client = payauth.Client(cfg)
    assert repr(client) == "<payauth.Client profile='azupay'>"
    assert cfg["api_key"] not in repr(client) and cfg["client_secret"] not in repr(client)
    client.close()
    assert repr(client) == "<payauth.Client closed>"

