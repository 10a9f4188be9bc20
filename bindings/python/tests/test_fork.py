"""A Client (and a Signer) created and used before os.fork() keep working in the children:
each child signs with the inherited token, then invalidates it and fetches its own over a
fresh connection; every request is checked by the emulator. No child may hang (bounded wait,
then SIGKILL and fail)."""

from __future__ import annotations

import os
import signal
import time
from typing import Callable, List

import payauth
from gateway import Gateway

CHILDREN = 8
WAIT_S = 60.0  # a hang bound, far above the few hundred ms the work takes


def _fork_all(n: int, child: Callable[[int], int]) -> List[int]:
    """Forks ``n`` children running ``child(i)`` (its result is the exit code); returns
    their exit codes (-signal for a signal), killing any child still running after WAIT_S."""
    pids = []
    for i in range(n):
        pid = os.fork()
        if pid == 0:  # child: never return into pytest
            code = 70
            try:
                code = child(i)
            except BaseException:  # noqa: BLE001 - any failure is an exit code
                code = 71
            finally:
                os._exit(code)
        pids.append(pid)
    deadline = time.monotonic() + WAIT_S
    codes = []
    for pid in pids:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done == pid:
                codes.append(os.waitstatus_to_exitcode(status))
                break
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                codes.append(-999)
                break
            time.sleep(0.02)
    return codes


def test_a_client_used_before_fork_works_in_every_child(gateway: Gateway, make_config) -> None:
    client = payauth.Client(make_config("paynet"))
    inherited = client.sign_request("GET", "/echo/paynet/x")
    assert gateway.send("GET", "/echo/paynet/x", inherited) == 200
    before = gateway.profile_stats("paynet")

    def child(i: int) -> int:
        path = f"/echo/paynet/child/{i}"
        first = client.sign_request("GET", path)
        if first["Authorization"] != inherited["Authorization"]:
            return 2
        if gateway.send("GET", path, first) != 200:
            return 3
        client.invalidate(first["Authorization"])
        second = client.sign_request("GET", path)
        if second["Authorization"] == first["Authorization"]:
            return 4
        if gateway.send("GET", path, second) != 200:
            return 5
        client.close()
        return 0

    codes = _fork_all(CHILDREN, child)
    assert codes == [0] * CHILDREN, f"child exit codes: {codes}"
    after = gateway.profile_stats("paynet")
    assert after["echo_ok"] - before["echo_ok"] == 2 * CHILDREN
    fetched = after["token_requests"] - before["token_requests"]
    # One fetch per child after its invalidation (fewer once children share a host cache).
    assert 1 <= fetched <= CHILDREN
    # The parent is unaffected and still usable.
    again = client.sign_request("GET", "/echo/paynet/x")
    assert gateway.send("GET", "/echo/paynet/x", again) == 200
    client.close()


def test_a_signer_used_before_fork_works_in_every_child() -> None:
    cfg = {"profile": "netzme", "client_id": "c", "client_secret": "s"}
    with payauth.Signer(cfg) as signer:
        want = signer.sign("POST", "/x", b"{}", token="t", time_ms=1700000000000).headers

        def child(i: int) -> int:
            got = signer.sign("POST", "/x", b"{}", token="t", time_ms=1700000000000).headers
            return 0 if got == want else 2

        assert _fork_all(CHILDREN, child) == [0] * CHILDREN
