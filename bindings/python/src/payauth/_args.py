"""Conversion of Python arguments to the bytes the C API takes, with TypeError / ValueError
raised before any C call. Messages name the argument and the type, never the value (it may be
a secret)."""

from __future__ import annotations

import json
import operator
from typing import Any, Mapping, Optional, Union

BytesLike = Union[str, bytes, bytearray, memoryview]
JsonLike = Union[Mapping[str, Any], str, bytes]

INT64_MAX = 2**63 - 1


def to_bytes(value: Any, what: str) -> bytes:
    """``str`` (encoded as UTF-8) or a bytes-like object, as ``bytes``."""
    t = type(value)
    if t is bytes:
        return value
    if t is str or isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{what} is not encodable as UTF-8 (lone surrogate?)") from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be str or bytes, not {t.__name__}")


def to_optional_bytes(value: Any, what: str) -> Optional[bytes]:
    """Like :func:`to_bytes`, with ``None`` kept as ``None`` (passed to C as NULL, length 0)."""
    return None if value is None else to_bytes(value, what)


def to_json(value: Any, what: str) -> Optional[bytes]:
    """A JSON object given as a mapping (serialised compactly), or as JSON text (str/bytes,
    passed verbatim). ``None`` stays ``None``."""
    if value is None:
        return None
    if isinstance(value, Mapping):
        try:
            text = json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as e:
            # json's messages name types and keys only ("Object of type X is not ...").
            raise type(e)(f"{what} is not JSON-serialisable: {e}") from None
        return to_bytes(text, what)
    if isinstance(value, (str, bytes, bytearray, memoryview)):
        return to_bytes(value, what)
    raise TypeError(
        f"{what} must be a dict or JSON text (str/bytes), not {type(value).__name__}"
    )


def to_time_ms(value: Any) -> int:
    """Epoch milliseconds for C: ``None`` means now (C's 0); otherwise a positive int."""
    if value is None:
        return 0
    if type(value) is not int:
        if isinstance(value, (bool, float)) or not hasattr(type(value), "__index__"):
            raise TypeError(f"time_ms must be int or None, not {type(value).__name__}")
        value = operator.index(value)  # int subclasses, numpy integers
    if not 0 < value <= INT64_MAX:
        raise ValueError("time_ms must be a positive number of epoch milliseconds (None = now)")
    return value


def to_bool(value: Any, what: str) -> bool:
    """A strict bool (so that a misplaced positional argument is caught)."""
    if value is True or value is False:
        return value
    raise TypeError(f"{what} must be bool, not {type(value).__name__}")
