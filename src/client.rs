//! The client: a signer plus the profile's token flow and the token cache. `sign_request` is the
//! one call a user makes per outgoing request.
//!
//! Fork safety: the per-process part (connection pool, cache locks, in-flight state) lives in a
//! `ProcState` that is replaced, never shared, when a `fork()` is detected through a
//! `pthread_atfork` child handler; the parent's state is left untouched (it may hold locks owned
//! by threads that do not exist in the child).

use crate::cache::lifecycle::Policy;
use crate::cache::memory::{Failure, TokenCache};
use crate::error::{Error, Result};
use crate::profiles::request::now_ms;
use crate::profiles::{Config, Extra, Request, Signed, Signer};
use crate::status::PAYAUTH_CONFIG_SECRET_SOURCE;
use crate::token::Token;
use crate::token::flows::{Flow, LastResponse};
use crate::token::http::{HttpOptions, Transport};
use std::sync::atomic::{AtomicPtr, AtomicU64, Ordering};
use std::sync::{Arc, Once};
use std::time::Duration;

static FORK_GENERATION: AtomicU64 = AtomicU64::new(0);

extern "C" fn after_fork_in_child() {
    FORK_GENERATION.fetch_add(1, Ordering::SeqCst);
}

fn register_fork_handler() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a handler that only increments an atomic (async-signal-safe).
        unsafe { libc::pthread_atfork(None, None, Some(after_fork_in_child)) };
    });
}

struct ProcState {
    fork_generation: u64,
    transport: Transport,
    cache: TokenCache,
}

/// A token client for one credential.
pub struct Client {
    signer: Signer,
    flow: Option<Flow>,
    policy: Policy,
    http: HttpOptions,
    wait_timeout: Duration,
    state: AtomicPtr<ProcState>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Client({})", self.signer.profile())
    }
}

fn ms(cfg: &Config, key: &str, default: i64, max: i64) -> Result<Duration> {
    Ok(Duration::from_millis(cfg.int(key, 1, max)?.unwrap_or(default) as u64))
}

impl Client {
    /// Builds a client from configuration text (profile fields plus the token fields).
    pub fn from_json(text: &[u8]) -> Result<Self> {
        register_fork_handler();
        let cfg = Config::parse(text)?;
        let profile = cfg.req_str("profile")?;
        let flow = Flow::from_config(&profile, &cfg)?;
        let ca_pem = match cfg.str("ca_file")? {
            None => None,
            Some(path) => Some(std::fs::read(&path).map_err(|e| {
                Error::new(
                    PAYAUTH_CONFIG_SECRET_SOURCE,
                    format!("cannot read ca_file `{path}`: {}", e.kind()),
                )
            })?),
        };
        let connect_timeout = ms(&cfg, "connect_timeout_ms", 5_000, 600_000)?;
        let timeout = ms(&cfg, "timeout_ms", 15_000, 600_000)?;
        let http = HttpOptions {
            ca_pem,
            connect_timeout,
            timeout,
            proxy: cfg.str("proxy")?,
            max_response_bytes: cfg.int("max_response_bytes", 1024, 64 << 20)?.unwrap_or(1 << 20) as u64,
        };
        let mut policy = Policy {
            refresh_margin: refresh_margin(&cfg)?,
            ..Policy::default()
        };
        if let Some(b) = cfg.int("credential_backoff_ms", 0, 86_400_000)? {
            policy.credential_backoff_ms = b;
        }
        if let Some(m) = cfg.int("max_lifetime_s", 1, 365 * 86_400)? {
            policy.max_lifetime_s = m;
        }
        let wait_timeout = ms(
            &cfg,
            "wait_timeout_ms",
            (connect_timeout + timeout).as_millis() as i64 + 1_000,
            3_600_000,
        )?;
        let signer = Signer::from_config(&cfg)?;
        let transport = Transport::new(&http)?;
        let state = Box::into_raw(Box::new(ProcState {
            fork_generation: FORK_GENERATION.load(Ordering::SeqCst),
            transport,
            cache: TokenCache::new(wait_timeout, None),
        }));
        Ok(Client {
            signer,
            flow,
            policy,
            http,
            wait_timeout,
            state: AtomicPtr::new(state),
        })
    }

    /// The per-process state, rebuilt after a fork.
    fn proc(&self) -> Result<&ProcState> {
        let generation = FORK_GENERATION.load(Ordering::Acquire);
        let p = self.state.load(Ordering::Acquire);
        // SAFETY: states are only freed when the client is dropped.
        let s = unsafe { &*p };
        if s.fork_generation == generation {
            return Ok(s);
        }
        let fresh = Box::into_raw(Box::new(ProcState {
            fork_generation: generation,
            transport: Transport::new(&self.http)?,
            cache: TokenCache::new(self.wait_timeout, s.cache.try_current()),
        }));
        match self
            .state
            .compare_exchange(p, fresh, Ordering::AcqRel, Ordering::Acquire)
        {
            // The inherited state is leaked on purpose: it may hold locks of parent threads.
            Ok(_) => Ok(unsafe { &*fresh }),
            Err(current) => {
                // SAFETY: `fresh` was never published.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: as above.
                Ok(unsafe { &*current })
            }
        }
    }

    /// The signer.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    fn fetch(
        &self,
        st: &ProcState,
        flow: &Flow,
        refresh: Option<&crate::secret::Secret>,
    ) -> std::result::Result<Token, Failure> {
        let sent_at = now_ms();
        let mut last = LastResponse::default();
        let result = flow
            .fetch(&st.transport, &self.signer, refresh, &mut last)
            .and_then(|o| self.policy.place(o, sent_at, flow.default_lifetime_s()));
        st.cache
            .stats
            .last_http_status
            .store(i64::from(last.status), Ordering::Relaxed);
        result.map_err(|error| Failure {
            backoff_ms: self.policy.backoff_ms(&error, last.retry_after_s),
            error,
        })
    }

    /// A valid token (fetched, refreshed or cached), or `None` for profiles without a token flow.
    pub fn token(&self) -> Result<Option<Arc<Token>>> {
        self.token_at(now_ms())
    }

    fn token_at(&self, now: i64) -> Result<Option<Arc<Token>>> {
        let Some(flow) = &self.flow else { return Ok(None) };
        let st = self.proc()?;
        st.cache
            .get(now, now_ms, |refresh| self.fetch(st, flow, refresh))
            .map(Some)
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
        let now = now_ms();
        let token = self.token_at(now)?;
        let access = token.as_ref().map_or("", |t| t.access_token.as_str());
        let req = Request::new(
            method,
            path,
            body,
            access,
            if time_ms == 0 { now } else { time_ms },
            extra,
        )?;
        self.signer.sign(&req, explain)
    }

    /// After a 401: evicts the cached token only if it is `rejected` (the bare token or the
    /// `Bearer …` header value). Returns whether it evicted.
    pub fn invalidate(&self, rejected: &str) -> Result<bool> {
        let bare = rejected.strip_prefix("Bearer ").unwrap_or(rejected);
        Ok(self.proc()?.cache.invalidate(bare))
    }

    /// Counters as JSON.
    pub fn stats_json(&self) -> Result<String> {
        Ok(self.proc()?.cache.stats.snapshot_json())
    }
}

fn refresh_margin(cfg: &Config) -> Result<f64> {
    let v = cfg.float("refresh_margin")?.unwrap_or(Policy::default().refresh_margin);
    if (0.0..=0.5).contains(&v) {
        Ok(v)
    } else {
        Err(Error::config_invalid("refresh_margin", "must be between 0.0 and 0.5"))
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let p = *self.state.get_mut();
        if !p.is_null() {
            // SAFETY: the current state is owned by this client.
            drop(unsafe { Box::from_raw(p) });
        }
    }
}
