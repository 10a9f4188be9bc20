//! Shared server state: issued tokens, Netzme's one-active-token rule, Paytia's refresh-token
//! rotation, lifetimes, queued faults and the counters.

use crate::config::Config;
use crate::faults::Fault;
use crate::keys::RsaPublicKey;
use crate::profile::{Endpoint, Profile, TokenTtl};
use crate::stats::Stats;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ring::rand::{SecureRandom, SystemRandom};
use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The public keys the verifiers use.
pub struct Keys {
    pub snap: RsaPublicKey,
    pub netzme_snap: RsaPublicKey,
    pub paynet_jws: RsaPublicKey,
    pub duitnow_pay: RsaPublicKey,
}

/// Everything the connection threads share.
pub struct State {
    pub config: Config,
    pub keys: Keys,
    pub shutdown: AtomicBool,
    pub log: bool,
    exact_bodies: AtomicBool,
    inner: Mutex<Inner>,
    rng: SystemRandom,
}

/// An issued token.
#[derive(Clone, Debug)]
pub struct Issued {
    pub token: String,
    pub ttl_s: i64,
    pub expires_at_ms: i64,
}

/// Outcome of presenting a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TokenCheck {
    Valid,
    Unknown,
    /// Killed by a newer token for the same client (one active token per client).
    Killed,
    Expired,
}

impl TokenCheck {
    pub fn reason(self) -> &'static str {
        match self {
            TokenCheck::Valid => "valid",
            TokenCheck::Unknown => "unknown access token",
            TokenCheck::Killed => "access token was superseded by a newer token",
            TokenCheck::Expired => "access token expired",
        }
    }
}

/// Outcome of a Paytia refresh.
#[derive(Clone, Debug)]
pub enum Refresh {
    Rotated {
        access: Issued,
        refresh: String,
    },
    /// An old refresh token (already rotated away).
    Reused,
    Unknown,
}

struct TokenRecord {
    profile: Profile,
    client_id: String,
    expires_at_ms: i64,
    killed: bool,
}

#[derive(Default)]
struct Inner {
    tokens: HashMap<String, TokenRecord>,
    active: HashMap<(Profile, String), String>,
    /// Paytia refresh token -> client id, for every refresh token ever issued.
    refresh_tokens: HashMap<String, String>,
    /// Paytia client id -> its only valid refresh token.
    latest_refresh: HashMap<String, String>,
    ttl: HashMap<Profile, i64>,
    faults: HashMap<Endpoint, VecDeque<(Fault, u32)>>,
    stats: Stats,
    in_flight: HashMap<Profile, u64>,
}

/// Epoch milliseconds now.
pub fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// Marks one token request as in flight until dropped.
pub struct InFlight<'a> {
    state: &'a State,
    profile: Profile,
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut inner = self.state.lock();
        if let Some(n) = inner.in_flight.get_mut(&self.profile) {
            *n = n.saturating_sub(1);
        }
    }
}

impl State {
    pub fn new(config: Config, keys: Keys, log: bool) -> State {
        State {
            exact_bodies: AtomicBool::new(config.body_form == crate::config::BodyForm::Exact),
            config,
            keys,
            shutdown: AtomicBool::new(false),
            log,
            inner: Mutex::new(Inner::default()),
            rng: SystemRandom::new(),
        }
    }

    /// Switches how verifiers read signed bodies.
    pub fn set_body_form(&self, form: crate::config::BodyForm) {
        self.exact_bodies
            .store(form == crate::config::BodyForm::Exact, Ordering::SeqCst);
    }

    /// The body bytes a verifier covers: minified JSON (a JSON body with its insignificant
    /// whitespace removed; anything else as received), or exactly as received.
    pub fn covered_body(&self, body: &[u8]) -> Vec<u8> {
        if self.exact_bodies.load(Ordering::SeqCst) {
            body.to_vec()
        } else {
            crate::minify::minify(body).unwrap_or_else(|| body.to_vec())
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panicking connection thread must not take the whole emulator down.
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn is_shutting_down(&self) -> bool {
        self.shutdown.load(Ordering::SeqCst)
    }

    /// Sleeps `d`, waking early on shutdown. Returns false when shutting down.
    pub fn sleep(&self, d: Duration) -> bool {
        let end = std::time::Instant::now() + d;
        loop {
            if self.is_shutting_down() {
                return false;
            }
            let now = std::time::Instant::now();
            if now >= end {
                return true;
            }
            std::thread::sleep((end - now).min(Duration::from_millis(20)));
        }
    }

    fn random_bytes(&self, n: usize) -> Vec<u8> {
        let mut bytes = vec![0u8; n];
        self.rng.fill(&mut bytes).expect("system RNG");
        bytes
    }

    /// Counts a token request and marks it in flight.
    pub fn begin_token_request(&self, profile: Profile) -> InFlight<'_> {
        let mut inner = self.lock();
        let n = {
            let n = inner.in_flight.entry(profile).or_insert(0);
            *n += 1;
            *n
        };
        let ps = inner.stats.profile_mut(profile);
        ps.token_requests += 1;
        ps.max_concurrent_token_requests = ps.max_concurrent_token_requests.max(n);
        InFlight { state: self, profile }
    }

    pub fn count_token_failure(&self, profile: Profile) {
        self.lock().stats.profile_mut(profile).token_failures += 1;
    }

    pub fn count_echo(&self, profile: Profile, ok: bool) {
        let mut inner = self.lock();
        let ps = inner.stats.profile_mut(profile);
        if ok {
            ps.echo_ok += 1;
        } else {
            ps.echo_rejected += 1;
        }
    }

    pub fn stats(&self) -> Stats {
        self.lock().stats.clone()
    }

    /// Zeroes the counters; the concurrency high-water mark restarts at what is in flight now.
    pub fn reset_stats(&self) {
        let mut inner = self.lock();
        let mut fresh = Stats::default();
        for (profile, n) in &inner.in_flight {
            fresh.profile_mut(*profile).max_concurrent_token_requests = *n;
        }
        inner.stats = fresh;
    }

    pub fn set_ttl(&self, profile: Profile, ttl: TokenTtl) {
        let mut inner = self.lock();
        match ttl {
            TokenTtl::Default => inner.ttl.remove(&profile),
            TokenTtl::ExpiresIn(s) => inner.ttl.insert(profile, s),
        };
    }

    fn ttl_s(inner: &Inner, profile: Profile) -> i64 {
        inner
            .ttl
            .get(&profile)
            .copied()
            .unwrap_or_else(|| profile.default_ttl_s())
    }

    /// Queues `fault` for the next `times` requests of `endpoint` (after those already queued).
    pub fn inject(&self, endpoint: Endpoint, fault: Fault, times: u32) {
        if times > 0 {
            self.lock()
                .faults
                .entry(endpoint)
                .or_default()
                .push_back((fault, times));
        }
    }

    pub fn clear_faults(&self) {
        self.lock().faults.clear();
    }

    /// Takes the fault for the current request of `endpoint`, if one is queued.
    pub fn take_fault(&self, endpoint: Endpoint) -> Option<Fault> {
        let mut inner = self.lock();
        let queue = inner.faults.get_mut(&endpoint)?;
        let (fault, left) = queue.front_mut()?;
        let fault = fault.clone();
        *left -= 1;
        if *left == 0 {
            queue.pop_front();
        }
        Some(fault)
    }

    /// A token that looks like a real one (with the current lifetime) but is not registered.
    pub fn fake_issued(&self, profile: Profile) -> Issued {
        let token = self.token_text(profile);
        let ttl_s = State::ttl_s(&self.lock(), profile);
        let expires_at_ms = now_ms().saturating_add(ttl_s.saturating_mul(1000));
        Issued {
            token,
            ttl_s,
            expires_at_ms,
        }
    }

    fn token_text(&self, profile: Profile) -> String {
        let bytes = self.random_bytes(32);
        match profile {
            Profile::Netzme => hex::encode(bytes),
            _ => URL_SAFE_NO_PAD.encode(bytes),
        }
    }

    /// Issues a token. With `one_active`, the client's previous token is killed.
    pub fn issue(&self, profile: Profile, client_id: &str, one_active: bool) -> Issued {
        let token = self.token_text(profile);
        let mut inner = self.lock();
        State::register(&mut inner, profile, client_id, token, one_active)
    }

    fn register(inner: &mut Inner, profile: Profile, client_id: &str, token: String, one_active: bool) -> Issued {
        let ttl_s = State::ttl_s(inner, profile);
        let expires_at_ms = now_ms().saturating_add(ttl_s.saturating_mul(1000));
        inner.tokens.insert(
            token.clone(),
            TokenRecord {
                profile,
                client_id: client_id.to_string(),
                expires_at_ms,
                killed: false,
            },
        );
        if one_active {
            let key = (profile, client_id.to_string());
            if let Some(old) = inner.active.insert(key, token.clone())
                && let Some(rec) = inner.tokens.get_mut(&old)
            {
                rec.killed = true;
            }
        }
        inner.stats.profile_mut(profile).tokens_issued += 1;
        Issued {
            token,
            ttl_s,
            expires_at_ms,
        }
    }

    /// Checks a presented token of `profile`; counts killed and expired uses.
    pub fn check(&self, profile: Profile, token: &str) -> TokenCheck {
        let mut inner = self.lock();
        let result = match inner.tokens.get(token) {
            Some(rec) if rec.profile != profile => TokenCheck::Unknown,
            Some(rec) if rec.killed => TokenCheck::Killed,
            Some(rec) if now_ms() >= rec.expires_at_ms => TokenCheck::Expired,
            Some(_) => TokenCheck::Valid,
            None => TokenCheck::Unknown,
        };
        match result {
            TokenCheck::Killed => inner.stats.killed_token_uses += 1,
            TokenCheck::Expired => inner.stats.expired_token_uses += 1,
            _ => {}
        }
        result
    }

    /// The client a token was issued to.
    pub fn token_client(&self, token: &str) -> Option<String> {
        self.lock().tokens.get(token).map(|r| r.client_id.clone())
    }

    /// Paytia: issues an access token and a refresh token; every older refresh token of the
    /// client stops being valid.
    pub fn paytia_issue(&self, client_id: &str) -> (Issued, String) {
        let (access, refresh) = (self.token_text(Profile::Paytia), self.token_text(Profile::Paytia));
        let mut inner = self.lock();
        State::paytia_register(&mut inner, client_id, access, refresh)
    }

    fn paytia_register(inner: &mut Inner, client_id: &str, access: String, refresh: String) -> (Issued, String) {
        let access = State::register(inner, Profile::Paytia, client_id, access, false);
        inner.refresh_tokens.insert(refresh.clone(), client_id.to_string());
        inner.latest_refresh.insert(client_id.to_string(), refresh.clone());
        (access, refresh)
    }

    /// Counts a Paytia `refresh_token` grant request.
    pub fn count_refresh(&self) {
        self.lock().stats.profile_mut(Profile::Paytia).token_refreshes += 1;
    }

    /// Paytia: rotates `refresh` if it is the client's latest refresh token (atomically, so two
    /// concurrent refreshes with the same token cannot both succeed).
    pub fn paytia_refresh(&self, client_id: &str, refresh: &str) -> Refresh {
        let (new_access, new_refresh) = (self.token_text(Profile::Paytia), self.token_text(Profile::Paytia));
        let mut inner = self.lock();
        match inner.refresh_tokens.get(refresh) {
            Some(owner) if owner == client_id => {}
            _ => return Refresh::Unknown,
        }
        if inner.latest_refresh.get(client_id).map(String::as_str) != Some(refresh) {
            inner.stats.refresh_token_reuse += 1;
            return Refresh::Reused;
        }
        let (access, refresh) = State::paytia_register(&mut inner, client_id, new_access, new_refresh);
        Refresh::Rotated { access, refresh }
    }
}
