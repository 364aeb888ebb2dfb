//! The one write path: every change the program makes to an incident file goes through here.
//!
//! A change is made like a careful colleague would make it: the file is locked, read again
//! under the lock (refused if it changed since the caller read it), the change is applied to
//! that fresh text without touching any other byte (a new entry is appended at the end; a
//! removal or replacement goes through `toml_edit`), the result is parsed and checked to say
//! exactly what was meant, written to a temporary file beside the original, flushed to disk,
//! renamed over it, and the folder flushed. Bad input is refused before anything is written.
//!
//! Here: the shared steps ([`load_for`], the locked edit, errors). In `verdict`: `tag` and
//! `untag`. In `statement`: `add_statement`, `new_incident` and the validation of what a
//! person typed. In `source`: `add_source` and the saved copy it brings. In `edit`: TOML text. In `files`: the lock and the atomic replace.

mod change;
mod edit;
mod files;
mod source;
mod statement;
mod undo;
mod verdict;

pub use change::{edit_statement, remove_incident, remove_statement};
pub use source::{NewSource, SourceAdded, add_source, validate_source};
pub use statement::{NewStatement, add_statement, new_incident, validate_statement};
pub use undo::restore;
pub use verdict::{IdsAdded, fix_ids, ordered_pair, tag, tag_target, untag};

pub(crate) use edit::toml_string;

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use toml_edit::{Item, Table, Value};

use crate::check::suggestion;
use crate::model::{
    Incident, RefError, SLUG_HINT, Statement, StatementRef, Verdict, fingerprint, is_slug,
};
use crate::parse::parse_incident;
use crate::store::{self, Corpus, StoreError};

use edit::Style;

/// A verdict to record about two statements.
#[derive(Debug, Clone)]
pub struct TagRequest {
    pub a: StatementRef,
    pub b: StatementRef,
    pub verdict: Verdict,
    pub claim: Option<String>,
    pub note: Option<String>,
    /// Who decides; see [`default_tagger`].
    pub by: String,
    /// Replace a verdict the pair already has, instead of refusing.
    pub replace: bool,
    /// Which of the two is the claim under review (`reviewed` in the file); `None` leaves the
    /// file's default (the later one), or, when replacing, what the verdict already says.
    pub reviewed: Option<StatementRef>,
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WriteOutcome {
    /// The file written.
    pub path: PathBuf,
    /// The new statement's id, for `add_statement`.
    pub id: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// A change that spans files stopped part way: say what was already written.
    #[error(
        "{}: the verdict was removed there, but not from every file that holds it: {}",
        .written.display(),
        .rest
    )]
    Partly {
        written: PathBuf,
        rest: Box<WriteError>,
    },
    /// `fix_ids` stopped part way: say which files already have their ids.
    #[error(
        "ids were added in {}, but not in every file: {}",
        .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "),
        .1
    )]
    IdsPartly(Vec<PathBuf>, Box<WriteError>),
    #[error(
        "{}: the file changed on disk since it was read: reload it and make the change again",
        .0.display()
    )]
    ChangedOnDisk(PathBuf),
    #[error(
        "{}: changed on disk twice while this change was being written (is it open in an \
         editor?): save it there, then make the change again; nothing was written",
        .0.display()
    )]
    KeptChanging(PathBuf),
    #[error(
        "{}: is a link to {}, outside the corpus folder: changes are written only to files \
         inside it (copy the file into the corpus instead of linking it); nothing was written",
        .0.display(), .1.display()
    )]
    LinkOutOfCorpus(PathBuf, PathBuf),
    #[error("no incident `{0}` in the corpus{1}")]
    NoSuchIncident(String, String),
    #[error("no statement `{0}` in the corpus{1}")]
    NoSuchStatement(StatementRef, String),
    #[error(
        "{}: incident `{}` has errors and did not load: fix it first (`onrecord check` shows why)",
        .1.display(), .0
    )]
    IncidentHasErrors(String, PathBuf),
    #[error("`{0}` is given twice: a verdict needs two different statements")]
    SameStatement(StatementRef),
    #[error(transparent)]
    Ref(#[from] RefError),
    #[error(
        "`{}` and `{}` already have a verdict ({}) in {}: pass --replace to change it",
        .0.a, .0.b, .0.verdict, .0.path.display()
    )]
    AlreadyTagged(Box<Tagged>),
    #[error("`{0}` and `{1}` have no verdict to remove")]
    NotTagged(StatementRef, StatementRef),
    #[error("{}", invalid_message(.0))]
    Invalid(Vec<(String, String)>),
    #[error("{}: already exists: choose another incident id, or add to it with `onrecord add`", .0.display())]
    Exists(PathBuf),
    #[error(
        "{}: {}: fix the file first (`onrecord check` shows why); nothing was written",
        .0.display(), .1
    )]
    BrokenFile(PathBuf, String),
    #[error("{}: cannot make this change: {}; nothing was written", .0.display(), .1)]
    Unwritable(PathBuf, String),
    #[error("{}: cannot {}: {}", .0.display(), .1, .2)]
    Io(PathBuf, &'static str, io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A verdict a pair already has.
#[derive(Debug)]
pub struct Tagged {
    pub a: StatementRef,
    pub b: StatementRef,
    pub verdict: Verdict,
    /// The file that holds it.
    pub path: PathBuf,
}

fn invalid_message(problems: &[(String, String)]) -> String {
    problems
        .iter()
        .map(|(field, message)| format!("`{field}`: {message}"))
        .collect::<Vec<_>>()
        .join("; ")
}

fn invalid(field: &str, message: impl Into<String>) -> WriteError {
    WriteError::Invalid(vec![(field.to_string(), message.into())])
}

/// The part of the corpus under `dir` that a write about `ids` needs: the files of those
/// incidents, and any other file whose text names every one of `refs` in full (a verdict kept
/// in a third file). Nothing else is parsed, so a write costs the same in a corpus of any
/// size. A file among them with errors is in `failed`, as `store::load` would have it; an
/// id with no file at all is an error, with the closest id there is.
pub fn load_for(dir: &Path, ids: &[&str], refs: &[&StatementRef]) -> Result<Corpus, WriteError> {
    let files = store::incident_files(dir)?;
    let stem = |p: &Path| {
        p.file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default()
            .to_string()
    };
    for id in ids {
        if !crate::model::is_slug(id) {
            return Err(invalid(
                "incident",
                format!(
                    "\"{}\" is not an incident id ({})",
                    id.escape_debug(),
                    crate::model::SLUG_HINT
                ),
            ));
        }
        if !files.iter().any(|p| stem(p) == *id) {
            let stems: Vec<String> = files.iter().map(|p| stem(p)).collect();
            let hint = suggestion(id, stems.iter().map(String::as_str));
            return Err(WriteError::NoSuchIncident(id.to_string(), hint));
        }
    }
    let full: Vec<String> = refs.iter().map(|r| r.to_string()).collect();
    let mut corpus = Corpus {
        root: dir.to_path_buf(),
        files: files.len(),
        ..Corpus::default()
    };
    let mut seen: Vec<(String, PathBuf)> = Vec::new();
    for path in &files {
        let id = stem(path);
        let wanted = ids.contains(&id.as_str())
            || (!full.is_empty()
                && std::fs::read_to_string(path)
                    .is_ok_and(|text| full.iter().all(|r| text.contains(r.as_str()))));
        if !wanted {
            continue;
        }
        let (parsed, diagnostics) = store::load_file(path);
        corpus.diagnostics.extend(diagnostics);
        match parsed {
            Some(p) => corpus.incidents.push(p.incident),
            None => corpus.failed.push(path.clone()),
        }
        seen.push((id, path.clone()));
    }
    // Two files with one id: neither is the incident, as `check` says.
    for id in ids {
        let paths: Vec<&PathBuf> = seen
            .iter()
            .filter(|(s, _)| s == id)
            .map(|(_, p)| p)
            .collect();
        if paths.len() > 1 {
            corpus.incidents.retain(|i| i.id != *id);
            corpus.failed.extend(paths.into_iter().cloned());
        }
    }
    corpus.incidents.sort_by(|a, b| a.id.cmp(&b.id));
    corpus.failed.sort();
    corpus.failed.dedup();
    Ok(corpus)
}

/// Replaces the file at `path` with `bytes`, under its lock, atomically and durably: for a file
/// written whole, such as a merge's result.
pub fn replace_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    let io_err = |what| move |e| WriteError::Io(path.to_path_buf(), what, e);
    let locked = files::Locked::acquire(path).map_err(io_err("lock the file"))?;
    match locked.replace(bytes).map_err(io_err("write the file"))? {
        files::Replaced::Done => Ok(()),
        files::Replaced::Changed => Err(WriteError::ChangedOnDisk(path.to_path_buf())),
    }
}

/// Creates the file at `path` with `bytes`, atomically, never replacing one already there.
pub fn create_file(path: &Path, bytes: &[u8]) -> Result<(), WriteError> {
    crate::atomic::create_new(path, bytes).map_err(|e| match e.kind() {
        io::ErrorKind::AlreadyExists => WriteError::Exists(path.to_path_buf()),
        _ => WriteError::Io(path.to_path_buf(), "create the file", e),
    })
}

/// Who is tagging, when `--by` is not given: `ONRECORD_USER`, else git's `user.name` as the
/// corpus's repository sets it, else `$USER`; empty when none says.
pub fn default_tagger(corpus_dir: &Path) -> String {
    let env = |name: &str| {
        std::env::var(name)
            .ok()
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty())
    };
    if let Some(user) = env("ONRECORD_USER") {
        return user;
    }
    let git = std::process::Command::new("git")
        .arg("-C")
        .arg(corpus_dir)
        .args(["config", "user.name"])
        .stderr(std::process::Stdio::null())
        .output();
    if let Ok(out) = git
        && out.status.success()
    {
        let name = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if !name.is_empty() {
            return name;
        }
    }
    env("USER").or_else(|| env("USERNAME")).unwrap_or_default()
}

/// Now, in UTC, to the second, as `tagged_at` stores it.
fn now_utc() -> String {
    chrono::DateTime::<chrono::Utc>::from(SystemTime::now())
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string()
}

/// An optional text field: blank means left out.
fn non_blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.trim().is_empty())
}

fn check_ref(r: &StatementRef) -> Result<(), WriteError> {
    // The fields are public, so a reference built by hand is checked like a typed one: a slug
    // can never name a path outside the corpus.
    StatementRef::parse(&r.to_string(), None)?;
    Ok(())
}

/// The incident an append writes to: `id` must be a slug (so it can never name a path outside
/// the corpus) and name an incident that loaded.
fn incident_to_append<'c>(corpus: &'c Corpus, id: &str) -> Result<&'c Incident, WriteError> {
    if !is_slug(id) {
        return Err(invalid(
            "incident",
            format!(
                "\"{}\" is not an incident id ({SLUG_HINT})",
                id.escape_debug()
            ),
        ));
    }
    find_incident(corpus, id)
}

/// `text` as a slug of at most `max` characters (accents folded, every other run of
/// characters a single `-`), or `fallback` when nothing of it is left.
fn slug_from(text: &str, max: usize, fallback: &str) -> String {
    let mut slug = String::new();
    for c in crate::fold::fold(text).chars() {
        if slug.len() >= max {
            break;
        }
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        fallback.to_string()
    } else {
        slug.to_string()
    }
}

/// `base`, or `base-2`, `base-3`… : the first that `taken` says is free.
fn unused_id(base: String, taken: impl Fn(&str) -> bool) -> String {
    let mut id = base.clone();
    let mut n = 2;
    while taken(&id) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn find_incident<'c>(corpus: &'c Corpus, id: &str) -> Result<&'c Incident, WriteError> {
    if let Some(inc) = corpus.incident(id) {
        return Ok(inc);
    }
    let failed = corpus
        .failed
        .iter()
        .find(|p| p.file_stem().and_then(|s| s.to_str()) == Some(id));
    if let Some(path) = failed {
        return Err(WriteError::IncidentHasErrors(id.to_string(), path.clone()));
    }
    let hint = suggestion(id, corpus.incidents.iter().map(|i| i.id.as_str()));
    Err(WriteError::NoSuchIncident(id.to_string(), hint))
}

fn find_statement<'c>(
    corpus: &'c Corpus,
    r: &StatementRef,
) -> Result<(&'c Incident, &'c Statement), WriteError> {
    let inc = find_incident(corpus, &r.incident)?;
    match inc.statement(&r.statement) {
        Some(st) => Ok((inc, st)),
        None => {
            let hint = suggestion(&r.statement, inc.statements.iter().map(|s| s.id.as_str()));
            Err(WriteError::NoSuchStatement(r.clone(), hint))
        }
    }
}

/// A file's new text: whole, or an entry appended to what is there.
enum NewText {
    /// The whole new text.
    Whole(String),
    /// A new `[[key]]` entry, appended at the end of the file.
    Append(&'static str, Table),
}

/// The text with the entry appended; where that is not valid TOML because the key is an
/// inline array (the `statements = []` of a new file), the entry goes into a `toml_edit`
/// document instead.
fn append_entry(
    text: &str,
    key: &str,
    entry: &Table,
    style: &Style,
    parse: impl Fn(&str) -> Result<Incident, String>,
) -> Result<(String, Incident), String> {
    let appended = edit::append(text, &edit::render_entry(key, entry, style), style);
    let first_error = match parse(&appended) {
        Ok(inc) => return Ok((appended, inc)),
        Err(e) => e,
    };
    let mut editable = edit::Editable::parse(text)?;
    if !edit::push_into_inline_array(&mut editable.doc, key, entry) {
        return Err(first_error);
    }
    let edited = editable.render();
    let inc = parse(&edited)?;
    Ok((edited, inc))
}

/// A small incident holding only a rendered entry and what it refers to (the source it
/// names, the statements of this file it names), to read the entry back as the loader will.
fn probe(fresh: &Incident, key: &str, entry: &Table, block: &str) -> String {
    let mut t = format!(
        "title = \"probe\"\ncompany = {}\n",
        edit::toml_string(&fresh.company, false)
    );
    for key in ["source", "via"] {
        if let Some(source) = entry.get(key).and_then(Item::as_str) {
            t.push_str(&format!(
                "[[sources]]\nid = {}\noutlet = \"probe\"\n",
                edit::toml_string(source, false)
            ));
        }
    }
    if key == "sources" {
        // A file needs statements; an empty array of them lets the source read back alone.
        t.push_str("statements = []\n");
    }
    if key == "contradictions" {
        let between = entry.get("between").and_then(Item::as_array);
        for id in between.into_iter().flatten().filter_map(Value::as_str) {
            if !id.contains('#') {
                t.push_str(&format!(
                    "[[statements]]\nid = {}\ndate = 2000-01-01\nspeaker = \"probe\"\ntext = \"probe\"\n",
                    edit::toml_string(id, false)
                ));
            }
        }
    }
    t.push_str(block);
    t
}

fn unwritable(inc: &Incident, message: impl Into<String>) -> WriteError {
    WriteError::Unwritable(inc.path.clone(), message.into())
}

/// The file a write to `inc` changes: its own path, or, when that is a link, the file the link
/// names, provided that file is inside the corpus folder `root`. A link out of the corpus is
/// refused: a corpus from elsewhere must not make a write land in any other file.
fn written_path(root: &Path, inc: &Incident) -> Result<PathBuf, WriteError> {
    let path = &inc.path;
    let io_err = |e| WriteError::Io(path.clone(), "read the file", e);
    let meta = std::fs::symlink_metadata(path).map_err(io_err)?;
    if !meta.file_type().is_symlink() {
        return Ok(path.clone());
    }
    let target = std::fs::canonicalize(path).map_err(io_err)?;
    let inside = std::fs::canonicalize(root).is_ok_and(|root| target.starts_with(root));
    if !inside {
        return Err(WriteError::LinkOutOfCorpus(path.clone(), target));
    }
    Ok(target)
}

/// Locks `inc`'s file, reads it, applies `change` to its text (without a byte-order mark)
/// and the incident as it is now, checks that the result parses without errors and passes
/// `verify`, and replaces the file. Returns the path written: the incident's, or the file its
/// link names (see [`written_path`]).
///
/// Editors do not take the lock: when the file changed on disk between the read and the
/// rename, the change is made again once on the new text, then refused.
fn edit_file(
    root: &Path,
    inc: &Incident,
    expected: Option<u64>,
    mut change: impl FnMut(&str, &Incident, &Style) -> Result<NewText, WriteError>,
    verify: impl Fn(&Incident) -> bool,
) -> Result<PathBuf, WriteError> {
    let path = written_path(root, inc)?;
    for _ in 0..2 {
        if edit_once(inc, &path, expected, &mut change, &verify)? == files::Replaced::Done {
            return Ok(path);
        }
    }
    Err(WriteError::KeptChanging(path))
}

fn edit_once(
    inc: &Incident,
    path: &Path,
    expected: Option<u64>,
    change: &mut impl FnMut(&str, &Incident, &Style) -> Result<NewText, WriteError>,
    verify: &impl Fn(&Incident) -> bool,
) -> Result<files::Replaced, WriteError> {
    let path = &path.to_path_buf();
    let io_err = |what| move |e| WriteError::Io(path.clone(), what, e);
    let mut locked = files::Locked::acquire(path).map_err(io_err("lock the file"))?;
    let bytes = locked.read().map_err(io_err("read the file"))?;
    let print = fingerprint(&bytes);
    if expected.is_some_and(|e| e != print) {
        return Err(WriteError::ChangedOnDisk(path.clone()));
    }
    let text = std::str::from_utf8(&bytes)
        .map_err(|_| WriteError::BrokenFile(path.clone(), "not UTF-8".into()))?;
    let (bom, body) = match text.strip_prefix('\u{feff}') {
        Some(body) => ("\u{feff}", body),
        None => ("", text),
    };
    let parse = |text: &str| {
        let (parsed, diagnostics) = parse_incident(&inc.path, &inc.id, text);
        match parsed {
            Some(p) => Ok(p.incident),
            None => Err(diagnostics
                .into_iter()
                .find(|d| d.is_error())
                .map(|d| format!("line {}: {}", d.line, d.message))
                .unwrap_or_else(|| "the file does not load".into())),
        }
    };
    let fresh_parsed;
    let fresh = if print == inc.fingerprint {
        inc
    } else {
        fresh_parsed = parse(body).map_err(|e| WriteError::BrokenFile(path.clone(), e))?;
        &fresh_parsed
    };
    let style = Style::of(body);
    let unwritable = |e| WriteError::Unwritable(path.clone(), e);
    let (new_body, written) = match change(body, fresh, &style)? {
        NewText::Whole(new_body) => {
            let written = parse(&new_body).map_err(unwritable)?;
            (new_body, written)
        }
        NewText::Append(key, entry) if !edit::may_be_inline(body, key) => {
            // The file loaded, so `key` is absent or [[key]] tables and one more entry at the
            // end is valid TOML: only the entry needs reading back, not the whole file again.
            let block = edit::render_entry(key, &entry, &style);
            let written = parse(&probe(fresh, key, &entry, &block)).map_err(unwritable)?;
            (edit::append(body, &block, &style), written)
        }
        NewText::Append(key, entry) => {
            append_entry(body, key, &entry, &style, parse).map_err(unwritable)?
        }
    };
    if !verify(&written) {
        return Err(WriteError::Unwritable(
            path.clone(),
            "the change would not read back as given".into(),
        ));
    }
    let mut out = String::with_capacity(bom.len() + new_body.len());
    out.push_str(bom);
    out.push_str(&new_body);
    locked
        .replace(out.as_bytes())
        .map_err(io_err("write the file"))
}
