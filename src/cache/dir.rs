//! The host tier's directory, checked once and then held open: every file operation is relative
//! to the checked directory's descriptor (`openat`, `renameat`, `fstatat`, never following a
//! symbolic link), so a directory renamed or swapped for another after the check is never used.
//!
//! Per-user mode: the directory (made 0700) must belong to this user and not be writable by group
//! or others; files are 0600. Group mode (`cache.group`): the directory (made 2770) must carry
//! the group, give others no access and belong to this user, root or a member of the group;
//! files are 0660 with the group, so processes of several users in that group share one entry.

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::ffi::OsStrExt;
use std::path::{Path, PathBuf};

/// Who shares the directory.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Sharing {
    /// This user's processes only.
    User,
    /// Processes of every user in this group.
    Group(libc::gid_t),
}

/// A checked, held directory.
#[derive(Debug)]
pub struct Dir {
    fd: OwnedFd,
    path: PathBuf,
    sharing: Sharing,
}

fn cstr(s: &[u8]) -> io::Result<CString> {
    CString::new(s).map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))
}

fn check(rc: libc::c_int) -> io::Result<libc::c_int> {
    if rc < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(rc)
    }
}

fn fstat(fd: libc::c_int) -> io::Result<libc::stat> {
    // SAFETY: a zeroed stat is a valid out-parameter.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    // SAFETY: a valid descriptor and a writable stat.
    check(unsafe { libc::fstat(fd, &mut st) })?;
    Ok(st)
}

fn euid() -> libc::uid_t {
    // SAFETY: no preconditions.
    unsafe { libc::geteuid() }
}

/// Whether user `uid` is a member of group `gid` (primary or supplementary).
fn in_group(uid: libc::uid_t, gid: libc::gid_t) -> bool {
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: zeroed passwd is a valid out-parameter; buffers are sized as passed.
    let mut pw: libc::passwd = unsafe { std::mem::zeroed() };
    let mut res: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: valid pointers and lengths.
    let rc = unsafe { libc::getpwuid_r(uid, &mut pw, buf.as_mut_ptr().cast(), buf.len(), &mut res) };
    if rc != 0 || res.is_null() {
        return false;
    }
    if pw.pw_gid == gid {
        return true;
    }
    let mut groups = vec![0 as libc::gid_t; 256];
    let mut n = groups.len() as libc::c_int;
    // SAFETY: pw_name is a NUL-terminated string in `buf`; groups has room for n entries.
    let rc = unsafe { libc::getgrouplist(pw.pw_name, pw.pw_gid, groups.as_mut_ptr(), &mut n) };
    rc >= 0 && groups[..n.max(0) as usize].contains(&gid)
}

/// Resolves a group given by name or number.
pub fn group_id(name: &str) -> Option<libc::gid_t> {
    if let Ok(n) = name.parse::<libc::gid_t>() {
        return Some(n);
    }
    let c = CString::new(name).ok()?;
    let mut buf = vec![0u8; 16 * 1024];
    // SAFETY: zeroed group is a valid out-parameter.
    let mut gr: libc::group = unsafe { std::mem::zeroed() };
    let mut res: *mut libc::group = std::ptr::null_mut();
    // SAFETY: valid pointers and lengths.
    let rc = unsafe { libc::getgrnam_r(c.as_ptr(), &mut gr, buf.as_mut_ptr().cast(), buf.len(), &mut res) };
    (rc == 0 && !res.is_null()).then_some(gr.gr_gid)
}

impl Dir {
    /// Creates `path` if missing (parents 0755, the directory itself 0700 or 2770) and opens it,
    /// refusing a directory that another user could write to, own or swap. The error says why,
    /// for the stats and the log.
    pub fn open(path: &Path, sharing: Sharing) -> Result<Dir, String> {
        let shown = path.display();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| format!("cannot create {}: {}", parent.display(), e.kind()))?;
        }
        let c = cstr(path.as_os_str().as_bytes()).map_err(|_| format!("{shown}: invalid path"))?;
        let mode = match sharing {
            Sharing::User => 0o700,
            Sharing::Group(_) => 0o2770,
        };
        // SAFETY: a valid C string.
        let created = unsafe { libc::mkdir(c.as_ptr(), mode) } == 0;
        if !created {
            let e = io::Error::last_os_error();
            if e.raw_os_error() != Some(libc::EEXIST) {
                return Err(format!("cannot create {shown}: {}", e.kind()));
            }
        }
        // SAFETY: a valid C string; O_NOFOLLOW refuses a symbolic link in place of the directory.
        let raw = unsafe {
            libc::open(
                c.as_ptr(),
                libc::O_RDONLY | libc::O_DIRECTORY | libc::O_NOFOLLOW | libc::O_CLOEXEC,
            )
        };
        if raw < 0 {
            let e = io::Error::last_os_error();
            return Err(match e.raw_os_error() {
                Some(libc::ELOOP) | Some(libc::ENOTDIR) => {
                    format!("{shown} is not a directory (or is a symbolic link)")
                }
                _ => format!("cannot open {shown}: {}", e.kind()),
            });
        }
        // SAFETY: a fresh descriptor we own.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        if created && let Sharing::Group(gid) = sharing {
            // The umask may have removed bits, and the group may differ from our primary one.
            // SAFETY: a valid descriptor.
            unsafe {
                libc::fchown(fd.as_raw_fd(), libc::uid_t::MAX, gid);
                libc::fchmod(fd.as_raw_fd(), 0o2770);
            }
        }
        let st = fstat(fd.as_raw_fd()).map_err(|e| format!("cannot stat {shown}: {}", e.kind()))?;
        let dir = Dir {
            fd,
            path: path.to_path_buf(),
            sharing,
        };
        dir.judge(&st)?;
        Ok(dir)
    }

    fn judge(&self, st: &libc::stat) -> Result<(), String> {
        let shown = self.path.display();
        let me = euid();
        match self.sharing {
            Sharing::User => {
                if st.st_uid != me {
                    return Err(format!("{shown} belongs to uid {}, not {me}", st.st_uid));
                }
                if st.st_mode & 0o022 != 0 {
                    return Err(format!(
                        "{shown} is writable by group or others (mode {:o})",
                        st.st_mode & 0o7777
                    ));
                }
            }
            Sharing::Group(gid) => {
                if st.st_gid != gid {
                    return Err(format!("{shown} has group {}, not the configured {gid}", st.st_gid));
                }
                if st.st_mode & 0o007 != 0 {
                    return Err(format!(
                        "{shown} is open to others (mode {:o}; group mode needs 2770)",
                        st.st_mode & 0o7777
                    ));
                }
                if st.st_mode & 0o070 != 0o070 {
                    return Err(format!(
                        "{shown} is not shared with its group (mode {:o}; group mode needs 2770)",
                        st.st_mode & 0o7777
                    ));
                }
                if st.st_uid != me && st.st_uid != 0 && !in_group(st.st_uid, gid) {
                    return Err(format!(
                        "{shown} belongs to uid {}, who is not in group {gid}",
                        st.st_uid
                    ));
                }
            }
        }
        Ok(())
    }

    /// The directory's path (as configured; for messages).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Mode of the files made in it.
    pub fn file_mode(&self) -> u32 {
        match self.sharing {
            Sharing::User => 0o600,
            Sharing::Group(_) => 0o660,
        }
    }

    /// Opens `name` in the directory (never following a link). `create`: made if missing, with
    /// the directory's file mode and group; `exclusive`: must not exist.
    pub fn open_file(&self, name: &str, write: bool, create: bool, exclusive: bool) -> io::Result<File> {
        let c = cstr(name.as_bytes())?;
        let mut flags = libc::O_NOFOLLOW | libc::O_CLOEXEC | libc::O_NONBLOCK;
        flags |= if write { libc::O_RDWR } else { libc::O_RDONLY };
        if create {
            flags |= libc::O_CREAT;
        }
        if exclusive {
            flags |= libc::O_EXCL;
        }
        // SAFETY: valid descriptor and C string.
        let raw = check(unsafe { libc::openat(self.fd.as_raw_fd(), c.as_ptr(), flags, self.file_mode()) })?;
        // SAFETY: a fresh descriptor we own.
        let file = unsafe { File::from_raw_fd(raw) };
        if create {
            let st = fstat(raw)?;
            if st.st_mode & libc::S_IFMT != libc::S_IFREG {
                return Err(io::Error::other("not a regular file"));
            }
            if st.st_uid == euid() && st.st_mode & 0o777 != self.file_mode() {
                // The umask may have removed the group bits.
                // SAFETY: a valid descriptor.
                unsafe { libc::fchmod(raw, self.file_mode()) };
            }
            if let Sharing::Group(gid) = self.sharing
                && st.st_gid != gid
                && st.st_uid == euid()
            {
                // SAFETY: a valid descriptor.
                unsafe { libc::fchown(raw, libc::uid_t::MAX, gid) };
            }
        }
        Ok(file)
    }

    /// Opens `name` for reading and writing, making it if missing in a way that never shows it
    /// with the wrong mode (other users of the group open it at once): a private file is made,
    /// given its mode and group, then linked in under `name` (or the one someone else linked
    /// first is used).
    pub fn open_or_make(&self, name: &str) -> io::Result<File> {
        match self.open_file(name, true, false, false) {
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            other => return other,
        }
        let mut nonce = [0u8; 8];
        ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut nonce)
            .map_err(|_| io::Error::other("no randomness"))?;
        let tmp = format!(".{}.new", hex::encode(nonce));
        drop(self.open_file(&tmp, true, true, true)?);
        let (t, n) = (cstr(tmp.as_bytes())?, cstr(name.as_bytes())?);
        let fd = self.fd.as_raw_fd();
        // SAFETY: valid descriptor and C strings.
        let linked = check(unsafe { libc::linkat(fd, t.as_ptr(), fd, n.as_ptr(), 0) });
        self.remove(&tmp);
        match linked {
            Err(e) if e.raw_os_error() != Some(libc::EEXIST) => return Err(e),
            _ => {}
        }
        self.open_file(name, true, false, false)
    }

    /// Renames `from` over `to` within the directory (atomic replace).
    pub fn rename(&self, from: &str, to: &str) -> io::Result<()> {
        let (f, t) = (cstr(from.as_bytes())?, cstr(to.as_bytes())?);
        let fd = self.fd.as_raw_fd();
        // SAFETY: valid descriptor and C strings.
        check(unsafe { libc::renameat(fd, f.as_ptr(), fd, t.as_ptr()) }).map(drop)
    }

    /// Removes `name` (ignoring a missing file).
    pub fn remove(&self, name: &str) {
        if let Ok(c) = cstr(name.as_bytes()) {
            // SAFETY: valid descriptor and C string.
            unsafe { libc::unlinkat(self.fd.as_raw_fd(), c.as_ptr(), 0) };
        }
    }

    /// `fstatat` of `name` without following a link; `None` when missing.
    pub fn stat(&self, name: &str) -> Option<libc::stat> {
        let c = cstr(name.as_bytes()).ok()?;
        // SAFETY: a zeroed stat is a valid out-parameter.
        let mut st: libc::stat = unsafe { std::mem::zeroed() };
        // SAFETY: valid descriptor, C string and out-parameter.
        let rc = unsafe { libc::fstatat(self.fd.as_raw_fd(), c.as_ptr(), &mut st, libc::AT_SYMLINK_NOFOLLOW) };
        (rc == 0).then_some(st)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn a_swapped_or_open_directory_is_never_used() {
        let base = std::env::temp_dir().join(format!("payauth-dir-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&base);
        let dir = Dir::open(&base.join("c"), Sharing::User).unwrap();
        let mode = std::fs::metadata(base.join("c")).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode, 0o700);
        // Swap: the checked directory moves away and another takes its name.
        std::fs::rename(base.join("c"), base.join("moved")).unwrap();
        std::fs::create_dir(base.join("c")).unwrap();
        dir.open_file("x", true, true, true).unwrap();
        assert!(base.join("moved/x").exists() && !base.join("c/x").exists());
        // Too open, or a symbolic link in its place.
        std::fs::set_permissions(base.join("c"), std::fs::Permissions::from_mode(0o777)).unwrap();
        let e = Dir::open(&base.join("c"), Sharing::User).unwrap_err();
        assert!(e.contains("writable by group or others"), "{e}");
        std::os::unix::fs::symlink(base.join("moved"), base.join("link")).unwrap();
        let e = Dir::open(&base.join("link"), Sharing::User).unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        let _ = std::fs::remove_dir_all(&base);
    }
}
