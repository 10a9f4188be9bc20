//! Counters pulled from a client handle.

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

    /// Adds one to a counter.
    pub fn bump(c: &AtomicU64) {
        c.fetch_add(1, Relaxed);
    }
}
