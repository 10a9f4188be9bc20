"""``payauth.Signer``: offline request signing from a profile configuration."""

from __future__ import annotations

from typing import Any, Optional

from ._args import BytesLike, JsonLike, to_bool, to_bytes, to_json, to_optional_bytes, to_time_ms
from ._errors import make_error
from ._handle import Handle
from ._native import NULL, constant, ffi, give, lib, take
from ._signed import Signed, finish, sign_packed

_sign = lib.payauth_signer_sign
_sign_packed = lib.payauth_signer_sign_packed
_EXPLAIN = constant("PAYAUTH_FLAG_EXPLAIN")


def config_bytes(config: Any) -> bytes:
    """The configuration as JSON bytes: a mapping is serialised, str/bytes passed verbatim."""
    out = to_json(config, "config")
    if out is None:
        raise TypeError("config must be a dict or JSON text (str/bytes), not None")
    return out


def explain_flag(explain: Any) -> int:
    """``PAYAUTH_FLAG_EXPLAIN`` or 0, from a strict bool."""
    return _EXPLAIN if to_bool(explain, "explain") else 0


class Signer(Handle):
    """Signs outgoing requests offline (no network) for one profile.

    ``config`` is the profile configuration (see ``docs/profiles.md``): a dict, or its JSON text
    as str/bytes, e.g. ``{"profile": "netzme", "client_id": "...", "client_secret": "..."}``.
    Keys are parsed once here. A signer may be used from many threads at once. Use it as a
    context manager or call :meth:`close`; it is also freed when garbage-collected.

    Raises:
        TypeError: ``config`` is not a dict, str or bytes.
        ConfigError: the configuration is invalid (``PAYAUTH_CONFIG_*``).
        SigningError: a key cannot be parsed or is too small.
    """

    __slots__ = ()
    _kind = "Signer"

    def __init__(self, config: JsonLike) -> None:
        self._h = None
        text = config_bytes(config)
        out = ffi.new("payauth_signer **")
        sc = take()
        try:
            rc = lib.payauth_signer_new(text, len(text), out, sc.err)
            if rc:
                raise make_error(rc, sc)
            self._adopt(out[0], lib.payauth_signer_free)
        finally:
            give(sc)

    @property
    def profile(self) -> str:
        """The preset name, e.g. ``"netzme"``."""
        return ffi.string(lib.payauth_signer_profile(self._ptr())).decode()

    def __repr__(self) -> str:
        if self._h is None:
            return "<payauth.Signer closed>"
        return f"<payauth.Signer profile={self.profile!r}>"

    def sign(
        self,
        method: BytesLike,
        path: BytesLike,
        body: BytesLike = b"",
        *,
        token: Optional[BytesLike] = None,
        time_ms: Optional[int] = None,
        extra: Optional[JsonLike] = None,
        explain: bool = False,
    ) -> Signed:
        """Signs one outgoing request and returns every header the gateway needs.

        Args:
            method: the HTTP method, e.g. ``"POST"`` (upper-cased before signing).
            path: the path and raw query exactly as sent.
            body: the exact body bytes sent (str is encoded as UTF-8); never re-serialised.
            token: the access token, for schemes that need one.
            time_ms: the request time in epoch milliseconds; ``None`` = now.
            extra: per-request values (``message_id``, ``external_id``, ``timestamp``,
                ``fields``, ``string_to_sign``) as a dict or JSON text.
            explain: also return the intermediate artifacts in ``Signed.explain``.

        Raises:
            TypeError, ValueError: an argument of the wrong type or out of range.
            ClosedError: the signer was closed.
            PayAuthError: the library refused (e.g. ``PAYAUTH_MISSING_TOKEN``).
        """
        try:
            m = method.encode() if type(method) is str else to_bytes(method, "method")
            p = path.encode() if type(path) is str else to_bytes(path, "path")
            b = body if type(body) is bytes else to_bytes(body, "body")
            if token is None:
                t = NULL
            else:
                t = token.encode() if type(token) is str else to_bytes(token, "token")
        except UnicodeEncodeError:
            raise ValueError("method, path, body and token must be encodable as UTF-8") from None
        ts = 0 if time_ms is None else to_time_ms(time_ms)
        x = NULL if extra is None else to_json(extra, "extra")
        flags = 0 if explain is False else explain_flag(explain)
        h = self._h or self._ptr()
        if not flags:
            # Hot path: one crossing, payauth_signer_sign_packed (METHOD\0PATH\0TOKEN\0EXTRA\0
            # BODY in, the header text out). A NUL inside the first four fields would move their
            # boundaries: such a request takes the object call below, which refuses it.
            tt = b"" if t is NULL else t
            xx = b"" if x is NULL else x
            if not (0 in m or 0 in p or 0 in tt or 0 in xx):  # int membership: a memchr
                signed = sign_packed(_sign_packed, h, b"\0".join((m, p, tt, xx, b)), ts)
                if signed is not None:
                    return signed
        return self._sign_object(h, m, p, b, t, ts, x, flags)

    def _sign_object(
        self, h: Any, m: bytes, p: bytes, b: bytes, t: Any, ts: int, x: Any, flags: int
    ) -> Signed:
        """``payauth_signer_sign`` (the result object: explain artifacts), for explain=True and
        for requests the packed call cannot carry or refuses as invalid UTF-8."""
        sc = take()
        try:
            rc = _sign(
                h, m, len(m), p, len(p), b, len(b),
                t, 0 if t is NULL else len(t), ts, x, 0 if x is NULL else len(x),
                flags, sc.headers, sc.err,
            )  # fmt: skip
            return finish(rc, sc, flags)
        finally:
            give(sc)

    def token_headers(
        self,
        *,
        time_ms: Optional[int] = None,
        extra: Optional[JsonLike] = None,
        explain: bool = False,
    ) -> Signed:
        """Headers for the profile's token request: SNAP's RSA-signed ``X-SIGNATURE`` with
        ``X-TIMESTAMP`` and ``X-CLIENT-KEY``, or Netzme legacy's Basic ``Authorization``.

        Raises:
            SigningError: ``PAYAUTH_UNSUPPORTED`` for profiles without such headers, or a
                missing ``private_key``.
        """
        ts = to_time_ms(time_ms)
        x = to_json(extra, "extra")
        flags = explain_flag(explain)
        sc = take()
        try:
            rc = lib.payauth_signer_token_headers(
                self._ptr(), ts, NULL if x is None else x, 0 if x is None else len(x), flags,
                sc.headers, sc.err,
            )  # fmt: skip
            return finish(rc, sc, flags)
        finally:
            give(sc)

    def verify(
        self,
        method: BytesLike,
        path: BytesLike,
        body: BytesLike = b"",
        *,
        timestamp: BytesLike,
        signature: BytesLike,
        token: Optional[BytesLike] = None,
    ) -> bool:
        """Checks the signature of an inbound request (callback / webhook) signed with the
        profile's HMAC scheme, in constant time.

        ``timestamp`` is the timestamp header exactly as received and ``signature`` the
        received signature. Checking that the timestamp is recent is the caller's policy.

        Returns:
            ``True`` if the signature matches, ``False`` if it does not.

        Raises:
            SigningError: ``PAYAUTH_UNSUPPORTED`` (the profile has no HMAC scheme),
                ``PAYAUTH_MISSING_TOKEN``.
        """
        m = to_bytes(method, "method")
        p = to_bytes(path, "path")
        b = to_bytes(body, "body")
        t = to_optional_bytes(token, "token")
        ts = to_bytes(timestamp, "timestamp")
        sig = to_bytes(signature, "signature")
        sc = take()
        try:
            rc = lib.payauth_signer_verify(
                self._ptr(), m, len(m), p, len(p), b, len(b),
                NULL if t is None else t, 0 if t is None else len(t),
                ts, len(ts), sig, len(sig), sc.err,
            )  # fmt: skip
            if rc == 0:
                return True
            err = make_error(rc, sc)
            if err.name == "PAYAUTH_SIGNATURE_MISMATCH":
                return False
            raise err
        finally:
            give(sc)
