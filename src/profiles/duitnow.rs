//! PayNet DuitNow Pay: a self-signed RS256 JWT per request in `Authorization` (docs/gateways.md,
//! "PayNet DuitNow Pay"). Claims, in this order: `exp` (now + `jws_ttl_s`), `iss` (the client /
//! acquirer id), `sub` (the merchant id), `jti` (a UUID v4, unique per request), `key` (the
//! merchant key name) and `data` (the request body exactly as sent, as a JSON string).

use super::{Config, Request, Scheme, Signed, private_key};
use crate::error::{Error, Result};
use crate::sign::hmac::HashAlg;
use crate::sign::jws;
use crate::sign::rsa::RsaKey;
use crate::status::{PAYAUTH_INTERNAL, PAYAUTH_INVALID_ARGUMENT};
use serde_json::{Map, Value};

const HEADER_JSON: &str = r#"{"alg":"RS256","typ":"JWT"}"#;

/// The `paynet-duitnow-pay` profile.
pub struct DuitNowPay {
    key: RsaKey,
    client_id: String,
    merchant_id: String,
    merchant_key: String,
    ttl_s: i64,
    prefix: String,
}

impl DuitNowPay {
    /// Reads `private_key`, `client_id`, `merchant_id`, `merchant_key`, `jws_ttl_s`,
    /// `authorization_prefix`.
    pub fn new(cfg: &Config) -> Result<Self> {
        let key = private_key(cfg)?.ok_or_else(|| Error::config_missing("private_key"))?;
        let prefix = match cfg.header_value("authorization_prefix")?.as_deref() {
            None | Some("Bearer") => "Bearer ".to_string(),
            Some("") => String::new(),
            Some(p) if p.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') => format!("{p} "),
            Some(_) => {
                return Err(Error::config_invalid(
                    "authorization_prefix",
                    "must be a scheme word such as Bearer, or empty for the bare JWT",
                ));
            }
        };
        Ok(DuitNowPay {
            key,
            client_id: cfg.req_header_value("client_id")?,
            merchant_id: cfg.req_str("merchant_id")?,
            merchant_key: cfg.req_str("merchant_key")?,
            ttl_s: cfg.int("jws_ttl_s", 1, 86_400)?.unwrap_or(900),
            prefix,
        })
    }
}

/// A random UUID version 4, lower-case.
pub(crate) fn uuid_v4() -> Result<String> {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut b)
        .map_err(|_| Error::new(PAYAUTH_INTERNAL, "the system random generator failed"))?;
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h = hex::encode(b);
    Ok(format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    ))
}

impl Scheme for DuitNowPay {
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        let data = std::str::from_utf8(req.body).map_err(|_| {
            Error::new(
                PAYAUTH_INVALID_ARGUMENT,
                "DuitNow Pay carries the body in the `data` claim: it must be UTF-8 text",
            )
        })?;
        let jti = match &req.extra.message_id {
            Some(id) => id.clone(),
            None => uuid_v4()?,
        };
        let exp = req.time_ms.div_euclid(1000) + self.ttl_s;
        let mut claims = Map::new();
        claims.insert("exp".into(), Value::from(exp));
        claims.insert("iss".into(), Value::String(self.client_id.clone()));
        claims.insert("sub".into(), Value::String(self.merchant_id.clone()));
        claims.insert("jti".into(), Value::String(jti));
        claims.insert("key".into(), Value::String(self.merchant_key.clone()));
        claims.insert("data".into(), Value::String(data.to_string()));
        let claims_json = Value::Object(claims).to_string();
        let token = jws::compact(HEADER_JSON, &claims_json, &self.key, HashAlg::Sha256)?;
        out.header_parts("Authorization", &[&self.prefix, &token.token]);
        out.header("Content-Type", "application/json");
        out.explain("jws_header", || HEADER_JSON.as_bytes().to_vec());
        out.explain("jws_claims", || claims_json.into_bytes());
        out.explain("signing_input", || token.signing_input.into_bytes());
        out.explain("algorithm", || b"RS256".to_vec());
        Ok(())
    }
}
