//! Sources: validating a new `[[sources]]` entry, copying its saved copy into
//! `sources/<incident>/` (never over another file), and appending the entry.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use toml_edit::{Item, Table, Value};

use super::{
    NewText, WriteError, edit, edit_file, find_incident, incident_to_append, invalid, non_blank,
    slug_from, unused_id, unwritable,
};
use crate::model::{Date, Incident, SLUG_HINT, Source, is_slug};
use crate::snapshot::{self, MAX_BYTES};
use crate::store::Corpus;

/// A source to add to an incident, as typed by a person: validated before writing.
#[derive(Debug, Clone, Default)]
pub struct NewSource {
    /// A slug; derived from the outlet when left out.
    pub id: Option<String>,
    pub outlet: String,
    /// The address of the item itself (not the outlet's home page).
    pub url: Option<String>,
    /// `2024-11-09`, `2024-11` or `2024`.
    pub published: Option<String>,
    pub lang: Option<String>,
    /// A file to keep as the saved copy of what the outlet published (text, HTML, or text
    /// extracted from a PDF); copied into `sources/<incident>/`.
    pub snapshot: Option<PathBuf>,
}

/// What `add_source` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceAdded {
    /// The incident file written.
    pub path: PathBuf,
    /// The new source's id.
    pub id: String,
    /// The saved copy as recorded (`sources/<incident>/<file>`) and its SHA-256.
    pub snapshot: Option<(String, String)>,
    /// Whether an identical file was already there under that name, so nothing was copied.
    pub reused: bool,
}

const DATE_HINT: &str =
    "write a date like 2024-11-09, or 2024-11 or 2024 when only the month or year is known";

/// What is wrong with a source before it is added to `incident`, as (field, message) pairs
/// named as the command line's options; empty when it can be written. Reads the snapshot
/// file, if one is given, to check it is text under the size limit.
pub fn validate_source(corpus: &Corpus, incident: &str, src: &NewSource) -> Vec<(String, String)> {
    let inc = match find_incident(corpus, incident) {
        Ok(inc) => Some(inc),
        Err(e) => {
            return std::iter::once(("incident".to_string(), e.to_string()))
                .chain(source_problems(None, src))
                .chain(
                    snapshot_read(src)
                        .err()
                        .map(|m| ("snapshot".to_string(), m)),
                )
                .collect();
        }
    };
    let mut problems = source_problems(inc, src);
    if let Err(m) = snapshot_read(src) {
        problems.push(("snapshot".into(), m));
    }
    problems
}

fn source_problems(inc: Option<&Incident>, src: &NewSource) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut bad = |field: &str, message: String| problems.push((field.to_string(), message));
    if src.outlet.trim().is_empty() {
        bad("outlet", "say which outlet published it".into());
    }
    if let Some(id) = non_blank(&src.id) {
        if !is_slug(id) {
            bad(
                "id",
                format!("\"{}\" is not a slug ({SLUG_HINT})", id.escape_debug()),
            );
        } else if let Some(inc) = inc
            && inc.source(id).is_some()
        {
            bad("id", format!("`{id}` is already a source of `{}`", inc.id));
        }
    }
    if let Some(url) = non_blank(&src.url)
        && let Some(problem) = crate::model::url_problem(url)
    {
        bad("url", problem.to_string());
    }
    if let Some(p) = non_blank(&src.published) {
        match Date::parse(p) {
            Some(Date::DateTime(_)) | None => bad(
                "published",
                format!("\"{}\" is not a date: {DATE_HINT}", p.escape_debug()),
            ),
            Some(_) => {}
        }
    }
    if let Some(lang) = non_blank(&src.lang)
        && !crate::model::is_language_tag(lang)
    {
        bad(
            "lang",
            format!(
                "\"{}\" is not a language tag such as fr or en-GB",
                lang.escape_debug()
            ),
        );
    }
    if let Some(file) = &src.snapshot
        && let Some(inc) = inc
        && let Err(m) = copy_name(&inc.id, file)
    {
        bad("snapshot", m);
    }
    problems
}

/// The saved copy's bytes, read within the limit and checked to be text a quote can be
/// compared with; `None` when no file is given.
fn snapshot_read(src: &NewSource) -> Result<Option<Vec<u8>>, String> {
    let Some(file) = &src.snapshot else {
        return Ok(None);
    };
    let meta = fs::metadata(file).map_err(|e| format!("{}: {e}", file.display()))?;
    if !meta.is_file() {
        return Err(format!("{}: not a regular file", file.display()));
    }
    if meta.len() > MAX_BYTES {
        return Err(format!(
            "{}: {} bytes, over the 20 MB limit: save only the article's text",
            file.display(),
            meta.len()
        ));
    }
    let bytes = snapshot::read_limited(file, file).map_err(|e| e.to_string())?;
    snapshot::decode(&bytes, file).map_err(|e| e.to_string())?;
    Ok(Some(bytes))
}

/// `sources/<incident>/<file name>`, the name a saved copy is kept under.
fn copy_name(incident: &str, file: &Path) -> Result<String, String> {
    let name = file
        .file_name()
        .ok_or_else(|| format!("{}: not a file: name the saved copy itself", file.display()))?
        .to_str()
        .ok_or_else(|| format!("{}: the file name is not UTF-8: rename it", file.display()))?;
    if name.starts_with('.') {
        return Err(format!(
            "{}: the file name starts with `.`, which the corpus treats as hidden: rename it",
            file.display()
        ));
    }
    let rel = format!("sources/{incident}/{name}");
    match snapshot::path_problem(&rel) {
        Some(problem) => Err(format!(
            "\"{}\" {problem}: rename the file",
            rel.escape_debug()
        )),
        None => Ok(rel),
    }
}

/// A source id the incident does not use yet, from the outlet's name.
fn derive_id(inc: &Incident, outlet: &str) -> String {
    unused_id(slug_from(outlet, 40, "source"), |id| {
        inc.source(id).is_some()
    })
}

/// Appends a `[[sources]]` entry to an incident's file, after validating it. With a
/// snapshot, first copies the file to `sources/<incident>/` beside the corpus's incident
/// files (reusing an identical file already there, refusing a different one), and records its
/// SHA-256; the copy is removed again when the entry cannot be written.
pub fn add_source(
    corpus: &Corpus,
    incident: &str,
    src: &NewSource,
    expected: Option<u64>,
) -> Result<SourceAdded, WriteError> {
    let inc = incident_to_append(corpus, incident)?;
    let problems = source_problems(Some(inc), src);
    if !problems.is_empty() {
        return Err(WriteError::Invalid(problems));
    }
    let bytes = snapshot_read(src).map_err(|m| invalid("snapshot", m))?;
    let mut recorded = None;
    let mut created: Option<PathBuf> = None;
    let mut reused = false;
    if let (Some(bytes), Some(file)) = (&bytes, &src.snapshot) {
        let rel = copy_name(&inc.id, file).map_err(|m| invalid("snapshot", m))?;
        let target = corpus.root.join(&rel);
        let hash = snapshot::sha256_hex(bytes);
        if let Some(folder) = target.parent() {
            fs::create_dir_all(folder)
                .map_err(|e| WriteError::Io(folder.to_path_buf(), "create the folder", e))?;
            // A `sources` folder that is a link out of the corpus would take the copy with it.
            let inside = fs::canonicalize(folder)
                .ok()
                .zip(fs::canonicalize(&corpus.root).ok())
                .is_some_and(|(f, root)| f.starts_with(root));
            if !inside {
                return Err(invalid(
                    "snapshot",
                    format!(
                        "{}: the folder leads outside the corpus folder; nothing was written",
                        folder.display()
                    ),
                ));
            }
        }
        match crate::atomic::create_new(&target, bytes) {
            Ok(()) => created = Some(target.clone()),
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
                // The same copy saved twice is the same copy; anything else keeps its name.
                let there = snapshot::resolve(&corpus.root, &rel)
                    .and_then(|real| snapshot::read_limited(&real, &target));
                match there {
                    Ok(old) if snapshot::sha256_hex(&old) == hash => reused = true,
                    _ => {
                        return Err(invalid(
                            "snapshot",
                            format!(
                                "{}: another file already has this name: rename your copy; \
                                 nothing was written",
                                target.display()
                            ),
                        ));
                    }
                }
            }
            Err(e) => return Err(WriteError::Io(target, "copy the saved copy to", e)),
        }
        recorded = Some((rel, hash));
    }
    let id = std::cell::RefCell::new(String::new());
    let written = edit_file(
        &corpus.root,
        inc,
        expected,
        |_, fresh, _style| {
            let problems = source_problems(Some(fresh), src);
            if !problems.is_empty() {
                return Err(WriteError::Invalid(problems));
            }
            let new_id = match non_blank(&src.id) {
                Some(id) => id.to_string(),
                None => derive_id(fresh, &src.outlet),
            };
            let entry =
                source_table(&new_id, src, recorded.as_ref()).map_err(|e| unwritable(fresh, e))?;
            *id.borrow_mut() = new_id;
            Ok(NewText::Append("sources", entry))
        },
        |inc| {
            inc.sources
                .iter()
                .any(|s| s.id == *id.borrow() && reads_back_as(s, src, recorded.as_ref()))
        },
    );
    match written {
        Ok(path) => Ok(SourceAdded {
            path,
            id: id.into_inner(),
            snapshot: recorded,
            reused,
        }),
        Err(e) => {
            if let Some(copy) = created {
                let _ = fs::remove_file(copy);
            }
            Err(e)
        }
    }
}

fn reads_back_as(s: &Source, src: &NewSource, recorded: Option<&(String, String)>) -> bool {
    let opt = |a: &Option<String>, b: &Option<String>| a.as_deref() == non_blank(b);
    s.outlet == src.outlet
        && opt(&s.url, &src.url)
        && opt(&s.lang, &src.lang)
        && s.published.map(|d| d.iso())
            == non_blank(&src.published)
                .and_then(Date::parse)
                .map(|d| d.iso())
        && s.snapshot.as_deref() == recorded.map(|r| r.0.as_str())
        && s.sha256.as_deref() == recorded.map(|r| r.1.as_str())
}

fn source_table(
    id: &str,
    src: &NewSource,
    recorded: Option<&(String, String)>,
) -> Result<Table, String> {
    let mut t = Table::new();
    let mut put = |key: &str, v: Value| {
        t.insert(key, Item::Value(v));
    };
    put("id", id.into());
    put("outlet", edit::string_value(&src.outlet, false)?);
    if let Some(url) = non_blank(&src.url) {
        put("url", edit::string_value(url, false)?);
    }
    if let Some(p) = non_blank(&src.published) {
        let date = Date::parse(p).ok_or_else(|| format!("\"{p}\" is not a date"))?;
        put("published", edit::date_value(&date)?);
    }
    if let Some(lang) = non_blank(&src.lang) {
        put("lang", edit::string_value(lang, false)?);
    }
    if let Some((rel, hash)) = recorded {
        put("snapshot", edit::string_value(rel, false)?);
        put("sha256", hash.as_str().into());
    }
    Ok(t)
}
