//! The shared tiers behind the in-process tier, as one view: reading the host entry and the
//! fleet entry (with its backoff) into the best usable token and the backoff in force, and
//! writing a new token or a new backoff to both. Taking the locks around a token request is in
//! `acquire`; the hit-path check for gateways that kill the previous token is in `currency`.
//!
//! Any failure of a shared tier degrades to the tiers below it (counted in the stats); it never
//! fails a request that the gateway could serve.

use super::config::{CacheConfig, HostPlan};
use super::currency::{Currency, Tiers};
use super::dir::Dir;
use super::entry::{Entry, Refusal, Switch};
use super::fleet::{Fleet, Lease};
use super::host::{Found, HostTier};
use super::memory::Backoff;
use super::seal::Sealer;
use super::stats::{SharedStats, bump};
use crate::clock::{self, mono_ms};
use crate::error::{Error, Result};
use crate::token::Token;
use serde_json::{Map, Value};
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a backoff record outlives its backoff in Redis (so the failure count survives for
/// the next attempt's longer backoff).
const LINGER_MS: i64 = 600_000;

/// One credential's shared tiers, as seen by one process.
pub struct Shared {
    pub(super) sealer: Sealer,
    pub(super) host: Option<HostTier>,
    host_problem: Option<String>,
    pub(super) fleet: Option<Fleet>,
    pub(super) kills_previous: bool,
    pub(super) handover_ms: i64,
    pub(super) switch_grace_ms: i64,
    pub(super) wait: Duration,
    pub(super) lease_ms: i64,
    host_generation: AtomicU64,
    fleet_generation: AtomicU64,
    refusal_seen: Mutex<(u64, i64)>,
    currency: Currency,
    pub(super) stats: SharedStats,
}

impl std::fmt::Debug for Shared {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Shared({})", self.sealer.name())
    }
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

/// A token found in the shared tiers.
pub struct Candidate {
    /// The token, placed on this process's clock.
    pub token: Token,
    /// A refresher announced that it is replacing it.
    pub switching: bool,
}

/// What the shared tiers hold for the credential, merged.
#[derive(Default)]
pub struct View {
    /// The newest token (highest generation).
    pub token: Option<Candidate>,
    /// The backoff in force, if any.
    pub refusal: Option<Backoff>,
    /// Consecutive failures recorded (also after the backoff ended).
    pub failures: u32,
    /// The newest entry, whatever its state (its refresh token is the one to use).
    pub newest: Option<Arc<Entry>>,
}

fn open_host(plan: &HostPlan, name: &str) -> (Option<HostTier>, Option<String>) {
    let Some(dir) = &plan.dir else {
        return (None, plan.why_none.clone());
    };
    match Dir::open(dir, plan.sharing) {
        Ok(d) => (Some(HostTier::new(d, name)), None),
        Err(why) => {
            let fallback = plan.fallback.as_ref().map(|f| (f, Dir::open(f, plan.sharing)));
            let used = match &fallback {
                Some((f, Ok(_))) => format!("; using the fallback {}", f.display()),
                Some((f, Err(e))) => format!("; the fallback {} is refused too: {e}", f.display()),
                None => "; host tier off (tokens are not shared with the host's other processes)".into(),
            };
            crate::log::warn("host_dir_refused", &format!("{why}{used}"));
            match fallback {
                Some((_, Ok(d))) => (Some(HostTier::new(d, name)), Some(format!("{why}{used}"))),
                _ => (None, Some(why)),
            }
        }
    }
}

impl Shared {
    /// The shared tiers for a credential; a host directory that cannot be used safely turns the
    /// host tier off (or to the configured fallback), reported in the stats and the log; it
    /// does not fail the client.
    pub fn new(o: SharedOptions<'_>) -> Result<Shared> {
        let mut material = zeroize::Zeroizing::new(o.material.to_vec());
        if let Some(k) = &o.config.key {
            material.extend_from_slice(b"\0cache-key\0");
            material.extend_from_slice(k.expose());
        }
        let sealer = Sealer::new(o.identity, &material);
        let (host, host_problem) = match &o.config.host {
            None => (None, None),
            Some(plan) => open_host(plan, sealer.name()),
        };
        let fleet = match &o.config.fleet {
            None => None,
            Some(f) => Some(Fleet::new(f, sealer.name())?),
        };
        let handover_ms = if o.kills_previous {
            o.config.handover_ms.unwrap_or(500)
        } else {
            0
        };
        Ok(Shared {
            sealer,
            host,
            host_problem,
            fleet,
            kills_previous: o.kills_previous,
            handover_ms,
            switch_grace_ms: o.config.switch_grace_ms,
            wait: o.wait,
            lease_ms: o.config.lease_ms,
            host_generation: AtomicU64::new(0),
            fleet_generation: AtomicU64::new(0),
            refusal_seen: Mutex::new((0, 0)),
            currency: Currency::default(),
            stats: SharedStats::default(),
        })
    }

    /// Whether any shared tier is in use.
    pub fn active(&self) -> bool {
        self.host.is_some() || self.fleet.is_some()
    }

    /// The host tier's entry file, if the host tier is on.
    pub fn host_entry_path(&self) -> Option<std::path::PathBuf> {
        self.host.as_ref().map(|h| h.entry_path())
    }

    /// Hit-path check for gateways that kill the previous token: is `t` still the shared
    /// entries' token, with no switch announced? (See `currency`.)
    pub fn still_current(&self, t: &Arc<Token>, now: i64) -> bool {
        let tiers = Tiers {
            host: self.host.as_ref(),
            fleet: self.fleet.as_ref(),
            sealer: &self.sealer,
            superseded: &self.stats.superseded,
        };
        self.currency.still_current(tiers, t, now)
    }

    /// Whether gateways that kill the previous token must have every use checked.
    pub fn checks_hits(&self) -> bool {
        self.kills_previous && self.active()
    }

    /// Accepts an entry read from a tier unless its generation is older than one already seen
    /// there (an old entry restored over a newer one).
    fn admit(&self, e: Arc<Entry>, seen: &AtomicU64) -> Option<Arc<Entry>> {
        let max = seen.fetch_max(e.generation, Relaxed);
        if e.generation < max {
            bump(&self.stats.rolled_back);
            return None;
        }
        Some(e)
    }

    /// The host entry (read now).
    pub(super) fn host_entry(&self) -> Option<Arc<Entry>> {
        match self.host.as_ref()?.read_cached(&self.sealer) {
            Found::Entry(e) => self.admit(e, &self.host_generation),
            _ => None,
        }
    }

    /// When this process first saw the refusal of `e` (a refusal is never honoured for longer
    /// than its duration from then, whatever the clocks say).
    fn first_seen(&self, generation: u64, now: i64) -> i64 {
        let mut seen = self.refusal_seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.0 != generation {
            *seen = (generation, now);
        }
        seen.1
    }

    fn refusal(r: &Refusal, until: i64) -> Backoff {
        Backoff {
            until,
            failures: r.failures,
            error: Error::new(r.code, r.reason.clone()),
            basis: r.basis.clone(),
        }
    }

    /// Both tiers merged at the monotonic instant `now` (the fleet only when `fleet`).
    pub(super) fn view(&self, now: i64, fleet: bool) -> View {
        let mut view = View::default();
        let note_refusal = |view: &mut View, r: &Refusal, refusal: Option<Backoff>| {
            view.failures = view.failures.max(r.failures);
            if let Some(b) = refusal.filter(|b| now < b.until)
                && view.refusal.as_ref().is_none_or(|x| x.until < b.until)
            {
                view.refusal = Some(b);
            }
        };
        let offer = |view: &mut View, e: Arc<Entry>, expires_at: Option<i64>| {
            if let Some(t) = e.token(expires_at)
                && view.token.as_ref().is_none_or(|c| c.token.generation < t.generation)
            {
                view.token = Some(Candidate {
                    switching: e.switching_at(now),
                    token: t,
                });
            }
            if view.newest.as_ref().is_none_or(|n| n.generation < e.generation) {
                view.newest = Some(e);
            }
        };
        if let Some(e) = self.host_entry() {
            if let Some(r) = &e.refusal {
                let until = e.refusal_until(self.first_seen(e.generation, now));
                note_refusal(&mut view, r, until.map(|u| Self::refusal(r, u)));
            }
            offer(&mut view, e, None);
        }
        if fleet
            && let Some(f) = &self.fleet
            && let Some(read) = f.read(now)
        {
            if let Some(s) = read.backoff
                && let Some(b) = Entry::open(&self.sealer, &s.sealed)
                && let Some(r) = &b.refusal
            {
                let until = now + (s.ttl_ms - r.linger_ms).min(r.duration_ms);
                note_refusal(&mut view, r, Some(Self::refusal(r, until)));
            }
            if let Some(s) = read.entry
                && let Some(e) = Entry::open(&self.sealer, &s.sealed)
                && let Some(e) = self.admit(Arc::new(e), &self.fleet_generation)
            {
                offer(&mut view, e, Some(now + s.ttl_ms));
            }
        }
        view
    }

    /// The generation for the next write: above every one seen in either tier.
    pub(super) fn next_generation(&self) -> u64 {
        self.host_generation
            .load(Relaxed)
            .max(self.fleet_generation.load(Relaxed))
            + 1
    }

    /// Writes `e` to the host tier (errors are counted and kept for `host_state`).
    pub(super) fn host_write(&self, e: &Entry) {
        if let Some(h) = &self.host {
            match h.write(&self.sealer, e) {
                Ok(()) => {
                    self.host_generation.fetch_max(e.generation, Relaxed);
                    bump(&self.stats.host_writes);
                }
                Err(_) => bump(&self.stats.host_errors),
            }
        }
    }

    /// Writes `e` to Redis under `lease` for as long as its token lives.
    pub(super) fn fleet_write(&self, lease: Option<&Lease>, e: &Entry, token: &Token) {
        let now = mono_ms();
        if let (Some(f), Some(lease), Some(sealed)) = (&self.fleet, lease, e.seal(&self.sealer))
            && token.expires_at > now
            && f.put(now, lease, &sealed, token.expires_at - now)
        {
            self.fleet_generation.fetch_max(e.generation, Relaxed);
            bump(&self.stats.fleet_writes);
        }
    }

    /// Publishes a new token to both tiers (and clears the fleet's backoff).
    pub(super) fn publish(&self, lease: Option<&Lease>, t: &Token) {
        let e = Entry::of(t, t.generation);
        self.host_write(&e);
        self.fleet_write(lease, &e, t);
        if let (Some(f), Some(l)) = (&self.fleet, lease) {
            f.clear_backoff(mono_ms(), l);
        }
    }

    /// Announces a token switch (gateways that kill the previous token): readers stop using
    /// `t` until the switch ends or `handover_ms + switch_grace_ms` pass.
    pub(super) fn announce(&self, lease: Option<&Lease>, t: &Token) {
        let mut e = Entry::of(t, self.next_generation());
        let until_mono = mono_ms() + self.handover_ms + self.switch_grace_ms;
        e.switching = Some(Switch {
            until_mono,
            until_wall: clock::mono_to_wall(until_mono),
        });
        self.host_write(&e);
        self.fleet_write(lease, &e, t);
    }

    /// Records a backoff in both tiers, keeping the still-valid token (`newest`) if any.
    pub(super) fn publish_refusal(&self, lease: Option<&Lease>, newest: Option<&Entry>, b: &Backoff) {
        let now = mono_ms();
        let duration = (b.until - now).max(0);
        let refusal = Refusal {
            until_wall: clock::mono_to_wall(b.until),
            until_mono: b.until,
            duration_ms: duration,
            failures: b.failures,
            linger_ms: LINGER_MS,
            code: b.error.code,
            reason: b.error.message.clone(),
            basis: b.basis.clone(),
        };
        let mut e = newest.cloned().unwrap_or_default();
        e.generation = self.next_generation();
        e.boot_id = clock::boot_id().to_string();
        e.switching = None;
        e.refusal = Some(refusal);
        self.host_write(&e);
        if let (Some(f), Some(l)) = (&self.fleet, lease) {
            if let Some(t) = e.token(None).filter(|t| t.expires_at > now) {
                // The announcement of a switch is taken back: the old token stays in use.
                self.fleet_write(
                    lease,
                    &Entry {
                        refusal: None,
                        ..e.clone()
                    },
                    &t,
                );
            }
            let record = Entry { held: None, ..e };
            if let Some(sealed) = record.seal(&self.sealer) {
                f.put_backoff(now, l, &sealed, duration + LINGER_MS);
            }
        }
    }

    /// The shared tiers' counters and states, added to the client's stats object.
    pub fn add_stats(&self, out: &mut Map<String, Value>) {
        let now = mono_ms();
        let host_state = match (&self.host, &self.host_problem) {
            (Some(h), problem) => match (h.write_problem(), problem) {
                (Some(w), _) => format!("degraded: {w}"),
                (None, Some(p)) => format!("on (fallback): {p}"),
                (None, None) => "on".to_string(),
            },
            (None, Some(why)) => format!("unavailable: {why}"),
            (None, None) => "off".to_string(),
        };
        let fleet_state = self.fleet.as_ref().map_or_else(|| "off".to_string(), |f| f.state(now));
        let fleet_errors = self.fleet.as_ref().map_or(0, |f| f.errors.load(Relaxed));
        out.insert(
            "host_dir".into(),
            self.host
                .as_ref()
                .map_or(Value::Null, |h| Value::String(h.dir().path().display().to_string())),
        );
        out.insert("generation".into(), Value::from(self.next_generation() - 1));
        self.stats.add_to(out, host_state, fleet_state, fleet_errors);
    }
}
