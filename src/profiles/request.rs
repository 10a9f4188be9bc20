//! One request to sign: method, path, body, token, time and per-request extras.

use crate::error::{Error, Result};
use crate::sign::time::TimeFormat;
use crate::status::{PAYAUTH_MISSING_REQUEST_FIELD, PAYAUTH_MISSING_TOKEN};
use crate::text::{check_header_text, has_control};
use serde_json::Value;
use std::borrow::Cow;

/// Per-request values that only some schemes use (see `docs/vectors-format.md`).
#[derive(Clone, Debug, Default)]
pub struct Extra {
    /// Exact timestamp text, replacing the formatted time.
    pub timestamp: Option<String>,
    /// SNAP `X-EXTERNAL-ID`.
    pub external_id: Option<String>,
    /// PayNet JWS `jti` / `x-business-message-id`.
    pub message_id: Option<String>,
    /// PayNet DOBW string to sign, or its fields concatenated.
    pub string_to_sign: Option<String>,
}

impl Extra {
    /// Builds and checks typed extras (what the packed binding call carries).
    pub fn typed(
        timestamp: Option<&str>,
        external_id: Option<&str>,
        message_id: Option<&str>,
        string_to_sign: Option<&str>,
    ) -> Result<Self> {
        Ok(Extra {
            timestamp: timestamp.map(|t| check_header_text("timestamp", t)).transpose()?,
            external_id: external_id.map(check_external_id).transpose()?,
            message_id: message_id.map(|m| check_header_text("message_id", m)).transpose()?,
            string_to_sign: string_to_sign.map(str::to_owned),
        })
    }

    /// Parses the per-request JSON object; empty text means no extras.
    pub fn parse(text: &[u8]) -> Result<Self> {
        if text.is_empty() {
            return Ok(Extra::default());
        }
        let value: Value = serde_json::from_slice::<crate::config::strict_json::Strict>(text)
            .map_err(|e| Error::invalid_arg(format!("extra is not valid JSON: {e}")))?
            .0;
        let Value::Object(map) = value else {
            return Err(Error::invalid_arg("extra must be a JSON object"));
        };
        let mut fields: [Option<String>; 4] = Default::default();
        for (k, v) in &map {
            let slot = match k.as_str() {
                "timestamp" => 0,
                "external_id" => 1,
                "message_id" => 2,
                "string_to_sign" | "fields" => 3,
                other => return Err(Error::invalid_arg(format!("unknown extra field `{other}`"))),
            };
            let text = if k == "fields" {
                concat_fields(v)?
            } else {
                json_text(k, v)?
            };
            if fields[slot].replace(text).is_some() {
                return Err(Error::invalid_arg(
                    "give extra.fields or extra.string_to_sign, not both",
                ));
            }
        }
        let [t, e, m, s] = &fields;
        Extra::typed(t.as_deref(), e.as_deref(), m.as_deref(), s.as_deref())
    }
}

fn json_text(key: &str, v: &Value) -> Result<String> {
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| Error::invalid_arg(format!("extra.{key} must be a string")))
}

/// `extra.fields`: an array of strings, concatenated into the string to sign.
fn concat_fields(v: &Value) -> Result<String> {
    let bad = || Error::invalid_arg("extra.fields must be an array of strings");
    v.as_array()
        .ok_or_else(bad)?
        .iter()
        .map(|f| f.as_str().ok_or_else(bad))
        .collect()
}

/// A caller-given SNAP `X-EXTERNAL-ID`: numeric, 1 to 36 digits (the SNAP BI rule).
fn check_external_id(id: &str) -> Result<String> {
    if (1..=36).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_digit()) {
        Ok(id.to_owned())
    } else {
        Err(Error::invalid_arg(format!(
            "external_id must be 1 to 36 decimal digits (SNAP), got {} characters",
            id.len()
        )))
    }
}

/// The latest instant accepted: 9999-12-31T00:00:00Z minus a day, so that every timestamp
/// format (any UTC offset) stays within four-digit years.
pub const PAYAUTH_MAX_TIME_MS: i64 = 253_402_214_400_000 - 86_400_000;

/// A request to sign or verify.
#[derive(Clone, Debug)]
pub struct Request<'a> {
    /// Upper-case HTTP method.
    pub method: Cow<'a, str>,
    /// Path and raw query, as sent.
    pub path: &'a str,
    /// The exact body bytes sent.
    pub body: &'a [u8],
    /// Access token, or empty.
    pub token: &'a str,
    /// Epoch milliseconds (already resolved: never 0 for "now").
    pub time_ms: i64,
    /// Timestamp text that replaces the formatted time (from `extra.timestamp` or, when
    /// verifying, the received header).
    pub time_text: Option<String>,
    /// Per-request extras.
    pub extra: Extra,
}

impl<'a> Request<'a> {
    /// Validates and builds a request. `time_ms` 0 means now.
    pub fn new(
        method: &'a str,
        path: &'a str,
        body: &'a [u8],
        token: &'a str,
        time_ms: i64,
        extra: Extra,
    ) -> Result<Self> {
        if method.is_empty() || !method.bytes().all(|b| b.is_ascii_alphabetic()) {
            return Err(Error::invalid_arg("method must be letters only, e.g. GET or POST"));
        }
        if path.bytes().any(|b| b <= 0x20 || b == 0x7f) {
            return Err(Error::invalid_arg("path must not contain spaces or control characters"));
        }
        // Origin form (RFC 9112 §3.2.1): what the request line carries and the schemes sign.
        if !path.starts_with('/') || path.starts_with("//") || path.contains('#') {
            return Err(Error::invalid_arg(
                "path must be the origin form `/path?query` as sent: starting with one `/`, \
                 without scheme, host or `#fragment`",
            ));
        }
        Self::build(method, path, body, token, time_ms, extra)
    }

    /// A request for a profile's token request headers (no path, body or token).
    pub fn for_token(time_ms: i64, extra: Extra) -> Result<Self> {
        Self::build("POST", "", &[], "", time_ms, extra)
    }

    fn build(
        method: &'a str,
        path: &'a str,
        body: &'a [u8],
        token: &'a str,
        time_ms: i64,
        extra: Extra,
    ) -> Result<Self> {
        if has_control(token.as_bytes()) {
            return Err(Error::invalid_arg("token contains a control character"));
        }
        // The bare token is what is signed and sent; accept the `Bearer …` header value too (as
        // `invalidate` does) instead of producing `Bearer Bearer …`.
        let token = token.strip_prefix("Bearer ").unwrap_or(token);
        if !(0..=PAYAUTH_MAX_TIME_MS).contains(&time_ms) {
            return Err(Error::invalid_arg(
                "timestamp_ms must be between 0 (now) and 9999-12-30 (epoch milliseconds)",
            ));
        }
        let time_ms = if time_ms == 0 { crate::clock::wall_ms() } else { time_ms };
        let time_text = extra.timestamp.clone();
        let method = if method.bytes().all(|b| b.is_ascii_uppercase()) {
            Cow::Borrowed(method)
        } else {
            Cow::Owned(method.to_ascii_uppercase())
        };
        Ok(Request {
            method,
            path,
            body,
            token,
            time_ms,
            time_text,
            extra,
        })
    }

    /// The timestamp text in `fmt`, unless one was given verbatim.
    pub fn timestamp(&self, fmt: TimeFormat) -> String {
        self.time_text.clone().unwrap_or_else(|| fmt.format(self.time_ms))
    }

    /// The token, or `PAYAUTH_MISSING_TOKEN`.
    pub fn require_token(&self) -> Result<&'a str> {
        if self.token.is_empty() {
            Err(Error::new(
                PAYAUTH_MISSING_TOKEN,
                "this scheme signs the access token: pass the token",
            ))
        } else {
            Ok(self.token)
        }
    }

    /// A required extra, or `PAYAUTH_MISSING_REQUEST_FIELD` naming it.
    pub fn require_extra<'s>(&'s self, field: &str, v: &'s Option<String>) -> Result<&'s str> {
        v.as_deref().ok_or_else(|| {
            Error::new(
                PAYAUTH_MISSING_REQUEST_FIELD,
                format!("this profile needs `{field}` for each request (a per-request input)"),
            )
        })
    }

    /// Path without the query.
    pub fn path_only(&self) -> &'a str {
        self.path.split_once('?').map_or(self.path, |(p, _)| p)
    }

    /// Raw query without `?` (empty when none).
    pub fn query(&self) -> &'a str {
        self.path.split_once('?').map_or("", |(_, q)| q)
    }

    /// `Bearer <token>`.
    pub fn bearer(&self) -> String {
        format!("Bearer {}", self.token)
    }
}
