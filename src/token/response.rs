//! Classifying a token endpoint's answer: HTTP status, the gateway's error fields, JSON shape,
//! token and lifetime fields. Messages carry the gateway's `error` / `error_description` (never
//! a secret of ours).

use super::http::HttpResponse;
use super::{Lifetime, Obtained};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::status::*;
use crate::text::has_control;
use serde_json::{Map, Value};
use zeroize::Zeroizing;

/// The gateway's own explanation, from the usual error fields, shortened and printable.
pub fn gateway_message(json: Option<&Map<String, Value>>, body: &[u8]) -> String {
    let text = match json {
        Some(m) => [
            "error",
            "error_description",
            "message",
            "responseCode",
            "responseMessage",
            "status",
        ]
        .iter()
        .filter_map(|k| {
            m.get(*k)
                .map(|v| format!("{k}={}", v.as_str().map_or(v.to_string(), str::to_string)))
        })
        .collect::<Vec<_>>()
        .join(", "),
        None => String::from_utf8_lossy(&body[..body.len().min(120)]).into_owned(),
    };
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .take(240)
        .collect();
    if clean.trim().is_empty() {
        "no details".into()
    } else {
        clean
    }
}

/// The JSON object in a response body, if it is one.
pub fn json_object(resp: &HttpResponse) -> Option<Map<String, Value>> {
    match serde_json::from_slice::<Value>(&resp.body) {
        Ok(Value::Object(m)) => Some(m),
        _ => None,
    }
}

/// Errors shared by every flow for non-2xx answers.
pub fn check_status(resp: &HttpResponse, json: Option<&Map<String, Value>>) -> Result<()> {
    let details = || gateway_message(json, &resp.body);
    match resp.status {
        200..=299 => Ok(()),
        300..=399 => Err(Error::new(
            PAYAUTH_REDIRECT_REFUSED,
            format!(
                "token endpoint answered HTTP {} to {}; redirects are refused on token endpoints",
                resp.status,
                resp.location.as_deref().unwrap_or("(no Location)")
            ),
        )),
        429 => Err(Error::new(
            PAYAUTH_RATE_LIMITED,
            format!(
                "HTTP 429, retry after {} s ({})",
                resp.retry_after_s.unwrap_or(1),
                details()
            ),
        )),
        400 | 401 | 403 => {
            let code = json.and_then(|m| m.get("error")).and_then(Value::as_str).unwrap_or("");
            let definitive = resp.status == 401
                || resp.status == 403
                || matches!(
                    code,
                    "invalid_client" | "unauthorized_client" | "invalid_grant" | "access_denied"
                );
            let status = if definitive {
                PAYAUTH_CREDENTIALS_REJECTED
            } else {
                PAYAUTH_HTTP_STATUS
            };
            Err(Error::new(
                status,
                format!("token endpoint answered HTTP {}: {}", resp.status, details()),
            ))
        }
        s => Err(Error::new(
            PAYAUTH_HTTP_STATUS,
            format!("token endpoint answered HTTP {s}: {}", details()),
        )),
    }
}

/// Parses a 2xx body as a JSON object or fails with the content type in the message.
pub fn require_json(resp: &HttpResponse, json: Option<Map<String, Value>>) -> Result<Map<String, Value>> {
    json.ok_or_else(|| {
        Error::new(
            PAYAUTH_TOKEN_RESPONSE_INVALID,
            format!(
                "token response (HTTP {}, content type `{}`, {} bytes) is not a JSON object",
                resp.status,
                if resp.content_type.is_empty() {
                    "none"
                } else {
                    &resp.content_type
                },
                resp.body.len()
            ),
        )
    })
}

/// A required non-empty string field (looked up at the top level, then under `data`).
pub fn token_field(m: &Map<String, Value>, name: &str) -> Result<Zeroizing<String>> {
    let v = m.get(name).or_else(|| m.get("data").and_then(|d| d.get(name)));
    match v.and_then(Value::as_str) {
        Some(s) if !s.is_empty() && !has_control(s.as_bytes()) => Ok(Zeroizing::new(s.to_string())),
        Some(_) => Err(Error::new(
            PAYAUTH_TOKEN_RESPONSE_INVALID,
            format!("token response field `{name}` is invalid"),
        )),
        None => Err(Error::new(
            PAYAUTH_TOKEN_RESPONSE_INVALID,
            format!("token response lacks `{name}` ({})", gateway_message(Some(m), &[])),
        )),
    }
}

/// An optional refresh token field.
pub fn refresh_field(m: &Map<String, Value>, name: &str) -> Option<Secret> {
    token_field(m, name).ok().map(|s| Secret::new(s.as_bytes().to_vec()))
}

/// A lifetime field that may be a number or a numeric string; absent gives `Unstated`.
pub fn lifetime_field(m: &Map<String, Value>, name: &str, absolute_ms: bool) -> Result<Lifetime> {
    let v = m.get(name).or_else(|| m.get("data").and_then(|d| d.get(name)));
    let n = match v {
        None | Some(Value::Null) => return Ok(Lifetime::Unstated),
        Some(Value::Number(n)) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok(),
        Some(_) => None,
    };
    let n = n.ok_or_else(|| {
        Error::new(
            PAYAUTH_TOKEN_RESPONSE_INVALID,
            format!("token response field `{name}` is not a number"),
        )
    })?;
    Ok(if absolute_ms {
        Lifetime::AbsoluteMs(n)
    } else {
        Lifetime::Seconds(n)
    })
}

/// The common OAuth2 shape: `access_token` + `expires_in` (+ optional `refresh_token`).
pub fn oauth2(m: &Map<String, Value>) -> Result<Obtained> {
    Ok(Obtained {
        access_token: token_field(m, "access_token")?,
        refresh_token: refresh_field(m, "refresh_token"),
        lifetime: lifetime_field(m, "expires_in", false)?,
    })
}
