//! What the command-line tests share: the binary, run apart from the environment of whoever
//! runs the tests, and corpora made in temporary folders.

// Each test file uses its own part of this module.
#![allow(dead_code)]

use std::fs;
use std::path::Path;
use std::process::{Command as StdCommand, Output};

use assert_cmd::Command;
use tempfile::TempDir;

/// Where every test run of the binary keeps its cache: under the build folder, never the
/// user's.
pub const CACHE_HOME: &str = concat!(env!("CARGO_TARGET_TMPDIR"), "/cache");

/// Gives a command for the binary the environment every test runs it in: no corpus folder
/// from `ONRECORD_DIR`, no config file from the home folder, its cache under [`CACHE_HOME`]
/// and on unless the test turns it off (an `ONRECORD_NO_CACHE` left in a shell would
/// otherwise make the cache's tests compare the uncached answer with itself).
pub fn isolate(cmd: &mut StdCommand) -> &mut StdCommand {
    cmd.env_remove("ONRECORD_DIR")
        .env_remove("ONRECORD_NO_CACHE")
        .env("XDG_CONFIG_HOME", "/nonexistent/onrecord-test-config")
        .env("XDG_CACHE_HOME", CACHE_HOME)
}

/// The `onrecord` binary as a plain process (to spawn, signal or kill), isolated as
/// [`isolate`] says.
pub fn process() -> StdCommand {
    let mut cmd = StdCommand::new(assert_cmd::cargo::cargo_bin("onrecord"));
    isolate(&mut cmd);
    cmd
}

/// The `onrecord` binary, isolated as [`isolate`] says: a test says what it runs on.
pub fn onrecord() -> Command {
    Command::from_std(process())
}

/// What a finished run printed, and how it exited (-1 when a signal ended it).
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(out: Output) -> Run {
        Run {
            code: out.status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        }
    }
}

/// Runs the binary on the corpus in `dir`, without colour, and returns what it printed.
pub fn run_on(dir: &Path, args: &[&str]) -> Run {
    onrecord()
        .env("NO_COLOR", "1")
        .arg("--dir")
        .arg(dir)
        .args(args)
        .output()
        .unwrap()
        .into()
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
