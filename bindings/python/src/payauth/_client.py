"""``payauth.Client``: a signer plus the token flow and the shared token cache."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

from ._call import BytesLike, Signed, call, flag, output, pool, request, take, to_bytes, to_time_ms
from ._errors import error
from ._handle import Handle, config_bytes
from ._native import ffi, lib

_sign = lib.payauth_client_sign_packed


class Client(Handle):
    """Gets the access token a profile needs (fetched, cached, refreshed; shared between
    processes per ``docs/caching.md``) and signs requests. ``config``: the profile fields plus
    ``token_url``, timeouts, ``cache``... No request is made here. Safe to share between
    threads and usable after ``os.fork()``."""

    __slots__ = ()
    _kind = "Client"

    def __init__(self, config: Any) -> None:
        self._open(lib.payauth_client_new, lib.payauth_client_free, config_bytes(config), "payauth_client **")

    @property
    def profile(self) -> str:
        """The preset name, e.g. ``"netzme"``."""
        return ffi.string(lib.payauth_client_profile(self._ptr())).decode()

    def __repr__(self) -> str:
        return "<payauth.Client closed>" if self._h is None else f"<payauth.Client profile={self.profile!r}>"

    def sign_request(
        self,
        method: BytesLike,
        path: BytesLike,
        body: BytesLike = b"",
        *,
        time_ms: Optional[int] = None,
        timestamp: Optional[BytesLike] = None,
        external_id: Optional[BytesLike] = None,
        message_id: Optional[BytesLike] = None,
        string_to_sign: Any = None,
        explain: bool = False,
    ) -> Signed:
        """Every header the gateway needs, with the access token (fetched when needed; a valid
        cached token is always used). Arguments as for :meth:`Signer.sign` without the token.
        After a 401: :meth:`invalidate` the token sent, then sign again. Raises
        :class:`TokenError` when no valid token can be had, else as :meth:`Signer.sign`."""
        m = method.encode() if type(method) is str else to_bytes(method, "method")
        p = path.encode() if type(path) is str else to_bytes(path, "path")
        b = body if type(body) is bytes else to_bytes(body, "body")
        req = request(m, p, b, b"", (timestamp, external_id, message_id, string_to_sign))
        ts = 0 if time_ms is None else to_time_ms(time_ms)
        h = self._h or self._ptr()
        return call(_sign, h, req, ts, 0 if explain is False else flag(explain))

    def invalidate(self, token: BytesLike) -> bool:
        """Evicts the cached token only if it is ``token`` (bare or ``Bearer …``): ``True`` if
        evicted, ``False`` if the cache had moved on. One refresh per burst of 401s."""
        t = to_bytes(token, "token")
        sc = take()
        try:
            rc = lib.payauth_client_invalidate(self._ptr(), t, len(t), sc.i32, sc.err)
            if rc:
                raise error(rc, sc.err)
            return bool(sc.i32[0])
        finally:
            pool.append(sc)

    def stats(self) -> Dict[str, Any]:
        """Counters and states (token requests, hits per tier, backoff, shared tiers)."""
        result: Dict[str, Any] = json.loads(output(lib.payauth_client_stats, self._ptr()))
        return result
