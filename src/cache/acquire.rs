//! Getting a token through the shared tiers: take one another process already has, honour a
//! backoff another process recorded, or — holding the host lock and the fleet lease — request
//! one and share the result (a token, or the backoff after a failure) before the locks go.
//!
//! Two modes. `Wait`: the caller has no usable token; it waits (bounded) for a lock holder's
//! result. `Background`: the caller is serving a stale token and refreshes it off the request
//! path; it never waits: when another process holds the lock, it reports `Busy` and looks again
//! later.

use super::entry::Entry;
use super::fleet::Lease;
use super::hostlock::{self, HostLock, Try};
use super::keeper::{Holding, Locks};
use super::memory::{Failure, Got};
use super::shared::{Candidate, Shared, View};
use super::stats::bump;
use crate::clock::mono_ms;
use crate::error::Error;
use crate::secret::Secret;
use crate::status::PAYAUTH_WAIT_TIMEOUT;
use crate::token::Token;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::{Duration, Instant};

/// How a caller takes part (see the module text).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// No usable token: wait for another process's request, bounded.
    Wait,
    /// Refreshing a stale token off the request path: never wait.
    Background,
}

/// One try at a lock.
enum Take<L> {
    Taken(L),
    Busy,
    Unavailable,
}

/// The end of a wait for a lock.
enum Waited<L> {
    /// The lock, or `None` to go on without it (the tier is unavailable).
    Lock(Option<L>),
    /// The holder's result, read while waiting.
    Decided(Result<Got, Failure>),
    /// The holder is alive and still busy at the deadline.
    TimedOut,
}

type Outcome = Result<Got, Failure>;

impl Shared {
    /// Whether a shared token may replace what the caller holds.
    fn usable(&self, c: &Candidate, held: Option<&Arc<Token>>, mode: Mode, now: i64) -> bool {
        let t = &c.token;
        if now >= t.expires_at || c.switching {
            return false;
        }
        // After a 401 the caller marked its token rejected: an entry still holding it is not reused.
        if held.is_some_and(|h| h.rejected && *h.access_token == *t.access_token) {
            return false;
        }
        mode == Mode::Wait || held.is_none_or(|h| *h.access_token != *t.access_token && t.expires_at > h.expires_at)
    }

    /// A result without a request: a usable shared token, or the backoff in force.
    fn decide(&self, view: View, held: Option<&Arc<Token>>, mode: Mode, now: i64) -> Option<Outcome> {
        if let Some(c) = view.token.filter(|c| self.usable(c, held, mode, now)) {
            return Some(Ok(Got::Token(c.token)));
        }
        let refusal = view.refusal?;
        bump(&self.stats.shared_refusals);
        Some(Err(Failure {
            error: refusal.refusal(now),
            backoff: Some(refusal),
        }))
    }

    /// The host entry alone, then the fleet: the cheaper look first. For gateways that kill the
    /// previous token, a token is only taken after both were read (a switch announced in Redis
    /// must be seen before an older host entry is used).
    fn look(&self, held: Option<&Arc<Token>>, mode: Mode, fleet: bool) -> Option<Outcome> {
        let now = mono_ms();
        let fleet = fleet || self.kills_previous;
        let host_first = !(self.kills_previous && self.fleet.is_some());
        let host_view = if host_first {
            self.view(now, false)
        } else {
            View::default()
        };
        if host_view.token.is_some() || host_view.refusal.is_some() {
            let hit = host_view
                .token
                .as_ref()
                .is_some_and(|c| self.usable(c, held, mode, now));
            if let Some(r) = self.decide(host_view, held, mode, now) {
                if hit {
                    bump(&self.stats.host_hits);
                }
                return Some(r);
            }
        }
        if !fleet || self.fleet.is_none() {
            return None;
        }
        let view = self.view(now, true);
        let hit = view.token.as_ref().is_some_and(|c| self.usable(c, held, mode, now));
        let r = self.decide(view, held, mode, now)?;
        if hit && let Ok(Got::Token(t)) = &r {
            bump(&self.stats.fleet_hits);
            // The host's other processes take it from the host tier.
            self.host_write(&super::entry::Entry::of(t, t.generation));
        }
        Some(r)
    }

    /// A token for a caller whose process tier has none usable (`Wait`) or a stale one
    /// (`Background`): from the shared entries, or from `fetch` run holding the host lock and the
    /// fleet lease, whose result is shared. `fetch` gets the refresh token to use (the newest
    /// entry's, else the held token's), the number of consecutive failures so far (at least
    /// `failures`) and the locks' state (it must not send a request once they are lost).
    pub fn acquire(
        &self,
        mode: Mode,
        held: Option<&Arc<Token>>,
        failures: u32,
        fetch: impl FnOnce(Option<&Secret>, u32, &Holding) -> Result<Token, Failure> + Send,
    ) -> Outcome {
        if let Some(r) = self.look(held, mode, true) {
            return r;
        }
        let deadline = Instant::now() + self.wait;
        let lock = match self.host_lock(mode, held, deadline) {
            Ok(l) => l,
            Err(decided) => return decided,
        };
        let lease = match self.fleet_lease(mode, held, deadline) {
            Ok(l) => l,
            Err(decided) => return decided,
        };
        let result = self.fetch_locked(mode, held, failures, lock.as_ref(), lease.as_ref(), fetch);
        if let (Some(f), Some(l)) = (&self.fleet, lease) {
            f.release(mono_ms(), l);
        }
        drop(lock);
        result
    }

    /// The host lock (None without a host tier or when it cannot be used), or the outcome decided
    /// while waiting for it (another process's token, a backoff, a timeout).
    fn host_lock(&self, mode: Mode, held: Option<&Arc<Token>>, deadline: Instant) -> Result<Option<HostLock>, Outcome> {
        let Some(h) = &self.host else { return Ok(None) };
        let mut watch = hostlock::Watch::default();
        let take = || match hostlock::try_lock(h.dir(), h.lock_name(), &mut watch) {
            Ok(Try::Taken(l)) => {
                if l.took_over.is_some() {
                    bump(&self.stats.lock_takeovers);
                }
                Take::Taken(l)
            }
            Ok(Try::Busy) => Take::Busy,
            Err(e) => {
                bump(&self.stats.host_errors);
                let dir = h.dir().path().display();
                crate::log::warn(
                    "host_lock_failed",
                    &format!("cannot use the host lock in {dir}: {e}; requesting without it"),
                );
                Take::Unavailable
            }
        };
        let look = || self.look(held, mode, false);
        match self.wait_for(mode, deadline, 25, take, look, &self.stats.lock_waits) {
            Waited::Lock(l) => Ok(l),
            Waited::Decided(r) => Err(r),
            Waited::TimedOut => Err(Err(self.timed_out("the host lock"))),
        }
    }

    /// The fleet lease (None without a fleet tier or when Redis is unreachable), or the outcome
    /// decided while waiting for it.
    fn fleet_lease(&self, mode: Mode, held: Option<&Arc<Token>>, deadline: Instant) -> Result<Option<Lease>, Outcome> {
        let Some(f) = &self.fleet else { return Ok(None) };
        let take = || match f.try_lease(mono_ms(), self.lease_ms) {
            None => Take::Unavailable,
            Some(Some(l)) => Take::Taken(l),
            Some(None) => Take::Busy,
        };
        let look = || self.look(held, mode, true);
        match self.wait_for(mode, deadline, 50, take, look, &self.stats.lease_waits) {
            Waited::Lock(l) => Ok(l),
            Waited::Decided(r) => Err(r),
            Waited::TimedOut => Err(Err(self.timed_out("the fleet lease"))),
        }
    }

    fn timed_out(&self, what: &str) -> Failure {
        bump(&self.stats.lock_timeouts);
        Failure::from(Error::new(
            PAYAUTH_WAIT_TIMEOUT,
            format!(
                "waited {} ms for another process's token request ({what} is held by a live process)",
                self.wait.as_millis()
            ),
        ))
    }

    /// Polls `take` until it yields the lock or the lock is unavailable; between tries `reread`
    /// may find the holder's result. `Background` tries once.
    fn wait_for<L>(
        &self,
        mode: Mode,
        deadline: Instant,
        max_pause_ms: u64,
        mut take: impl FnMut() -> Take<L>,
        reread: impl Fn() -> Option<Outcome>,
        waits: &AtomicU64,
    ) -> Waited<L> {
        let mut pause = Duration::from_millis(1);
        loop {
            match take() {
                Take::Taken(l) => return Waited::Lock(Some(l)),
                Take::Unavailable => return Waited::Lock(None),
                Take::Busy if mode == Mode::Background => return Waited::Decided(Ok(Got::Busy)),
                Take::Busy => {}
            }
            bump(waits);
            if let Some(r) = reread() {
                return Waited::Decided(r);
            }
            if Instant::now() >= deadline {
                return Waited::TimedOut;
            }
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(max_pause_ms));
        }
    }

    /// The part of `acquire` that runs holding the host lock and fleet lease (when available).
    fn fetch_locked(
        &self,
        mode: Mode,
        held: Option<&Arc<Token>>,
        failures: u32,
        lock: Option<&HostLock>,
        lease: Option<&Lease>,
        fetch: impl FnOnce(Option<&Secret>, u32, &Holding) -> Result<Token, Failure> + Send,
    ) -> Outcome {
        // Another process may have finished while this one waited for the locks.
        crate::clock::watch();
        let now = mono_ms();
        let view = self.view(now, lease.is_some());
        let newest = view.newest.clone();
        let old = view
            .token
            .as_ref()
            .map(|c| c.token.clone())
            .or_else(|| held.map(|h| (**h).clone()));
        let failures = failures.max(view.failures);
        if let Some(r) = self.decide(view, held, mode, now) {
            return r;
        }
        // The newest entry carries the refresh token to use (Paytia rotates it on every renewal).
        let refresh = newest
            .as_ref()
            .and_then(|e| e.token(None))
            .and_then(|t| t.refresh_token)
            .or_else(|| held.and_then(|h| h.refresh_token.clone()));
        let announced = self.announce_handover(lease, held, old.as_ref(), now);
        let result = self.run_locked(lock, lease, announced.is_some(), |holding| {
            fetch(refresh.as_ref(), failures, holding)
        });
        if !lock.is_none_or(|l| l.still_ours()) {
            // Taken over while this process was stopped: the new holder's result is the one to keep.
            bump(&self.stats.lock_lost);
            return result.map(Got::Token);
        }
        self.settle(lease, result, newest.as_deref(), announced.as_ref())
    }

    /// A handover protects requests signed with a token that still works: announced before the
    /// request, it tells the other processes to stop using it soon. After a 401 the caller marked
    /// the token rejected (the gateway already refuses it): nothing to protect. Returns the
    /// announced token.
    fn announce_handover(
        &self,
        lease: Option<&Lease>,
        held: Option<&Arc<Token>>,
        old: Option<&Token>,
        now: i64,
    ) -> Option<Token> {
        let rejected = held.is_some_and(|h| h.rejected);
        let live = old.filter(|t| !rejected && !t.rejected && now < t.expires_at)?;
        if self.handover_ms == 0 {
            return None;
        }
        self.announce(lease, live);
        bump(&self.stats.handovers);
        Some(live.clone())
    }

    /// Runs `fetch` holding the locks (after the handover grace when one was announced).
    fn run_locked(
        &self,
        lock: Option<&HostLock>,
        lease: Option<&Lease>,
        handover: bool,
        fetch: impl FnOnce(&Holding) -> Result<Token, Failure> + Send,
    ) -> Result<Token, Failure> {
        let locks = Locks {
            lock,
            lease: self.fleet.as_ref().zip(lease),
            lease_ms: self.lease_ms,
        };
        let handover_ms = self.handover_ms;
        locks.run(|holding| {
            if handover {
                std::thread::sleep(Duration::from_millis(handover_ms as u64));
            }
            if holding.lost() {
                return Err(Failure::from(Error::new(
                    PAYAUTH_WAIT_TIMEOUT,
                    "the host lock or fleet lease was lost before the token request (another process took over)",
                )));
            }
            fetch(holding)
        })
    }

    /// Publishes the outcome: a new token, a refusal with its backoff, or (neither) the
    /// announced token taken back.
    fn settle(
        &self,
        lease: Option<&Lease>,
        result: Result<Token, Failure>,
        newest: Option<&Entry>,
        announced: Option<&Token>,
    ) -> Outcome {
        match result {
            Ok(mut t) => {
                t.generation = self.next_generation();
                self.publish(lease, &t);
                Ok(Got::Token(t))
            }
            Err(fail) => {
                match (&fail.backoff, announced) {
                    (Some(b), _) => self.publish_refusal(lease, newest, b),
                    (None, Some(t)) => self.publish(
                        lease,
                        &Token {
                            generation: self.next_generation(),
                            ..t.clone()
                        },
                    ),
                    (None, None) => {}
                }
                Err(fail)
            }
        }
    }
}
