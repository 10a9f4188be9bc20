"""The result of a signing call: the headers to send, in order, and the explain artifacts."""

from __future__ import annotations

from typing import Any, Dict, Iterator, List, Optional, Tuple, overload

from ._errors import make_error
from ._native import NULL, Scratch, constant, ffi, lib, pool

_headers_text = lib.payauth_headers_text
_headers_free = lib.payauth_headers_free
_string = ffi.string
_unpack = ffi.unpack
_BUFFER_TOO_SMALL = constant("PAYAUTH_BUFFER_TOO_SMALL")
_INVALID_UTF8 = constant("PAYAUTH_INVALID_UTF8")
# A grown output buffer larger than this is used for the one call, not kept in the scratch.
_KEEP_CAP = 65536

Header = Tuple[str, str]


class Signed:
    """Headers a request must carry, as returned by ``sign`` / ``sign_request`` /
    ``token_headers``.

    Iterating yields ``(name, value)`` tuples in the order they should be sent; ``signed[name]``
    and :meth:`get` look a header up case-insensitively. ``explain`` holds the intermediate
    artifacts (``string_to_sign``, ``timestamp``, ``hmac_key``...) when the call passed
    ``explain=True`` (secrets appear only as ``[field, N bytes]``), else it is empty.

    ``repr()`` shows header names only: values carry tokens and signatures.
    """

    __slots__ = ("headers", "explain")

    headers: List[Header]
    explain: Dict[str, str]

    def __init__(self, headers: List[Header], explain: Optional[Dict[str, str]] = None) -> None:
        self.headers = headers
        self.explain = {} if explain is None else explain

    @overload
    def get(self, name: str) -> Optional[str]: ...
    @overload
    def get(self, name: str, default: str) -> str: ...
    def get(self, name: str, default: Optional[str] = None) -> Optional[str]:
        """The value of the first header called ``name`` (ASCII case-insensitive), or
        ``default``."""
        if not isinstance(name, str):
            raise TypeError(f"header name must be str, not {type(name).__name__}")
        low = name.lower()
        for n, v in self.headers:
            if n.lower() == low:
                return v
        return default

    def __getitem__(self, name: str) -> str:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def __contains__(self, name: Any) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def __iter__(self) -> Iterator[Header]:
        return iter(self.headers)

    def __len__(self) -> int:
        return len(self.headers)

    def as_dict(self) -> Dict[str, str]:
        """The headers as an ordered ``{name: value}`` dict (e.g. for ``requests``/``httpx``)."""
        return dict(self.headers)

    def text(self) -> str:
        """The headers as one block, ``Name: value\\r\\n`` each (what the library produced)."""
        return "".join(f"{n}: {v}\r\n" for n, v in self.headers)

    def __repr__(self) -> str:
        names = [n for n, _ in self.headers]
        extra = f", explain={sorted(self.explain)}" if self.explain else ""
        return f"<payauth.Signed headers={names}{extra}>"


def read_explain(h: Any) -> Dict[str, str]:
    """The explain artifacts of the C result ``h`` (empty unless the call asked for them)."""
    n = lib.payauth_headers_explain_count(h)
    if not n:
        return {}
    name = ffi.new("const char **")
    name_len = ffi.new("size_t *")
    value = ffi.new("const char **")
    value_len = ffi.new("size_t *")
    out: Dict[str, str] = {}
    for i in range(n):
        rc = lib.payauth_headers_explain_get(h, i, name, name_len, value, value_len)
        if rc:
            raise RuntimeError(f"payauth_headers_explain_get({i}) failed with status {rc}")
        key = ffi.unpack(name[0], name_len[0]).decode("utf-8")
        out[key] = ffi.unpack(value[0], value_len[0]).decode("utf-8")
    return out


def finish(rc: int, sc: Scratch, flags: int) -> Signed:
    """Turns the outcome of a signing call that used ``sc`` into a :class:`Signed` (or raises
    the call's error), freeing the C result in every case. One ``payauth_headers_text`` call
    reads every header."""
    if rc:
        raise make_error(rc, sc)
    h = sc.headers[0]
    try:
        if _headers_text(h, sc.text, NULL):
            raise RuntimeError("payauth_headers_text failed")
        headers = parse_block(_string(sc.text[0]).decode("utf-8"))
        return Signed(headers, read_explain(h) if flags else None)
    finally:
        _headers_free(h)


def parse_block(text: str) -> List[Header]:
    """``Name: value\\r\\n`` per header (the library refuses control characters in header
    values) as ``(name, value)`` tuples; the piece after the last CRLF is empty."""
    lines = text.split("\r\n")
    lines.pop()
    return [tuple(line.split(": ", 1)) for line in lines]  # type: ignore[misc]


def sign_packed(call: Any, h: Any, req: bytes, ts: int) -> Optional[Signed]:
    """One ``*_sign_packed`` crossing (``call``) for the packed request ``req``
    (METHOD\\0PATH\\0TOKEN\\0EXTRA\\0BODY): the result, or ``None`` when the caller must repeat
    the request through the object call (see :func:`packed_slow`)."""
    try:
        sc = pool.pop()  # inlined take()
    except IndexError:
        sc = Scratch()
    try:
        rc = call(h, req, len(req), ts, sc.out, sc.ocap, sc.size, sc.err)
        if not rc:
            return Signed(parse_block(_unpack(sc.out, sc.size[0]).decode("utf-8")))
        return packed_slow(rc, call, h, req, ts, sc)
    finally:
        pool.append(sc)


def packed_slow(rc: int, call: Any, h: Any, req: bytes, ts: int, sc: Scratch) -> Optional[Signed]:
    """The rest of a one-crossing ``*_sign_packed`` call that returned ``rc`` != 0 into
    ``sc.out``: on ``PAYAUTH_BUFFER_TOO_SMALL`` grows the buffer and calls again (signing
    again: same rules as the first call); returns ``None`` on ``PAYAUTH_INVALID_UTF8`` so that
    the caller repeats the request through the object call, whose error (code and message) is
    the reference; raises the call's error otherwise."""
    for _ in range(4):  # a result can only outgrow the buffer again if it changed (new token)
        if rc == _INVALID_UTF8:
            return None  # before any signing or token fetch: repeating it is harmless
        if rc != _BUFFER_TOO_SMALL:
            raise make_error(rc, sc)
        cap = max(sc.size[0] + 1, 2 * sc.ocap)
        out = ffi.new("char[]", cap)
        if cap <= _KEEP_CAP:
            sc.out, sc.ocap = out, cap
        rc = call(h, req, len(req), ts, out, cap, sc.size, sc.err)
        if rc == 0:
            return Signed(parse_block(_unpack(out, sc.size[0]).decode("utf-8")))
    raise make_error(rc, sc)
