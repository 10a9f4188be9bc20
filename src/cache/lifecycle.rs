//! Placing a token in time: expiry counted from when the request was sent, a refresh margin
//! proportional to the lifetime with jitter, bounds on absurd lifetimes, and backoff after
//! failures.

use crate::error::{Error, Result};
use crate::status::*;
use crate::token::{Lifetime, Obtained, Token};

/// Lifecycle settings from the client configuration.
#[derive(Clone, Debug)]
pub struct Policy {
    /// Fraction of the lifetime before expiry at which a token becomes stale (0.0–0.5).
    pub refresh_margin: f64,
    /// Extra random fraction of the margin (spreads a fleet's refreshes).
    pub jitter: f64,
    /// Lifetime used when the gateway states none.
    pub default_lifetime_s: i64,
    /// Lifetimes above this are capped (a gateway's absurd `expires_in`).
    pub max_lifetime_s: i64,
    /// How long rejected credentials are not retried.
    pub credential_backoff_ms: i64,
    /// Backoff after a 429 without `Retry-After`.
    pub rate_limit_backoff_ms: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            refresh_margin: 0.1,
            jitter: 0.2,
            default_lifetime_s: 300,
            max_lifetime_s: 86_400,
            credential_backoff_ms: 30_000,
            rate_limit_backoff_ms: 1_000,
        }
    }
}

/// Where a cached token stands at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Before the refresh point: serve.
    Fresh,
    /// Inside the margin: serve, and refresh once.
    Stale,
    /// Past expiry: must refresh.
    Expired,
}

/// The freshness of `t` at `now_ms`.
pub fn freshness(t: &Token, now_ms: i64) -> Freshness {
    if now_ms >= t.expires_at_ms {
        Freshness::Expired
    } else if now_ms >= t.refresh_at_ms {
        Freshness::Stale
    } else {
        Freshness::Fresh
    }
}

/// A uniform random number in [0, 1).
fn unit_random() -> f64 {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 8];
    if ring::rand::SystemRandom::new().fill(&mut b).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

impl Policy {
    /// Turns what the gateway returned into a token placed in time; `sent_at_ms` is when the
    /// request was sent. Zero or negative lifetimes are rejected.
    pub fn place(&self, o: Obtained, sent_at_ms: i64, default_lifetime_s: i64) -> Result<Token> {
        let lifetime_ms = match o.lifetime {
            Lifetime::Seconds(s) => s.saturating_mul(1000),
            Lifetime::AbsoluteMs(at) => at.saturating_sub(sent_at_ms),
            Lifetime::Unstated => default_lifetime_s * 1000,
        };
        if lifetime_ms <= 0 {
            return Err(Error::new(
                PAYAUTH_TOKEN_RESPONSE_INVALID,
                format!("the token endpoint returned a token that is already expired (lifetime {lifetime_ms} ms)"),
            ));
        }
        let lifetime_ms = lifetime_ms.min(self.max_lifetime_s * 1000);
        let margin = lifetime_ms as f64 * self.refresh_margin * (1.0 + self.jitter * unit_random());
        let margin_ms = (margin as i64).clamp(0, lifetime_ms / 2);
        Ok(Token {
            access_token: o.access_token,
            refresh_token: o.refresh_token,
            obtained_at_ms: sent_at_ms,
            expires_at_ms: sent_at_ms + lifetime_ms,
            refresh_at_ms: sent_at_ms + lifetime_ms - margin_ms,
        })
    }

    /// How long to refrain from new requests after `e` (0 = retry on the next call).
    pub fn backoff_ms(&self, e: &Error, retry_after_s: Option<u64>) -> i64 {
        match e.code {
            PAYAUTH_CREDENTIALS_REJECTED => self.credential_backoff_ms,
            PAYAUTH_RATE_LIMITED => retry_after_s.map_or(self.rate_limit_backoff_ms, |s| (s.min(3600) as i64) * 1000),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zeroize::Zeroizing;

    fn obtained(l: Lifetime) -> Obtained {
        Obtained {
            access_token: Zeroizing::new("t".into()),
            refresh_token: None,
            lifetime: l,
        }
    }

    #[test]
    fn margin_is_proportional_and_bounded() {
        let p = Policy::default();
        let t = p.place(obtained(Lifetime::Seconds(300)), 1_000_000, 300).unwrap();
        assert_eq!(t.expires_at_ms, 1_300_000);
        let margin = t.expires_at_ms - t.refresh_at_ms;
        assert!((30_000..=36_000).contains(&margin), "{margin}");
        assert_eq!(freshness(&t, 1_000_001), Freshness::Fresh);
        assert_eq!(freshness(&t, 1_299_999), Freshness::Stale);
        assert_eq!(freshness(&t, 1_300_000), Freshness::Expired);
        let abs = p
            .place(obtained(Lifetime::AbsoluteMs(1_000_000 + 36_000_000)), 1_000_000, 300)
            .unwrap();
        assert_eq!(abs.expires_at_ms, 37_000_000);
        assert!(p.place(obtained(Lifetime::Seconds(0)), 1, 300).is_err());
        assert!(p.place(obtained(Lifetime::Seconds(-5)), 1, 300).is_err());
        let huge = p.place(obtained(Lifetime::Seconds(1_000_000_000_000)), 0, 300).unwrap();
        assert_eq!(huge.expires_at_ms, 86_400_000);
        let unstated = p.place(obtained(Lifetime::Unstated), 0, 3600).unwrap();
        assert_eq!(unstated.expires_at_ms, 3_600_000);
    }
}
