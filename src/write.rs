//! The one write path: every change the program makes to an incident file goes through here.
//!
//! A change is made like a careful colleague would make it: the file is locked, read again
//! under the lock (refused if it changed since the caller read it), the change is applied to
//! that fresh text without touching any other byte (a new entry is appended at the end; a
//! removal or replacement goes through `toml_edit`), the result is parsed and checked to say
//! exactly what was meant, written to a temporary file beside the original, flushed to disk,
//! renamed over it, and the folder flushed. Bad input is refused before anything is written.

mod edit;
mod files;

use std::io;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use toml_edit::{Array, Item, Table, Value};

use crate::check::suggestion;
use crate::model::{
    Date, Incident, Kind, RefError, Statement, StatementRef, Verdict, fingerprint, is_slug,
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
}

/// A statement to append to an incident, as typed by a person: validated before writing.
#[derive(Debug, Clone, Default)]
pub struct NewStatement {
    /// A slug; derived from the speaker and the date when left out.
    pub id: Option<String>,
    /// `2024-11-09`, `2024-11`, `2024` or an RFC 3339 date-time.
    pub date: String,
    pub speaker: String,
    pub text: String,
    pub kind: Option<Kind>,
    pub lang: Option<String>,
    pub translation: Option<String>,
    pub channel: Option<String>,
    /// The id of one of the incident's `[[sources]]`.
    pub source: Option<String>,
    pub url: Option<String>,
    pub role: Option<String>,
    pub organization: Option<String>,
    pub tags: Vec<String>,
    pub note: Option<String>,
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
    #[error(
        "{}: the file changed on disk since it was read: reload it and make the change again",
        .0.display()
    )]
    ChangedOnDisk(PathBuf),
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

/// Who is tagging, when `--by` is not given: `ONRECORD_USER`, else git's `user.name`, else
/// `$USER`; empty when none says.
pub fn default_tagger() -> String {
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
fn given(s: &Option<String>) -> Option<&str> {
    s.as_deref().filter(|s| !s.trim().is_empty())
}

fn check_ref(r: &StatementRef) -> Result<(), WriteError> {
    // The fields are public, so a reference built by hand is checked like a typed one: a slug
    // can never name a path outside the corpus.
    StatementRef::parse(&r.to_string(), None)?;
    Ok(())
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

/// The two statements in the order `between` stores them: earlier, then later (for equal
/// dates, the second given is the later).
pub fn ordered_pair(
    corpus: &Corpus,
    a: &StatementRef,
    b: &StatementRef,
) -> Result<(StatementRef, StatementRef), WriteError> {
    let (_, sa) = find_statement(corpus, a)?;
    let (_, sb) = find_statement(corpus, b)?;
    Ok(if sa.date <= sb.date {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    })
}

/// The incident whose file a verdict on the pair is written to: the one that already holds
/// one, else the later statement's.
pub fn tag_target<'c>(
    corpus: &'c Corpus,
    a: &StatementRef,
    b: &StatementRef,
) -> Result<&'c Incident, WriteError> {
    if let Some((inc, _)) = corpus.contradictions().find(|(_, c)| c.involves_pair(a, b)) {
        return Ok(inc);
    }
    let (_, later) = ordered_pair(corpus, a, b)?;
    find_incident(corpus, &later.incident)
}

/// A reference as written inside `incident`'s file: bare for its own statements.
fn written_ref(r: &StatementRef, incident: &str) -> String {
    if r.incident == incident {
        r.statement.clone()
    } else {
        r.to_string()
    }
}

/// Records a verdict about two statements, in the file of the later one (or where the pair
/// already has one, with `replace`). `expected` is the fingerprint of that file as the caller
/// read it (see [`tag_target`]); when it no longer matches, nothing is written.
pub fn tag(
    corpus: &Corpus,
    req: &TagRequest,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    check_ref(&req.a)?;
    check_ref(&req.b)?;
    if req.a == req.b {
        return Err(WriteError::SameStatement(req.a.clone()));
    }
    let (earlier, later) = ordered_pair(corpus, &req.a, &req.b)?;
    let by = req.by.trim();
    if by.is_empty() {
        return Err(invalid(
            "by",
            "say who decides this verdict (--by, ONRECORD_USER or git's user.name)",
        ));
    }
    if let Some((inc, c)) = corpus
        .contradictions()
        .find(|(_, c)| c.involves_pair(&req.a, &req.b))
        && !req.replace
    {
        return Err(WriteError::AlreadyTagged(Box::new(Tagged {
            a: earlier,
            b: later,
            verdict: c.verdict,
            path: inc.path.clone(),
        })));
    }
    let target = tag_target(corpus, &req.a, &req.b)?;
    let claim = given(&req.claim);
    let note = given(&req.note);
    let tagged_at = now_utc();

    let path = edit_file(
        target,
        expected,
        |text, fresh, style| {
            for r in [&earlier, &later] {
                if r.incident == fresh.id && fresh.statement(&r.statement).is_none() {
                    return Err(WriteError::NoSuchStatement(r.clone(), String::new()));
                }
            }
            let existing = fresh
                .contradictions
                .iter()
                .find(|c| c.involves_pair(&earlier, &later));
            match existing {
                Some(c) if !req.replace => Err(WriteError::AlreadyTagged(Box::new(Tagged {
                    a: earlier.clone(),
                    b: later.clone(),
                    verdict: c.verdict,
                    path: fresh.path.clone(),
                }))),
                Some(_) => {
                    let mut doc = edit::document(text).map_err(|e| unwritable(fresh, e))?;
                    let entry = find_entry(&mut doc, &fresh.id, &earlier, &later)
                        .ok_or_else(|| unwritable(fresh, "the verdict to replace is inline"))?;
                    let set = |t: &mut Table, key: &str, v: Option<&str>| -> Result<(), String> {
                        match v {
                            Some(v) => {
                                edit::set_value(t, key, edit::string_value(v, style.multiline())?)
                            }
                            None => {
                                t.remove(key);
                            }
                        }
                        Ok(())
                    };
                    let mut apply = || -> Result<(), String> {
                        set(entry, "verdict", Some(req.verdict.as_str()))?;
                        set(entry, "claim", claim)?;
                        set(entry, "note", note)?;
                        set(entry, "tagged_by", Some(by))?;
                        edit::set_value(entry, "tagged_at", edit::datetime_value(&tagged_at)?);
                        Ok(())
                    };
                    apply().map_err(|e| unwritable(fresh, e))?;
                    Ok(Change::Text(doc.to_string()))
                }
                None => {
                    let mut t = Table::new();
                    let mut between = Array::new();
                    between.push(written_ref(&earlier, &fresh.id));
                    between.push(written_ref(&later, &fresh.id));
                    t.insert("between", Item::Value(Value::Array(between)));
                    let mut entry = || -> Result<Table, String> {
                        let ml = style.multiline();
                        t.insert("verdict", Item::Value(req.verdict.as_str().into()));
                        if let Some(claim) = claim {
                            t.insert("claim", Item::Value(edit::string_value(claim, ml)?));
                        }
                        if let Some(note) = note {
                            t.insert("note", Item::Value(edit::string_value(note, ml)?));
                        }
                        t.insert("tagged_by", Item::Value(edit::string_value(by, ml)?));
                        t.insert("tagged_at", Item::Value(edit::datetime_value(&tagged_at)?));
                        Ok(t.clone())
                    };
                    let entry = entry().map_err(|e| unwritable(fresh, e))?;
                    Ok(Change::Append("contradictions", entry))
                }
            }
        },
        |inc| {
            inc.contradictions.iter().any(|c| {
                c.involves_pair(&earlier, &later)
                    && c.verdict == req.verdict
                    && c.claim.as_deref() == claim
                    && c.note.as_deref() == note
                    && c.tagged_by.as_deref() == Some(by)
            })
        },
    )?;
    Ok(WriteOutcome { path, id: None })
}

fn find_entry<'d>(
    doc: &'d mut toml_edit::DocumentMut,
    incident: &str,
    a: &StatementRef,
    b: &StatementRef,
) -> Option<&'d mut Table> {
    doc.get_mut("contradictions")?
        .as_array_of_tables_mut()?
        .iter_mut()
        .find(|t| edit::names_pair(t.get("between").and_then(Item::as_value), incident, a, b))
}

/// Removes the verdict about two statements, from every file that holds one. `expected` is
/// the fingerprint of the first such file (see [`tag_target`]); any other file is compared
/// with the corpus's own reading of it.
pub fn untag(
    corpus: &Corpus,
    a: &StatementRef,
    b: &StatementRef,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    check_ref(a)?;
    check_ref(b)?;
    if a == b {
        return Err(WriteError::SameStatement(a.clone()));
    }
    let mut holders: Vec<&Incident> = Vec::new();
    for (inc, _) in corpus
        .contradictions()
        .filter(|(_, c)| c.involves_pair(a, b))
    {
        if !holders.iter().any(|h| h.id == inc.id) {
            holders.push(inc);
        }
    }
    if holders.is_empty() {
        return Err(WriteError::NotTagged(a.clone(), b.clone()));
    }
    let mut first = None;
    for (i, inc) in holders.iter().enumerate() {
        let expected = match (i, expected) {
            (0, e) => e,
            (_, Some(_)) => Some(inc.fingerprint),
            (_, None) => None,
        };
        let path = edit_file(
            inc,
            expected,
            |text, fresh, _| {
                if !fresh.contradictions.iter().any(|c| c.involves_pair(a, b)) {
                    return Err(WriteError::NotTagged(a.clone(), b.clone()));
                }
                let mut doc = edit::document(text).map_err(|e| unwritable(fresh, e))?;
                edit::remove_pair(&mut doc, &fresh.id, a, b);
                Ok(Change::Text(doc.to_string()))
            },
            |inc| !inc.contradictions.iter().any(|c| c.involves_pair(a, b)),
        )?;
        first.get_or_insert(path);
    }
    Ok(WriteOutcome {
        path: first.unwrap_or_default(),
        id: None,
    })
}

/// What is wrong with a statement before it is added to `incident`, as (field, message)
/// pairs; empty when it can be written. Fields are named as the command line's options.
pub fn validate_statement(
    corpus: &Corpus,
    incident: &str,
    st: &NewStatement,
) -> Vec<(String, String)> {
    match find_incident(corpus, incident) {
        Ok(inc) => statement_problems(Some(inc), st),
        Err(e) => {
            let mut problems = vec![("incident".to_string(), e.to_string())];
            problems.extend(statement_problems(None, st));
            problems
        }
    }
}

const DATE_HINT: &str = "write a date like 2024-11-09, a date-time like 2024-11-09T14:05:00+01:00, or 2024-11 or 2024 when only the month or year is known";
const SLUG_HINT: &str = "lowercase letters, digits and single dashes, like `afp-denial`";

fn is_language_tag(lang: &str) -> bool {
    let mut parts = lang.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

fn statement_problems(inc: Option<&Incident>, st: &NewStatement) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut bad = |field: &str, message: String| problems.push((field.to_string(), message));
    if let Some(id) = given(&st.id) {
        if !is_slug(id) {
            bad(
                "id",
                format!("\"{}\" is not a slug ({SLUG_HINT})", id.escape_debug()),
            );
        } else if let Some(inc) = inc
            && inc.statement(id).is_some()
        {
            bad(
                "id",
                format!("`{id}` is already a statement of `{}`", inc.id),
            );
        }
    }
    if st.date.trim().is_empty() {
        bad("date", format!("the date is missing: {DATE_HINT}"));
    } else if Date::parse(&st.date).is_none() {
        bad(
            "date",
            format!("\"{}\" is not a date: {DATE_HINT}", st.date.escape_debug()),
        );
    }
    if st.speaker.trim().is_empty() {
        bad(
            "speaker",
            "say who spoke: a person, or a role when unnamed".into(),
        );
    }
    if st.text.trim().is_empty() {
        bad("text", "the statement's text is missing".into());
    }
    if let Some(lang) = given(&st.lang)
        && !is_language_tag(lang)
    {
        bad(
            "lang",
            format!(
                "\"{}\" is not a language tag such as fr or en-GB",
                lang.escape_debug()
            ),
        );
    }
    if given(&st.translation).is_some() && given(&st.lang).is_none() {
        bad(
            "lang",
            "a translation needs the language of the text (--lang fr)".into(),
        );
    }
    if let Some(source) = given(&st.source) {
        match inc {
            Some(inc) if inc.source(source).is_none() => {
                let hint = suggestion(source, inc.sources.iter().map(|s| s.id.as_str()));
                let known = if inc.sources.is_empty() {
                    " (it has none; give --url instead)".to_string()
                } else {
                    hint
                };
                bad(
                    "source",
                    format!(
                        "`{}` names no [[sources]] entry of `{}`{known}",
                        source.escape_debug(),
                        inc.id
                    ),
                );
            }
            _ => {}
        }
    }
    for tag in &st.tags {
        if !is_slug(tag) {
            bad(
                "tag",
                format!("\"{}\" is not a slug ({SLUG_HINT})", tag.escape_debug()),
            );
        }
    }
    problems
}

/// A statement id that `incident` does not use yet: the speaker and the date, as a slug.
fn derive_id(inc: &Incident, st: &NewStatement, date: &Date) -> String {
    let mut speaker = String::new();
    for c in crate::fold::fold(&st.speaker).chars() {
        if c.is_ascii_alphanumeric() {
            speaker.push(c.to_ascii_lowercase());
        } else if !speaker.is_empty() && !speaker.ends_with('-') {
            speaker.push('-');
        }
    }
    let mut speaker = speaker.trim_end_matches('-').to_string();
    if speaker.len() > 40 {
        speaker.truncate(40);
        speaker = speaker.trim_end_matches('-').to_string();
    }
    if speaker.is_empty() {
        speaker.push_str("statement");
    }
    let day = match date {
        Date::DateTime(dt) => dt.date_naive().format("%Y-%m-%d").to_string(),
        d => d.iso(),
    };
    let base = format!("{speaker}-{day}");
    let mut id = base.clone();
    let mut n = 2;
    while inc.statement(&id).is_some() {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

/// Appends a statement to an incident's file, after validating it like `check` would.
/// Returns the new statement's id.
pub fn add_statement(
    corpus: &Corpus,
    incident: &str,
    st: &NewStatement,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    if !is_slug(incident) {
        return Err(invalid(
            "incident",
            format!(
                "\"{}\" is not an incident id ({SLUG_HINT})",
                incident.escape_debug()
            ),
        ));
    }
    let inc = find_incident(corpus, incident)?;
    let problems = statement_problems(Some(inc), st);
    if !problems.is_empty() {
        return Err(WriteError::Invalid(problems));
    }
    let date = Date::parse(&st.date).ok_or_else(|| invalid("date", DATE_HINT))?;
    let id = std::cell::RefCell::new(String::new());
    let path = edit_file(
        inc,
        expected,
        |_, fresh, style| {
            // Checked again against the file as it is now, under the lock.
            let problems = statement_problems(Some(fresh), st);
            if !problems.is_empty() {
                return Err(WriteError::Invalid(problems));
            }
            let new_id = match given(&st.id) {
                Some(id) => id.to_string(),
                None => derive_id(fresh, st, &date),
            };
            let entry =
                statement_table(&new_id, &date, st, style).map_err(|e| unwritable(fresh, e))?;
            *id.borrow_mut() = new_id;
            Ok(Change::Append("statements", entry))
        },
        |inc| {
            inc.statements
                .iter()
                .any(|s| s.id == *id.borrow() && reads_back_as(s, st, &date))
        },
    )?;
    Ok(WriteOutcome {
        path,
        id: Some(id.into_inner()),
    })
}

fn reads_back_as(s: &Statement, st: &NewStatement, date: &Date) -> bool {
    let opt = |a: &Option<String>, b: &Option<String>| a.as_deref() == given(b);
    s.date == *date
        && s.date.iso() == date.iso()
        && s.speaker == st.speaker
        && s.text == st.text
        && st.kind.is_none_or(|k| k == s.kind)
        && opt(&s.lang, &st.lang)
        && opt(&s.translation, &st.translation)
        && opt(&s.channel, &st.channel)
        && opt(&s.source, &st.source)
        && opt(&s.url, &st.url)
        && opt(&s.role, &st.role)
        && given(&st.organization).is_none_or(|o| o == s.organization)
        && s.tags == st.tags
        && opt(&s.note, &st.note)
}

fn statement_table(
    id: &str,
    date: &Date,
    st: &NewStatement,
    style: &Style,
) -> Result<Table, String> {
    let ml = style.multiline();
    let mut t = Table::new();
    let mut put = |key: &str, v: Value| {
        t.insert(key, Item::Value(v));
    };
    put("id", id.into());
    put("date", edit::date_value(date)?);
    put("speaker", edit::string_value(&st.speaker, false)?);
    let optional = [("organization", &st.organization), ("role", &st.role)];
    for (key, v) in optional {
        if let Some(v) = given(v) {
            put(key, edit::string_value(v, false)?);
        }
    }
    if let Some(kind) = st.kind {
        put("kind", kind.as_str().into());
    }
    for (key, v) in [
        ("channel", &st.channel),
        ("source", &st.source),
        ("url", &st.url),
        ("lang", &st.lang),
    ] {
        if let Some(v) = given(v) {
            put(key, edit::string_value(v, false)?);
        }
    }
    put("text", edit::string_value(&st.text, ml)?);
    if let Some(v) = given(&st.translation) {
        put("translation", edit::string_value(v, ml)?);
    }
    if !st.tags.is_empty() {
        put(
            "tags",
            Value::Array(st.tags.iter().map(String::as_str).collect()),
        );
    }
    if let Some(v) = given(&st.note) {
        put("note", edit::string_value(v, ml)?);
    }
    Ok(t)
}

/// What a change makes of a file's text.
enum Change {
    /// The whole new text.
    Text(String),
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
    let mut doc = edit::document(text)?;
    if !edit::push_into_inline_array(&mut doc, key, entry) {
        return Err(first_error);
    }
    let edited = doc.to_string();
    let inc = parse(&edited)?;
    Ok((edited, inc))
}

fn unwritable(inc: &Incident, message: impl Into<String>) -> WriteError {
    WriteError::Unwritable(inc.path.clone(), message.into())
}

/// Locks `inc`'s file, reads it, applies `change` to its text (without a byte-order mark)
/// and the incident as it is now, checks that the result parses without errors and passes
/// `verify`, and replaces the file. Returns the path written.
fn edit_file(
    inc: &Incident,
    expected: Option<u64>,
    change: impl FnOnce(&str, &Incident, &Style) -> Result<Change, WriteError>,
    verify: impl FnOnce(&Incident) -> bool,
) -> Result<PathBuf, WriteError> {
    let path = &inc.path;
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
        let (parsed, diagnostics) = parse_incident(path, &inc.id, text);
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
        Change::Text(new_body) => {
            let written = parse(&new_body).map_err(unwritable)?;
            (new_body, written)
        }
        Change::Append(key, entry) => {
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
        .map_err(io_err("write the file"))?;
    Ok(path.clone())
}

/// Creates a new incident file `<dir>/<id>.toml`, refusing to overwrite one, or to add an id
/// the corpus already has anywhere under `dir`.
pub fn new_incident(
    dir: &Path,
    id: &str,
    company: &str,
    title: &str,
    tags: &[String],
) -> Result<WriteOutcome, WriteError> {
    let mut problems = Vec::new();
    if !is_slug(id) {
        problems.push((
            "incident".to_string(),
            format!(
                "\"{}\" is not an incident id ({SLUG_HINT})",
                id.escape_debug()
            ),
        ));
    }
    if company.trim().is_empty() {
        problems.push((
            "company".into(),
            "say whose words the incident tracks".into(),
        ));
    }
    if title.trim().is_empty() {
        problems.push(("title".into(), "the title is missing".into()));
    }
    for tag in tags {
        if !is_slug(tag) {
            problems.push((
                "tag".into(),
                format!("\"{}\" is not a slug ({SLUG_HINT})", tag.escape_debug()),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(WriteError::Invalid(problems));
    }
    let existing = store::incident_files(dir)?
        .into_iter()
        .find(|p| p.file_stem().and_then(|s| s.to_str()) == Some(id));
    if let Some(path) = existing {
        return Err(WriteError::Exists(path));
    }
    let path = dir.join(format!("{id}.toml"));
    let text = new_incident_text(company, title, tags)
        .map_err(|e| WriteError::Unwritable(path.clone(), e))?;
    if let (None, diagnostics) = parse_incident(&path, id, &text) {
        let first = diagnostics.into_iter().find(|d| d.is_error());
        return Err(WriteError::Unwritable(
            path,
            first.map_or_else(|| "the file would not load".into(), |d| d.message),
        ));
    }
    files::create_new(&path, text.as_bytes()).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            WriteError::Exists(path.clone())
        } else {
            WriteError::Io(path.clone(), "create the file", e)
        }
    })?;
    Ok(WriteOutcome { path, id: None })
}

fn new_incident_text(company: &str, title: &str, tags: &[String]) -> Result<String, String> {
    let mut text = String::new();
    text.push_str(&format!("title = {}\n", edit::string_value(title, false)?));
    text.push_str(&format!(
        "company = {}\n",
        edit::string_value(company, false)?
    ));
    if !tags.is_empty() {
        let tags: Array = tags.iter().map(String::as_str).collect();
        text.push_str(&format!("tags = {tags}\n"));
    }
    text.push_str(
        "\nstatements = []  # `onrecord add` replaces this line with [[statements]] tables\n",
    );
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_unique_slugs() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("acme.toml");
        let text = "title = \"T\"\ncompany = \"Acme\"\n\n[[statements]]\nid = \"cafe-owner-2024-11-09\"\ndate = 2024-11-09\nspeaker = \"x\"\ntext = \"y\"\nurl = \"https://example.org\"\n";
        let (p, _) = parse_incident(&path, "acme", text);
        let inc = p.unwrap().incident;
        let st = NewStatement {
            speaker: "Café  Owner!".into(),
            ..Default::default()
        };
        let d = Date::parse("2024-11-09").unwrap();
        assert_eq!(derive_id(&inc, &st, &d), "cafe-owner-2024-11-09-2");
        let st = NewStatement {
            speaker: "陳".into(),
            ..Default::default()
        };
        let d = Date::parse("2024-11-09T10:00:00+01:00").unwrap();
        let id = derive_id(&inc, &st, &d);
        assert_eq!(id, "statement-2024-11-09");
        assert!(is_slug(&id));
        let st = NewStatement {
            speaker: "a".repeat(200),
            ..Default::default()
        };
        assert!(is_slug(&derive_id(&inc, &st, &d)));
    }

    #[test]
    fn new_incident_text_passes_check() {
        let text =
            new_incident_text("Acme \"Widgets\"", "A\u{202E} title", &["x-y".into()]).unwrap();
        let (p, d) = parse_incident(Path::new("a.toml"), "a", &text);
        assert!(d.is_empty(), "{d:?}");
        let inc = p.unwrap().incident;
        assert_eq!(inc.company, "Acme \"Widgets\"");
        assert_eq!(inc.title, "A\u{202E} title");
    }
}
