//! Paytia: `X-API-KEY` on every request, plus `ACCESS-TOKEN` once the optional "enhanced
//! security" token exists (docs/gateways.md).

use super::{Config, Request, Scheme, Signed, distinct_headers, header_name};
use crate::error::Result;
use crate::secret::Secret;

/// The Paytia profile.
pub struct Paytia {
    api_key: Secret,
    token_header: String,
}

impl Paytia {
    /// Reads `api_key`, `client_id`, `client_secret` (token flow) and `token_header`.
    pub fn new(cfg: &Config) -> Result<Self> {
        let api_key = cfg.req_header_secret("api_key")?;
        cfg.str("client_id")?;
        cfg.secret("client_secret")?;
        let token_header = match cfg.str("token_header")? {
            Some(h) => header_name("token_header", h)?,
            None => "ACCESS-TOKEN".to_string(),
        };
        distinct_headers(&[("token_header", &token_header)], &["X-API-KEY"])?;
        Ok(Paytia { api_key, token_header })
    }
}

impl Scheme for Paytia {
    fn sign(&self, req: &Request<'_>, out: &mut Signed) -> Result<()> {
        out.header("X-API-KEY", self.api_key.expose_str());
        if !req.token.is_empty() {
            out.header(&self.token_header, req.token);
        }
        Ok(())
    }
}
