"""payauth: payment-gateway request signing and access tokens (PayNet, Netzme, SNAP BI, Azupay,
Paytia), a thin binding over the native ``libpayauth`` (cffi, ABI mode).

Example::

    import payauth

    with payauth.Signer({"profile": "paynet-reports", "client_id": "id",
                         "client_secret": "secret"}) as signer:
        signed = signer.sign("GET", "/v1/reports?day=1", token="tok")
        for name, value in signed:
            print(name, value)

The native library is found through ``PAYAUTH_LIBRARY`` (full path), then a ``libpayauth.so``
inside this package, then the system path (``libpayauth.so.0``, ``libpayauth.so``); see
:mod:`payauth._native`.
"""

from ._client import Client
from ._errors import (
    ArgumentError,
    ClosedError,
    ConfigError,
    InternalError,
    PayAuthError,
    SigningError,
    TokenError,
    status_name,
    status_str,
)
from ._native import constant, header_path, library_path
from ._primitives import (
    hmac,
    hmac_verify,
    json_minify,
    rsa_sign,
    sha256_hex,
    version,
    version_number,
)
from ._signed import Signed
from ._signer import Signer

__version__ = "0.1.0"

__all__ = [
    "ArgumentError",
    "Client",
    "ClosedError",
    "ConfigError",
    "InternalError",
    "PayAuthError",
    "Signed",
    "Signer",
    "SigningError",
    "TokenError",
    "constant",
    "header_path",
    "hmac",
    "hmac_verify",
    "json_minify",
    "library_path",
    "rsa_sign",
    "sha256_hex",
    "status_name",
    "status_str",
    "version",
    "version_number",
]
