//! The library's two clocks. Expiry, refresh points, backoff and waits run on the host's
//! monotonic clock (`CLOCK_BOOTTIME`: the same for every process of the host, never stepped,
//! and counting time spent suspended, as token lifetimes do); wall time is only what gets signed
//! and what crosses hosts. A step of the wall clock relative to the monotonic one is detected and
//! counted, never obeyed.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering::Relaxed};

/// A wall-clock step larger than this (relative to the monotonic clock) is reported.
pub(crate) const STEP_MS: i64 = 2_000;

fn read(clock: libc::clockid_t) -> libc::timespec {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: a valid clock id and a writable timespec.
    unsafe { libc::clock_gettime(clock, &mut ts) };
    ts
}

fn ms(ts: libc::timespec) -> i64 {
    ts.tv_sec * 1_000 + ts.tv_nsec / 1_000_000
}

/// Host-wide monotonic milliseconds (since boot, including suspend).
pub fn mono_ms() -> i64 {
    ms(read(libc::CLOCK_BOOTTIME))
}

static COARSE_OFFSET: AtomicI64 = AtomicI64::new(i64::MIN);
static COARSE_SYNCED: AtomicI64 = AtomicI64::new(0);

/// [`mono_ms`] within ±4 ms, for the hit path: `CLOCK_MONOTONIC_COARSE` (a few ns, against
/// ~40 ns for a precise read on a VM) plus an offset to `CLOCK_BOOTTIME` that is measured again
/// after every second of running time. The offset grows by the time spent suspended, so for at
/// most one second after a resume it lags by that time: a token that expired during the suspend
/// may be sent once, and the gateway's 401 (with `invalidate`) replaces it.
pub fn mono_fast() -> i64 {
    let coarse = ms(read(libc::CLOCK_MONOTONIC_COARSE));
    let offset = COARSE_OFFSET.load(Relaxed);
    if offset != i64::MIN && coarse - COARSE_SYNCED.load(Relaxed) < 1_000 {
        return coarse + offset;
    }
    let precise = mono_ms();
    let coarse = ms(read(libc::CLOCK_MONOTONIC_COARSE));
    COARSE_OFFSET.store(precise - coarse, Relaxed);
    COARSE_SYNCED.store(coarse, Relaxed);
    precise
}

/// Epoch milliseconds of the wall clock.
pub fn wall_ms() -> i64 {
    ms(read(libc::CLOCK_REALTIME)).max(1)
}

/// This boot's identity (`/proc/sys/kernel/random/boot_id`): monotonic times written by another
/// process are comparable only when it is the same. Empty when unknown (never comparable).
pub fn boot_id() -> &'static str {
    static ID: OnceLock<String> = OnceLock::new();
    ID.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/random/boot_id")
            .map(|s| s.trim().to_string())
            .unwrap_or_default()
    })
}

/// Converts a wall-clock instant to this host's monotonic clock, as of now.
pub fn wall_to_mono(wall: i64) -> i64 {
    mono_ms().saturating_add(wall.saturating_sub(wall_ms()))
}

/// Converts a monotonic instant to wall-clock time (for display and for other hosts).
pub fn mono_to_wall(mono: i64) -> i64 {
    wall_ms().saturating_add(mono.saturating_sub(mono_ms()))
}

static OFFSET: AtomicI64 = AtomicI64::new(i64::MIN);
static STEPS: AtomicU64 = AtomicU64::new(0);

/// Compares wall and monotonic time with the last look (off the hit path: on token requests
/// and shared-tier reads). Returns the step in ms when the wall clock jumped by more than
/// [`STEP_MS`] since then; the step is counted in [`steps`].
pub fn watch() -> Option<i64> {
    let offset = wall_ms() - mono_ms();
    let before = OFFSET.swap(offset, Relaxed);
    if before == i64::MIN {
        return None;
    }
    let step = offset - before;
    (step.abs() > STEP_MS).then(|| {
        STEPS.fetch_add(1, Relaxed);
        crate::log::warn(
            "clock_step",
            &format!("the wall clock stepped by {step} ms; expiry and backoff follow the monotonic clock"),
        );
        step
    })
}

/// Wall-clock steps seen by this process.
pub fn steps() -> u64 {
    STEPS.load(Relaxed)
}

/// `YYYY-MM-DDTHH:MM:SSZ` for an epoch-ms instant (messages and stats).
pub fn iso_utc(wall: i64) -> String {
    crate::sign::time::TimeFormat::Iso8601 {
        offset_minutes: 0,
        millis: false,
    }
    .format(wall.clamp(0, crate::profiles::request::PAYAUTH_MAX_TIME_MS))
    .replace("+00:00", "Z")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_trip_and_the_clocks_advance() {
        let m = mono_ms();
        assert!(m > 0 && wall_ms() > 1_600_000_000_000);
        let w = wall_ms() + 60_000;
        assert!((mono_to_wall(wall_to_mono(w)) - w).abs() <= 2);
        assert_eq!(iso_utc(1_700_000_000_000), "2023-11-14T22:13:20Z");
        assert!(boot_id().len() >= 32, "{:?}", boot_id());
        watch();
        assert_eq!(watch(), None, "no step between two looks");
        for _ in 0..3 {
            assert!(
                (mono_fast() - mono_ms()).abs() <= 8,
                "the fast clock follows the precise one"
            );
        }
    }
}
