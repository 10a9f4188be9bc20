//! Keeping the host lock and the fleet lease while a token request runs: the request runs on a
//! scoped thread while the calling thread beats the host lock every [`BEAT_MS`] and renews the
//! Redis lease every `lease_ms / 4`. If either is lost (a stopped process was taken over, a
//! lease expired while Redis was unreachable), [`Holding::lost`] says so and the request must
//! not be sent, nor its result written.

use super::fleet::{Fleet, Lease};
use super::hostlock::{BEAT_MS, HostLock};
use crate::clock::mono_ms;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex};
use std::time::Duration;

/// What the request sees of the locks it runs under.
#[derive(Debug, Default)]
pub struct Holding {
    lost: AtomicBool,
}

impl Holding {
    /// Whether the host lock or the fleet lease was lost: another process may be requesting.
    pub fn lost(&self) -> bool {
        self.lost.load(Ordering::Acquire)
    }
}

/// The locks held for one token request.
pub struct Locks<'a> {
    /// The host lock, if the host tier is on.
    pub lock: Option<&'a HostLock>,
    /// The fleet and the lease, if the fleet tier holds one.
    pub lease: Option<(&'a Fleet, &'a Lease)>,
    /// Lease length to renew to.
    pub lease_ms: i64,
}

impl Locks<'_> {
    fn keep(&self, holding: &Holding) {
        let still = self.lock.is_none_or(|l| l.beat())
            && self
                .lease
                .is_none_or(|(f, l)| f.renew(mono_ms(), l, self.lease_ms) != Some(false));
        if !still {
            holding.lost.store(true, Ordering::Release);
        }
    }

    /// Runs `request` while keeping the locks; returns its result.
    pub fn run<R: Send>(&self, request: impl FnOnce(&Holding) -> R + Send) -> R {
        let holding = Holding::default();
        if self.lock.is_none() && self.lease.is_none() {
            return request(&holding);
        }
        let done = (Mutex::new(false), Condvar::new());
        let every = Duration::from_millis(BEAT_MS.min(self.lease_ms / 4).max(50) as u64);
        std::thread::scope(|s| {
            let worker = s.spawn(|| {
                // Signals the keeper on every exit, a panic included.
                struct Done<'d>(&'d (Mutex<bool>, Condvar));
                impl Drop for Done<'_> {
                    fn drop(&mut self) {
                        *self.0.0.lock().unwrap_or_else(|p| p.into_inner()) = true;
                        self.0.1.notify_all();
                    }
                }
                let _done = Done(&done);
                request(&holding)
            });
            let mut finished = done.0.lock().unwrap_or_else(|p| p.into_inner());
            while !*finished {
                finished = done
                    .1
                    .wait_timeout(finished, every)
                    .unwrap_or_else(|p| p.into_inner())
                    .0;
                if !*finished {
                    self.keep(&holding);
                }
            }
            drop(finished);
            match worker.join() {
                Ok(r) => r,
                Err(panic) => std::panic::resume_unwind(panic),
            }
        })
    }
}
