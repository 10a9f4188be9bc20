"""The benchmark compares like with like: its pure-Python schemes (bench_reference.py) give
exactly payauth's headers over several times, methods, paths and bodies."""

from __future__ import annotations

import sys

import pytest

import payauth
from paths import BINDING_DIR

sys.path.insert(0, BINDING_DIR)
import bench_reference as ref  # noqa: E402

TIMES = [1, 999, 1700000000123, 1709251199999, 253402214400000 - 86400000 - 1]
REQUESTS = [("GET", "/v1/x?a=1&b=2", b""), ("post", "/v1/pay", b'{"a":"caf\xc3\xa9"}' * 50)]
TOKEN = "tok-123"


@pytest.mark.parametrize("time_ms", TIMES)
@pytest.mark.parametrize("method, path, body", REQUESTS)
def test_reference_equals_payauth(time_ms: int, method: str, path: str, body: bytes) -> None:
    with payauth.Signer({"profile": "paynet-reports", "client_id": "i", "client_secret": "k"}) as s:
        want = s.sign(method, path, body, token=TOKEN, time_ms=time_ms).headers
        assert ref.paynet_reports_python(b"k", TOKEN, time_ms) == want
        assert ref.paynet_reports_fast(b"k", TOKEN, time_ms) == want
    with payauth.Signer({"profile": "netzme", "client_id": "c", "client_secret": "sec"}) as s:
        want = s.sign(method, path, body, token=TOKEN, time_ms=time_ms).headers
        assert ref.netzme_python("c", "sec", method, path, body, TOKEN, time_ms) == want
        assert ref.netzme_fast("c", "sec", method, path, body, TOKEN, time_ms) == want
    with payauth.Signer({"profile": "snap", "client_id": "c", "client_secret": "sec"}) as s:
        ext = "0" * 31 + "7"
        want = s.sign(method, path, body, token=TOKEN, time_ms=time_ms,
                      external_id=ext).headers  # fmt: skip
        assert ref.snap_python("c", b"sec", method, path, body, TOKEN, time_ms, ext) == want
        assert ref.snap_fast("c", b"sec", method, path, body, TOKEN, time_ms, ext) == want
        # Without a given id both generate 32 random digits.
        generated = dict(ref.snap_python("c", b"sec", method, path, body, TOKEN))["X-EXTERNAL-ID"]
        assert len(generated) == 32 and generated.isdigit()
        assert len(s.sign(method, path, body, token=TOKEN)["X-EXTERNAL-ID"]) == 32
