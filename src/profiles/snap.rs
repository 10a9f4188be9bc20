//! SNAP BI (Indonesia) and Netzme vSNAP: the RSA-signed B2B token request and the symmetric
//! HMAC-SHA512 service signature (docs/gateways.md). Netzme's own code emits hex, the
//! standard base64; the encoding is a field.

use super::body::{self, BodyForm};
use super::{Config, Request, Scheme, Signed, private_key};
use crate::error::{Error, Result};
use crate::sign::encode::{Encoding, base64_std};
use crate::sign::hmac::{HashAlg, KeyedHmac, sha256_hex};
use crate::sign::rsa::RsaKey;
use crate::sign::time::TimeFormat;

/// A SNAP profile.
pub struct Snap {
    client_id: String,
    hmac: Option<(KeyedHmac, String)>,
    key: Option<RsaKey>,
    channel_id: Option<String>,
    encoding: Encoding,
    format: TimeFormat,
    include_query: bool,
    body_form: BodyForm,
}

impl Snap {
    /// Reads the SNAP fields; `default_encoding` differs between `snap` and `netzme-snap`.
    pub fn new(cfg: &Config, default_encoding: Encoding) -> Result<Self> {
        let client_id = cfg.req_header_value("client_id")?;
        let hmac = cfg
            .secret("client_secret")?
            .map(|s| (KeyedHmac::new(HashAlg::Sha512, s.expose()), s.masked("client_secret")));
        let key = private_key(cfg)?;
        if hmac.is_none() && key.is_none() {
            return Err(Error::config_missing("client_secret"));
        }
        let channel_id = cfg.header_value("channel_id")?;
        let encoding = cfg
            .choice("signature_encoding", &["hex", "base64"], |s| match s {
                "hex" => Some(Encoding::Hex),
                "base64" => Some(Encoding::Base64),
                _ => None,
            })?
            .unwrap_or(default_encoding);
        let offset_minutes = cfg.int("utc_offset_minutes", -720, 840)?.unwrap_or(420) as i32;
        let millis = cfg.bool("timestamp_millis")?.unwrap_or(false);
        let include_query = cfg.bool("include_query")?.unwrap_or(true);
        let body_form = BodyForm::from_config(cfg)?;
        Ok(Snap {
            client_id,
            hmac,
            key,
            channel_id,
            encoding,
            format: TimeFormat::Iso8601 { offset_minutes, millis },
            include_query,
            body_form,
        })
    }

    /// Returns (timestamp, signature) and records the artifacts.
    fn compute(&self, req: &Request<'_>, out: &mut Signed) -> Result<(String, String)> {
        let (mac, label) = self
            .hmac
            .as_ref()
            .ok_or_else(|| Error::config_missing("client_secret"))?;
        let token = req.require_token()?;
        let ts = req.timestamp(self.format);
        let path = if self.include_query { req.path } else { req.path_only() };
        let (covered, how) = self.body_form.cover(req.body);
        let body_hash = sha256_hex(&covered);
        body::record(covered, how, out);
        let sts = [&*req.method, path, token, &body_hash, &ts].join(":");
        let sig = self.encoding.encode(&mac.sign(sts.as_bytes()));
        out.explain("timestamp", || ts.clone().into_bytes());
        out.explain("body_sha256", || body_hash.into_bytes());
        out.explain("string_to_sign", || sts.into_bytes());
        out.explain("hmac_key", || label.clone().into_bytes());
        out.explain("algorithm", || b"HMAC-SHA512".to_vec());
        out.explain("encoding", || self.encoding.as_str().as_bytes().to_vec());
        Ok((ts, sig))
    }
}

/// 32 random decimal digits for `X-EXTERNAL-ID`.
fn external_id() -> Result<String> {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 16];
    ring::rand::SystemRandom::new()
        .fill(&mut b)
        .map_err(|_| Error::new(crate::status::PAYAUTH_INTERNAL, "the system random generator failed"))?;
    Ok(format!("{:032}", u128::from_le_bytes(b) % 10u128.pow(32)))
}

impl Scheme for Snap {
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        let (ts, sig) = self.compute(req, out)?;
        let external_id = match &req.extra.external_id {
            Some(id) => id.clone(),
            None => external_id()?,
        };
        out.header_parts("Authorization", &["Bearer ", req.token]);
        out.header("X-TIMESTAMP", &ts);
        out.header("X-SIGNATURE", &sig);
        out.header("X-PARTNER-ID", &self.client_id);
        out.header("X-EXTERNAL-ID", &external_id);
        if let Some(c) = &self.channel_id {
            out.header("CHANNEL-ID", c);
        }
        out.header("Content-Type", "application/json");
        Ok(())
    }

    fn token_headers(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        let key = self.key.as_ref().ok_or_else(|| Error::config_missing("private_key"))?;
        let ts = req.timestamp(self.format);
        let sts = format!("{}|{ts}", self.client_id);
        let sig = base64_std(&key.sign(HashAlg::Sha256, sts.as_bytes())?);
        out.header("X-TIMESTAMP", &ts);
        out.header("X-CLIENT-KEY", &self.client_id);
        out.header("X-SIGNATURE", &sig);
        out.header("Content-Type", "application/json");
        out.explain("timestamp", || ts.into_bytes());
        out.explain("string_to_sign", || sts.into_bytes());
        out.explain("algorithm", || b"RSA-SHA256 PKCS#1 v1.5".to_vec());
        out.explain("encoding", || b"base64".to_vec());
        Ok(())
    }

    fn expected_signature(&self, req: &Request<'_>) -> Result<(String, bool)> {
        let (_, sig) = self.compute(req, &mut Signed::new(false))?;
        Ok((sig, self.encoding.case_insensitive()))
    }

    fn asymmetric_string(&self, req: &Request<'_>) -> Result<Vec<u8>> {
        let ts = req.timestamp(self.format);
        let path = if self.include_query { req.path } else { req.path_only() };
        let (covered, _) = self.body_form.cover(req.body);
        Ok(format!("{}:{path}:{}:{ts}", req.method, sha256_hex(&covered)).into_bytes())
    }

    fn body_form(&self) -> BodyForm {
        self.body_form
    }
}
