"""The one-crossing hot path (``payauth_signer_sign_packed`` / ``payauth_client_sign_packed``,
used by ``Signer.sign`` and ``Client.sign_request`` when ``explain`` is off) against the
object path (``payauth_*_sign*`` + ``payauth_headers_*``, used with ``explain=True``): the same
headers for every signing vector and every emulator profile, the same errors, the growth of
the output buffer on ``PAYAUTH_BUFFER_TOO_SMALL``, and misuse that must not reach the packed
call (a NUL inside a field would move the field boundaries)."""

from __future__ import annotations

import glob
import json
import os
import threading
from typing import Any, Dict, Iterator, List, Tuple

import pytest

import payauth
from payauth import _client, _native, _signer
from gateway import PROFILES, Gateway, extra_for
from paths import VECTORS_DIR

NETZME = {"profile": "netzme", "client_id": "TokoNetmeClientId",
          "client_secret": "MaREaULkzAUTAFYg"}  # fmt: skip
T = 1700000000123


def _signing_vectors() -> List[Tuple[str, Dict[str, Any]]]:
    out = []
    for path in sorted(glob.glob(os.path.join(VECTORS_DIR, "*.json"))):
        with open(path, encoding="utf-8") as f:
            v = json.load(f)
        if v["operation"] == "sign" and isinstance(v["config"], dict):
            out.append((os.path.basename(path)[:-5], v))
    return out


VECTORS = _signing_vectors()


class Spy:
    """Counts the calls of a module's ``_sign_packed`` (and passes them through)."""

    def __init__(self, module: Any, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        real = module._sign_packed

        def spy(*args: Any) -> int:
            self.calls += 1
            rc: int = real(*args)
            return rc

        monkeypatch.setattr(module, "_sign_packed", spy)


@pytest.fixture
def signer_spy(monkeypatch: pytest.MonkeyPatch) -> Spy:
    return Spy(_signer, monkeypatch)


@pytest.fixture
def small_buffers() -> Iterator[None]:
    """Scratch objects created during the test get a 16-byte packed output buffer."""
    saved, cap = list(_native.pool), _native.PACKED_CAP
    _native.pool.clear()
    _native.PACKED_CAP = 16
    try:
        yield
    finally:
        _native.PACKED_CAP = cap
        _native.pool[:] = saved


def _outcome(call: Any) -> Any:
    try:
        return call().headers
    except payauth.PayAuthError as e:
        return (e.name, e.message)


def test_there_are_signing_vectors() -> None:
    assert len(VECTORS) >= 20, f"expected the signing vectors in {VECTORS_DIR}"


@pytest.mark.parametrize("v", [v for _, v in VECTORS], ids=[i for i, _ in VECTORS])
def test_packed_and_object_paths_agree_on_every_signing_vector(
    v: Dict[str, Any], signer_spy: Spy
) -> None:
    try:
        signer = payauth.Signer(v["config"])
    except payauth.PayAuthError:
        return  # a configuration vector (test_vectors checks its status)
    inp = v["input"]
    kw = dict(token=inp.get("token", ""), time_ms=inp.get("timestamp_ms") or None,
              extra=inp.get("extra"))  # fmt: skip
    args = (inp.get("method", ""), inp.get("path", ""), inp.get("body", "").encode("utf-8"))
    with signer:
        packed = _outcome(lambda: signer.sign(*args, **kw))
        obj = _outcome(lambda: signer.sign(*args, explain=True, **kw))
    assert signer_spy.calls == 1, "explain off goes through the packed call (once)"
    assert packed == obj
    if v["expect"]["status"] == "PAYAUTH_OK":
        assert packed == [tuple(h) for h in v["expect"]["headers"]]
    else:
        assert packed[0] == v["expect"]["status"]


def test_buffer_too_small_grows_the_buffer_and_signs_again(
    small_buffers: None, signer_spy: Spy
) -> None:
    with payauth.Signer(NETZME) as s:
        want = s.sign("POST", "/p", b"{}", token="tok", time_ms=T, explain=True).headers
        assert s.sign("POST", "/p", b"{}", token="tok", time_ms=T).headers == want
        assert signer_spy.calls == 2, "the 16-byte buffer was too small: one more call"
        (sc,) = _native.pool
        assert sc.ocap > len("".join(f"{n}: {v}\r\n" for n, v in want)), "kept, grown"
        assert s.sign("POST", "/p", b"{}", token="tok", time_ms=T).headers == want
        assert signer_spy.calls == 3, "the grown buffer is reused"


def test_headers_longer_than_the_default_buffer(signer_spy: Spy) -> None:
    token = "t" * 3 * _native.PACKED_CAP
    with payauth.Signer(NETZME) as s:
        signed = s.sign("GET", "/x", token=token, time_ms=T)
        assert signed["Authorization"] == "Bearer " + token
        assert signed.headers == s.sign("GET", "/x", token=token, time_ms=T, explain=True).headers
    assert signer_spy.calls == 2, "one call too small, one after growing"
    assert any(sc.ocap > len(token) for sc in _native.pool), "the grown buffer is kept"


def test_a_huge_result_is_not_kept_in_the_pool(small_buffers: None, signer_spy: Spy) -> None:
    token = "t" * 100_000
    with payauth.Signer(NETZME) as s:
        assert s.sign("GET", "/x", token=token, time_ms=T)["Authorization"] == "Bearer " + token
    assert signer_spy.calls == 2
    assert all(sc.ocap <= 65536 for sc in _native.pool), "a one-off buffer, not kept"


def test_growth_under_threads_keeps_results_apart(small_buffers: None) -> None:
    with payauth.Signer(NETZME) as s:
        def sign(i: int, explain: bool = False) -> Any:
            return s.sign("GET", f"/x/{i}", token="t" * ((i + 1) * 97), time_ms=T, explain=explain)

        want = {i: sign(i, explain=True).headers for i in range(8)}
        bad: List[int] = []

        def work(i: int) -> None:
            for _ in range(50):
                if sign(i).headers != want[i]:
                    bad.append(i)

        threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert not bad


@pytest.mark.parametrize(
    "args, kwargs",
    [
        (("G\x00T", "/x"), {}),
        (("GET", "/x\x00/y"), {}),
        (("GET", "/x"), {"token": "a\x00b"}),
        (("GET", "/x"), {"extra": '{"message_id":"a"}\x00{}'}),
        (("GET", "/x"), {"extra": {"message_id": "a\x00b"}}),  # json escapes it: packed is fine
        ((b"GET", b"/\xff"), {}),
        (("GET", "/x"), {"extra": b"{\xff}"}),
        (("GET", "/x"), {"token": b"\xfe"}),
        (("GET", "/x"), {"token": None}),
        (("GET", "/x"), {"time_ms": 2**62}),
        (("GE T", "/x"), {}),
    ],
)  # fmt: skip
def test_misuse_gives_the_object_paths_error(args: Any, kwargs: Any, signer_spy: Spy) -> None:
    kwargs.setdefault("token", "tok")
    with payauth.Signer(NETZME) as s:
        packed = _outcome(lambda: s.sign(*args, **kwargs))
        obj = _outcome(lambda: s.sign(*args, explain=True, **kwargs))
    assert packed == obj
    assert isinstance(packed, tuple), "refused"
    # A NUL in a raw field never reaches the packed call (it would shift the fields).
    raw_nul = any("\x00" in a for a in args if isinstance(a, str)) or any(
        isinstance(v, str) and "\x00" in v for v in kwargs.values()
    )
    assert signer_spy.calls == (0 if raw_nul else 1)


def test_a_nul_shifting_fields_cannot_sign_another_request(signer_spy: Spy) -> None:
    with payauth.Signer(NETZME) as s:
        with pytest.raises(payauth.ArgumentError):
            # Packed naively this would read as method GET, path /a, token "tok".
            s.sign("GET\x00/a\x00tok", "", time_ms=T, token="")
    assert signer_spy.calls == 0


def test_closed_signer_and_client_raise_before_any_call(
    tmp_path: Any, signer_spy: Spy, monkeypatch: pytest.MonkeyPatch
) -> None:
    s = payauth.Signer(NETZME)
    s.close()
    with pytest.raises(payauth.ClosedError):
        s.sign("GET", "/x", token="t")
    assert signer_spy.calls == 0
    client_spy = Spy(_client, monkeypatch)
    c = payauth.Client({**NETZME, "token_url": "https://127.0.0.1:9/t",
                        "cache": {"dir": str(tmp_path)}})  # fmt: skip
    c.close()
    with pytest.raises(payauth.ClosedError):
        c.sign_request("GET", "/x")
    assert client_spy.calls == 0


@pytest.mark.parametrize("profile", PROFILES)
def test_client_packed_and_object_paths_agree(
    gateway: Gateway, make_config: Any, profile: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(_client, monkeypatch)
    with payauth.Client(make_config(profile)) as client:
        path = f"/echo/{profile}/v1/pay?ref=A1"
        body = b'{"amount":"10.00"}'
        kw = dict(time_ms=T, extra=extra_for(profile))
        packed = client.sign_request("POST", path, body, **kw)
        obj = client.sign_request("POST", path, body, explain=True, **kw)
        assert spy.calls == 1
        assert [n for n, _ in packed] == [n for n, _ in obj]
        # Every value agrees but SNAP's X-EXTERNAL-ID, random per request unless extra fixes it.
        differ = [n for (n, a), (_, b) in zip(packed, obj) if a != b]
        assert differ in ([], ["X-EXTERNAL-ID"]), differ
        fresh = client.sign_request("POST", path, body, extra=extra_for(profile))
        assert gateway.send("POST", path, fresh, body) == 200


def test_client_growth_path_is_accepted_by_the_gateway(
    gateway: Gateway, make_config: Any, small_buffers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    spy = Spy(_client, monkeypatch)
    with payauth.Client(make_config("netzme")) as client:
        path = "/echo/netzme/v1/pay"
        signed = client.sign_request("POST", path, b"{}", extra=extra_for("netzme"))
        assert spy.calls == 2, "too small, then grown"
        assert gateway.send("POST", path, signed, b"{}") == 200
    with payauth.Client(make_config("netzme")) as client:
        with pytest.raises(payauth.ArgumentError):
            client.sign_request("POST", "/x\x00y", b"{}")
    assert spy.calls == 2, "a NUL in the path never reaches the packed call"
