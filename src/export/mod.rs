//! Exports of the corpus, or of the part a [`Filter`] selects, for the tools newsrooms already
//! use: JSON, JSON Lines, CSV, Markdown, schema.org ClaimReview and SQLite. Each format is one
//! plain function writing to any `io::Write` (SQLite writes to a path); [`write_atomically`]
//! gives `--out` its all-or-nothing replacement.
//!
//! What a filter selects, for every format: an incident appears when any of its statements
//! matches, with only its matching statements and all of its sources; a verdict appears with
//! the incident whose file holds it, when both statements it names are exported. So every
//! reference in an export names something in the same export.

pub mod claimreview;
pub mod csv;
pub mod json;
pub mod jsonl;
pub mod markdown;
pub mod sqlite;

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::atomic;
use crate::model::{Contradiction, Date, Incident, Precision, Source, Statement, StatementRef};
use crate::query::Filter;
use crate::store::Corpus;

pub use self::csv::write_csv;
pub use claimreview::{ClaimReviewOptions, write_claimreview};
pub use json::write_json;
pub use jsonl::write_jsonl;
pub use markdown::write_markdown;
pub use sqlite::write_sqlite;

/// The version of the JSON export's shape, written as its `format` field.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Io(#[from] io::Error),
    #[error("{}: cannot write the database: {}", .0.display(), .1)]
    Sqlite(PathBuf, rusqlite::Error),
    #[error("{}: cannot write the export: {}", crate::text::one_line(&.0.display().to_string()), .1)]
    Write(PathBuf, io::Error),
    #[error(
        "{}: will not write the export there: {}",
        crate::text::one_line(&.0.display().to_string()), .1
    )]
    Refused(PathBuf, atomic::NotReplaceable),
}

/// How much an export wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    pub incidents: usize,
    pub statements: usize,
    /// Verdicts written; for ClaimReview, the reviews written.
    pub verdicts: usize,
}

/// The part of a corpus an export writes.
#[derive(Debug)]
pub struct Selection<'a> {
    pub corpus: &'a Corpus,
    pub incidents: Vec<Selected<'a>>,
}

/// One exported incident, with the statements and verdicts of it that are exported.
#[derive(Debug)]
pub struct Selected<'a> {
    pub incident: &'a Incident,
    /// In file order.
    pub statements: Vec<&'a Statement>,
    pub contradictions: Vec<&'a Contradiction>,
}

impl<'a> Selection<'a> {
    pub fn new(corpus: &'a Corpus, filter: &Filter) -> Selection<'a> {
        let everything = filter.is_empty();
        let mut incidents: Vec<Selected<'a>> = Vec::new();
        for inc in &corpus.incidents {
            if !everything && !filter.matches_incident(inc) {
                continue;
            }
            let statements: Vec<&Statement> = if everything {
                inc.statements.iter().collect()
            } else {
                inc.statements
                    .iter()
                    .filter(|s| filter.matches_statement(inc, s))
                    .collect()
            };
            if !statements.is_empty() {
                incidents.push(Selected {
                    incident: inc,
                    statements,
                    contradictions: Vec::new(),
                });
            }
        }
        // Every reference in a loaded corpus resolves, so with no filter every verdict stays.
        let chosen: Option<HashSet<(&str, &str)>> = (!everything).then(|| {
            incidents
                .iter()
                .flat_map(|s| {
                    s.statements
                        .iter()
                        .map(|st| (s.incident.id.as_str(), st.id.as_str()))
                })
                .collect()
        });
        let exported = |r: &StatementRef| {
            chosen
                .as_ref()
                .is_none_or(|c| c.contains(&(r.incident.as_str(), r.statement.as_str())))
        };
        for sel in &mut incidents {
            sel.contradictions = sel
                .incident
                .contradictions
                .iter()
                .filter(|c| c.between.iter().all(exported))
                .collect();
        }
        Selection { corpus, incidents }
    }

    pub fn summary(&self) -> Summary {
        Summary {
            incidents: self.incidents.len(),
            statements: self.incidents.iter().map(|s| s.statements.len()).sum(),
            verdicts: self.incidents.iter().map(|s| s.contradictions.len()).sum(),
        }
    }

    /// Every exported verdict, with the incident whose file holds it.
    pub fn contradictions(&self) -> impl Iterator<Item = (&'a Incident, &'a Contradiction)> + '_ {
        self.incidents
            .iter()
            .flat_map(|s| s.contradictions.iter().map(move |c| (s.incident, *c)))
    }
}

/// An incident file's path relative to the corpus folder, with `/` between folders, so that
/// an export says the same wherever the corpus is.
pub fn relative_path(corpus: &Corpus, inc: &Incident) -> String {
    let rel = inc.path.strip_prefix(&corpus.root).unwrap_or(&inc.path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

/// [`Date::iso`], without going through a format string: exports write a date per
/// statement, and chrono's formatter showed in their profile.
pub fn iso(d: &Date) -> String {
    match *d {
        Date::Day(day) => iso_day(day),
        _ => d.iso(),
    }
}

/// A day as `2024-11-09`.
pub fn iso_day(d: NaiveDate) -> String {
    let (y, m, day) = (d.year(), d.month(), d.day());
    if !(0..=9999).contains(&y) {
        return d.format("%Y-%m-%d").to_string();
    }
    let mut s = String::with_capacity(10);
    for (n, width) in [(y as u32, 4), (m, 2), (day, 2)] {
        if !s.is_empty() {
            s.push('-');
        }
        for p in (0..width).rev() {
            s.push(char::from(b'0' + (n / 10u32.pow(p) % 10) as u8));
        }
    }
    s
}

pub fn precision_name(d: &Date) -> &'static str {
    match d.precision() {
        Precision::Year => "year",
        Precision::Month => "month",
        Precision::Day => "day",
        Precision::Time => "time",
    }
}

/// One statement flattened with its incident's fields: a line of JSON Lines, a row of CSV.
/// The field names are the CSV header and stable.
#[derive(Debug, Serialize)]
pub struct Row<'a> {
    #[serde(rename = "ref")]
    pub reference: String,
    pub incident: &'a str,
    pub company: &'a str,
    pub title: &'a str,
    pub statement: &'a str,
    pub date: String,
    pub date_precision: &'static str,
    pub speaker: &'a str,
    pub organization: &'a str,
    pub role: Option<&'a str>,
    pub kind: &'static str,
    pub channel: Option<&'a str>,
    pub source: Option<&'a str>,
    pub source_outlet: Option<&'a str>,
    pub source_url: Option<&'a str>,
    pub url: Option<&'a str>,
    pub lang: Option<&'a str>,
    pub text: &'a str,
    pub translation: Option<&'a str>,
    pub tags: &'a [String],
    pub incident_tags: &'a [String],
    pub note: Option<&'a str>,
}

/// The CSV header, in [`Row`]'s field order.
pub const ROW_FIELDS: [&str; 22] = [
    "ref",
    "incident",
    "company",
    "title",
    "statement",
    "date",
    "date_precision",
    "speaker",
    "organization",
    "role",
    "kind",
    "channel",
    "source",
    "source_outlet",
    "source_url",
    "url",
    "lang",
    "text",
    "translation",
    "tags",
    "incident_tags",
    "note",
];

impl<'a> Row<'a> {
    pub fn new(inc: &'a Incident, st: &'a Statement) -> Row<'a> {
        let source: Option<&Source> = st.source.as_deref().and_then(|s| inc.source(s));
        Row {
            reference: format!("{}#{}", inc.id, st.id),
            incident: &inc.id,
            company: &inc.company,
            title: &inc.title,
            statement: &st.id,
            date: iso(&st.date),
            date_precision: precision_name(&st.date),
            speaker: &st.speaker,
            organization: &st.organization,
            role: st.role.as_deref(),
            kind: st.kind.as_str(),
            channel: st.channel.as_deref(),
            source: st.source.as_deref(),
            source_outlet: source.map(|s| s.outlet.as_str()),
            source_url: source.and_then(|s| s.url.as_deref()),
            url: st.url.as_deref(),
            lang: st.lang.as_deref(),
            text: &st.text,
            translation: st.translation.as_deref(),
            tags: &st.tags,
            incident_tags: &inc.tags,
            note: st.note.as_deref(),
        }
    }
}

impl Selection<'_> {
    /// Every exported statement as a flat row, incidents by id, statements in file order.
    pub fn rows(&self) -> impl Iterator<Item = Row<'_>> + '_ {
        self.incidents
            .iter()
            .flat_map(|s| s.statements.iter().map(move |st| Row::new(s.incident, st)))
    }
}

/// Replaces `path` with what `write` produces, all at once (see [`crate::atomic`]): the
/// bytes go to a temporary file in the same folder, which is renamed over `path` only when
/// `write` succeeded. A reader never sees half an export, and a failed export leaves the old
/// file as it was. Only a regular file that is not read-only, or a new path, is replaced
/// ([`crate::atomic::replaceable`]); a link to a regular file has the file it names replaced.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut BufWriter<&fs::File>) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    replace_with(path, |file, _| {
        let mut w = BufWriter::new(file);
        let value = write(&mut w)?;
        w.flush()?;
        Ok(value)
    })
}

/// Like [`write_atomically`], for writers that need the temporary file's path (SQLite).
pub fn replace_with<T>(
    path: &Path,
    write: impl FnOnce(&fs::File, &Path) -> Result<T, ExportError>,
) -> Result<T, ExportError> {
    let refused = |e| ExportError::Refused(path.to_path_buf(), e);
    let write_err = |e: io::Error| ExportError::Write(path.to_path_buf(), e);
    let target = atomic::replaceable(path).map_err(refused)?;
    let pending = atomic::begin(&target).map_err(write_err)?;
    let value = write(pending.file(), pending.path()).map_err(|e| match e {
        // Every error writing to the file names it (a full disk says which file).
        ExportError::Io(e) => write_err(e),
        other => other,
    })?;
    // Looked at again just before the rename: the path may have changed while we wrote.
    let target = atomic::replaceable(path).map_err(refused)?;
    let permissions = fs::metadata(&target).ok().map(|m| m.permissions());
    pending.replace(permissions).map_err(write_err)?;
    Ok(value)
}

/// A record's address as one fit to link to: `http` or `https` only (never `javascript:`),
/// with every character that could end a Markdown link, a table cell or a line, or that
/// URLs do not allow, percent-encoded.
pub fn web_url(url: &str) -> Option<String> {
    let url = url.trim();
    let lower = url.to_ascii_lowercase();
    if !(lower.starts_with("https://") || lower.starts_with("http://")) {
        return None;
    }
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        if c.is_ascii_graphic() && !matches!(c, '<' | '>' | '|' | '\\' | '`' | '"' | '\'') {
            out.push(c);
        } else {
            let mut buf = [0u8; 4];
            for b in c.encode_utf8(&mut buf).bytes() {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_as_the_model_writes_them() {
        for s in [
            "2024",
            "2024-11",
            "0987-01-02",
            "2024-11-09",
            "2024-11-09T14:05:00+01:00",
        ] {
            let d = Date::parse(s).unwrap();
            assert_eq!(iso(&d), d.iso());
            assert_eq!(iso_day(d.start()), d.start().format("%Y-%m-%d").to_string());
            assert_eq!(iso_day(d.end()), d.end().to_string());
        }
    }

    #[test]
    fn a_failed_export_leaves_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        fs::write(&path, "old").unwrap();
        let r: Result<(), _> = write_atomically(&path, |w| {
            w.write_all(b"half")?;
            Err(io::Error::other("disk full").into())
        });
        assert!(r.is_err());
        assert_eq!(fs::read_to_string(&path).unwrap(), "old");
        write_atomically(&path, |w| Ok(w.write_all(b"new")?)).unwrap();
        assert_eq!(fs::read_to_string(&path).unwrap(), "new");
        let left: Vec<_> = fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(left.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn export_out_names_the_file_on_a_full_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.json");
        let e = write_atomically(&path, |w| {
            w.write_all(b"half")?;
            Err::<(), _>(io::Error::from(io::ErrorKind::StorageFull).into())
        })
        .unwrap_err();
        let message = e.to_string();
        assert!(
            message.starts_with(&path.display().to_string()),
            "{message}"
        );
        assert!(!path.exists());
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
