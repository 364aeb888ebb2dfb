//! Locking an incident file for a read-modify-write, and replacing it atomically and durably.
//!
//! The lock is taken on the incident file itself. Writers replace the file by renaming a new
//! one over it, so a writer that waited for the lock may end up holding it on the old,
//! already replaced file: after locking, the path is checked to still name the file that was
//! locked, and the lock is taken again on the new one when it does not. This keeps the corpus
//! folder free of lock files. Where file identities cannot be compared (not unix), a sidecar
//! `.<name>.lock` file is locked instead.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// An incident file held under an exclusive lock until dropped.
pub(crate) struct Locked {
    /// The real path (links resolved), so that the rename replaces the file, not the link.
    pub path: PathBuf,
    file: File,
    #[cfg(not(unix))]
    _sidecar: File,
}

impl Locked {
    /// Waits for the exclusive lock on `path`.
    pub fn acquire(path: &Path) -> io::Result<Locked> {
        let path = fs::canonicalize(path)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt;
            loop {
                let file = OpenOptions::new().read(true).open(&path)?;
                file.lock()?;
                let locked = file.metadata()?;
                let current = fs::metadata(&path)?;
                if locked.dev() == current.dev() && locked.ino() == current.ino() {
                    return Ok(Locked { path, file });
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
                _sidecar: sidecar,
            })
        }
    }

    /// The file's bytes as they are now, under the lock.
    pub fn read(&mut self) -> io::Result<Vec<u8>> {
        let mut bytes = Vec::new();
        self.file.read_to_end(&mut bytes)?;
        Ok(bytes)
    }

    /// Replaces the file's content atomically, keeping its permissions; the lock is held
    /// until `self` is dropped, after the rename.
    pub fn replace(&self, bytes: &[u8]) -> io::Result<()> {
        self.remove_leftovers();
        let permissions = self.file.metadata()?.permissions();
        // Renaming over a file ignores its write bit; someone who made it read-only meant it.
        if permissions.readonly() {
            return Err(io::Error::new(
                io::ErrorKind::PermissionDenied,
                "the file is read-only: make it writable to change it",
            ));
        }
        write_new_then(&self.path, bytes, Some(permissions), |tmp, target| {
            fs::rename(tmp, target)
        })
    }
}

impl Locked {
    /// Removes temporary files left beside this file by writers that were killed: they are
    /// made only under the lock, so while it is held none belongs to a live writer.
    fn remove_leftovers(&self) {
        let (Some(dir), Some(name)) = (self.path.parent(), self.path.file_name()) else {
            return;
        };
        let prefix = format!(".{}.", name.to_string_lossy());
        let Ok(entries) = fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let file_name = file_name.to_string_lossy();
            if file_name.starts_with(&prefix) && file_name.ends_with(".tmp") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
}

/// Creates `path` with `bytes`, atomically, refusing to replace anything already there
/// (`io::ErrorKind::AlreadyExists`).
pub(crate) fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_new_then(path, bytes, None, |tmp, target| {
        match fs::hard_link(tmp, target) {
            Ok(()) => fs::remove_file(tmp),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Err(e),
            // No hard links on this file system: a rename after a check leaves a tiny window
            // in which a file created by someone else could be replaced.
            Err(_) if target.exists() => Err(io::ErrorKind::AlreadyExists.into()),
            Err(_) => fs::rename(tmp, target),
        }
    })
}

/// Writes `bytes` to a new temporary file beside `target` (a dot file, which the loader
/// ignores, so a crash that leaves one behind breaks nothing), flushes it to disk, hands it to
/// `publish`, then flushes the folder so the new name survives a crash too.
fn write_new_then(
    target: &Path,
    bytes: &[u8],
    permissions: Option<fs::Permissions>,
    publish: impl FnOnce(&Path, &Path) -> io::Result<()>,
) -> io::Result<()> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = target.file_name().unwrap_or_default().to_string_lossy();
    let tmp = dir.join(format!(
        ".{name}.{}-{}.tmp",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut file = OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        if let Some(p) = permissions {
            file.set_permissions(p)?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        publish(&tmp, target)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result?;
    // The new file is in place: a folder that cannot be flushed (some network and FUSE file
    // systems refuse) must not report the write as failed, or a retry would write it twice.
    let _ = sync_dir(dir);
    Ok(())
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    // Folders cannot be opened for flushing here; the rename is as durable as the platform
    // makes it.
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

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
            second.replace(b"three").unwrap();
            seen
        });
        std::thread::sleep(std::time::Duration::from_millis(50));
        first.replace(b"two").unwrap();
        drop(first);
        // The waiter locked the replaced file, noticed and locked the new one.
        assert_eq!(waiter.join().unwrap(), b"two");
        assert_eq!(fs::read(&path).unwrap(), b"three");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.toml")]);
    }

    #[test]
    fn a_write_removes_what_killed_writers_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "one").unwrap();
        fs::write(dir.path().join(".a.toml.999-0.tmp"), "half").unwrap();
        fs::write(dir.path().join(".b.toml.999-0.tmp"), "other file's").unwrap();
        Locked::acquire(&path).unwrap().replace(b"two").unwrap();
        let mut names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, [".b.toml.999-0.tmp", "a.toml"]);
    }

    #[test]
    fn create_new_refuses_to_replace() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        create_new(&path, b"first").unwrap();
        let e = create_new(&path, b"second").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"first");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
