//! Compact JWS (RFC 7515) with RS256 / RS512.

use crate::error::Result;
use crate::sign::encode::base64url;
use crate::sign::hmac::HashAlg;
use crate::sign::rsa::RsaKey;

/// A compact JWS and its signing input.
pub struct CompactJws {
    /// `b64url(header) "." b64url(claims)`.
    pub signing_input: String,
    /// `signing_input "." b64url(signature)`.
    pub token: String,
}

/// Signs the given header and claims JSON texts exactly as given.
pub fn compact(header_json: &str, claims_json: &str, key: &RsaKey, alg: HashAlg) -> Result<CompactJws> {
    let signing_input = format!(
        "{}.{}",
        base64url(header_json.as_bytes()),
        base64url(claims_json.as_bytes())
    );
    let sig = key.sign(alg, signing_input.as_bytes())?;
    let token = format!("{signing_input}.{}", base64url(&sig));
    Ok(CompactJws { signing_input, token })
}
