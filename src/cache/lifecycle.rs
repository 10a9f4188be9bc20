//! Placing a token in time (expiry counted from when the request was sent, a refresh margin
//! proportional to the lifetime with jitter, bounds on absurd lifetimes) and the backoff after a
//! failed token request: every failure class backs off, exponentially with jitter, honouring
//! `Retry-After`. All instants are host-monotonic ms ([`crate::clock`]).

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
    /// Lifetimes above this are capped (a gateway's absurd `expires_in`).
    pub max_lifetime_s: i64,
    /// First backoff after rejected credentials (doubles while they keep being rejected).
    pub credential_backoff_ms: i64,
    /// First backoff after any other failure (doubles per consecutive failure).
    pub backoff_base_ms: i64,
    /// Longest backoff (before `Retry-After`).
    pub backoff_max_ms: i64,
    /// Longest `Retry-After` honoured.
    pub retry_after_max_s: i64,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            refresh_margin: 0.1,
            jitter: 0.2,
            max_lifetime_s: 86_400,
            credential_backoff_ms: 30_000,
            backoff_base_ms: 1_000,
            backoff_max_ms: 120_000,
            retry_after_max_s: 600,
        }
    }
}

/// Where a cached token stands at a given instant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Freshness {
    /// Before the refresh point: serve.
    Fresh,
    /// Inside the margin: serve, and refresh once in the background.
    Stale,
    /// Past expiry (or refused by the gateway): must refresh.
    Expired,
}

/// The freshness of `t` at the monotonic instant `now`.
pub fn freshness(t: &Token, now: i64) -> Freshness {
    if t.rejected || now >= t.expires_at {
        Freshness::Expired
    } else if now >= t.refresh_at {
        Freshness::Stale
    } else {
        Freshness::Fresh
    }
}

/// A uniform random number in [0, 1).
pub(crate) fn unit_random() -> f64 {
    use ring::rand::SecureRandom;
    let mut b = [0u8; 8];
    if ring::rand::SystemRandom::new().fill(&mut b).is_err() {
        return 0.5;
    }
    (u64::from_le_bytes(b) >> 11) as f64 / (1u64 << 53) as f64
}

/// A decided backoff: how long not to request, and why that long.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Delay {
    /// Duration in ms.
    pub ms: i64,
    /// How it was decided, for messages (`attempt 3`, `Retry-After 30 s`, …).
    pub basis: String,
}

/// When the request was sent, on both clocks.
#[derive(Clone, Copy, Debug)]
pub struct SentAt {
    /// Host-monotonic ms.
    pub mono: i64,
    /// Wall-clock epoch ms.
    pub wall: i64,
}

impl SentAt {
    /// Now.
    pub fn now() -> SentAt {
        SentAt {
            mono: crate::clock::mono_ms(),
            wall: crate::clock::wall_ms(),
        }
    }
}

impl Policy {
    /// Turns what the gateway returned into a token placed in time. Zero or negative lifetimes
    /// are rejected; an absolute expiry (Netzme) is read against the wall clock once, here.
    pub fn place(&self, o: Obtained, sent: SentAt, default_lifetime_s: i64) -> Result<Token> {
        let lifetime_ms = match o.lifetime {
            Lifetime::Seconds(s) => s.saturating_mul(1000),
            Lifetime::AbsoluteMs(at) => at.saturating_sub(sent.wall),
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
            obtained_at: sent.mono,
            refresh_at: sent.mono + lifetime_ms - margin_ms,
            expires_at: sent.mono + lifetime_ms,
            obtained_wall: sent.wall,
            generation: 0,
            rejected: false,
        })
    }

    /// The backoff after the `failures`-th consecutive failure (1 = the first), ending in `e`,
    /// with the gateway's `Retry-After` in seconds if it sent one. Exponential from the class's
    /// base (rejected credentials: `credential_backoff_ms`; anything else: `backoff_base_ms`),
    /// doubled per failure up to `backoff_max_ms`, with full jitter above the base; a
    /// `Retry-After` (capped at `retry_after_max_s`) is a floor.
    pub fn backoff(&self, e: &Error, retry_after_s: Option<u64>, failures: u32) -> Delay {
        let base = if e.code == PAYAUTH_CREDENTIALS_REJECTED {
            self.credential_backoff_ms.max(self.backoff_base_ms)
        } else {
            self.backoff_base_ms
        };
        let top = base
            .saturating_mul(1i64 << failures.clamp(1, 30).saturating_sub(1).min(30))
            .min(self.backoff_max_ms.max(base));
        let ms = base + ((top - base) as f64 * unit_random()) as i64;
        match retry_after_s {
            Some(s) => {
                let capped = (s as i64).min(self.retry_after_max_s);
                let basis = if capped < s as i64 {
                    format!("Retry-After {s} s, capped at {capped} s")
                } else {
                    format!("Retry-After {s} s")
                };
                Delay {
                    ms: ms.max(capped * 1000),
                    basis,
                }
            }
            None => Delay {
                ms,
                basis: format!("failure {failures} in a row"),
            },
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

    fn at(mono: i64) -> SentAt {
        SentAt { mono, wall: 1_000_000 }
    }

    #[test]
    fn margin_is_proportional_and_bounded() {
        let p = Policy::default();
        let t = p.place(obtained(Lifetime::Seconds(300)), at(1_000_000), 300).unwrap();
        assert_eq!(t.expires_at, 1_300_000);
        let margin = t.expires_at - t.refresh_at;
        assert!((30_000..=36_000).contains(&margin), "{margin}");
        assert_eq!(freshness(&t, 1_000_001), Freshness::Fresh);
        assert_eq!(freshness(&t, 1_299_999), Freshness::Stale);
        assert_eq!(freshness(&t, 1_300_000), Freshness::Expired);
        assert_eq!(freshness(&t.as_rejected(), 1_000_001), Freshness::Expired);
        // An absolute expiry is read against the wall clock of the sending instant.
        let abs = p
            .place(obtained(Lifetime::AbsoluteMs(1_000_000 + 36_000_000)), at(5), 300)
            .unwrap();
        assert_eq!(abs.expires_at, 36_000_005);
        assert!(p.place(obtained(Lifetime::Seconds(0)), at(1), 300).is_err());
        assert!(p.place(obtained(Lifetime::Seconds(-5)), at(1), 300).is_err());
        let huge = p
            .place(obtained(Lifetime::Seconds(1_000_000_000_000)), at(0), 300)
            .unwrap();
        assert_eq!(huge.expires_at, 86_400_000);
        let unstated = p.place(obtained(Lifetime::Unstated), at(0), 3600).unwrap();
        assert_eq!(unstated.expires_at, 3_600_000);
    }

    #[test]
    fn every_failure_backs_off_exponentially_and_retry_after_is_a_capped_floor() {
        let p = Policy::default();
        let e = Error::new(PAYAUTH_HTTP_STATUS, "503");
        assert_eq!(p.backoff(&e, None, 1).ms, 1_000);
        for n in 2..12 {
            let b = p.backoff(&e, None, n).ms;
            let top = (1_000i64 << (n - 1)).min(120_000);
            assert!((1_000..=top).contains(&b), "failure {n}: {b}");
        }
        assert!(p.backoff(&e, None, 100).ms <= 120_000);
        let ra = p.backoff(&e, Some(30), 1);
        assert_eq!((ra.ms, ra.basis.as_str()), (30_000, "Retry-After 30 s"));
        let capped = p.backoff(&e, Some(86_400), 1);
        assert_eq!(capped.ms, 600_000);
        assert!(capped.basis.contains("capped at 600 s"), "{}", capped.basis);
        let creds = Error::new(PAYAUTH_CREDENTIALS_REJECTED, "no");
        assert_eq!(p.backoff(&creds, None, 1).ms, 30_000);
        assert!((30_000..=60_000).contains(&p.backoff(&creds, None, 2).ms));
    }
}
