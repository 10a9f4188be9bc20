"""Sharing one Client / Signer between threads (cffi releases the GIL during C calls, so the
calls really overlap), including close() racing with calls in flight."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any, List

import payauth
from gateway import Gateway

THREADS = 16


def _together(n: int, work: Any) -> List[Any]:
    """Runs ``work(i)`` in ``n`` threads released at the same moment; returns the results."""
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        barrier.wait(timeout=30)
        return work(i)

    with ThreadPoolExecutor(max_workers=n) as pool:
        return list(pool.map(run, range(n)))


def test_sixteen_threads_share_one_client_and_one_token(gateway: Gateway, make_config) -> None:
    killed = gateway.stats()["killed_token_uses"]
    before = gateway.profile_stats("netzme")
    with payauth.Client(make_config("netzme")) as client:

        def work(i: int) -> str:
            path = f"/echo/netzme/thread/{i}"
            body = b'{"n":%d}' % i
            signed = client.sign_request("POST", path, body)
            assert gateway.send("POST", path, signed, body) == 200
            for _ in range(20):
                client.sign_request("GET", path)
            return signed["Authorization"]

        tokens = _together(THREADS, work)
        stats = client.stats()
    after = gateway.profile_stats("netzme")
    assert after["token_requests"] - before["token_requests"] == 1, "one token request in all"
    assert len(set(tokens)) == 1, "every thread got the same token"
    assert after["echo_ok"] - before["echo_ok"] == THREADS
    assert stats["fetches"] == 1
    assert gateway.stats()["killed_token_uses"] == killed, "no request used a superseded token"


def test_threads_share_one_signer() -> None:
    cfg = {"profile": "paynet-reports", "client_id": "id", "client_secret": "secret"}
    with payauth.Signer(cfg) as signer:
        want = signer.sign("GET", "/r", token="t", time_ms=1700000000000).headers

        def work(i: int) -> bool:
            return all(
                signer.sign("GET", "/r", token="t", time_ms=1700000000000).headers == want
                for _ in range(300)
            )

        assert all(_together(THREADS, work))


def test_close_racing_with_calls_in_flight_never_crashes() -> None:
    cfg = {"profile": "netzme", "client_id": "c", "client_secret": "s"}
    for _ in range(5):
        signer = payauth.Signer(cfg)
        outcomes: List[str] = []

        def work(i: int) -> None:
            if i == 0:
                signer.close()
                return
            for _ in range(200):
                try:
                    signer.sign("POST", "/x", b"{}" * 100, token="tok")
                    outcomes.append("ok")
                except payauth.ClosedError:
                    outcomes.append("closed")
                    return

        _together(8, work)
        assert signer.closed
        assert set(outcomes) <= {"ok", "closed"}
