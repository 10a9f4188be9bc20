"""Packaging and the lookup order of the library (PAYAUTH_LIBRARY, a copy in the package, the
system path) and of the cdef header (PAYAUTH_HEADER, the package copy, /usr/include), each
checked in a fresh interpreter."""

from __future__ import annotations

import filecmp
import os
import shutil
import subprocess
import sys
from typing import Dict, Optional, Tuple

import pytest

import payauth
from paths import INCLUDE_DIR

PKG_DIR = os.path.dirname(os.path.abspath(payauth.__file__))
LIBRARY = os.path.realpath(
    os.environ.get("PAYAUTH_LIBRARY") or payauth.library_path
)  # the real .so under test
PROBE = "import payauth; print(payauth.library_path); print(payauth.ffi_mode)"
ABI = {"PAYAUTH_PYTHON_FFI": "abi"}


def _python(code: str, cwd: str, pythonpath: Optional[str] = None, **env: str) -> Tuple[int, str]:
    """Runs ``code`` in a fresh interpreter; returns (exit code, stdout + stderr)."""
    e: Dict[str, str] = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PAYAUTH_LIBRARY", "PAYAUTH_HEADER", "PAYAUTH_PYTHON_FFI", "LD_LIBRARY_PATH", "PYTHONPATH")
    }
    if pythonpath:
        e["PYTHONPATH"] = pythonpath
    e.update(env)
    r = subprocess.run(
        [sys.executable, "-c", code], cwd=cwd, env=e, capture_output=True, text=True, timeout=60
    )
    return r.returncode, r.stdout + r.stderr


def _package_copy(tmp: str, with_library: bool, with_header: bool = True) -> str:
    """A copy of the payauth package under ``tmp``; returns the directory to put on PYTHONPATH."""
    root = os.path.join(tmp, "site")
    dest = os.path.join(root, "payauth")
    shutil.copytree(PKG_DIR, dest, ignore=shutil.ignore_patterns("__pycache__", "libpayauth.so*"))
    if with_library:
        shutil.copy(LIBRARY, os.path.join(dest, "libpayauth.so"))
    if not with_header:
        os.remove(os.path.join(dest, "payauth_ffi.h"))
    return root


def test_the_shipped_header_equals_the_generated_one() -> None:
    shipped = os.path.join(PKG_DIR, "payauth_ffi.h")
    generated = os.path.join(INCLUDE_DIR, "payauth_ffi.h")
    assert filecmp.cmp(shipped, generated, shallow=False), (
        "bindings/python/src/payauth/payauth_ffi.h is stale: copy include/payauth_ffi.h over it"
    )


def test_the_package_is_typed() -> None:
    assert os.path.isfile(os.path.join(PKG_DIR, "py.typed"))


def test_payauth_library_wins_and_a_wrong_path_is_a_clear_error(tmp_path) -> None:
    site = _package_copy(str(tmp_path), with_library=True)
    rc, out = _python(PROBE, str(tmp_path), site, PAYAUTH_LIBRARY=LIBRARY)
    assert rc == 0 and out.splitlines()[0] == LIBRARY, out
    rc, out = _python(PROBE, str(tmp_path), site, PAYAUTH_LIBRARY="/nonexistent/libpayauth.so")
    assert rc != 0 and "PAYAUTH_LIBRARY='/nonexistent/libpayauth.so' is not a file" in out, out


def test_a_library_shipped_in_the_package_comes_next(tmp_path) -> None:
    site = _package_copy(str(tmp_path), with_library=True)
    rc, out = _python(PROBE, str(tmp_path), site)
    assert rc == 0, out
    assert out.splitlines()[0] == os.path.join(site, "payauth", "libpayauth.so")


def test_then_the_system_path_by_soname(tmp_path) -> None:
    site = _package_copy(str(tmp_path), with_library=False)
    libdir = tmp_path / "lib"
    libdir.mkdir()
    os.symlink(LIBRARY, libdir / "libpayauth.so.0")
    rc, out = _python(PROBE, str(tmp_path), site, LD_LIBRARY_PATH=str(libdir))
    assert rc == 0 and out.splitlines()[0] == "libpayauth.so.0", out
    if not os.path.exists("/usr/lib/libpayauth.so.0"):
        rc, out = _python(PROBE, str(tmp_path), site, LD_LIBRARY_PATH=str(tmp_path / "empty"))
        if rc != 0:  # a libpayauth installed on the system would legitimately load
            assert "cannot load libpayauth (set PAYAUTH_LIBRARY)" in out, out


def test_abi_mode_header_lookup_order(tmp_path) -> None:
    site = _package_copy(str(tmp_path), with_library=True, with_header=False)
    generated = os.path.join(INCLUDE_DIR, "payauth_ffi.h")
    rc, out = _python(PROBE, str(tmp_path), site, PAYAUTH_HEADER=generated, **ABI)
    assert rc == 0 and out.splitlines()[1] == "abi", out
    rc, out = _python(PROBE, str(tmp_path), site, PAYAUTH_HEADER="/nonexistent/payauth_ffi.h", **ABI)
    assert rc != 0 and "PAYAUTH_HEADER='/nonexistent/payauth_ffi.h' is not a file" in out, out
    if not os.path.exists("/usr/include/payauth_ffi.h"):
        rc, out = _python(PROBE, str(tmp_path), site, **ABI)
        assert rc != 0 and "payauth_ffi.h not found" in out, out


def test_abi_mode_refuses_a_header_newer_than_the_library(tmp_path) -> None:
    header = tmp_path / "payauth_ffi.h"
    with open(os.path.join(INCLUDE_DIR, "payauth_ffi.h"), encoding="utf-8") as f:
        text = f.read()
    header.write_text(text + "\nint32_t payauth_function_from_the_future(void);\n")
    site = _package_copy(str(tmp_path), with_library=True)
    rc, out = _python(PROBE, str(tmp_path), site, PAYAUTH_HEADER=str(header), **ABI)
    assert rc != 0 and "lacks payauth_function_from_the_future" in out, out


def test_both_modes_sign_alike(tmp_path) -> None:
    site = _package_copy(str(tmp_path), with_library=True)
    code = (
        "import payauth; s = payauth.Signer({'profile': 'snap', 'client_id': 'c', 'client_secret': 's'});"
        "r = s.sign('POST', '/x', '{ \"a\": 1 }', token='t', time_ms=1700000000000, external_id='7');"
        "print(payauth.ffi_mode, r.headers, r.body)"
    )
    rc_abi, abi = _python(code, str(tmp_path), site, **ABI)
    rc_api, api = _python(code, str(tmp_path), site)
    assert rc_abi == 0 and rc_api == 0, abi + api
    assert abi.startswith("abi ") and abi[4:] == api.split(" ", 1)[1], (abi, api)


@pytest.mark.parametrize("name", ["libpayauth.so"])
def test_the_loaded_library_is_the_one_under_test(name: str) -> None:
    if os.environ.get("PAYAUTH_LIBRARY"):
        assert os.path.realpath(payauth.library_path) == LIBRARY
    assert os.path.basename(LIBRARY).startswith(name)
