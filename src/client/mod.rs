//! The client: a signer plus the profile's token flow and the token cache. `sign_request` is the
//! one call a user makes per outgoing request.
//!
//! A valid token is never waited on: inside the refresh margin the first caller starts a refresh
//! on a library-owned thread (one per credential per process at a time; across processes the host
//! lock makes it one per host) and every caller is served the still-valid token meanwhile.
//! Only a caller with no valid token waits, at most for one token request per backoff step.
//!
//! Fork safety: the per-process part (connection pool, cache locks, in-flight state, the
//! refresher) lives in a `ProcState` that is replaced, never shared, when a `fork()` is detected
//! through a `pthread_atfork` child handler; the parent's state is left untouched (it may hold
//! locks owned by threads that do not exist in the child).

mod setup;

pub use setup::CLIENT_FIELDS;

use crate::cache::acquire::Mode;
use crate::cache::config::CacheConfig;
use crate::cache::lifecycle::{Freshness, Policy, SentAt, freshness};
use crate::cache::memory::{Backoff, Failure, Got, Step, TokenCache};
use crate::cache::shared::{Shared, SharedOptions};
use crate::cache::stats::bump;
use crate::clock::{self, mono_ms};
use crate::error::{Error, Result};
use crate::forks::PerProcess;
use crate::profiles::{Extra, Request, Signed, Signer};
use crate::secret::{Redactor, Secret};
use crate::token::Token;
use crate::token::flows::{Flow, LastResponse};
use crate::token::http::{HttpOptions, Transport};
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use zeroize::Zeroizing;

/// How long a background refresh that found another process refreshing waits before it looks
/// at the shared entries again.
const BACKGROUND_RETRY_MS: i64 = 250;

struct ProcState {
    transport: Transport,
    cache: TokenCache,
    shared: Option<Shared>,
    refresher: Mutex<Option<JoinHandle<()>>>,
}

/// What the shared tiers need to be made again in a forked child.
struct SharedSpec {
    config: CacheConfig,
    identity: String,
    material: Zeroizing<Vec<u8>>,
    kills_previous: bool,
}

struct Inner {
    signer: Signer,
    flow: Option<Flow>,
    policy: Policy,
    http: HttpOptions,
    wait_timeout: Duration,
    shared: Option<SharedSpec>,
    redactor: Redactor,
    state: PerProcess<ProcState>,
}

/// A token client for one credential. Share it between threads.
pub struct Client {
    inner: Arc<Inner>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Client({})", self.inner.signer.profile())
    }
}

impl Client {
    /// Builds a client from configuration text (profile fields plus the token fields).
    pub fn from_json(text: &[u8]) -> Result<Self> {
        let inner = setup::inner(text)?;
        inner.proc()?;
        Ok(Client { inner: Arc::new(inner) })
    }

    /// The signer.
    pub fn signer(&self) -> &Signer {
        &self.inner.signer
    }

    /// A valid token (fetched, refreshed or cached), or `None` for profiles without a token flow.
    pub fn token(&self) -> Result<Option<Arc<Token>>> {
        self.inner.token()
    }

    /// Every header the gateway needs for this request: token, signature, ids, timestamps.
    pub fn sign_request(
        &self,
        method: &str,
        path: &str,
        body: &[u8],
        time_ms: i64,
        extra: Extra,
        explain: bool,
    ) -> Result<Signed> {
        let at = if time_ms == 0 { clock::wall_ms() } else { time_ms };
        let sign = |t: Option<&Arc<Token>>, extra: Extra| {
            let access = t.map_or("", |t| t.access_token.as_str());
            let req = Request::new(method, path, body, access, at, extra)?;
            self.inner.signer.sign(&req, explain)
        };
        let mut extra = Some(extra);
        if let Some(signed) = self.inner.hit(|t| sign(Some(t), extra.take().unwrap_or_default())) {
            return signed;
        }
        let token = self.inner.token()?;
        sign(token.as_ref(), extra.take().unwrap_or_default())
    }

    /// After a 401: evicts the cached token only if it is `rejected` (the bare token or the
    /// `Bearer …` header value). Returns whether it evicted.
    pub fn invalidate(&self, rejected: &str) -> Result<bool> {
        let bare = rejected.strip_prefix("Bearer ").unwrap_or(rejected);
        Ok(self.inner.proc()?.cache.invalidate(bare))
    }

    /// Counters and states as JSON (see docs/caching.md).
    pub fn stats_json(&self) -> Result<String> {
        let st = self.inner.proc()?;
        let mut out = st.cache.stats.snapshot();
        let now = mono_ms();
        let backoff = st.cache.backoff().filter(|b| b.until > now);
        out.insert(
            "backoff_until".into(),
            backoff.as_ref().map_or(serde_json::Value::Null, |b| {
                clock::iso_utc(clock::mono_to_wall(b.until)).into()
            }),
        );
        out.insert(
            "backoff_reason".into(),
            backoff
                .as_ref()
                .map_or(serde_json::Value::Null, |b| format!("{} ({})", b.error, b.basis).into()),
        );
        out.insert(
            "consecutive_failures".into(),
            st.cache.backoff().map_or(0, |b| b.failures).into(),
        );
        out.insert("clock_steps".into(), clock::steps().into());
        if let Some(s) = &st.shared {
            s.add_stats(&mut out);
        }
        Ok(serde_json::Value::Object(out).to_string())
    }

    /// The host tier's entry file for this credential (`None` without a host tier).
    pub fn host_entry_path(&self) -> Result<Option<std::path::PathBuf>> {
        Ok(self.inner.proc()?.shared.as_ref().and_then(|s| s.host_entry_path()))
    }
}

impl Drop for Client {
    /// Lets a background refresh in progress end (bounded: it detaches after 1 s; it holds its
    /// own reference to what it uses).
    fn drop(&mut self) {
        let Some(st) = self.inner.state.get_current() else {
            return;
        };
        let handle = st.refresher.lock().unwrap_or_else(|p| p.into_inner()).take();
        if let Some(h) = handle {
            let deadline = Instant::now() + Duration::from_secs(1);
            while !h.is_finished() && Instant::now() < deadline {
                std::thread::sleep(Duration::from_millis(2));
            }
            if h.is_finished() {
                let _ = h.join();
            }
        }
    }
}

impl Inner {
    /// The per-process state: made on first use, and again in a forked child (seeded with the
    /// parent's token when it can be read without waiting).
    fn proc(&self) -> Result<&ProcState> {
        self.state.get_or(|parent| {
            let shared = match &self.shared {
                None => None,
                Some(spec) => Some(Shared::new(SharedOptions {
                    config: &spec.config,
                    identity: &spec.identity,
                    material: &spec.material,
                    kills_previous: spec.kills_previous,
                    wait: self.wait_timeout,
                })?),
            };
            Ok(ProcState {
                transport: Transport::new(&self.http)?,
                // In-process waiters may wait for the shared tiers' lock wait plus a fetch.
                cache: TokenCache::new(
                    self.wait_timeout * 2,
                    BACKGROUND_RETRY_MS,
                    parent.and_then(|p| p.cache.try_current()),
                ),
                shared,
                refresher: Mutex::new(None),
            })
        })
    }

    /// Whether a cached token may be used: for gateways that kill the previous token, only while
    /// it is still the shared entries' token.
    fn is_current(st: &ProcState) -> impl Fn(&Arc<Token>, i64) -> bool + '_ {
        let shared = st.shared.as_ref().filter(|s| s.checks_hits());
        move |t, now| shared.is_none_or(|s| s.still_current(t, now))
    }

    /// The hit path: `f` with this thread's cached token when it can be served as it is.
    fn hit<R>(&self, f: impl FnOnce(&Arc<Token>) -> R) -> Option<R> {
        self.flow.as_ref()?;
        let st = self.proc().ok()?;
        st.cache.hit(clock::mono_fast(), Self::is_current(st), f)
    }

    fn token(self: &Arc<Self>) -> Result<Option<Arc<Token>>> {
        if self.flow.is_none() {
            return Ok(None);
        }
        let st = self.proc()?;
        let step = st.cache.begin(Self::is_current(st))?;
        match step {
            Step::Serve(t) => Ok(Some(t)),
            Step::Refresh(t) => {
                self.refresh_in_background(st, t.clone());
                Ok(Some(t))
            }
            Step::Fetch(held) => {
                let ticket = st.cache.ticket(held.clone());
                let result = self.obtain(st, held.as_ref(), Mode::Wait);
                ticket.finish(result, mono_ms()).map(Some)
            }
        }
    }

    /// Runs the refresh of `t` on a library-owned thread; the caller returns at once.
    fn refresh_in_background(self: &Arc<Self>, st: &ProcState, t: Arc<Token>) {
        let me = self.clone();
        let held = t.clone();
        let spawned = std::thread::Builder::new()
            .name("payauth-refresh".into())
            .spawn(move || {
                let Ok(st) = me.proc() else { return };
                let ticket = st.cache.ticket(Some(held.clone()));
                let result = me.obtain(st, Some(&held), Mode::Background);
                let _ = ticket.finish(result, mono_ms());
            });
        match spawned {
            Ok(h) => {
                let mut slot = st.refresher.lock().unwrap_or_else(|p| p.into_inner());
                if let Some(old) = slot.replace(h)
                    && old.is_finished()
                {
                    let _ = old.join();
                }
            }
            // No thread to be had: try again later, serving the valid token meanwhile.
            Err(_) => {
                let _ = st.cache.ticket(Some(t)).finish(Ok(Got::Busy), mono_ms());
            }
        }
    }

    /// One attempt to get a token: through the shared tiers when they are on.
    fn obtain(&self, st: &ProcState, held: Option<&Arc<Token>>, mode: Mode) -> std::result::Result<Got, Failure> {
        let flow = self.flow.as_ref().expect("only profiles with a token flow fetch");
        let failures = st.cache.backoff().map_or(0, |b| b.failures);
        match st.shared.as_ref().filter(|s| s.active()) {
            Some(s) => s.acquire(mode, held, failures, |refresh, failures, holding| {
                // `acquire` sends nothing once the locks are lost; nothing else to check here.
                let _ = holding;
                self.fetch(st, flow, held, refresh, failures)
            }),
            None => {
                let refresh = held.and_then(|t| t.refresh_token.as_ref());
                self.fetch(st, flow, held, refresh, failures).map(Got::Token)
            }
        }
    }

    /// One token request. A failure's message is cleaned of every configured secret (a gateway
    /// or WAF may echo the request) and decides the backoff that follows.
    fn fetch(
        &self,
        st: &ProcState,
        flow: &Flow,
        held: Option<&Arc<Token>>,
        refresh: Option<&Secret>,
        failures: u32,
    ) -> std::result::Result<Token, Failure> {
        clock::watch();
        let sent = SentAt::now();
        bump(&st.cache.stats.fetches);
        if held.is_some_and(|t| freshness(t, sent.mono) != Freshness::Expired) {
            bump(&st.cache.stats.refreshes);
        }
        let mut redactor = self.redactor.clone();
        if let Some(r) = refresh {
            redactor.add(r.expose());
        }
        let mut last = LastResponse {
            redactor,
            ..LastResponse::default()
        };
        let result = flow
            .fetch(&st.transport, &self.signer, refresh, &mut last)
            .and_then(|o| self.policy.place(o, sent, self.signer.preset().default_lifetime_s));
        st.cache
            .stats
            .last_http_status
            .store(i64::from(last.status), Ordering::Relaxed);
        result.map_err(|e| {
            bump(&st.cache.stats.failures);
            let error = Error::new(e.code, last.redactor.clean(&e.message));
            let failures = failures + 1;
            let delay = self.policy.backoff(&error, last.retry_after_s, failures);
            Failure {
                backoff: Some(Backoff {
                    until: mono_ms() + delay.ms,
                    failures,
                    error: error.clone(),
                    basis: delay.basis,
                }),
                error,
            }
        })
    }
}
