//! The client: a signer plus the profile's token flow and the token cache. `sign_request` is the
//! one call a user makes per outgoing request.
//!
//! Fork safety: the per-process part (connection pool, cache locks, in-flight state) lives in a
//! `ProcState` that is replaced, never shared, when a `fork()` is detected through a
//! `pthread_atfork` child handler; the parent's state is left untouched (it may hold locks owned
//! by threads that do not exist in the child).

use crate::cache::config::CacheConfig;
use crate::cache::lifecycle::Policy;
use crate::cache::memory::{Failure, TokenCache};
use crate::cache::shared::{Shared, SharedOptions};
use crate::error::{Error, Result};
use crate::forks::{self, PerProcess};
use crate::profiles::request::now_ms;
use crate::profiles::{Config, Extra, Request, Signed, Signer};
use crate::secret::Secret;
use crate::token::Token;
use crate::token::flows::{Flow, LastResponse};
use crate::token::http::{HttpOptions, Transport};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;
use zeroize::Zeroizing;

struct ProcState {
    transport: Transport,
    cache: TokenCache,
    shared: Option<Shared>,
}

/// What the shared tiers need to be made again in a forked child.
struct SharedSpec {
    config: CacheConfig,
    identity: String,
    material: Zeroizing<Vec<u8>>,
    kills_previous: bool,
}

/// A token client for one credential.
pub struct Client {
    signer: Signer,
    flow: Option<Flow>,
    policy: Policy,
    http: HttpOptions,
    wait_timeout: Duration,
    shared: Option<SharedSpec>,
    state: PerProcess<ProcState>,
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
        forks::register_handler();
        let cfg = Config::parse(text)?;
        let profile = cfg.req_str("profile")?;
        let flow = Flow::from_config(&profile, &cfg)?;
        let ca_pem = cfg.file("ca_file")?;
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
        // Checked for every profile, used only by those with a token flow.
        let cache = CacheConfig::from_config(&cfg)?;
        let shared = match &flow {
            None => None,
            Some(flow) => Some(SharedSpec {
                config: cache,
                identity: format!(
                    "{profile}\n{}\n{}",
                    flow.url(),
                    cfg.str("client_id")?.unwrap_or_default()
                ),
                material: key_material(&cfg)?,
                kills_previous: matches!(profile.as_str(), "netzme" | "netzme-snap"),
            }),
        };
        let signer = Signer::from_config(&cfg)?;
        let client = Client {
            signer,
            flow,
            policy,
            http,
            wait_timeout,
            shared,
            state: PerProcess::new(),
        };
        client.proc()?;
        Ok(client)
    }

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
                cache: TokenCache::new(self.wait_timeout * 2, parent.and_then(|p| p.cache.try_current())),
                shared,
            })
        })
    }

    /// The signer.
    pub fn signer(&self) -> &Signer {
        &self.signer
    }

    fn fetch(&self, st: &ProcState, flow: &Flow, refresh: Option<&Secret>) -> std::result::Result<Token, Failure> {
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
        let shared = st.shared.as_ref().filter(|s| s.active());
        let checks = shared.is_some_and(|s| s.checks_hits());
        st.cache
            .get(
                now,
                now_ms,
                |t, now| !checks || shared.is_none_or(|s| s.still_current(t, now)),
                |held| match shared {
                    Some(s) => s.acquire(held, now_ms, |refresh| self.fetch(st, flow, refresh)),
                    None => self.fetch(st, flow, held.and_then(|t| t.refresh_token.as_ref())),
                },
            )
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
        let st = self.proc()?;
        let mut out = st.cache.stats.snapshot();
        if let Some(s) = &st.shared {
            s.add_stats(&mut out, now_ms());
        }
        Ok(serde_json::Value::Object(out).to_string())
    }

    /// The host tier's entry file for this credential (`None` without a host tier).
    pub fn host_entry_path(&self) -> Result<Option<std::path::PathBuf>> {
        Ok(self
            .proc()?
            .shared
            .as_ref()
            .and_then(|s| s.host_entry_path())
            .map(|p| p.to_path_buf()))
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

/// The credential's secrets, length-prefixed, as key material for the shared tiers' encryption.
fn key_material(cfg: &Config) -> Result<Zeroizing<Vec<u8>>> {
    let mut out = Zeroizing::new(Vec::new());
    for (key, allow_file) in [
        ("client_secret", false),
        ("api_key", false),
        ("secret", false),
        ("x_signature_secret", false),
        ("private_key", true),
    ] {
        if let Some(s) = cfg.secret(key, allow_file)? {
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(&(s.len() as u64).to_be_bytes());
            out.extend_from_slice(s.expose());
        }
    }
    Ok(out)
}
