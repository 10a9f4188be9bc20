//! A shared cache entry: the token (with Paytia's rotated refresh token, stored atomically with
//! its access token) and whether a refresher is switching tokens right now.

use super::seal::Sealer;
use crate::secret::Secret;
use crate::token::Token;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

/// What the shared tiers store for one credential (sealed with [`Sealer`]).
#[derive(Serialize, Deserialize)]
pub struct Entry {
    /// A refresher is replacing the token: gateways that kill the previous token must not see it
    /// used any more (the refresher waits `handover_ms` before requesting).
    pub switching: bool,
    /// The access token.
    pub access_token: String,
    /// The refresh token to use for the next renewal (Paytia).
    pub refresh_token: Option<String>,
    /// When the token request was sent (epoch ms).
    pub obtained_at_ms: i64,
    /// Expiry (epoch ms).
    pub expires_at_ms: i64,
    /// Start of the refresh margin (epoch ms).
    pub refresh_at_ms: i64,
}

impl Drop for Entry {
    fn drop(&mut self) {
        self.access_token.zeroize();
        if let Some(r) = &mut self.refresh_token {
            r.zeroize();
        }
    }
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Entry([redacted], switching: {}, expires_at_ms: {})",
            self.switching, self.expires_at_ms
        )
    }
}

impl Entry {
    /// The entry for a token.
    pub fn of(t: &Token, switching: bool) -> Entry {
        Entry {
            switching,
            access_token: t.access_token.to_string(),
            refresh_token: t.refresh_token.as_ref().map(|r| r.expose_str().to_string()),
            obtained_at_ms: t.obtained_at_ms,
            expires_at_ms: t.expires_at_ms,
            refresh_at_ms: t.refresh_at_ms,
        }
    }

    /// The token it holds.
    pub fn token(&self) -> Token {
        Token {
            access_token: Zeroizing::new(self.access_token.clone()),
            refresh_token: self.refresh_token.as_ref().map(|r| Secret::new(r.as_bytes().to_vec())),
            obtained_at_ms: self.obtained_at_ms,
            expires_at_ms: self.expires_at_ms,
            refresh_at_ms: self.refresh_at_ms,
        }
    }

    /// Sealed bytes.
    pub fn seal(&self, sealer: &Sealer) -> Option<Vec<u8>> {
        let plain = Zeroizing::new(serde_json::to_vec(self).ok()?);
        sealer.seal(&plain)
    }

    /// Opens sealed bytes; `None` for anything that does not open or parse.
    pub fn open(sealer: &Sealer, sealed: &[u8]) -> Option<Entry> {
        Entry::parse(&sealer.open(sealed)?)
    }

    /// Opens sealed bytes in their own buffer (decrypted in place: the caller wipes it).
    pub fn open_in_place(sealer: &Sealer, sealed: &mut [u8]) -> Option<Entry> {
        Entry::parse(sealer.open_in_place(sealed)?)
    }

    fn parse(plain: &[u8]) -> Option<Entry> {
        let e: Entry = serde_json::from_slice(plain).ok()?;
        (e.expires_at_ms >= e.refresh_at_ms && !e.access_token.is_empty()).then_some(e)
    }
}
