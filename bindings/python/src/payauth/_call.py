"""The one signing path: arguments packed into one request buffer, one
``payauth_*_sign_packed`` call, the result decoded (format: the doc of
``payauth_signer_sign_packed`` in ``payauth.h``). A result larger than the per-call buffer
comes back in a library-owned spill buffer: nothing is ever signed twice."""

from __future__ import annotations

import operator
import struct
from types import MappingProxyType
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

from ._errors import constant, error
from ._native import NULL, ffi, lib

BytesLike = Union[str, bytes, bytearray, memoryview]
Header = Tuple[str, str]
CAP = 4096  # bytes per call buffer: every preset's headers fit, long bodies spill
ABSENT = 0xFFFFFFFF
_head4 = struct.Struct("<5I").pack
_head8 = struct.Struct("<9I").pack
_u32 = struct.Struct("<I").unpack_from
_unpack = ffi.unpack
_spill_free = lib.payauth_spill_free
_TOO_SMALL = constant("PAYAUTH_BUFFER_TOO_SMALL")
_MISMATCH = constant("PAYAUTH_SIGNATURE_MISMATCH")


class Scratch:
    """Per-call out-parameters; taken from ``pool`` with ``pop()`` and returned with
    ``append()`` (atomic), so concurrent and re-entrant calls never share one."""

    __slots__ = ("err", "out", "size", "spill", "i32")

    def __init__(self) -> None:
        err = lib.payauth_error_new()
        if err == NULL:
            raise MemoryError("payauth_error_new returned NULL")
        self.err = ffi.gc(err, lib.payauth_error_free)
        self.out = ffi.new("char[]", CAP)
        self.size = ffi.new("size_t *")
        self.spill = ffi.new("char **")
        self.i32 = ffi.new("int32_t *")


pool: List[Scratch] = []


def take() -> Scratch:
    try:
        return pool.pop()
    except IndexError:
        return Scratch()


def to_bytes(value: Any, what: str) -> bytes:
    """``str`` (as UTF-8) or a bytes-like object; messages name the argument, never the value."""
    if type(value) is bytes:
        return value
    if isinstance(value, str):
        try:
            return value.encode("utf-8")
        except UnicodeEncodeError:
            raise ValueError(f"{what} is not encodable as UTF-8") from None
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value)
    raise TypeError(f"{what} must be str or bytes, not {type(value).__name__}")


def to_time_ms(value: Any) -> int:
    """Epoch milliseconds; ``None`` is now (0 for C)."""
    if value is None:
        return 0
    if isinstance(value, (bool, float)) or not hasattr(type(value), "__index__"):
        raise TypeError(f"time_ms must be int or None, not {type(value).__name__}")
    value = operator.index(value)
    if not 0 < value < 2**63:
        raise ValueError("time_ms must be a positive number of epoch milliseconds (None = now)")
    return value


def flag(explain: Any) -> int:
    if explain is True or explain is False:
        return 1 if explain else 0
    raise TypeError(f"explain must be bool, not {type(explain).__name__}")


def request(m: bytes, p: bytes, b: bytes, t: bytes, extras: Sequence[Any]) -> bytes:
    """The packed request: method, path, body, token, then the typed per-request inputs
    (timestamp, external_id, message_id, string_to_sign: ``None`` = absent; the string to sign
    may also be a sequence of fields, concatenated)."""
    if extras[0] is None and extras[1] is None and extras[2] is None and extras[3] is None:
        return b"".join((_head4(4, len(m), len(p), len(b), len(t)), m, p, b, t))
    names = ("timestamp", "external_id", "message_id", "string_to_sign")
    x = [None if v is None else to_bytes(v, n) for n, v in zip(names[:3], extras[:3])]
    sts = extras[3]
    if sts is not None and not isinstance(sts, (str, bytes, bytearray, memoryview)):
        sts = "".join(_field(f) for f in sts)
    x.append(None if sts is None else to_bytes(sts, "string_to_sign"))
    fields = (m, p, b, t, *x)
    lengths = [ABSENT if f is None else len(f) for f in fields]
    return b"".join((_head8(8, *lengths), *[f for f in fields if f is not None]))


def _field(f: Any) -> str:
    if not isinstance(f, str):
        raise TypeError(f"string_to_sign fields must be str, not {type(f).__name__}")
    return f


def call(fn: Any, h: Any, req: bytes, ts: int, flags: int) -> "Signed":
    """One packed call; raises the library's error."""
    try:
        sc = pool.pop()
    except IndexError:
        sc = Scratch()
    try:
        rc = fn(h, req, len(req), ts, flags, sc.out, CAP, sc.size, sc.spill, sc.err)
        if rc:
            raise error(rc, sc.err)
        n = sc.size[0]
        if n <= CAP:
            data = _unpack(sc.out, n)
        else:
            p = sc.spill[0]
            data = _unpack(p, n)
            _spill_free(p, n)
    finally:
        pool.append(sc)
    return Signed.decode(data)


class Signed(list):  # type: ignore[type-arg]
    """The headers to send, in order: a list of ``(name, value)`` tuples (``signed[name]`` and
    :meth:`get` look a name up ignoring case). ``body``: the bytes to send when they differ
    from the body given (a minified JSON body), else ``None``; ``explain``: the artifacts when
    asked for (secrets as ``[field, N bytes]``). ``repr()`` shows header names only."""

    body: Optional[bytes] = None
    explain: Dict[str, str] = MappingProxyType({})  # type: ignore[assignment]

    @staticmethod
    def decode(data: bytes) -> "Signed":
        if 1 not in data:
            it = iter(data.decode().split("\0"))
            return Signed(zip(it, it))
        i = data.find(1)
        it = iter(data[:i].decode().split("\0"))
        out = Signed(zip(it, it))
        out._sections(data, i + 1)
        return out

    def _sections(self, data: bytes, at: int) -> None:
        def chunk() -> bytes:
            nonlocal at
            (n,) = _u32(data, at)
            at += 4 + n
            return data[at - n : at]

        while at < len(data):
            tag, at = data[at], at + 1
            if tag == 66:  # B
                self.body = chunk()
            else:  # E
                (count,) = _u32(data, at)
                at += 4
                self.explain = {chunk().decode(): chunk().decode("utf-8", "replace") for _ in range(count)}

    @property
    def headers(self) -> List[Header]:
        """The header list itself (for code written against a ``.headers`` attribute)."""
        return self

    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The first header called ``name`` (ASCII case-insensitive), or ``default``."""
        if not isinstance(name, str):
            raise TypeError(f"header name must be str, not {type(name).__name__}")
        low = name.lower()
        return next((v for n, v in self if n.lower() == low), default)

    def __getitem__(self, key: Any) -> Any:  # type: ignore[override]
        if not isinstance(key, str):
            return list.__getitem__(self, key)
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value

    def __contains__(self, key: Any) -> bool:
        return self.get(key) is not None if isinstance(key, str) else list.__contains__(self, key)

    def as_dict(self) -> Dict[str, str]:
        """The headers as an ordered dict (for ``requests`` / ``httpx``)."""
        return dict(self)

    def text(self) -> str:
        """The headers as ``Name: value\\r\\n`` lines."""
        return "".join(f"{n}: {v}\r\n" for n, v in self)

    def __repr__(self) -> str:
        body = "" if self.body is None else f", body={len(self.body)} bytes"
        return f"<payauth.Signed headers={[n for n, _ in self]}{body}>"

    __str__ = __repr__


def output(fn: Any, *args: Any) -> bytes:
    """A call writing into a caller buffer (``…, out, out_cap, out_len, err``), retried once
    with the size the library reports (for the primitives and stats: no signing involved)."""
    sc = take()
    try:
        rc = fn(*args, sc.out, CAP, sc.size, sc.err)
        if rc == _TOO_SMALL:
            big = ffi.new("char[]", sc.size[0] + 1)
            rc = fn(*args, big, sc.size[0] + 1, sc.size, sc.err)
            if not rc:
                return _unpack(big, sc.size[0])
        if rc:
            raise error(rc, sc.err)
        return _unpack(sc.out, sc.size[0])
    finally:
        pool.append(sc)


def status(fn: Any, *args: Any) -> bool:
    """A verification call: ``True`` valid, ``False`` mismatch, else the library's error."""
    sc = take()
    try:
        rc = fn(*args, sc.err)
        if rc == _MISMATCH:
            return False
        if rc:
            raise error(rc, sc.err)
        return True
    finally:
        pool.append(sc)


__all__ = ["NULL", "Signed", "call", "flag", "output", "pool", "request", "status", "take"]
