"""``payauth.Client``: a signer plus token fetch, refresh and caching."""

from __future__ import annotations

import json
from typing import Any, Dict, Optional

from ._args import BytesLike, JsonLike, to_bytes, to_json, to_time_ms
from ._errors import make_error
from ._handle import Handle
from ._native import NULL, constant, ffi, give, lib, take
from ._signed import Signed, finish, sign_packed
from ._signer import config_bytes, explain_flag

_sign_request = lib.payauth_client_sign_request
_sign_packed = lib.payauth_client_sign_packed
_BUFFER_TOO_SMALL = constant("PAYAUTH_BUFFER_TOO_SMALL")


class Client(Handle):
    """Gets the access token a profile needs (fetched, cached and refreshed) and signs requests.

    ``config`` is the profile configuration plus the token fields (``token_url``, ``ca_file``,
    ``connect_timeout_ms``, ``timeout_ms``, ``refresh_margin``, ``cache``...; see
    ``payauth.h``), as a dict or JSON text. No request is made here.

    A client is safe to share between threads (one token fetch at a time; other callers wait
    or keep using the still-valid token) and keeps working in a child process after
    ``os.fork()``. Use it as a context manager or call :meth:`close`.

    Raises:
        TypeError: ``config`` is not a dict, str or bytes.
        ConfigError: the configuration is invalid.
        SigningError: a key cannot be parsed or is too small.
    """

    __slots__ = ("_profile",)
    _kind = "Client"

    def __init__(self, config: JsonLike) -> None:
        self._h = None
        self._profile: Optional[str] = None
        text = config_bytes(config)
        out = ffi.new("payauth_client **")
        sc = take()
        try:
            rc = lib.payauth_client_new(text, len(text), out, sc.err)
            if rc:
                raise make_error(rc, sc)
            self._adopt(out[0], lib.payauth_client_free)
        finally:
            give(sc)
        try:
            profile = json.loads(text).get("profile")
            self._profile = profile if isinstance(profile, str) else None
        except ValueError:  # pragma: no cover - the library accepted it as JSON
            pass

    @property
    def profile(self) -> Optional[str]:
        """The preset name from the configuration."""
        return self._profile

    def __repr__(self) -> str:
        state = " closed" if self._h is None else ""
        return f"<payauth.Client profile={self._profile!r}{state}>"

    def sign_request(
        self,
        method: BytesLike,
        path: BytesLike,
        body: BytesLike = b"",
        *,
        time_ms: Optional[int] = None,
        extra: Optional[JsonLike] = None,
        explain: bool = False,
    ) -> Signed:
        """Returns every header the gateway needs for one request: the access token (fetched
        or refreshed when needed), the signature, ids and timestamps.

        Arguments as for :meth:`payauth.Signer.sign`, without the token. After the gateway
        answers 401, call :meth:`invalidate` with the token you sent, then sign again.

        Raises:
            TypeError, ValueError: an argument of the wrong type or out of range.
            ClosedError: the client was closed.
            TokenError: the token could not be obtained (``PAYAUTH_NETWORK``,
                ``PAYAUTH_TLS``, ``PAYAUTH_CREDENTIALS_REJECTED``, ``PAYAUTH_BACKOFF``...).
            PayAuthError: any other refusal by the library.
        """
        try:
            m = method.encode() if type(method) is str else to_bytes(method, "method")
            p = path.encode() if type(path) is str else to_bytes(path, "path")
            b = body if type(body) is bytes else to_bytes(body, "body")
        except UnicodeEncodeError:
            raise ValueError("method, path and body must be encodable as UTF-8") from None
        ts = 0 if time_ms is None else to_time_ms(time_ms)
        x = NULL if extra is None else to_json(extra, "extra")
        flags = 0 if explain is False else explain_flag(explain)
        h = self._h or self._ptr()
        if not flags:
            # Hot path: one crossing, payauth_client_sign_packed (METHOD\0PATH\0\0EXTRA\0BODY:
            # the token field stays empty, the client adds its own). A NUL inside method, path
            # or extra would move the field boundaries: such a request takes the object call.
            xx = b"" if x is NULL else x
            if not (0 in m or 0 in p or 0 in xx):  # int membership: a memchr
                signed = sign_packed(_sign_packed, h, b"\0".join((m, p, b"", xx, b)), ts)
                if signed is not None:
                    return signed
        sc = take()
        try:
            rc = _sign_request(
                h, m, len(m), p, len(p), b, len(b),
                ts, x, 0 if x is NULL else len(x), flags, sc.headers, sc.err,
            )  # fmt: skip
            return finish(rc, sc, flags)
        finally:
            give(sc)

    def invalidate(self, token: BytesLike) -> bool:
        """Compare-and-invalidate after a 401: evicts the cached token only if it equals
        ``token`` (the bare token or the ``Bearer ...`` value sent), so a burst of 401s for one
        token causes one refresh.

        Returns:
            ``True`` if the cached token was evicted, ``False`` if the cache had moved on.
        """
        t = to_bytes(token, "token")
        sc = take()
        try:
            rc = lib.payauth_client_invalidate(self._ptr(), t, len(t), sc.i32, sc.err)
            if rc:
                raise make_error(rc, sc)
            return bool(sc.i32[0])
        finally:
            give(sc)

    def stats(self) -> Dict[str, Any]:
        """The client's counters: ``hits``, ``fetches``, ``refreshes``, ``failures``,
        ``stale_served``, ``waits``, ``invalidations``, ``backoff_refusals``,
        ``last_http_status``."""
        sc = take()
        try:
            h = self._ptr()
            rc = lib.payauth_client_stats(h, sc.buf, sc.cap, sc.size, sc.err)
            buf = sc.buf
            if rc == _BUFFER_TOO_SMALL:
                buf = ffi.new("char[]", sc.size[0] + 1)
                rc = lib.payauth_client_stats(h, buf, sc.size[0] + 1, sc.size, sc.err)
            if rc:
                raise make_error(rc, sc)
            result: Dict[str, Any] = json.loads(ffi.unpack(buf, sc.size[0]))
            return result
        finally:
            give(sc)
