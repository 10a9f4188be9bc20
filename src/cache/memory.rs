//! The in-process tier: one cached token per client with single flight. Hits take a read lock
//! and clone an `Arc`; misses serialise on a mutex so exactly one caller fetches while the others
//! wait (bounded) for its result, or keep using the stale token.

use super::lifecycle::{Freshness, freshness};
use super::stats::{Stats, bump};
use crate::error::{Error, Result};
use crate::status::{PAYAUTH_BACKOFF, PAYAUTH_WAIT_TIMEOUT};
use crate::token::Token;
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

/// A failed fetch and how long not to retry it.
#[derive(Debug)]
pub struct Failure {
    /// The error returned to callers.
    pub error: Error,
    /// Backoff before the next request (0 = none).
    pub backoff_ms: i64,
}

#[derive(Default)]
struct Flight {
    in_progress: bool,
    generation: u64,
    last_error: Option<Error>,
    backoff_until_ms: i64,
}

/// One credential's cached token.
pub struct TokenCache {
    slot: RwLock<Option<Arc<Token>>>,
    flight: Mutex<Flight>,
    done: Condvar,
    wait_timeout: Duration,
    /// Counters.
    pub stats: Stats,
}

impl std::fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCache")
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Resets the in-flight flag if the fetch panics, so waiters are released.
struct FlightGuard<'a>(&'a TokenCache, bool);

impl Drop for FlightGuard<'_> {
    fn drop(&mut self) {
        if !self.1 {
            let mut f = lock(&self.0.flight);
            f.in_progress = false;
            f.generation += 1;
            self.0.done.notify_all();
        }
    }
}

impl TokenCache {
    /// An empty cache, optionally seeded (e.g. with a token inherited across `fork()`).
    pub fn new(wait_timeout: Duration, seed: Option<Arc<Token>>) -> Self {
        TokenCache {
            slot: RwLock::new(seed),
            flight: Mutex::new(Flight::default()),
            done: Condvar::new(),
            wait_timeout,
            stats: Stats::default(),
        }
    }

    fn current(&self) -> Option<Arc<Token>> {
        self.slot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The cached token without any locking wait (for fork hand-over); `None` if busy.
    pub fn try_current(&self) -> Option<Arc<Token>> {
        self.slot.try_read().ok().and_then(|s| s.clone())
    }

    /// A valid token: the cached one when fresh (or stale while someone refreshes), else the
    /// result of `fetch`, run by exactly one caller at a time.
    /// `now` is the caller's current time (so a signing call reads the clock once); `now_ms`
    /// reads it again after waits.
    ///
    /// `is_current` says whether a cached token is still the one to use (with shared tiers, a
    /// token another process replaced is not: it is treated as expired). `fetch` receives the
    /// cached token, if any (its refresh token, and whether it was invalidated).
    pub fn get(
        &self,
        now: i64,
        now_ms: impl Fn() -> i64,
        is_current: impl Fn(&Arc<Token>, i64) -> bool,
        fetch: impl FnOnce(Option<&Arc<Token>>) -> std::result::Result<Token, Failure>,
    ) -> Result<Arc<Token>> {
        if let Some(t) = self.current()
            && freshness(&t, now) == Freshness::Fresh
            && is_current(&t, now)
        {
            bump(&self.stats.hits);
            return Ok(t);
        }
        let mut f = lock(&self.flight);
        let deadline = Instant::now() + self.wait_timeout;
        let mut waited_for: Option<u64> = None;
        let cur = loop {
            let cur = self.current();
            let now = now_ms();
            let state = match &cur {
                Some(t) if is_current(t, now) => freshness(t, now),
                _ => Freshness::Expired,
            };
            if let Some(gen_seen) = waited_for
                && f.generation != gen_seen
                && state == Freshness::Expired
                && let Some(e) = &f.last_error
            {
                return Err(e.clone());
            }
            match state {
                Freshness::Fresh => {
                    bump(&self.stats.hits);
                    return Ok(cur.expect("fresh implies present"));
                }
                Freshness::Stale if f.in_progress || now < f.backoff_until_ms => {
                    bump(&self.stats.hits);
                    bump(&self.stats.stale_served);
                    return Ok(cur.expect("stale implies present"));
                }
                Freshness::Expired if f.in_progress => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Error::new(
                            PAYAUTH_WAIT_TIMEOUT,
                            format!(
                                "waited {} ms for another caller's token fetch",
                                self.wait_timeout.as_millis()
                            ),
                        ));
                    }
                    bump(&self.stats.waits);
                    waited_for.get_or_insert(f.generation);
                    f = self.done.wait_timeout(f, left).unwrap_or_else(|p| p.into_inner()).0;
                }
                Freshness::Expired if now < f.backoff_until_ms => {
                    bump(&self.stats.backoff_refusals);
                    let why = f.last_error.as_ref().map_or_else(String::new, |e| e.to_string());
                    return Err(Error::new(
                        PAYAUTH_BACKOFF,
                        format!(
                            "not requesting a token for {} ms after: {why}",
                            f.backoff_until_ms - now
                        ),
                    ));
                }
                _ => break cur,
            }
        };
        f.in_progress = true;
        drop(f);
        let mut guard = FlightGuard(self, false);
        bump(&self.stats.fetches);
        let still_valid = cur
            .as_ref()
            .is_some_and(|t| freshness(t, now_ms()) != Freshness::Expired);
        if still_valid {
            bump(&self.stats.refreshes);
        }
        let result = fetch(cur.as_ref());
        let mut f = lock(&self.flight);
        guard.1 = true;
        f.in_progress = false;
        f.generation += 1;
        let out = match result {
            Ok(token) => {
                let token = Arc::new(token);
                *self.slot.write().unwrap_or_else(|p| p.into_inner()) = Some(token.clone());
                f.last_error = None;
                f.backoff_until_ms = 0;
                Ok(token)
            }
            Err(fail) => {
                bump(&self.stats.failures);
                f.backoff_until_ms = if fail.backoff_ms > 0 {
                    now_ms() + fail.backoff_ms
                } else {
                    0
                };
                f.last_error = Some(fail.error.clone());
                match cur {
                    Some(t) if freshness(&t, now_ms()) != Freshness::Expired && is_current(&t, now_ms()) => {
                        bump(&self.stats.stale_served);
                        Ok(t)
                    }
                    _ => Err(fail.error),
                }
            }
        };
        self.done.notify_all();
        out
    }

    /// Evicts the cached token only if it is `rejected` (compare-and-invalidate); a refresh
    /// token is kept for the next fetch. Returns whether it evicted.
    pub fn invalidate(&self, rejected: &str) -> bool {
        let _f = lock(&self.flight);
        let mut slot = self.slot.write().unwrap_or_else(|p| p.into_inner());
        let matches = slot
            .as_ref()
            .is_some_and(|t| t.access_token.as_str() == rejected && t.expires_at_ms > i64::MIN);
        if matches {
            let old = slot.take().expect("checked present");
            *slot = Some(Arc::new(Token {
                access_token: old.access_token.clone(),
                refresh_token: old.refresh_token.clone(),
                obtained_at_ms: old.obtained_at_ms,
                expires_at_ms: i64::MIN,
                refresh_at_ms: i64::MIN,
            }));
            bump(&self.stats.invalidations);
        }
        matches
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::status::{PAYAUTH_CREDENTIALS_REJECTED, PAYAUTH_HTTP_STATUS};
    use std::sync::atomic::{AtomicI64, AtomicU32, Ordering};
    use zeroize::Zeroizing;

    fn token(text: &str, now: i64, life: i64) -> Token {
        Token {
            access_token: Zeroizing::new(text.into()),
            refresh_token: None,
            obtained_at_ms: now,
            expires_at_ms: now + life,
            refresh_at_ms: now + life * 9 / 10,
        }
    }

    #[test]
    fn one_fetch_for_many_cold_callers_and_one_per_invalidation_burst() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(10), None));
        let calls = Arc::new(AtomicU32::new(0));
        let clock = Arc::new(AtomicI64::new(1_000_000));
        let run = |n: usize| {
            let handles: Vec<_> = (0..n)
                .map(|_| {
                    let (cache, calls, clock) = (cache.clone(), calls.clone(), clock.clone());
                    std::thread::spawn(move || {
                        let now = || clock.load(Ordering::SeqCst);
                        let t = cache
                            .get(
                                now(),
                                now,
                                |_, _| true,
                                |_| {
                                    let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                                    std::thread::sleep(Duration::from_millis(50));
                                    Ok(token(&format!("t{n}"), now(), 60_000))
                                },
                            )
                            .unwrap();
                        t.access_token.to_string()
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect::<Vec<_>>()
        };
        let tokens = run(64);
        assert_eq!(calls.load(Ordering::SeqCst), 1);
        assert!(tokens.iter().all(|t| t == "t1"));
        // Stale: served, one refresh.
        clock.store(1_000_000 + 55_000, Ordering::SeqCst);
        run(32);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        // A burst of invalidations of the same token: one eviction, one fetch.
        let evicted: usize = (0..50).filter(|_| cache.invalidate("t2")).count();
        assert_eq!(evicted, 1);
        run(50);
        assert_eq!(calls.load(Ordering::SeqCst), 3);
        assert!(!cache.invalidate("t2"), "an old token does not evict the new one");
    }

    #[test]
    fn failed_refresh_serves_the_valid_token_and_backoff_is_honoured() {
        let cache = TokenCache::new(Duration::from_secs(10), None);
        let now = AtomicI64::new(1_000);
        let clock = || now.load(Ordering::SeqCst);
        cache
            .get(clock(), clock, |_, _| true, |_| Ok(token("a", 1_000, 10_000)))
            .unwrap();
        now.store(9_500, Ordering::SeqCst); // stale
        let fail = |code| Failure {
            error: Error::new(code, "boom"),
            backoff_ms: 0,
        };
        let t = cache
            .get(clock(), clock, |_, _| true, |_| Err(fail(PAYAUTH_HTTP_STATUS)))
            .unwrap();
        assert_eq!(t.access_token.as_str(), "a");
        now.store(20_000, Ordering::SeqCst); // expired
        let e = cache
            .get(
                clock(),
                clock,
                |_, _| true,
                |_| {
                    Err(Failure {
                        error: Error::new(PAYAUTH_CREDENTIALS_REJECTED, "no"),
                        backoff_ms: 5_000,
                    })
                },
            )
            .unwrap_err();
        assert_eq!(e.code, PAYAUTH_CREDENTIALS_REJECTED);
        let e = cache
            .get(clock(), clock, |_, _| true, |_| panic!("must not fetch during backoff"))
            .unwrap_err();
        assert_eq!(e.code, crate::status::PAYAUTH_BACKOFF);
        now.store(25_001, Ordering::SeqCst);
        assert!(
            cache
                .get(clock(), clock, |_, _| true, |_| Ok(token("b", 25_001, 10_000)))
                .is_ok()
        );
    }

    #[test]
    fn a_panicking_fetch_releases_the_waiters() {
        let cache = TokenCache::new(Duration::from_secs(5), None);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            cache.get(1, || 1, |_, _| true, |_| panic!("boom"))
        }));
        assert!(r.is_err());
        assert!(cache.get(1, || 1, |_, _| true, |_| Ok(token("c", 1, 10_000))).is_ok());
    }
}
