//! Netzme legacy ("toko" / aggregator) API: Basic-auth token request and the salted
//! HMAC-SHA256 request signature (docs/gateways.md).

use super::body::{self, BodyForm};
use super::{Config, Request, Scheme, Signed};
use crate::error::{Error, Result};
use crate::secret::Secret;
use crate::sign::encode::{basic_auth, hex_lower};
use crate::sign::hmac::{HashAlg, hmac};
use crate::sign::template::Template;
use crate::sign::time::TimeFormat;
use zeroize::Zeroizing;

const PAYLOAD_VARS: &[&str] = &["path", "method", "auth", "token", "timestamp", "body"];
const KEY_VARS: &[&str] = &["secret", "timestamp", "auth", "token"];
const DEFAULT_PAYLOAD: &str = "path={path}&method={method}&token={auth}&timestamp={timestamp}&body={body}";
const DEFAULT_KEY: &str = "{secret}-{timestamp}-{auth}";

/// The Netzme legacy scheme.
pub struct Legacy {
    client_id: String,
    secret: Secret,
    payload: Template,
    key: Template,
    body_form: BodyForm,
}

impl Legacy {
    /// Reads `client_id`, `client_secret`, `payload_template`, `key_template`.
    pub fn new(cfg: &Config) -> Result<Self> {
        let client_id = cfg.req_header_value("client_id")?;
        if client_id.contains(':') {
            // RFC 7617: the user-id of a Basic credential cannot contain a colon.
            return Err(Error::config_invalid(
                "client_id",
                "contains `:`, which a Basic credential (the token request) cannot carry",
            ));
        }
        let secret = cfg.req_secret("client_secret")?;
        let payload = Template::parse(
            &cfg.str("payload_template")?.unwrap_or_else(|| DEFAULT_PAYLOAD.into()),
            PAYLOAD_VARS,
        )
        .map_err(|e| Error::config_invalid("payload_template", e))?;
        let key = Template::parse(
            &cfg.str("key_template")?.unwrap_or_else(|| DEFAULT_KEY.into()),
            KEY_VARS,
        )
        .map_err(|e| Error::config_invalid("key_template", e))?;
        if !key.uses(0) {
            return Err(Error::config_invalid("key_template", "must contain {secret}"));
        }
        Ok(Legacy {
            client_id,
            secret,
            payload,
            key,
            body_form: BodyForm::from_config(cfg)?,
        })
    }

    /// Returns (timestamp, payload, signature hex).
    fn compute(&self, req: &Request<'_>, out: &mut Signed) -> Result<(String, String)> {
        let token = req.require_token()?;
        let ts = req.timestamp(TimeFormat::UnixMs);
        let auth = req.bearer();
        let (covered, how) = self.body_form.cover(req.body);
        let payload = self.payload.render(&[
            req.path.as_bytes(),
            req.method.as_bytes(),
            auth.as_bytes(),
            token.as_bytes(),
            ts.as_bytes(),
            &covered,
        ]);
        body::record(covered, how, out);
        let key =
            Zeroizing::new(
                self.key
                    .render(&[self.secret.expose(), ts.as_bytes(), auth.as_bytes(), token.as_bytes()]),
            );
        let sig = hex_lower(&hmac(HashAlg::Sha256, &key, &payload));
        out.explain("timestamp", || ts.clone().into_bytes());
        out.explain("string_to_sign", || payload);
        out.explain("hmac_key", || {
            let masked = self.secret.masked("client_secret");
            self.key
                .render(&[masked.as_bytes(), ts.as_bytes(), auth.as_bytes(), token.as_bytes()])
        });
        out.explain("algorithm", || b"HMAC-SHA256".to_vec());
        out.explain("encoding", || b"hex".to_vec());
        Ok((ts, sig))
    }
}

impl Scheme for Legacy {
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        let (ts, sig) = self.compute(req, out)?;
        out.header_parts("Authorization", &["Bearer ", req.token]);
        out.header("Request-Time", &ts);
        out.header("Signature", &sig);
        out.header("Client-Id", &self.client_id);
        out.header("Content-Type", "application/json");
        Ok(())
    }

    fn token_headers(&self, _req: &Request<'_>, out: &mut Signed) -> Result<()> {
        out.header(
            "Authorization",
            &basic_auth(self.client_id.as_bytes(), self.secret.expose()),
        );
        out.header("Content-Type", "application/json");
        Ok(())
    }

    fn expected_signature(&self, req: &Request<'_>) -> Result<(String, bool)> {
        Ok((self.compute(req, &mut Signed::new(false))?.1, true))
    }
}
