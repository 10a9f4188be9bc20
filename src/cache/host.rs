//! The host tier's entry file: one sealed entry per credential in the checked directory
//! ([`Dir`]), replaced atomically by rename (readers see the old or the new entry, never a mix),
//! read with one bounded read (a file over [`MAX_ENTRY`] is refused without reading it whole).
//! Write failures (a full disk, a quota) are kept for the stats: the tier still serves what it
//! has, and says it cannot share new tokens.
//!
//! Beside the entry, a one-page file `<name>.v2.gen` is mapped shared into every process: a
//! counter its writers increase after each replacement. A reader that decoded the entry at
//! counter value `n` knows it is unchanged while the counter still reads `n` — one memory load,
//! no system call — so repeated reads of an unchanged entry (a new process's first hits, the
//! hit-path check of gateways that kill the previous token) cost nanoseconds, not a file read.

use super::dir::Dir;
use super::entry::Entry;
use super::seal::{FORMAT, Sealer};
use std::io::{Read as _, Write as _};
use std::sync::{Arc, Mutex};

/// Entries larger than this are foreign and ignored.
pub(crate) const MAX_ENTRY: usize = 64 * 1024;

/// Identifies one version of the entry file (a rename makes a new inode).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stamp {
    dev: u64,
    ino: u64,
    mtime_ns: i64,
    size: i64,
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
    Entry(Arc<Entry>),
}

/// The shared change counter (see the module text).
struct GenWord {
    ptr: std::ptr::NonNull<std::sync::atomic::AtomicU64>,
}

const GEN_LEN: usize = 4096;

// SAFETY: the mapping is shared memory accessed only through an atomic.
unsafe impl Send for GenWord {}
// SAFETY: as above.
unsafe impl Sync for GenWord {}

impl GenWord {
    fn map(dir: &Dir, name: &str) -> std::io::Result<GenWord> {
        use std::os::fd::AsRawFd;
        let f = dir.open_or_make(name)?;
        if (f.metadata()?.len() as usize) < GEN_LEN {
            f.set_len(GEN_LEN as u64)?;
        }
        // SAFETY: a fresh shared mapping of a regular file we just sized; checked below.
        let p = unsafe {
            libc::mmap(
                std::ptr::null_mut(),
                GEN_LEN,
                libc::PROT_READ | libc::PROT_WRITE,
                libc::MAP_SHARED,
                f.as_raw_fd(),
                0,
            )
        };
        if p == libc::MAP_FAILED {
            return Err(std::io::Error::last_os_error());
        }
        Ok(GenWord {
            ptr: std::ptr::NonNull::new(p.cast()).expect("mmap returns a non-null address"),
        })
    }

    fn get(&self) -> &std::sync::atomic::AtomicU64 {
        // SAFETY: page-aligned, live until drop, only ever accessed atomically.
        unsafe { self.ptr.as_ref() }
    }
}

impl Drop for GenWord {
    fn drop(&mut self) {
        // SAFETY: the mapping made in `map`.
        unsafe { libc::munmap(self.ptr.as_ptr().cast(), GEN_LEN) };
    }
}

/// One credential's entry on this host.
pub struct HostTier {
    dir: Dir,
    entry: String,
    lock: String,
    write_problem: Mutex<Option<String>>,
    generation: Option<GenWord>,
    decoded: Mutex<Option<(u64, Arc<Entry>)>>,
}

impl std::fmt::Debug for HostTier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "HostTier({})", self.entry_path().display())
    }
}

impl HostTier {
    /// The files of the entry named `name` in `dir`.
    pub fn new(dir: Dir, name: &str) -> HostTier {
        // Without the counter (a file that cannot be mapped) every read goes to the file.
        let generation = GenWord::map(&dir, &format!("{name}.v{FORMAT}.gen")).ok();
        HostTier {
            dir,
            entry: format!("{name}.v{FORMAT}.entry"),
            lock: format!("{name}.v{FORMAT}.lock"),
            write_problem: Mutex::new(None),
            generation,
            decoded: Mutex::new(None),
        }
    }

    /// The shared change counter, when mapped: unchanged means the entry is unchanged.
    pub fn changes(&self) -> Option<u64> {
        self.generation
            .as_ref()
            .map(|g| g.get().load(std::sync::atomic::Ordering::Acquire))
    }

    /// The entry, decoded again only when the change counter moved since the last decode.
    pub fn read_cached(&self, sealer: &Sealer) -> Found {
        let Some(now) = self.changes() else {
            return self.read(sealer);
        };
        let mut decoded = self.decoded.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((at, e)) = decoded.as_ref()
            && *at == now
        {
            return Found::Entry(e.clone());
        }
        let found = self.read(sealer);
        *decoded = match &found {
            Found::Entry(e) => Some((now, e.clone())),
            _ => None,
        };
        found
    }

    /// The directory.
    pub fn dir(&self) -> &Dir {
        &self.dir
    }

    /// The lock file's name in the directory.
    pub fn lock_name(&self) -> &str {
        &self.lock
    }

    /// The entry file's path.
    pub fn entry_path(&self) -> std::path::PathBuf {
        self.dir.path().join(&self.entry)
    }

    /// Why new entries cannot be written right now (the last write failed), if so.
    pub fn write_problem(&self) -> Option<String> {
        self.write_problem.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// The current entry file's stamp (`None` if there is none): one `fstatat`, no read.
    pub fn stamp(&self) -> Option<Stamp> {
        self.dir.stat(&self.entry).map(|st| Stamp {
            dev: st.st_dev,
            ino: st.st_ino,
            mtime_ns: st.st_mtime * 1_000_000_000 + st.st_mtime_nsec,
            size: st.st_size,
        })
    }

    /// Reads and opens the entry: open, one bounded read, close.
    pub fn read(&self, sealer: &Sealer) -> Found {
        let mut file = match self.dir.open_file(&self.entry, false, false, false) {
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
                Some(e) => Found::Entry(Arc::new(e)),
                None => Found::Unusable,
            };
            // The buffer now holds the decrypted entry: wipe it.
            zeroize::Zeroize::zeroize(&mut buf[..n]);
            found
        })
    }

    /// Replaces the entry atomically (write a private temporary file, then rename). A failure
    /// is remembered for the stats until a write succeeds.
    pub fn write(&self, sealer: &Sealer, entry: &Entry) -> std::io::Result<()> {
        let result = self.write_inner(sealer, entry);
        if result.is_ok()
            && let Some(g) = &self.generation
        {
            g.get().fetch_add(1, std::sync::atomic::Ordering::Release);
        }
        let mut problem = self.write_problem.lock().unwrap_or_else(|p| p.into_inner());
        match &result {
            Ok(()) => *problem = None,
            Err(e) => {
                let why = format!("cannot write entries in {}: {e}", self.dir.path().display());
                if problem.as_deref() != Some(why.as_str()) {
                    crate::log::warn("host_write_failed", &why);
                }
                *problem = Some(why);
            }
        }
        result
    }

    fn write_inner(&self, sealer: &Sealer, entry: &Entry) -> std::io::Result<()> {
        let sealed = entry
            .seal(sealer)
            .ok_or_else(|| std::io::Error::other("cannot seal the entry"))?;
        let mut nonce = [0u8; 8];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
            .map_err(|_| std::io::Error::other("no randomness"))?;
        let tmp = format!(".{}.tmp", hex::encode(nonce));
        let result = (|| {
            let mut f = self.dir.open_file(&tmp, true, true, true)?;
            f.write_all(&sealed)?;
            drop(f);
            self.dir.rename(&tmp, &self.entry)
        })();
        if result.is_err() {
            self.dir.remove(&tmp);
        }
        result
    }
}
