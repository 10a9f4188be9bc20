//! Counters the tests assert on.

use crate::profile::Profile;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::Index;

/// Counters of one profile.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileStats {
    /// Requests that reached the profile's token endpoint (faulted ones included).
    pub token_requests: u64,
    /// Paytia `refresh_token` grants (a subset of `token_requests`).
    pub token_refreshes: u64,
    /// Token requests that did not hand out a usable token (bad credentials, faults other than
    /// `Slow`/`SlowBody`, malformed requests).
    pub token_failures: u64,
    /// Tokens actually issued.
    pub tokens_issued: u64,
    /// Echo requests accepted.
    pub echo_ok: u64,
    /// Echo requests rejected (401).
    pub echo_rejected: u64,
    /// High-water mark of token requests being served at the same time (from the request head
    /// being read to the last response byte, including injected delays).
    pub max_concurrent_token_requests: u64,
}

/// A snapshot of every counter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// One entry per profile, always all of them.
    pub profiles: BTreeMap<Profile, ProfileStats>,
    /// Requests presenting a Netzme / Netzme-SNAP token that a newer token had killed.
    pub killed_token_uses: u64,
    /// Paytia refresh attempts with an already rotated (old) refresh token.
    pub refresh_token_reuse: u64,
    /// Requests presenting an expired token.
    pub expired_token_uses: u64,
}

impl Default for Stats {
    fn default() -> Self {
        Stats {
            profiles: Profile::ALL.into_iter().map(|p| (p, ProfileStats::default())).collect(),
            killed_token_uses: 0,
            refresh_token_reuse: 0,
            expired_token_uses: 0,
        }
    }
}

impl Stats {
    /// The counters of `profile`.
    pub fn profile(&self, profile: Profile) -> &ProfileStats {
        &self.profiles[&profile]
    }

    pub(crate) fn profile_mut(&mut self, profile: Profile) -> &mut ProfileStats {
        self.profiles.entry(profile).or_default()
    }

    /// Token requests summed over all profiles.
    pub fn total_token_requests(&self) -> u64 {
        self.profiles.values().map(|p| p.token_requests).sum()
    }
}

impl Index<Profile> for Stats {
    type Output = ProfileStats;

    fn index(&self, profile: Profile) -> &ProfileStats {
        self.profile(profile)
    }
}
