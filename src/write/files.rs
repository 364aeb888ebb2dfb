//! Locking an incident file for a read-modify-write, and replacing it atomically and durably
//! (through [`crate::atomic`]) unless someone who does not take the lock, an editor, changed it
//! since it was read.
//!
//! The lock is taken on the incident file itself. Writers replace the file by renaming a new
//! one over it, so a writer that waited for the lock may end up holding it on the old,
//! already replaced file: after locking, the path is checked to still name the file that was
//! locked, and the lock is taken again on the new one when it does not. This keeps the corpus
//! folder free of lock files. Where file identities cannot be compared (not unix), a sidecar
//! `.<name>.lock` file is locked instead.
//!
//! The only file a write ever removes is its own temporary file, when it is abandoned; an
//! incident file is removed only by the interface's delete and undo, after the person said
//! yes, under the lock and only when it is still what they saw.

use std::fs::{self, File, Metadata, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::model::fingerprint;

/// An incident file held under an exclusive lock until dropped.
pub(crate) struct Locked {
    /// The real path (links resolved), so that the rename replaces the file, not the link.
    pub path: PathBuf,
    file: File,
    /// The file as [`Locked::read`] found it: to tell, just before the rename, whether
    /// someone who does not take the lock wrote it since.
    read: Option<Seen>,
    #[cfg(not(unix))]
    _sidecar: File,
}

/// What [`Locked::replace`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Replaced {
    Done,
    /// The file changed on disk since it was read; it was left as it is.
    Changed,
}

struct Seen {
    meta: Metadata,
    at: SystemTime,
    print: u64,
}

impl Locked {
    /// Waits for the exclusive lock on `path`.
    pub fn acquire(path: &Path) -> io::Result<Locked> {
        let path = fs::canonicalize(path)?;
        // Opening a FIFO for reading would wait for a writer forever.
        if !fs::metadata(&path)?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file: only regular files are incident files",
            ));
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            loop {
                let file = OpenOptions::new().read(true).open(&path)?;
                file.lock()?;
                let locked = file.metadata()?;
                let current = fs::metadata(&path)?;
                if locked.dev() == current.dev() && locked.ino() == current.ino() {
                    return Ok(Locked {
                        path,
                        file,
                        read: None,
                    });
                }
                // Replaced while we waited: lock the file that is there now.
            }
        }
        #[cfg(not(unix))]
        {
            let name = path.file_name().unwrap_or_default().to_string_lossy();
            let sidecar_path = path.with_file_name(format!(".{name}.lock"));
            let sidecar = OpenOptions::new()
                .read(true)
                .write(true)
                .create(true)
                .truncate(false)
                .open(sidecar_path)?;
            sidecar.lock()?;
            let file = OpenOptions::new().read(true).open(&path)?;
            Ok(Locked {
                path,
                file,
                read: None,
                _sidecar: sidecar,
            })
        }
    }

    /// The file's bytes as they are now, under the lock.
    pub fn read(&mut self) -> io::Result<Vec<u8>> {
        let at = SystemTime::now();
        let meta = self.file.metadata()?;
        let mut bytes = Vec::new();
        self.file.read_to_end(&mut bytes)?;
        self.read = Some(Seen {
            meta,
            at,
            print: fingerprint(&bytes),
        });
        Ok(bytes)
    }

    /// Replaces the file's content atomically, keeping its permissions; the lock is held
    /// until `self` is dropped, after the rename. Just before the rename, the file on disk is
    /// compared with the one read: when it changed, nothing is replaced
    /// ([`Replaced::Changed`]) and only this write's temporary file is removed.
    pub fn replace(&self, bytes: &[u8]) -> io::Result<Replaced> {
        let permissions = self.file.metadata()?.permissions();
        // Renaming over a file ignores its write bit; someone who made it read-only meant it.
        if permissions.readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file is read-only: make it writable to change it",
            ));
        }
        let pending = crate::atomic::begin(&self.path)?;
        pending.file().write_all(bytes)?;
        pending.file().sync_all()?;
        if self.changed_since_read()? {
            return Ok(Replaced::Changed);
        }
        pending.replace(Some(permissions))?;
        Ok(Replaced::Done)
    }

    /// Whether the file at the path is not the one [`Locked::read`] read: another file
    /// (renamed over it), or the same one written since (size, modification time, or, when
    /// those match but the time is too coarse to tell, the bytes).
    fn changed_since_read(&self) -> io::Result<bool> {
        let Some(seen) = &self.read else {
            return Ok(false);
        };
        let now = match fs::metadata(&self.path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(true),
            Err(e) => return Err(e),
        };
        if !same_file(&seen.meta, &now)
            || seen.meta.len() != now.len()
            || seen.meta.modified().ok() != now.modified().ok()
        {
            return Ok(true);
        }
        // Some file systems keep times to the second (or two): a write in the same tick as
        // the read leaves the time as it was, and only the bytes can tell.
        let coarse = Duration::from_secs(2);
        let recent = now.modified().map_or(true, |m| {
            seen.at.duration_since(m).map_or(true, |d| d < coarse)
        });
        if recent {
            let mut bytes = Vec::new();
            File::open(&self.path)?.read_to_end(&mut bytes)?;
            return Ok(fingerprint(&bytes) != seen.print);
        }
        Ok(false)
    }
}

#[cfg(unix)]
fn same_file(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.dev() == b.dev() && a.ino() == b.ino()
}

#[cfg(not(unix))]
fn same_file(_a: &Metadata, _b: &Metadata) -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn replace_keeps_no_temporary_file_and_waits_for_the_lock() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "one").unwrap();
        let mut first = Locked::acquire(&path).unwrap();
        assert_eq!(first.read().unwrap(), b"one");

        let p = path.clone();
        let waiter = std::thread::spawn(move || {
            let mut second = Locked::acquire(&p).unwrap();
            let seen = second.read().unwrap();
            assert_eq!(second.replace(b"three").unwrap(), Replaced::Done);
            seen
        });
        std::thread::sleep(std::time::Duration::from_millis(50));
        assert_eq!(first.replace(b"two").unwrap(), Replaced::Done);
        drop(first);
        // The waiter locked the replaced file, noticed and locked the new one.
        assert_eq!(waiter.join().unwrap(), b"two");
        assert_eq!(fs::read(&path).unwrap(), b"three");
        assert_eq!(names(dir.path()), ["a.toml"]);
    }

    #[test]
    fn tag_never_deletes_files_it_did_not_create() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "one").unwrap();
        fs::write(dir.path().join(".a.toml.999-0.tmp"), "someone's").unwrap();
        fs::write(dir.path().join(".b.toml.999-0.tmp"), "other file's").unwrap();
        let mut locked = Locked::acquire(&path).unwrap();
        locked.read().unwrap();
        assert_eq!(locked.replace(b"two").unwrap(), Replaced::Done);
        assert_eq!(
            names(dir.path()),
            [".a.toml.999-0.tmp", ".b.toml.999-0.tmp", "a.toml"]
        );
    }

    #[test]
    fn an_editor_writing_in_place_after_the_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "one").unwrap();
        let mut locked = Locked::acquire(&path).unwrap();
        locked.read().unwrap();
        // Same size, same second: only the bytes tell.
        fs::write(&path, "ONE").unwrap();
        assert_eq!(locked.replace(b"two").unwrap(), Replaced::Changed);
        assert_eq!(fs::read(&path).unwrap(), b"ONE");
        assert_eq!(names(dir.path()), ["a.toml"]);
    }

    #[test]
    fn an_editor_renaming_a_new_file_over_it_after_the_read_is_not_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "one").unwrap();
        let mut locked = Locked::acquire(&path).unwrap();
        locked.read().unwrap();
        let saved = dir.path().join("a.toml~");
        fs::write(&saved, "one, edited").unwrap();
        fs::rename(&saved, &path).unwrap();
        assert_eq!(locked.replace(b"two").unwrap(), Replaced::Changed);
        assert_eq!(fs::read(&path).unwrap(), b"one, edited");
    }

    #[cfg(unix)]
    #[test]
    fn a_fifo_is_never_opened_for_writing_through() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        let status = std::process::Command::new("mkfifo")
            .arg(&path)
            .status()
            .unwrap();
        assert!(status.success());
        let e = Locked::acquire(&path).err().unwrap();
        assert_eq!(e.kind(), io::ErrorKind::InvalidInput);
    }
}
