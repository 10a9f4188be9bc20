"""Exceptions, and the status-code helpers built on the library's own tables.

Every failing C call becomes a :class:`PayAuthError` (or a subclass chosen by the status name)
carrying the numeric ``code``, the ``name`` from ``payauth_status_name`` and the library's
detailed ``message``. Messages never contain secrets (the library guarantees it for its own
messages, and this binding never puts argument values in its messages).
"""

from __future__ import annotations

from typing import Dict, Type

from ._native import Scratch, error_message, ffi, lib


class PayAuthError(Exception):
    """A payauth call failed.

    Attributes:
        code: the numeric status (stable; see ``payauth.h``).
        name: the status identifier, e.g. ``"PAYAUTH_CONFIG_JSON"``.
        message: the library's detailed message (never contains a secret).
    """

    def __init__(self, code: int, name: str, message: str) -> None:
        super().__init__(code, name, message)
        self.code = code
        self.name = name
        self.message = message

    def __str__(self) -> str:
        return f"{self.name} ({self.code}): {self.message or status_str(self.code)}"


class ArgumentError(PayAuthError, ValueError):
    """An argument was rejected by the library (NULL, invalid UTF-8, out of domain, ...)."""


class ConfigError(PayAuthError):
    """The JSON configuration is invalid (syntax, unknown profile, missing/invalid field)."""


class SigningError(PayAuthError):
    """Keys, signing and per-request inputs: bad key, missing token or field, unsupported."""


class TokenError(PayAuthError):
    """Fetching an access token failed (network, TLS, HTTP status, rejected credentials...)."""


class InternalError(PayAuthError):
    """A panic or broken invariant inside the library (the handle should be discarded)."""


class ClosedError(ValueError):
    """A :class:`~payauth.Signer` or :class:`~payauth.Client` was used after ``close()``."""


_FAMILIES: Dict[str, Type[PayAuthError]] = {}
for _cls, _names in (
    (
        ArgumentError,
        "NULL_ARGUMENT INVALID_UTF8 BUFFER_TOO_SMALL INVALID_ARGUMENT OUT_OF_RANGE NOT_FOUND",
    ),
    (
        ConfigError,
        "CONFIG_JSON CONFIG_UNKNOWN_PROFILE CONFIG_MISSING_FIELD CONFIG_INVALID_FIELD "
        "CONFIG_SECRET_SOURCE",
    ),
    (
        SigningError,
        "KEY_INVALID KEY_TOO_SMALL SIGN_FAILED SIGNATURE_MISMATCH JSON_INVALID MISSING_TOKEN "
        "MISSING_REQUEST_FIELD UNSUPPORTED",
    ),
    (
        TokenError,
        "NETWORK TIMEOUT TLS HTTP_STATUS TOKEN_RESPONSE_INVALID CREDENTIALS_REJECTED "
        "RATE_LIMITED REDIRECT_REFUSED RESPONSE_TOO_LARGE BACKOFF WAIT_TIMEOUT",
    ),
    (InternalError, "PANIC INTERNAL"),
):
    for _n in _names.split():
        _FAMILIES["PAYAUTH_" + _n] = _cls


def status_name(code: int) -> str:
    """The identifier of a status code, e.g. ``"PAYAUTH_OK"`` (``"PAYAUTH_UNKNOWN"`` if unknown)."""
    return ffi.string(lib.payauth_status_name(_int32(code))).decode()


def status_str(code: int) -> str:
    """A short static description of a status code."""
    return ffi.string(lib.payauth_status_str(_int32(code))).decode()


def _int32(code: int) -> int:
    if type(code) is not int:
        raise TypeError(f"status code must be int, not {type(code).__name__}")
    if not -(2**31) <= code < 2**31:
        raise ValueError("status code out of the int32 range")
    return code


def make_error(code: int, scratch: Scratch) -> PayAuthError:
    """The exception for a failed call that used ``scratch.err``."""
    name = ffi.string(lib.payauth_status_name(code)).decode()
    return _FAMILIES.get(name, PayAuthError)(code, name, error_message(scratch))
