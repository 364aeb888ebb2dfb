//! Who changed an incident file, or one entry of it, and when: the commits `git log --follow`
//! lists for the file (renames followed), each judged by comparing the entry's text in the
//! commit with its text in the commit's parents. An entry is cut out of each version exactly as
//! the merge driver cuts it ([`crate::merge::split`]), so a statement is followed by its `id`
//! and a verdict by its `id` or its pair, wherever it moves in the file.
//!
//! A merge commit counts only where its entry differs from every parent's (a conflict resolved
//! by hand); a merge that took one side's entry as it was is not a change of its own.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant, SystemTime};

use serde::Serialize;

use super::{GitError, command, relative, toplevel};
use crate::merge::split::{self, Key, Piece};

/// What to follow through the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The whole file.
    File,
    /// One entry: by its key, or (for a verdict) by its pair, whichever a version has.
    Entry { key: Key, pair: Option<Key> },
}

impl Target {
    pub fn statement(id: &str) -> Target {
        Target::Entry {
            key: Key::Entry(1, id.to_string()),
            pair: None,
        }
    }

    /// A verdict about two statements (full references), and its id when it has one.
    pub fn verdict(a: &str, b: &str, id: Option<&str>) -> Target {
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        let pair = Key::Pair(a.to_string(), b.to_string());
        match id {
            Some(id) => Target::Entry {
                key: Key::Entry(2, id.to_string()),
                pair: Some(pair),
            },
            None => Target::Entry {
                key: pair,
                pair: None,
            },
        }
    }

    fn matches(&self, p: &Piece) -> bool {
        match self {
            Target::File => false,
            Target::Entry { key, pair } => {
                let piece_pair = match &p.key {
                    k @ Key::Pair(..) => Some(k),
                    _ => p.pair.as_ref(),
                };
                p.key == *key || piece_pair.is_some_and(|pp| Some(pp) == pair.as_ref() || pp == key)
            }
        }
    }

    /// Text that any version holding the entry must contain: a cheap test before cutting a
    /// version into pieces.
    fn needles(&self) -> Vec<String> {
        let bare = |s: &str| s.rsplit('#').next().unwrap_or(s).to_string();
        match self {
            Target::File => Vec::new(),
            Target::Entry { key, pair } => match (key, pair) {
                (_, Some(_)) => Vec::new(),
                (Key::Entry(_, id), None) => vec![id.clone()],
                (Key::Pair(a, b), None) => vec![bare(a), bare(b)],
                _ => Vec::new(),
            },
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// The entry (or file) appeared.
    Added,
    Changed,
    Removed,
    /// The file was renamed, its content unchanged.
    Renamed,
}

impl ChangeKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Changed => "changed",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
        }
    }
}

/// One commit that changed what was followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub commit: String,
    pub author: String,
    pub email: String,
    /// The author date, RFC 3339, as git records it.
    pub date: String,
    pub subject: String,
    pub change: ChangeKind,
    /// The file's path in the repository at that commit.
    pub path: String,
    /// Its earlier path, when this commit renamed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
}

impl Change {
    /// The date alone, `2024-11-10`.
    pub fn day(&self) -> &str {
        self.date.get(..10).unwrap_or(&self.date)
    }
}

/// What the history says about a file or an entry.
#[derive(Debug, Clone, Serialize)]
pub struct History {
    /// The file's path in the repository now.
    pub path: String,
    /// Whether the work tree's version differs from the last commit's.
    pub uncommitted: bool,
    /// Newest first.
    pub changes: Vec<Change>,
}

/// The history of `target` in the incident file `file` (a path in a work tree), newest first,
/// at most `limit` changes.
pub fn history(file: &Path, target: &Target, limit: Option<usize>) -> Result<History, GitError> {
    history_within(file, target, limit, None)
}

/// `history`, stopped (with what it found so far) when it has taken longer than `budget`.
pub fn history_within(
    file: &Path,
    target: &Target,
    limit: Option<usize>,
    budget: Option<Duration>,
) -> Result<History, GitError> {
    let started = Instant::now();
    let folder = match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let top = toplevel(folder)?;
    let path = relative(&top, file).ok_or_else(|| GitError::NotARepository(file.into()))?;
    let mut blobs = Blobs::start(&top)?;
    let mut cache: HashMap<String, Option<String>> = HashMap::new();
    let incident = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default()
        .to_string();
    let mut content = |blobs: &mut Blobs, id: &str| -> Option<String> {
        if id.bytes().all(|b| b == b'0') {
            return None;
        }
        if let Some(c) = cache.get(id) {
            return c.clone();
        }
        let found = blobs
            .get(id)
            .and_then(|bytes| entry_text(&bytes, &incident, target));
        cache.insert(id.to_string(), found.clone());
        found
    };

    let head = blobs.get_name(&format!("HEAD:{path}"));
    let uncommitted = match (std::fs::read(file).ok(), head) {
        (Some(now), Some(head)) => match target {
            Target::File => now != head,
            _ => entry_text(&now, &incident, target) != entry_text(&head, &incident, target),
        },
        (now, head) => now.is_some() != head.is_some(),
    };

    let mut log = Log::start(&top, &path)?;
    let mut changes = Vec::new();
    while let Some(commit) = log.next_commit()? {
        if limit.is_some_and(|l| changes.len() >= l)
            || budget.is_some_and(|b| started.elapsed() > b)
        {
            break;
        }
        let Some(raw) = commit.raw else { continue };
        let kind = match target {
            Target::File => match raw.status.chars().next() {
                Some('A') => ChangeKind::Added,
                Some('D') => ChangeKind::Removed,
                Some('R') if raw.parents.iter().all(|p| *p == raw.blob) => ChangeKind::Renamed,
                _ => ChangeKind::Changed,
            },
            Target::Entry { .. } => {
                let now = content(&mut blobs, &raw.blob);
                let before: Vec<Option<String>> =
                    raw.parents.iter().map(|p| content(&mut blobs, p)).collect();
                if before.contains(&now) {
                    continue;
                }
                match (before.iter().any(Option::is_some), now.is_some()) {
                    (false, true) => ChangeKind::Added,
                    (true, false) => ChangeKind::Removed,
                    (true, true) => ChangeKind::Changed,
                    (false, false) => continue,
                }
            }
        };
        changes.push(Change {
            commit: commit.id,
            author: commit.author,
            email: commit.email,
            date: commit.date,
            subject: commit.subject,
            change: kind,
            path: raw.path,
            renamed_from: raw.from,
        });
    }
    Ok(History {
        path,
        uncommitted,
        changes,
    })
}

/// The last commit that changed `target` in `file`, when the file is in a repository and
/// the history has one.
pub fn last_change(file: &Path, target: &Target) -> Option<Change> {
    history(file, target, Some(1))
        .ok()?
        .changes
        .into_iter()
        .next()
}

/// "last changed by X on D" for a statement, for an interface that asks on every frame: each
/// answer is kept until the file changes on disk, and a history that takes longer than
/// `budget` to read gives none.
pub fn last_changed_line(file: &Path, statement: &str, budget: Duration) -> Option<String> {
    type Cache = HashMap<(PathBuf, String), (Option<SystemTime>, Option<String>)>;
    static CACHE: Mutex<Option<Cache>> = Mutex::new(None);
    let modified = std::fs::metadata(file).and_then(|m| m.modified()).ok();
    let key = (file.to_path_buf(), statement.to_string());
    if let Ok(cache) = CACHE.lock()
        && let Some((when, line)) = cache.as_ref().and_then(|c| c.get(&key))
        && *when == modified
    {
        return line.clone();
    }
    let line = history_within(file, &Target::statement(statement), Some(1), Some(budget))
        .ok()
        .and_then(|h| h.changes.into_iter().next())
        .map(|c| describe(&c));
    if let Ok(mut cache) = CACHE.lock() {
        cache
            .get_or_insert_with(HashMap::new)
            .insert(key, (modified, line.clone()));
    }
    line
}

/// "last changed by X on D", safe to print.
pub fn describe(c: &Change) -> String {
    format!(
        "last changed by {} on {} ({})",
        crate::text::one_line(&c.author),
        c.day(),
        c.commit.get(..10).unwrap_or(&c.commit)
    )
}

/// The entry's own text in one version of the file (its comments above excluded, so that a
/// comment added before the next entry is not a change of this one).
fn entry_text(bytes: &[u8], incident: &str, target: &Target) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for needle in target.needles() {
        if !text.contains(needle.as_str()) {
            return None;
        }
    }
    let pieces = split::split(text, incident).ok()?;
    pieces
        .iter()
        .find(|p| target.matches(p))
        .map(|p| text[p.content_start..p.span.end].trim_end().to_string())
}

struct Raw {
    /// The file's blob in each parent (one for an ordinary commit).
    parents: Vec<String>,
    blob: String,
    status: String,
    path: String,
    from: Option<String>,
}

struct Commit {
    id: String,
    author: String,
    email: String,
    date: String,
    subject: String,
    raw: Option<Raw>,
}

/// `git log --follow` of one file, read as it comes, one commit at a time.
struct Log {
    child: Child,
    out: BufReader<ChildStdout>,
    pending: Option<String>,
}

impl Log {
    fn start(top: &Path, path: &str) -> Result<Log, GitError> {
        let mut child = command(top)
            .args([
                "log",
                "--follow",
                "-c",
                "--raw",
                "--no-abbrev",
                "--no-ext-diff",
                "--format=%x01%H%x1f%an%x1f%ae%x1f%aI%x1f%s",
                "HEAD",
                "--",
                path,
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(GitError::NotInstalled)?;
        let out = BufReader::new(child.stdout.take().expect("piped"));
        Ok(Log {
            child,
            out,
            pending: None,
        })
    }

    fn line(&mut self) -> Result<Option<String>, GitError> {
        if let Some(l) = self.pending.take() {
            return Ok(Some(l));
        }
        let mut buf = Vec::new();
        let n = self
            .out
            .read_until(b'\n', &mut buf)
            .map_err(GitError::NotInstalled)?;
        if n == 0 {
            return Ok(None);
        }
        while matches!(buf.last(), Some(b'\n' | b'\r')) {
            buf.pop();
        }
        Ok(Some(String::from_utf8_lossy(&buf).into_owned()))
    }

    fn next_commit(&mut self) -> Result<Option<Commit>, GitError> {
        let header = loop {
            match self.line()? {
                None => return Ok(None),
                Some(l) if l.starts_with('\u{1}') => break l,
                Some(_) => {}
            }
        };
        let mut fields = header[1..].split('\u{1f}');
        let mut next = || fields.next().unwrap_or_default().to_string();
        let mut commit = Commit {
            id: next(),
            author: next(),
            email: next(),
            date: next(),
            subject: next(),
            raw: None,
        };
        while let Some(l) = self.line()? {
            if l.starts_with('\u{1}') {
                self.pending = Some(l);
                break;
            }
            if commit.raw.is_none() && l.starts_with(':') {
                commit.raw = parse_raw(&l);
            }
        }
        Ok(Some(commit))
    }
}

impl Drop for Log {
    fn drop(&mut self) {
        // Stopped early (a limit): git need not walk the rest.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One `--raw` line: `:mode mode old new status\tpath[\tnew path]`, or for a merge
/// `::mode mode mode old old new status\tpath`.
fn parse_raw(line: &str) -> Option<Raw> {
    let (meta, paths) = line.split_once('\t')?;
    let colons = meta.bytes().take_while(|&b| b == b':').count();
    let fields: Vec<&str> = meta[colons..].split(' ').collect();
    // `colons` parents: their modes, the new mode, their blobs, the new blob, the status.
    let parents = colons;
    if fields.len() < 2 * parents + 3 {
        return None;
    }
    let blobs = &fields[parents + 1..];
    let paths: Vec<String> = paths.split('\t').map(unquote).collect();
    let (from, path) = match paths.as_slice() {
        [from, to] => (Some(from.clone()), to.clone()),
        [p, ..] => (None, p.clone()),
        [] => return None,
    };
    Some(Raw {
        parents: blobs[..parents].iter().map(|s| s.to_string()).collect(),
        blob: blobs[parents].to_string(),
        status: blobs[parents + 1].to_string(),
        path,
        from,
    })
}

/// A path as git prints it: C-quoted when it holds unusual characters.
fn unquote(p: &str) -> String {
    let Some(inner) = p.strip_prefix('"').and_then(|p| p.strip_suffix('"')) else {
        return p.to_string();
    };
    let mut bytes = Vec::with_capacity(inner.len());
    let mut it = inner.bytes().peekable();
    while let Some(b) = it.next() {
        if b != b'\\' {
            bytes.push(b);
            continue;
        }
        match it.next() {
            Some(b'n') => bytes.push(b'\n'),
            Some(b't') => bytes.push(b'\t'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = it.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        it.next();
                    }
                }
                bytes.push(v as u8);
            }
            Some(other) => bytes.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// One `git cat-file --batch` kept open for every blob a history needs.
struct Blobs {
    child: Child,
    input: ChildStdin,
    out: BufReader<ChildStdout>,
}

impl Blobs {
    fn start(top: &Path) -> Result<Blobs, GitError> {
        let mut child = command(top)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(GitError::NotInstalled)?;
        let input = child.stdin.take().expect("piped");
        let out = BufReader::new(child.stdout.take().expect("piped"));
        Ok(Blobs { child, input, out })
    }

    fn get(&mut self, id: &str) -> Option<Vec<u8>> {
        self.get_name(id)
    }

    /// An object by any name git takes (`HEAD:path`), when it is a blob.
    fn get_name(&mut self, name: &str) -> Option<Vec<u8>> {
        if name.contains('\n') {
            return None;
        }
        writeln!(self.input, "{name}").ok()?;
        self.input.flush().ok()?;
        let mut header = String::new();
        self.out.read_line(&mut header).ok()?;
        let mut parts = header.trim_end().split(' ');
        let (_, kind, size) = (parts.next()?, parts.next()?, parts.next());
        let size: usize = size?.parse().ok()?;
        let mut bytes = vec![0; size + 1];
        self.out.read_exact(&mut bytes).ok()?;
        bytes.pop();
        (kind == "blob").then_some(bytes)
    }
}

impl Drop for Blobs {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_lines() {
        let r = parse_raw(":100644 100644 aaa bbb M\tstatements/a.toml").unwrap();
        assert_eq!(
            (r.parents, r.blob, r.path),
            (vec!["aaa".into()], "bbb".into(), "statements/a.toml".into())
        );
        let r = parse_raw(":100644 100644 aaa aaa R100\told.toml\tnew.toml").unwrap();
        assert_eq!(
            (r.from.as_deref(), r.path.as_str()),
            (Some("old.toml"), "new.toml")
        );
        let r = parse_raw("::100644 100644 100644 p1 p2 new MM\ta.toml").unwrap();
        assert_eq!((r.parents.len(), r.blob.as_str()), (2, "new"));
        assert_eq!(unquote("\"a\\tb\\303\\251\""), "a\tbé");
    }
}
