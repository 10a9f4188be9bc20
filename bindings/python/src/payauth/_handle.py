"""Ownership of an opaque C handle: ``close()`` (idempotent), context manager, finaliser.

The pointer is wrapped with ``ffi.gc``: it is freed once, when the last reference goes. A call
running in another thread holds its own reference, so ``close()`` never frees the object from
under it; later calls raise :class:`~payauth.ClosedError`.
"""

from __future__ import annotations

import json
from typing import Any, Callable, Dict, Mapping, Optional, TypeVar

from ._call import pool, take, to_bytes
from ._errors import ClosedError, error
from ._native import NULL, ffi

T = TypeVar("T", bound="Handle")
freed: Dict[str, int] = {"Signer": 0, "Client": 0}  # for tests (one thread)


class Handle:
    """Base of :class:`~payauth.Signer` and :class:`~payauth.Client`."""

    __slots__ = ("_h", "__weakref__")
    _kind = "Handle"

    def _open(self, new: Any, free: Callable[[Any], None], config: bytes, ctype: str) -> None:
        self._h: Optional[Any] = None
        out = ffi.new(ctype)
        sc = take()
        try:
            rc = new(config, len(config), out, sc.err)
            if rc:
                raise error(rc, sc.err)
        finally:
            pool.append(sc)
        if out[0] == NULL:
            raise RuntimeError(f"payauth: the library returned no {self._kind}")
        kind = self._kind

        def destroy(ptr: Any) -> None:
            free(ptr)
            freed[kind] = freed.get(kind, 0) + 1

        self._h = ffi.gc(out[0], destroy)

    def _ptr(self) -> Any:
        h = self._h
        if h is None:
            raise ClosedError(f"payauth.{self._kind} is closed")
        return h

    @property
    def closed(self) -> bool:
        return self._h is None

    def close(self) -> None:
        """Releases the C object (secrets wiped); idempotent."""
        self._h = None

    def __enter__(self: T) -> T:
        self._ptr()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __reduce__(self) -> Any:
        raise TypeError(f"payauth.{self._kind} cannot be pickled (it owns a C object)")

    def __copy__(self, *memo: Any) -> Any:
        raise TypeError(f"payauth.{self._kind} cannot be copied (it owns a C object)")

    __deepcopy__ = __copy__


def config_bytes(config: Any) -> bytes:
    """A configuration as JSON bytes: a mapping is serialised, str/bytes passed verbatim."""
    if isinstance(config, Mapping):
        try:
            text = json.dumps(config, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as e:  # json names types and keys, never values
            raise type(e)(f"config is not JSON-serialisable: {e}") from None
        return to_bytes(text, "config")
    if isinstance(config, (str, bytes, bytearray, memoryview)):
        return to_bytes(config, "config")
    raise TypeError(f"config must be a dict or JSON text (str/bytes), not {type(config).__name__}")
