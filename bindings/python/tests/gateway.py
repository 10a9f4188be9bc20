"""Talks to the project's loopback HTTPS gateway emulator (started by scripts/with-emulator.sh,
which exports PAYAUTH_GATEWAY and PAYAUTH_CA_FILE): control endpoints, credentials, and sending
signed requests to /echo/<profile>/... with http.client + ssl."""

from __future__ import annotations

import http.client
import json
import os
import ssl
import urllib.parse
from typing import Any, Dict, Iterable, List, Optional, Tuple


_CLIENTS: Dict[str, Dict[str, Any]] = {}


def emulator_profiles() -> List[str]:
    """Every profile the running emulator serves (for parametrising at collection time); empty
    when no emulator is configured (the tests using it are then skipped by their fixture)."""
    url, ca = os.environ.get("PAYAUTH_GATEWAY"), os.environ.get("PAYAUTH_CA_FILE")
    return Gateway(url, ca, "").profiles() if url and ca else []


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

    def clients(self) -> Dict[str, Dict[str, Any]]:
        """The emulator's per-profile table (``GET /_emulator/clients``): each profile's client
        configuration fields, token path (``None`` without one) and required per-request inputs,
        so these tests keep no per-profile lists."""
        if not _CLIENTS:
            _CLIENTS.update({r["profile"]: r for r in self.control("GET", "clients")["profiles"]})
        return _CLIENTS

    def profiles(self) -> List[str]:
        return list(self.clients())

    def with_token_endpoint(self) -> List[str]:
        return [p for p, r in self.clients().items() if r["token_path"]]

    def per_request(self, profile: str) -> Dict[str, str]:
        """Typed per-request inputs ``profile`` needs (e.g. paynet-jws: ``message_id``)."""
        return dict(self.clients()[profile]["per_request"])

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

    def client_config(self, profile: str, cache_dir: str, **overrides: Any) -> Dict[str, Any]:
        """A Client configuration for ``profile`` against the emulator, with its own token
        cache directory (so that tests never share tokens)."""
        row = self.clients()[profile]
        cfg: Dict[str, Any] = dict(row["config"])
        cfg["ca_file"] = self.ca_file
        cfg["connect_timeout_ms"] = 2000
        cfg["timeout_ms"] = 5000
        cfg["cache"] = {"dir": cache_dir}
        if row["token_path"]:
            cfg["token_url"] = self.url + row["token_path"]
        cfg.update(overrides)
        return cfg
