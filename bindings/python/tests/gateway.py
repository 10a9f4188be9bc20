"""Talks to the project's loopback HTTPS gateway emulator (started by scripts/with-emulator.sh,
which exports PAYAUTH_GATEWAY and PAYAUTH_CA_FILE): control endpoints, credentials, and sending
signed requests to /echo/<profile>/... with http.client + ssl."""

from __future__ import annotations

import http.client
import json
import os
import ssl
import urllib.parse
from typing import Any, Dict, Iterable, Optional, Tuple

# Token endpoint path per profile (emulator/src/profile.rs); paynet-jws has none.
TOKEN_PATHS = {
    "paynet": "/auth/token",
    "paynet-reports": "/token",
    "netzme": "/oauth/merchant/accesstoken",
    "netzme-snap": "/netzme-snap/api/v1/access-token/b2b",
    "snap": "/snap/api/v1.0/access-token/b2b",
    "azupay": "/oauth2/token",
    "paytia": "/api/authorize",
}
PROFILES = ["paynet", "paynet-reports", "paynet-jws", "netzme", "netzme-snap", "snap", "azupay",
            "paytia"]  # fmt: skip

# Fields of the emulator's /_emulator/config section each profile's client takes.
_FIELDS = {
    "paynet": ("client_id", "client_secret"),
    "paynet-reports": ("client_id", "client_secret", "x_signature_secret"),
    "paynet-jws": ("client_id", "jws_key", "private_key_file"),
    "netzme": ("client_id", "client_secret"),
    "netzme-snap": ("client_id", "client_secret", "private_key_file"),
    "snap": ("client_id", "client_secret", "private_key_file"),
    "azupay": ("api_key", "client_id", "client_secret"),
    "paytia": ("api_key", "client_id", "client_secret"),
}


def extra_for(profile: str) -> Optional[Dict[str, str]]:
    """Per-request values a profile requires (paynet-jws needs a message id)."""
    return {"message_id": "20240101M0000001"} if profile == "paynet-jws" else None


class Gateway:
    """The running emulator."""

    def __init__(self, url: str, ca_file: str, repo: str) -> None:
        u = urllib.parse.urlsplit(url)
        assert u.scheme == "https" and u.hostname, url
        self.url = url.rstrip("/")
        self.host = u.hostname
        self.port = u.port or 443
        self.ca_file = ca_file
        self.repo = repo
        self.ssl = ssl.create_default_context(cafile=ca_file)
        self._credentials: Optional[Dict[str, Any]] = None

    def request(
        self,
        method: str,
        path: str,
        headers: Iterable[Tuple[str, str]] = (),
        body: Optional[bytes] = None,
    ) -> Tuple[int, bytes]:
        """One HTTPS request on a fresh connection; returns (status, body)."""
        conn = http.client.HTTPSConnection(self.host, self.port, context=self.ssl, timeout=20)
        try:
            conn.putrequest(method, path, skip_accept_encoding=True)
            for name, value in headers:
                conn.putheader(name, value)
            if body is not None:
                conn.putheader("Content-Length", str(len(body)))
            conn.endheaders(body)
            resp = conn.getresponse()
            return resp.status, resp.read()
        finally:
            conn.close()

    def send(self, method: str, path: str, signed: Any, body: bytes = b"") -> int:
        """Sends a signed request to the echo endpoint; returns the HTTP status."""
        status, _ = self.request(method, path, list(signed), body if method != "GET" else None)
        return status

    def control(self, method: str, path: str, payload: Optional[Dict[str, Any]] = None) -> Any:
        body = None if payload is None else json.dumps(payload).encode()
        if method == "POST" and body is None:
            body = b"{}"
        status, data = self.request(method, "/_emulator/" + path, [], body)
        assert status == 200, f"/_emulator/{path}: {status} {data[:200]!r}"
        return json.loads(data)

    def stats(self) -> Dict[str, Any]:
        """Every counter (compare differences: other suites share the emulator)."""
        result: Dict[str, Any] = self.control("GET", "stats")
        return result

    def profile_stats(self, profile: str) -> Dict[str, int]:
        result: Dict[str, int] = self.stats()["profiles"][profile]
        return result

    def fault(self, profile: str, fault: str, **params: Any) -> None:
        self.control("POST", "fault", {"endpoint": profile, "fault": fault, **params})

    def clear_faults(self) -> None:
        self.control("POST", "clear-faults")

    def ttl(self, profile: str, expires_in: Optional[int]) -> None:
        self.control("POST", "ttl", {"profile": profile, "expires_in": expires_in})

    def credentials(self, profile: str) -> Dict[str, Any]:
        """The emulator's accepted credentials for ``profile`` (its test defaults)."""
        if self._credentials is None:
            self._credentials = self.control("GET", "config")
        section = self._credentials[profile.replace("-", "_")]
        out = {k: section[k] for k in _FIELDS[profile] if section.get(k) is not None}
        if "private_key_file" in _FIELDS[profile] and not os.path.isfile(
            out.get("private_key_file", "")
        ):
            out["private_key_file"] = os.path.join(self.repo, "tests", "vectors", "keys",
                                                   "rsa2048-pkcs1.pem")  # fmt: skip
        return out

    def client_config(self, profile: str, cache_dir: str, **overrides: Any) -> Dict[str, Any]:
        """A Client configuration for ``profile`` against the emulator, with its own token
        cache directory (so that tests never share tokens)."""
        cfg: Dict[str, Any] = {"profile": profile, **self.credentials(profile)}
        cfg["ca_file"] = self.ca_file
        cfg["connect_timeout_ms"] = 2000
        cfg["timeout_ms"] = 5000
        cfg["cache"] = {"dir": cache_dir}
        if profile in TOKEN_PATHS:
            cfg["token_url"] = self.url + TOKEN_PATHS[profile]
        cfg.update(overrides)
        return cfg
