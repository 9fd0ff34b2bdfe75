//! The journal's file system work: the sidecar lock, opening, appending with a sync, and the
//! write-sync-rename-sync of compaction. Every failure becomes a [`Status::Journal`] error
//! naming the file, what failed, what to do, and the OS error.

use crate::error::{Error, Status};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{FileExt, MetadataExt, OpenOptionsExt};
use std::os::unix::io::AsRawFd;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// How long to wait for another process to release the lock before giving up.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// The mode the journal, its `.tmp` and its `.lock` are created with (the umask can only take
/// bits away from it).
const MODE: u32 = 0o600;

/// How many symbolic links [`resolve`] follows, as the kernel does (`ELOOP` beyond).
const MAX_LINKS: u32 = 40;

/// A `Status::Journal` error: `journal <path>: <what> (<advice>) (<os error>)`.
pub(super) fn io_error(path: &Path, what: &str, e: &io::Error) -> Error {
    let advice = match e.raw_os_error() {
        Some(libc::ENOSPC) | Some(libc::EDQUOT) => {
            "the storage is full: free space on it or choose another path"
        }
        Some(libc::EFBIG) => {
            "the file is full (at the process's file size limit): raise the limit or free space"
        }
        Some(libc::EACCES) | Some(libc::EPERM) => {
            "permission denied: make the file and its directory writable by this process"
        }
        Some(libc::EROFS) => {
            "the file system is read-only: remount it read-write or choose a writable path"
        }
        Some(libc::ENOLCK) | Some(libc::EOPNOTSUPP) => {
            "the file system cannot lock files: put the journal on local storage"
        }
        Some(libc::ENOENT) | Some(libc::ENOTDIR) => "its directory does not exist: create it",
        Some(libc::EIO) => "the storage failed: check or replace it",
        Some(libc::ELOOP) => {
            "it is a symbolic link, which is refused here (a link planted beside the journal \
             could point at any file): remove the link"
        }
        _ => "check the path and the storage",
    };
    Error::new(
        Status::Journal,
        format!("journal {}: {what}: {advice} ({e})", path.display()),
    )
}

/// A `Status::Journal` error that has no OS error behind it.
pub(super) fn format_error(path: &Path, what: &str) -> Error {
    Error::new(
        Status::Journal,
        format!("journal {}: {what}", path.display()),
    )
}

/// The journal's real path, once per open: symbolic links resolved, so that the file, its
/// `.tmp` and its `.lock` are on the link's target side (compaction renames into the target's
/// directory, and the link stays a link), and every path to one file takes one lock. A path
/// that does not exist yet resolves through its directory, and a dangling link to its target
/// (which `open` then creates). A path that cannot be resolved (a directory missing or not
/// searchable) is used as given: opening it then says why.
pub(super) fn resolve(path: &Path) -> PathBuf {
    resolve_within(path, MAX_LINKS).unwrap_or_else(|| path.to_owned())
}

fn resolve_within(path: &Path, links: u32) -> Option<PathBuf> {
    match std::fs::canonicalize(path) {
        Ok(real) => return Some(real),
        Err(e) if e.kind() != io::ErrorKind::NotFound => return None,
        Err(_) => {}
    }
    // Nothing there, or a dangling link.
    let name = path.file_name()?;
    let meta = std::fs::symlink_metadata(path);
    match meta {
        Ok(m) if m.file_type().is_symlink() => {
            // A relative target is relative to the link's directory; an absolute one replaces it.
            let target = directory(path).join(std::fs::read_link(path).ok()?);
            resolve_within(&target, links.checked_sub(1)?)
        }
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            Some(std::fs::canonicalize(directory(path)).ok()?.join(name))
        }
        _ => None,
    }
}

/// `<path><suffix>`: the sidecar lock and the compaction's temporary file.
pub(super) fn sidecar(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// The directory holding `path`, for syncing a create or a rename.
fn directory(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// Makes the directory entry of `path` durable (after creating or renaming it).
pub(super) fn sync_directory(path: &Path) -> Result<(), Error> {
    File::open(directory(path))
        .and_then(|dir| dir.sync_all())
        .map_err(|e| io_error(path, "cannot sync the directory", &e))
}

/// Opens (creating it, mode 0600, if needed) the sidecar lock file, never through a symbolic
/// link. Read-only is enough for `flock`, so a lock file this process may not write still
/// serves.
pub(super) fn open_lock(path: &Path) -> Result<File, Error> {
    let lock_path = sidecar(path, ".lock");
    OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .mode(MODE)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&lock_path)
        .or_else(|create| {
            OpenOptions::new()
                .read(true)
                .custom_flags(libc::O_NOFOLLOW)
                .open(&lock_path)
                .map_err(|read| more_telling(create, read))
        })
        .map_err(|e| {
            let what = format!("cannot open its lock file {}", lock_path.display());
            io_error(path, &what, &e)
        })
}

/// Of a failed create-or-open and the failed read-only retry, the error that says why: the
/// retry's "no such file" only repeats that the create failed, so the create's own reason
/// (permission denied, read-only file system) is kept unless it too was "no such file".
fn more_telling(create: io::Error, read: io::Error) -> io::Error {
    if is_missing(&create) {
        read
    } else {
        create
    }
}

/// "No such file or directory" or "not a directory": something on the path is not there.
fn is_missing(e: &io::Error) -> bool {
    matches!(e.raw_os_error(), Some(libc::ENOENT) | Some(libc::ENOTDIR))
}

/// Holds the exclusive `flock` on the lock file until dropped.
pub(super) struct Flock<'a>(&'a File);

impl<'a> Flock<'a> {
    /// Takes the lock, waiting up to [`LOCK_WAIT`] for another process to release it.
    pub(super) fn acquire(lock: &'a File, path: &Path) -> Result<Flock<'a>, Error> {
        let started = Instant::now();
        let mut pause = Duration::from_millis(1);
        loop {
            // SAFETY: flock on a descriptor this File owns; no memory is passed.
            if unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } == 0 {
                return Ok(Flock(lock));
            }
            let e = io::Error::last_os_error();
            match e.raw_os_error() {
                Some(libc::EINTR) => continue,
                Some(libc::EWOULDBLOCK) if started.elapsed() < LOCK_WAIT => {
                    std::thread::sleep(pause);
                    pause = (pause * 2).min(Duration::from_millis(50));
                }
                Some(libc::EWOULDBLOCK) => {
                    return Err(io_error(
                        path,
                        &format!(
                            "locked by another process for more than {} s: \
                             find the process holding {} and end it",
                            LOCK_WAIT.as_secs(),
                            sidecar(path, ".lock").display()
                        ),
                        &e,
                    ))
                }
                _ => {
                    let what = format!("cannot lock {}", sidecar(path, ".lock").display());
                    return Err(io_error(path, &what, &e));
                }
            }
        }
    }
}

impl Drop for Flock<'_> {
    fn drop(&mut self) {
        // SAFETY: as in acquire. Closing the descriptor would release it as well.
        unsafe { libc::flock(self.0.as_raw_fd(), libc::LOCK_UN) };
    }
}

/// The journal file opened for reading and appending, created (mode 0600) if missing; `true`
/// when this call created it.
pub(super) fn open_journal(path: &Path) -> Result<(File, bool), Error> {
    let mut options = OpenOptions::new();
    options.read(true).append(true).mode(MODE);
    match options.clone().create_new(true).open(path) {
        Ok(file) => Ok((file, true)),
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => options
            .open(path)
            .map(|file| (file, false))
            .map_err(|e| io_error(path, "cannot open for reading and appending", &e)),
        Err(e) => Err(io_error(path, "cannot create", &e)),
    }
}

/// The journal file opened for reading only (it must exist).
pub(super) fn open_read(path: &Path) -> Result<File, Error> {
    File::open(path).map_err(|e| io_error(path, "cannot open for reading", &e))
}

/// The (device, inode) of an open file: tells whether the path still names it.
pub(super) fn identity_of(file: &File, path: &Path) -> Result<(u64, u64), Error> {
    file.metadata()
        .map(|m| (m.dev(), m.ino()))
        .map_err(|e| io_error(path, "cannot stat", &e))
}

/// The (device, inode) the path names now, `None` when nothing is there.
pub(super) fn identity_at(path: &Path) -> Result<Option<(u64, u64)>, Error> {
    match std::fs::metadata(path) {
        Ok(m) => Ok(Some((m.dev(), m.ino()))),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(io_error(path, "cannot stat", &e)),
    }
}

/// The file's length.
pub(super) fn length(file: &File, path: &Path) -> Result<u64, Error> {
    file.metadata()
        .map(|m| m.len())
        .map_err(|e| io_error(path, "cannot stat", &e))
}

/// The bytes from `offset` to `len` (the file's length, read under the lock).
pub(super) fn read_from(file: &File, path: &Path, offset: u64, len: u64) -> Result<Vec<u8>, Error> {
    let size = usize::try_from(len.saturating_sub(offset))
        .map_err(|_| format_error(path, "too large to read: move it away"))?;
    let mut bytes = vec![0u8; size];
    file.read_exact_at(&mut bytes, offset)
        .map_err(|e| io_error(path, "cannot read", &e))?;
    Ok(bytes)
}

/// Appends `bytes` at the end (the file is open for appending, and its end is `len`) and
/// syncs. On failure the file is cut back to `len`, so nothing is left half-written.
pub(super) fn append(file: &File, path: &Path, len: u64, bytes: &[u8]) -> Result<(), Error> {
    let mut writer = file;
    let written = writer
        .write_all(bytes)
        .map_err(|e| io_error(path, "cannot append a record", &e))
        .and_then(|()| {
            file.sync_data()
                .map_err(|e| io_error(path, "cannot sync a record to storage", &e))
        });
    if written.is_err() {
        // Best effort: a tail left behind is cut before the next append and skipped on read.
        if file.set_len(len).is_ok() {
            let _ = file.sync_data();
        }
    }
    written
}

/// Cuts the file back to `len` (an unfinished last record) and syncs.
pub(super) fn truncate(file: &File, path: &Path, len: u64) -> Result<(), Error> {
    file.set_len(len)
        .and_then(|()| file.sync_data())
        .map_err(|e| io_error(path, "cannot cut off an unfinished last record", &e))
}

/// A failed [`replace`]: the error, and whether the copy had already been renamed over the
/// journal (only its directory sync or the reopening failed).
pub(super) struct ReplaceError {
    pub(super) error: Error,
    pub(super) replaced: bool,
}

impl ReplaceError {
    fn kept(error: Error) -> ReplaceError {
        ReplaceError {
            error,
            replaced: false,
        }
    }
}

/// Replaces the journal with `bytes` so that a crash at any point leaves either the old or
/// the new file whole: write `<path>.tmp`, sync it, rename it over `path`, sync the
/// directory. Returns the new file, open for reading and appending. Until the rename, a
/// failure leaves the journal as it was and removes the copy.
pub(super) fn replace(path: &Path, bytes: &[u8]) -> Result<File, ReplaceError> {
    let tmp = sidecar(path, ".tmp");
    // The copy keeps the journal's mode (a journal made group-readable stays so).
    let permissions = std::fs::metadata(path).map(|m| m.permissions()).ok();
    let mut file = create_tmp(&tmp).map_err(|e| {
        ReplaceError::kept(io_error(
            path,
            "cannot create the compacted copy <path>.tmp",
            &e,
        ))
    })?;
    let written = permissions
        .map_or(Ok(()), |permissions| file.set_permissions(permissions))
        .and_then(|()| file.write_all(bytes))
        .and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written {
        let _ = std::fs::remove_file(&tmp);
        return Err(ReplaceError::kept(io_error(
            path,
            "cannot write the compacted copy <path>.tmp",
            &e,
        )));
    }
    if let Err(e) = std::fs::rename(&tmp, path) {
        let _ = std::fs::remove_file(&tmp);
        return Err(ReplaceError::kept(io_error(
            path,
            "cannot rename <path>.tmp over the journal",
            &e,
        )));
    }
    let replaced = |error| ReplaceError {
        error,
        replaced: true,
    };
    sync_directory(path).map_err(replaced)?;
    let (file, _) = open_journal(path).map_err(replaced)?;
    Ok(file)
}

/// Creates `tmp` afresh, mode 0600: a stale one (a compaction cut short) is unlinked first,
/// never followed, and the new one is made with `O_EXCL | O_NOFOLLOW`, so a file or link
/// planted there is never written through.
pub(super) fn create_tmp(tmp: &Path) -> io::Result<File> {
    match std::fs::remove_file(tmp) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(MODE)
        .custom_flags(libc::O_NOFOLLOW)
        .open(tmp)
}
