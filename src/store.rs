//! Finding and loading a corpus: every incident file under a folder, read and parsed in
//! parallel, each file's problems kept beside what loaded.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::check::{self, Diagnostic, Parsed, Severity};
use crate::model::{Contradiction, Incident, Statement, StatementRef};
use crate::parse::parse_incident;

/// The environment variable naming the corpus folder when `--dir` is not given.
pub const DIR_ENV: &str = "ONRECORD_DIR";
/// The folder, directly under the corpus folder, where saved copies of sources are kept
/// (`sources/<incident>/<file>`); the loader never looks for incidents in it.
pub const SNAPSHOT_DIR: &str = "sources";
/// The corpus folder when neither `--dir` nor `ONRECORD_DIR` says otherwise.
pub const DEFAULT_DIR: &str = "statements";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{}: no such folder: point --dir or ONRECORD_DIR at a folder of incident files", .0.display())]
    NoSuchFolder(PathBuf),
    #[error("{}: not a folder: point --dir or ONRECORD_DIR at a folder of incident files", .0.display())]
    NotAFolder(PathBuf),
    #[error("{}: cannot read the folder: {}", .0.display(), .1)]
    Unreadable(PathBuf, io::Error),
}

/// Every incident that loaded, and every problem found on the way.
#[derive(Debug, Default)]
pub struct Corpus {
    pub root: PathBuf,
    /// Sorted by id.
    pub incidents: Vec<Incident>,
    /// Files that did not load, because they have errors.
    pub failed: Vec<PathBuf>,
    /// Every error and warning, sorted by path and line.
    pub diagnostics: Vec<Diagnostic>,
    /// How many incident files were found.
    pub files: usize,
}

/// Where a statement is in a loaded corpus: its incident's index in [`Corpus::incidents`] and
/// its index in that incident's statements. It holds for the corpus it came from only; a
/// [`StatementRef`] names a statement across loads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Position {
    pub incident: usize,
    pub statement: usize,
}

impl Corpus {
    /// The statement at a position, with its incident.
    pub fn at(&self, p: Position) -> (&Incident, &Statement) {
        let inc = &self.incidents[p.incident];
        (inc, &inc.statements[p.statement])
    }

    pub fn incident(&self, id: &str) -> Option<&Incident> {
        self.incidents
            .binary_search_by(|i| i.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.incidents[i])
    }

    pub fn statement(&self, r: &StatementRef) -> Option<(&Incident, &Statement)> {
        let incident = self.incident(&r.incident)?;
        Some((incident, incident.statement(&r.statement)?))
    }

    pub fn statements(&self) -> impl Iterator<Item = (&Incident, &Statement)> {
        self.incidents
            .iter()
            .flat_map(|i| i.statements.iter().map(move |s| (i, s)))
    }

    pub fn statement_count(&self) -> usize {
        self.incidents.iter().map(|i| i.statements.len()).sum()
    }

    pub fn contradictions(&self) -> impl Iterator<Item = (&Incident, &Contradiction)> {
        self.incidents
            .iter()
            .flat_map(|i| i.contradictions.iter().map(move |c| (i, c)))
    }

    /// Every verdict, in any file, that names this statement.
    pub fn verdicts_involving<'a>(
        &'a self,
        r: &'a StatementRef,
    ) -> impl Iterator<Item = (&'a Incident, &'a Contradiction)> + 'a {
        self.contradictions().filter(move |(_, c)| c.involves(r))
    }

    pub fn errors(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics.iter().filter(|d| d.is_error())
    }

    pub fn warnings(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Warning)
    }
}

/// The corpus folder: `--dir`, else `ONRECORD_DIR`, else `./statements`.
pub fn corpus_dir(flag: Option<&Path>) -> PathBuf {
    if let Some(dir) = flag {
        return dir.to_path_buf();
    }
    match std::env::var_os(DIR_ENV) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(DEFAULT_DIR),
    }
}

/// Whether a file name is one the loader reads: `*.toml`, not hidden, not an editor's or the
/// program's own temporary file (those start with `.`).
pub fn is_incident_file_name(name: &str) -> bool {
    !name.starts_with('.') && name.ends_with(".toml") && name.len() > ".toml".len()
}

/// How the loader walks a corpus folder and reads its files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadOptions {
    /// Follow links to folders (`--follow`). Off by default, as in ripgrep: a link to `/` or
    /// to a parent folder would otherwise have the loader walk far or forever. When on, a
    /// folder already walked (the same device and inode) is not walked again.
    pub follow: bool,
    /// The largest incident file read, in bytes; a larger one is reported and left out.
    pub max_file_size: u64,
}

/// The default largest incident file: 16 MB, a hundred times the largest real incident.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 * 1024 * 1024;

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            follow: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

static OPTIONS: std::sync::OnceLock<LoadOptions> = std::sync::OnceLock::new();

/// Sets the options [`load`] and [`incident_files`] use for the rest of the process (the
/// command line's `--follow` and `--max-file-size`); only the first call counts.
pub fn set_options(options: LoadOptions) {
    let _ = OPTIONS.set(options);
}

/// The options set by [`set_options`], else the defaults.
pub fn options() -> LoadOptions {
    OPTIONS.get().copied().unwrap_or_default()
}

/// What a walk of a corpus folder found: the incident files, sorted, and a diagnostic for
/// every entry that looks like one but cannot be loaded (errors: a FIFO, a device, a link to
/// nothing, a name that is not UTF-8, a folder that cannot be read) or that was not followed
/// (warnings: a link to a folder, without `--follow`).
#[derive(Debug, Default)]
pub struct Walk {
    pub files: Vec<PathBuf>,
    pub skipped: Vec<Diagnostic>,
}

fn skipped(path: PathBuf, severity: Severity, message: impl Into<String>) -> Diagnostic {
    Diagnostic {
        path,
        line: 1,
        column: 1,
        severity,
        message: message.into(),
    }
}

/// What kind of thing a file type is, for a message.
fn kind_name(t: fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    if t.is_dir() {
        "a folder"
    } else {
        "not a regular file"
    }
}

#[cfg(unix)]
fn dir_id(m: &fs::Metadata) -> (u64, u64) {
    use std::os::unix::fs::MetadataExt;
    (m.dev(), m.ino())
}

#[cfg(not(unix))]
fn dir_id(_m: &fs::Metadata) -> (u64, u64) {
    (0, 0)
}

/// Walks `dir` recursively for incident files. Hidden entries (`.git`, editors' and the
/// program's temporary files) are passed over. Only regular files, or links to regular files,
/// are incident files: the type is looked at before anything is opened, so a FIFO or a device
/// never blocks or floods the loader. Fails only when `dir` itself cannot be read.
pub fn walk(dir: &Path, options: &LoadOptions) -> Result<Walk, StoreError> {
    let root = match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(StoreError::NoSuchFolder(dir.to_path_buf()));
        }
        Err(e) => return Err(StoreError::Unreadable(dir.to_path_buf(), e)),
        Ok(m) if !m.is_dir() => return Err(StoreError::NotAFolder(dir.to_path_buf())),
        Ok(m) => m,
    };
    let mut walk = Walk::default();
    let mut seen = std::collections::HashSet::new();
    seen.insert(dir_id(&root));
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if folder == dir => return Err(StoreError::Unreadable(folder, e)),
            Err(e) => {
                let message = format!("cannot read the folder, so what it holds is left out: {e}");
                walk.skipped.push(skipped(folder, Severity::Error, message));
                continue;
            }
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(e) => {
                    let message = format!("cannot list the whole folder: {e}");
                    walk.skipped
                        .push(skipped(folder.clone(), Severity::Error, message));
                    break;
                }
            };
            // The corpus's own `sources` folder holds saved copies, never incidents.
            if folder == dir && entry.file_name() == SNAPSHOT_DIR {
                continue;
            }
            walk_entry(&entry, options, &mut seen, &mut pending, &mut walk);
        }
    }
    walk.files.sort_unstable_by(|a, b| path_order(a, b));
    walk.skipped.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(walk)
}

/// The order of `Path`'s own comparison (component by component), for the paths the walk
/// builds: each a folder joined with plain names, never `.`, `..` or a doubled separator. For
/// those, comparing the bytes with the separator ranked below every other byte gives the same
/// order without splitting either path into components, which is most of the walk's time on
/// an archive of many files.
#[cfg(unix)]
pub(crate) fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    use std::os::unix::ffi::OsStrExt;
    let rank = |c: u8| if c == b'/' { 0u16 } else { u16::from(c) + 1 };
    let (x, y) = (a.as_os_str().as_bytes(), b.as_os_str().as_bytes());
    let same = x.iter().zip(y).take_while(|(p, q)| p == q).count();
    match (x.get(same), y.get(same)) {
        (Some(&p), Some(&q)) => rank(p).cmp(&rank(q)),
        _ => x.len().cmp(&y.len()),
    }
}

#[cfg(not(unix))]
pub(crate) fn path_order(a: &Path, b: &Path) -> std::cmp::Ordering {
    a.cmp(b)
}

const NOT_UTF8: &str = "the name is not UTF-8, so it is left out: rename it (incident ids are \
                        plain lowercase letters, digits and dashes)";

fn walk_entry(
    entry: &fs::DirEntry,
    options: &LoadOptions,
    seen: &mut std::collections::HashSet<(u64, u64)>,
    pending: &mut Vec<PathBuf>,
    walk: &mut Walk,
) {
    let name = entry.file_name();
    let bytes = name.as_encoded_bytes();
    if bytes.starts_with(b".") {
        return;
    }
    let path = entry.path();
    let Ok(own) = entry.file_type() else { return };
    let link = own.is_symlink();
    let looks_like_incident = bytes.ends_with(b".toml") && bytes.len() > ".toml".len();
    // Neither a link nor a folder: the entry's own type, which listing the folder gave, says
    // all there is to know without looking at the file (the loader checks it again when it
    // opens it), so an archive of many files costs no call per file here.
    if !link && !own.is_dir() {
        if !looks_like_incident {
            return;
        }
        if name.to_str().is_none() {
            walk.skipped.push(skipped(path, Severity::Error, NOT_UTF8));
        } else if own.is_file() {
            walk.files.push(path);
        } else {
            walk.skipped.push(skipped(
                path,
                Severity::Error,
                format!(
                    "{}, not a regular file: left out (an incident file is a regular file)",
                    kind_name(own)
                ),
            ));
        }
        return;
    }
    // A link is judged by what it names, looked at without opening it.
    let target = if link {
        fs::metadata(&path)
    } else {
        entry.metadata()
    };
    let is_dir = target.as_ref().is_ok_and(|m| m.is_dir());
    if name.to_str().is_none() && (is_dir || looks_like_incident) {
        walk.skipped.push(skipped(path, Severity::Error, NOT_UTF8));
        return;
    }
    if is_dir {
        if link && !options.follow {
            walk.skipped.push(skipped(
                path,
                Severity::Warning,
                "a link to a folder, not followed: pass --follow to load what it holds",
            ));
            return;
        }
        // A folder reached twice (a link loop, a link to a folder walked already) is walked
        // once.
        if let Ok(m) = &target
            && seen.insert(dir_id(m))
        {
            pending.push(path);
        }
        return;
    }
    if !looks_like_incident {
        return;
    }
    match target {
        Ok(m) if m.is_file() => walk.files.push(path),
        Ok(m) => walk.skipped.push(skipped(
            path,
            Severity::Error,
            format!(
                "{}, not a regular file: left out (an incident file is a regular file)",
                kind_name(m.file_type())
            ),
        )),
        Err(e) if link && e.kind() == io::ErrorKind::NotFound => walk.skipped.push(skipped(
            path,
            Severity::Error,
            "a link to nothing: left out (point it at an incident file, or remove it)",
        )),
        Err(e) => walk.skipped.push(skipped(
            path,
            Severity::Error,
            format!("cannot read the file: {e}"),
        )),
    }
}

/// All incident files under `dir`, sorted, recursively, as [`walk`] finds them with the
/// process's [`options`].
pub fn incident_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    Ok(walk(dir, &options())?.files)
}

/// An incident file's bytes, read only when it is a regular file no larger than `max` bytes.
/// The type and size are those of the file opened (non-blocking, so that a FIFO put in its
/// place after the walk cannot hang the loader), and no more than `max` bytes are ever read.
pub fn read_incident_file(path: &Path, max: u64) -> Result<Vec<u8>, String> {
    read_incident_file_meta(path, max).map(|(bytes, _)| bytes)
}

/// [`read_incident_file`], with what the open file's own metadata said before it was read.
pub(crate) fn read_incident_file_meta(
    path: &Path,
    max: u64,
) -> Result<(Vec<u8>, fs::Metadata), String> {
    use std::io::Read;
    let mut open = fs::OpenOptions::new();
    open.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        open.custom_flags(libc::O_NONBLOCK);
    }
    let file = open
        .open(path)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if !meta.is_file() {
        return Err(format!(
            "{}, not a regular file: left out (an incident file is a regular file)",
            kind_name(meta.file_type())
        ));
    }
    let too_large = |size: u64| {
        format!(
            "the file is {} MB, over the {} MB limit for one incident file: split the incident \
             into several files, or raise the limit with --max-file-size",
            size.div_ceil(1024 * 1024),
            max / (1024 * 1024)
        )
    };
    if meta.len() > max {
        return Err(too_large(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read the file: {e}"))?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok((bytes, meta))
}

/// Reads and checks one file: its incident when it has no errors, and its diagnostics.
pub fn load_file(path: &Path) -> (Option<Parsed>, Vec<Diagnostic>) {
    match read_incident_file(path, options().max_file_size) {
        Ok(bytes) => parse_file(path, &bytes),
        Err(message) => unreadable(path, message),
    }
}

/// The result for a file that could not be read, with [`read_incident_file`]'s message.
pub(crate) fn unreadable(path: &Path, message: String) -> FileResult {
    failed_at(path, 1, 1, message)
}

fn failed_at(path: &Path, line: u32, column: u32, message: String) -> FileResult {
    let d = Diagnostic {
        path: path.to_path_buf(),
        line,
        column,
        severity: Severity::Error,
        message,
    };
    (None, vec![d])
}

/// Checks one file's bytes, read from `path`.
pub(crate) fn parse_file(path: &Path, bytes: &[u8]) -> FileResult {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            // The parser skips one leading byte-order mark itself.
            let (mut parsed, diagnostics) = parse_incident(path, id, text);
            if let Some(p) = &mut parsed {
                p.incident.fingerprint = crate::model::fingerprint(bytes);
            }
            (parsed, diagnostics)
        }
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = check::LineIndex::new(valid).position(valid.len());
            failed_at(
                path,
                line,
                column,
                "not UTF-8: incident files must be saved as UTF-8 (re-save the file with that \
                 encoding)"
                    .into(),
            )
        }
    }
}

/// Loads every incident file under `dir`. Fails only when the folder itself cannot be read;
/// a bad file is reported in `diagnostics` and `failed` and never stops the others.
///
/// When the command line turned the cache on ([`crate::cache`]), files that have not changed
/// since the last run are taken from it rather than parsed; the corpus is the same.
pub fn load(dir: &Path) -> Result<Corpus, StoreError> {
    let Walk { files, skipped } = walk(dir, &options())?;
    let results = match crate::cache::enabled() {
        true => crate::cache::load_files(dir, &files),
        false => load_parallel(&files),
    };
    Ok(assemble(dir, &files, skipped, results))
}

/// The files of a corpus folder that did not load, and the incident ids their names would
/// have given (which the rule on ids holds against the files that did).
pub(crate) struct NotLoaded {
    pub paths: Vec<PathBuf>,
    pub ids: HashMap<String, PathBuf>,
    /// Every incident file found: the walk's, and those it left out with an error.
    pub found: usize,
}

impl NotLoaded {
    /// What the walk left out with an error counts among the files that did not load.
    pub(crate) fn from_walk(files: &[PathBuf], skipped: &[Diagnostic]) -> NotLoaded {
        let mut not_loaded = NotLoaded {
            paths: Vec::new(),
            ids: HashMap::new(),
            found: files.len(),
        };
        for d in skipped.iter().filter(|d| d.is_error()) {
            not_loaded.add(&d.path);
            not_loaded.found += 1;
        }
        not_loaded
    }

    pub(crate) fn add(&mut self, path: &Path) {
        self.paths.push(path.to_path_buf());
        if let Some(id) = path.file_stem().and_then(|s| s.to_str()) {
            self.ids.insert(id.to_string(), path.to_path_buf());
        }
    }
}

/// The corpus from every file's own result, after the rules that span files.
fn assemble(
    dir: &Path,
    files: &[PathBuf],
    skipped: Vec<Diagnostic>,
    results: Vec<FileResult>,
) -> Corpus {
    let mut diagnostics = Vec::new();
    let mut loaded = Vec::new();
    let mut not_loaded = NotLoaded::from_walk(files, &skipped);
    diagnostics.extend(skipped);
    for (path, (parsed, diags)) in files.iter().zip(results) {
        diagnostics.extend(diags);
        match parsed {
            Some(p) => loaded.push(p),
            None => not_loaded.add(path),
        }
    }
    let (cross, dropped) = check::cross_file(&loaded, &not_loaded.ids);
    diagnostics.extend(cross);
    let NotLoaded {
        mut paths, found, ..
    } = not_loaded;
    for &i in dropped.iter().rev() {
        paths.push(loaded.remove(i).incident.path);
    }
    paths.sort();
    let failed = paths;
    let mut incidents: Vec<Incident> = loaded.into_iter().map(|p| p.incident).collect();
    incidents.sort_by(|a, b| a.id.cmp(&b.id));
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, b.severity).cmp(&(&b.path, b.line, b.column, a.severity))
    });
    Corpus {
        root: dir.to_path_buf(),
        incidents,
        failed,
        diagnostics,
        files: found,
    }
}

pub(crate) type FileResult = (Option<Parsed>, Vec<Diagnostic>);

pub(crate) fn load_parallel(files: &[PathBuf]) -> Vec<FileResult> {
    use rayon::prelude::*;
    if files.len() < 64 {
        return files.iter().map(|p| load_file(p)).collect();
    }
    files.par_iter().map(|p| load_file(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_walks_order_is_the_order_of_paths() {
        let names = [
            "c/a.toml",
            "c/a-b.toml",
            "c/a/b.toml",
            "c/a-b/c.toml",
            "c/a.b/c.toml",
            "c/ab.toml",
            "c/a",
            "c/A.toml",
            "c/é.toml",
            "c/e.toml",
            "c/2015/x.toml",
            "c/2015-x.toml",
            "c/2015/x/y.toml",
            "c/20150/x.toml",
            "c/a b.toml",
            "c/a!.toml",
        ];
        let mut paths: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut expected = paths.clone();
        expected.sort();
        paths.sort_unstable_by(|a, b| path_order(a, b));
        assert_eq!(paths, expected);
    }
}
