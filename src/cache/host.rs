//! The host tier's entry file: one sealed entry per credential in the checked directory
//! ([`Dir`]), replaced atomically by rename (readers see the old or the new entry, never a mix),
//! read with one bounded read (a file over [`MAX_ENTRY`] is refused without reading it whole).
//! Write failures (a full disk, a quota) are kept for the stats: the tier still serves what it
//! has, and says it cannot share new tokens.

use super::dir::Dir;
use super::entry::Entry;
use super::seal::{FORMAT, Sealer};
use std::io::{Read as _, Write as _};
use std::sync::Mutex;

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
    Entry(Box<Entry>),
}

/// One credential's entry on this host.
#[derive(Debug)]
pub struct HostTier {
    dir: Dir,
    entry: String,
    lock: String,
    write_problem: Mutex<Option<String>>,
}

impl HostTier {
    /// The files of the entry named `name` in `dir`.
    pub fn new(dir: Dir, name: &str) -> HostTier {
        HostTier {
            dir,
            entry: format!("{name}.v{FORMAT}.entry"),
            lock: format!("{name}.v{FORMAT}.lock"),
            write_problem: Mutex::new(None),
        }
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
                Some(e) => Found::Entry(Box::new(e)),
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
