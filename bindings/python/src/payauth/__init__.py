"""payauth: payment-gateway request signing and access tokens (PayNet, Netzme, SNAP BI, Azupay,
Paytia), a thin binding over the native ``libpayauth``.

Example::

    import payauth

    with payauth.Signer({"profile": "paynet-reports", "client_id": "id",
                         "client_secret": "secret"}) as signer:
        for name, value in signer.sign("GET", "/v1/reports?day=1", token="tok"):
            print(name, value)

The library is found through ``PAYAUTH_LIBRARY``, a ``libpayauth.so`` inside this package, then
the system path; see :mod:`payauth._native`.
"""

from ._call import Signed
from ._client import Client
from ._errors import (
    ArgumentError,
    ClosedError,
    ConfigError,
    InternalError,
    PayAuthError,
    SigningError,
    TokenError,
    constant,
    status_group,
    status_name,
    status_str,
)
from ._native import library_path, mode
from ._primitives import hmac, hmac_verify, json_minify, rsa_sign, sha256_hex, version, version_number
from ._signer import Signer

__version__ = "0.1.0"
ffi_mode = mode

__all__ = [
    "ArgumentError", "Client", "ClosedError", "ConfigError", "InternalError", "PayAuthError",
    "Signed", "Signer", "SigningError", "TokenError", "constant", "ffi_mode", "hmac",
    "hmac_verify", "json_minify", "library_path", "rsa_sign", "sha256_hex", "status_group",
    "status_name", "status_str", "version", "version_number",
]  # fmt: skip
