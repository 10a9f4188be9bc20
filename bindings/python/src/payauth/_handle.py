"""Ownership of an opaque C handle (signer or client): close(), context manager, finaliser.

The C pointer is wrapped with ``ffi.gc`` so that it is freed exactly once, when the last Python
reference to the wrapper goes away. ``close()`` drops the object's own reference: with no call
in flight the C object is freed at once (CPython reference counting); a call still running in
another thread holds its own reference, so the free waits for it to return instead of pulling
the object from under it. Later calls raise :class:`~payauth.ClosedError`; a second ``close()``
is a no-op. A handle that is never closed is freed when it is garbage-collected.
"""

from __future__ import annotations

from typing import Any, Callable, Dict, Optional, TypeVar

from ._errors import ClosedError
from ._native import NULL, ffi

T = TypeVar("T", bound="Handle")

# Diagnostics for tests: C objects freed so far per kind (not synchronised: exact only when a
# single thread creates and frees).
freed: Dict[str, int] = {"Signer": 0, "Client": 0}


def _destructor(kind: str, free: Callable[[Any], None]) -> Callable[[Any], None]:
    def destroy(ptr: Any) -> None:
        free(ptr)
        try:
            freed[kind] += 1
        except Exception:  # pragma: no cover - module state torn down at interpreter exit
            pass

    return destroy


class Handle:
    """Base of :class:`~payauth.Signer` and :class:`~payauth.Client`."""

    __slots__ = ("_h", "__weakref__")
    _kind = "Handle"

    _h: Optional[Any]

    def _adopt(self, ptr: Any, free: Callable[[Any], None]) -> None:
        """Takes ownership of the C pointer ``ptr`` (freed with ``free``)."""
        if ptr == NULL:
            raise RuntimeError(f"payauth: the library returned no {self._kind} object")
        self._h = ffi.gc(ptr, _destructor(self._kind, free))

    def _ptr(self) -> Any:
        """The live C pointer, or :class:`ClosedError` after ``close()``."""
        h = self._h
        if h is None:
            raise ClosedError(f"payauth.{self._kind} is closed")
        return h

    @property
    def closed(self) -> bool:
        """``True`` once :meth:`close` has been called."""
        return self._h is None

    def close(self) -> None:
        """Releases the C object (secrets wiped, connections closed). Idempotent.

        Calls already running in other threads finish normally; the C object is freed when the
        last of them returns. Any later call raises :class:`~payauth.ClosedError`.
        """
        self._h = None

    def __enter__(self: T) -> T:
        self._ptr()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __reduce__(self) -> Any:
        raise TypeError(f"payauth.{self._kind} cannot be pickled (it owns a C object)")

    def __copy__(self) -> Any:
        raise TypeError(f"payauth.{self._kind} cannot be copied (it owns a C object)")

    def __deepcopy__(self, memo: Any) -> Any:
        raise TypeError(f"payauth.{self._kind} cannot be copied (it owns a C object)")
