//! The hit-path check for gateways that kill the previous token (Netzme): is the process tier's
//! token still the one in the shared entries, with no switch announced?

use super::entry::Entry;
use super::fleet::Fleet;
use super::host::{Found, HostTier, Stamp};
use super::seal::Sealer;
use super::stats::bump;
use crate::token::Token;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, AtomicUsize, Ordering::Relaxed};

/// How often (ms) a hit on a token of a gateway that kills the previous token looks at the host
/// entry again.
pub(crate) const HOST_CHECK_MS: i64 = 20;

/// The hit path's last verdict, readable without a lock.
struct Quick {
    token: AtomicUsize,
    checked_ms: AtomicI64,
    /// The host entry's change counter when the verdict was made (`u64::MAX`: look again).
    host_changes: AtomicU64,
    current: AtomicBool,
}

impl Default for Quick {
    fn default() -> Self {
        Quick {
            token: AtomicUsize::new(0),
            checked_ms: AtomicI64::new(0),
            host_changes: AtomicU64::new(u64::MAX),
            current: AtomicBool::new(false),
        }
    }
}

/// What the hit path last learnt from the shared entries.
#[derive(Default)]
struct Seen {
    stamp: Option<Stamp>,
    changes: Option<u64>,
    token: usize,
    current: bool,
    fleet_nonce: Vec<u8>,
    fleet_token: usize,
    fleet_current: bool,
}

/// Whether an entry says `t` is still the token to send (not switching away from it).
fn entry_keeps(e: &Entry, t: &Token, now: i64) -> bool {
    !e.switching_at(now) && e.held.as_ref().is_some_and(|h| h.access_token == *t.access_token)
}

impl Seen {
    /// The host entry's verdict on `t`, read again only when the entry changed (its change
    /// counter, else its stamp) or the token did.
    fn host_says(
        &mut self,
        h: &HostTier,
        sealer: &Sealer,
        changes: Option<u64>,
        t: &Token,
        id: usize,
        now: i64,
    ) -> bool {
        // Without the counter, the file's stamp tells whether it changed.
        let stamp = if changes.is_none() { h.stamp() } else { None };
        let changed = match changes {
            Some(c) => self.changes != Some(c),
            None => stamp != self.stamp,
        };
        if changed || self.token != id {
            let mut switching = false;
            self.current = match h.read_cached(sealer) {
                Found::Entry(e) => {
                    switching = e.switching.is_some();
                    entry_keeps(&e, t, now)
                }
                _ => true,
            };
            // A switch ends by time as well as by a new entry: look again next time.
            self.stamp = if switching { None } else { stamp };
            self.changes = if switching { None } else { changes };
        }
        self.current
    }

    /// Reads the fleet entry (its check interval is due) and records its verdict on `t`.
    fn look_at_fleet(&mut self, f: &Fleet, sealer: &Sealer, t: &Token, id: usize, now: i64) {
        // A connection busy with another thread's call is looked at again on the next hit, not
        // skipped for a whole interval.
        let got = f.get(now, false);
        if got.is_some() {
            f.last_check_ms.store(now, Relaxed);
        }
        let Some(Some(blob)) = got else { return };
        let nonce = Sealer::nonce_of(&blob).unwrap_or_default();
        if nonce != self.fleet_nonce.as_slice() || self.fleet_token != id {
            let mut switching = false;
            self.fleet_current = match Entry::open(sealer, &blob) {
                Some(e) => {
                    switching = e.switching.is_some();
                    entry_keeps(&e, t, now)
                }
                None => true,
            };
            self.fleet_nonce = if switching { Vec::new() } else { nonce.to_vec() };
            self.fleet_token = id;
        }
    }
}

/// The tiers the check reads.
pub(super) struct Tiers<'a> {
    pub host: Option<&'a HostTier>,
    pub fleet: Option<&'a Fleet>,
    pub sealer: &'a Sealer,
    pub superseded: &'a std::sync::atomic::AtomicU64,
}

/// The hit path's check state of one credential.
#[derive(Default)]
pub(super) struct Currency {
    quick: Quick,
    seen: std::sync::Mutex<Seen>,
}

impl Currency {
    /// Hit-path check (profiles whose gateway kills the previous token): is `t` still the
    /// token of the shared entries, with no switch announced? The host entry is looked at again
    /// when its shared change counter moves (one memory load per hit; read and decoded only
    /// after a change) — or, without the counter, one `stat` at most every [`HOST_CHECK_MS`] —
    /// and Redis at most every `fleet_check_ms`. Both are far shorter than the handover, so no
    /// process signs with a token after it is killed.
    pub fn still_current(&self, tiers: Tiers<'_>, t: &Arc<Token>, now: i64) -> bool {
        let id = Arc::as_ptr(t) as usize;
        let changes = tiers.host.and_then(|h| h.changes());
        let host_unchanged = match changes {
            Some(c) => c == self.quick.host_changes.load(Relaxed),
            None => now - self.quick.checked_ms.load(Relaxed) < HOST_CHECK_MS,
        };
        if self.quick.token.load(Relaxed) == id && host_unchanged {
            let fleet_due = tiers
                .fleet
                .is_some_and(|f| f.is_up(now) && now - f.last_check_ms.load(Relaxed) >= f.check_interval_ms);
            if !fleet_due {
                return self.quick.current.load(Relaxed);
            }
        }
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        let mut current = true;
        if let Some(h) = tiers.host {
            current &= seen.host_says(h, tiers.sealer, changes, t, id, now);
        }
        if let Some(f) = tiers.fleet
            && f.is_up(now)
            && now - f.last_check_ms.load(Relaxed) >= f.check_interval_ms
        {
            seen.look_at_fleet(f, tiers.sealer, t, id, now);
        }
        // A verdict about an older token says nothing about this one.
        current &= seen.fleet_token != id || seen.fleet_current;
        seen.token = id;
        self.quick.current.store(current, Relaxed);
        self.quick.checked_ms.store(now, Relaxed);
        self.quick.host_changes.store(seen.changes.unwrap_or(u64::MAX), Relaxed);
        self.quick.token.store(id, Relaxed);
        if !current {
            bump(tiers.superseded);
        }
        current
    }
}
