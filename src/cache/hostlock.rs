//! The host-wide single flight: a POSIX record lock on the credential's lock file, with a
//! heartbeat so a holder that stops making progress (stopped, swapped out, wedged) is detected
//! and replaced within [`STALE_MS`].
//!
//! The lock file holds a record `generation | pid | last beat (host-monotonic ms)` and the lock
//! of generation `g` is a one-byte record lock at offset `BASE + g`. The holder beats every
//! [`BEAT_MS`] while its token request runs. A waiter that has watched the lock of `g` stay held
//! with the record unchanged for [`STALE_MS`] (its own observation: no clock of the holder's is
//! trusted) takes the lock of `g + 1` and writes the record for `g + 1`: from then on everybody
//! locks `g + 1`. A stuck holder that resumes sees the record
//! moved on and gives up before sending a request or writing an entry. A holder that dies
//! releases its lock at once (the kernel drops POSIX locks), and a `fork()` child never inherits
//! it. POSIX locks do not exclude the threads of one process: a per-process flag does.

use super::dir::Dir;
use crate::clock::mono_ms;
use crate::forks::PerProcess;
use std::collections::HashMap;
use std::fs::File;
use std::os::fd::AsRawFd;
use std::os::unix::fs::FileExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// How often a holder beats.
pub(crate) const BEAT_MS: i64 = 250;
/// A holder whose last beat is older than this has stopped making progress.
pub(crate) const STALE_MS: i64 = 2_000;
const BASE: i64 = 1 << 20;

type Flags = Mutex<HashMap<String, Arc<AtomicBool>>>;
static IN_PROCESS: PerProcess<Flags> = PerProcess::new();

fn in_process_flag(key: String) -> Arc<AtomicBool> {
    let flags = IN_PROCESS
        .get_or(|_| Ok::<_, ()>(Flags::default()))
        .expect("infallible");
    let mut map = flags.lock().unwrap_or_else(|p| p.into_inner());
    map.entry(key).or_default().clone()
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Record {
    generation: u64,
    pid: u32,
    beat: i64,
}

fn read_record(f: &File) -> Record {
    let mut b = [0u8; 24];
    match f.read_at(&mut b, 0) {
        Ok(24) => Record {
            generation: u64::from_le_bytes(b[0..8].try_into().expect("8 bytes")),
            pid: u32::from_le_bytes(b[8..12].try_into().expect("4 bytes")),
            beat: i64::from_le_bytes(b[16..24].try_into().expect("8 bytes")),
        },
        _ => Record::default(),
    }
}

fn write_record(f: &File, r: Record) -> std::io::Result<()> {
    let mut b = [0u8; 24];
    b[0..8].copy_from_slice(&r.generation.to_le_bytes());
    b[8..12].copy_from_slice(&r.pid.to_le_bytes());
    b[16..24].copy_from_slice(&r.beat.to_le_bytes());
    f.write_all_at(&b, 0)
}

/// Tries the one-byte record lock of `generation` (never blocks): `Ok(true)` taken.
fn lock_byte(f: &File, generation: u64, kind: libc::c_int) -> std::io::Result<bool> {
    // SAFETY: a zeroed flock is a valid value; every field used is set below.
    let mut fl: libc::flock = unsafe { std::mem::zeroed() };
    fl.l_type = kind as _;
    fl.l_whence = libc::SEEK_SET as _;
    fl.l_start = (BASE + (generation % (1 << 40)) as i64) as _;
    fl.l_len = 1;
    // SAFETY: a valid descriptor and a valid flock.
    if unsafe { libc::fcntl(f.as_raw_fd(), libc::F_SETLK, &fl) } == 0 {
        return Ok(true);
    }
    let e = std::io::Error::last_os_error();
    match e.raw_os_error() {
        Some(libc::EAGAIN) | Some(libc::EACCES) => Ok(false),
        _ => Err(e),
    }
}

/// A held host lock; dropping it releases the lock.
pub struct HostLock {
    file: File,
    generation: u64,
    flag: Arc<AtomicBool>,
    /// Taken over from a holder that stopped beating (its pid, and how long it was silent).
    pub took_over: Option<(u32, i64)>,
}

impl std::fmt::Debug for HostLock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HostLock(generation {})", self.generation)
    }
}

impl Drop for HostLock {
    fn drop(&mut self) {
        let _ = lock_byte(&self.file, self.generation, libc::F_UNLCK);
        self.flag.store(false, Ordering::Release);
    }
}

impl HostLock {
    /// Writes a beat; `false` when the lock was taken over (the holder must stop).
    pub fn beat(&self) -> bool {
        if read_record(&self.file).generation != self.generation {
            return false;
        }
        write_record(
            &self.file,
            Record {
                generation: self.generation,
                pid: std::process::id(),
                beat: mono_ms(),
            },
        )
        .is_ok()
    }

    /// Whether this holder still holds the current generation.
    pub fn still_ours(&self) -> bool {
        read_record(&self.file).generation == self.generation
    }
}

/// What one waiter has seen of the lock: the record and since when it has not changed.
#[derive(Debug, Default)]
pub struct Watch {
    seen: Option<(Record, i64)>,
}

impl Watch {
    /// How long the holder has been silent as far as this waiter saw (0 on a new record).
    fn silent(&mut self, rec: Record, now: i64) -> i64 {
        match self.seen {
            Some((r, since)) if r == rec => now - since,
            _ => {
                self.seen = Some((rec, now));
                0
            }
        }
    }
}

/// The result of one try.
pub enum Try {
    /// The lock is ours.
    Taken(HostLock),
    /// Another holder has it and is making progress.
    Busy,
}

/// Tries to take the host lock of `name` in `dir` (never blocks); `watch` carries what this
/// waiter saw on earlier tries.
pub fn try_lock(dir: &Dir, name: &str, watch: &mut Watch) -> std::io::Result<Try> {
    let flag = in_process_flag(dir.path().join(name).to_string_lossy().into_owned());
    if flag
        .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        return Ok(Try::Busy);
    }
    let result = take(dir, name, &flag, watch);
    if !matches!(result, Ok(Try::Taken(_))) {
        flag.store(false, Ordering::Release);
    }
    result
}

fn take(dir: &Dir, name: &str, flag: &Arc<AtomicBool>, watch: &mut Watch) -> std::io::Result<Try> {
    let file = dir.open_or_make(name)?;
    let rec = read_record(&file);
    let now = mono_ms();
    let hold = |file: File, generation: u64, took_over| -> std::io::Result<Try> {
        write_record(
            &file,
            Record {
                generation,
                pid: std::process::id(),
                beat: mono_ms(),
            },
        )?;
        Ok(Try::Taken(HostLock {
            file,
            generation,
            flag: flag.clone(),
            took_over,
        }))
    };
    if lock_byte(&file, rec.generation, libc::F_WRLCK)? {
        // The record may have moved on between reading it and locking.
        if read_record(&file).generation == rec.generation {
            return hold(file, rec.generation, None);
        }
        lock_byte(&file, rec.generation, libc::F_UNLCK)?;
        return Ok(Try::Busy);
    }
    let silent = watch.silent(rec, now);
    if silent <= STALE_MS {
        return Ok(Try::Busy);
    }
    let next = rec.generation + 1;
    if !lock_byte(&file, next, libc::F_WRLCK)? {
        return Ok(Try::Busy);
    }
    let again = read_record(&file);
    if again == rec {
        crate::log::info(
            "host_lock_taken_over",
            &format!(
                "{}: took over the host lock from pid {} (no progress for {silent} ms)",
                dir.path().display(),
                rec.pid
            ),
        );
        return hold(file, next, Some((rec.pid, silent)));
    }
    if again.generation == next {
        // Someone else took over and has finished since: this is the normal lock of `next`.
        return hold(file, next, None);
    }
    lock_byte(&file, next, libc::F_UNLCK)?;
    Ok(Try::Busy)
}

#[cfg(test)]
mod tests {
    use super::super::dir::Sharing;
    use super::*;

    #[test]
    fn one_holder_per_process_and_a_holder_whose_record_moved_on_knows_it() {
        let path = std::env::temp_dir().join(format!("payauth-lock-test-{}", std::process::id()));
        let dir = Dir::open(&path, Sharing::User).unwrap();
        let Try::Taken(first) = try_lock(&dir, "x.lock", &mut Watch::default()).unwrap() else {
            panic!("free lock")
        };
        assert!(first.beat() && first.still_ours());
        // Same process: the in-process flag excludes other threads.
        assert!(matches!(
            try_lock(&dir, "x.lock", &mut Watch::default()).unwrap(),
            Try::Busy
        ));
        // Another process took over (the takeover itself runs across real processes in
        // tests/outage.rs): the record moved on, and the old holder learns it.
        write_record(
            &first.file,
            Record {
                generation: first.generation + 1,
                pid: 1,
                beat: mono_ms(),
            },
        )
        .unwrap();
        assert!(
            !first.still_ours() && !first.beat(),
            "the stopped holder learns it lost the lock"
        );
        drop(first);
        // The next taker locks the new generation.
        let Try::Taken(next) = try_lock(&dir, "x.lock", &mut Watch::default()).unwrap() else {
            panic!("free lock")
        };
        assert_eq!(next.generation, 1);
        let _ = std::fs::remove_dir_all(&path);
    }
}
