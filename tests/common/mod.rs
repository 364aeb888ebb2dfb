//! What the command-line tests share: the binary, run apart from the environment of whoever
//! runs the tests, and corpora made in temporary folders.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use tempfile::TempDir;

/// The `onrecord` binary, with no corpus folder from `ONRECORD_DIR`, no config file from the
/// home folder and its cache under the build folder, never the user's: a test says what it
/// runs on.
pub fn onrecord() -> Command {
    let mut cmd = Command::cargo_bin("onrecord").unwrap();
    cmd.env_remove("ONRECORD_DIR")
        .env("XDG_CONFIG_HOME", "/nonexistent/onrecord-test-config")
        .env(
            "XDG_CACHE_HOME",
            concat!(env!("CARGO_TARGET_TMPDIR"), "/cache"),
        );
    cmd
}

/// A corpus in a temporary folder, one file for each (path, text); paths may name folders.
pub fn corpus(files: &[(&str, &str)]) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    dir
}

/// A copy of a fixture folder, subfolders included, in a temporary folder, to write to.
pub fn copy_of(fixture: impl AsRef<Path>) -> TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(fixture.as_ref(), dir.path());
    dir
}

/// Copies a folder and everything under it.
pub fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}
