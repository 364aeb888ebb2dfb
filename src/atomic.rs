//! Replacing or creating a file all at once, for the write path (`crate::write`) and
//! `export --out` alike: the new bytes go to a temporary file beside the target (a dot file
//! the loader ignores), are flushed to disk, and the temporary file is renamed over the target
//! (or linked to a new name that must not exist yet), then the folder is flushed so the new
//! name survives a crash. A reader sees the old file or the new one, never half of one.
//!
//! The temporary file is the only file this module ever removes: it is deleted when the write
//! fails or is abandoned ([`tempfile::NamedTempFile`] does so when dropped). Nothing else in
//! the folder is touched.

use std::fs::{self, File, Permissions};
use std::io;
use std::path::{Path, PathBuf};

use tempfile::NamedTempFile;

/// A new version of a file, being written beside it.
pub struct Pending {
    temp: NamedTempFile,
    target: PathBuf,
}

/// Starts a new version of `target`: an empty temporary file in the same folder, so that the
/// rename that publishes it stays on one file system. Its permissions are those of an
/// ordinary new file (0666 less the umask), not a temporary file's private ones.
pub fn begin(target: &Path) -> io::Result<Pending> {
    let folder = folder_of(target);
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(Permissions::from_mode(0o666));
    }
    let temp = builder.tempfile_in(folder)?;
    Ok(Pending {
        temp,
        target: target.to_path_buf(),
    })
}

impl Pending {
    /// The temporary file, to write the new content to.
    pub fn file(&self) -> &File {
        self.temp.as_file()
    }

    /// The temporary file's path (for writers that open it themselves, like SQLite).
    pub fn path(&self) -> &Path {
        self.temp.path()
    }

    /// Flushes the new content to disk, gives it `permissions` (those of the file it
    /// replaces, usually), and renames it over the target.
    pub fn replace(self, permissions: Option<Permissions>) -> io::Result<()> {
        self.temp.as_file().sync_all()?;
        if let Some(p) = permissions {
            self.temp.as_file().set_permissions(p)?;
        }
        let folder = folder_of(&self.target).to_path_buf();
        self.temp.persist(&self.target).map_err(|e| e.error)?;
        sync_dir(&folder);
        Ok(())
    }

    /// Flushes the new content to disk and gives it the target's name, refusing to replace
    /// anything already there (`io::ErrorKind::AlreadyExists`).
    pub fn create(self) -> io::Result<()> {
        self.temp.as_file().sync_all()?;
        let folder = folder_of(&self.target).to_path_buf();
        self.temp
            .persist_noclobber(&self.target)
            .map_err(|e| e.error)?;
        sync_dir(&folder);
        Ok(())
    }
}

/// Creates `path` with `bytes`, atomically, refusing to replace anything already there
/// (`io::ErrorKind::AlreadyExists`).
pub fn create_new(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let pending = begin(path)?;
    io::Write::write_all(&mut pending.file(), bytes)?;
    pending.create()
}

fn folder_of(target: &Path) -> &Path {
    match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// The new name is in place: a folder that cannot be flushed (some network and FUSE file
/// systems refuse) must not report the write as failed, or a retry would write it twice.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    // Elsewhere folders cannot be opened for flushing; the rename is as durable as the
    // platform makes it.
    #[cfg(not(unix))]
    let _ = dir;
}

/// Whether `path` may be replaced by a new regular file: it does not exist, or it is a
/// regular file (or a link to one) that is not read-only. Returns the path to write: a link's
/// target, so that the link stays a link.
pub fn replaceable(path: &Path) -> Result<PathBuf, NotReplaceable> {
    let link = match fs::symlink_metadata(path) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(path.to_path_buf()),
        Err(e) => return Err(NotReplaceable::Unreadable(e)),
        Ok(m) => m,
    };
    let is_link = link.file_type().is_symlink();
    let meta = if is_link {
        match fs::metadata(path) {
            Ok(m) => m,
            Err(e) if e.kind() == io::ErrorKind::NotFound => {
                return Err(NotReplaceable::DanglingLink);
            }
            Err(e) => return Err(NotReplaceable::Unreadable(e)),
        }
    } else {
        link
    };
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(NotReplaceable::Folder);
    }
    if !kind.is_file() {
        return Err(NotReplaceable::Special);
    }
    if meta.permissions().readonly() {
        return Err(NotReplaceable::ReadOnly);
    }
    if is_link {
        fs::canonicalize(path).map_err(NotReplaceable::Unreadable)
    } else {
        Ok(path.to_path_buf())
    }
}

/// Why a path cannot be replaced by a new file.
#[derive(Debug, thiserror::Error)]
pub enum NotReplaceable {
    #[error("it is a folder")]
    Folder,
    #[error("it is not a regular file (a device, a FIFO or a socket)")]
    Special,
    #[error("it is read-only: make it writable, or choose another path")]
    ReadOnly,
    #[error("it is a link to nothing")]
    DanglingLink,
    #[error("{0}")]
    Unreadable(io::Error),
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn an_abandoned_write_leaves_nothing_behind() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "old").unwrap();
        let pending = begin(&path).unwrap();
        (&mut pending.file()).write_all(b"half").unwrap();
        drop(pending);
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn replace_and_create() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        create_new(&path, b"first").unwrap();
        let e = create_new(&path, b"second").unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::AlreadyExists);
        assert_eq!(fs::read(&path).unwrap(), b"first");
        let pending = begin(&path).unwrap();
        (&mut pending.file()).write_all(b"third").unwrap();
        pending.replace(None).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"third");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_an_ordinary_files_permissions() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let ordinary = dir.path().join("ordinary");
        fs::write(&ordinary, "x").unwrap();
        let path = dir.path().join("new");
        create_new(&path, b"x").unwrap();
        let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&path), mode(&ordinary));
    }
}
