//! Verifying what a gateway signed with its RSA key (`gateway_public_key`): a PayNet JWS on a
//! response (the signature, then `ds` against the SHA-256 of the minified body), a string
//! signed as is (DuitNow OBW `X-Signature` over the concatenated fields, SNAP's
//! `client_key|timestamp`), and SNAP's asymmetric service signature
//! (`METHOD:path:lowerhex(SHA-256(minify(body))):timestamp`). Signatures are base64 (JWS:
//! base64url). A mismatch is `PAYAUTH_SIGNATURE_MISMATCH`, saying which check failed; checking
//! that a timestamp or `exp` is recent is the caller's policy.

use super::{Config, Request, Signer};
use crate::error::{Error, Result};
use crate::sign::encode::base64_decode;
use crate::sign::hmac::{HashAlg, sha256_hex};
use crate::sign::rsa_public::RsaPublicKey;
use crate::status::{PAYAUTH_INVALID_ARGUMENT, PAYAUTH_SIGNATURE_MISMATCH};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Reads the optional `gateway_public_key` (value, `_env` or `_file`).
pub(crate) fn gateway_key(cfg: &Config) -> Result<Option<RsaPublicKey>> {
    match cfg.secret("gateway_public_key")? {
        None => Ok(None),
        Some(pem) => RsaPublicKey::parse(pem.expose()).map(Some),
    }
}

fn mismatch(what: &str) -> Error {
    Error::new(PAYAUTH_SIGNATURE_MISMATCH, what.to_string())
}

fn signature_bytes(signature: &[u8]) -> Result<Vec<u8>> {
    let text = std::str::from_utf8(signature).map_err(|_| Error::invalid_arg("the signature is not base64 text"))?;
    base64_decode(text.trim()).ok_or_else(|| Error::invalid_arg("the signature is not base64"))
}

fn b64url_json(part: &str, what: &str) -> Result<Value> {
    let raw = URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|_| Error::invalid_arg(format!("the JWS {what} is not base64url")))?;
    match serde_json::from_slice::<Value>(&raw) {
        Ok(v @ Value::Object(_)) => Ok(v),
        _ => Err(Error::invalid_arg(format!("the JWS {what} is not a JSON object"))),
    }
}

impl Signer {
    fn gateway_key(&self) -> Result<&RsaPublicKey> {
        self.gateway_key
            .as_ref()
            .ok_or_else(|| Error::config_missing("gateway_public_key"))
    }

    /// Verifies an RSA-SHA256 signature (base64) of `message` as signed.
    pub fn verify_rsa(&self, message: &[u8], signature: &[u8]) -> Result<()> {
        let key = self.gateway_key()?;
        if key.verify(HashAlg::Sha256, message, &signature_bytes(signature)?) {
            Ok(())
        } else {
            Err(mismatch("the RSA signature does not verify with gateway_public_key"))
        }
    }

    /// Verifies SNAP's asymmetric service signature of an inbound request (`req.time_text` is
    /// the received `X-TIMESTAMP`).
    pub fn verify_snap_rsa(&self, req: &Request<'_>, signature: &[u8]) -> Result<()> {
        let key = self.gateway_key()?;
        let message = self.scheme.asymmetric_string(req)?;
        if key.verify(HashAlg::Sha256, &message, &signature_bytes(signature)?) {
            Ok(())
        } else {
            Err(mismatch(
                "the SNAP asymmetric signature does not verify with gateway_public_key",
            ))
        }
    }

    /// Verifies a compact JWS signed by the gateway (RS256 or RS512; `Bearer ` accepted in
    /// front) and binds `body` to it: the `ds` claim must be the SHA-256 hex of the body as the
    /// profile covers it (minified JSON by default). A JWS without `ds` verifies only with an
    /// empty body.
    pub fn verify_jws(&self, jws: &str, body: &[u8]) -> Result<()> {
        let key = self.gateway_key()?;
        let jws = jws.trim();
        let jws = jws.strip_prefix("Bearer ").unwrap_or(jws);
        let mut parts = jws.split('.');
        let (Some(h), Some(c), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
            return Err(Error::new(
                PAYAUTH_INVALID_ARGUMENT,
                "not a compact JWS (header.claims.signature)",
            ));
        };
        let header = b64url_json(h, "header")?;
        let alg = match header.get("alg").and_then(Value::as_str) {
            Some("RS256") => HashAlg::Sha256,
            Some("RS512") => HashAlg::Sha512,
            other => {
                return Err(mismatch(&format!(
                    "the JWS alg is {}, not RS256 or RS512",
                    other.map_or("missing".to_string(), |a| format!("`{a}`"))
                )));
            }
        };
        let sig = URL_SAFE_NO_PAD
            .decode(s)
            .map_err(|_| Error::invalid_arg("the JWS signature is not base64url"))?;
        let signing_input = &jws[..h.len() + 1 + c.len()];
        if !key.verify(alg, signing_input.as_bytes(), &sig) {
            return Err(mismatch("the JWS signature does not verify with gateway_public_key"));
        }
        let claims = b64url_json(c, "claims")?;
        let (covered, how) = self.scheme.body_form().cover(body);
        match claims.get("ds").and_then(Value::as_str) {
            Some(ds) if ds.eq_ignore_ascii_case(&sha256_hex(&covered)) => Ok(()),
            Some(_) => Err(mismatch(&format!(
                "the JWS signature verifies but its ds claim is not the SHA-256 of the body ({how})"
            ))),
            None if body.is_empty() => Ok(()),
            None => Err(mismatch("the JWS has no ds claim binding the body")),
        }
    }
}
