//! What the corpus's git repository knows, asked of the `git` command: the repository's top
//! folder, the files staged for a commit, git's own text merge, the merge driver's setup, and
//! (in [`history`]) who changed an entry and when.
//!
//! The `git` command rather than a library: it is on every machine that has a repository, costs
//! no build time, and it alone follows a file across renames (`git log --follow`) the way
//! people expect; libgit2 has no `--follow`, and gix would add a large dependency tree for
//! what one pipe to `git log` does.

pub mod history;

use std::ffi::OsStr;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error(
        "{}: not in a git repository: run `git init` there, or point --dir at a corpus inside one",
        .0.display()
    )]
    NotARepository(PathBuf),
    #[error("cannot run git: {0}: install git, or put it on PATH")]
    NotInstalled(io::Error),
    #[error("`git {0}` failed: {1}")]
    Failed(String, String),
    #[error("cannot write {}: {}", .0.display(), .1)]
    Io(PathBuf, io::Error),
}

/// A `git` command run in `dir`, with output that does not depend on the user's settings.
pub fn command(dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("-C").arg(dir);
    c.env("LC_ALL", "C")
        .env("GIT_OPTIONAL_LOCKS", "0")
        .env_remove("GIT_PAGER")
        .args(["-c", "core.quotepath=off", "-c", "color.ui=never"]);
    c
}

/// Runs a git command to completion and returns its standard output.
pub fn run<I, S>(dir: &Path, args: I) -> Result<Vec<u8>, GitError>
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    let args: Vec<std::ffi::OsString> = args.into_iter().map(|a| a.as_ref().to_owned()).collect();
    let out = command(dir)
        .args(&args)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::NotInstalled)?;
    if !out.status.success() {
        let what = args
            .iter()
            .map(|a| a.to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        let why = String::from_utf8_lossy(&out.stderr).trim().to_string();
        return Err(GitError::Failed(
            what,
            crate::text::one_line(&why).into_owned(),
        ));
    }
    Ok(out.stdout)
}

/// The top folder of the work tree that holds `dir`.
pub fn toplevel(dir: &Path) -> Result<PathBuf, GitError> {
    let out = command(dir)
        .args(["rev-parse", "--show-toplevel"])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(GitError::NotInstalled)?;
    if !out.status.success() {
        return Err(GitError::NotARepository(dir.to_path_buf()));
    }
    let top = String::from_utf8_lossy(&out.stdout)
        .trim_end_matches(['\n', '\r'])
        .to_string();
    Ok(PathBuf::from(top))
}

/// `path` relative to the repository's top folder, with `/` separators, as git names it.
pub fn relative(top: &Path, path: &Path) -> Option<String> {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let top = canon(top);
    // The file itself may not exist any more (a log of a removed file): its folder does.
    let full = match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) if !path.exists() => canon(if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        })
        .join(name),
        _ => canon(path),
    };
    let rel = full.strip_prefix(&top).ok()?;
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    Some(parts.join("/"))
}

/// git's line-by-line merge of three files, as `git merge-file -p` prints it, and how many
/// conflicts it left.
pub fn text_merge(
    base: &Path,
    ours: &Path,
    theirs: &Path,
    marker_size: usize,
) -> Result<(Vec<u8>, usize), GitError> {
    let dir = ours
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let out = command(dir)
        .args([
            "merge-file",
            "-p",
            "-L",
            "ours",
            "-L",
            "base",
            "-L",
            "theirs",
        ])
        .arg(format!("--marker-size={marker_size}"))
        .arg(ours)
        .arg(base)
        .arg(theirs)
        .stdin(Stdio::null())
        .output()
        .map_err(GitError::NotInstalled)?;
    match out.status.code() {
        Some(n) if (0..=127).contains(&n) => Ok((out.stdout, n as usize)),
        _ => Err(GitError::Failed(
            "merge-file".into(),
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        )),
    }
}

/// The files staged for the next commit under `dir`, with their staged content (not the work
/// tree's): each as its path (joined to `dir`'s top folder) and bytes. Removed files are not
/// listed.
pub fn staged_files(dir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>, GitError> {
    let top = toplevel(dir)?;
    let names = run(
        dir,
        [
            "diff",
            "--cached",
            "--name-only",
            "-z",
            "--diff-filter=ACMR",
            "--",
            ".",
        ],
    )?;
    let names: Vec<String> = names
        .split(|&b| b == 0)
        .filter(|n| !n.is_empty())
        .map(|n| String::from_utf8_lossy(n).into_owned())
        .collect();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let blobs = cat_files(&top, names.iter().map(|n| format!(":0:{n}")))?;
    Ok(names
        .into_iter()
        .zip(blobs)
        .filter_map(|(n, b)| b.map(|b| (top.join(n), b)))
        .collect())
}

/// The contents of each named object (`<rev>:<path>`, `:0:<path>` or a blob id), through one
/// `git cat-file --batch`; `None` for one that does not exist.
pub fn cat_files(
    dir: &Path,
    names: impl IntoIterator<Item = String>,
) -> Result<Vec<Option<Vec<u8>>>, GitError> {
    let mut input = Vec::new();
    let mut count = 0;
    for n in names {
        // A name with a line break cannot be asked for on one line.
        if n.contains('\n') {
            input.extend_from_slice(b"missing-name-with-newline\n");
        } else {
            input.extend_from_slice(n.as_bytes());
            input.push(b'\n');
        }
        count += 1;
    }
    let mut child = command(dir)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(GitError::NotInstalled)?;
    let mut stdin = child.stdin.take().expect("piped");
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().map_err(GitError::NotInstalled)?;
    let _ = writer.join();
    let mut rest: &[u8] = &out.stdout;
    let mut found = Vec::with_capacity(count);
    for _ in 0..count {
        let Some(nl) = rest.iter().position(|&b| b == b'\n') else {
            break;
        };
        let header = String::from_utf8_lossy(&rest[..nl]).into_owned();
        rest = &rest[nl + 1..];
        let mut parts = header.split(' ');
        let size = match (parts.next(), parts.next(), parts.next()) {
            (Some(_), Some("blob"), Some(size)) => size.parse::<usize>().ok(),
            (Some(_), Some(_), Some(size)) => {
                // Not a blob (a folder named like a file): skip its content.
                let size = size.parse::<usize>().unwrap_or(0);
                rest = rest.get(size + 1..).unwrap_or_default();
                found.push(None);
                continue;
            }
            _ => None,
        };
        match size {
            Some(size) if rest.len() > size => {
                found.push(Some(rest[..size].to_vec()));
                rest = &rest[size + 1..];
            }
            _ => found.push(None),
        }
    }
    found.resize(count, None);
    Ok(found)
}

/// What `onrecord git-setup` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setup {
    pub top: PathBuf,
    /// The `.gitattributes` line, and whether it is there already.
    pub attributes: String,
    pub attributes_present: bool,
    /// `git config` keys and values, each with whether it is set so already.
    pub config: Vec<(String, String, bool)>,
}

impl Setup {
    pub fn is_done(&self) -> bool {
        self.attributes_present && self.config.iter().all(|(_, _, set)| *set)
    }
}

/// The merge driver's name in git's configuration and in `.gitattributes`.
pub const DRIVER: &str = "onrecord";

/// What the merge driver's setup needs in the repository that holds `dir`, the corpus folder.
/// `program` is how git should call onrecord.
pub fn plan_setup(dir: &Path, program: &str) -> Result<Setup, GitError> {
    let top = toplevel(dir)?;
    let pattern = match relative(&top, dir) {
        Some(rel) if !rel.is_empty() => format!("/{}/**/*.toml", escape_pattern(&rel)),
        _ => "*.toml".to_string(),
    };
    let attributes = format!("{pattern} merge={DRIVER}");
    let existing = std::fs::read_to_string(top.join(".gitattributes")).unwrap_or_default();
    let attributes_present = existing.lines().any(|l| l.trim() == attributes);
    let wanted = [
        (
            format!("merge.{DRIVER}.name"),
            "onrecord: incident files, merged entry by entry".to_string(),
        ),
        (
            format!("merge.{DRIVER}.driver"),
            format!("{program} merge-file %O %A %B --path %P --marker-size %L"),
        ),
    ];
    let config = wanted
        .into_iter()
        .map(|(k, v)| {
            let now = run(dir, ["config", "--local", "--get", &k]).ok();
            let set = now.is_some_and(|n| String::from_utf8_lossy(&n).trim_end() == v);
            (k, v, set)
        })
        .collect();
    Ok(Setup {
        top,
        attributes,
        attributes_present,
        config,
    })
}

/// A folder name in a `.gitattributes` pattern: spaces and pattern characters escaped.
fn escape_pattern(rel: &str) -> String {
    let mut out = String::with_capacity(rel.len());
    for c in rel.chars() {
        if matches!(c, ' ' | '*' | '?' | '[' | ']' | '\\' | '!' | '#' | '"') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Writes what `plan_setup` found missing: the `.gitattributes` line (appended, the file's
/// other lines kept) and the `git config` keys.
pub fn apply_setup(setup: &Setup) -> Result<(), GitError> {
    if !setup.attributes_present {
        let path = setup.top.join(".gitattributes");
        let mut text = match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(GitError::Io(path, e)),
        };
        if !text.is_empty() && !text.ends_with(b"\n") {
            text.push(b'\n');
        }
        text.extend_from_slice(setup.attributes.as_bytes());
        text.push(b'\n');
        if path.exists() {
            crate::write::replace_file(&path, &text)
                .map_err(|e| GitError::Io(path.clone(), io::Error::other(e.to_string())))?;
        } else {
            crate::write::create_file(&path, &text)
                .map_err(|e| GitError::Io(path.clone(), io::Error::other(e.to_string())))?;
        }
    }
    for (key, value, set) in &setup.config {
        if !set {
            run(
                &setup.top,
                ["config", "--local", key.as_str(), value.as_str()],
            )?;
        }
    }
    Ok(())
}
