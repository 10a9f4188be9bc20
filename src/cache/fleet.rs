//! The fleet tier: sealed entries in Redis shared by every host, a short lease (`SET NX PX` with
//! a random fencing value, renewed by its holder while its token request runs, released and
//! written only by its owner through compare-and-act scripts) for the fleet-wide single flight,
//! a backoff key (its `PX` is the backoff) so every host honours one backoff, and degradation:
//! any Redis error or timeout marks the tier down for a growing backoff (1 s → 30 s) during which
//! the lower tiers serve alone.
//!
//! Times come from Redis itself: an entry's remaining lifetime is its `PTTL`, so hosts whose
//! clocks disagree (or step) still agree on when a token expires and a backoff ends. Values over
//! [`MAX_ENTRY`](super::host::MAX_ENTRY) are refused without being read whole (`GETRANGE`).

use super::config::FleetConfig;
use super::host::MAX_ENTRY;
use super::seal::FORMAT;
use crate::error::{Error, Result};
use crate::status::PAYAUTH_CONFIG_INVALID_FIELD;
use redis::{Client, Connection, IntoConnectionInfo, Value};
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};
use std::time::Duration;

const RELEASE: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";
const FENCED_SET: &str = "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('set', KEYS[2], ARGV[2], 'PX', ARGV[3]) return 1 else return 0 end";
const FENCED_DEL: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then redis.call('del', KEYS[2]) return 1 else return 0 end";
const RENEW: &str =
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end";

/// A sealed value read from Redis with its remaining lifetime.
#[derive(Debug)]
pub struct Stored {
    /// The sealed bytes (at most `MAX_ENTRY`).
    pub sealed: Vec<u8>,
    /// Remaining lifetime (ms) as Redis counts it.
    pub ttl_ms: i64,
}

/// The entry and the backoff of one credential, as read in one round trip.
#[derive(Debug, Default)]
pub struct Read {
    /// The token entry.
    pub entry: Option<Stored>,
    /// The backoff in force.
    pub backoff: Option<Stored>,
}

/// One credential's view of the Redis server.
pub struct Fleet {
    client: Client,
    timeout: Duration,
    conn: Mutex<Option<Connection>>,
    entry_key: String,
    lease_key: String,
    backoff_key: String,
    /// Hits re-check Redis at most this often (profiles whose gateway kills old tokens).
    pub check_interval_ms: i64,
    /// Epoch ms of the last check.
    pub last_check_ms: AtomicI64,
    down_until_ms: AtomicI64,
    backoff_ms: AtomicI64,
    /// Redis errors and timeouts.
    pub errors: AtomicU64,
    /// Last error (kind only; never a URL or password).
    last_error: Mutex<String>,
}

impl std::fmt::Debug for Fleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Fleet({})", self.entry_key)
    }
}

/// A held lease: its fencing value.
#[derive(Debug)]
pub struct Lease(String);

fn describe(e: &redis::RedisError) -> String {
    if e.is_timeout() {
        "timeout".into()
    } else if e.is_connection_refusal() {
        "connection refused".into()
    } else if e.is_io_error() || e.is_connection_dropped() {
        "connection lost".into()
    } else {
        format!("{:?}", e.kind())
    }
}

impl Fleet {
    /// A fleet tier for the entry named `name` (no connection is made yet).
    pub fn new(cfg: &FleetConfig, name: &str) -> Result<Fleet> {
        let bad = |why: &str| Error::new(PAYAUTH_CONFIG_INVALID_FIELD, format!("`cache.redis_url`: {why}"));
        let mut info = cfg
            .url
            .expose_str()
            .into_connection_info()
            .map_err(|_| bad("not a valid redis:// or rediss:// URL"))?;
        if let Some(pw) = &cfg.password {
            let settings = info.redis_settings().clone().set_password(pw.expose_str());
            info = info.set_redis_settings(settings);
        }
        let client = match &cfg.ca_pem {
            None => Client::open(info),
            Some(pem) => Client::build_with_tls(
                info,
                redis::TlsCertificates {
                    client_tls: None,
                    root_cert: Some(pem.clone()),
                },
            ),
        }
        .map_err(|e| bad(&describe(&e)))?;
        Ok(Fleet {
            client,
            timeout: cfg.timeout,
            conn: Mutex::new(None),
            entry_key: format!("{}{name}:v{FORMAT}:entry", cfg.prefix),
            lease_key: format!("{}{name}:v{FORMAT}:lease", cfg.prefix),
            backoff_key: format!("{}{name}:v{FORMAT}:backoff", cfg.prefix),
            check_interval_ms: cfg.check_interval_ms,
            last_check_ms: AtomicI64::new(0),
            down_until_ms: AtomicI64::new(0),
            backoff_ms: AtomicI64::new(0),
            errors: AtomicU64::new(0),
            last_error: Mutex::new(String::new()),
        })
    }

    /// Whether the tier is in use (not backing off after an error).
    pub fn is_up(&self, now: i64) -> bool {
        now >= self.down_until_ms.load(Relaxed)
    }

    /// "up" or "down: <last error>".
    pub fn state(&self, now: i64) -> String {
        if self.is_up(now) {
            "up".into()
        } else {
            format!("down: {}", self.last_error.lock().unwrap_or_else(|p| p.into_inner()))
        }
    }

    /// Runs `f` on the connection (made on demand). `None` when the tier is down, busy (with
    /// `wait == false`) or failed (which marks it down).
    fn call<T>(&self, now: i64, wait: bool, f: impl FnOnce(&mut Connection) -> redis::RedisResult<T>) -> Option<T> {
        if !self.is_up(now) {
            return None;
        }
        let mut slot = if wait {
            self.conn.lock().unwrap_or_else(|p| p.into_inner())
        } else {
            self.conn.try_lock().ok()?
        };
        let result = (|| {
            if slot.is_none() {
                let c = self.client.get_connection_with_timeout(self.timeout)?;
                c.set_read_timeout(Some(self.timeout))?;
                c.set_write_timeout(Some(self.timeout))?;
                *slot = Some(c);
            }
            f(slot.as_mut().expect("just made"))
        })();
        match result {
            Ok(v) => {
                self.backoff_ms.store(0, Relaxed);
                Some(v)
            }
            Err(e) => {
                *slot = None;
                self.errors.fetch_add(1, Relaxed);
                *self.last_error.lock().unwrap_or_else(|p| p.into_inner()) = describe(&e);
                let b = (self.backoff_ms.load(Relaxed) * 2).clamp(1_000, 30_000);
                self.backoff_ms.store(b, Relaxed);
                self.down_until_ms.store(now + b, Relaxed);
                None
            }
        }
    }

    /// The sealed entry alone: `Some(None)` when Redis has none (or an oversized one), `None`
    /// when Redis is unavailable (or busy, with `wait == false`).
    pub fn get(&self, now: i64, wait: bool) -> Option<Option<Vec<u8>>> {
        self.call(now, wait, |c| {
            let v: Vec<u8> = redis::cmd("GETRANGE")
                .arg(&self.entry_key)
                .arg(0)
                .arg(MAX_ENTRY)
                .query(c)?;
            Ok((!v.is_empty() && v.len() <= MAX_ENTRY).then_some(v))
        })
    }

    /// The entry and the backoff with their remaining lifetimes, in one round trip; `None` when
    /// Redis is unavailable.
    pub fn read(&self, now: i64) -> Option<Read> {
        self.call(now, true, |c| {
            let (e, e_ttl, b, b_ttl): (Vec<u8>, i64, Vec<u8>, i64) = redis::pipe()
                .cmd("GETRANGE")
                .arg(&self.entry_key)
                .arg(0)
                .arg(MAX_ENTRY)
                .cmd("PTTL")
                .arg(&self.entry_key)
                .cmd("GETRANGE")
                .arg(&self.backoff_key)
                .arg(0)
                .arg(MAX_ENTRY)
                .cmd("PTTL")
                .arg(&self.backoff_key)
                .query(c)?;
            let stored = |sealed: Vec<u8>, ttl_ms: i64| {
                (!sealed.is_empty() && sealed.len() <= MAX_ENTRY && ttl_ms > 0).then_some(Stored { sealed, ttl_ms })
            };
            Ok(Read {
                entry: stored(e, e_ttl),
                backoff: stored(b, b_ttl),
            })
        })
    }

    /// Stores a sealed entry for `ttl_ms`, only while `lease` is still ours (a writer whose
    /// lease expired must not overwrite a newer token). Returns whether it was stored.
    pub fn put(&self, now: i64, lease: &Lease, sealed: &[u8], ttl_ms: i64) -> bool {
        self.fenced_set(now, lease, &self.entry_key, sealed, ttl_ms)
    }

    /// Stores the backoff for `ttl_ms` (its length), while `lease` is ours.
    pub fn put_backoff(&self, now: i64, lease: &Lease, sealed: &[u8], ttl_ms: i64) -> bool {
        self.fenced_set(now, lease, &self.backoff_key, sealed, ttl_ms)
    }

    /// Removes the backoff (a token was obtained), while `lease` is ours.
    pub fn clear_backoff(&self, now: i64, lease: &Lease) {
        let _ = self.call(now, true, |c| {
            redis::cmd("EVAL")
                .arg(FENCED_DEL)
                .arg(2)
                .arg(&self.lease_key)
                .arg(&self.backoff_key)
                .arg(&lease.0)
                .query::<i64>(c)
        });
    }

    fn fenced_set(&self, now: i64, lease: &Lease, key: &str, sealed: &[u8], ttl_ms: i64) -> bool {
        self.call(now, true, |c| {
            let n: i64 = redis::cmd("EVAL")
                .arg(FENCED_SET)
                .arg(2)
                .arg(&self.lease_key)
                .arg(key)
                .arg(&lease.0)
                .arg(sealed)
                .arg(ttl_ms.max(1))
                .query(c)?;
            Ok(n == 1)
        })
        .unwrap_or(false)
    }

    /// Extends the lease by `lease_ms` if it is still ours: `Some(false)` when it was lost (it
    /// expired and someone else may hold it), `None` when Redis did not answer.
    pub fn renew(&self, now: i64, lease: &Lease, lease_ms: i64) -> Option<bool> {
        self.call(now, true, |c| {
            let n: i64 = redis::cmd("EVAL")
                .arg(RENEW)
                .arg(1)
                .arg(&self.lease_key)
                .arg(&lease.0)
                .arg(lease_ms.max(1))
                .query(c)?;
            Ok(n == 1)
        })
    }

    /// Tries to take the lease for `lease_ms`: `Some(Some(lease))` taken, `Some(None)` held by
    /// another, `None` Redis unavailable.
    pub fn try_lease(&self, now: i64, lease_ms: i64) -> Option<Option<Lease>> {
        let mut fence = [0u8; 16];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut fence).ok()?;
        let fence = hex::encode(fence);
        self.call(now, true, |c| {
            let v: Value = redis::cmd("SET")
                .arg(&self.lease_key)
                .arg(&fence)
                .arg("NX")
                .arg("PX")
                .arg(lease_ms.max(1))
                .query(c)?;
            Ok(matches!(v, Value::Okay).then(|| Lease(fence.clone())))
        })
    }

    /// Releases the lease if it is still ours.
    pub fn release(&self, now: i64, lease: Lease) {
        let _ = self.call(now, true, |c| {
            redis::cmd("EVAL")
                .arg(RELEASE)
                .arg(1)
                .arg(&self.lease_key)
                .arg(&lease.0)
                .query::<i64>(c)
        });
    }
}
