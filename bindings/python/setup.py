"""The compiled cffi module is built only when the headers and library to link are given
(``PAYAUTH_INCLUDE_DIR``, ``PAYAUTH_LIBRARY``; see build_ffi.py); otherwise the package is pure
Python and uses cffi ABI mode."""

import os

from setuptools import setup

build = bool(os.environ.get("PAYAUTH_INCLUDE_DIR") and os.environ.get("PAYAUTH_LIBRARY"))
setup(cffi_modules=["build_ffi.py:ffibuilder"] if build else [])
