"""Exceptions. A failed C call becomes the class of its status group (``payauth_status_group``,
the same mapping in every binding) carrying the code, the status name and the library's
message, which never holds a secret."""

from __future__ import annotations

from typing import Any

from ._native import ffi, lib


class PayAuthError(Exception):
    """A payauth call failed: ``code`` (stable number), ``name`` (``"PAYAUTH_…"``) and
    ``message`` (the library's detail)."""

    def __init__(self, code: int, name: str, message: str) -> None:
        super().__init__(code, name, message)
        self.code, self.name, self.message = code, name, message

    def __str__(self) -> str:
        return f"{self.name} ({self.code}): {self.message or status_str(self.code)}"


class ArgumentError(PayAuthError, ValueError):
    """Group ``argument``: the library refused an argument (UTF-8, domain, size)."""


class ConfigError(PayAuthError):
    """Group ``config``: the configuration (syntax, profile, fields, secret sources)."""


class SigningError(PayAuthError):
    """Group ``signing``: keys, signatures and per-request inputs."""


class TokenError(PayAuthError):
    """Group ``token``: acquiring the access token (network, TLS, HTTP, backoff...)."""


class InternalError(PayAuthError):
    """Group ``internal``: a panic or broken invariant (discard the handle)."""


class ClosedError(ValueError):
    """A :class:`~payauth.Signer` or :class:`~payauth.Client` was used after ``close()``."""


_GROUPS = {1: ArgumentError, 2: ConfigError, 3: SigningError, 4: TokenError, 9: InternalError}


def _int32(code: Any) -> int:
    if type(code) is not int:
        raise TypeError(f"status code must be int, not {type(code).__name__}")
    if not -(2**31) <= code < 2**31:
        raise ValueError("status code out of the int32 range")
    return code


def status_name(code: int) -> str:
    """The identifier of a status code (``"PAYAUTH_UNKNOWN"`` if unknown)."""
    return ffi.string(lib.payauth_status_name(_int32(code))).decode()


def status_str(code: int) -> str:
    """A short static description of a status code."""
    return ffi.string(lib.payauth_status_str(_int32(code))).decode()


def status_group(code: int) -> int:
    """The ``PAYAUTH_GROUP_*`` number of a status code (-1 if unknown)."""
    return int(lib.payauth_status_group(_int32(code)))


def error(code: int, err: Any) -> PayAuthError:
    """The exception for a call that returned ``code`` with the error object ``err``."""
    message = ffi.string(lib.payauth_error_message(err)).decode("utf-8", "replace")
    cls = _GROUPS.get(lib.payauth_status_group(code), PayAuthError)
    return cls(code, ffi.string(lib.payauth_status_name(code)).decode(), message)


def constant(name: str) -> int:
    """The value of a named library constant (``payauth_constant``): statuses, groups,
    ``PAYAUTH_FLAG_*``, ``PAYAUTH_HASH_*``, ``PAYAUTH_ENCODING_*``... ``KeyError`` if none."""
    if not isinstance(name, str):
        raise TypeError(f"constant name must be str, not {type(name).__name__}")
    raw = name.encode("utf-8", "replace")
    value = ffi.new("int64_t *")
    if lib.payauth_constant(raw, len(raw), value, ffi.NULL):
        raise KeyError(name)
    return int(value[0])
