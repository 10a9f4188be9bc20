"""Loading of ``libpayauth``: through the compiled cffi module ``payauth._payauth_cffi`` (API
mode: direct C calls) when it was built with the package, else cffi ABI mode from the
preprocessor-free header.

Library lookup (the same in every binding): ``PAYAUTH_LIBRARY`` (full path), a
``libpayauth.so`` inside this package, then the system path (``libpayauth.so.0``,
``libpayauth.so``). In API mode the chosen file is loaded first, so the compiled module's
dependency on ``libpayauth.so.0`` resolves to it. Header lookup (ABI mode): ``PAYAUTH_HEADER``,
the copy in this package, ``/usr/include/payauth_ffi.h``. ``PAYAUTH_PYTHON_FFI=abi`` forces
ABI mode.
"""

from __future__ import annotations

import ctypes
import os
import re
from typing import Any, List, Tuple

_DIR = os.path.dirname(os.path.abspath(__file__))
_keep: Any = None  # the library loaded for the compiled module, kept loaded


def _env_file(var: str) -> List[str]:
    path = os.environ.get(var)
    if path and not os.path.isfile(path):
        raise ImportError(f"payauth: {var}={path!r} is not a file")
    return [path] if path else []


def header_candidates() -> List[str]:
    """The header paths tried in ABI mode, in order."""
    return _env_file("PAYAUTH_HEADER") + [
        os.path.join(_DIR, "payauth_ffi.h"),
        "/usr/include/payauth_ffi.h",
    ]


def _library_candidates() -> List[str]:
    env = _env_file("PAYAUTH_LIBRARY")
    if env:
        return env
    shipped = os.path.join(_DIR, "libpayauth.so")
    return ([shipped] if os.path.isfile(shipped) else []) + ["libpayauth.so.0", "libpayauth.so"]


def _open(opener: Any) -> Tuple[Any, str]:
    tried = []
    for path in _library_candidates():
        try:
            return opener(path), path
        except OSError as e:
            tried.append(f"{path} ({e})")
            if path == os.environ.get("PAYAUTH_LIBRARY"):
                break
    raise ImportError("payauth: cannot load libpayauth (set PAYAUTH_LIBRARY). Tried: " + "; ".join(tried))


def _api() -> Tuple[Any, Any, str, str]:
    if os.environ.get("PAYAUTH_PYTHON_FFI") == "abi":
        raise ImportError("ABI mode requested")
    global _keep
    _keep, path = _open(ctypes.CDLL)  # resolves the module's NEEDED libpayauth.so.0
    from ._payauth_cffi import ffi, lib  # type: ignore[import-not-found]

    return ffi, lib, path, "api"


def _abi() -> Tuple[Any, Any, str, str]:
    import cffi

    header = next((h for h in header_candidates() if os.path.isfile(h)), None)
    if header is None:
        raise ImportError("payauth: payauth_ffi.h not found (tried: " + ", ".join(header_candidates()) + ")")
    ffi = cffi.FFI()
    with open(header, encoding="utf-8") as f:
        text = f.read()
    ffi.cdef(text)
    lib, path = _open(ffi.dlopen)
    missing = [n for n in re.findall(r"\b(payauth_\w+)\(", text) if not hasattr(lib, n)]
    if missing:
        raise ImportError(f"payauth: {path} lacks {', '.join(missing)} (older than {header}?)")
    return ffi, lib, path, "abi"


def _load() -> Tuple[Any, Any, str, str]:
    try:
        return _api()
    except ImportError:
        return _abi()


ffi, lib, library_path, mode = _load()
"""``mode`` is ``"api"`` (compiled module) or ``"abi"`` (runtime declarations)."""
NULL = ffi.NULL
