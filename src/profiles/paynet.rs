//! PayNet: reports `X-Signature` HMAC (docs/gateways.md), DuitNow OBW RSA `X-Signature`
//! and the RPP v3 / Consent / QR compact JWS.

use super::body::{self, BodyForm};
use super::{Config, Request, Scheme, Signed, private_key};
use crate::error::{Error, Result};
use crate::sign::encode::{base64_std, hex_lower};
use crate::sign::hmac::{HashAlg, KeyedHmac, sha256_hex};
use crate::sign::jws;
use crate::sign::rsa::RsaKey;
use crate::sign::time::TimeFormat;
use serde_json::{Map, Value};

/// PayNet reports / merchant-profile: `X-Signature = hex(HMAC-SHA256(secret, X-Timestamp))`.
pub struct Reports {
    key: KeyedHmac,
    key_label: String,
    format: TimeFormat,
}

impl Reports {
    /// Reads `client_id`, `client_secret`, `x_signature_secret`, `ts_unit`.
    pub fn new(cfg: &Config) -> Result<Self> {
        cfg.str("client_id")?;
        let client_secret = cfg.secret("client_secret")?;
        let (secret, key_label) = match cfg.secret("x_signature_secret")? {
            Some(s) => {
                let label = s.masked("x_signature_secret");
                (s, label)
            }
            None => {
                let s = client_secret.ok_or_else(|| Error::config_missing("client_secret"))?;
                let label = s.masked("client_secret");
                (s, label)
            }
        };
        let format = cfg
            .choice("ts_unit", &["s", "ms"], |s| match s {
                "s" => Some(TimeFormat::UnixS),
                "ms" => Some(TimeFormat::UnixMs),
                _ => None,
            })?
            .unwrap_or(TimeFormat::UnixS);
        Ok(Reports {
            key: KeyedHmac::new(HashAlg::Sha256, secret.expose()),
            key_label,
            format,
        })
    }

    fn compute(&self, ts: &str) -> String {
        hex_lower(&self.key.sign(ts.as_bytes()))
    }
}

impl Scheme for Reports {
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        if !req.token.is_empty() {
            out.header_parts("Authorization", &["Bearer ", req.token]);
        }
        let ts = req.timestamp(self.format);
        let sig = self.compute(&ts);
        out.header("X-Timestamp", &ts);
        out.header("X-Signature", &sig);
        out.explain("timestamp", || ts.clone().into_bytes());
        out.explain("string_to_sign", || ts.clone().into_bytes());
        out.explain("hmac_key", || self.key_label.clone().into_bytes());
        out.explain("algorithm", || b"HMAC-SHA256".to_vec());
        out.explain("encoding", || b"hex".to_vec());
        Ok(())
    }

    fn expected_signature(&self, req: &Request<'_>) -> Result<(String, bool)> {
        Ok((self.compute(&req.timestamp(self.format)), true))
    }
}

/// PayNet OAuth2 API with the optional DuitNow OBW RSA `X-Signature` over caller-given fields.
pub struct Dobw {
    key: Option<RsaKey>,
    signature_key: Option<String>,
}

impl Dobw {
    /// Reads `client_id`, `client_secret` (for the token flow), `private_key`, `signature_key`.
    pub fn new(cfg: &Config) -> Result<Self> {
        cfg.str("client_id")?;
        cfg.secret("client_secret")?;
        let key = private_key(cfg)?;
        let signature_key = cfg.header_value("signature_key")?;
        Ok(Dobw { key, signature_key })
    }
}

impl Scheme for Dobw {
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        if !req.token.is_empty() {
            out.header_parts("Authorization", &["Bearer ", req.token]);
        }
        if let Some(sts) = &req.extra.string_to_sign {
            let key = self.key.as_ref().ok_or_else(|| Error::config_missing("private_key"))?;
            let sig = base64_std(&key.sign(HashAlg::Sha256, sts.as_bytes())?);
            out.header("X-Signature", &sig);
            if let Some(serial) = &self.signature_key {
                out.header("X-Signature-Key", serial);
            }
            out.explain("string_to_sign", || sts.clone().into_bytes());
            out.explain("algorithm", || b"RSA-SHA256 PKCS#1 v1.5".to_vec());
            out.explain("encoding", || b"base64".to_vec());
        }
        Ok(())
    }
}

/// PayNet compact JWS in `Authorization: Bearer`.
pub struct Jws {
    key: RsaKey,
    alg: HashAlg,
    alg_name: &'static str,
    client_id: String,
    jws_key: Option<String>,
    ttl_s: i64,
    header_json: String,
    api_version: String,
    body_form: BodyForm,
}

impl Jws {
    /// Reads `private_key`, `client_id`, `jws_key`, `jws_alg`, `jws_ttl_s`, `jws_header`,
    /// `api_version`.
    pub fn new(cfg: &Config) -> Result<Self> {
        let key = private_key(cfg)?.ok_or_else(|| Error::config_missing("private_key"))?;
        let client_id = cfg.req_header_value("client_id")?;
        let (alg, alg_name) = cfg
            .choice("jws_alg", &["RS256", "RS512"], |s| match s {
                "RS256" => Some((HashAlg::Sha256, "RS256")),
                "RS512" => Some((HashAlg::Sha512, "RS512")),
                _ => None,
            })?
            .unwrap_or((HashAlg::Sha256, "RS256"));
        let mut header = Map::new();
        header.insert("alg".into(), Value::String(alg_name.into()));
        header.insert("typ".into(), Value::String("JWT".into()));
        for (k, v) in cfg.object("jws_header")?.unwrap_or_default() {
            if k != "alg" {
                header.insert(k, v);
            }
        }
        Ok(Jws {
            key,
            alg,
            alg_name,
            client_id,
            jws_key: cfg.str("jws_key")?,
            ttl_s: cfg.int("jws_ttl_s", 1, 86_400)?.unwrap_or(900),
            header_json: Value::Object(header).to_string(),
            api_version: cfg.header_value("api_version")?.unwrap_or_else(|| "1.0.0".into()),
            body_form: BodyForm::from_config(cfg)?,
        })
    }
}

impl Scheme for Jws {
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        let message_id = req.require_extra("message_id", &req.extra.message_id)?;
        let (covered, how) = self.body_form.cover(req.body);
        let ds = sha256_hex(&covered);
        body::record(covered, how, out);
        let iat = req.time_ms.div_euclid(1000);
        let mut claims = Map::new();
        claims.insert("iss".into(), Value::String(self.client_id.clone()));
        claims.insert("iat".into(), Value::from(iat));
        claims.insert("exp".into(), Value::from(iat + self.ttl_s));
        if let Some(k) = &self.jws_key {
            claims.insert("key".into(), Value::String(k.clone()));
        }
        claims.insert("jti".into(), Value::String(message_id.to_string()));
        claims.insert("ds".into(), Value::String(ds.clone()));
        let claims_json = Value::Object(claims).to_string();
        let token = jws::compact(&self.header_json, &claims_json, &self.key, self.alg)?;
        out.header("Authorization", &format!("Bearer {}", token.token));
        out.header("X-Client-Id", &self.client_id);
        out.header("X-Api-Version", &self.api_version);
        out.header("x-business-message-id", message_id);
        out.header("Content-Type", "application/json");
        out.explain("body_sha256", || ds.into_bytes());
        out.explain("jws_header", || self.header_json.clone().into_bytes());
        out.explain("jws_claims", || claims_json.into_bytes());
        out.explain("signing_input", || token.signing_input.into_bytes());
        out.explain("algorithm", || self.alg_name.as_bytes().to_vec());
        Ok(())
    }

    fn body_form(&self) -> BodyForm {
        self.body_form
    }
}
