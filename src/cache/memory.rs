//! The in-process tier: one cached token per client, with single flight and backoff.
//!
//! The hit path ([`TokenCache::hit`]) touches no shared cache line for writing: each thread keeps
//! its own snapshot of the cached token (an `Arc` it holds) tagged with the cache's generation,
//! which every replacement bumps; a hit is one load of the generation plus the freshness check,
//! and it is counted in the thread's own counters. Anything else goes to [`TokenCache::begin`],
//! which says what to do: serve the cached token (fresh, or stale while a refresh
//! runs or backs off), serve it *and* refresh in the background (the first caller inside the
//! refresh margin), or fetch now (no usable token: one caller fetches, the others wait for it,
//! bounded). Whoever was told to refresh or fetch reports with a [`Ticket`]. Instants are
//! host-monotonic ms: a wall-clock step moves no expiry and no backoff.

use super::lifecycle::{Freshness, freshness};
use super::stats::ThreadCounters;
use super::stats::{Stats, bump};
use crate::error::{Error, Result};
use crate::status::{PAYAUTH_BACKOFF, PAYAUTH_WAIT_TIMEOUT};
use crate::token::Token;
use std::cell::{Cell, RefCell};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering::Acquire, Ordering::Relaxed, Ordering::Release};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::{Duration, Instant};

/// A backoff in force: no token request before `until`.
#[derive(Clone, Debug)]
pub struct Backoff {
    /// End (host-monotonic ms).
    pub until: i64,
    /// Consecutive failed token requests.
    pub failures: u32,
    /// The last failure.
    pub error: Error,
    /// How its length was chosen (`Retry-After 30 s`, `failure 3 in a row`).
    pub basis: String,
}

impl Backoff {
    /// The error a refused caller gets: until when, why that long, and the failure behind it.
    pub fn refusal(&self, now: i64) -> Error {
        let left = (self.until - now).max(0);
        Error::new(
            PAYAUTH_BACKOFF,
            format!(
                "not requesting a token until {} ({} ms from now; {}) after: {}",
                crate::clock::iso_utc(crate::clock::mono_to_wall(self.until)),
                left,
                self.basis,
                self.error
            ),
        )
    }
}

/// A failed attempt to get a token.
#[derive(Clone, Debug)]
pub struct Failure {
    /// The error for the caller that attempted.
    pub error: Error,
    /// The backoff that follows, if any.
    pub backoff: Option<Backoff>,
}

impl From<Error> for Failure {
    fn from(error: Error) -> Failure {
        Failure { error, backoff: None }
    }
}

/// What an attempt produced when it did not fail.
#[derive(Debug)]
pub enum Got {
    /// A token: fetched, or taken from another process's shared entry.
    Token(Token),
    /// Nothing: another process is refreshing (a background attempt never waits for it).
    Busy,
}

/// What a caller must do (see [`TokenCache::begin`]).
#[derive(Debug)]
pub enum Step {
    /// Serve this token.
    Serve(Arc<Token>),
    /// Serve this token, and refresh it off the request path (report with a [`Ticket`]).
    Refresh(Arc<Token>),
    /// Get a token now, holding the flight (report with a [`Ticket`]); the cached token, if any.
    Fetch(Option<Arc<Token>>),
}

#[derive(Default)]
struct Flight {
    in_progress: bool,
    generation: u64,
    last_error: Option<Error>,
    backoff: Option<Backoff>,
    next_background: i64,
}

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
/// Bumped when a cache is dropped: threads then drop their snapshots of dead caches (and the
/// tokens they hold) on their next hit.
static DEAD: AtomicU64 = AtomicU64::new(0);

/// One thread's view of one cache.
struct Snapshot {
    id: u64,
    alive: Arc<AtomicBool>,
    generation: u64,
    token: Option<Arc<Token>>,
    counters: Arc<ThreadCounters>,
}

thread_local! {
    static SNAPSHOTS: RefCell<Vec<Snapshot>> = const { RefCell::new(Vec::new()) };
    static SEEN_DEAD: Cell<u64> = const { Cell::new(0) };
}

/// One credential's cached token.
pub struct TokenCache {
    id: u64,
    /// Bumped after every replacement of the slot.
    generation: AtomicU64,
    alive: Arc<AtomicBool>,
    slot: RwLock<Option<Arc<Token>>>,
    /// Until when (monotonic ms) a stale hit has nothing to start: a refresh is running, backs
    /// off or waits to look again. Read without the lock, so stale hits stay cheap.
    quiet_until: AtomicI64,
    flight: Mutex<Flight>,
    done: Condvar,
    wait_timeout: Duration,
    retry_ms: i64,
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

/// The right to report the result of a refresh or fetch; dropping it unreported (a panic)
/// releases the waiters.
pub struct Ticket<'a> {
    cache: &'a TokenCache,
    held: Option<Arc<Token>>,
    reported: bool,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        if !self.reported {
            let mut f = lock(&self.cache.flight);
            self.cache.quiet_until.store(0, Relaxed);
            f.in_progress = false;
            f.generation += 1;
            self.cache.done.notify_all();
        }
    }
}

impl Ticket<'_> {
    /// Publishes the attempt's result: a token replaces the cached one; a failure records the
    /// backoff and, while the cached token is still valid, serves it (counted).
    pub fn finish(mut self, result: std::result::Result<Got, Failure>, now: i64) -> Result<Arc<Token>> {
        self.reported = true;
        let c = self.cache;
        let mut f = lock(&c.flight);
        f.in_progress = false;
        f.generation += 1;
        let still_valid = self.held.clone().filter(|t| freshness(t, now) != Freshness::Expired);
        let out = match result {
            Ok(Got::Token(token)) => {
                let token = Arc::new(token);
                c.store(token.clone());
                f.last_error = None;
                f.backoff = None;
                c.quiet_until.store(0, Relaxed);
                Ok(token)
            }
            Ok(Got::Busy) => {
                f.next_background = now + c.retry_ms;
                c.quiet_until.store(f.next_background, Relaxed);
                still_valid.ok_or_else(|| Error::new(PAYAUTH_WAIT_TIMEOUT, "another process is requesting the token"))
            }
            Err(fail) => {
                f.last_error = Some(fail.error.clone());
                c.quiet_until
                    .store(fail.backoff.as_ref().map_or(0, |b| b.until), Relaxed);
                f.backoff = fail.backoff;
                match still_valid {
                    Some(t) => {
                        bump(&c.stats.stale_served);
                        Ok(t)
                    }
                    None => Err(fail.error),
                }
            }
        };
        c.done.notify_all();
        out
    }
}

impl TokenCache {
    /// An empty cache, optionally seeded (e.g. with a token inherited across `fork()`).
    /// `retry_ms`: how long a background refresh that found another process refreshing waits
    /// before looking again.
    pub fn new(wait_timeout: Duration, retry_ms: i64, seed: Option<Arc<Token>>) -> Self {
        TokenCache {
            id: NEXT_ID.fetch_add(1, Relaxed),
            generation: AtomicU64::new(0),
            alive: Arc::new(AtomicBool::new(true)),
            slot: RwLock::new(seed),
            quiet_until: AtomicI64::new(0),
            flight: Mutex::new(Flight::default()),
            done: Condvar::new(),
            wait_timeout,
            retry_ms,
            stats: Stats::default(),
        }
    }

    fn store(&self, token: Arc<Token>) {
        *self.slot.write().unwrap_or_else(|p| p.into_inner()) = Some(token);
        self.generation.fetch_add(1, Release);
    }

    /// The hit path: when this thread's snapshot of the cached token is fresh (or stale with
    /// nothing to start) and `is_current`, runs `f` with it and returns its result; `None`:
    /// go to [`TokenCache::begin`].
    pub fn hit<R>(
        &self,
        now: i64,
        is_current: impl Fn(&Arc<Token>, i64) -> bool,
        f: impl FnOnce(&Arc<Token>) -> R,
    ) -> Option<R> {
        SNAPSHOTS
            .try_with(|snaps| {
                let mut snaps = snaps.try_borrow_mut().ok()?;
                let dead = DEAD.load(Relaxed);
                if SEEN_DEAD.get() != dead {
                    snaps.retain(|s| s.alive.load(Relaxed));
                    SEEN_DEAD.set(dead);
                }
                let i = match snaps.iter().position(|s| s.id == self.id) {
                    Some(i) => i,
                    None => {
                        snaps.push(Snapshot {
                            id: self.id,
                            alive: self.alive.clone(),
                            generation: u64::MAX,
                            token: None,
                            counters: self.stats.per_thread.register(),
                        });
                        snaps.len() - 1
                    }
                };
                let s = &mut snaps[i];
                let generation = self.generation.load(Acquire);
                if s.generation != generation {
                    s.token = self.current();
                    s.generation = generation;
                }
                let t = s.token.as_ref()?;
                let state = freshness(t, now);
                let quiet = state == Freshness::Stale && now < self.quiet_until.load(Relaxed);
                if !(state == Freshness::Fresh || quiet) || !is_current(t, now) {
                    return None;
                }
                s.counters.hit(quiet);
                Some(f(t))
            })
            .ok()
            .flatten()
    }

    fn current(&self) -> Option<Arc<Token>> {
        self.slot.read().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The cached token without any locking wait (for fork hand-over); `None` if busy.
    pub fn try_current(&self) -> Option<Arc<Token>> {
        self.slot.try_read().ok().and_then(|s| s.clone())
    }

    /// The backoff in force, if any.
    pub fn backoff(&self) -> Option<Backoff> {
        lock(&self.flight).backoff.clone()
    }

    /// A ticket for the attempt `begin` asked for (`Refresh` or `Fetch`), on any thread.
    pub fn ticket(&self, held: Option<Arc<Token>>) -> Ticket<'_> {
        Ticket {
            cache: self,
            held,
            reported: false,
        }
    }

    /// What a caller the hit path could not serve must do. `is_current` says whether a
    /// cached token is still the one to use (with shared tiers, a token another process replaced
    /// is not: it is treated as expired).
    ///
    /// Errors: the backoff refusal (`PAYAUTH_BACKOFF`, no request made), the error of the fetch
    /// this caller waited for, or `PAYAUTH_WAIT_TIMEOUT`.
    pub fn begin(&self, is_current: impl Fn(&Arc<Token>, i64) -> bool) -> Result<Step> {
        let mut f = lock(&self.flight);
        let deadline = Instant::now() + self.wait_timeout;
        let mut waited_for: Option<u64> = None;
        loop {
            let cur = self.current();
            let now = crate::clock::mono_ms();
            let state = match &cur {
                Some(t) if is_current(t, now) => freshness(t, now),
                _ => Freshness::Expired,
            };
            let backoff = f.backoff.as_ref().filter(|b| now < b.until);
            if let Some(seen) = waited_for
                && f.generation != seen
                && state == Freshness::Expired
                && let Some(e) = &f.last_error
            {
                return Err(e.clone());
            }
            match (state, cur) {
                (Freshness::Fresh, Some(t)) => {
                    bump(&self.stats.hits);
                    return Ok(Step::Serve(t));
                }
                (Freshness::Stale, Some(t)) => {
                    bump(&self.stats.hits);
                    if f.in_progress || backoff.is_some() || now < f.next_background {
                        bump(&self.stats.stale_served);
                        return Ok(Step::Serve(t));
                    }
                    f.in_progress = true;
                    self.quiet_until.store(i64::MAX, Relaxed);
                    bump(&self.stats.background_refreshes);
                    return Ok(Step::Refresh(t));
                }
                (_, cur) if f.in_progress => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Error::new(
                            PAYAUTH_WAIT_TIMEOUT,
                            format!(
                                "waited {} ms for another caller's token request",
                                self.wait_timeout.as_millis()
                            ),
                        ));
                    }
                    drop(cur);
                    bump(&self.stats.waits);
                    waited_for.get_or_insert(f.generation);
                    f = self.done.wait_timeout(f, left).unwrap_or_else(|p| p.into_inner()).0;
                }
                (_, cur) => {
                    if let Some(b) = backoff {
                        bump(&self.stats.backoff_refusals);
                        return Err(b.refusal(now));
                    }
                    f.in_progress = true;
                    self.quiet_until.store(i64::MAX, Relaxed);
                    return Ok(Step::Fetch(cur));
                }
            }
        }
    }

    /// Evicts the cached token only if it is `rejected` (compare-and-invalidate); the token is
    /// kept, marked rejected, so its refresh token serves the next fetch. Returns whether it
    /// evicted.
    pub fn invalidate(&self, rejected: &str) -> bool {
        let _f = lock(&self.flight);
        let mut slot = self.slot.write().unwrap_or_else(|p| p.into_inner());
        let matches = slot
            .as_ref()
            .is_some_and(|t| t.access_token.as_str() == rejected && !t.rejected);
        if matches {
            let old = slot.take().expect("checked present");
            *slot = Some(Arc::new(old.as_rejected()));
            self.generation.fetch_add(1, Release);
            bump(&self.stats.invalidations);
        }
        matches
    }
}

impl Drop for TokenCache {
    fn drop(&mut self) {
        self.alive.store(false, Relaxed);
        DEAD.fetch_add(1, Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::clock::mono_ms;
    use crate::status::{PAYAUTH_CREDENTIALS_REJECTED, PAYAUTH_HTTP_STATUS};
    use std::sync::atomic::{AtomicU32, Ordering};
    use zeroize::Zeroizing;

    fn token(text: &str, life: i64, stale_after: i64) -> Token {
        let now = mono_ms();
        Token {
            access_token: Zeroizing::new(text.into()),
            refresh_token: None,
            obtained_at: now,
            refresh_at: now + stale_after,
            expires_at: now + life,
            obtained_wall: 1,
            generation: 0,
            rejected: false,
        }
    }

    /// What a caller does: serve, or run `fetch` (here on the calling thread, also for a
    /// background refresh).
    fn get(cache: &TokenCache, fetch: impl FnOnce() -> std::result::Result<Got, Failure>) -> Result<Arc<Token>> {
        match cache.begin(|_, _| true)? {
            Step::Serve(t) => Ok(t),
            Step::Refresh(t) => {
                let _ = cache.ticket(Some(t.clone())).finish(fetch(), mono_ms());
                Ok(t)
            }
            Step::Fetch(held) => cache.ticket(held).finish(fetch(), mono_ms()),
        }
    }

    #[test]
    fn one_fetch_for_many_cold_callers_and_one_per_invalidation_burst() {
        let cache = Arc::new(TokenCache::new(Duration::from_secs(10), 100, None));
        let calls = Arc::new(AtomicU32::new(0));
        let run = |n: usize| {
            let handles: Vec<_> = (0..n)
                .map(|_| {
                    let (cache, calls) = (cache.clone(), calls.clone());
                    std::thread::spawn(move || {
                        let t = get(&cache, || {
                            let n = calls.fetch_add(1, Ordering::SeqCst) + 1;
                            std::thread::sleep(Duration::from_millis(50));
                            Ok(Got::Token(token(&format!("t{n}"), 60_000, 50_000)))
                        })
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
        // A burst of invalidations of the same token: one eviction, one fetch.
        let evicted: usize = (0..50).filter(|_| cache.invalidate("t1")).count();
        assert_eq!(evicted, 1);
        run(50);
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        assert!(!cache.invalidate("t1"), "an old token does not evict the new one");
    }

    #[test]
    fn a_stale_token_is_served_at_once_and_refreshed_once() {
        let cache = TokenCache::new(Duration::from_secs(10), 100, None);
        get(&cache, || Ok(Got::Token(token("a", 60_000, 0)))).unwrap();
        // Stale from the start: the first caller is asked to refresh, the others are served.
        let Step::Refresh(t) = cache.begin(|_, _| true).unwrap() else {
            panic!("refresh")
        };
        assert_eq!(t.access_token.as_str(), "a");
        for _ in 0..5 {
            assert!(matches!(cache.begin(|_, _| true).unwrap(), Step::Serve(_)));
        }
        // The refresh found another process at it: no new attempt for `retry_ms`.
        cache.ticket(Some(t)).finish(Ok(Got::Busy), mono_ms()).unwrap();
        assert!(matches!(cache.begin(|_, _| true).unwrap(), Step::Serve(_)));
        std::thread::sleep(Duration::from_millis(120));
        assert!(matches!(cache.begin(|_, _| true).unwrap(), Step::Refresh(_)));
    }

    #[test]
    fn a_failed_refresh_serves_the_valid_token_and_backoff_refuses_without_a_request() {
        let cache = TokenCache::new(Duration::from_secs(10), 100, None);
        get(&cache, || Ok(Got::Token(token("a", 300, 0)))).unwrap();
        let backoff = |code, ms| Failure {
            error: Error::new(code, "boom"),
            backoff: Some(Backoff {
                until: mono_ms() + ms,
                failures: 1,
                error: Error::new(code, "boom"),
                basis: "test".into(),
            }),
        };
        let t = get(&cache, || Err(backoff(PAYAUTH_HTTP_STATUS, 1_000))).unwrap();
        assert_eq!(t.access_token.as_str(), "a", "the still-valid token is served");
        std::thread::sleep(Duration::from_millis(310)); // expired, backoff still in force
        let e = get(&cache, || panic!("must not fetch during backoff")).unwrap_err();
        assert_eq!(e.code, PAYAUTH_BACKOFF);
        assert!(e.message.contains("boom") && e.message.contains("ms from now"), "{e}");
        let cache = TokenCache::new(Duration::from_secs(10), 100, None);
        let e = get(&cache, || Err(backoff(PAYAUTH_CREDENTIALS_REJECTED, 60))).unwrap_err();
        assert_eq!(
            e.code, PAYAUTH_CREDENTIALS_REJECTED,
            "the caller that fetched gets the cause"
        );
        std::thread::sleep(Duration::from_millis(70));
        assert!(get(&cache, || Ok(Got::Token(token("b", 10_000, 9_000)))).is_ok());
    }

    #[test]
    fn a_panicking_fetch_releases_the_waiters() {
        let cache = TokenCache::new(Duration::from_secs(5), 100, None);
        let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| get(&cache, || panic!("boom"))));
        assert!(r.is_err());
        assert!(get(&cache, || Ok(Got::Token(token("c", 10_000, 9_000)))).is_ok());
    }
}
