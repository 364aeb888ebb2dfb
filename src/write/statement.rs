//! Statements and incidents: validating what a person typed, appending a statement, and
//! creating a new incident file.

use std::io;
use std::path::Path;

use toml_edit::{Array, Item, Table, Value};

use super::{
    NewText, WriteError, WriteOutcome, edit, edit::Style, edit_file, find_incident,
    incident_to_append, invalid, non_blank, slug_from, unused_id, unwritable,
};
use crate::check::suggestion;
use crate::model::{
    DATE_HINT_UNQUOTED, Date, Incident, Kind, SLUG_HINT, Statement, is_language_tag, is_slug,
};
use crate::parse::parse_incident;
use crate::store::{self, Corpus};

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
    /// The id of one of the incident's `[[sources]]`: where the words were read.
    pub source: Option<String>,
    /// The id of the source that one credits, when it reports another outlet's words.
    pub via: Option<String>,
    pub url: Option<String>,
    pub role: Option<String>,
    pub organization: Option<String>,
    pub tags: Vec<String>,
    pub note: Option<String>,
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

/// Whether every common TOML reader (Python's `tomllib`, taplo) reads the date as written:
/// they refuse the year 0 and a leap second (`23:59:60`), which TOML 1.0 leaves open.
fn readable_everywhere(d: &Date) -> Result<(), &'static str> {
    use chrono::{Datelike, Timelike};
    if d.start().year() < 1 {
        return Err("is in the year 0: years start at 0001");
    }
    if let Date::DateTime(dt) = d
        && dt.nanosecond() >= 1_000_000_000
    {
        return Err("is a leap second (:60), which common TOML readers refuse: use :59");
    }
    Ok(())
}

pub(super) fn statement_problems(
    inc: Option<&Incident>,
    st: &NewStatement,
) -> Vec<(String, String)> {
    let mut problems = Vec::new();
    let mut bad = |field: &str, message: String| problems.push((field.to_string(), message));
    if let Some(id) = non_blank(&st.id) {
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
        bad(
            "date",
            format!("the date is missing: write {DATE_HINT_UNQUOTED}"),
        );
    } else {
        match Date::parse(&st.date) {
            None => bad(
                "date",
                format!(
                    "\"{}\" is not a date: write {DATE_HINT_UNQUOTED}",
                    st.date.escape_debug()
                ),
            ),
            Some(d) => {
                if let Err(why) = readable_everywhere(&d) {
                    bad("date", format!("\"{}\" {why}", st.date.escape_debug()));
                }
            }
        }
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
    if let Some(lang) = non_blank(&st.lang)
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
    if non_blank(&st.translation).is_some() && non_blank(&st.lang).is_none() {
        bad(
            "lang",
            "a translation needs the language of the text (--lang fr)".into(),
        );
    }
    if let Some(source) = non_blank(&st.source) {
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
    if let Some(via) = non_blank(&st.via) {
        if non_blank(&st.source).is_none() {
            bad(
                "via",
                "say where the words were read (--source) as well as whom it credits".into(),
            );
        } else if non_blank(&st.source) == Some(via) {
            bad(
                "via",
                "names the same source as --source: name the outlet the source credits".into(),
            );
        } else if let Some(inc) = inc
            && inc.source(via).is_none()
        {
            let hint = suggestion(via, inc.sources.iter().map(|s| s.id.as_str()));
            bad(
                "via",
                format!(
                    "`{}` names no [[sources]] entry of `{}`{hint}",
                    via.escape_debug(),
                    inc.id
                ),
            );
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
    let speaker = slug_from(&st.speaker, 40, "statement");
    let day = match date {
        Date::DateTime(dt) => dt.date_naive().format("%Y-%m-%d").to_string(),
        d => d.iso(),
    };
    unused_id(format!("{speaker}-{day}"), |id| inc.statement(id).is_some())
}

/// Appends a statement to an incident's file, after validating it like `check` would.
/// Returns the new statement's id.
pub fn add_statement(
    corpus: &Corpus,
    incident: &str,
    st: &NewStatement,
    expected: Option<u64>,
) -> Result<WriteOutcome, WriteError> {
    let inc = incident_to_append(corpus, incident)?;
    let problems = statement_problems(Some(inc), st);
    if !problems.is_empty() {
        return Err(WriteError::Invalid(problems));
    }
    let date = Date::parse(&st.date)
        .ok_or_else(|| invalid("date", format!("write {DATE_HINT_UNQUOTED}")))?;
    let id = std::cell::RefCell::new(String::new());
    let path = edit_file(
        &corpus.root,
        inc,
        expected,
        |_, fresh, style| {
            // Checked again against the file as it is now, under the lock.
            let problems = statement_problems(Some(fresh), st);
            if !problems.is_empty() {
                return Err(WriteError::Invalid(problems));
            }
            let new_id = match non_blank(&st.id) {
                Some(id) => id.to_string(),
                None => derive_id(fresh, st, &date),
            };
            let entry =
                statement_table(&new_id, &date, st, style).map_err(|e| unwritable(fresh, e))?;
            *id.borrow_mut() = new_id;
            Ok(NewText::Append("statements", entry))
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
    let opt = |a: &Option<String>, b: &Option<String>| a.as_deref() == non_blank(b);
    s.date == *date
        && s.date.iso() == date.iso()
        && s.speaker == st.speaker
        && s.text == st.text
        && st.kind.is_none_or(|k| k == s.kind)
        && opt(&s.lang, &st.lang)
        && opt(&s.translation, &st.translation)
        && opt(&s.channel, &st.channel)
        && opt(&s.source, &st.source)
        && opt(&s.via, &st.via)
        && opt(&s.url, &st.url)
        && opt(&s.role, &st.role)
        && non_blank(&st.organization).is_none_or(|o| o == s.organization)
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
        if let Some(v) = non_blank(v) {
            put(key, edit::string_value(v, false)?);
        }
    }
    if let Some(kind) = st.kind {
        put("kind", kind.as_str().into());
    }
    for (key, v) in [
        ("channel", &st.channel),
        ("source", &st.source),
        ("via", &st.via),
        ("url", &st.url),
        ("lang", &st.lang),
    ] {
        if let Some(v) = non_blank(v) {
            put(key, edit::string_value(v, false)?);
        }
    }
    put("text", edit::string_value(&st.text, ml)?);
    if let Some(v) = non_blank(&st.translation) {
        put("translation", edit::string_value(v, ml)?);
    }
    if !st.tags.is_empty() {
        put(
            "tags",
            Value::Array(st.tags.iter().map(String::as_str).collect()),
        );
    }
    if let Some(v) = non_blank(&st.note) {
        put("note", edit::string_value(v, ml)?);
    }
    Ok(t)
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
    crate::atomic::create_new(&path, text.as_bytes()).map_err(|e| {
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
