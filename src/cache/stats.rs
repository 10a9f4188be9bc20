//! Counters pulled from a client handle.

use serde_json::{Map, Value, json};
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

/// The hit path's counters of one thread: written by that thread only (a plain load and store,
/// no locked instruction, on a cache line of its own), summed when the stats are read.
#[repr(align(64))]
#[derive(Debug, Default)]
pub struct ThreadCounters {
    hits: AtomicU64,
    stale_served: AtomicU64,
}

impl ThreadCounters {
    /// Counts a hit (called by the owning thread only).
    pub fn hit(&self, stale: bool) {
        self.hits.store(self.hits.load(Relaxed) + 1, Relaxed);
        if stale {
            self.stale_served.store(self.stale_served.load(Relaxed) + 1, Relaxed);
        }
    }
}

/// Every thread's hit counters for one cache.
#[derive(Debug, Default)]
pub struct HitCounters {
    threads: std::sync::Mutex<Vec<std::sync::Arc<ThreadCounters>>>,
}

impl HitCounters {
    /// A new thread's counters (kept after the thread ends, so no count is lost).
    pub fn register(&self) -> std::sync::Arc<ThreadCounters> {
        let c = std::sync::Arc::new(ThreadCounters::default());
        self.threads.lock().unwrap_or_else(|p| p.into_inner()).push(c.clone());
        c
    }

    fn sum(&self) -> (u64, u64) {
        let threads = self.threads.lock().unwrap_or_else(|p| p.into_inner());
        threads.iter().fold((0, 0), |(h, s), c| {
            (h + c.hits.load(Relaxed), s + c.stale_served.load(Relaxed))
        })
    }
}

/// Atomic counters; read with [`Stats::snapshot`].
#[derive(Debug, Default)]
pub struct Stats {
    /// The hit path's per-thread counters (added to `hits` and `stale_served`).
    pub per_thread: HitCounters,
    /// Calls served from the process tier (fresh or stale).
    pub hits: AtomicU64,
    /// Token requests this process sent to the gateway (tokens taken from the host or fleet
    /// tier are `host_hits` / `fleet_hits`).
    pub fetches: AtomicU64,
    /// Token requests sent while a still-valid token was cached (refresh-ahead).
    pub refreshes: AtomicU64,
    /// Refreshes started off the request path (one per stale token and backoff step).
    pub background_refreshes: AtomicU64,
    /// Token requests that failed.
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
        let (hits, stale) = self.per_thread.sum();
        let v = serde_json::json!({
            "hits": self.hits.load(Relaxed) + hits,
            "fetches": self.fetches.load(Relaxed),
            "refreshes": self.refreshes.load(Relaxed),
            "background_refreshes": self.background_refreshes.load(Relaxed),
            "failures": self.failures.load(Relaxed),
            "stale_served": self.stale_served.load(Relaxed) + stale,
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

/// Counters of the shared tiers (documented in docs/caching.md).
#[derive(Debug, Default)]
pub struct SharedStats {
    pub host_hits: AtomicU64,
    pub host_writes: AtomicU64,
    pub host_errors: AtomicU64,
    pub lock_waits: AtomicU64,
    pub lock_timeouts: AtomicU64,
    pub lock_takeovers: AtomicU64,
    pub lock_lost: AtomicU64,
    pub rolled_back: AtomicU64,
    pub shared_refusals: AtomicU64,
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
            "lock_takeovers": self.lock_takeovers.load(Relaxed),
            "lock_lost": self.lock_lost.load(Relaxed),
            "rolled_back": self.rolled_back.load(Relaxed),
            "shared_refusals": self.shared_refusals.load(Relaxed),
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
