"""``payauth.Signer``: offline request signing and inbound verification for one profile."""

from __future__ import annotations

from typing import Any, Optional

from ._call import BytesLike, Signed, call, flag, request, status, to_bytes, to_time_ms
from ._handle import Handle, config_bytes
from ._native import ffi, lib

_sign = lib.payauth_signer_sign_packed
_TOKEN_REQUEST = 2  # PAYAUTH_FLAG_TOKEN_REQUEST


class Signer(Handle):
    """Signs requests offline (no network) for one profile; ``config`` is a dict or its JSON
    text (``docs/profiles.md``). Keys are parsed once here; one signer serves many threads.

    Raises ``TypeError`` for a config of the wrong type, :class:`ConfigError` for an invalid
    one, :class:`SigningError` for an unusable key."""

    __slots__ = ()
    _kind = "Signer"

    def __init__(self, config: Any) -> None:
        self._open(lib.payauth_signer_new, lib.payauth_signer_free, config_bytes(config), "payauth_signer **")

    @property
    def profile(self) -> str:
        """The preset name, e.g. ``"netzme"``."""
        return ffi.string(lib.payauth_signer_profile(self._ptr())).decode()

    def __repr__(self) -> str:
        return "<payauth.Signer closed>" if self._h is None else f"<payauth.Signer profile={self.profile!r}>"

    def sign(
        self,
        method: BytesLike,
        path: BytesLike,
        body: BytesLike = b"",
        *,
        token: Optional[BytesLike] = None,
        time_ms: Optional[int] = None,
        timestamp: Optional[BytesLike] = None,
        external_id: Optional[BytesLike] = None,
        message_id: Optional[BytesLike] = None,
        string_to_sign: Any = None,
        explain: bool = False,
    ) -> Signed:
        """Signs one request: ``path`` is the path and raw query as sent, ``body`` the exact
        bytes (send ``signed.body`` instead when it is set), ``token`` the access token for
        schemes that sign one, ``time_ms`` epoch milliseconds (``None`` = now). Per-request
        inputs: ``timestamp`` (exact text), ``external_id`` (SNAP), ``message_id`` (PayNet JWS),
        ``string_to_sign`` (PayNet DOBW: the text, or its fields as a list). ``explain`` fills
        ``Signed.explain``.

        Raises ``TypeError``/``ValueError`` for wrong Python arguments,
        :class:`ClosedError`, :class:`ArgumentError` or :class:`SigningError`."""
        m = method.encode() if type(method) is str else to_bytes(method, "method")
        p = path.encode() if type(path) is str else to_bytes(path, "path")
        b = body if type(body) is bytes else to_bytes(body, "body")
        t = b"" if token is None else token.encode() if type(token) is str else to_bytes(token, "token")
        req = request(m, p, b, t, (timestamp, external_id, message_id, string_to_sign))
        ts = 0 if time_ms is None else to_time_ms(time_ms)
        h = self._h or self._ptr()
        return call(_sign, h, req, ts, 0 if explain is False else flag(explain))

    def token_headers(
        self, *, time_ms: Optional[int] = None, timestamp: Optional[BytesLike] = None, explain: bool = False
    ) -> Signed:
        """Headers of the profile's token request (SNAP's RSA ``X-SIGNATURE``, Netzme legacy's
        Basic ``Authorization``); :class:`SigningError` ``PAYAUTH_UNSUPPORTED`` otherwise."""
        req = request(b"", b"", b"", b"", (timestamp, None, None, None))
        return call(_sign, self._ptr(), req, to_time_ms(time_ms), _TOKEN_REQUEST | flag(explain))

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
        """Checks an inbound request signed with the profile's HMAC scheme (constant time):
        ``True`` valid, ``False`` mismatch. ``timestamp`` as received; its age is your policy."""
        m, p, b, ts, sig = _args(method=method, path=path, body=body, timestamp=timestamp, signature=signature)
        t = b"" if token is None else to_bytes(token, "token")
        return status(lib.payauth_signer_verify, self._ptr(), m, len(m), p, len(p), b, len(b), t, len(t), ts, len(ts), sig, len(sig))  # fmt: skip

    def verify_rsa(self, message: BytesLike, signature: BytesLike) -> bool:
        """Checks an RSA signature of ``message`` (e.g. PayNet DOBW ``X-Signature``) with the
        configured ``gateway_public_key``."""
        msg, sig = _args(message=message, signature=signature)
        return status(lib.payauth_signer_verify_rsa, self._ptr(), msg, len(msg), sig, len(sig))

    def verify_snap_rsa(
        self, method: BytesLike, path: BytesLike, body: BytesLike = b"", *, timestamp: BytesLike, signature: BytesLike
    ) -> bool:
        """Checks a SNAP asymmetric signature (a notification) with ``gateway_public_key``."""
        m, p, b, ts, sig = _args(method=method, path=path, body=body, timestamp=timestamp, signature=signature)
        return status(lib.payauth_signer_verify_snap_rsa, self._ptr(), m, len(m), p, len(p), b, len(b), ts, len(ts), sig, len(sig))  # fmt: skip

    def verify_jws(self, jws: BytesLike, body: BytesLike) -> bool:
        """Checks a PayNet JWS response signature and its ``ds`` over ``body``."""
        j, b = _args(jws=jws, body=body)
        return status(lib.payauth_signer_verify_jws, self._ptr(), j, len(j), b, len(b))


def _args(**named: Any) -> Any:
    return [to_bytes(v, k) for k, v in named.items()]
