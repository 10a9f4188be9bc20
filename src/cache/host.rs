//! The host tier: one sealed entry file per credential in a per-user directory (mode 0700, files
//! 0600, replaced atomically by rename, so readers see the old or the new entry, never a mix),
//! and a lock file for the host-wide single flight.
//!
//! The lock is a POSIX record lock (`fcntl(F_SETLK)`): the kernel drops it when its holder dies,
//! and a child made by `fork()` does not inherit it. POSIX locks do not exclude the threads of one
//! process, so a per-process flag per lock file does that (made afresh in a forked child).

use super::entry::Entry;
use super::seal::{FORMAT, Sealer};
use crate::forks::PerProcess;
use std::collections::HashMap;
use std::fs::{DirBuilder, File, OpenOptions};
use std::io::{Read as _, Write as _};
use std::os::fd::AsRawFd;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Entries larger than this are foreign and ignored.
const MAX_ENTRY: usize = 64 * 1024;

/// Identifies one version of the entry file (a rename makes a new inode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    mtime_ns: i64,
    size: u64,
}

impl Stamp {
    fn of(m: &std::fs::Metadata) -> Stamp {
        Stamp {
            dev: m.dev(),
            ino: m.ino(),
            mtime_ns: m.mtime() * 1_000_000_000 + m.mtime_nsec(),
            size: m.size(),
        }
    }
}

/// What reading the entry file found.
#[derive(Debug)]
pub enum Found {
    /// No entry file.
    Missing,
    /// A file that is not a valid entry for this credential (corrupt, truncated, foreign format,
    /// other key, too large): ignored, and replaced by the next write.
    Unusable,
    /// A valid entry.
    Entry(Entry),
}

/// One credential's files on this host.
#[derive(Debug)]
pub struct HostTier {
    dir: PathBuf,
    entry: PathBuf,
    lock: PathBuf,
}

/// Held host lock; dropping it releases the lock.
pub struct HostLock {
    _file: File,
    flag: Arc<AtomicBool>,
}

impl Drop for HostLock {
    fn drop(&mut self) {
        // The file closes after this (field drop), which releases the POSIX lock.
        self.flag.store(false, Ordering::Release);
    }
}

type Flags = Mutex<HashMap<PathBuf, Arc<AtomicBool>>>;
static IN_PROCESS: PerProcess<Flags> = PerProcess::new();

fn in_process_flag(path: &Path) -> Arc<AtomicBool> {
    let flags = IN_PROCESS
        .get_or(|_| Ok::<_, ()>(Flags::default()))
        .expect("infallible");
    let mut map = flags.lock().unwrap_or_else(|p| p.into_inner());
    map.entry(path.to_path_buf()).or_default().clone()
}

impl HostTier {
    /// Prepares `dir` (created 0700 if missing) for the entry named `name`. Refuses a directory
    /// that another user owns or that others may write to (a planted `/tmp` directory).
    pub fn open(dir: &Path, name: &str) -> Result<HostTier, String> {
        DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
            .map_err(|e| format!("cannot create {}: {}", dir.display(), e.kind()))?;
        let m = std::fs::symlink_metadata(dir).map_err(|e| format!("cannot stat {}: {}", dir.display(), e.kind()))?;
        // SAFETY: geteuid has no preconditions.
        let euid = unsafe { libc::geteuid() };
        if !m.is_dir() {
            return Err(format!("{} is not a directory", dir.display()));
        }
        if m.uid() != euid {
            return Err(format!("{} belongs to uid {}, not {euid}", dir.display(), m.uid()));
        }
        if m.mode() & 0o022 != 0 {
            return Err(format!("{} is writable by group or others", dir.display()));
        }
        Ok(HostTier {
            dir: dir.to_path_buf(),
            entry: dir.join(format!("{name}.v{FORMAT}.entry")),
            lock: dir.join(format!("{name}.v{FORMAT}.lock")),
        })
    }

    /// The entry file's path.
    pub fn entry_path(&self) -> &Path {
        &self.entry
    }

    /// The current entry file's stamp (`None` if there is none): one `stat`, no read.
    pub fn stamp(&self) -> Option<Stamp> {
        std::fs::symlink_metadata(&self.entry).ok().map(|m| Stamp::of(&m))
    }

    /// Reads and opens the entry: open, one read, close (no `fstat`: only this user can create
    /// files in the directory, checked when the tier was opened).
    pub fn read(&self, sealer: &Sealer) -> Found {
        let file = OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK)
            .open(&self.entry);
        let mut file = match file {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Found::Missing,
            Err(_) => return Found::Unusable,
        };
        thread_local! {
            static BUF: std::cell::RefCell<Vec<u8>> = std::cell::RefCell::new(vec![0; MAX_ENTRY + 1]);
        }
        BUF.with(|buf| {
            let mut buf = buf.borrow_mut();
            // A regular file's read returns everything up to the count: one call is enough, and
            // a file larger than MAX_ENTRY fills the buffer and is refused.
            let n = match file.read(&mut buf[..]) {
                Ok(n) if n <= MAX_ENTRY => n,
                _ => return Found::Unusable,
            };
            let found = match Entry::open_in_place(sealer, &mut buf[..n]) {
                Some(e) => Found::Entry(e),
                None => Found::Unusable,
            };
            // The buffer now holds the decrypted entry: wipe it.
            zeroize::Zeroize::zeroize(&mut buf[..n]);
            found
        })
    }

    /// Replaces the entry atomically (write a private temporary file, then rename).
    pub fn write(&self, sealer: &Sealer, entry: &Entry) -> std::io::Result<Stamp> {
        let sealed = entry
            .seal(sealer)
            .ok_or_else(|| std::io::Error::other("cannot seal the entry"))?;
        let mut nonce = [0u8; 8];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
            .map_err(|_| std::io::Error::other("no randomness"))?;
        let tmp = self.dir.join(format!(".{}.tmp", hex::encode(nonce)));
        let result = (|| {
            let mut f = OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
                .open(&tmp)?;
            f.write_all(&sealed)?;
            let stamp = Stamp::of(&f.metadata()?);
            std::fs::rename(&tmp, &self.entry)?;
            Ok(stamp)
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }

    /// Takes the host lock if it is free (never blocks). `Ok(None)`: someone else holds it.
    pub fn try_lock(&self) -> std::io::Result<Option<HostLock>> {
        let flag = in_process_flag(&self.lock);
        if flag
            .compare_exchange(false, true, Ordering::AcqRel, Ordering::Acquire)
            .is_err()
        {
            return Ok(None);
        }
        let release = |e| {
            flag.store(false, Ordering::Release);
            e
        };
        let file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .mode(0o600)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC)
            .open(&self.lock)
            .map_err(release)?;
        // SAFETY: a zeroed flock is a valid value; every field used is set below.
        let mut fl: libc::flock = unsafe { std::mem::zeroed() };
        fl.l_type = libc::F_WRLCK as _;
        fl.l_whence = libc::SEEK_SET as _;
        // SAFETY: a valid descriptor and a valid flock.
        if unsafe { libc::fcntl(file.as_raw_fd(), libc::F_SETLK, &fl) } == 0 {
            return Ok(Some(HostLock { _file: file, flag }));
        }
        let err = std::io::Error::last_os_error();
        drop(file);
        flag.store(false, Ordering::Release);
        match err.raw_os_error() {
            Some(libc::EAGAIN) | Some(libc::EACCES) => Ok(None),
            _ => Err(err),
        }
    }
}
