#!/usr/bin/env python3
"""Generate the payauth conformance vectors (tests/vectors/*.json).

This is an INDEPENDENT reference implementation of the signing rules in docs/profiles.md,
written from the spec only (Python stdlib hmac/hashlib/base64/json plus `cryptography` for
RSASSA-PKCS1-v1_5). It never looks at the Rust code. Every expected value in the vector files
is computed here; the values printed in the gateway research (docs/gateways.md) are only used as asserted checks,
and a few HMAC-SHA256 / HMAC-SHA512 / SHA-256 / RSA-SHA256 / RSA-SHA512 results are cross-checked
against `openssl dgst` (a second, unrelated implementation).

Usage:  python3 tools/gen_vectors.py        (from anywhere; paths are relative to the repo)

Deterministic: RSA PKCS#1 v1.5 signatures are deterministic, every timestamp and X-EXTERNAL-ID
is fixed, and the output is written with a fixed key order, so two runs give identical files.
The test keys live in tests/vectors/keys/ (test-only, see the README there).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

ROOT = Path(__file__).resolve().parents[1]
VEC_DIR = ROOT / "tests" / "vectors"
KEY_DIR = VEC_DIR / "keys"


# --------------------------------------------------------------------------------------------
# Errors (status names as returned by payauth_status_name)
# --------------------------------------------------------------------------------------------


class PayauthError(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(f"{status}: {message}")
        self.status = status


# --------------------------------------------------------------------------------------------
# Primitives
# --------------------------------------------------------------------------------------------


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def hmac_digest(hash_name: str, key: bytes, msg: bytes) -> bytes:
    return hmac.new(key, msg, getattr(hashlib, hash_name)).digest()


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def b64url_nopad(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def encode(digest: bytes, how: str) -> str:
    if how == "hex":
        return digest.hex()
    if how == "hex_upper":
        return digest.hex().upper()
    if how == "base64":
        return b64(digest)
    raise ValueError(how)


def load_private_key(text: str) -> rsa.RSAPrivateKey:
    """PEM (PKCS#1 or PKCS#8) or bare base64 DER (PKCS#1 or PKCS#8)."""
    text = text.strip()
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            der = base64.b64decode("".join(text.split()), validate=True)
            key = serialization.load_der_private_key(der, password=None)
    except Exception as e:  # noqa: BLE001
        raise PayauthError("PAYAUTH_KEY_INVALID", str(e)) from e
    if not isinstance(key, rsa.RSAPrivateKey):
        raise PayauthError("PAYAUTH_KEY_INVALID", "not an RSA key")
    if key.key_size < 2048:
        raise PayauthError("PAYAUTH_KEY_TOO_SMALL", f"{key.key_size} bits")
    return key


def rsa_sign(key: rsa.RSAPrivateKey, msg: bytes, hash_name: str = "sha256") -> bytes:
    h = {"sha256": hashes.SHA256(), "sha512": hashes.SHA512()}[hash_name]
    return key.sign(msg, padding.PKCS1v15(), h)


def fmt_timestamp(ts_ms: int, fmt: str, offset_min: int = 0, millis: bool = False) -> str:
    if fmt == "unix_s":
        return str(ts_ms // 1000)
    if fmt == "unix_ms":
        return str(ts_ms)
    if fmt == "iso8601":
        tz = timezone(timedelta(minutes=offset_min))
        dt = datetime.fromtimestamp(ts_ms // 1000, tz)
        s = dt.strftime("%Y-%m-%dT%H:%M:%S")
        if millis:
            s += ".%03d" % (ts_ms % 1000)
        sign = "+" if offset_min >= 0 else "-"
        a = abs(offset_min)
        return s + "%s%02d:%02d" % (sign, a // 60, a % 60)
    raise ValueError(fmt)


_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")


def render(template: str, values: dict[str, str]) -> str:
    """Single-pass placeholder substitution (substituted values are never re-scanned)."""

    def sub(m: re.Match) -> str:
        name = m.group(1)
        return values[name] if name in values else m.group(0)

    return _PLACEHOLDER.sub(sub, template)


def mask(field: str, secret: str) -> str:
    return f"[{field}, {len(secret.encode('utf-8'))} bytes]"


def compact_json(obj) -> str:
    return json.dumps(obj, separators=(",", ":"), ensure_ascii=False)


def minify(text: str) -> str:
    """Strip insignificant JSON whitespace; keep everything else (escapes, order) byte-for-byte.
    An empty text is an empty result (a GET has no body)."""
    if text == "":
        return ""
    try:
        json.loads(text)
    except json.JSONDecodeError as e:
        raise PayauthError("PAYAUTH_JSON_INVALID", str(e)) from e
    out = []
    in_str = False
    esc = False
    for ch in text:
        if in_str:
            out.append(ch)
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch in " \t\r\n":
            continue
        else:
            out.append(ch)
            if ch == '"':
                in_str = True
    result = "".join(out)
    assert json.loads(result) == json.loads(text)
    return result


def is_json(text: str) -> bool:
    """JSON as RFC 8259 has it (Python's json also takes NaN / Infinity: not JSON)."""
    try:
        json.loads(text, parse_constant=lambda c: (_ for _ in ()).throw(ValueError(c)))
    except ValueError:
        return False
    return True


def cover(body: str, form: str) -> tuple[str, str]:
    """The body a digest covers (docs/profiles.md "Bodies"): minified JSON by default."""
    if body == "":
        return body, "empty"
    if form == "exact":
        return body, "exact bytes (body_form: exact)"
    if not is_json(body):
        return body, "exact bytes (not JSON)"
    m = minify(body)
    if m == body:
        return body, "minified JSON (as given)"
    return m, "minified JSON (whitespace removed: send the result's body)"


def mask_token(token: str) -> str:
    """How explain shows an access token: its first 4 characters and its byte length."""
    return token[:4] + "…[token, %d bytes]" % len(token.encode("utf-8"))


def load_public_key(text: str):
    text = text.strip()
    try:
        if text.startswith("-----BEGIN CERTIFICATE-----"):
            from cryptography import x509
            return x509.load_pem_x509_certificate(text.encode()).public_key()
        if text.startswith("-----BEGIN"):
            return serialization.load_pem_public_key(text.encode())
        return serialization.load_der_public_key(base64.b64decode("".join(text.split())))
    except Exception as e:  # noqa: BLE001
        raise PayauthError("PAYAUTH_KEY_INVALID", str(e)) from e


def rsa_verify(pub, msg: bytes, sig: bytes, hash_name: str = "sha256") -> bool:
    h = {"sha256": hashes.SHA256(), "sha512": hashes.SHA512()}[hash_name]
    try:
        pub.verify(sig, msg, padding.PKCS1v15(), h)
        return True
    except Exception:  # noqa: BLE001
        return False


def check_path(path: str):
    """Origin form: one leading "/", no scheme or host, no fragment."""
    if not path.startswith("/") or path.startswith("//") or "#" in path:
        raise PayauthError("PAYAUTH_INVALID_ARGUMENT", "path must be origin-form")


# --------------------------------------------------------------------------------------------
# Reference implementation of docs/profiles.md
# --------------------------------------------------------------------------------------------

SECRET_FIELDS = {"client_secret", "api_key", "private_key", "x_signature_secret", "gateway_public_key"}

FIELDS = {
    "paynet-reports": {"client_id", "client_secret", "x_signature_secret", "ts_unit"},
    "paynet": {"client_id", "client_secret", "private_key", "signature_key", "gateway_public_key"},
    "paynet-jws": {"private_key", "client_id", "jws_key", "jws_alg", "jws_ttl_s", "jws_header", "api_version",
                   "body_form", "gateway_public_key"},
    "paynet-duitnow-pay": {"private_key", "client_id", "merchant_id", "merchant_key", "jws_ttl_s",
                           "authorization_prefix", "gateway_public_key"},
    "netzme": {"client_id", "client_secret", "payload_template", "key_template", "body_form"},
    "snap": {
        "client_id", "client_secret", "private_key", "channel_id", "signature_encoding",
        "utc_offset_minutes", "timestamp_millis", "include_query", "body_form", "gateway_public_key",
    },
    "azupay": {"api_key", "hmac"},
    "paytia": {"api_key", "client_id", "client_secret", "token_header"},
}
FIELDS["netzme-snap"] = FIELDS["snap"]
REQUIRED = {
    "paynet-reports": ["client_secret"],
    "paynet": [],
    "paynet-jws": ["private_key", "client_id"],
    "paynet-duitnow-pay": ["private_key", "client_id", "merchant_id", "merchant_key"],
    "netzme": ["client_secret"],
    "snap": ["client_id"],
    "netzme-snap": ["client_id"],
    "azupay": ["api_key"],
    "paytia": ["api_key"],
}
HMAC_REQUIRED = [
    "secret", "hash", "key_encoding", "output", "template", "timestamp_format",
    "signature_header", "timestamp_header",
]
HMAC_FIELDS = set(HMAC_REQUIRED) | {"key_id", "key_id_header", "utc_offset_minutes"}


class Signer:
    def __init__(self, config):
        if isinstance(config, str):
            try:
                config = json.loads(config)
            except json.JSONDecodeError as e:
                raise PayauthError("PAYAUTH_CONFIG_JSON", str(e)) from e
        if not isinstance(config, dict):
            raise PayauthError("PAYAUTH_CONFIG_JSON", "config is not an object")
        profile = config.get("profile")
        if profile not in FIELDS:
            raise PayauthError("PAYAUTH_CONFIG_UNKNOWN_PROFILE", repr(profile))
        allowed = set(FIELDS[profile]) | {"profile"}
        allowed |= {f + sfx for f in FIELDS[profile] if f in SECRET_FIELDS for sfx in ("_env", "_file")}
        for k in config:
            if k not in allowed:
                raise PayauthError("PAYAUTH_CONFIG_INVALID_FIELD", k)
        for f in SECRET_FIELDS:
            if config.get(f) == "":
                raise PayauthError("PAYAUTH_CONFIG_SECRET_SOURCE", f + " is empty")
        if profile == "netzme" and ":" in config.get("client_id", ""):
            raise PayauthError("PAYAUTH_CONFIG_INVALID_FIELD", "client_id contains ':' (Basic)")
        if config.get("body_form", "minified") not in ("minified", "exact"):
            raise PayauthError("PAYAUTH_CONFIG_INVALID_FIELD", "body_form")
        for k in REQUIRED[profile]:
            if k not in config:
                raise PayauthError("PAYAUTH_CONFIG_MISSING_FIELD", k)
        if "hmac" in config:
            for k in config["hmac"]:
                if k not in HMAC_FIELDS:
                    raise PayauthError("PAYAUTH_CONFIG_INVALID_FIELD", "hmac." + k)
            for k in HMAC_REQUIRED:
                if k not in config["hmac"]:
                    raise PayauthError("PAYAUTH_CONFIG_MISSING_FIELD", "hmac." + k)
            names = [config["hmac"][k] for k in ("signature_header", "timestamp_header", "key_id_header")
                     if k in config["hmac"]]
            lowered = [n.lower() for n in names]
            if "authorization" in lowered or len(set(lowered)) != len(lowered):
                raise PayauthError("PAYAUTH_CONFIG_INVALID_FIELD", "colliding header names")
        self.profile = profile
        self.c = config
        self.key = load_private_key(config["private_key"]) if "private_key" in config else None
        self.pub = load_public_key(config["gateway_public_key"]) if "gateway_public_key" in config else None
        self.form = config.get("body_form", "minified")

    # -- helpers ------------------------------------------------------------------------------

    def _ts(self, inp, fmt, offset=0, millis=False):
        extra = inp.get("extra") or {}
        if "timestamp" in extra:
            return extra["timestamp"]
        return fmt_timestamp(inp["timestamp_ms"], fmt, offset, millis)

    def _snap_opts(self):
        c = self.c
        enc = c.get("signature_encoding", "hex" if self.profile == "netzme-snap" else "base64")
        return enc, c.get("utc_offset_minutes", 420), c.get("timestamp_millis", False)

    # -- sign -----------------------------------------------------------------------------------

    def sign(self, inp):
        check_path(inp["path"])
        ext = (inp.get("extra") or {}).get("external_id")
        if ext is not None and not (1 <= len(ext) <= 36 and ext.isdigit() and ext.isascii()):
            raise PayauthError("PAYAUTH_INVALID_ARGUMENT", "extra.external_id")
        headers, explain, body = getattr(self, "_sign_" + self.profile.replace("-", "_"))(inp)
        token = inp.get("token", "")
        if len(token) >= 8:  # shorter tokens are left alone (the library's MASK_MIN)
            explain = {k: v.replace(token, mask_token(token)) for k, v in explain.items()}
        return headers, explain, body

    def _sign_paynet_reports(self, inp):
        c = self.c
        ts = self._ts(inp, "unix_ms" if c.get("ts_unit", "s") == "ms" else "unix_s")
        sig, key_field = self._reports_sig(ts)
        headers = []
        if inp.get("token"):
            headers.append(["Authorization", "Bearer " + inp["token"]])
        headers += [["X-Timestamp", ts], ["X-Signature", sig]]
        explain = {
            "timestamp": ts,
            "string_to_sign": ts,
            "hmac_key": mask(key_field, c[key_field]),
            "algorithm": "HMAC-SHA256",
            "encoding": "hex",
        }
        return headers, explain, None

    def _reports_sig(self, ts):
        key_field = "x_signature_secret" if "x_signature_secret" in self.c else "client_secret"
        key = self.c[key_field].encode()
        return hmac_digest("sha256", key, ts.encode()).hex(), key_field

    def _sign_paynet(self, inp):
        extra = inp.get("extra") or {}
        headers = []
        explain = {}
        if inp.get("token"):
            headers.append(["Authorization", "Bearer " + inp["token"]])
        if "fields" in extra or "string_to_sign" in extra:
            sts = extra["string_to_sign"] if "string_to_sign" in extra else "".join(extra["fields"])
            sig = b64(rsa_sign(self.key, sts.encode("utf-8")))
            headers.append(["X-Signature", sig])
            if "signature_key" in self.c:
                headers.append(["X-Signature-Key", self.c["signature_key"]])
            explain = {
                "string_to_sign": sts,
                "algorithm": "RSA-SHA256 PKCS#1 v1.5",
                "encoding": "base64",
            }
        return headers, explain, None

    def _sign_paynet_jws(self, inp):
        c = self.c
        extra = inp.get("extra") or {}
        if "message_id" not in extra:
            raise PayauthError("PAYAUTH_MISSING_REQUEST_FIELD", "extra.message_id")
        alg = c.get("jws_alg", "RS256")
        covered, how = cover(inp.get("body", ""), self.form)
        sent = covered if covered != inp.get("body", "") else None
        ds = sha256_hex(covered.encode("utf-8"))
        header = {"alg": alg, "typ": c.get("jws_header", {}).get("typ", "JWT")}
        for k, v in c.get("jws_header", {}).items():
            if k not in ("alg", "typ"):
                header[k] = v
        s = inp["timestamp_ms"] // 1000
        claims = {"iss": c["client_id"], "iat": s, "exp": s + c.get("jws_ttl_s", 900)}
        if "jws_key" in c:
            claims["key"] = c["jws_key"]
        claims["jti"] = extra["message_id"]
        claims["ds"] = ds
        header_json = compact_json(header)
        claims_json = compact_json(claims)
        signing_input = b64url_nopad(header_json.encode()) + "." + b64url_nopad(claims_json.encode())
        sig = rsa_sign(self.key, signing_input.encode(), {"RS256": "sha256", "RS512": "sha512"}[alg])
        jws = signing_input + "." + b64url_nopad(sig)
        headers = [
            ["Authorization", "Bearer " + jws],
            ["X-Client-Id", c["client_id"]],
            ["X-Api-Version", c.get("api_version", "1.0.0")],
            ["x-business-message-id", extra["message_id"]],
            ["Content-Type", "application/json"],
        ]
        explain = {
            "body_sha256": ds,
            "body_form": how,
            "jws_header": header_json,
            "jws_claims": claims_json,
            "signing_input": signing_input,
            "algorithm": alg,
        }
        return headers, explain, sent

    def _netzme_parts(self, inp, ts):
        c = self.c
        token = inp.get("token", "")
        if not token:
            raise PayauthError("PAYAUTH_MISSING_TOKEN", "netzme needs a token")
        values = {
            "path": inp["path"],
            "method": inp["method"].upper(),
            "auth": "Bearer " + token,
            "token": token,
            "timestamp": ts,
            "body": cover(inp.get("body", ""), self.form)[0],
        }
        payload_t = c.get(
            "payload_template", "path={path}&method={method}&token={auth}&timestamp={timestamp}&body={body}"
        )
        key_t = c.get("key_template", "{secret}-{timestamp}-{auth}")
        payload = render(payload_t, values)
        key = render(key_t, {**values, "secret": c["client_secret"]})
        key_shown = render(key_t, {**values, "secret": mask("client_secret", c["client_secret"])})
        sig = hmac_digest("sha256", key.encode("utf-8"), payload.encode("utf-8")).hex()
        return payload, key_shown, sig

    def _sign_netzme(self, inp):
        ts = self._ts(inp, "unix_ms")
        payload, key_shown, sig = self._netzme_parts(inp, ts)
        covered, how = cover(inp.get("body", ""), self.form)
        sent = covered if covered != inp.get("body", "") else None
        headers = [
            ["Authorization", "Bearer " + inp["token"]],
            ["Request-Time", ts],
            ["Signature", sig],
            ["Client-Id", self.c.get("client_id", "")],
            ["Content-Type", "application/json"],
        ]
        explain = {
            "timestamp": ts,
            "string_to_sign": payload,
            "hmac_key": key_shown,
            "algorithm": "HMAC-SHA256",
            "encoding": "hex",
            "body_form": how,
        }
        return headers, explain, sent

    def _snap_parts(self, inp, ts):
        token = inp.get("token", "")
        if not token:
            raise PayauthError("PAYAUTH_MISSING_TOKEN", "snap needs a token")
        if "client_secret" not in self.c:
            raise PayauthError("PAYAUTH_CONFIG_MISSING_FIELD", "client_secret")
        path = inp["path"]
        if not self.c.get("include_query", True):
            path = path.split("?", 1)[0]
        body_hash = sha256_hex(cover(inp.get("body", ""), self.form)[0].encode("utf-8"))
        sts = ":".join([inp["method"].upper(), path, token, body_hash, ts])
        enc, _, _ = self._snap_opts()
        digest = hmac_digest("sha512", self.c["client_secret"].encode(), sts.encode("utf-8"))
        return body_hash, sts, encode(digest, enc)

    def _sign_snap(self, inp):
        enc, off, millis = self._snap_opts()
        ts = self._ts(inp, "iso8601", off, millis)
        body_hash, sts, sig = self._snap_parts(inp, ts)
        covered, how = cover(inp.get("body", ""), self.form)
        sent = covered if covered != inp.get("body", "") else None
        extra = inp.get("extra") or {}
        headers = [
            ["Authorization", "Bearer " + inp["token"]],
            ["X-TIMESTAMP", ts],
            ["X-SIGNATURE", sig],
            ["X-PARTNER-ID", self.c["client_id"]],
            ["X-EXTERNAL-ID", extra["external_id"]],
        ]
        if "channel_id" in self.c:
            headers.append(["CHANNEL-ID", self.c["channel_id"]])
        headers.append(["Content-Type", "application/json"])
        explain = {
            "timestamp": ts,
            "body_sha256": body_hash,
            "string_to_sign": sts,
            "hmac_key": mask("client_secret", self.c["client_secret"]),
            "body_form": how,
        }
        return headers, explain, sent

    _sign_netzme_snap = _sign_snap

    def _azupay_hmac(self, inp, ts):
        h = self.c["hmac"]
        path, _, query = inp["path"].partition("?")
        body = inp.get("body", "")
        values = {
            "method": inp["method"].upper(),
            "path": path,
            "query": query,
            "timestamp": ts,
            "body": body,
            "body_sha256": sha256_hex(body.encode("utf-8")),
            "key_id": h.get("key_id", ""),
        }
        sts = render(h["template"], values)
        secret = h["secret"]
        if h["key_encoding"] == "utf8":
            key = secret.encode("utf-8")
        elif h["key_encoding"] == "strip_prefix":
            key = (secret[len("HMAC_"):] if secret.startswith("HMAC_") else secret).encode("utf-8")
        elif h["key_encoding"] == "base64":
            key = base64.b64decode(secret, validate=True)
        else:
            raise ValueError(h["key_encoding"])
        return sts, encode(hmac_digest(h["hash"], key, sts.encode("utf-8")), h["output"])

    def _sign_azupay(self, inp):
        c = self.c
        token = inp.get("token", "")
        headers = [["Authorization", "Bearer " + token if token else c["api_key"]]]
        explain = {}
        if "hmac" in c:
            h = c["hmac"]
            ts = self._ts(inp, h["timestamp_format"], h.get("utc_offset_minutes", 0))
            sts, sig = self._azupay_hmac(inp, ts)
            headers.append([h["timestamp_header"], ts])
            if "key_id" in h and "key_id_header" in h:
                headers.append([h["key_id_header"], h["key_id"]])
            headers.append([h["signature_header"], sig])
            explain = {"timestamp": ts, "string_to_sign": sts}
        return headers, explain, None

    def _sign_paytia(self, inp):
        headers = [["X-API-KEY", self.c["api_key"]]]
        if inp.get("token"):
            headers.append([self.c.get("token_header", "ACCESS-TOKEN"), inp["token"]])
        return headers, {}, None

    def _sign_paynet_duitnow_pay(self, inp):
        c = self.c
        extra = inp.get("extra") or {}
        header_json = '{"alg":"RS256","typ":"JWT"}'
        claims = {
            "exp": inp["timestamp_ms"] // 1000 + c.get("jws_ttl_s", 900),
            "iss": c["client_id"],
            "sub": c["merchant_id"],
            "jti": extra["message_id"],
            "key": c["merchant_key"],
            "data": inp.get("body", ""),
        }
        claims_json = compact_json(claims)
        signing_input = b64url_nopad(header_json.encode()) + "." + b64url_nopad(claims_json.encode("utf-8"))
        jwt = signing_input + "." + b64url_nopad(rsa_sign(self.key, signing_input.encode()))
        prefix = c.get("authorization_prefix", "Bearer")
        headers = [
            ["Authorization", (prefix + " " if prefix else "") + jwt],
            ["Content-Type", "application/json"],
        ]
        explain = {"jws_header": header_json, "jws_claims": claims_json, "signing_input": signing_input,
                   "algorithm": "RS256"}
        return headers, explain, None

    # -- token request headers ------------------------------------------------------------------

    def token_headers(self, inp):
        c = self.c
        if self.profile == "netzme":
            basic = b64(f"{c['client_id']}:{c['client_secret']}".encode("utf-8"))
            return [["Authorization", "Basic " + basic], ["Content-Type", "application/json"]], {}
        if self.profile in ("snap", "netzme-snap"):
            _, off, millis = self._snap_opts()
            ts = self._ts(inp, "iso8601", off, millis)
            sts = c["client_id"] + "|" + ts
            sig = b64(rsa_sign(self.key, sts.encode("utf-8")))
            headers = [
                ["X-TIMESTAMP", ts],
                ["X-CLIENT-KEY", c["client_id"]],
                ["X-SIGNATURE", sig],
                ["Content-Type", "application/json"],
            ]
            return headers, {"timestamp": ts, "string_to_sign": sts}
        raise NotImplementedError(self.profile)

    # -- verify ---------------------------------------------------------------------------------

    def _gateway_key(self):
        if self.pub is None:
            raise PayauthError("PAYAUTH_CONFIG_MISSING_FIELD", "gateway_public_key")
        return self.pub

    def _sig_b64(self, text):
        try:
            return base64.b64decode(text.strip(), validate=True)
        except Exception as e:  # noqa: BLE001
            raise PayauthError("PAYAUTH_INVALID_ARGUMENT", "signature is not base64") from e

    def verify_rsa(self, inp):
        pub = self._gateway_key()
        if not rsa_verify(pub, inp["message"].encode("utf-8"), self._sig_b64(inp["signature"])):
            raise PayauthError("PAYAUTH_SIGNATURE_MISMATCH", "")

    def verify_snap_rsa(self, inp):
        if self.profile not in ("snap", "netzme-snap"):
            raise PayauthError("PAYAUTH_UNSUPPORTED", self.profile)
        pub = self._gateway_key()
        check_path(inp["path"])
        path = inp["path"] if self.c.get("include_query", True) else inp["path"].split("?", 1)[0]
        digest = sha256_hex(cover(inp.get("body", ""), self.form)[0].encode("utf-8"))
        msg = ":".join([inp["method"].upper(), path, digest, inp["timestamp"]])
        if not rsa_verify(pub, msg.encode("utf-8"), self._sig_b64(inp["signature"])):
            raise PayauthError("PAYAUTH_SIGNATURE_MISMATCH", "")

    def verify_jws(self, inp):
        pub = self._gateway_key()
        jws = inp["jws"].strip()
        if jws.startswith("Bearer "):
            jws = jws[len("Bearer "):]
        parts = jws.split(".")
        if len(parts) != 3:
            raise PayauthError("PAYAUTH_INVALID_ARGUMENT", "not a compact JWS")

        def part(x):
            try:
                v = json.loads(base64.urlsafe_b64decode(x + "=" * (-len(x) % 4)))
            except Exception as e:  # noqa: BLE001
                raise PayauthError("PAYAUTH_INVALID_ARGUMENT", "bad JWS part") from e
            if not isinstance(v, dict):
                raise PayauthError("PAYAUTH_INVALID_ARGUMENT", "JWS part is not an object")
            return v

        header = part(parts[0])
        alg = {"RS256": "sha256", "RS512": "sha512"}.get(header.get("alg"))
        if alg is None:
            raise PayauthError("PAYAUTH_SIGNATURE_MISMATCH", "alg")
        sig = base64.urlsafe_b64decode(parts[2] + "=" * (-len(parts[2]) % 4))
        if not rsa_verify(pub, (parts[0] + "." + parts[1]).encode(), sig, alg):
            raise PayauthError("PAYAUTH_SIGNATURE_MISMATCH", "signature")
        claims = part(parts[1])
        body = inp.get("body", "")
        ds = claims.get("ds")
        if ds is None:
            if body != "":
                raise PayauthError("PAYAUTH_SIGNATURE_MISMATCH", "no ds")
            return
        if ds.lower() != sha256_hex(cover(body, self.form)[0].encode("utf-8")):
            raise PayauthError("PAYAUTH_SIGNATURE_MISMATCH", "ds")

    def verify(self, inp):
        check_path(inp["path"])
        ts = inp["timestamp"]
        if self.profile == "paynet-reports":
            want = self._reports_sig(ts)[0]
        elif self.profile == "netzme":
            want = self._netzme_parts(inp, ts)[2]
        elif self.profile in ("snap", "netzme-snap"):
            want = self._snap_parts(inp, ts)[2]
        elif self.profile == "azupay":
            want = self._azupay_hmac(inp, ts)[1]
        else:
            raise NotImplementedError(self.profile)
        if not hmac.compare_digest(want.encode(), inp["signature"].encode()):
            raise PayauthError("PAYAUTH_SIGNATURE_MISMATCH", "")


def run(operation: str, config, inp: dict) -> dict:
    """Returns the `expect` object for one vector."""
    try:
        if operation == "minify":
            return {"status": "PAYAUTH_OK", "output": minify(inp["json"])}
        signer = Signer(config)
        if operation == "signer_new":
            return {"status": "PAYAUTH_OK"}
        if operation in ("verify", "verify_rsa", "verify_snap_rsa", "verify_jws"):
            getattr(signer, operation)(inp)
            return {"status": "PAYAUTH_OK"}
        body = None
        if operation == "sign":
            headers, explain, body = signer.sign(inp)
        elif operation == "token_headers":
            headers, explain = signer.token_headers(inp)
        else:
            raise ValueError(operation)
    except PayauthError as e:
        return {"status": e.status}
    out = {"status": "PAYAUTH_OK", "headers": headers}
    if explain:
        out["explain"] = explain
    if body is not None:
        out["body"] = body
    return out


# --------------------------------------------------------------------------------------------
# Test keys
# --------------------------------------------------------------------------------------------


def read(name: str) -> str:
    return (KEY_DIR / name).read_text()


PEM_PKCS1 = read("rsa2048-pkcs1.pem")
PEM_PKCS8 = read("rsa2048-pkcs8.pem")
PEM_1024 = read("rsa1024-pkcs1.pem")
PUB_SPKI = read("rsa2048-public.pem")
PUB_PKCS1 = read("rsa2048-public-pkcs1.pem")
PUB_CERT = read("rsa2048-cert.pem")
OTHER_PRIVATE = read("other2048-pkcs1.pem")
OTHER_PUB = read("other2048-public.pem")
PUB_BARE = "".join(l for l in PUB_SPKI.strip().splitlines() if not l.startswith("-----"))
BARE_B64 = "".join(l for l in PEM_PKCS1.strip().splitlines() if not l.startswith("-----"))


def _check_keys():
    k1, k8, kb = (load_private_key(x) for x in (PEM_PKCS1, PEM_PKCS8, BARE_B64))
    nums = {k.private_numbers().public_numbers.n for k in (k1, k8, kb)}
    assert len(nums) == 1, "the three 2048-bit key forms must be the same key"
    assert k1.key_size == 2048
    assert PEM_PKCS1.startswith("-----BEGIN RSA PRIVATE KEY-----")
    assert PEM_PKCS8.startswith("-----BEGIN PRIVATE KEY-----")
    try:
        load_private_key(PEM_1024)
        raise AssertionError("1024-bit key accepted")
    except PayauthError as e:
        assert e.status == "PAYAUTH_KEY_TOO_SMALL"


# --------------------------------------------------------------------------------------------
# Vector definitions
# --------------------------------------------------------------------------------------------

VECTORS: dict[str, dict] = {}


def vec(id_, scheme, description, source, config, operation, inp, expect_status="PAYAUTH_OK"):
    assert id_ not in VECTORS, id_
    expect = run(operation, config, inp)
    assert expect["status"] == expect_status, (id_, expect)
    v = {
        "id": id_,
        "scheme": scheme,
        "description": description,
        "source": source,
        "config": config,
        "operation": operation,
        "input": inp,
        "expect": expect,
    }
    if operation == "minify":
        v.pop("config")
    VECTORS[id_] = v
    return v


def hdr(v, name):
    vals = [h[1] for h in v["expect"]["headers"] if h[0] == name]
    assert len(vals) == 1, (v["id"], name)
    return vals[0]


def build():
    SELF = "self-computed (python hmac/hashlib)"
    SELF_RSA = "self-computed (python cryptography, RSASSA-PKCS1-v1_5)"
    STATUS = "self-written (expected status from docs/profiles.md)"

    # ---------------- paynet-reports (docs/gateways.md) ----------------
    rep = {"profile": "paynet-reports", "client_id": "9e0e99f396e74838aeb583d1f06bc03d",
           "client_secret": "my_client_secret"}
    v = vec("paynet-reports-vector", "paynet-reports",
            "docs/gateways.md vector: HMAC-SHA256(client_secret, unix seconds); timestamp_ms "
            "1700000000123 must floor to 1700000000; no token, so no Authorization",
            "docs/gateways.md (self-computed vector)", rep, "sign",
            {"method": "POST", "path": "/v2/reports/query", "body": "", "token": "",
             "timestamp_ms": 1700000000123})
    assert hdr(v, "X-Signature") == "d21a14882d7cb3107ae340b6920ad74d3b12ba4abc6d9a4139fe2a49a7309190"
    assert hdr(v, "X-Timestamp") == "1700000000"
    reports_token = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZXBvcnRzIn0.c2lnbmF0dXJl"
    v = vec("paynet-reports-with-token", "paynet-reports",
            "with an access token: Authorization first; body, path and token are not signed",
            SELF, rep, "sign",
            {"method": "POST", "path": "/v2/reports/query",
             "body": '{"query":"{ settlements(date:\\"2023-11-14\\") { id amount } }"}',
             "token": reports_token, "timestamp_ms": 1700000000999})
    assert hdr(v, "X-Signature") == "d21a14882d7cb3107ae340b6920ad74d3b12ba4abc6d9a4139fe2a49a7309190"
    assert v["expect"]["headers"][0] == ["Authorization", "Bearer " + reports_token]
    vec("paynet-reports-x-signature-secret", "paynet-reports",
        "x_signature_secret differs from client_secret and is the HMAC key",
        SELF, {**rep, "x_signature_secret": "reports-signing-secret-2024"}, "sign",
        {"method": "GET", "path": "/merchant-profile/v1/profile?merchantId=M123", "body": "",
         "token": reports_token, "timestamp_ms": 1717200000000})
    vec("paynet-reports-ts-ms", "paynet-reports",
        "ts_unit \"ms\": X-Timestamp is the epoch milliseconds", SELF,
        {**rep, "ts_unit": "ms"}, "sign",
        {"method": "POST", "path": "/v2/reports/query", "body": "", "token": reports_token,
         "timestamp_ms": 1700000000123})

    # ---------------- netzme legacy (docs/gateways.md) ----------------
    nz = {"profile": "netzme", "client_id": "TokoNetmeClientId", "client_secret": "MaREaULkzAUTAFYg"}
    n1_token = "cafebface38fe374af5bcf7579a711658585012507d409eebb74f33fa4684711"
    v = vec("netzme-legacy-n1-get-query", "netzme",
            "GET with a query string: docs/gateways.md vector N1", "docs/gateways.md N1",
            nz, "sign",
            {"method": "GET", "path": "/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg",
             "body": "", "token": n1_token, "timestamp_ms": 1615190625765})
    assert hdr(v, "Signature") == "cbf99c2f6d5d65b582035a4dee21e67b82a5226f7d9eb7768450d085eac31eb6"
    # Explain shows the token masked (its first 4 characters and its length).
    assert v["expect"]["explain"]["string_to_sign"] == (
        "path=/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg&method=GET&token=Bearer "
        "cafe…[token, 64 bytes]&timestamp=1615190625765&body=")
    assert v["expect"]["explain"]["hmac_key"] == (
        "[client_secret, 16 bytes]-1615190625765-Bearer cafe…[token, 64 bytes]")
    nz_token = "4c8e2c551a86c8fa484bdaf47ae690db94da325a335a4e7d191058e6e6280555"
    vec("netzme-legacy-post-json", "netzme",
        "POST with a minified JSON body, signed raw (not hashed)", SELF, nz, "sign",
        {"method": "POST", "path": "/api/aggregator/merchant/qr/invoice",
         "body": '{"merchantId":"M_pXAFWzCg","amount":{"value":"15000.00","currency":"IDR"},'
                 '"items":[{"name":"Kopi","qty":2}],"notes":"a&b=c?d"}',
         "token": nz_token, "timestamp_ms": 1700000000123})
    vec("netzme-legacy-post-empty-body", "netzme",
        "POST with an empty body: payload ends with \"&body=\"", SELF, nz, "sign",
        {"method": "POST", "path": "/api/aggregator/merchant/qr/refresh", "body": "",
         "token": nz_token, "timestamp_ms": 1700000000456})
    vec("netzme-legacy-post-non-ascii", "netzme",
        "POST with a non-ASCII UTF-8 body (raw bytes, not \\u-escaped)", SELF, nz, "sign",
        {"method": "POST", "path": "/api/aggregator/merchant/profile/update",
         "body": '{"name":"Budi Santoso – café 日本"}', "token": nz_token,
         "timestamp_ms": 1700000000789})
    vec("netzme-legacy-lowercase-method", "netzme",
        "method given in lower case is upper-cased before signing", SELF, nz, "sign",
        {"method": "get", "path": "/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg",
         "body": "", "token": n1_token, "timestamp_ms": 1615190625765})
    assert hdr(VECTORS["netzme-legacy-lowercase-method"], "Signature") == \
        "cbf99c2f6d5d65b582035a4dee21e67b82a5226f7d9eb7768450d085eac31eb6"
    vec("netzme-legacy-custom-payload-template", "netzme",
        "custom payload_template (the [S4] docs table form: no token field)", SELF,
        {**nz, "payload_template": "path={path}&method={method}&timestamp={timestamp}&body={body}"},
        "sign",
        {"method": "POST", "path": "/api/aggregator/merchant/qr/invoice?ref=INV-7",
         "body": '{"amount":"5000.00"}', "token": nz_token, "timestamp_ms": 1700000001000})
    vec("netzme-legacy-custom-key-template", "netzme",
        "custom key_template using {secret}, {timestamp} and the bare {token}", SELF,
        {**nz, "key_template": "{secret}:{timestamp}:{token}"}, "sign",
        {"method": "GET", "path": "/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg",
         "body": "", "token": nz_token, "timestamp_ms": 1700000002000})
    v = vec("netzme-legacy-token-headers", "netzme",
            "getToken request headers: Basic base64(client_id:client_secret) (docs/gateways.md)",
            "docs/gateways.md", {"profile": "netzme", "client_id": "TokoNetmeClientId",
                                  "client_secret": "f013bc2810be469790dc99773c08812e"},
            "token_headers", {"timestamp_ms": 1700000000000})
    assert hdr(v, "Authorization") == \
        "Basic VG9rb05ldG1lQ2xpZW50SWQ6ZjAxM2JjMjgxMGJlNDY5NzkwZGM5OTc3M2MwODgxMmU="
    vec("netzme-legacy-missing-token", "netzme", "sign without a token fails", STATUS, nz, "sign",
        {"method": "GET", "path": "/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg",
         "body": "", "token": "", "timestamp_ms": 1615190625765}, "PAYAUTH_MISSING_TOKEN")

    # ---------------- SNAP / netzme-snap (docs/gateways.md) ----------------
    v2_secret = "f013bc2810be469790dc99773c08812e"
    v2_token = "eyJhbGciOiJIUzI1NiJ9.dGVzdA.c2ln"
    v2_body = '{"partnerReferenceNo":"ORDER-001","amount":{"value":"10000.00","currency":"IDR"}}'
    v2_path = "/api/v1.0/invoice/create-transaction"
    v2_ts = "2024-01-01T10:00:00+07:00"
    v2_ts_ms = 1704078000000  # 2024-01-01T03:00:00Z
    assert datetime.fromtimestamp(v2_ts_ms / 1000, timezone.utc).isoformat() == "2024-01-01T03:00:00+00:00"
    v2_hex = ("0fe978431616ca695a7c04a7ffeaedaeee1710776a1f876ca79f880cc801bd66"
              "93740a53d41fab518a3e5983fafde07059881fa82cbfa78afb936824e4a853e9")
    v2_b64 = "D+l4QxYWymlafASn/+rtru4XEHdqH4dsp5+IDMgBvWaTdApT1B+rUYo+WYP6/eBwWYgfqCy/p4r7k2gk5KhT6Q=="
    v2_sts = ("POST:/api/v1.0/invoice/create-transaction:eyJhbGciOiJIUzI1NiJ9.dGVzdA.c2ln:"
              "2efe57313876a4b44ca9a5ec913ef0d47e08e75a223e0190680f5d4f816359e8:2024-01-01T10:00:00+07:00")
    nzs = {"profile": "netzme-snap", "client_id": "TokoNetmeClientId", "client_secret": v2_secret}
    snp = {"profile": "snap", "client_id": "TokoNetmeClientId", "client_secret": v2_secret}
    ext = "12345678901234567890123456789012"
    v2_in = {"method": "POST", "path": v2_path, "body": v2_body, "token": v2_token,
             "timestamp_ms": 0, "extra": {"timestamp": v2_ts, "external_id": ext}}
    v = vec("netzme-snap-v2-hex", "snap",
            "docs/gateways.md vector V2, Netzme's lowercase hex encoding; timestamp via extra.timestamp",
            "docs/gateways.md V2", nzs, "sign", v2_in)
    assert hdr(v, "X-SIGNATURE") == v2_hex
    assert v["expect"]["explain"]["string_to_sign"] == v2_sts.replace(v2_token, mask_token(v2_token))
    assert v["expect"]["explain"]["body_sha256"] == \
        "2efe57313876a4b44ca9a5ec913ef0d47e08e75a223e0190680f5d4f816359e8"
    v = vec("snap-v2-base64", "snap",
            "docs/gateways.md vector V2, standard SNAP base64 encoding; timestamp via extra.timestamp",
            "docs/gateways.md V2", snp, "sign", v2_in)
    assert hdr(v, "X-SIGNATURE") == v2_b64
    v2_in_ms = {**v2_in, "timestamp_ms": v2_ts_ms, "extra": {"external_id": ext}}
    v = vec("netzme-snap-v2-timestamp-ms", "snap",
            "V2 with timestamp_ms for 2024-01-01T03:00:00Z and the default offset 420: must format "
            "to 2024-01-01T10:00:00+07:00 and give the V2 signature", "docs/gateways.md V2",
            nzs, "sign", v2_in_ms)
    assert hdr(v, "X-TIMESTAMP") == v2_ts and hdr(v, "X-SIGNATURE") == v2_hex
    v = vec("snap-v2-timestamp-ms", "snap",
            "V2 (base64) with timestamp_ms for 2024-01-01T03:00:00Z and the default offset 420",
            "docs/gateways.md V2", snp, "sign", v2_in_ms)
    assert hdr(v, "X-TIMESTAMP") == v2_ts and hdr(v, "X-SIGNATURE") == v2_b64
    snap_token = "gp9HjjEj813Y9JGoqwOeOPWbnt4CUpvIJbU1mMU4a11MNDZ7Sg5u9a"
    q_path = "/api/v1.0/transaction/history-list?fromDateTime=2024-01-01T00:00:00+07:00&pageSize=10"
    vec("netzme-snap-get-query", "snap",
        "GET with a raw query string, include_query default true (query is part of the path signed)",
        SELF, nzs, "sign",
        {"method": "GET", "path": q_path, "body": "", "token": snap_token, "timestamp_ms": 1717200000000,
         "extra": {"external_id": "00000000000000000000000000000001"}})
    v = vec("netzme-snap-get-query-excluded", "snap",
            "GET with a query string and include_query false: only the path before ? is signed",
            SELF, {**nzs, "include_query": False}, "sign",
            {"method": "GET", "path": q_path, "body": "", "token": snap_token,
             "timestamp_ms": 1717200000000, "extra": {"external_id": "00000000000000000000000000000001"}})
    assert ":/api/v1.0/transaction/history-list:" in v["expect"]["explain"]["string_to_sign"]
    v = vec("snap-empty-body", "snap", "POST with an empty body: body_sha256 = SHA-256(\"\")",
            SELF, snp, "sign",
            {"method": "POST", "path": "/api/v1.0/payment/balance-inquiry", "body": "",
             "token": snap_token, "timestamp_ms": 1717200000000,
             "extra": {"external_id": "41807553358950093184581794564451"}})
    assert v["expect"]["explain"]["body_sha256"] == \
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    vec("snap-non-ascii-body", "snap",
        "POST with a non-ASCII UTF-8 body: the SHA-256 covers the raw UTF-8 bytes", SELF, snp, "sign",
        {"method": "POST", "path": "/api/v1.0/invoice/create",
         "body": '{"partnerReferenceNo":"ORDER-002","customerName":"Budi Santoso – café 日本",'
                 '"amount":{"value":"25000.00","currency":"IDR"}}',
         "token": snap_token, "timestamp_ms": 1717200000000,
         "extra": {"external_id": "98765432109876543210987654321098"}})
    v = vec("snap-timestamp-millis", "snap",
            "timestamp_millis true: .SSS before the offset", SELF, {**snp, "timestamp_millis": True},
            "sign",
            {"method": "POST", "path": v2_path, "body": v2_body, "token": v2_token,
             "timestamp_ms": 1704078000007, "extra": {"external_id": ext}})
    assert hdr(v, "X-TIMESTAMP") == "2024-01-01T10:00:00.007+07:00"
    v = vec("snap-utc-offset-zero", "snap",
            "utc_offset_minutes 0 prints +00:00 (not Z)", SELF, {**snp, "utc_offset_minutes": 0}, "sign",
            {"method": "POST", "path": v2_path, "body": v2_body, "token": v2_token,
             "timestamp_ms": v2_ts_ms, "extra": {"external_id": ext}})
    assert hdr(v, "X-TIMESTAMP") == "2024-01-01T03:00:00+00:00"
    v = vec("snap-utc-offset-negative", "snap",
            "negative, non-whole-hour utc_offset_minutes -210 prints -03:30 (and the date rolls back)",
            SELF, {**snp, "utc_offset_minutes": -210}, "sign",
            {"method": "POST", "path": v2_path, "body": v2_body, "token": v2_token,
             "timestamp_ms": 1704069000000, "extra": {"external_id": ext}})
    assert hdr(v, "X-TIMESTAMP") == "2023-12-31T21:00:00-03:30"
    v = vec("netzme-snap-channel-id", "snap",
            "channel_id configured: CHANNEL-ID after X-EXTERNAL-ID, before Content-Type", SELF,
            {**nzs, "channel_id": "44444"}, "sign",
            {"method": "POST", "path": "/api/v1.0/payment/balance-inquiry",
             "body": '{"partnerReferenceNo":"BAL-0001","accountNo":"6281234567890"}',
             "token": snap_token, "timestamp_ms": 1717200000000,
             "extra": {"external_id": "55555555555555555555555555555555"}})
    assert [h[0] for h in v["expect"]["headers"]][-2:] == ["CHANNEL-ID", "Content-Type"]
    vec("snap-missing-token", "snap", "sign without a token fails", STATUS, snp, "sign",
        {"method": "POST", "path": v2_path, "body": v2_body, "token": "", "timestamp_ms": v2_ts_ms,
         "extra": {"external_id": ext}}, "PAYAUTH_MISSING_TOKEN")

    # ---------------- SNAP B2B token signature (RSA) ----------------
    tok1 = vec("snap-token-rsa-pkcs1-pem", "snap",
               "B2B access-token headers, X-SIGNATURE = base64(SHA256withRSA(client_id|ts)); key as "
               "PKCS#1 PEM; timestamp via extra.timestamp", SELF_RSA,
               {**snp, "private_key": PEM_PKCS1}, "token_headers",
               {"timestamp_ms": 0, "extra": {"timestamp": v2_ts}})
    vec("snap-token-rsa-pkcs8-pem", "snap",
        "B2B access-token headers with the same key as PKCS#8 PEM; utc_offset_minutes 0 "
        "(2024-01-01T03:00:00+00:00, the WooCommerce plugin's gmdate(DATE_ATOM) form)", SELF_RSA,
        {**snp, "private_key": PEM_PKCS8, "utc_offset_minutes": 0}, "token_headers",
        {"timestamp_ms": v2_ts_ms})
    tokb = vec("netzme-snap-token-rsa-bare-base64", "snap",
               "B2B access-token headers with the key as bare base64 PKCS#1 DER (no PEM armour, as "
               "Netzme issues keys); timestamp_ms with the default offset 420 -> same string and "
               "signature as snap-token-rsa-pkcs1-pem", SELF_RSA,
               {**nzs, "private_key": BARE_B64}, "token_headers", {"timestamp_ms": v2_ts_ms})
    assert tok1["expect"]["headers"] == tokb["expect"]["headers"]
    vec("snap-token-key-too-small", "snap", "a 1024-bit RSA key is rejected when the signer is built",
        STATUS, {**snp, "private_key": PEM_1024}, "signer_new", {}, "PAYAUTH_KEY_TOO_SMALL")

    # ---------------- paynet-jws (docs/gateways.md) ----------------
    jws = {"profile": "paynet-jws", "client_id": "BOEEMYK1", "private_key": PEM_PKCS1}
    off_body = '{"data":{"businessMessageId":"20230412BOEEMYK1000ORB00000001","clientMessage":"Client hello"}}'
    v = vec("paynet-jws-official-body-hash", "paynet-jws",
            "RS256 compact JWS over the official §1.4 body; ds must equal the published SHA-256; "
            "with jws_key", "docs/gateways.md (official body hash) + self-computed RSA",
            {**jws, "jws_key": "64feb830"}, "sign",
            {"method": "POST", "path": "/v3/admin/sign-off", "body": off_body, "token": "",
             "timestamp_ms": 1700000000123, "extra": {"message_id": "20230412BOEEMYK1000ORB00000001"}})
    assert v["expect"]["explain"]["body_sha256"] == \
        "8fc1f5ed05596aa2952e68ac221f31ee8a87641315c7b091f0bd41266d380739"
    vec("paynet-jws-rs512", "paynet-jws",
        "RS512 with jws_ttl_s 300 and api_version 2.0.0", SELF_RSA,
        {**jws, "jws_key": "64feb830", "jws_alg": "RS512", "jws_ttl_s": 300, "api_version": "2.0.0"},
        "sign",
        {"method": "POST", "path": "/v3/admin/sign-off", "body": off_body, "token": "",
         "timestamp_ms": 1700000000123, "extra": {"message_id": "20230412BOEEMYK1000ORB00000002"}})
    v = vec("paynet-jws-empty-body", "paynet-jws",
            "empty body (ds = SHA-256 of nothing); no jws_key, so no key claim", SELF_RSA, jws, "sign",
            {"method": "GET", "path": "/v3/admin/status", "body": "", "token": "",
             "timestamp_ms": 1717200000000, "extra": {"message_id": "20240601BOEEMYK1000ORB00000003"}})
    assert '"key"' not in v["expect"]["explain"]["jws_claims"]
    vec("paynet-jws-non-ascii-body", "paynet-jws",
        "non-ASCII UTF-8 body: ds covers the raw UTF-8 bytes", SELF_RSA, {**jws, "jws_key": "64feb830"},
        "sign",
        {"method": "POST", "path": "/v3/consent/create",
         "body": '{"data":{"businessMessageId":"20240601BOEEMYK1000ORB00000004",'
                 '"customerName":"Zoë Ng – 陈大文"}}',
         "token": "", "timestamp_ms": 1717200000000,
         "extra": {"message_id": "20240601BOEEMYK1000ORB00000004"}})
    v = vec("paynet-jws-extra-header", "paynet-jws",
            "jws_header members appended in order after alg and typ", SELF_RSA,
            {**jws, "jws_key": "64feb830", "jws_header": {"kid": "k1", "x5t": "dGVzdC10aHVtYnByaW50"}},
            "sign",
            {"method": "POST", "path": "/v3/admin/sign-off", "body": off_body, "token": "",
             "timestamp_ms": 1700000000123, "extra": {"message_id": "20230412BOEEMYK1000ORB00000005"}})
    assert v["expect"]["explain"]["jws_header"] == \
        '{"alg":"RS256","typ":"JWT","kid":"k1","x5t":"dGVzdC10aHVtYnByaW50"}'
    vec("paynet-jws-missing-message-id", "paynet-jws", "sign without extra.message_id fails", STATUS,
        jws, "sign",
        {"method": "POST", "path": "/v3/admin/sign-off", "body": off_body, "token": "",
         "timestamp_ms": 1700000000123, "extra": {}}, "PAYAUTH_MISSING_REQUEST_FIELD")
    vec("paynet-jws-key-too-small", "paynet-jws", "a 1024-bit RSA key is rejected", STATUS,
        {**jws, "private_key": PEM_1024}, "signer_new", {}, "PAYAUTH_KEY_TOO_SMALL")

    # ---------------- paynet DOBW (docs/gateways.md) ----------------
    cid = "ACMEMYK1"
    day = "20240115"
    pn = {"profile": "paynet", "client_id": cid, "client_secret": "s3cr3t-paynet-client-secret",
          "signature_key": "4F2A9C1D7E3B5A60"}
    pn_token = "eyJhbGciOiJSUzI1NiJ9.eyJzY29wZSI6InJwcDptZXJjaGFudCJ9.c2ln"
    msg650, txn650 = f"{day}{cid}650OBW00000001", f"{day}{cid}65000000001"
    v = vec("paynet-dobw-650-bank-list", "paynet",
            "DOBW bank list (650): clientId+RPPEMYKL+messageId+transactionId+messageId+clientId; "
            "key as PKCS#8 PEM; with signature_key and a token", SELF_RSA,
            {**pn, "private_key": PEM_PKCS8}, "sign",
            {"method": "GET",
             "path": f"/merchants/v1/payments/lists/bank?clientId={cid}&messageId={msg650}"
                     f"&transactionId={txn650}",
             "body": "", "token": pn_token, "timestamp_ms": 1705305600000,
             "extra": {"fields": [cid, "RPPEMYKL", msg650, txn650, msg650, cid]}})
    assert v["expect"]["explain"]["string_to_sign"] == cid + "RPPEMYKL" + msg650 + txn650 + msg650 + cid
    msg861, txn861 = f"{day}{cid}861OBW00000002", f"{day}{cid}86100000002"
    body861 = json.dumps({"clientId": cid, "messageId": msg861, "transactionId": txn861,
                          "endToEndId": msg861, "amount": "100.00", "sourceOfFunds": ["01"]},
                         separators=(",", ":"))
    vec("paynet-dobw-861-initiate", "paynet",
        "DOBW initiate payment (861): clientId+RPPEMYKL+messageId+transactionId+RPPEMYKL+messageId"
        "+amount(\"100.00\")+clientId; key as PKCS#1 PEM; with signature_key and a token", SELF_RSA,
        {**pn, "private_key": PEM_PKCS1}, "sign",
        {"method": "POST", "path": "/merchants/v1/payments/redirect", "body": body861, "token": pn_token,
         "timestamp_ms": 1705305600000,
         "extra": {"fields": [cid, "RPPEMYKL", msg861, txn861, "RPPEMYKL", msg861, "100.00", cid]}})
    msg864, txn864 = f"{day}{cid}864OBW00000003", f"{day}{cid}86400000003"
    pn_nokey = {k: v for k, v in pn.items() if k != "signature_key"}
    vec("paynet-dobw-864-status", "paynet",
        "DOBW status inquiry (864): clientId+RPPEMYKL+messageId+transactionId+endToEndId+endToEndId; "
        "key as bare base64; no signature_key, so no X-Signature-Key", SELF_RSA,
        {**pn_nokey, "private_key": BARE_B64}, "sign",
        {"method": "GET",
         "path": f"/merchants/v1/payments/payment/status?clientId={cid}&messageId={msg864}"
                 f"&transactionId={txn864}&endToEndId={msg861}",
         "body": "", "token": pn_token, "timestamp_ms": 1705305600000,
         "extra": {"fields": [cid, "RPPEMYKL", msg864, txn864, msg861, msg861]}})
    v = vec("paynet-dobw-string-to-sign", "paynet",
            "the string to sign given whole via extra.string_to_sign (same string as the 861 case)",
            SELF_RSA, {**pn, "private_key": PEM_PKCS1}, "sign",
            {"method": "POST", "path": "/merchants/v1/payments/redirect", "body": body861,
             "token": pn_token, "timestamp_ms": 1705305600000,
             "extra": {"string_to_sign": "".join([cid, "RPPEMYKL", msg861, txn861, "RPPEMYKL", msg861,
                                                  "100.00", cid])}})
    assert v["expect"]["headers"] == VECTORS["paynet-dobw-861-initiate"]["expect"]["headers"]
    vec("paynet-dobw-no-token", "paynet",
        "fields but no token: X-Signature and X-Signature-Key only", SELF_RSA,
        {**pn, "private_key": PEM_PKCS1}, "sign",
        {"method": "GET",
         "path": f"/merchants/v1/payments/lists/bank?clientId={cid}&messageId={msg650}"
                 f"&transactionId={txn650}",
         "body": "", "token": "", "timestamp_ms": 1705305600000,
         "extra": {"fields": [cid, "RPPEMYKL", msg650, txn650, msg650, cid]}})
    vec("paynet-token-only", "paynet",
        "OAuth2 API call without fields: only Authorization: Bearer (no signature headers)", SELF,
        {**pn, "private_key": PEM_PKCS1}, "sign",
        {"method": "GET", "path": "/rpp/v1/merchant/status", "body": "", "token": pn_token,
         "timestamp_ms": 1705305600000})

    # ---------------- azupay (docs/gateways.md) ----------------
    az = {"profile": "azupay", "api_key": "SECR528792_c0e35aad-c9a8-45e8-be41-30794f138b9c_ckid445474d1d"}
    az_body = '{"PaymentRequest":{"clientId":"528792","clientTransactionId":"TX-0001",' \
              '"paymentAmount":12.5,"paymentDescription":"Order #1"}}'
    vec("azupay-api-key", "azupay", "raw API key in Authorization, no scheme, no HMAC", SELF, az, "sign",
        {"method": "POST", "path": "/v1/paymentRequest", "body": az_body, "token": "",
         "timestamp_ms": 1717200000000})
    vec("azupay-oauth-token", "azupay", "OAuth2 token given: Authorization: Bearer <token> replaces the key",
        SELF, az, "sign",
        {"method": "POST", "path": "/v1/paymentRequest", "body": az_body,
         "token": "eyJraWQiOiJhenUifQ.eyJzY29wZSI6InBheW1lbnRzIn0.c2ln", "timestamp_ms": 1717200000000})
    az_h1 = {**az, "hmac": {
        "secret": "HMAC_cdeijed78y3jdnjdfhjjnm", "hash": "sha256", "key_encoding": "utf8",
        "output": "hex", "template": "{method}\n{path}\n{query}\n{timestamp}\n{body_sha256}",
        "timestamp_format": "unix_ms", "signature_header": "X-Azupay-Signature",
        "timestamp_header": "X-Azupay-Timestamp"}}
    vec("azupay-hmac-sha256-hex-unix-ms", "azupay",
        "HMAC config 1: sha256, hex, utf8 key (whole HMAC_… string), unix_ms, newline template with "
        "query and body_sha256", SELF, az_h1, "sign",
        {"method": "GET", "path": "/v1/paymentRequest?paymentRequestId=abc123&status=PENDING",
         "body": "", "token": "", "timestamp_ms": 1717200000123})
    az_h2 = {**az, "hmac": {
        "secret": "HMAC_cdeijed78y3jdnjdfhjjnm", "hash": "sha512", "key_encoding": "strip_prefix",
        "output": "base64", "template": "{timestamp}|{method}|{path}|{body}",
        "timestamp_format": "iso8601", "signature_header": "X-Signature",
        "timestamp_header": "X-Timestamp"}}
    vec("azupay-hmac-sha512-base64-iso8601", "azupay",
        "HMAC config 2: sha512, base64, key with HMAC_ prefix stripped, iso8601 at the default "
        "offset 0 (+00:00), raw body in the template", SELF, az_h2, "sign",
        {"method": "POST", "path": "/v1/paymentRequest", "body": az_body, "token": "",
         "timestamp_ms": 1717200000123})
    az_h3 = {**az, "hmac": {
        "secret": b64(bytes(range(1, 33))), "hash": "sha256", "key_encoding": "base64",
        "output": "hex_upper", "template": "{key_id}:{timestamp}:{method}:{path}:{query}:{body_sha256}",
        "timestamp_format": "unix_s", "signature_header": "X-HMAC-Signature",
        "timestamp_header": "X-HMAC-Timestamp", "key_id": "ckid445474d1d",
        "key_id_header": "X-HMAC-Key-Id"}}
    vec("azupay-hmac-sha256-hex-upper-key-id", "azupay",
        "HMAC config 3: sha256, upper-case hex, base64-decoded key, unix_s, {key_id} in the template "
        "and a key_id_header (between timestamp and signature headers)", SELF, az_h3, "sign",
        {"method": "POST", "path": "/v1/payment?dryRun=true", "body": az_body, "token": "",
         "timestamp_ms": 1717200000999})
    bad = {k: v for k, v in az_h1["hmac"].items() if k != "template"}
    vec("azupay-hmac-missing-template", "azupay",
        "an hmac object without template is rejected (no default for the unpublished scheme)",
        STATUS, {**az, "hmac": bad}, "signer_new", {}, "PAYAUTH_CONFIG_MISSING_FIELD")

    # ---------------- paytia (docs/gateways.md) ----------------
    pt = {"profile": "paytia", "api_key": "pk_test_4f9c2b7e1a8d4c6b9e0f3a2d"}
    pt_tok = "8b1f3c0e5d7a49c2a6e4b9d1f0c3e7a2"
    vec("paytia-api-key", "paytia", "X-API-KEY only", SELF, pt, "sign",
        {"method": "POST", "path": "/api/payment_service", "body": "", "token": "",
         "timestamp_ms": 1717200000000})
    vec("paytia-access-token", "paytia", "enhanced security: X-API-KEY then ACCESS-TOKEN", SELF,
        {**pt, "client_id": "hgCHZzsrsBpDZFwzEzDNSdEsApP1qwa86NxVswjfM0IA=", "client_secret": "c2VjcmV0LXBheXRpYQ=="},
        "sign",
        {"method": "POST", "path": "/api/payment_service", "body": "", "token": pt_tok,
         "timestamp_ms": 1717200000000})
    vec("paytia-custom-token-header", "paytia", "token_header X-Access-Token replaces ACCESS-TOKEN",
        SELF, {**pt, "token_header": "X-Access-Token"}, "sign",
        {"method": "GET", "path": "/api/payment_service?reference_number=R1", "body": "", "token": pt_tok,
         "timestamp_ms": 1717200000000})

    # ---------------- verify ----------------
    def verify_pair(id_, scheme, base_id, config, tamper, what):
        b = VECTORS[base_id]
        bi = b["input"]
        sig_header = {"paynet-reports": "X-Signature", "netzme": "Signature", "snap": "X-SIGNATURE",
                      "netzme-snap": "X-SIGNATURE"}.get(config["profile"])
        if config["profile"] == "azupay":
            sig_header = config["hmac"]["signature_header"]
            ts_header = config["hmac"]["timestamp_header"]
        else:
            ts_header = {"paynet-reports": "X-Timestamp", "netzme": "Request-Time"}.get(
                config["profile"], "X-TIMESTAMP")
        good = {"method": bi["method"], "path": bi["path"], "body": bi["body"], "token": bi["token"],
                "timestamp": hdr(b, ts_header), "signature": hdr(b, sig_header)}
        vec(id_ + "-ok", scheme, f"verify the signature of {base_id}: accepted",
            f"self-computed (from vector {base_id})", config, "verify", good)
        vec(id_ + "-tampered", scheme, f"verify {base_id} with {what}: rejected",
            f"self-computed (from vector {base_id})", config, "verify", tamper(dict(good)),
            "PAYAUTH_SIGNATURE_MISMATCH")

    def flip_char(s, i):
        # Replace one character with another of the same class (stays valid hex/base64).
        c = s[i]
        if c in "0123456789":
            r = "1" if c != "1" else "2"
        elif c.islower():
            r = "a" if c != "a" else "b"
        else:
            r = "A" if c != "A" else "B"
        return s[:i] + r + s[i + 1:]

    def t_sig(i):
        def f(d):
            d["signature"] = flip_char(d["signature"], i)
            return d
        return f

    def t_body(d):
        d["body"] = d["body"].replace("10000.00", "10000.01").replace("15000.00", "15000.01")
        assert d["body"] != "" and "0.01" in d["body"]
        return d

    verify_pair("verify-paynet-reports", "paynet-reports", "paynet-reports-vector", rep, t_sig(63),
                "the last hex digit of the signature changed")
    verify_pair("verify-netzme", "netzme", "netzme-legacy-post-json", nz, t_body,
                "the body changed (amount 15000.00 -> 15000.01)")
    verify_pair("verify-netzme-snap-hex", "snap", "netzme-snap-v2-hex", nzs, t_sig(5),
                "one hex digit of the signature changed")
    verify_pair("verify-snap-base64", "snap", "snap-v2-base64", snp, t_body,
                "the body changed (10000.00 -> 10000.01)")
    verify_pair("verify-azupay-hmac", "azupay", "azupay-hmac-sha256-hex-unix-ms", az_h1, t_sig(0),
                "the first hex digit of the signature changed")
    # A second SNAP base64 tamper: one base64 character of the signature changed.
    b = VECTORS["verify-snap-base64-ok"]["input"]
    vec("verify-snap-base64-sig-char", "snap",
        "verify snap-v2-base64 with one base64 character of the signature changed: rejected",
        "self-computed (from vector snap-v2-base64)", snp, "verify",
        {**b, "signature": flip_char(b["signature"], 10)}, "PAYAUTH_SIGNATURE_MISMATCH")

    # ---------------- minify ----------------
    pretty = (
        '{\n'
        '  "data": {\n'
        '    "businessMessageId": "20230412BOEEMYK1000ORB00000001",\n'
        '    "clientMessage": "Client hello",\n'
        '    "items": [\n'
        '      { "sku": "A-1", "qty": 2, "price": 12.50 },\n'
        '      { "sku": "B-2", "qty": 1, "price": -0.5e+3, "tags": [ ] }\n'
        '    ],\n'
        '    "flags": { "express": true, "gift": false, "note": null },\n'
        '    "empty": { }\n'
        '  }\n'
        '}\n'
    )
    v = vec("minify-pretty-nested", "minify",
            "pretty-printed JSON with nested objects/arrays -> compact; numbers kept as written",
            "self-computed (python minifier)", None, "minify", {"json": pretty})
    assert v["expect"]["output"] == (
        '{"data":{"businessMessageId":"20230412BOEEMYK1000ORB00000001","clientMessage":"Client hello",'
        '"items":[{"sku":"A-1","qty":2,"price":12.50},{"sku":"B-2","qty":1,"price":-0.5e+3,"tags":[]}],'
        '"flags":{"express":true,"gift":false,"note":null},"empty":{}}}')
    esc = ('{ "zeta" : "a b  c" ,\n  "alpha": "say \\"hi\\"  there",\n  "url" : "https:\\/\\/example.com\\/x y",'
           '\n  "cafe": "caf\\u00e9",\n  "raw": "Budi Santoso – café 日本 ",\n  "tab\\t": "\\\\" ,'
           '\n  "mid": [ "x" , { "k" : "v" } ]\n}')
    v = vec("minify-string-escapes", "minify",
            "strings with spaces, \\\", \\/, \\u00e9 and raw non-ASCII kept byte-for-byte; key order kept",
            "self-computed (python minifier)", None, "minify", {"json": esc})
    assert v["expect"]["output"] == (
        '{"zeta":"a b  c","alpha":"say \\"hi\\"  there","url":"https:\\/\\/example.com\\/x y",'
        '"cafe":"caf\\u00e9","raw":"Budi Santoso – café 日本 ","tab\\t":"\\\\","mid":["x",{"k":"v"}]}')
    vec("minify-whitespace-kinds", "minify",
        "all four insignificant whitespace characters (space, tab, CR, LF) are removed",
        "self-computed (python minifier)", None, "minify",
        {"json": '\r\n\t[ 1 ,\t2 ,\r\n 3 , "a\\nb" , { "k" :\t[ ] } ]\r\n'})
    vec("minify-already-compact", "minify", "already compact JSON is returned unchanged",
        "self-computed (python minifier)", None, "minify", {"json": v2_body})
    assert VECTORS["minify-already-compact"]["expect"]["output"] == v2_body
    vec("minify-invalid-unterminated-string", "minify", "an unterminated string is invalid JSON",
        STATUS, None, "minify", {"json": '{"name": "Budi'}, "PAYAUTH_JSON_INVALID")


    # ---------------- bodies as HTTP libraries send them (docs/profiles.md "Bodies") ----------------
    pretty = ('{\n  "partnerReferenceNo": "ORDER-003",\n  "amount": {\n    "value": "10000.00",\n'
              '    "currency": "IDR"\n  },\n  "note": "kopi susu  x2"\n}\n')
    php_pretty = ('{\n    "merchantId": "M_pXAFWzCg",\n    "url": "https:\\/\\/shop.example\\/cb",\n'
                  '    "customerName": "Caf\\u00e9 Zo\\u00eb",\n    "items": [\n        {\n'
                  '            "sku": "A\\/1",\n            "qty": 2\n        }\n    ]\n}')
    v = vec("snap-pretty-body", "snap",
            "a pretty-printed JSON body (requests' json=, JSON.stringify(x, null, 2)): the digest covers "
            "the minified body and the result carries it to send", SELF, snp, "sign",
            {"method": "POST", "path": "/api/v1.0/invoice/create", "body": pretty, "token": snap_token,
             "timestamp_ms": 1717200000000, "extra": {"external_id": "31415926535897932384626433832795"}})
    assert v["expect"]["body"] == minify(pretty) and v["expect"]["explain"]["body_form"].startswith("minified")
    v = vec("netzme-snap-php-escaped-body", "snap",
            "a PHP json_encode(JSON_PRETTY_PRINT) body: 4-space indent, \\/ and \\u00e9 escapes kept "
            "byte for byte in the minified form", SELF, nzs, "sign",
            {"method": "POST", "path": "/api/v1.0/invoice/create-transaction", "body": php_pretty,
             "token": snap_token, "timestamp_ms": 1717200000000,
             "extra": {"external_id": "27182818284590452353602874713526"}})
    assert "\\/" in v["expect"]["body"] and "\\u00e9" in v["expect"]["body"] and "\n" not in v["expect"]["body"]
    v = vec("snap-body-form-exact", "snap",
            "body_form exact: the digest covers the pretty body as given, nothing else to send", SELF,
            {**snp, "body_form": "exact"}, "sign",
            {"method": "POST", "path": "/api/v1.0/invoice/create", "body": pretty, "token": snap_token,
             "timestamp_ms": 1717200000000, "extra": {"external_id": "31415926535897932384626433832795"}})
    assert "body" not in v["expect"]
    v = vec("snap-non-json-body", "snap", "a body that is not JSON is covered as it is", SELF, snp, "sign",
            {"method": "POST", "path": "/api/v1.0/upload", "body": "a=1 & b=2", "token": snap_token,
             "timestamp_ms": 1717200000000, "extra": {"external_id": "1"}})
    assert v["expect"]["explain"]["body_form"] == "exact bytes (not JSON)" and "body" not in v["expect"]
    v = vec("paynet-jws-pretty-body", "paynet-jws",
            "a pretty-printed body: ds is the SHA-256 of the minified body, which the result carries",
            SELF_RSA, {**jws, "jws_key": "64feb830"}, "sign",
            {"method": "POST", "path": "/v3/admin/sign-off",
             "body": '{\n  "data": {\n    "businessMessageId": "20230412BOEEMYK1000ORB00000001",\n'
                     '    "clientMessage": "Client hello"\n  }\n}\n', "token": "",
             "timestamp_ms": 1700000000123, "extra": {"message_id": "20230412BOEEMYK1000ORB00000001"}})
    # The official body, minified, has the official hash.
    assert v["expect"]["explain"]["body_sha256"] == \
        "8fc1f5ed05596aa2952e68ac221f31ee8a87641315c7b091f0bd41266d380739"
    vec("paynet-jws-php-escaped-body", "paynet-jws", "a PHP-escaped pretty body: escapes kept, whitespace gone",
        SELF_RSA, {**jws, "jws_key": "64feb830"}, "sign",
        {"method": "POST", "path": "/v3/consent/create", "body": php_pretty, "token": "",
         "timestamp_ms": 1717200000000, "extra": {"message_id": "20240601BOEEMYK1000ORB00000005"}})
    v = vec("netzme-legacy-pretty-body", "netzme",
            "a pretty-printed body: the payload carries the minified body, which the result carries to send",
            SELF, nz, "sign",
            {"method": "POST", "path": "/api/aggregator/merchant/qr/invoice",
             "body": '{\n  "merchantId": "M_pXAFWzCg",\n  "amount": {"value": "15000.00", "currency": "IDR"}\n}',
             "token": nz_token, "timestamp_ms": 1700000000123})
    assert v["expect"]["explain"]["string_to_sign"].endswith(
        '&body={"merchantId":"M_pXAFWzCg","amount":{"value":"15000.00","currency":"IDR"}}')
    b = VECTORS["snap-pretty-body"]
    vec("verify-snap-pretty-body-ok", "snap",
        "an inbound request with the pretty body verifies against the signature over its minified form",
        "self-computed (from vector snap-pretty-body)", snp, "verify",
        {"method": "POST", "path": b["input"]["path"], "body": pretty, "token": snap_token,
         "timestamp": hdr(b, "X-TIMESTAMP"), "signature": hdr(b, "X-SIGNATURE")})
    vec("minify-empty", "minify", "an empty body minifies to an empty body (a GET)",
        "self-computed (python minifier)", None, "minify", {"json": ""})

    # ---------------- request validation ----------------
    for id_, path in [("empty", ""), ("relative", "relative/x"), ("absolute-url", "http://host/x"),
                      ("fragment", "/a#frag"), ("network-path", "//host/x")]:
        vec(f"sign-path-{id_}", "validation", f"the path {path!r} is not origin-form: refused", STATUS,
            rep, "sign", {"method": "GET", "path": path, "body": "", "token": "", "timestamp_ms": 1700000000000},
            "PAYAUTH_INVALID_ARGUMENT")
    for id_, ext_id in [("letters", "abc"), ("37-digits", "1" * 37), ("empty", "")]:
        vec(f"snap-external-id-{id_}", "validation",
            f"a caller-given X-EXTERNAL-ID {ext_id!r} breaks the SNAP rule (1-36 digits): refused", STATUS,
            snp, "sign", {"method": "GET", "path": "/api/v1.0/x", "body": "", "token": snap_token,
                          "timestamp_ms": 1717200000000, "extra": {"external_id": ext_id}},
            "PAYAUTH_INVALID_ARGUMENT")
    vec("snap-external-id-36-digits", "validation", "36 digits is the longest X-EXTERNAL-ID accepted", SELF,
        snp, "sign", {"method": "GET", "path": "/api/v1.0/x", "body": "", "token": snap_token,
                      "timestamp_ms": 1717200000000, "extra": {"external_id": "9" * 36}})
    vec("config-empty-inline-secret", "config", "an empty client_secret is refused (it would sign with an "
        "empty key)", STATUS, {**nz, "client_secret": ""}, "signer_new", {}, "PAYAUTH_CONFIG_SECRET_SOURCE")
    vec("config-netzme-colon-client-id", "config", "a Basic client_id cannot contain ':' (RFC 7617)", STATUS,
        {**nz, "client_id": "toko:1"}, "signer_new", {}, "PAYAUTH_CONFIG_INVALID_FIELD")
    vec("config-azupay-signature-header-authorization", "config",
        "an HMAC signature_header named Authorization would send two Authorization headers", STATUS,
        {**az_h1, "hmac": {**az_h1["hmac"], "signature_header": "authorization"}}, "signer_new", {},
        "PAYAUTH_CONFIG_INVALID_FIELD")
    vec("config-azupay-headers-collide", "config", "signature and timestamp headers with one name", STATUS,
        {**az_h1, "hmac": {**az_h1["hmac"], "signature_header": az_h1["hmac"]["timestamp_header"].upper()}},
        "signer_new", {}, "PAYAUTH_CONFIG_INVALID_FIELD")
    vec("config-body-form-invalid", "config", "body_form must be minified or exact", STATUS,
        {**snp, "body_form": "pretty"}, "signer_new", {}, "PAYAUTH_CONFIG_INVALID_FIELD")
    t = vec("snap-token-rsa-pem-spaces", "snap",
            "the private key PEM with spaces where its newlines were (as SNAP SDK documents print it): "
            "read like the original", SELF_RSA,
            {**snp, "private_key": PEM_PKCS1.replace("\n", " ")}, "token_headers",
            {"timestamp_ms": 0, "extra": {"timestamp": v2_ts}})
    assert t["expect"]["headers"] == tok1["expect"]["headers"]

    # ---------------- PayNet DuitNow Pay (docs/gateways.md) ----------------
    dp = {"profile": "paynet-duitnow-pay", "client_id": "TESTACQ1", "merchant_id": "MERCHANT0001",
          "merchant_key": "mk-test-2024", "private_key": PEM_PKCS1}
    dp_body = '{"amount":"25.00","currency":"MYR","reference":"INV-0001"}'
    v = vec("paynet-duitnow-pay-post", "paynet-duitnow-pay",
            "RS256 JWT with exp, iss, sub, jti, key and data (the body as sent, as a string)", SELF_RSA, dp,
            "sign", {"method": "POST", "path": "/v1/duitnow-pay/payments", "body": dp_body, "token": "",
                     "timestamp_ms": 1717200000000,
                     "extra": {"message_id": "3f1c2d4e-5a6b-4c7d-8e9f-0a1b2c3d4e5f"}})
    assert json.loads(v["expect"]["explain"]["jws_claims"])["data"] == dp_body
    vec("paynet-duitnow-pay-get", "paynet-duitnow-pay", "a GET: data is the empty string", SELF_RSA,
        {**dp, "jws_ttl_s": 300}, "sign",
        {"method": "GET", "path": "/v1/duitnow-pay/payments/INV-0001", "body": "", "token": "",
         "timestamp_ms": 1717200000000, "extra": {"message_id": "0a1b2c3d-4e5f-4a7b-9c9d-0e1f2a3b4c5d"}})
    vec("paynet-duitnow-pay-bare-jwt", "paynet-duitnow-pay",
        "authorization_prefix \"\": the JWT alone in Authorization; a non-ASCII body in data", SELF_RSA,
        {**dp, "authorization_prefix": ""}, "sign",
        {"method": "POST", "path": "/v1/duitnow-pay/payments", "body": '{"payer":"Zoë – 陈"}', "token": "",
         "timestamp_ms": 1717200000000, "extra": {"message_id": "b3a1e6d2-7c44-4f1a-8e2b-5d9c0f1e2a3b"}})
    vec("config-duitnow-pay-missing-merchant-id", "config", "paynet-duitnow-pay needs merchant_id", STATUS,
        {k: v for k, v in dp.items() if k != "merchant_id"}, "signer_new", {}, "PAYAUTH_CONFIG_MISSING_FIELD")

    # ---------------- inbound RSA verification (gateway_public_key) ----------------
    gw_key = load_private_key(PEM_PKCS1)   # the test key stands in for the gateway's
    other_key = load_private_key(OTHER_PRIVATE)
    dobw_msg = "".join([cid, "RPPEMYKL", msg861, txn861, "RPPEMYKL", msg861, "100.00", cid])
    dobw_sig = b64(rsa_sign(gw_key, dobw_msg.encode()))
    pn_gw = {**pn_nokey, "gateway_public_key": PUB_SPKI}
    vec("verify-rsa-dobw-ok", "rsa-verify", "a DOBW X-Signature over the concatenated fields, key as PUBLIC KEY",
        SELF_RSA, pn_gw, "verify_rsa", {"message": dobw_msg, "signature": dobw_sig})
    vec("verify-rsa-dobw-certificate-ok", "rsa-verify", "the same with the key as an X.509 CERTIFICATE",
        SELF_RSA, {**pn_gw, "gateway_public_key": PUB_CERT}, "verify_rsa",
        {"message": dobw_msg, "signature": dobw_sig})
    vec("verify-rsa-dobw-pkcs1-ok", "rsa-verify", "the same with the key as RSA PUBLIC KEY (PKCS#1)",
        SELF_RSA, {**pn_gw, "gateway_public_key": PUB_PKCS1}, "verify_rsa",
        {"message": dobw_msg, "signature": dobw_sig})
    vec("verify-rsa-dobw-tampered", "rsa-verify", "one field changed (amount 100.00 -> 100.01): rejected",
        SELF_RSA, pn_gw, "verify_rsa", {"message": dobw_msg.replace("100.00", "100.01"), "signature": dobw_sig},
        "PAYAUTH_SIGNATURE_MISMATCH")
    vec("verify-rsa-dobw-other-key", "rsa-verify", "signed with another key: rejected", SELF_RSA, pn_gw,
        "verify_rsa", {"message": dobw_msg, "signature": b64(rsa_sign(other_key, dobw_msg.encode()))},
        "PAYAUTH_SIGNATURE_MISMATCH")
    vec("verify-rsa-no-gateway-key", "rsa-verify", "no gateway_public_key configured", STATUS, pn_nokey,
        "verify_rsa", {"message": dobw_msg, "signature": dobw_sig}, "PAYAUTH_CONFIG_MISSING_FIELD")
    b2b = "TokoNetmeClientId|" + v2_ts
    vec("verify-rsa-snap-token-ok", "rsa-verify",
        "an inbound SNAP B2B token request: X-SIGNATURE over client_key|X-TIMESTAMP, key as bare base64",
        SELF_RSA, {**snp, "gateway_public_key": PUB_BARE}, "verify_rsa",
        {"message": b2b, "signature": b64(rsa_sign(gw_key, b2b.encode()))})
    notif_path = "/v1.0/qr/qr-mpm-notify"
    notif_ts = "2024-06-01T10:00:00+07:00"
    notif_msg = ":".join(["POST", notif_path, sha256_hex(minify(pretty).encode()), notif_ts])
    notif_sig = b64(rsa_sign(gw_key, notif_msg.encode()))
    snp_gw = {**snp, "gateway_public_key": PUB_SPKI}
    vec("verify-snap-rsa-ok", "rsa-verify",
        "SNAP asymmetric service signature of a callback with a pretty body: "
        "METHOD:path:lowerhex(SHA-256(minify(body))):X-TIMESTAMP", SELF_RSA, snp_gw, "verify_snap_rsa",
        {"method": "POST", "path": notif_path, "body": pretty, "timestamp": notif_ts, "signature": notif_sig})
    vec("verify-snap-rsa-tampered-body", "rsa-verify", "the callback body changed: rejected", SELF_RSA, snp_gw,
        "verify_snap_rsa", {"method": "POST", "path": notif_path, "body": pretty.replace("10000.00", "10000.01"),
                            "timestamp": notif_ts, "signature": notif_sig}, "PAYAUTH_SIGNATURE_MISMATCH")
    vec("verify-snap-rsa-other-timestamp", "rsa-verify", "another X-TIMESTAMP: rejected", SELF_RSA, snp_gw,
        "verify_snap_rsa", {"method": "POST", "path": notif_path, "body": pretty,
                            "timestamp": "2024-06-01T10:00:01+07:00", "signature": notif_sig},
        "PAYAUTH_SIGNATURE_MISMATCH")

    def response_jws(claims, alg="RS256", key=gw_key):
        h = b64url_nopad(compact_json({"alg": alg, "typ": "JWT"}).encode())
        c = b64url_nopad(compact_json(claims).encode())
        sig = rsa_sign(key, (h + "." + c).encode(), {"RS256": "sha256", "RS512": "sha512"}[alg])
        return h + "." + c + "." + b64url_nopad(sig)

    resp_body = ('{\n  "data": {\n    "businessMessageId": "20240601PYNEMYK1000ORB00000001",\n'
                 '    "code": "ACTC",\n    "reason": "U000"\n  }\n}\n')
    resp_claims = {"iss": "PYNEMYK1", "iat": 1717200000, "exp": 1717200900,
                   "jti": "20240601PYNEMYK1000ORB00000001",
                   "ds": sha256_hex(minify(resp_body).encode())}
    jws_gw = {**jws, "gateway_public_key": PUB_CERT}
    good_jws = response_jws(resp_claims)
    vec("verify-jws-response-ok", "rsa-verify",
        "a PayNet response JWS: RS256 signature with the certificate, then ds against the minified body",
        SELF_RSA, jws_gw, "verify_jws", {"jws": good_jws, "body": resp_body})
    vec("verify-jws-response-rs512-bearer", "rsa-verify", "RS512, given as the Authorization value (Bearer …)",
        SELF_RSA, jws_gw, "verify_jws", {"jws": "Bearer " + response_jws(resp_claims, "RS512"), "body": resp_body})
    vec("verify-jws-tampered-body", "rsa-verify", "the response body changed: ds does not match", SELF_RSA,
        jws_gw, "verify_jws", {"jws": good_jws, "body": resp_body.replace("ACTC", "RJCT")},
        "PAYAUTH_SIGNATURE_MISMATCH")
    vec("verify-jws-other-key", "rsa-verify", "signed with another key: rejected", SELF_RSA, jws_gw, "verify_jws",
        {"jws": response_jws(resp_claims, key=other_key), "body": resp_body}, "PAYAUTH_SIGNATURE_MISMATCH")
    h_none = b64url_nopad(b'{"alg":"none"}')
    vec("verify-jws-alg-none", "rsa-verify", "alg none is refused", STATUS, jws_gw, "verify_jws",
        {"jws": h_none + "." + good_jws.split(".")[1] + ".", "body": resp_body}, "PAYAUTH_SIGNATURE_MISMATCH")
    vec("verify-jws-no-ds", "rsa-verify", "a JWS without ds cannot bind a body", SELF_RSA, jws_gw, "verify_jws",
        {"jws": response_jws({k: v for k, v in resp_claims.items() if k != "ds"}), "body": resp_body},
        "PAYAUTH_SIGNATURE_MISMATCH")
    vec("verify-jws-malformed", "rsa-verify", "not a compact JWS", STATUS, jws_gw, "verify_jws",
        {"jws": "abc.def", "body": ""}, "PAYAUTH_INVALID_ARGUMENT")

    # ---------------- configuration errors ----------------
    vec("config-unknown-profile", "config", "an unknown profile name", STATUS,
        {"profile": "stripe", "api_key": "sk_test_x"}, "signer_new", {}, "PAYAUTH_CONFIG_UNKNOWN_PROFILE")
    vec("config-unknown-field", "config",
        "an unknown (misspelt) field next to a complete netzme config is rejected", STATUS,
        {**nz, "client_secert": "MaREaULkzAUTAFYg"}, "signer_new", {}, "PAYAUTH_CONFIG_INVALID_FIELD")
    vec("config-netzme-missing-client-secret", "config", "netzme without client_secret", STATUS,
        {"profile": "netzme", "client_id": "TokoNetmeClientId"}, "signer_new", {},
        "PAYAUTH_CONFIG_MISSING_FIELD")
    vec("config-not-json", "config",
        "config text that is not JSON (config is a string: the runner passes its text verbatim)",
        STATUS, '{"profile":"netzme","client_id":"TokoNetmeClientId",', "signer_new", {},
        "PAYAUTH_CONFIG_JSON")


# --------------------------------------------------------------------------------------------
# Cross-checks against a second implementation (openssl) and docs/gateways.md
# --------------------------------------------------------------------------------------------


def openssl(args: list[str], data: bytes) -> bytes:
    return subprocess.run(["openssl", *args], input=data, capture_output=True, check=True).stdout


def openssl_hmac_hex(hash_name: str, key: bytes, msg: bytes) -> str:
    out = openssl(["dgst", "-" + hash_name, "-mac", "HMAC", "-macopt", "hexkey:" + key.hex()], msg)
    return out.decode().strip().rsplit("= ", 1)[1]


def openssl_rsa_b64(hash_name: str, key_file: Path, msg: bytes, url: bool = False) -> str:
    sig = openssl(["dgst", "-" + hash_name, "-sign", str(key_file), "-binary"], msg)
    return b64url_nopad(sig) if url else b64(sig)


def unmasked(v, name):
    """An explain artifact with the masked token put back (to recompute the signature)."""
    tok = v["input"].get("token", "")
    text = v["expect"]["explain"][name]
    return text.replace(mask_token(tok), tok) if tok else text


def crosscheck():
    V = VECTORS
    # SHA-256 of the official PayNet body (docs/gateways.md).
    body = V["paynet-jws-official-body-hash"]["input"]["body"].encode()
    out = openssl(["dgst", "-sha256"], body).decode().strip().rsplit("= ", 1)[1]
    assert out == V["paynet-jws-official-body-hash"]["expect"]["explain"]["body_sha256"]

    # HMAC-SHA256: PayNet reports (§1.2) and Netzme N1 (key with spaces) and the non-ASCII POST.
    assert openssl_hmac_hex("sha256", b"my_client_secret", b"1700000000") == \
        hdr(V["paynet-reports-vector"], "X-Signature")
    n1 = V["netzme-legacy-n1-get-query"]
    key = ("MaREaULkzAUTAFYg-1615190625765-Bearer " + n1["input"]["token"]).encode()
    assert openssl_hmac_hex("sha256", key, unmasked(n1, "string_to_sign").encode()) == \
        hdr(n1, "Signature")
    na = V["netzme-legacy-post-non-ascii"]
    key = ("MaREaULkzAUTAFYg-" + na["expect"]["explain"]["timestamp"] + "-Bearer " + na["input"]["token"]).encode()
    assert openssl_hmac_hex("sha256", key, unmasked(na, "string_to_sign").encode("utf-8")) == \
        hdr(na, "Signature")

    # HMAC-SHA512: SNAP V2 (hex; base64 is the same digest).
    v2 = V["netzme-snap-v2-hex"]
    mac = openssl_hmac_hex("sha512", b"f013bc2810be469790dc99773c08812e",
                           unmasked(v2, "string_to_sign").encode())
    assert mac == hdr(v2, "X-SIGNATURE")
    assert b64(bytes.fromhex(mac)) == hdr(V["snap-v2-base64"], "X-SIGNATURE")
    sa = V["snap-non-ascii-body"]
    assert openssl(["dgst", "-sha256"], sa["input"]["body"].encode("utf-8")).decode().strip() \
        .rsplit("= ", 1)[1] == sa["expect"]["explain"]["body_sha256"]

    # RSA-SHA256 (PKCS#1 v1.5): SNAP token signature with the PKCS#1 and PKCS#8 files.
    t = V["snap-token-rsa-pkcs1-pem"]
    assert openssl_rsa_b64("sha256", KEY_DIR / "rsa2048-pkcs1.pem",
                           t["expect"]["explain"]["string_to_sign"].encode()) == hdr(t, "X-SIGNATURE")
    t = V["snap-token-rsa-pkcs8-pem"]
    assert openssl_rsa_b64("sha256", KEY_DIR / "rsa2048-pkcs8.pem",
                           t["expect"]["explain"]["string_to_sign"].encode()) == hdr(t, "X-SIGNATURE")
    # RSA-SHA256 over the DOBW 861 string.
    d = V["paynet-dobw-861-initiate"]
    assert openssl_rsa_b64("sha256", KEY_DIR / "rsa2048-pkcs1.pem",
                           d["expect"]["explain"]["string_to_sign"].encode()) == hdr(d, "X-Signature")
    # RSA-SHA512 (RS512 JWS) in base64url.
    j = V["paynet-jws-rs512"]
    si = j["expect"]["explain"]["signing_input"]
    assert hdr(j, "Authorization") == "Bearer " + si + "." + openssl_rsa_b64(
        "sha512", KEY_DIR / "rsa2048-pkcs1.pem", si.encode(), url=True)


def self_check():
    """Structural checks on the generated set."""
    for id_, v in VECTORS.items():
        assert re.fullmatch(r"[a-z0-9-]+", id_), id_
        e = v["expect"]
        if e["status"] != "PAYAUTH_OK":
            assert set(e) == {"status"}, id_
        for h in e.get("headers", []):
            assert isinstance(h[0], str) and isinstance(h[1], str) and h[0] and h[1], (id_, h)
        for k, val in e.get("explain", {}).items():
            assert isinstance(val, str), (id_, k)
        # No secret may leak into explain output.
        cfg = v.get("config")
        if isinstance(cfg, dict):
            secrets = [cfg[f] for f in SECRET_FIELDS if f in cfg]
            if isinstance(cfg.get("hmac"), dict):
                secrets.append(cfg["hmac"].get("secret", ""))
            for val in e.get("explain", {}).values():
                for s in secrets:
                    if s:
                        assert s not in val, (id_, "secret in explain")
    assert len(VECTORS) >= 30


def main():
    _check_keys()
    build()
    crosscheck()
    self_check()
    VEC_DIR.mkdir(parents=True, exist_ok=True)
    for id_, v in VECTORS.items():
        with open(VEC_DIR / f"{id_}.json", "w", encoding="utf-8", newline="\n") as f:
            json.dump(v, f, indent=2, ensure_ascii=False)
            f.write("\n")
    stale = sorted(p.stem for p in VEC_DIR.glob("*.json") if p.stem not in VECTORS)
    if stale:
        print("warning: vector files not produced by this script:", ", ".join(stale), file=sys.stderr)
    print(f"wrote {len(VECTORS)} vectors to {VEC_DIR.relative_to(ROOT)}/")


if __name__ == "__main__":
    main()
