//! Token acquisition: the gateways' token flows over HTTPS and the parsing of their responses.

pub mod flows;
pub mod http;
pub mod response;

use crate::secret::Secret;
use zeroize::Zeroizing;

/// An access token placed in time. Instants are host-monotonic milliseconds
/// ([`crate::clock::mono_ms`]): a step of the wall clock moves none of them.
#[derive(Clone)]
pub struct Token {
    /// The access token text (sent in headers).
    pub access_token: Zeroizing<String>,
    /// Paytia's rotating refresh token, when the gateway issues one.
    pub refresh_token: Option<Secret>,
    /// When the request that obtained it was sent.
    pub obtained_at: i64,
    /// When it becomes stale: served, and refreshed once in the background.
    pub refresh_at: i64,
    /// When it stops being valid.
    pub expires_at: i64,
    /// Wall-clock time of `obtained_at` (what other hosts can compare).
    pub obtained_wall: i64,
    /// Its generation in the shared tiers (0: never shared).
    pub generation: u64,
    /// The gateway refused it (invalidated after a 401): never served again.
    pub rejected: bool,
}

impl Token {
    /// Lifetime in ms.
    pub fn lifetime_ms(&self) -> i64 {
        self.expires_at - self.obtained_at
    }

    /// The same token marked as refused by the gateway.
    pub fn as_rejected(&self) -> Token {
        Token {
            rejected: true,
            ..self.clone()
        }
    }
}

impl std::fmt::Debug for Token {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Token([redacted], expires_at: {}, generation: {}{})",
            self.expires_at,
            self.generation,
            if self.rejected { ", rejected" } else { "" }
        )
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
