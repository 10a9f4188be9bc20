//! A shared cache entry: the credential's token (with Paytia's rotated refresh token, stored
//! atomically with its access token), whether a refresher is switching tokens right now, and the
//! backoff after a failed token request, so every process of the host (and every host, through
//! the fleet tier) honours one backoff.
//!
//! Times: an entry carries wall-clock times (comparable across hosts) and, for readers of the same
//! boot, host-monotonic ones (immune to clock steps). Fleet readers place it with Redis's own
//! remaining TTL instead (see `fleet`). A generation, increased by every writer, lets a reader
//! refuse an older entry restored over a newer one it has seen.

use super::seal::Sealer;
use crate::clock;
use crate::secret::Secret;
use crate::token::Token;
use serde::{Deserialize, Serialize};
use zeroize::{Zeroize, Zeroizing};

/// The token part of an entry.
#[derive(Clone, Serialize, Deserialize)]
pub struct Held {
    /// The access token.
    pub access_token: String,
    /// The refresh token to use for the next renewal (Paytia).
    pub refresh_token: Option<String>,
    /// When the token request was sent (epoch ms).
    pub obtained_wall: i64,
    /// The same instant on the writer's monotonic clock.
    pub obtained_mono: i64,
    /// Lifetime (ms from `obtained_*`).
    pub lifetime_ms: i64,
    /// Start of the refresh margin (ms from `obtained_*`).
    pub refresh_after_ms: i64,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.access_token.zeroize();
        if let Some(r) = &mut self.refresh_token {
            r.zeroize();
        }
    }
}

/// A backoff in force for the credential.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Refusal {
    /// End of the backoff (epoch ms).
    pub until_wall: i64,
    /// The same instant on the writer's monotonic clock.
    pub until_mono: i64,
    /// The backoff's length (a reader never waits longer than this from when it first sees it,
    /// whatever the clocks say).
    pub duration_ms: i64,
    /// Consecutive failed token requests so far (kept after the backoff ends, so the next
    /// failure backs off longer).
    pub failures: u32,
    /// How long the record outlives the backoff in Redis (its `PX` is `duration + linger`).
    #[serde(default)]
    pub linger_ms: i64,
    /// The status of the last failure.
    pub code: i32,
    /// Why (the last failure's message, already free of secrets).
    pub reason: String,
    /// How the length was chosen (`Retry-After 30 s`, `failure 3 in a row`).
    #[serde(default)]
    pub basis: String,
}

/// A token switch announced by a refresher (gateways that kill the previous token).
#[derive(Clone, Copy, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct Switch {
    /// When readers may use the old token again if no new one came (epoch ms).
    pub until_wall: i64,
    /// The same instant on the writer's monotonic clock.
    pub until_mono: i64,
}

/// What the shared tiers store for one credential (sealed with [`Sealer`]).
#[derive(Clone, Default, Serialize, Deserialize)]
pub struct Entry {
    /// Increased by every write; a reader ignores entries older than one it has seen.
    pub generation: u64,
    /// The writer's boot (its monotonic times are comparable on the same boot only).
    pub boot_id: String,
    /// The token, if one was obtained.
    pub held: Option<Held>,
    /// A refresher is replacing the token: gateways that kill the previous token must not see it
    /// used any more (the refresher waits `handover_ms` before requesting). Bounded: a refresher
    /// that is stuck past `until` no longer holds the others back.
    pub switching: Option<Switch>,
    /// A backoff in force after failed token requests.
    pub refusal: Option<Refusal>,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Entry(generation {}, token: {}, switching: {}, refusal: {:?})",
            self.generation,
            if self.held.is_some() { "[redacted]" } else { "none" },
            self.switching.is_some(),
            self.refusal.as_ref().map(|r| r.until_wall)
        )
    }
}

impl Entry {
    /// An entry holding `t` (from this process's clocks).
    pub fn of(t: &Token, generation: u64) -> Entry {
        Entry {
            generation,
            boot_id: clock::boot_id().to_string(),
            held: Some(Held {
                access_token: t.access_token.to_string(),
                refresh_token: t.refresh_token.as_ref().map(|r| r.expose_str().to_string()),
                obtained_wall: t.obtained_wall,
                obtained_mono: t.obtained_at,
                lifetime_ms: t.lifetime_ms(),
                refresh_after_ms: t.refresh_at - t.obtained_at,
            }),
            switching: None,
            refusal: None,
        }
    }

    /// Whether the writer ran on this boot (its monotonic times are ours).
    pub fn same_boot(&self) -> bool {
        !self.boot_id.is_empty() && self.boot_id == clock::boot_id()
    }

    /// The token placed on this process's monotonic clock: from the writer's monotonic time on
    /// the same boot, else from wall time, or at `expires_at` when the caller knows it better
    /// (Redis's remaining TTL).
    pub fn token(&self, expires_at: Option<i64>) -> Option<Token> {
        let h = self.held.as_ref()?;
        let obtained_at = match expires_at {
            Some(e) => e - h.lifetime_ms,
            None if self.same_boot() => h.obtained_mono,
            None => clock::wall_to_mono(h.obtained_wall),
        };
        Some(Token {
            access_token: Zeroizing::new(h.access_token.clone()),
            refresh_token: h.refresh_token.as_ref().map(|r| Secret::new(r.as_bytes().to_vec())),
            obtained_at,
            refresh_at: obtained_at + h.refresh_after_ms,
            expires_at: obtained_at + h.lifetime_ms,
            obtained_wall: h.obtained_wall,
            generation: self.generation,
            rejected: false,
        })
    }

    /// Whether a switch announced in this entry holds readers back at the monotonic `now`.
    pub fn switching_at(&self, now: i64) -> bool {
        self.switching.is_some_and(|s| {
            let until = if self.same_boot() {
                s.until_mono
            } else {
                clock::wall_to_mono(s.until_wall)
            };
            now < until
        })
    }

    /// The end of the backoff on this process's monotonic clock, given `now` and when this
    /// process first saw it (`first_seen`): never later than `duration_ms` after that.
    pub fn refusal_until(&self, first_seen: i64) -> Option<i64> {
        let r = self.refusal.as_ref()?;
        let until = if self.same_boot() {
            r.until_mono
        } else {
            clock::wall_to_mono(r.until_wall)
        };
        Some(until.min(first_seen + r.duration_ms))
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
        let sane = e.held.as_ref().is_none_or(|h| {
            !h.access_token.is_empty() && h.lifetime_ms > 0 && (0..=h.lifetime_ms).contains(&h.refresh_after_ms)
        }) && e.refusal.as_ref().is_none_or(|r| r.duration_ms >= 0);
        sane.then_some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_token_round_trips_on_the_same_boot_and_a_refusal_is_bounded_by_its_duration() {
        let now = clock::mono_ms();
        let t = Token {
            access_token: Zeroizing::new("tok".into()),
            refresh_token: Some(Secret::new(b"r1".to_vec())),
            obtained_at: now,
            refresh_at: now + 9_000,
            expires_at: now + 10_000,
            obtained_wall: clock::wall_ms(),
            generation: 0,
            rejected: false,
        };
        let s = Sealer::new("id", b"k");
        let e = Entry::open(&s, &Entry::of(&t, 7).seal(&s).unwrap()).unwrap();
        let back = e.token(None).unwrap();
        assert_eq!(
            (back.obtained_at, back.refresh_at, back.expires_at, back.generation),
            (now, now + 9_000, now + 10_000, 7)
        );
        assert_eq!(back.refresh_token.unwrap().expose(), b"r1");
        // Placed by a remaining TTL instead.
        assert_eq!(e.token(Some(now + 500)).unwrap().expires_at, now + 500);
        // A refusal written an hour "ahead" (a clock step) lasts its duration, not the hour.
        let r = Entry {
            boot_id: "another boot".into(),
            refusal: Some(Refusal {
                until_wall: clock::wall_ms() + 3_600_000,
                until_mono: 0,
                duration_ms: 2_000,
                failures: 1,
                linger_ms: 0,
                code: 0,
                reason: String::new(),
                basis: String::new(),
            }),
            ..Entry::default()
        };
        assert_eq!(r.refusal_until(now), Some(now + 2_000));
    }
}
