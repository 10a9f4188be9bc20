//! The protected echo endpoints `ANY /echo/{profile}/…`: each request is verified exactly per
//! `docs/profiles.md`, recomputed here from the primitives (never through the payauth crate).
//! The signed path is the request target as received (path and raw query); the body is the
//! exact bytes received.

use crate::http::{Request, Response};
use crate::keys::RsaHash;
use crate::profile::Profile;
use crate::state::{State, TokenCheck, now_ms};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::{Digest, Sha256, Sha512};

type Check = Result<(), String>;

/// Serves an echo request.
pub fn handle(state: &State, req: &Request) -> Response {
    let rest = req.path().strip_prefix("/echo/").unwrap_or("");
    let name = rest.split('/').next().unwrap_or("");
    let Some(profile) = Profile::ALL.into_iter().find(|p| p.name() == name) else {
        return Response::json(
            404,
            &json!({"ok": false, "reason": format!("unknown profile {name:?}")}),
        );
    };
    let result = match profile {
        Profile::Paynet => bearer(req).and_then(|t| token(state, profile, t)),
        Profile::PaynetReports => paynet_reports(state, req),
        Profile::PaynetJws => paynet_jws(state, req),
        Profile::PaynetDuitnowPay => duitnow_pay(state, req),
        Profile::Netzme => netzme(state, req),
        Profile::NetzmeSnap | Profile::Snap => snap(state, profile, req),
        Profile::Azupay => azupay(state, req),
        Profile::Paytia => paytia(state, req),
    };
    state.count_echo(profile, result.is_ok());
    match result {
        Ok(()) => Response::json(200, &json!({"ok": true})),
        Err(reason) => Response::json(401, &json!({"ok": false, "reason": reason})),
    }
}

fn header<'a>(req: &'a Request, name: &str) -> Result<&'a str, String> {
    req.header(name)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("{name} header missing"))
}

/// The token of `Authorization: Bearer <token>` (the scheme spelt exactly `Bearer`).
fn bearer(req: &Request) -> Result<&str, String> {
    let auth = header(req, "Authorization")?;
    auth.strip_prefix("Bearer ")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| "Authorization is not \"Bearer <token>\"".to_string())
}

fn token(state: &State, profile: Profile, token: &str) -> Check {
    match state.check(profile, token) {
        TokenCheck::Valid => Ok(()),
        other => Err(other.reason().to_string()),
    }
}

/// Lower-case hex only (upper case is a different string, so a different signature).
fn lower_hex(s: &str, what: &str) -> Result<Vec<u8>, String> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(format!("{what} is not lower-case hex"));
    }
    hex::decode(s).map_err(|_| format!("{what} is not hex"))
}

fn hmac256(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("any key length");
    mac.update(msg);
    mac.verify_slice(sig).is_ok()
}

fn hmac512(key: &[u8], msg: &[u8], sig: &[u8]) -> bool {
    let mut mac = Hmac::<Sha512>::new_from_slice(key).expect("any key length");
    mac.update(msg);
    mac.verify_slice(sig).is_ok()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn eq(got: &str, want: &str, what: &str) -> Check {
    if got == want {
        Ok(())
    } else {
        Err(format!("{what} mismatch"))
    }
}

fn paynet_reports(state: &State, req: &Request) -> Check {
    token(state, Profile::PaynetReports, bearer(req)?)?;
    let ts = header(req, "X-Timestamp")?;
    if !ts.bytes().all(|b| b.is_ascii_digit()) {
        return Err("X-Timestamp is not a decimal unix time".into());
    }
    let sig = lower_hex(header(req, "X-Signature")?, "X-Signature")?;
    let key = state.config.paynet_reports.signature_secret();
    if !hmac256(key.as_bytes(), ts.as_bytes(), &sig) {
        return Err("X-Signature mismatch".into());
    }
    Ok(())
}

fn netzme(state: &State, req: &Request) -> Check {
    let cfg = &state.config.netzme;
    let tok = bearer(req)?;
    token(state, Profile::Netzme, tok)?;
    let auth = format!("Bearer {tok}");
    eq(header(req, "Client-Id")?, &cfg.client_id, "Client-Id")?;
    if state.token_client(tok).as_deref() != Some(cfg.client_id.as_str()) {
        return Err("access token was issued to another client".into());
    }
    let ts = header(req, "Request-Time")?;
    if !ts.bytes().all(|b| b.is_ascii_digit()) {
        return Err("Request-Time is not epoch milliseconds".into());
    }
    let sig = lower_hex(header(req, "Signature")?, "Signature")?;
    let method = req.method.to_ascii_uppercase();
    let mut payload = format!("path={}&method={method}&token={auth}&timestamp={ts}&body=", req.target).into_bytes();
    payload.extend_from_slice(&state.covered_body(&req.body));
    let key = format!("{}-{ts}-{auth}", cfg.client_secret);
    if !hmac256(key.as_bytes(), &payload, &sig) {
        return Err("Signature mismatch".into());
    }
    Ok(())
}

fn snap(state: &State, profile: Profile, req: &Request) -> Check {
    let cfg = if profile == Profile::Snap {
        &state.config.snap
    } else {
        &state.config.netzme_snap
    };
    let tok = bearer(req)?;
    token(state, profile, tok)?;
    let ts = header(req, "X-TIMESTAMP")?;
    eq(header(req, "X-PARTNER-ID")?, &cfg.client_id, "X-PARTNER-ID")?;
    if state.token_client(tok).as_deref() != Some(cfg.client_id.as_str()) {
        return Err("access token was issued to another client".into());
    }
    header(req, "X-EXTERNAL-ID")?;
    let raw = header(req, "X-SIGNATURE")?;
    let sig = if profile == Profile::NetzmeSnap {
        lower_hex(raw, "X-SIGNATURE")?
    } else {
        STANDARD
            .decode(raw)
            .map_err(|_| "X-SIGNATURE is not base64".to_string())?
    };
    let method = req.method.to_ascii_uppercase();
    let body_hash = sha256_hex(&state.covered_body(&req.body));
    let string_to_sign = format!("{method}:{}:{tok}:{body_hash}:{ts}", req.target);
    if !hmac512(cfg.client_secret.as_bytes(), string_to_sign.as_bytes(), &sig) {
        return Err("X-SIGNATURE mismatch".into());
    }
    Ok(())
}

fn b64url_json(part: &str, what: &str) -> Result<Value, String> {
    let raw = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| format!("JWS {what} is not base64url"))?;
    let value: Value = serde_json::from_slice(&raw).map_err(|_| format!("JWS {what} is not JSON"))?;
    if !value.is_object() {
        return Err(format!("JWS {what} is not a JSON object"));
    }
    Ok(value)
}

fn paynet_jws(state: &State, req: &Request) -> Check {
    let cfg = &state.config.paynet_jws;
    let jws = bearer(req)?;
    let parts: Vec<&str> = jws.split('.').collect();
    let [h, c, s] = parts[..] else {
        return Err("Authorization is not a compact JWS".into());
    };
    let header_json = b64url_json(h, "header")?;
    let hash = match header_json.get("alg").and_then(Value::as_str) {
        Some("RS256") => RsaHash::Sha256,
        Some("RS512") => RsaHash::Sha512,
        _ => return Err("JWS alg must be RS256 or RS512".into()),
    };
    let sig = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| "JWS signature is not base64url".to_string())?;
    let signing_input = format!("{h}.{c}");
    if !state.keys.paynet_jws.verify(hash, signing_input.as_bytes(), &sig) {
        return Err("JWS signature mismatch".into());
    }
    let claims = b64url_json(c, "claims")?;
    let claim = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or("");
    eq(claim("iss"), &cfg.client_id, "iss")?;
    eq(header(req, "X-Client-Id")?, &cfg.client_id, "X-Client-Id")?;
    eq(
        claim("jti"),
        header(req, "x-business-message-id")?,
        "jti / x-business-message-id",
    )?;
    eq(
        claim("ds"),
        &sha256_hex(&state.covered_body(&req.body)),
        "ds (body SHA-256)",
    )?;
    if let Some(key) = &cfg.jws_key {
        eq(claim("key"), key, "key claim")?;
    }
    let iat = claims.get("iat").and_then(Value::as_i64).ok_or("iat claim missing")?;
    let exp = claims.get("exp").and_then(Value::as_i64).ok_or("exp claim missing")?;
    if exp < iat {
        return Err("exp is before iat".into());
    }
    if exp.saturating_mul(1000) < now_ms() {
        return Err("JWS expired".into());
    }
    Ok(())
}

fn duitnow_pay(state: &State, req: &Request) -> Check {
    let cfg = &state.config.paynet_duitnow_pay;
    let jwt = bearer(req)?;
    let parts: Vec<&str> = jwt.split('.').collect();
    let [h, c, s] = parts[..] else {
        return Err("Authorization is not a compact JWT".into());
    };
    if b64url_json(h, "header")?.get("alg").and_then(Value::as_str) != Some("RS256") {
        return Err("JWT alg must be RS256".into());
    }
    let sig = URL_SAFE_NO_PAD
        .decode(s)
        .map_err(|_| "JWT signature is not base64url".to_string())?;
    if !state
        .keys
        .duitnow_pay
        .verify(RsaHash::Sha256, format!("{h}.{c}").as_bytes(), &sig)
    {
        return Err("JWT signature mismatch".into());
    }
    let claims = b64url_json(c, "claims")?;
    let claim = |name: &str| claims.get(name).and_then(Value::as_str).unwrap_or("");
    eq(claim("iss"), &cfg.client_id, "iss")?;
    eq(claim("sub"), &cfg.merchant_id, "sub")?;
    eq(claim("key"), &cfg.merchant_key, "key")?;
    let jti = claim("jti");
    let uuid = jti.len() == 36
        && jti.char_indices().all(|(i, ch)| match i {
            8 | 13 | 18 | 23 => ch == '-',
            14 => ch == '4',
            _ => ch.is_ascii_hexdigit(),
        });
    if !uuid {
        return Err("jti is not a UUID v4".into());
    }
    // `data` is the body as sent, as a string.
    if claims.get("data").and_then(Value::as_str).map(str::as_bytes) != Some(req.body.as_slice()) {
        return Err("data claim differs from the body".into());
    }
    let exp = claims.get("exp").and_then(Value::as_i64).ok_or("exp claim missing")?;
    if exp.saturating_mul(1000) < now_ms() {
        return Err("JWT expired".into());
    }
    Ok(())
}

fn azupay(state: &State, req: &Request) -> Check {
    let auth = header(req, "Authorization")?;
    if auth == state.config.azupay.api_key {
        return Ok(());
    }
    match auth.strip_prefix("Bearer ") {
        Some(tok) => token(state, Profile::Azupay, tok),
        None => Err("invalid API key".into()),
    }
}

fn paytia(state: &State, req: &Request) -> Check {
    eq(header(req, "X-API-KEY")?, &state.config.paytia.api_key, "X-API-KEY")?;
    token(state, Profile::Paytia, header(req, "ACCESS-TOKEN")?)
}
