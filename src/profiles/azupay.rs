//! Azupay: the static API key sent raw in `Authorization` (or a Bearer token from the OAuth2
//! option), and an optional HMAC signer that is **configuration only**: Azupay has not published
//! its HMAC scheme (docs/gateways.md), so nothing here guesses a default.

use super::{Config, Request, Scheme, Signed, distinct_headers, header_name};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::sign::encode::{Encoding, base64_decode};
use crate::sign::hmac::{HashAlg, KeyedHmac, sha256_hex};
use crate::sign::template::Template;
use crate::sign::time::TimeFormat;

const VARS: &[&str] = &["method", "path", "query", "timestamp", "body", "body_sha256", "key_id"];

struct HmacSigner {
    mac: KeyedHmac,
    hash: HashAlg,
    key_label: String,
    output: Encoding,
    template: Template,
    format: TimeFormat,
    signature_header: String,
    timestamp_header: String,
    key_id: Option<(String, Option<String>)>,
}

/// The Azupay profile.
pub struct Azupay {
    api_key: Secret,
    hmac: Option<HmacSigner>,
}

/// The HMAC key as `key_encoding` says: the secret's bytes, without a leading `HMAC_`, or
/// decoded from base64.
fn key_bytes(secret: &Secret, key_encoding: &str) -> Result<zeroize::Zeroizing<Vec<u8>>> {
    Ok(zeroize::Zeroizing::new(match key_encoding {
        "utf8" => secret.expose().to_vec(),
        "strip_prefix" => secret
            .expose()
            .strip_prefix(b"HMAC_")
            .unwrap_or(secret.expose())
            .to_vec(),
        _ => base64_decode(secret.expose_str())
            .ok_or_else(|| Error::config_invalid("hmac.secret", "is not valid base64 (key_encoding is base64)"))?,
    }))
}

/// The signature and timestamp header names and the key id (with its optional header): names
/// distinct from each other and from `Authorization`; a key id when the template or a header
/// needs one.
type KeyId = Option<(String, Option<String>)>;
fn headers(h: &Config, template_uses_key_id: bool) -> Result<(String, String, KeyId)> {
    let signature_header = header_name("hmac.signature_header", h.req_str("signature_header")?)?;
    let timestamp_header = header_name("hmac.timestamp_header", h.req_str("timestamp_header")?)?;
    let key_id = h.header_value("key_id")?;
    let key_id_header = match h.str("key_id_header")? {
        Some(n) => Some(header_name("hmac.key_id_header", n)?),
        None => None,
    };
    let mut named = vec![
        ("hmac.signature_header", signature_header.as_str()),
        ("hmac.timestamp_header", timestamp_header.as_str()),
    ];
    if let Some(k) = &key_id_header {
        named.push(("hmac.key_id_header", k.as_str()));
    }
    distinct_headers(&named, &["Authorization"])?;
    let key_id = match (key_id, key_id_header) {
        (Some(id), hdr) => Some((id, hdr)),
        (None, Some(_)) => return Err(Error::config_missing("hmac.key_id")),
        (None, None) if template_uses_key_id => return Err(Error::config_missing("hmac.key_id")),
        (None, None) => None,
    };
    Ok((signature_header, timestamp_header, key_id))
}

impl HmacSigner {
    fn new(h: &Config) -> Result<Self> {
        let secret = h.req_secret("secret")?;
        let hash = h
            .choice("hash", &["sha256", "sha512"], HashAlg::parse)?
            .ok_or_else(|| Error::config_missing("hmac.hash"))?;
        let key_encoding = h
            .choice("key_encoding", &["utf8", "strip_prefix", "base64"], |s| {
                ["utf8", "strip_prefix", "base64"].contains(&s).then(|| s.to_string())
            })?
            .ok_or_else(|| Error::config_missing("hmac.key_encoding"))?;
        let key_bytes = key_bytes(&secret, &key_encoding)?;
        let output = h
            .choice("output", &["hex", "hex_upper", "base64"], |s| {
                Encoding::parse(s).filter(|e| *e != Encoding::Base64Url)
            })?
            .ok_or_else(|| Error::config_missing("hmac.output"))?;
        let template =
            Template::parse(&h.req_str("template")?, VARS).map_err(|e| Error::config_invalid("hmac.template", e))?;
        let offset_minutes = h.int("utc_offset_minutes", -720, 840)?.unwrap_or(0) as i32;
        let format = h
            .choice("timestamp_format", &["unix_s", "unix_ms", "iso8601"], |s| match s {
                "unix_s" => Some(TimeFormat::UnixS),
                "unix_ms" => Some(TimeFormat::UnixMs),
                "iso8601" => Some(TimeFormat::Iso8601 {
                    offset_minutes,
                    millis: false,
                }),
                _ => None,
            })?
            .ok_or_else(|| Error::config_missing("hmac.timestamp_format"))?;
        let (signature_header, timestamp_header, key_id) = headers(h, template.uses(6))?;
        h.finish("azupay")?;
        Ok(HmacSigner {
            mac: KeyedHmac::new(hash, &key_bytes),
            hash,
            key_label: format!("{} ({key_encoding})", secret.masked("hmac.secret")),
            output,
            template,
            format,
            signature_header,
            timestamp_header,
            key_id,
        })
    }

    fn compute(&self, req: &Request<'_>, out: &mut Signed) -> (String, String) {
        let ts = req.timestamp(self.format);
        let body_hash = sha256_hex(req.body);
        let key_id = self.key_id.as_ref().map_or("", |(id, _)| id.as_str());
        let sts = self.template.render(&[
            req.method.as_bytes(),
            req.path_only().as_bytes(),
            req.query().as_bytes(),
            ts.as_bytes(),
            req.body,
            body_hash.as_bytes(),
            key_id.as_bytes(),
        ]);
        let sig = self.output.encode(&self.mac.sign(&sts));
        out.explain("timestamp", || ts.clone().into_bytes());
        out.explain("body_sha256", || body_hash.into_bytes());
        out.explain("string_to_sign", || sts);
        out.explain("hmac_key", || self.key_label.clone().into_bytes());
        out.explain("algorithm", || self.hash.hmac_name().as_bytes().to_vec());
        out.explain("encoding", || self.output.as_str().as_bytes().to_vec());
        (ts, sig)
    }
}

impl Azupay {
    /// Reads `api_key` and the optional `hmac` object.
    pub fn new(cfg: &Config) -> Result<Self> {
        cfg.str("client_id")?;
        cfg.secret("client_secret")?;
        let api_key = cfg.req_header_secret("api_key")?;
        let hmac = match cfg.nested("hmac")? {
            Some(h) => Some(HmacSigner::new(&h)?),
            None => None,
        };
        Ok(Azupay { api_key, hmac })
    }
}

impl Scheme for Azupay {
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        if req.token.is_empty() {
            out.header("Authorization", self.api_key.expose_str());
        } else {
            out.header_parts("Authorization", &["Bearer ", req.token]);
        }
        if let Some(h) = &self.hmac {
            let (ts, sig) = h.compute(req, out);
            out.header(&h.timestamp_header, &ts);
            if let Some((id, Some(hdr))) = &h.key_id {
                out.header(hdr, id);
            }
            out.header(&h.signature_header, &sig);
        }
        Ok(())
    }

    fn expected_signature(&self, req: &Request<'_>) -> Result<(String, bool)> {
        let h = self.hmac.as_ref().ok_or_else(|| {
            Error::new(
                crate::status::PAYAUTH_UNSUPPORTED,
                "this azupay profile has no `hmac` configuration",
            )
        })?;
        let (_, sig) = h.compute(req, &mut Signed::new(false));
        Ok((sig, h.output.case_insensitive()))
    }
}
