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

/// All incident files under `dir`, sorted, recursively. Hidden folders (`.git`) are skipped.
pub fn incident_files(dir: &Path) -> Result<Vec<PathBuf>, StoreError> {
    match fs::metadata(dir) {
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(StoreError::NoSuchFolder(dir.to_path_buf()));
        }
        Err(e) => return Err(StoreError::Unreadable(dir.to_path_buf(), e)),
        Ok(m) if !m.is_dir() => return Err(StoreError::NotAFolder(dir.to_path_buf())),
        Ok(_) => {}
    }
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        let entries = match fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(e) if folder == dir => return Err(StoreError::Unreadable(folder, e)),
            // An unreadable sub-folder is skipped; it holds nothing we could load anyway.
            Err(_) => continue,
        };
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            // The entry's type comes with the listing; only a link needs a look at what it
            // names (a link to an incident file is an incident file).
            let is_dir = match entry.file_type() {
                Ok(t) if t.is_symlink() => fs::metadata(&path).is_ok_and(|m| m.is_dir()),
                Ok(t) => t.is_dir(),
                Err(_) => false,
            };
            if is_dir {
                pending.push(path);
            } else if is_incident_file_name(name) {
                files.push(path);
            }
        }
    }
    files.sort();
    Ok(files)
}

/// Reads and checks one file: its incident when it has no errors, and its diagnostics.
pub fn load_file(path: &Path) -> (Option<Parsed>, Vec<Diagnostic>) {
    let id = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let fail = |line, column, message: String| {
        let d = Diagnostic {
            path: path.to_path_buf(),
            line,
            column,
            severity: Severity::Error,
            message,
        };
        (None, vec![d])
    };
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) => return fail(1, 1, format!("cannot read the file: {e}")),
    };
    match std::str::from_utf8(&bytes) {
        Ok(text) => {
            // The parser skips one leading byte-order mark itself.
            let (mut parsed, diagnostics) = parse_incident(path, id, text);
            if let Some(p) = &mut parsed {
                p.incident.fingerprint = crate::model::fingerprint(&bytes);
            }
            (parsed, diagnostics)
        }
        Err(e) => {
            let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
            let (line, column) = check::LineIndex::new(valid).position(valid.len());
            fail(
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
pub fn load(dir: &Path) -> Result<Corpus, StoreError> {
    let files = incident_files(dir)?;
    let results = load_parallel(&files);

    let mut diagnostics = Vec::new();
    let mut loaded = Vec::new();
    let mut failed = Vec::new();
    let mut failed_ids = HashMap::new();
    for (path, (parsed, diags)) in files.iter().zip(results) {
        diagnostics.extend(diags);
        match parsed {
            Some(p) => loaded.push(p),
            None => {
                failed.push(path.clone());
                let id = path
                    .file_stem()
                    .and_then(|s| s.to_str())
                    .unwrap_or_default();
                failed_ids.insert(id.to_string(), path.clone());
            }
        }
    }
    let (cross, dropped) = check::cross_file(&loaded, &failed_ids);
    diagnostics.extend(cross);
    for &i in dropped.iter().rev() {
        failed.push(loaded.remove(i).incident.path);
    }
    failed.sort();
    let mut incidents: Vec<Incident> = loaded.into_iter().map(|p| p.incident).collect();
    incidents.sort_by(|a, b| a.id.cmp(&b.id));
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, b.severity).cmp(&(&b.path, b.line, b.column, a.severity))
    });
    Ok(Corpus {
        root: dir.to_path_buf(),
        incidents,
        failed,
        diagnostics,
        files: files.len(),
    })
}

type FileResult = (Option<Parsed>, Vec<Diagnostic>);

fn load_parallel(files: &[PathBuf]) -> Vec<FileResult> {
    use rayon::prelude::*;
    if files.len() < 64 {
        return files.iter().map(|p| load_file(p)).collect();
    }
    files.par_iter().map(|p| load_file(p)).collect()
}
