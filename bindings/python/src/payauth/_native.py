"""Loading of the C library (cffi ABI mode) and the per-call scratch objects.

Library lookup order (the same in every payauth binding):

1. the environment variable ``PAYAUTH_LIBRARY``: the full path of ``libpayauth.so``;
2. a ``libpayauth.so`` shipped inside this package's directory;
3. the system library path: ``libpayauth.so.0``, then ``libpayauth.so``.

Header lookup order (the preprocessor-free ``payauth_ffi.h`` given to ``ffi.cdef``):

1. the environment variable ``PAYAUTH_HEADER``: the full path of ``payauth_ffi.h``;
2. the copy shipped inside this package (``payauth/payauth_ffi.h``);
3. ``/usr/include/payauth_ffi.h``.
"""

from __future__ import annotations

import os
import re
from typing import Any, List, Tuple

import cffi

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__))
_SYSTEM_HEADER = "/usr/include/payauth_ffi.h"
_SYSTEM_LIBRARIES = ("libpayauth.so.0", "libpayauth.so")


def header_candidates() -> List[str]:
    """The header paths tried, in order (only existing files are used)."""
    env = os.environ.get("PAYAUTH_HEADER")
    out = [env] if env else []
    return out + [os.path.join(_PACKAGE_DIR, "payauth_ffi.h"), _SYSTEM_HEADER]


def find_header() -> str:
    """The path of the ``payauth_ffi.h`` that is loaded (see the module docstring)."""
    env = os.environ.get("PAYAUTH_HEADER")
    if env:
        if not os.path.isfile(env):
            raise ImportError(f"payauth: PAYAUTH_HEADER={env!r} is not a file")
        return env
    for path in header_candidates():
        if os.path.isfile(path):
            return path
    raise ImportError(
        "payauth: payauth_ffi.h not found (tried: " + ", ".join(header_candidates()) + ")"
    )


def _open_library(ffi: cffi.FFI) -> Tuple[Any, str]:
    env = os.environ.get("PAYAUTH_LIBRARY")
    if env:
        if not os.path.isfile(env):
            raise ImportError(f"payauth: PAYAUTH_LIBRARY={env!r} is not a file")
        try:
            return ffi.dlopen(env), env
        except OSError as e:
            raise ImportError(f"payauth: cannot load PAYAUTH_LIBRARY={env!r}: {e}") from None
    tried = []
    shipped = os.path.join(_PACKAGE_DIR, "libpayauth.so")
    if os.path.isfile(shipped):
        try:
            return ffi.dlopen(shipped), shipped
        except OSError as e:
            tried.append(f"{shipped} ({e})")
    else:
        tried.append(f"{shipped} (absent)")
    for name in _SYSTEM_LIBRARIES:
        try:
            return ffi.dlopen(name), name
        except OSError as e:
            tried.append(f"{name} ({e})")
    raise ImportError(
        "payauth: libpayauth.so not found; set PAYAUTH_LIBRARY to its full path. Tried: "
        + "; ".join(tried)
    )


def _function_names(cdef_text: str) -> List[str]:
    """Every function name declared in the header (to check the library exports them all)."""
    names = []
    code = re.sub(r"/\*.*?\*/|//[^\n]*", " ", cdef_text, flags=re.S)
    for chunk in code.split(";"):
        head = chunk.split("(", 1)[0]
        if "(" in chunk and "typedef" not in head:
            names.append(head.replace("*", " ").split()[-1])
    return names


def _load() -> Tuple[cffi.FFI, Any, str, str]:
    header = find_header()
    with open(header, encoding="utf-8") as f:
        text = f.read()
    ffi = cffi.FFI()
    try:
        ffi.cdef(text)
    except cffi.CDefError as e:
        raise ImportError(f"payauth: cannot parse {header}: {e}") from None
    lib, path = _open_library(ffi)
    missing = [n for n in _function_names(text) if not hasattr(lib, n)]
    if missing:
        raise ImportError(
            f"payauth: {path} does not export {', '.join(missing)} declared in {header} "
            "(library older than the header?)"
        )
    return ffi, lib, path, header


ffi, lib, library_path, header_path = _load()
NULL = ffi.NULL


# Initial size of each scratch object's output buffer for the one-crossing ``*_sign_packed``
# calls: 4 KiB fits every preset's headers; a longer result grows that scratch's buffer (the
# call is repeated). Tests lower it (with an empty pool) to exercise the growth path.
PACKED_CAP = 4096


class Scratch:
    """Out-parameters for one call: an error object, pointer/length slots and the output
    buffer of the packed signing calls (``out``, ``ocap`` bytes).

    Scratch objects are taken from a pool with ``list.pop()`` and given back with ``append()``
    (both atomic), so each call owns its own for its whole duration: safe across threads, and
    against re-entry from signal handlers, with no allocation on the hot path.
    """

    __slots__ = ("err", "headers", "text", "size", "buf", "cap", "i32", "out", "ocap")

    def __init__(self) -> None:
        err = lib.payauth_error_new()
        if err == NULL:
            raise MemoryError("payauth_error_new returned NULL")
        self.err = ffi.gc(err, lib.payauth_error_free)
        self.headers = ffi.new("payauth_headers **")
        self.text = ffi.new("const char **")
        self.size = ffi.new("size_t *")
        self.cap = 256
        self.buf = ffi.new("char[]", self.cap)
        self.i32 = ffi.new("int32_t *")
        self.ocap = PACKED_CAP
        self.out = ffi.new("char[]", self.ocap)


pool: List[Scratch] = []


def take() -> Scratch:
    """A scratch object owned by the caller until :func:`give` (pool or new)."""
    try:
        return pool.pop()
    except IndexError:
        return Scratch()


give = pool.append


def constant(name: str) -> int:
    """The value of a named library constant (``payauth_constant``), e.g.
    ``constant("PAYAUTH_FLAG_EXPLAIN")``.

    Raises:
        TypeError: ``name`` is not a str.
        KeyError: the library defines no such constant.
    """
    if not isinstance(name, str):
        raise TypeError(f"constant name must be str, not {type(name).__name__}")
    raw = name.encode("utf-8", "replace")
    value = ffi.new("int64_t *")
    if lib.payauth_constant(raw, len(raw), value, NULL):
        raise KeyError(name)
    return int(value[0])


def error_message(scratch: Scratch) -> str:
    """The message of the last failed call made with ``scratch.err`` (never a secret)."""
    return ffi.string(lib.payauth_error_message(scratch.err)).decode("utf-8", "replace")
