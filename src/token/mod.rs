//! Token acquisition: the gateways' token flows over HTTPS and the parsing of their responses.

pub mod flows;
pub mod http;
pub mod response;

use crate::secret::Secret;
use zeroize::Zeroizing;

/// An access token with its lifetime, as obtained from a token endpoint.
pub struct Token {
    /// The access token text (sent in headers).
    pub access_token: Zeroizing<String>,
    /// Paytia's rotating refresh token, when the gateway issues one.
    pub refresh_token: Option<Secret>,
    /// When the request that obtained it was sent (epoch ms).
    pub obtained_at_ms: i64,
    /// When it stops being valid (epoch ms).
    pub expires_at_ms: i64,
    /// When it becomes stale: served, but refreshed once (epoch ms).
    pub refresh_at_ms: i64,
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Token([redacted], expires_at_ms: {})", self.expires_at_ms)
    }
}

/// What a token endpoint returned, before the lifecycle policy places it in time.
pub struct Obtained {
    /// The access token.
    pub access_token: Zeroizing<String>,
    /// A refresh token (Paytia).
    pub refresh_token: Option<Secret>,
    /// The lifetime, either relative or absolute.
    pub lifetime: Lifetime,
}

/// How the gateway stated the token's lifetime.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// Seconds from when the request was sent (`expires_in`, `expiresIn`).
    Seconds(i64),
    /// Absolute epoch milliseconds (Netzme `expiry_token`).
    AbsoluteMs(i64),
    /// Not stated; the profile default applies.
    Unstated,
}
