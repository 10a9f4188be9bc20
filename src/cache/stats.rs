//! Counters pulled from a client handle.

use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

/// Atomic counters; read with [`Stats::snapshot`].
#[derive(Debug, Default)]
pub struct Stats {
    /// Calls served from the cache (fresh or stale).
    pub hits: AtomicU64,
    /// Token requests sent.
    pub fetches: AtomicU64,
    /// Fetches made while a still-valid token was cached (stale refreshes).
    pub refreshes: AtomicU64,
    /// Fetches that failed.
    pub failures: AtomicU64,
    /// Calls that got the stale token while a refresh was in flight or had failed.
    pub stale_served: AtomicU64,
    /// Calls that waited for another caller's fetch.
    pub waits: AtomicU64,
    /// Invalidations that evicted the cached token.
    pub invalidations: AtomicU64,
    /// Calls refused without a request because a backoff was in force.
    pub backoff_refusals: AtomicU64,
    /// HTTP status of the last token response (0 = none yet).
    pub last_http_status: AtomicI64,
}

impl Stats {
    /// The counters as a JSON object.
    pub fn snapshot(&self) -> serde_json::Map<String, serde_json::Value> {
        let v = serde_json::json!({
            "hits": self.hits.load(Relaxed),
            "fetches": self.fetches.load(Relaxed),
            "refreshes": self.refreshes.load(Relaxed),
            "failures": self.failures.load(Relaxed),
            "stale_served": self.stale_served.load(Relaxed),
            "waits": self.waits.load(Relaxed),
            "invalidations": self.invalidations.load(Relaxed),
            "backoff_refusals": self.backoff_refusals.load(Relaxed),
            "last_http_status": self.last_http_status.load(Relaxed),
        });
        match v {
            serde_json::Value::Object(m) => m,
            _ => unreachable!("a json! object literal"),
        }
    }
}

/// Counters of the shared tiers.
#[derive(Debug, Default)]
pub struct SharedStats {
    pub host_hits: AtomicU64,
    pub host_writes: AtomicU64,
    pub host_errors: AtomicU64,
    pub lock_waits: AtomicU64,
    pub lock_timeouts: AtomicU64,
    pub fleet_hits: AtomicU64,
    pub fleet_writes: AtomicU64,
    pub lease_waits: AtomicU64,
    pub handovers: AtomicU64,
    pub superseded: AtomicU64,
}

/// Adds one to a counter.
pub fn bump(c: &AtomicU64) {
    c.fetch_add(1, Relaxed);
}

impl SharedStats {
    /// Adds the counters and the tiers' states to a stats object.
    pub fn add_to(&self, out: &mut Map<String, Value>, host_state: String, fleet_state: String, fleet_errors: u64) {
        let v = json!({
            "host_state": host_state,
            "host_hits": self.host_hits.load(Relaxed),
            "host_writes": self.host_writes.load(Relaxed),
            "host_errors": self.host_errors.load(Relaxed),
            "lock_waits": self.lock_waits.load(Relaxed),
            "lock_timeouts": self.lock_timeouts.load(Relaxed),
            "fleet_state": fleet_state,
            "fleet_hits": self.fleet_hits.load(Relaxed),
            "fleet_writes": self.fleet_writes.load(Relaxed),
            "fleet_errors": fleet_errors,
            "lease_waits": self.lease_waits.load(Relaxed),
            "handovers": self.handovers.load(Relaxed),
            "superseded": self.superseded.load(Relaxed),
        });
        if let Value::Object(m) = v {
            out.extend(m);
        }
    }
}
