//! The token endpoints: credential checks, issuing, and each gateway's response shapes.

use crate::forms;
use crate::http::{Request, Response};
use crate::keys::RsaHash;
use crate::profile::Endpoint;
use crate::state::{Issued, Refresh, State};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::{Value, json};

/// Serves a token request normally (no fault).
pub fn handle(state: &State, endpoint: Endpoint, req: &Request) -> Response {
    let resp = if req.method != "POST" {
        Err(error_response(endpoint, 405, "token endpoints accept POST only").header("Allow", "POST"))
    } else {
        match endpoint {
            Endpoint::Paynet | Endpoint::PaynetReports | Endpoint::Azupay => oauth2(state, endpoint, req),
            Endpoint::Netzme => netzme(state, req),
            Endpoint::NetzmeSnap | Endpoint::Snap => snap(state, endpoint, req),
            Endpoint::Paytia => paytia(state, req),
        }
    };
    resp.unwrap_or_else(|failure| {
        state.count_token_failure(endpoint.profile());
        failure
    })
}

type Outcome = Result<Response, Response>;

fn oauth2(state: &State, endpoint: Endpoint, req: &Request) -> Outcome {
    let (id, secret) = match endpoint {
        Endpoint::Paynet => (&state.config.paynet.client_id, &state.config.paynet.client_secret),
        Endpoint::PaynetReports => (
            &state.config.paynet_reports.client_id,
            &state.config.paynet_reports.client_secret,
        ),
        _ => (&state.config.azupay.client_id, &state.config.azupay.client_secret),
    };
    let bad = |error: &str, description: &str| {
        Response::json(400, &json!({"error": error, "error_description": description}))
    };
    if req.content_type() != "application/x-www-form-urlencoded" {
        return Err(bad(
            "invalid_request",
            "Content-Type must be application/x-www-form-urlencoded",
        ));
    }
    let form = forms::urlencoded(&req.body).map_err(|e| bad("invalid_request", &e))?;
    match form.get("grant_type").map(String::as_str) {
        Some("client_credentials") => {}
        Some(_) => return Err(bad("unsupported_grant_type", "grant_type must be client_credentials")),
        None => return Err(bad("invalid_request", "grant_type is missing")),
    }
    if form.get("client_id") != Some(id) || form.get("client_secret") != Some(secret) {
        return Err(invalid_credentials(endpoint));
    }
    let issued = state.issue(endpoint.profile(), id, false);
    Ok(Response::json(200, &success_body(endpoint, &issued, None, id)))
}

fn netzme(state: &State, req: &Request) -> Outcome {
    let creds = &state.config.netzme;
    let basic = req
        .header("authorization")
        .and_then(|h| h.strip_prefix("Basic "))
        .and_then(|b| STANDARD.decode(b.trim()).ok())
        .and_then(|raw| String::from_utf8(raw).ok());
    let expected = format!("{}:{}", creds.client_id, creds.client_secret);
    if basic.as_deref() != Some(expected.as_str()) {
        return Err(invalid_credentials(Endpoint::Netzme));
    }
    let bad = |msg: &str| Response::json(400, &json!({"status": "BAD_REQUEST", "message": msg}));
    if req.content_type() != "application/json" {
        return Err(bad("Content-Type must be application/json"));
    }
    let body = forms::json(&req.body).map_err(|e| bad(&e))?;
    if body.get("grant_type").map(String::as_str) != Some("client_credentials") {
        return Err(bad("grant_type must be client_credentials"));
    }
    let issued = state.issue(Endpoint::Netzme.profile(), &creds.client_id, true);
    Ok(Response::json(
        200,
        &success_body(Endpoint::Netzme, &issued, None, &creds.client_id),
    ))
}

fn snap(state: &State, endpoint: Endpoint, req: &Request) -> Outcome {
    let (cfg, key) = if endpoint == Endpoint::Snap {
        (&state.config.snap, &state.keys.snap)
    } else {
        (&state.config.netzme_snap, &state.keys.netzme_snap)
    };
    let unauthorized = |why: &str| snap_error(401, "4017300", &format!("Unauthorized. {why}"));
    let client_key = req
        .header("x-client-key")
        .ok_or_else(|| unauthorized("X-CLIENT-KEY missing"))?;
    let ts = req
        .header("x-timestamp")
        .ok_or_else(|| unauthorized("X-TIMESTAMP missing"))?;
    let sig = req
        .header("x-signature")
        .ok_or_else(|| unauthorized("X-SIGNATURE missing"))?;
    if !is_iso8601(ts) {
        return Err(snap_error(400, "4007301", "Invalid Field Format [X-TIMESTAMP]"));
    }
    if client_key != cfg.client_id {
        return Err(unauthorized("Unknown client"));
    }
    let sig = STANDARD
        .decode(sig)
        .map_err(|_| unauthorized("Signature is not base64"))?;
    let message = format!("{client_key}|{ts}");
    if !key.verify(RsaHash::Sha256, message.as_bytes(), &sig) {
        return Err(unauthorized("Invalid signature"));
    }
    if req.content_type() != "application/json" {
        return Err(snap_error(
            400,
            "4007300",
            "Bad Request. Content-Type must be application/json",
        ));
    }
    let body = forms::json(&req.body).map_err(|_| snap_error(400, "4007301", "Invalid Field Format [body]"))?;
    if body.get("grantType").map(String::as_str) != Some("client_credentials") {
        return Err(snap_error(400, "4007302", "Invalid Mandatory Field [grantType]"));
    }
    let issued = state.issue(endpoint.profile(), client_key, endpoint == Endpoint::NetzmeSnap);
    Ok(Response::json(200, &success_body(endpoint, &issued, None, client_key)))
}

fn paytia(state: &State, req: &Request) -> Outcome {
    let cfg = &state.config.paytia;
    let unauthorized =
        |why: &str| Response::with_type(401, "text/plain; charset=utf-8", format!("Unauthorized: {why}").into());
    if req.header("x-api-key") != Some(cfg.api_key.as_str()) {
        return Err(unauthorized("missing or invalid X-API-KEY"));
    }
    let fields = forms::fields(req, true)
        .map_err(|e| Response::with_type(400, "text/plain; charset=utf-8", format!("Bad request: {e}").into()))?;
    if fields.get("client_id") != Some(&cfg.client_id) || fields.get("client_secret") != Some(&cfg.client_secret) {
        return Err(unauthorized("invalid client credentials"));
    }
    let (access, refresh) = match fields.get("refresh_token").filter(|r| !r.is_empty()) {
        None => state.paytia_issue(&cfg.client_id),
        Some(old) => {
            state.count_refresh();
            match state.paytia_refresh(&cfg.client_id, old) {
                Refresh::Rotated { access, refresh } => (access, refresh),
                Refresh::Reused => return Err(unauthorized("refresh token already used")),
                Refresh::Unknown => return Err(unauthorized("invalid refresh token")),
            }
        }
    };
    Ok(Response::json(
        200,
        &success_body(Endpoint::Paytia, &access, Some(&refresh), &cfg.client_id),
    ))
}

/// The gateway's success body for `issued`.
pub fn success_body(endpoint: Endpoint, issued: &Issued, refresh: Option<&str>, client: &str) -> Value {
    let (token, ttl) = (&issued.token, issued.ttl_s);
    match endpoint {
        Endpoint::Paynet => json!({"access_token": token, "token_type": "bearer",
            "scope": "rpp:merchant", "expires_in": ttl}),
        Endpoint::PaynetReports | Endpoint::Azupay => {
            json!({"access_token": token, "token_type": "Bearer", "expires_in": ttl})
        }
        Endpoint::Netzme => json!({"status": "SUCCEES", "username": client, "access_token": token,
            "token_type": "bearer", "expiry_token": issued.expires_at_ms}),
        Endpoint::NetzmeSnap => json!({"responseCode": "2007300", "responseMessage": "Successful",
            "accessToken": token, "tokenType": "Bearer", "expiresIn": ttl.to_string()}),
        Endpoint::Snap => json!({"responseCode": "2007300", "responseMessage": "Successful",
            "accessToken": token, "tokenType": "Bearer", "expiresIn": ttl}),
        Endpoint::Paytia => json!({"access_token": token,
            "refresh_token": refresh.unwrap_or_default(), "expires_in": ttl}),
    }
}

/// The name of the token field in the success body.
pub fn token_field(endpoint: Endpoint) -> &'static str {
    match endpoint {
        Endpoint::NetzmeSnap | Endpoint::Snap => "accessToken",
        _ => "access_token",
    }
}

/// What the gateway answers to bad client credentials.
pub fn invalid_credentials(endpoint: Endpoint) -> Response {
    match endpoint {
        // The real gateway answers HTTP 200 with a failure status.
        Endpoint::Netzme => Response::json(200, &json!({"status": "UNAUTHORIZED", "message": "invalid credential"})),
        Endpoint::NetzmeSnap | Endpoint::Snap => snap_error(401, "4017300", "Unauthorized. Invalid client credentials"),
        Endpoint::Paytia => Response::with_type(
            401,
            "text/plain; charset=utf-8",
            b"Unauthorized: invalid client credentials".to_vec(),
        ),
        _ => Response::json(
            401,
            &json!({"error": "invalid_client", "error_description": "Client authentication failed"}),
        ),
    }
}

/// A gateway-shaped error response with an arbitrary status (used by the status faults).
pub fn error_response(endpoint: Endpoint, status: u16, message: &str) -> Response {
    match endpoint {
        Endpoint::NetzmeSnap | Endpoint::Snap => snap_error(status, &format!("{status}7300"), message),
        Endpoint::Netzme => Response::json(status, &json!({"status": "ERROR", "message": message})),
        _ => {
            let error = match status {
                429 => "rate_limited",
                400..=499 => "invalid_request",
                503 => "temporarily_unavailable",
                _ => "server_error",
            };
            Response::json(status, &json!({"error": error, "error_description": message}))
        }
    }
}

fn snap_error(status: u16, code: &str, message: &str) -> Response {
    Response::json(status, &json!({"responseCode": code, "responseMessage": message}))
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]±HH:MM` or `…Z`.
pub fn is_iso8601(ts: &str) -> bool {
    let b = ts.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    if b.len() < 20 || !digits(0..4) || !digits(5..7) || !digits(8..10) || !digits(11..13) {
        return false;
    }
    if b[4] != b'-' || b[7] != b'-' || b[10] != b'T' || b[13] != b':' || b[16] != b':' {
        return false;
    }
    if !digits(14..16) || !digits(17..19) {
        return false;
    }
    let mut rest = &ts[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return false;
        }
        rest = &frac[n..];
    }
    if rest == "Z" {
        return true;
    }
    let r = rest.as_bytes();
    r.len() == 6
        && (r[0] == b'+' || r[0] == b'-')
        && r[1..3].iter().all(u8::is_ascii_digit)
        && r[3] == b':'
        && r[4..6].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::is_iso8601;

    #[test]
    fn iso8601_forms() {
        assert!(is_iso8601("2024-01-01T10:00:00+07:00"));
        assert!(is_iso8601("2024-01-01T10:00:00.123+00:00"));
        assert!(is_iso8601("2024-01-01T10:00:00Z"));
        assert!(!is_iso8601("2024-01-01 10:00:00+07:00"));
        assert!(!is_iso8601("1700000000"));
        assert!(!is_iso8601("2024-01-01T10:00:00+0700"));
    }
}
