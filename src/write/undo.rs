//! Taking back a write: putting a file's earlier bytes back, or removing a file a write
//! created, under the same lock as every other write, and only when the file is still exactly
//! what that write left.

use std::fs;
use std::path::Path;

use super::{WriteError, WriteOutcome, files};
use crate::model::fingerprint;

/// Puts `before` back into `path` (or removes the file when `before` is `None`: the write
/// created it), if the file's fingerprint is still `after`; `after` is `None` when the write
/// removed the file, which is then created again, unless something is there now. A file
/// changed since is someone's work: it is left alone and the answer is
/// [`WriteError::ChangedOnDisk`].
pub fn restore(
    path: &Path,
    after: Option<u64>,
    before: Option<&[u8]>,
) -> Result<WriteOutcome, WriteError> {
    let io_err = |what| move |e| WriteError::Io(path.to_path_buf(), what, e);
    let Some(after) = after else {
        let bytes = before.unwrap_or_default();
        return match crate::atomic::create_new(path, bytes) {
            Ok(()) => Ok(WriteOutcome {
                path: path.to_path_buf(),
                id: None,
            }),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(WriteError::ChangedOnDisk(path.to_path_buf()))
            }
            Err(e) => Err(io_err("create the file")(e)),
        };
    };
    let mut locked = files::Locked::acquire(path).map_err(io_err("lock the file"))?;
    let bytes = locked.read().map_err(io_err("read the file"))?;
    if fingerprint(&bytes) != after {
        return Err(WriteError::ChangedOnDisk(path.to_path_buf()));
    }
    match before {
        Some(before) => {
            let replaced = locked.replace(before).map_err(io_err("write the file"))?;
            if replaced == files::Replaced::Changed {
                return Err(WriteError::ChangedOnDisk(path.to_path_buf()));
            }
        }
        None => fs::remove_file(&locked.path).map_err(io_err("remove the file"))?,
    }
    Ok(WriteOutcome {
        path: path.to_path_buf(),
        id: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn restores_only_what_this_write_left() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.toml");
        fs::write(&path, "after").unwrap();
        let after = fingerprint(b"after");
        restore(&path, Some(after), Some(b"before")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"before");
        // Someone changed it since: left alone.
        fs::write(&path, "theirs").unwrap();
        let e = restore(&path, Some(after), Some(b"before")).unwrap_err();
        assert!(matches!(e, WriteError::ChangedOnDisk(_)), "{e}");
        assert_eq!(fs::read(&path).unwrap(), b"theirs");
        // A file the write created goes away.
        let theirs = fingerprint(b"theirs");
        restore(&path, Some(theirs), None).unwrap();
        assert!(!path.exists());
        // A file the write removed comes back, unless something took its place.
        restore(&path, None, Some(b"gone")).unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"gone");
        let e = restore(&path, None, Some(b"again")).unwrap_err();
        assert!(matches!(e, WriteError::ChangedOnDisk(_)), "{e}");
    }
}
