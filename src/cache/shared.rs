//! The shared tiers behind the in-process tier: reading the host and fleet entries, the
//! host-wide lock and fleet-wide lease around a token request (with bounded waits that re-read
//! the entries, so waiters pick up the winner's token), the handover for gateways that kill the
//! previous token, and writing the result to both tiers before the locks are released. The
//! hit-path check for such gateways is in `currency`.
//!
//! Any failure of a shared tier degrades to the tiers below it (counted in the stats); it never
//! fails a request that the gateway could serve.

use super::config::CacheConfig;
use super::currency::{Quick, Seen};
use super::entry::Entry;
use super::fleet::{Fleet, Lease};
use super::host::{Found, HostLock, HostTier};
use super::memory::Failure;
use super::seal::Sealer;
use super::stats::{SharedStats, bump};
use crate::error::Result;
use crate::secret::Secret;
use crate::token::Token;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// One credential's shared tiers, as seen by one process.
pub struct Shared {
    pub(super) sealer: Sealer,
    pub(super) host: Option<HostTier>,
    host_problem: Option<String>,
    pub(super) fleet: Option<Fleet>,
    kills_previous: bool,
    handover_ms: i64,
    wait: Duration,
    lease_ms: i64,
    pub(super) seen: Mutex<Seen>,
    pub(super) quick: Quick,
    pub(super) stats: SharedStats,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Shared({})", self.sealer.name())
    }
}

/// One try at a lock.
enum Take<L> {
    Taken(L),
    Busy,
    Unavailable,
}

/// The end of a wait for a lock.
enum Waited<L> {
    /// The lock, or `None` to go on without it (unavailable, or the wait ran out).
    Lock(Option<L>),
    /// The holder's token, read while waiting.
    Token(Entry),
}

/// The settings a client passes to the shared tiers.
pub struct SharedOptions<'a> {
    /// The `cache` configuration.
    pub config: &'a CacheConfig,
    /// Public identity of the credential (profile, token URL, client id).
    pub identity: &'a str,
    /// The credential's secrets (key material for the at-rest encryption).
    pub material: &'a [u8],
    /// The gateway kills the previous token on every token request (Netzme).
    pub kills_previous: bool,
    /// Longest wait for another process's token request.
    pub wait: Duration,
}

impl Shared {
    /// The shared tiers for a credential; a host directory that cannot be used turns the host
    /// tier off (reported in the stats), it does not fail the client.
    pub fn new(o: SharedOptions<'_>) -> Result<Shared> {
        let mut material = zeroize::Zeroizing::new(o.material.to_vec());
        if let Some(k) = &o.config.key {
            material.extend_from_slice(b"\0cache-key\0");
            material.extend_from_slice(k.expose());
        }
        let sealer = Sealer::new(o.identity, &material);
        let (host, host_problem) = match &o.config.host_dir {
            None => (None, None),
            Some(dir) => match HostTier::open(dir, sealer.name()) {
                Ok(h) => (Some(h), None),
                Err(why) => (None, Some(why)),
            },
        };
        let fleet = match &o.config.fleet {
            None => None,
            Some(f) => Some(Fleet::new(f, sealer.name())?),
        };
        let handover_ms = o.config.handover_ms.unwrap_or(if o.kills_previous { 500 } else { 0 });
        Ok(Shared {
            sealer,
            host,
            host_problem,
            fleet,
            kills_previous: o.kills_previous,
            handover_ms: if o.kills_previous { handover_ms } else { 0 },
            wait: o.wait,
            lease_ms: (o.wait.as_millis() as i64 + handover_ms).max(1_000),
            seen: Mutex::new(Seen::default()),
            quick: Quick::default(),
            stats: SharedStats::default(),
        })
    }

    /// Whether any shared tier is in use.
    pub fn active(&self) -> bool {
        self.host.is_some() || self.fleet.is_some()
    }

    /// The host tier's entry file, if the host tier is on.
    pub fn host_entry_path(&self) -> Option<&std::path::Path> {
        self.host.as_ref().map(|h| h.entry_path())
    }

    /// Whether gateways that kill the previous token must have every use checked.
    pub fn checks_hits(&self) -> bool {
        self.kills_previous && self.active()
    }

    fn host_read(&self) -> Option<Entry> {
        match self.host.as_ref()?.read(&self.sealer) {
            Found::Entry(e) => Some(e),
            _ => None,
        }
    }

    fn fleet_read(&self, now: i64) -> Option<Entry> {
        let blob = self.fleet.as_ref()?.get(now, true)??;
        Entry::open(&self.sealer, &blob)
    }

    fn host_write(&self, e: &Entry) {
        if let Some(h) = &self.host {
            match h.write(&self.sealer, e) {
                Ok(_) => bump(&self.stats.host_writes),
                Err(_) => bump(&self.stats.host_errors),
            }
        }
    }

    fn fleet_write(&self, now: i64, lease: Option<&Lease>, e: &Entry) {
        if let (Some(f), Some(lease), Some(sealed)) = (&self.fleet, lease, e.seal(&self.sealer))
            && f.put(now, lease, &sealed, e.expires_at_ms - now)
        {
            bump(&self.stats.fleet_writes);
        }
    }

    /// A token for a caller whose process tier has none usable: from the host entry, the fleet
    /// entry, or (holding the host lock and fleet lease) from `fetch`, whose result is written to
    /// both tiers. `held` is the process tier's token (invalidated tokens have
    /// `expires_at_ms == i64::MIN`); its refresh token is used only when no shared entry has one.
    pub fn acquire(
        &self,
        held: Option<&Arc<Token>>,
        now_ms: impl Fn() -> i64,
        fetch: impl FnOnce(Option<&Secret>) -> std::result::Result<Token, Failure>,
    ) -> std::result::Result<Token, Failure> {
        let usable = |e: &Entry, now: i64| {
            !e.switching
                && now < e.refresh_at_ms
                && !held.is_some_and(|h| h.expires_at_ms == i64::MIN && *h.access_token == e.access_token)
        };
        if let Some(e) = self.host_read().filter(|e| usable(e, now_ms())) {
            bump(&self.stats.host_hits);
            return Ok(e.token());
        }
        if let Some(e) = self.fleet_read(now_ms()).filter(|e| usable(e, now_ms())) {
            bump(&self.stats.fleet_hits);
            self.host_write(&e);
            return Ok(e.token());
        }
        let deadline = Instant::now() + self.wait;
        let read_host = || self.host_read().filter(|e| usable(e, now_ms()));
        let lock: Option<HostLock> = match &self.host {
            None => None,
            Some(h) => {
                let take = || match h.try_lock() {
                    Ok(Some(l)) => Take::Taken(l),
                    Ok(None) => Take::Busy,
                    Err(_) => {
                        bump(&self.stats.host_errors);
                        Take::Unavailable
                    }
                };
                match self.wait_for(deadline, 25, take, read_host, &self.stats.lock_waits) {
                    Waited::Lock(l) => l,
                    Waited::Token(e) => {
                        bump(&self.stats.host_hits);
                        return Ok(e.token());
                    }
                }
            }
        };
        let read_fleet = || self.fleet_read(now_ms()).filter(|e| usable(e, now_ms()));
        let lease: Option<Lease> = match &self.fleet {
            None => None,
            Some(f) => {
                let take = || match f.try_lease(now_ms(), self.lease_ms) {
                    None => Take::Unavailable,
                    Some(Some(l)) => Take::Taken(l),
                    Some(None) => Take::Busy,
                };
                match self.wait_for(deadline, 50, take, read_fleet, &self.stats.lease_waits) {
                    Waited::Lock(l) => l,
                    Waited::Token(e) => {
                        bump(&self.stats.fleet_hits);
                        self.host_write(&e);
                        return Ok(e.token());
                    }
                }
            }
        };
        let result = self.fetch_locked(held, &now_ms, lease.as_ref(), &usable, fetch);
        if let (Some(f), Some(l)) = (&self.fleet, lease) {
            f.release(now_ms(), l);
        }
        drop(lock);
        result
    }

    /// The shared tiers' counters and states, added to the client's stats object.
    pub fn add_stats(&self, out: &mut Map<String, Value>, now: i64) {
        let host_state = match (&self.host, &self.host_problem) {
            (Some(_), _) => "on".to_string(),
            (None, Some(why)) => format!("unavailable: {why}"),
            (None, None) => "off".to_string(),
        };
        let fleet_state = self.fleet.as_ref().map_or_else(|| "off".to_string(), |f| f.state(now));
        let fleet_errors = self.fleet.as_ref().map_or(0, |f| f.errors.load(Relaxed));
        self.stats.add_to(out, host_state, fleet_state, fleet_errors);
    }

    /// Polls `take` until it yields the lock, the lock is unavailable, or `deadline` passes
    /// (`Lock(None)`: go on without it); between tries, `reread` may find the holder's token.
    fn wait_for<L>(
        &self,
        deadline: Instant,
        max_pause_ms: u64,
        mut take: impl FnMut() -> Take<L>,
        reread: impl Fn() -> Option<Entry>,
        waits: &AtomicU64,
    ) -> Waited<L> {
        let mut pause = Duration::from_millis(1);
        loop {
            match take() {
                Take::Taken(l) => return Waited::Lock(Some(l)),
                Take::Unavailable => return Waited::Lock(None),
                Take::Busy => {}
            }
            bump(waits);
            if let Some(e) = reread() {
                return Waited::Token(e);
            }
            if Instant::now() >= deadline {
                bump(&self.stats.lock_timeouts);
                return Waited::Lock(None);
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(max_pause_ms));
        }
    }

    /// The part of `acquire` that runs holding the host lock and fleet lease (when available).
    fn fetch_locked(
        &self,
        held: Option<&Arc<Token>>,
        now_ms: &impl Fn() -> i64,
        lease: Option<&Lease>,
        usable: &impl Fn(&Entry, i64) -> bool,
        fetch: impl FnOnce(Option<&Secret>) -> std::result::Result<Token, Failure>,
    ) -> std::result::Result<Token, Failure> {
        // Another process may have finished while this one waited for the locks.
        let host = self.host_read();
        if let Some(e) = host.as_ref().filter(|e| usable(e, now_ms())) {
            bump(&self.stats.host_hits);
            return Ok(e.token());
        }
        let fleet = if lease.is_some() {
            self.fleet_read(now_ms())
        } else {
            None
        };
        if let Some(e) = fleet.as_ref().filter(|e| usable(e, now_ms())) {
            bump(&self.stats.fleet_hits);
            self.host_write(e);
            return Ok(e.token());
        }
        // The newest entry carries the refresh token to use (Paytia rotates it on every renewal).
        let previous = match (host, fleet) {
            (Some(h), Some(f)) => Some(if f.obtained_at_ms > h.obtained_at_ms { f } else { h }),
            (h, f) => h.or(f),
        };
        // A handover protects requests signed with a token that still works. After a 401 the
        // caller invalidated the token (the gateway already refuses it): nothing to protect.
        let rejected = held.is_some_and(|h| h.expires_at_ms == i64::MIN);
        let live = !rejected
            && previous
                .as_ref()
                .map(|e| e.expires_at_ms)
                .or(held.map(|h| h.expires_at_ms))
                .is_some_and(|exp| now_ms() < exp);
        let mut announced = None;
        if self.handover_ms > 0 && live {
            let mut e = match &previous {
                Some(p) => p.token(),
                None => held.map(|h| clone_token(h)).expect("live implies a token"),
            };
            e.refresh_at_ms = e.refresh_at_ms.min(e.expires_at_ms);
            let switching = Entry::of(&e, true);
            self.host_write(&switching);
            self.fleet_write(now_ms(), lease, &switching);
            bump(&self.stats.handovers);
            std::thread::sleep(Duration::from_millis(self.handover_ms as u64));
            announced = Some(Entry::of(&e, false));
        }
        let refresh = previous
            .as_ref()
            .and_then(|e| e.refresh_token.as_ref())
            .map(|r| Secret::new(r.as_bytes().to_vec()));
        let refresh = refresh.as_ref().or(held.and_then(|h| h.refresh_token.as_ref()));
        let result = fetch(refresh);
        match &result {
            Ok(t) => {
                let e = Entry::of(t, false);
                self.host_write(&e);
                self.fleet_write(now_ms(), lease, &e);
            }
            Err(_) => {
                // No new token: take the announcement back, the old token stays in use.
                if let Some(e) = announced {
                    self.host_write(&e);
                    self.fleet_write(now_ms(), lease, &e);
                }
            }
        }
        result
    }
}

fn clone_token(t: &Token) -> Token {
    Token {
        access_token: t.access_token.clone(),
        refresh_token: t.refresh_token.clone(),
        obtained_at_ms: t.obtained_at_ms,
        expires_at_ms: t.expires_at_ms,
        refresh_at_ms: t.refresh_at_ms,
    }
}
